// JSON Pointers in JSON text (window.VG.pointer): where in the editor's text a field named by the server's
// 422 ("/spec/timeline/tracks/0/clips/1/src") sits, so the problem can be shown next to its line.
"use strict";
window.VG = window.VG || {};

VG.pointer = (() => {
  const escape = (name) => name.replace(/~/g, "~0").replace(/\//g, "~1");

  // Returns a Map from every pointer in `text` to the offset of its member name (or of the value for array
  // items and the root). Throws SyntaxError with the offset on malformed JSON.
  function locate(text) {
    const offsets = new Map();
    let at = 0;
    const fail = (what) => { const e = new SyntaxError(`${what} at offset ${at}`); e.offset = at; throw e; };
    const space = () => { while (at < text.length && " \t\r\n".includes(text[at])) at++; };
    const string = () => {
      const start = at++;
      while (at < text.length && text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
      if (at >= text.length) fail("unterminated string");
      at++;
      return JSON.parse(text.slice(start, at));
    };
    const expect = (ch) => { space(); if (text[at] !== ch) fail(`expected '${ch}'`); at++; };
    function value(pointer) {
      space();
      if (!offsets.has(pointer)) offsets.set(pointer, at);
      const ch = text[at];
      if (ch === "{") return object(pointer);
      if (ch === "[") return array(pointer);
      if (ch === '"') return string();
      const match = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(at, at + 64));
      if (!match) fail("unexpected character");
      at += match[0].length;
    }
    function object(pointer) {
      at++;
      space();
      if (text[at] === "}") return at++;
      for (;;) {
        space();
        if (text[at] !== '"') fail("expected a member name");
        const nameAt = at;
        const child = `${pointer}/${escape(string())}`;
        offsets.set(child, nameAt);
        expect(":");
        value(child);
        space();
        if (text[at] === ",") { at++; continue; }
        return expect("}");
      }
    }
    function array(pointer) {
      at++;
      space();
      if (text[at] === "]") return at++;
      for (let index = 0; ; index++) {
        value(`${pointer}/${index}`);
        space();
        if (text[at] === ",") { at++; continue; }
        return expect("]");
      }
    }
    value("");
    space();
    if (at < text.length) fail("unexpected text after the JSON value");
    return offsets;
  }

  // The offset for `pointer`, or for its nearest ancestor present in the text (a missing member is shown
  // at the object that should hold it).
  function offsetOf(offsets, pointer) {
    let current = pointer;
    for (;;) {
      if (offsets.has(current)) return offsets.get(current);
      if (!current) return 0;
      current = current.slice(0, current.lastIndexOf("/"));
    }
  }

  const lineOf = (text, offset) => text.slice(0, offset).split("\n").length;

  return {locate, offsetOf, lineOf};
})();
