// Assets (#/assets): upload by drag and drop or a file picker, one progress bar per file, and the tenant's
// assets with their asset:ID (to use in specs), a thumbnail for images, and delete.
"use strict";

VG.assets = (() => {
  const {el, replace, bytes, time, panel, toast, copy} = VG.ui;

  function item(asset, reload) {
    const image = (asset.content_type || "").startsWith("image/");
    const remove = async () => {
      if (!confirm(`Delete the asset ${asset.name}?`)) return;
      try { await VG.api.del(`/api/v1/assets/${encodeURIComponent(asset.id)}`); reload(); }
      catch (error) { toast(error.message, "error"); }
    };
    return el("tr", {dataset: {assetId: asset.id}},
      el("td.thumb", {}, image ? el("img", {src: asset.url, alt: "", loading: "lazy"}) : el("span.muted", {}, asset.content_type)),
      el("td", {}, el("a", {href: asset.url}, asset.name)),
      el("td", {}, el("code", {}, `asset:${asset.id}`), " ", copy(`asset:${asset.id}`)),
      el("td.num", {}, bytes(asset.size)),
      el("td", {}, time(asset.created)),
      el("td", {}, el("button.ghost.small", {type: "button", onclick: remove, "aria-label": `Delete ${asset.name}`}, "Delete")));
  }

  function uploadAll(files, queue, reload) {
    for (const file of files) {
      const bar = el("progress", {max: 1, value: 0, "aria-label": `Upload of ${file.name}`});
      const state = el("span.muted", {}, "uploading…");
      const line = el("li", {}, el("strong", {}, file.name), ` (${bytes(file.size)}) `, bar, " ", state);
      queue.prepend(line);
      VG.api.upload(file, (fraction) => { bar.value = fraction; }).then((asset) => {
        bar.value = 1;
        replace(state, "stored as ", el("code", {}, `asset:${asset.id}`));
        reload();
      }).catch((error) => {
        line.classList.add("failed");
        replace(state, el("span.error", {role: "alert"}, error.message));
      });
    }
  }

  function render(main) {
    const rows = el("tbody");
    const queue = el("ul.uploads", {"aria-label": "Uploads"});
    const picker = el("input.sr-only", {id: "asset-file", type: "file", multiple: true});
    const reload = async () => {
      try {
        const {assets} = await VG.api.get("/api/v1/assets");
        replace(rows, assets.length ? assets.map((a) => item(a, reload))
          : el("tr", {}, el("td.muted", {colspan: 6}, "No assets yet.")));
      } catch (error) { toast(error.message, "error"); }
    };
    const zone = el("div.dropzone", {},
      el("p", {}, "Drop images, video, audio or fonts here, or "),
      el("label.button", {for: "asset-file", tabindex: 0,
        onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); picker.click(); } }},
        "choose files"), picker);
    picker.addEventListener("change", () => { uploadAll(picker.files, queue, reload); picker.value = ""; });
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    // A file dropped beside the zone must not replace the page with the file.
    const ignore = (e) => e.preventDefault();
    window.addEventListener("dragover", ignore);
    window.addEventListener("drop", ignore);
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      uploadAll(e.dataTransfer.files, queue, reload);
    });
    replace(main, el("h1", {}, "Assets"), panel("Upload", zone, queue),
      panel("Your assets", el("table.assets", {},
        el("thead", {}, el("tr", {}, ...["", "Name", "Use in specs", "Size", "Uploaded", ""].map((h) => el("th", {scope: "col"}, h)))),
        rows)));
    reload();
    return () => { window.removeEventListener("dragover", ignore); window.removeEventListener("drop", ignore); };
  }

  return {title: "Assets", render};
})();
