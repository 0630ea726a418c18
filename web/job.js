// One job (#/jobs/ID): status and progress following the live stream, times, the error text, the outputs
// (video played in place, images shown, with size, duration and a download link) and a cancel button.
"use strict";

VG.job = (() => {
  const {el, replace, bytes, seconds, time, badge, progress, panel, toast, copy} = VG.ui;
  const kVideo = ["mp4", "webm", "mov", "mkv"];
  const kImage = ["gif", "png", "jpg", "jpeg", "webp"];

  function outputView(output, poster) {
    const format = (output.format || "").toLowerCase();
    let media;
    if (kVideo.includes(format)) {
      // "#t=0.1": the browser shows that frame until play when there is no poster
      media = el("video", {controls: true, preload: "metadata", playsinline: true, src: `${output.url}#t=0.1`,
                           poster: poster ? poster.url : null, "aria-label": `Output (${format})`});
    } else if (kImage.includes(format)) {
      media = el("img", {src: output.url, alt: `Output (${format})`, loading: "lazy"});
    }
    return el("figure.output", {},
      media,
      el("figcaption", {},
        el("span.badge", {}, format || "file"), " ",
        bytes(output.size), output.duration ? ` · ${seconds(output.duration)}` : "", " · ",
        el("a", {href: output.url, download: ""}, "Download"), " ", copy(output.url, "Copy URL")));
  }

  function outputsView(job) {
    if (!job.outputs || !job.outputs.length) {
      return el("p.muted", {}, job.status === "done" ? "No outputs." : "Outputs appear here when the job is done.");
    }
    const poster = job.outputs.find((o) => ["png", "jpg", "jpeg", "webp"].includes((o.format || "").toLowerCase()));
    const main = job.outputs.filter((o) => o !== poster || job.outputs.length === 1);
    return el("div.outputs", {}, main.map((o) => outputView(o, poster)),
              poster && main.length < job.outputs.length ? outputView(poster) : null);
  }

  function facts(job) {
    const row = (label, value) => [el("dt", {}, label), el("dd", {}, value)];
    const t = job.timings || {};
    return el("dl.facts", {},
      row("Status", badge(job.status)),
      row("Progress", progress(job)),
      row("Template", job.template ? `${job.template} v${job.template_version}` : "inline spec"),
      job.batch ? row("Batch", job.batch) : null,
      row("Priority", String(job.priority)),
      row("Attempts", String(job.attempts)),
      row("Created", time(job.created)),
      job.started ? row("Started", time(job.started)) : null,
      job.finished ? row("Finished", time(job.finished)) : null,
      t.queued_ms !== undefined ? row("Waited", seconds(t.queued_ms / 1000)) : null,
      t.render_ms !== undefined ? row("Rendered in", seconds(t.render_ms / 1000)) : null);
  }

  function render(main, where) {
    const id = where.id;
    const summary = el("div", {}, el("p.muted", {}, "Loading…"));
    const outputs = el("div");  // replaced only when the outputs change, so a playing video keeps playing
    replace(main, el("p.crumbs", {}, el("a", {href: "#/jobs"}, "← Jobs")), el("h1.mono", {}, id), summary, outputs);
    const live = VG.live.tracker();
    let shownOutputs = null, closed = false;

    const cancel = async (button) => {
      button.disabled = true;
      const mark = live.mark();
      try {
        show(live.fetched(await VG.api.post(`/api/v1/jobs/${encodeURIComponent(id)}/cancel`), mark));
        toast("Job canceled");
      } catch (error) {
        toast(`Cancel failed: ${error.message}`, "error");
        button.disabled = false;
      }
    };
    function show(job) {
      if (closed) return;
      const active = job.status === "queued" || job.status === "rendering";
      const actions = el("div.actions", {},
        active ? el("button.danger", {type: "button", onclick: (e) => cancel(e.currentTarget)}, "Cancel job") : null,
        copy(id, "Copy id"));
      const error = job.error ? el("div.error-box", {role: "alert"}, el("strong", {}, "Error: "), job.error) : null;
      replace(summary, el("div.detail", {dataset: {status: job.status}}, panel("Job", facts(job), actions), error));
      const signature = JSON.stringify(job.outputs || []);
      if (signature !== shownOutputs) replace(outputs, panel("Outputs", outputsView(job)));
      shownOutputs = signature;
    }
    // A response never draws an older state than an event already shown (see live.js).
    const load = async () => {
      const mark = live.mark();
      try {
        show(live.fetched(await VG.api.get(`/api/v1/jobs/${encodeURIComponent(id)}`), mark));
      } catch (error) {
        if (!closed) replace(summary, el("p.error", {role: "alert"}, error.status === 404 ? "No such job." : error.message));
      }
    };
    load();
    VG.job.current = {onJob: (event, job) => job.id === id && show(live.event(job)), resync: () => closed || load()};
    return () => { closed = true; };
  }

  return {
    title: "Job", render,
    onJob: (event, job) => VG.job.current && VG.job.current.onJob(event, job),
    resync: () => VG.job.current && VG.job.current.resync(),
  };
})();
