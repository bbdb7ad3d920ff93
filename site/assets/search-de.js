// Baton's browser search: the Snowball German stemmer, as GermanStemmer.swift. Registers itself with
// search.js, which hands it the helpers the stemmers share and loads it only for an index in German.
'use strict';
(globalThis.batonSearchData = globalThis.batonSearchData || []).push(['stem-de', ({ has, longest, byLength, region }) => {
  const DE_V = 'aeiouyäöü', deVowel = c => has(DE_V, c);
  const DE_1 = byLength(['em', 'erinnen', 'erin', 'ern', 'er', 'e', 'en', 'es', 's', 'ln', 'lns']);
  const DE_2 = byLength(['en', 'er', 'est', 'st', 'et']);
  const DE_3 = byLength(['end', 'ung', 'ig', 'ik', 'isch', 'lich', 'heit', 'keit']);
  function german(word) {
    let l = [...word];
    for (let i = 1; i < l.length - 1; i++) if ((l[i] === 'u' || l[i] === 'y') && deVowel(l[i - 1]) && deVowel(l[i + 1])) l[i] = l[i] === 'u' ? 'U' : 'Y';
    let w = '';
    for (let i = 0; i < l.length;) {
      const c = l[i], next = l[i + 1];
      if (c === 'ß') { w += 'ss'; i++; } else if (c === 'q' && next === 'u') { w += 'qu'; i += 2; } else if (next === 'e' && (c === 'a' || c === 'o' || c === 'u')) { w += c === 'a' ? 'ä' : c === 'o' ? 'ö' : 'ü'; i += 2; } else { w += c; i++; }
    }
    let r1 = w.length, r2 = w.length;
    if (w.length >= 3) { const p1 = region(w, 0, deVowel); r2 = region(w, p1, deVowel); r1 = Math.max(p1, 3); }
    let s = longest(w, DE_1);
    if (s && w.length - s.length >= r1) {
      const start = w.length - s.length;
      if (s === 'em') { if (!w.slice(0, start).endsWith('syst')) w = w.slice(0, -2); }
      else if (['erinnen', 'erin', 'ern', 'er'].includes(s)) w = w.slice(0, start);
      else if (s === 'e' || s === 'en' || s === 'es') { w = w.slice(0, start); if (w.endsWith('niss')) w = w.slice(0, -1); }
      else if (s === 's') { if (start > 0 && has('bdfghklmnrt', w[start - 1])) w = w.slice(0, -1); }
      else w = w.slice(0, start) + 'l';
    }
    s = longest(w, DE_2);
    if (s && w.length - s.length >= r1) {
      const start = w.length - s.length;
      let ok = true;
      if (s === 'st') ok = start >= 4 && has('bdfghklmnt', w[start - 1]);
      else if (s === 'et') ok = start > 0 && has('dfgklmnrstUzä', w[start - 1]) && !['tick', 'plan', 'geordn', 'intern', 'tr'].some(k => w.slice(0, start).endsWith(k));
      if (ok) w = w.slice(0, start);
    }
    s = longest(w, DE_3);
    if (s && w.length - s.length >= r2) {
      const start = w.length - s.length, afterE = start > 0 && w[start - 1] === 'e';
      if (s === 'end' || s === 'ung') {
        w = w.slice(0, start);
        if (w.endsWith('ig') && w.length - 2 >= r2 && !(w.length >= 3 && w[w.length - 3] === 'e')) w = w.slice(0, -2);
      } else if (s === 'ig' || s === 'ik' || s === 'isch') { if (!afterE) w = w.slice(0, start); }
      else if (s === 'lich' || s === 'heit') {
        w = w.slice(0, start);
        if ((w.endsWith('er') || w.endsWith('en')) && w.length - 2 >= r1) w = w.slice(0, -2);
      } else {
        w = w.slice(0, start);
        if (w.endsWith('lich')) { if (w.length - 4 >= r2) w = w.slice(0, -4); } else if (w.endsWith('ig') && w.length - 2 >= r2) w = w.slice(0, -2);
      }
    }
    return w.replace(/[Uü]/g, 'u').replace(/Y/g, 'y').replace(/ä/g, 'a').replace(/ö/g, 'o');
  }
  return german;
}]);
