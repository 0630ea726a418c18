// The newest known state of each job a view shows (window.VG.live), so that a response fetched before an
// event never draws an older state over it. Stream order decides between two states of the same kind; a
// job just created is older than anything that happens to it, and a finished job stays finished.
"use strict";

VG.live = (() => {
  const kFinal = ["done", "failed", "canceled"];

  // 0: created and untouched since, 2: finished, 1: anything between (leased, rendering, requeued).
  function stage(job) {
    if (kFinal.includes(job.status)) return 2;
    return job.status === "queued" && !job.attempts && !job.started ? 0 : 1;
  }

  // Whether `incoming` replaces `current` (two states of one job); `later`: incoming was learned after
  // current was true on the server.
  function replaces(incoming, current, later) {
    const a = stage(incoming), b = stage(current);
    if (a !== b) return a > b;
    const sameLease = incoming.attempts === current.attempts && incoming.started === current.started;
    if (incoming.status === "rendering" && current.status === "rendering" && sameLease) {
      return incoming.progress >= current.progress;  // progress only grows within one lease
    }
    return later;
  }

  // A view's record: event(job) per stream event; mark() before a fetch, fetched(job, mark) per job of
  // its response; each returns the newest state known of that job. since(mark): jobs first heard of in
  // events after mark.
  function tracker() {
    let clock = 0;
    const known = new Map();  // id → {job, at: clock when learned, first: clock when first heard of}
    const keep = (job, at) => {
      const entry = known.get(job.id);
      if (!entry) known.set(job.id, {job, at, first: at});
      else if (replaces(job, entry.job, entry.at <= at)) Object.assign(entry, {job, at});
      return known.get(job.id).job;
    };
    return {
      event: (job) => keep(job, ++clock),
      mark: () => clock,
      fetched: (job, mark) => keep(job, mark),
      since: (mark) => [...known.values()].filter((entry) => entry.first > mark).map((entry) => entry.job),
    };
  }

  return {tracker};
})();
