  // Part 3: the English Snowball stemmer (EnglishStemmer.swift); German and French are search-de.js and search-fr.js.
  // ---- Snowball stemmers, as EnglishStemmer.swift, GermanStemmer.swift and FrenchStemmer.swift.
  const has = (set, c) => c !== undefined && set.includes(c);
  const ends = (w, s) => w.endsWith(s);
  const longest = (w, list, from = 0) => list.find(s => s.length <= w.length - from && w.endsWith(s));
  const byLength = a => a.sort((x, y) => y.length - x.length);
  function region(w, from, vowel) {
    let i = from;
    while (i < w.length && !vowel(w[i])) i++;
    while (i < w.length && vowel(w[i])) i++;
    return i < w.length ? i + 1 : w.length;
  }

  const EN_V = 'aeiouy', enVowel = c => has(EN_V, c);
  const EN_EXC = Object.assign(Object.create(null), { skis: 'ski', skies: 'sky', idly: 'idl', gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes' });
  const EN_PRE = byLength(['gener', 'commun', 'arsen', 'past', 'univers', 'later', 'emerg', 'organ', 'inter']);
  const EN_1A = byLength(['sses', 'ied', 'ies', 'us', 'ss', 's']);
  const EN_1B = byLength(['eedly', 'eed', 'ingly', 'edly', 'ing', 'ed']);
  const EN_2 = [['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'], ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'], ['ation', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'], ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'], ['bli', 'ble'], ['ogist', 'og'], ['ogi', 'og'], ['li', '']].sort((x, y) => y[0].length - x[0].length);
  const EN_3 = [['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ative', ''], ['ical', 'ic'], ['ness', ''], ['ful', '']].sort((x, y) => y[0].length - x[0].length);
  const EN_4 = byLength(['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion']);
  function enShort(w, end) {
    if (end >= 4 && w.slice(end - 4, end) === 'past') return true;
    if (end === 2) return enVowel(w[0]) && !enVowel(w[1]);
    if (end < 3) return false;
    const last = w[end - 1];
    return !enVowel(w[end - 3]) && enVowel(w[end - 2]) && !enVowel(last) && last !== 'w' && last !== 'x' && last !== 'Y';
  }
  function english(word) {
    if ([...word].length <= 2) return word;
    if (EN_EXC[word]) return EN_EXC[word];
    let w = word;
    if (w[0] === "'") w = w.slice(1);
    if (w[0] === 'y') w = 'Y' + w.slice(1);
    for (let i = 1; i < w.length; i++) if (w[i] === 'y' && enVowel(w[i - 1])) w = w.slice(0, i) + 'Y' + w.slice(i + 1);
    const pre = EN_PRE.find(p => w.startsWith(p));
    const r1 = pre ? pre.length : region(w, 0, enVowel), r2 = region(w, r1, enVowel);
    // Step 0 and 1a.
    const s0 = ["'s'", "'s", "'"].find(s => w.endsWith(s));
    if (s0) w = w.slice(0, -s0.length);
    const s1 = EN_1A.find(s => w.endsWith(s));
    if (s1 === 'sses') w = w.slice(0, -2);
    else if (s1 === 'ied' || s1 === 'ies') w = w.slice(0, -3) + (w.length > 4 ? 'i' : 'ie');
    else if (s1 === 's') { const before = w.length - 1; if (before >= 2 && [...w.slice(0, before - 1)].some(enVowel)) w = w.slice(0, -1); }
    // Step 1b.
    const b = EN_1B.find(s => w.endsWith(s));
    step1b: if (b) {
      const start = w.length - b.length, before = w.slice(0, start);
      if (b === 'eed' || b === 'eedly') {
        if (!['succ', 'proc', 'exc'].includes(before) && start >= r1) w = before + 'ee';
        break step1b;
      }
      if (b === 'ing') {
        if (start === 2 && w[1] === 'y' && !enVowel(w[0])) { w = w.slice(0, -4) + 'ie'; break step1b; }
        if (['even', 'cann', 'inn', 'earr', 'herr', 'out'].includes(before)) break step1b;
      }
      if (![...before].some(enVowel)) break step1b;
      w = before;
      const last = w[w.length - 1];
      if (ends(w, 'at') || ends(w, 'bl') || ends(w, 'iz')) w += 'e';
      else if (w.length >= 2 && has('bdfgmnprt', last) && w[w.length - 2] === last) {
        if (!(w.length === 3 && has('aeo', w[0]))) w = w.slice(0, -1);
      } else if (r1 === w.length && enShort(w, w.length)) w += 'e';
    }
    // Step 1c.
    if (w.length > 2 && (w.endsWith('y') || w.endsWith('Y')) && !enVowel(w[w.length - 2])) w = w.slice(0, -1) + 'i';
    // Steps 2 and 3.
    const r = EN_2.find(x => w.endsWith(x[0]));
    if (r) {
      const start = w.length - r[0].length;
      if (start >= r1 && !(r[0] === 'ogi' && !(start > 0 && w[start - 1] === 'l')) && !(r[0] === 'li' && !(start > 0 && has('cdeghkmnrt', w[start - 1])))) w = w.slice(0, start) + r[1];
    }
    const q = EN_3.find(x => w.endsWith(x[0]));
    if (q) {
      const start = w.length - q[0].length;
      if (start >= r1 && !(q[0] === 'ative' && start < r2)) w = w.slice(0, start) + q[1];
    }
    // Step 4.
    const s4 = EN_4.find(s => w.endsWith(s));
    if (s4) {
      const start = w.length - s4.length;
      if (start >= r2 && !(s4 === 'ion' && !(start > 0 && (w[start - 1] === 's' || w[start - 1] === 't')))) w = w.slice(0, start);
    }
    // Step 5.
    const start = w.length - 1, last = w[start];
    if (last === 'e') { if (start >= r2 || (start >= r1 && !enShort(w, start))) w = w.slice(0, -1); }
    else if (last === 'l' && start >= r2 && start > 0 && w[start - 1] === 'l') w = w.slice(0, -1);
    return w.replace(/Y/g, 'y');
  }

  // German and French come in their own files (search-de.js, search-fr.js), loaded when the index needs them.
  const STEMMERS = { en: english };
  const SNOWBALL = { has, longest, byLength, region };
