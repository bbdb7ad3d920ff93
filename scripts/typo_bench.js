#!/usr/bin/env node
// Typo benchmark for the browser search: takes 100 pages of a corpus (chosen with a fixed seed), makes one typing
// error (a letter dropped, two swapped, or one replaced, in turn) in one word of five letters or more of each
// page's title, searches the title so misspelt with the browser script over the exported index, and reports the
// share of pages still in the top 5 (and, for comparison, the share found by the title spelt right).
//
//   node scripts/typo_bench.js CORPUS.jsonl EXPORT_DIR [COUNT] [--queries-out FILE]
//
// With --queries-out, only writes the misspelt queries to FILE (one a line), for the parity check.
'use strict';
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
const out = args.indexOf('--queries-out') >= 0 ? args.splice(args.indexOf('--queries-out'), 2)[1] : null;
const [corpusPath, dir, countText] = args;
const count = +(countText || 100);
require(path.join(__dirname, '..', 'site', 'assets', 'search.js'));
for (const lang of ['de', 'fr']) require(path.join(__dirname, '..', 'site', 'assets', `search-${lang}.js`));
const B = globalThis.BatonSearch;

let seed = 20261123;
const random = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
const boilerplate = new Set(['python', 'documentation', 'postgresql']);
const pages = fs.readFileSync(corpusPath, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l));
const letters = 'abcdefghijklmnopqrstuvwxyz';

function typo(word, kind) {
  const i = 1 + Math.floor(random() * (word.length - 2));
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1);                       // dropped
  if (kind === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swapped
  let c;
  do { c = letters[Math.floor(random() * 26)]; } while (c === word[i]);
  return word.slice(0, i) + c + word.slice(i + 1);                                     // replaced
}

(async () => {
  const cases = [];
  const used = new Set();
  while (cases.length < count && used.size < pages.length) {
    const page = pages[Math.floor(random() * pages.length)];
    if (used.has(page.id)) continue;
    used.add(page.id);
    const words = (page.title.match(/[A-Za-z]{5,}/g) || []).filter(w => !boilerplate.has(w.toLowerCase()) && !/[^\x00-\x7f]/.test(w));
    if (!words.length) continue;
    const word = words[Math.floor(random() * words.length)];
    const kind = cases.length % 3;
    let wrong = typo(word, kind);
    if (wrong.toLowerCase() === word.toLowerCase()) wrong = typo(word, 0);
    // Titles as plain words: the query language's operators taken out.
    const plain = t => t.replace(/[:"()*~]|\bOR\b|(^|\s)-/g, ' ');
    cases.push({ id: page.id, title: plain(page.title), word, wrong, kind, query: plain(page.title.replace(word, wrong)) });
  }
  if (out) {
    fs.writeFileSync(out, cases.map(c => c.query.replace(/\s+/g, ' ').trim()).join('\n') + '\n');
    return;
  }
  const load = B.loader((file, fail, done) => { try { require(path.join(path.resolve(dir), file)); done(); } catch (e) { fail(e); } });
  const engine = new B.Engine((await load([['meta', 'meta.js']])).meta, load);
  let exact = 0, typos = 0, corrected = 0;
  const misses = [];
  for (const c of cases) {
    const rightIds = (await engine.search(c.title, { limit: 5 })).hits.map(h => h.id);
    const wrong = await engine.search(c.query, { limit: 5 });
    const wrongIds = wrong.hits.map(h => h.id);
    if (rightIds.includes(c.id)) exact++;
    if (wrongIds.includes(c.id)) typos++; else misses.push(`${c.word} -> ${c.wrong} (${['dropped', 'swapped', 'replaced'][c.kind]}) in "${c.title}"`);
    if (wrong.notices.some(n => n.kind === 'corrected')) corrected++;
  }
  console.log(`typos: ${typos}/${cases.length} misspelt titles still find their page in the top 5 (${(100 * typos / cases.length).toFixed(1)} %); spelt right: ${exact}/${cases.length}; corrected without asking: ${corrected}`);
  if (process.env.TYPO_VERBOSE === '1') for (const m of misses) console.log('  miss: ' + m);
})().catch(e => { console.error(e); process.exit(2); });
