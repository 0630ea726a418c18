// Templates (#/templates): the tenant's templates, and for the one picked a live frame preview
// (GET /api/v1/templates/{id}/preview?t=…, fetched with the key and shown as an image) driven by a time
// slider and its merge fields, with a button to render it.
"use strict";

VG.templates = (() => {
  const {el, replace, time, panel, toast} = VG.ui;

  // The timeline's length in seconds as far as the spec says it (numbers only), 10 when it does not.
  function duration(spec) {
    const timeline = (spec && spec.timeline) || {};
    if (typeof timeline.duration === "number") return timeline.duration;
    let end = 0;
    for (const track of timeline.tracks || []) {
      for (const clip of track.clips || []) {
        if (typeof clip.start === "number" && typeof clip.length === "number") end = Math.max(end, clip.start + clip.length);
      }
    }
    return end || 10;
  }

  function preview(template) {
    const length = duration(template.spec);
    const image = el("img.frame", {alt: `Frame of ${template.name || template.id}`});
    const status = el("span.muted", {role: "status"});
    const start = Math.round(length * 50) / 100;  // the middle: past most intro transitions
    const slider = el("input", {id: "preview-time", type: "range", min: 0, max: length, step: 0.04, value: start});
    const label = el("output", {for: "preview-time"}, `${start.toFixed(2)} s`);
    const fields = template.merge_fields.map((f) => el("div.field", {},
      el("label", {for: `field-${f.name}`}, f.name),
      el("input", {id: `field-${f.name}`, name: f.name, value: f.default || "", placeholder: f.default || ""})));
    let controller = null, timer = null, url = null;

    const data = () => Object.fromEntries(fields.map((f) => f.querySelector("input")).map((i) => [i.name, i.value]));
    async function refresh() {
      if (controller) controller.abort();
      controller = new AbortController();
      const q = new URLSearchParams({t: slider.value, format: "jpeg"});
      for (const [name, value] of Object.entries(data())) q.set(`data.${name}`, value);
      status.textContent = "Rendering frame…";
      try {
        const blob = await VG.api.get(`/api/v1/templates/${encodeURIComponent(template.id)}/preview?${q}`,
                                      {signal: controller.signal});
        if (url) URL.revokeObjectURL(url);
        url = URL.createObjectURL(blob);
        image.src = url;
        status.textContent = "";
      } catch (error) {
        if (error.name !== "AbortError") status.textContent = `Preview failed: ${error.message}`;
      }
    }
    const schedule = () => {
      label.textContent = `${Number(slider.value).toFixed(2)} s`;
      clearTimeout(timer);
      timer = setTimeout(refresh, 60);
    };
    slider.addEventListener("input", schedule);
    for (const f of fields) f.addEventListener("input", schedule);
    refresh();
    const renderIt = () => {
      location.hash = `#/new?template=${encodeURIComponent(template.id)}&data=${encodeURIComponent(JSON.stringify(data()))}`;
    };
    return el("div.preview", {},
      el("div.stage", {}, image),
      el("div.slider", {}, el("label", {for: "preview-time"}, "Time"), slider, label, status),
      fields.length ? el("fieldset", {}, el("legend", {}, "Merge fields"), fields) : null,
      el("div.actions", {}, el("button.primary", {type: "button", onclick: renderIt}, "Render with these values")));
  }

  function render(main) {
    const list = el("ul.list", {"aria-label": "Templates"}, el("li.muted", {}, "Loading…"));
    const detail = el("div", {}, el("p.muted", {}, "Pick a template to preview it."));
    replace(main, el("h1", {}, "Templates"), el("div.split", {}, panel("Your templates", list), panel("Preview", detail)));
    const open = (template, button) => {
      for (const b of list.querySelectorAll("button")) b.removeAttribute("aria-pressed");
      button.setAttribute("aria-pressed", "true");
      replace(detail, el("h3", {}, template.name || template.id), el("p.muted.mono", {}, `${template.id} · v${template.version}`),
              preview(template));
    };
    VG.api.get("/api/v1/templates").then(({templates}) => {
      if (!templates.length) {
        return replace(list, el("li.muted", {}, "No templates yet. Save one from ", el("a", {href: "#/new"}, "New render"), "."));
      }
      const buttons = templates.map((t) => {
        const button = el("button.item", {type: "button", onclick: () => open(t, button)},
          el("strong", {}, t.name || t.id), el("span.muted", {}, ` v${t.version} · `, time(t.created)));
        return button;
      });
      replace(list, buttons.map((b) => el("li", {}, b)));
      open(templates[0], buttons[0]);
    }).catch((error) => { replace(list, el("li.error", {}, error.message)); toast(error.message, "error"); });
    return () => {};
  }

  return {title: "Templates", render};
})();
