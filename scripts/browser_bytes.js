#!/usr/bin/env node
// Bytes benchmark for the browser search: what a browser transfers, gzip-compressed as a web server sends it,
// and in how many sequential round trips, for the first query of a visit (nothing cached: the script, the
// metadata, the shards the query needs, the top 10 results' document files) and for each further query of a
// visit that runs through the query file in order (only files not loaded yet). Also the size of the whole export.
//
//   node scripts/browser_bytes.js SEARCH_DIR QUERIES.txt [SCRIPT]
//
// SEARCH_DIR is a site's search/ folder (or a `baton-bench --export` folder); SCRIPT defaults to the theme's
// site/assets/search.js (a published site carries a copy named search.HASH.js).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const [dir, queriesPath, scriptArg] = process.argv.slice(2);
const scriptPath = scriptArg || path.join(__dirname, '..', 'site', 'assets', 'search.js');
const gz = file => zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length;
const sizes = new Map();
const size = file => { if (!sizes.has(file)) sizes.set(file, gz(path.join(dir, file))); return sizes.get(file); };
const queries = fs.readFileSync(queriesPath, 'utf8').split('\n').filter(Boolean);
require(scriptPath);
const B = globalThis.BatonSearch;
const source = fs.readFileSync(path.join(dir, 'meta.js'), 'utf8');
const meta = JSON.parse(source.slice(source.indexOf(',') + 1, source.lastIndexOf(']')));
const scriptBytes = zlib.gzipSync(fs.readFileSync(scriptPath), { level: 6 }).length;

// A visit: every call of the loader that asks for a file not loaded yet is one round trip.
function visit() {
  const loaded = new Map();
  const state = { bytes: 0, rounds: 0, files: 0 };
  const load = async entries => {
    const fresh = entries.filter(([name]) => !loaded.has(name));
    if (fresh.length) { state.rounds++; state.files += fresh.length; }
    for (const [name, file] of fresh) {
      state.bytes += size(file);
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      loaded.set(name, JSON.parse(text.slice(text.indexOf(',') + 1, text.lastIndexOf(']'))));
    }
    const out = {};
    for (const [name] of entries) out[name] = loaded.get(name);
    return out;
  };
  return { engine: new B.Engine(meta, load), state };
}
const median = a => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor((s.length - 1) / 2)] : 0; };
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0; };
const kb = n => (n / 1024).toFixed(1) + ' KB';

(async () => {
  const metaBytes = size('meta.js');
  const first = [], rounds = [], times = [];
  for (const q of queries) {
    const { engine, state } = visit();
    const started = process.hrtime.bigint();
    try { await engine.search(q); } catch (e) { continue; }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    first.push(scriptBytes + metaBytes + state.bytes);
    rounds.push(1 + state.rounds); // the script and the metadata load in parallel, then the rounds
  }
  const session = visit(), further = [], furtherRounds = [];
  for (const q of queries) {
    const before = session.state.bytes, r = session.state.rounds;
    try { await session.engine.search(q); } catch (e) { continue; }
    further.push(session.state.bytes - before);
    furtherRounds.push(session.state.rounds - r);
  }
  let total = 0, totalGz = 0, files = 0, docsGz = 0;
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.js')) continue;
    const raw = fs.statSync(path.join(dir, f)).size, g = f.startsWith('search.') ? zlib.gzipSync(fs.readFileSync(path.join(dir, f))).length : size(f);
    total += raw; totalGz += g; files++;
    if (/^[dc][0-9]/.test(f)) docsGz += g;
  }
  const n = meta.n;
  console.log(JSON.stringify({
    documents: n, queries: first.length,
    script_gzip: scriptBytes, meta_gzip: metaBytes,
    first_query_median: first.length ? median(first) : 0, first_query_p95: pct(first, 0.95), first_query_max: Math.max(...first),
    first_query_rounds_max: Math.max(...rounds), first_query_rounds_median: median(rounds),
    further_query_median: median(further), further_query_p95: pct(further, 0.95), further_rounds_median: median(furtherRounds),
    export_files: files, export_bytes: total, export_gzip: totalGz, export_gzip_per_page: Math.round(totalGz / n),
    index_gzip_without_documents: totalGz - docsGz, index_gzip_per_page: Math.round((totalGz - docsGz) / n),
    node_search_ms_median: +median(times).toFixed(2),
  }));
  console.error(`first query: median ${kb(median(first))} (p95 ${kb(pct(first, 0.95))}) in at most ${Math.max(...rounds)} round trips; further queries: median ${kb(median(further))}; export ${files} files, ${(totalGz / 1048576).toFixed(2)} MB gzipped (${(total / 1048576).toFixed(1)} MB raw), ${kb(totalGz / n)} a page (index without documents ${kb((totalGz - docsGz) / n)} a page)`);
})().catch(e => { console.error(e); process.exit(2); });
