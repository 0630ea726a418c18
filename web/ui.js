// DOM building and formatting helpers shared by every view (window.VG.ui). Text is always set with
// textContent, never parsed as HTML.
"use strict";
window.VG = window.VG || {};

VG.ui = (() => {
  // el("button.primary", {type: "submit", onclick: f}, "Save") → <button class="primary" …>Save</button>
  function el(tag, props, ...children) {
    const [name, ...classes] = tag.split(".");
    const node = document.createElement(name);
    if (classes.length) node.className = classes.join(" ");
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key in node && typeof value !== "string") node[key] = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function replace(node, ...children) {
    node.replaceChildren();
    return append(node, children);
  }

  function bytes(size) {
    if (size === undefined || size === null) return "–";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let value = size, unit = 0;
    while (value >= 1000 && unit < units.length - 1) value /= 1000, unit++;
    return `${value.toFixed(unit && value < 10 ? 1 : 0)} ${units[unit]}`;
  }

  function seconds(value) {
    if (value === undefined || value === null) return "–";
    if (value < 60) return `${value.toFixed(value < 10 ? 1 : 0)} s`;
    const minutes = Math.floor(value / 60);
    return `${minutes} min ${Math.round(value - minutes * 60)} s`;
  }

  function ago(iso) {
    if (!iso) return "–";
    const diff = (Date.now() - Date.parse(iso)) / 1000;
    if (diff < 5) return "just now";
    if (diff < 60) return `${Math.floor(diff)} s ago`;
    if (diff < 3600) return `${Math.floor(diff / 60)} min ago`;
    if (diff < 86400) return `${Math.floor(diff / 3600)} h ago`;
    return new Date(iso).toLocaleString();
  }

  function time(iso) {
    return el("time", {datetime: iso, title: iso ? new Date(iso).toLocaleString() : ""}, ago(iso));
  }

  function badge(status) {
    return el(`span.badge.s-${status}`, {}, status);
  }

  function progress(job) {
    const percent = Math.round((job.progress || 0) * 100);
    const value = job.status === "done" ? 100 : percent;
    return el("div.progress", {},
      el("progress", {max: 100, value, "aria-label": `Progress of ${job.id}`}),
      el("span.pct", {}, `${value}%`));
  }

  function toast(message, kind = "info") {
    const node = el(`div.toast.${kind}`, {role: kind === "error" ? "alert" : "status"}, message);
    document.getElementById("toasts").append(node);
    setTimeout(() => node.remove(), 5000);
  }

  function panel(title, ...children) {
    return el("section.panel", {"aria-label": title}, el("h2", {}, title), ...children);
  }

  // A button that copies `text` to the clipboard.
  function copy(text, label = "Copy") {
    return el("button.ghost.small", {
      type: "button", title: `Copy ${text}`,
      onclick: () => {
        if (!navigator.clipboard) return toast(`Copying needs https or localhost: ${text}`, "error");
        navigator.clipboard.writeText(text).then(() => toast(`Copied ${text}`), () => toast("Copy refused", "error"));
      },
    }, label);
  }

  return {el, append, replace, bytes, seconds, ago, time, badge, progress, toast, panel, copy};
})();
