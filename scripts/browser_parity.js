#!/usr/bin/env node
// Runs the browser search script (site/assets/search.js) under Node over an exported index and checks that it
// answers every query as the engine did: the same top-10 ids in the same order, scores within 1e-6, the same
// notice, and the same total, facets and suggestion where the expected answer gives them.
//
//   node scripts/browser_parity.js EXPORT_DIR [EXPECTED.json]
//
// EXPECTED.json (default EXPORT_DIR/expected.json) is {"meta": "meta.js", "answers": [{"query", "hits":
// [{"id", "score"}], "notice", "total"?, "facets"?, "suggestion"?}]}, as `baton-bench --export` and the Swift
// parity tests write it.
'use strict';
const path = require('path');
const fs = require('fs');
const dir = path.resolve(process.argv[2] || '.');
const expected = JSON.parse(fs.readFileSync(process.argv[3] || path.join(dir, 'expected.json'), 'utf8'));
require(path.join(__dirname, '..', 'site', 'assets', 'search.js'));
for (const lang of ['de', 'fr']) require(path.join(__dirname, '..', 'site', 'assets', `search-${lang}.js`));
const B = globalThis.BatonSearch;
let loads = 0;
const load = B.loader((file, fail, done) => {
  loads++;
  try { require(path.join(dir, file)); done(); } catch (e) { fail(e); }
});

(async () => {
  const meta = (await load([['meta', expected.meta]])).meta;
  const engine = new B.Engine(meta, load);
  let failures = 0, compared = 0, snippetsSame = 0, snippetsCompared = 0;
  for (const answer of expected.answers) {
    if (answer.error) continue;
    let got;
    try {
      got = await engine.search(answer.query, answer.options || {});
    } catch (e) {
      console.log(`FAIL ${JSON.stringify(answer.query)}: ${e.message}`);
      failures++;
      continue;
    }
    compared++;
    const want = answer.hits;
    const problems = [];
    if (got.hits.length !== want.length) problems.push(`${got.hits.length} hits, expected ${want.length}`);
    for (let i = 0; i < Math.min(got.hits.length, want.length); i++) {
      if (got.hits[i].id !== want[i].id) { problems.push(`#${i + 1} is ${got.hits[i].id}, expected ${want[i].id}`); break; }
      if (Math.abs(got.hits[i].score - want[i].score) > 1e-6) problems.push(`#${i + 1} ${want[i].id} scores ${got.hits[i].score}, expected ${want[i].score}`);
      if (want[i].snippet !== undefined) {
        snippetsCompared++;
        if (got.hits[i].snippet === want[i].snippet && (got.hits[i].anchor || null) === (want[i].anchor || null)) snippetsSame++;
        else if (process.env.PARITY_VERBOSE) console.log(`snippet differs for ${want[i].id} on ${JSON.stringify(answer.query)}:\n  got  ${got.hits[i].snippet} #${got.hits[i].anchor}\n  want ${want[i].snippet} #${want[i].anchor}`);
      }
    }
    const notice = B.noticeText(got.notices);
    if ((answer.notice || null) !== notice) problems.push(`notice ${JSON.stringify(notice)}, expected ${JSON.stringify(answer.notice)}`);
    const notices = list => JSON.stringify(list.map(n => [n.kind, n.words]));
    if (answer.notices !== undefined && notices(answer.notices) !== notices(got.notices)) problems.push(`notices ${notices(got.notices)}, expected ${notices(answer.notices)}`);
    // Totals, facets and suggestions when the expected answer has them (the randomised test writes them all).
    if (answer.total !== undefined && answer.total !== -1 && answer.total !== got.total) problems.push(`total ${got.total}, expected ${answer.total}`);
    if (answer.suggestion !== undefined && (answer.suggestion || null) !== (got.suggestion || null)) problems.push(`suggestion ${JSON.stringify(got.suggestion)}, expected ${JSON.stringify(answer.suggestion)}`);
    if (answer.facets !== undefined) {
      const canon = f => JSON.stringify(Object.keys(f || {}).sort().map(k => [k, f[k].map(v => [v.value, v.count])]));
      if (canon(answer.facets) !== canon(got.facets)) problems.push(`facets ${canon(got.facets)}, expected ${canon(answer.facets)}`);
    }
    if (problems.length) {
      failures++;
      console.log(`FAIL ${JSON.stringify(answer.query)}: ${problems.join('; ')}`);
    }
  }
  console.log(`parity: ${compared - failures}/${compared} queries identical (top ${want10()} ids, order, scores within 1e-6); snippets identical ${snippetsSame}/${snippetsCompared}; ${loads} files loaded`);
  process.exit(failures ? 1 : 0);
})().catch(e => { console.error(e); process.exit(2); });
function want10() { return 10; }
