// The REST API as the dashboard uses it (window.VG.api): the API key (localStorage), JSON requests with
// the Authorization header, uploads with progress, and the tenant's event stream read with fetch (an
// EventSource cannot send the header), reconnecting after a drop.
"use strict";
window.VG = window.VG || {};

VG.api = (() => {
  const kKeyName = "vidgen.apiKey";

  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || `HTTP ${status}`);
      this.status = status;
      this.code = error.code || "";
      this.field = error.field || "";
      this.details = error.details || (error.field ? [{field: error.field, message: error.message}] : []);
    }
  }

  const key = () => localStorage.getItem(kKeyName) || "";
  const setKey = (value) => value ? localStorage.setItem(kKeyName, value) : localStorage.removeItem(kKeyName);
  let onUnauthorized = () => {};

  async function request(method, path, body, options = {}) {
    const headers = {Authorization: `Bearer ${key()}`};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method, headers, signal: options.signal,
      body: body === undefined ? undefined : (typeof body === "string" ? body : JSON.stringify(body)),
    });
    if (response.status === 401 && !options.quiet401) onUnauthorized();
    if (response.status === 204) return null;
    const type = response.headers.get("Content-Type") || "";
    const payload = type.includes("json") ? await response.json() : await response.blob();
    if (!response.ok) throw new ApiError(response.status, payload);
    return payload;
  }

  // POST /api/v1/assets with the file as the body; onProgress(fraction) while it is sent.
  function upload(file, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", `/api/v1/assets?name=${encodeURIComponent(file.name)}`);
      xhr.setRequestHeader("Authorization", `Bearer ${key()}`);
      xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
      xhr.responseType = "json";
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onload = () => xhr.status === 201 ? resolve(xhr.response) : reject(new ApiError(xhr.status, xhr.response));
      xhr.onerror = () => reject(new ApiError(0, {error: {message: "the upload failed (network)"}}));
      xhr.send(file);
    });
  }

  // Splits SSE text into {event, data} and calls handler(event, data) for each complete one.
  function sseParser(handler) {
    let buffer = "";
    return (chunk) => {
      buffer += chunk.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length) handler(event, data.join("\n"));
      }
    };
  }

  // Keeps GET /api/v1/events open; handler(event, parsedData) per event, onState("live"|"reconnecting").
  // "live" comes with a connection's first event, which the server sends once it has subscribed (the
  // headers come before that). Returns a function that stops it.
  function events(handler, onState) {
    let controller = null, stopped = false, delay = 500;
    async function run() {
      while (!stopped) {
        controller = new AbortController();
        try {
          const response = await fetch("/api/v1/events", {
            headers: {Authorization: `Bearer ${key()}`, Accept: "text/event-stream"}, signal: controller.signal,
          });
          if (response.status === 401) return onUnauthorized();
          if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
          let live = false;
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          const feed = sseParser((event, data) => {
            if (!live) {
              live = true;
              delay = 500;
              onState("live");
            }
            handler(event, JSON.parse(data));
          });
          for (;;) {
            const {value, done} = await reader.read();
            if (done) break;
            feed(value);
          }
        } catch (error) {
          if (stopped) return;
        }
        onState("reconnecting");
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10000);
      }
    }
    run();
    return () => { stopped = true; if (controller) controller.abort(); };
  }

  return {
    ApiError, key, setKey, request, upload, events,
    get: (path, options) => request("GET", path, undefined, options),
    post: (path, body, options) => request("POST", path, body === undefined ? {} : body, options),
    del: (path) => request("DELETE", path),
    set onUnauthorized(callback) { onUnauthorized = callback; },
  };
})();
