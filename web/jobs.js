// The jobs view (#/jobs?status=…&cursor=…): the queue's figures, and one page of jobs whose rows follow
// the live event stream (status, progress bar); new jobs appear at the top of the first page.
"use strict";

VG.jobs = (() => {
  const {el, replace, bytes, seconds, time, badge, progress, panel} = VG.ui;
  const kStatuses = ["queued", "rendering", "done", "failed", "canceled"];
  const kPage = 25;

  function statusCards(status) {
    const c = status.counts, w = status.workers, t = status.throughput || {};
    const card = (label, value, extra) =>
      el("div.card", {dataset: {figure: label}}, el("span.label", {}, label), el("strong", {}, String(value)),
         extra ? el("span.muted", {}, extra) : null);
    return [
      ...kStatuses.map((s) => card(s, c[s])),
      card("workers", `${w.busy} / ${w.total}`, `${w.idle} idle`),
      card("throughput", `${(t.jobs_per_minute || 0).toFixed(1)}/min`, `${t.jobs_finished || 0} finished`),
      card("oldest queued", seconds(status.oldest_queued_seconds)),
    ];
  }

  function filterBar(active) {
    const link = (label, status) => el("a.chip", {
      href: status ? `#/jobs?status=${status}` : "#/jobs",
      "aria-current": (status || "") === (active || "") ? "page" : null,
    }, label);
    return el("nav.filters", {"aria-label": "Filter by status"}, link("All", ""),
              ...kStatuses.map((s) => link(s, s)));
  }

  function outputSize(job) {
    return job.outputs && job.outputs.length ? bytes(job.outputs.reduce((sum, o) => sum + o.size, 0)) : "–";
  }

  function row(job) {
    const render = job.timings && job.timings.render_ms !== undefined ? seconds(job.timings.render_ms / 1000) : "–";
    return el("tr", {dataset: {jobId: job.id, status: job.status}},
      el("td", {}, el("a.mono", {href: `#/jobs/${encodeURIComponent(job.id)}`}, job.id)),
      el("td", {title: job.error || null}, badge(job.status)),
      el("td.grow", {}, progress(job)),
      el("td", {}, job.template || el("span.muted", {}, "inline spec")),
      el("td", {}, time(job.created)),
      el("td.num", {}, render),
      el("td.num", {}, outputSize(job)));
  }

  function table(rows) {
    return el("table.jobs", {},
      el("caption.sr-only", {}, "Jobs, newest first"),
      el("thead", {}, el("tr", {}, ...["Job", "Status", "Progress", "Template", "Created", "Render", "Output"]
        .map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", {}, rows));
  }

  function pager(where, nextCursor) {
    const back = where.query.get("back");
    const status = where.query.get("status");
    const base = (cursor, backs) => {
      const q = new URLSearchParams();
      if (status) q.set("status", status);
      if (cursor) q.set("cursor", cursor);
      if (backs) q.set("back", backs);
      return `#/jobs?${q}`;
    };
    const stack = back ? back.split(",") : [];
    const previous = stack.length ? base(stack[stack.length - 1] === "-" ? "" : stack[stack.length - 1],
                                         stack.slice(0, -1).join(",")) : null;
    const next = nextCursor ? base(nextCursor, [...stack, where.query.get("cursor") || "-"].join(",")) : null;
    return el("nav.pager", {"aria-label": "Pages"},
      previous ? el("a.button", {href: previous}, "← Newer") : el("span"),
      next ? el("a.button", {href: next}, "Older →") : el("span"));
  }

  // The jobs first heard of after `mark` that belong on top of the first page above `jobs`.
  function newer(live, mark, jobs, matches) {
    const top = jobs.length ? jobs[0].created : "";
    const listed = new Set(jobs.map((job) => job.id));
    return live.since(mark).filter((job) => !listed.has(job.id) && matches(job) && job.created >= top)
      .sort((a, b) => (a.created < b.created ? 1 : -1));
  }

  function render(main, where) {
    const status = where.query.get("status") || "";
    const figures = el("div.cards", {"aria-live": "off"});
    const list = el("div", {}, el("p.muted", {}, "Loading jobs…"));
    const firstPage = !where.query.get("cursor");
    const matches = (job) => !status || job.status === status;
    const live = VG.live.tracker();
    replace(main, el("h1", {}, "Jobs"), panel("Queue", figures), filterBar(status), list);
    let refreshTimer = null, closed = false, issued = 0, drawn = 0, loading = 0;

    const refreshStatus = async () => {
      try { replace(figures, ...statusCards(await VG.api.get("/api/v1/status"))); } catch (e) { /* next tick */ }
    };
    const draw = (page, mark) => {
      const listed = page.jobs.map((job) => live.fetched(job, mark)).filter(matches);
      const jobs = firstPage ? [...newer(live, mark, listed, matches), ...listed] : listed;
      const body = jobs.length ? table(jobs.map(row))
        : el("p.empty", {}, status ? `No ${status} jobs.` : "No jobs yet. ", el("a", {href: "#/new"}, "Start a render"));
      replace(list, body, pager(where, page.next_cursor));
    };
    // A response older than the one on screen is dropped; the rows drawn are the newest states known.
    const loadPage = async () => {
      const q = new URLSearchParams({limit: kPage});
      if (status) q.set("status", status);
      if (where.query.get("cursor")) q.set("cursor", where.query.get("cursor"));
      const ticket = ++issued, mark = live.mark();
      loading++;
      try {
        const page = await VG.api.get(`/api/v1/jobs?${q}`);
        if (!closed && ticket > drawn) draw(page, mark);
      } catch (error) {
        const message = el("p.error", {role: "alert"}, `Could not load jobs: ${error.message}`);
        if (!closed && ticket > drawn) replace(list, message);
      } finally {
        loading--;
        drawn = Math.max(drawn, ticket);
      }
    };
    refreshStatus();
    loadPage();
    const poll = setInterval(refreshStatus, 5000);
    VG.jobs.current = {
      onJob(event, incoming) {
        if (closed) return;
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(refreshStatus, 300);
        const job = live.event(incoming);
        const existing = list.querySelector(`tr[data-job-id="${CSS.escape(job.id)}"]`);
        if (existing && matches(job)) existing.replaceWith(row(job));
        else if (existing) existing.remove();
        else if (matches(job) && firstPage && event === "queued") {
          const body = list.querySelector("tbody");
          if (body) body.prepend(row(job)); else if (!loading) loadPage();
        }
      },
      // The stream (re)connected: what it missed meanwhile is fetched again.
      resync() {
        if (closed) return;
        refreshStatus();
        loadPage();
      },
    };
    return () => { closed = true; clearInterval(poll); clearTimeout(refreshTimer); };
  }

  return {
    title: "Jobs", render,
    onJob: (event, job) => VG.jobs.current && VG.jobs.current.onJob(event, job),
    resync: () => VG.jobs.current && VG.jobs.current.resync(),
  };
})();
