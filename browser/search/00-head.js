// Baton's search in the browser: the engine of `baton search` (analysis, Snowball stemmers, query language,
// BM25, snippets, typo tolerance) over the index `baton build` exports into search/, loaded a few small files at
// a time as scripts that register themselves, so it works over HTTP and from file://. No dependencies, ES2020.
//
// Generated: site/assets/search.js is browser/search/*.js joined in order by scripts/embed_theme.py. Each part
// mirrors the Swift files it names; edit the parts, not the joined file (a test fails while they differ).
// Part 1: the opening, and numbers packed as characters (BrowserExport.swift).
(() => {
  'use strict';
  const G = globalThis;

  // ---- Numbers packed as characters (see BrowserExport.swift: five bits a character, low bits first).
  const DIGIT = new Int8Array(128).fill(-1);
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((c, i) => { DIGIT[c.charCodeAt(0)] = i; });
  function unpack(s) {
    const out = [];
    let v = 0, scale = 1;
    for (let i = 0; i < s.length; i++) {
      const d = DIGIT[s.charCodeAt(i)];
      if (d >= 32) { v += (d - 32) * scale; scale *= 32; } else { out.push(v + d * scale); v = 0; scale = 1; }
    }
    return out;
  }
