// New render (#/new, or #/new?template=ID from the templates view): a JSON editor for the body of
// POST /api/v1/video/create, started from an example of examples/ (whose local media files are swapped
// for the tenant's assets of the same name), with the draft kept in this browser. A 422's problems are
// listed with the line of the JSON Pointer they name and marked in the gutter; clicking one selects it.
"use strict";

VG.editor = (() => {
  const {el, replace, toast, panel} = VG.ui;
  const kDraft = "vidgen.draft";
  let examples = null;

  async function loadExamples() {
    if (!examples) examples = await (await fetch("/web/examples.json")).json();
    return examples;
  }

  // {"spec", "data"?} of an example, its "../media/NAME" sources replaced by asset:ID where the tenant has an
  // asset named NAME; returns [text, names still missing].
  async function exampleBody(example) {
    let assets = [];
    try { assets = (await VG.api.get("/api/v1/assets")).assets; } catch (e) { /* shown as missing */ }
    const byName = new Map(assets.map((a) => [a.name, a.id]));
    const missing = new Set();
    const body = example.data ? {spec: example.spec, data: example.data} : {spec: example.spec};
    const text = JSON.stringify(body, (key, value) => {
      if (typeof value !== "string" || !value.startsWith("../media/")) return value;
      const name = value.slice("../media/".length);
      if (byName.has(name)) return `asset:${byName.get(name)}`;
      missing.add(name);
      return value;
    }, 2);
    return [text, [...missing]];
  }

  function render(main, where) {
    const area = el("textarea.code", {id: "spec-editor", spellcheck: "false", autocapitalize: "off",
                                      "aria-describedby": "editor-help", wrap: "off", rows: 28});
    const gutter = el("pre.gutter", {"aria-hidden": "true"});
    const problems = el("ol.problems", {id: "problems", "aria-live": "polite"});
    const note = el("p.note", {role: "status"});
    const picker = el("select", {id: "example"}, el("option", {value: ""}, "Your draft"));
    const submit = el("button.primary", {type: "submit"}, "Render");
    let marked = new Set();

    const paintGutter = () => {
      const lines = area.value.split("\n").length;
      gutter.textContent = Array.from({length: lines}, (_, i) => (marked.has(i + 1) ? "● " : "  ") + (i + 1)).join("\n");
      gutter.scrollTop = area.scrollTop;
    };
    const setText = (text) => { area.value = text; localStorage.setItem(kDraft, text); clear(); paintGutter(); };
    const clear = () => { marked = new Set(); replace(problems); };
    const select = (offset) => {
      const end = area.value.indexOf("\n", offset);
      area.focus();
      area.setSelectionRange(offset, end < 0 ? area.value.length : end);
      const line = VG.pointer.lineOf(area.value, offset);
      area.scrollTop = Math.max(0, (line - 5) * parseFloat(getComputedStyle(area).lineHeight));
    };

    function showProblems(details, offsets) {
      marked = new Set();
      replace(problems, details.map((p) => {
        const offset = offsets ? VG.pointer.offsetOf(offsets, p.field || "") : 0;
        const line = VG.pointer.lineOf(area.value, offset);
        marked.add(line);
        return el("li", {}, el("button.link", {type: "button", onclick: () => select(offset)},
          el("span.line", {}, `line ${line}`), " ", el("code", {}, p.field || "(body)")), " ", p.message);
      }));
      paintGutter();
    }

    async function send(e) {
      e.preventDefault();
      let offsets;
      try { offsets = VG.pointer.locate(area.value); }
      catch (error) {
        return showProblems([{field: "", message: `Not valid JSON: ${error.message}`}], new Map([["", error.offset || 0]]));
      }
      submit.disabled = true;
      try {
        const job = await VG.api.post("/api/v1/video/create", area.value);
        clear();
        toast(`Job ${job.id} queued`);
        location.hash = `#/jobs/${encodeURIComponent(job.id)}`;
      } catch (error) {
        if (error.details.length) showProblems(error.details, offsets);
        else showProblems([{field: error.field, message: error.message}], offsets);
      } finally {
        submit.disabled = false;
      }
    }

    async function saveTemplate() {
      try {
        const body = JSON.parse(area.value);
        const name = prompt("Template name", picker.value || "my template");
        if (!name) return;
        const saved = await VG.api.post("/api/v1/templates", {name, spec: body.spec || body});
        toast(`Template ${saved.id} saved`);
      } catch (error) {
        if (error.details && error.details.length) showProblems(error.details, VG.pointer.locate(area.value));
        else toast(error.message, "error");
      }
    }

    async function pick() {
      const example = (await loadExamples()).find((x) => x.name === picker.value);
      if (!example) return setText(localStorage.getItem(kDraft) || "");
      const [text, missing] = await exampleBody(example);
      setText(text);
      replace(note, missing.length ? ["This example uses local files (", missing.join(", "), "). Upload them under ",
        el("a", {href: "#/assets"}, "Assets"), " and pick the example again: they are swapped for asset:ID."] : "");
    }

    area.addEventListener("input", () => { localStorage.setItem(kDraft, area.value); paintGutter(); });
    area.addEventListener("scroll", () => { gutter.scrollTop = area.scrollTop; });
    area.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) send(e); });
    picker.addEventListener("change", pick);

    const form = el("form.editor", {onsubmit: send, "aria-label": "Render request"},
      el("div.toolbar", {},
        el("label", {for: "example"}, "Start from"), picker,
        el("button", {type: "button", onclick: () => {
          try { setText(JSON.stringify(JSON.parse(area.value), null, 2)); } catch (e) { toast("Not valid JSON", "error"); }
        }}, "Format"),
        el("button", {type: "button", onclick: saveTemplate}, "Save spec as template"),
        submit),
      note,
      el("div.editor-grid", {},
        el("div.code-wrap", {}, el("label.sr-only", {for: "spec-editor"}, "Request body (JSON)"), gutter, area),
        panel("Problems", problems)),
      el("p.muted", {id: "editor-help"}, "The body of POST /api/v1/video/create: ", el("code", {}, "{\"spec\": …}"),
         " or ", el("code", {}, "{\"template\": ID, \"data\": {…}}"), ". Ctrl+Enter renders."));
    replace(main, el("h1", {}, "New render"), form);

    loadExamples().then((list) => {
      for (const x of list) picker.append(el("option", {value: x.name}, `Example: ${x.name}`));
      const template = where.query.get("template");
      if (template) {
        const data = JSON.parse(where.query.get("data") || "{}");
        setText(JSON.stringify({template, data}, null, 2));
      } else if (localStorage.getItem(kDraft)) {
        setText(localStorage.getItem(kDraft));
      } else {
        picker.value = list.some((x) => x.name === "personalised-card") ? "personalised-card" : list[0].name;
        pick();
      }
    }).catch((error) => toast(`Examples unavailable: ${error.message}`, "error"));
    return () => {};
  }

  return {title: "New render", render};
})();
