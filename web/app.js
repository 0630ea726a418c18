// The dashboard's shell (window.VG.app): sign-in with an API key, the hash router (#/jobs, #/jobs/ID,
// #/new, #/templates, #/assets) and the tenant's live event stream, whose job events go to the view on
// screen. A key may also come in the URL fragment (#key=KEY or #/jobs?key=KEY): it is kept and removed
// from the address bar.
"use strict";

VG.app = (() => {
  const {el, replace, toast} = VG.ui;
  const main = () => document.getElementById("main");
  let current = null;        // {view, cleanup}
  let stopEvents = null;

  function route() {
    const hash = location.hash.replace(/^#\/?/, "");
    const [path, queryText] = hash.split("?");
    const query = new URLSearchParams(queryText || "");
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] === "jobs" && parts[1]) return {name: "job", id: parts[1], query};
    const known = ["jobs", "new", "templates", "assets"];
    return {name: known.includes(parts[0]) ? parts[0] : "jobs", query};
  }

  const views = () => ({jobs: VG.jobs, job: VG.job, new: VG.editor, templates: VG.templates, assets: VG.assets});

  function show() {
    if (current && current.cleanup) current.cleanup();
    const where = route();
    const view = views()[where.name];
    for (const link of document.querySelectorAll("#nav a")) {
      const active = link.dataset.view === where.name || (where.name === "job" && link.dataset.view === "jobs");
      if (active) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
    }
    replace(main());
    current = {view, cleanup: view.render(main(), where)};
    document.title = `${view.title} · vidgen`;
  }

  // "status" opens every (re)connection, once the server has subscribed: the view fetches again what the
  // stream may have missed before.
  function onEvent(event, data) {
    const view = current && current.view;
    if (event === "status") {
      if (view && view.resync) view.resync();
    } else if (view && view.onJob) {
      view.onJob(event, data);
    }
  }

  function setLive(state) {
    const live = document.getElementById("live");
    live.textContent = state === "live" ? "Live" : "Reconnecting…";
    live.className = `live is-${state}`;
  }

  function start() {
    document.getElementById("nav").hidden = false;
    document.getElementById("sign-out").hidden = false;
    stopEvents = VG.api.events(onEvent, setLive);
    window.addEventListener("hashchange", show);
    show();
  }

  function signOut(message) {
    if (stopEvents) stopEvents();
    stopEvents = null;
    window.removeEventListener("hashchange", show);
    if (current && current.cleanup) current.cleanup();
    current = null;
    VG.api.setKey("");
    document.getElementById("nav").hidden = true;
    document.getElementById("sign-out").hidden = true;
    document.getElementById("live").textContent = "";
    document.getElementById("live").className = "live";
    signIn(message);
  }

  function signIn(message) {
    const input = el("input", {id: "api-key", type: "password", autocomplete: "off", required: true,
                               spellcheck: "false", placeholder: "vg_…"});
    const error = el("p.error", {id: "sign-in-error", role: "alert"}, message || "");
    const form = el("form.panel.sign-in", {"aria-labelledby": "sign-in-title", onsubmit: async (e) => {
      e.preventDefault();
      VG.api.setKey(input.value.trim());
      try {
        await VG.api.get("/api/v1/status", {quiet401: true});
        start();
      } catch (failure) {
        VG.api.setKey("");
        error.textContent = failure.status === 401 ? "That key is not valid." : failure.message;
        input.focus();
      }
    }},
      el("h1", {id: "sign-in-title"}, "Sign in"),
      el("p.muted", {}, "Paste an API key. ", el("code", {}, "make run"), " prints one and keeps it in ",
         el("code", {}, "data/first-admin-key"), "; the key stays in this browser only."),
      el("label", {for: "api-key"}, "API key"), input, error,
      el("button.primary", {type: "submit"}, "Sign in"));
    replace(main(), form);
    document.title = "Sign in · vidgen";
    input.focus();
  }

  // A key in the fragment (#key=… or #/jobs?key=…) is stored, then dropped from the address.
  function keyFromFragment() {
    const match = /[#?&]key=([^&]+)/.exec(location.hash);
    if (!match) return;
    VG.api.setKey(decodeURIComponent(match[1]));
    const rest = location.hash.replace(/[?&]?key=[^&]+/, "").replace(/^([^?]*)&/, "$1?").replace(/^#$/, "");
    history.replaceState(null, "", location.pathname + (rest.length > 1 ? rest : "#/jobs"));
  }

  function boot() {
    VG.api.onUnauthorized = () => signOut("Your key is no longer valid; sign in again.");
    document.getElementById("sign-out").addEventListener("click", () => signOut());
    keyFromFragment();
    if (VG.api.key()) start(); else signIn();
  }

  document.addEventListener("DOMContentLoaded", boot);
  return {show, toast};
})();
