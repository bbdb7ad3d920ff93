  // Part 2: text analysis (Analyzer.swift) and folding (UnicodeFolding.swift).
  // ---- Text analysis: as Analyzer.swift.
  const LETTERISH = /[\p{Alphabetic}\p{N}\p{M}]/u, ALPHA = /\p{Alphabetic}/u;
  const charCache = new Map();
  function wordLength(text, i) {
    const c = text.charCodeAt(i);
    if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) ? 1 : 0;
    const cp = text.codePointAt(i), ch = String.fromCodePoint(cp);
    let yes = charCache.get(ch);
    if (yes === undefined) { yes = LETTERISH.test(ch); charCache.set(ch, yes); }
    return yes ? ch.length : 0;
  }
  function utf8Length(s) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) n += 1; else if (c < 0x800) n += 2; else if (c >= 0xD800 && c < 0xDC00) { n += 4; i++; } else n += 3;
    }
    return n;
  }
  // ---- Case and diacritic folding by the engine's own tables (UnicodeFolding.swift, from
  // scripts/gen_unicode_tables.py), which the export writes as `unicode0`; the engine loads them before it
  // analyses any text that is not ASCII (Engine.unicode), so an ASCII-only search never fetches them.
  let UNI = null;
  const ASCII = /^[\x00-\x7f]*$/;
  // A word character that is not ASCII: text without one never needs the tables (punctuation such as ¶ or — is
  // not part of any word).
  const FOLDABLE = /(?![\x00-\x7f])[\p{Alphabetic}\p{N}\p{M}]/u;
  function parseTable(source) {
    const table = new Map();
    for (const entry of source.split(';')) {
      const colon = entry.indexOf(':');
      if (colon > 0) table.set(parseInt(entry.slice(0, colon), 16), entry.slice(colon + 1).split(' ').map(h => parseInt(h, 16)));
    }
    return table;
  }
  function useTables(t) {
    if (UNI) return;
    const compose = new Map();
    for (const [key, value] of parseTable(t.compose)) compose.set(key, value[0]);
    const marks = t.marks.split(';').filter(Boolean).map(r => r.split('-').map(h => parseInt(h, 16)));
    UNI = { lower: parseTable(t.lower), fold: parseTable(t.fold), compose, marks };
  }
  function tables() {
    if (!UNI) throw new Error('the folding tables are not loaded');
    return UNI;
  }
  function isMark(c) {
    const marks = UNI.marks;
    let low = 0, high = marks.length;
    while (low < high) { const mid = (low + high) >> 1; if (marks[mid][1] < c) low = mid + 1; else high = mid; }
    return low < marks.length && marks[low][0] <= c && c <= marks[low][1];
  }
  // Compose, compatibility-normalise and lower-case (UnicodeFolding.normalize).
  function normalize(word) {
    if (ASCII.test(word)) return word.toLowerCase();
    const T = tables(), composed = [];
    for (const ch of word) {
      const c = ch.codePointAt(0), n = composed.length;
      const joined = n && composed[n - 1] <= 0xFFFF && c <= 0xFFFF ? T.compose.get(composed[n - 1] * 65536 + c) : undefined;
      if (joined !== undefined) composed[n - 1] = joined; else composed.push(c);
    }
    const out = [];
    for (const c of composed) {
      if (c >= 65 && c <= 90) out.push(c + 32);
      else if (c < 128) out.push(c);
      else { const mapped = T.lower.get(c); if (mapped) out.push(...mapped); else out.push(c); }
    }
    return String.fromCodePoint(...out);
  }
  // Drop diacritics; combining marks vanish (UnicodeFolding.removeDiacritics).
  function fold(s) {
    if (ASCII.test(s)) return s;
    const T = tables(), out = [];
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if (c < 128) { out.push(c); continue; }
      const mapped = T.fold.get(c);
      if (mapped) out.push(...mapped); else if (!isMark(c)) out.push(c);
    }
    return String.fromCodePoint(...out);
  }

  class Analyzer {
    constructor(language) { this.language = language; this.stem = STEMMERS[language] || (w => w); this.cache = new Map(); }
    term(word) {
      let t = this.cache.get(word);
      if (t !== undefined) return t;
      if (/^[\x00-\x7f]*$/.test(word)) {
        const lower = word.toLowerCase();
        t = /[a-z]/.test(lower) ? this.stem(lower) : lower;
      } else {
        // U+2019 is an apostrophe here, as in Analyzer.term.
        const n = normalize(word.replace(/\u2019/g, "'"));
        let letter = false;
        for (const ch of n) { const c = ch.codePointAt(0); if ((c >= 97 && c <= 122) || (c >= 128 && ALPHA.test(ch))) { letter = true; break; } }
        t = fold(letter ? this.stem(n) : n);
      }
      t = t.replace(/'/g, '');
      this.cache.set(word, t);
      return t;
    }
    literal(word) { return fold(normalize(word)); }
    // Tokens: emit(term, position, start, end) for each, offsets in UTF-16 units; without `emit`, a list of
    // {term, position, start, end}. Compounds are runs of word characters joined by single ' ’ . _ -, in parts
    // split at . _ - (as WordScanner in Analyzer.swift).
    tokens(text, emit, firstPosition = 0) {
      const list = [], parts = [], n = text.length;
      emit = emit || ((term, position, start, end) => list.push({ term, position, start, end }));
      const termOf = (a, b) => { const w = text.slice(a, b); return b - a <= 21 || utf8Length(w) <= 64 ? this.term(w) : ''; };
      let i = 0, position = firstPosition;
      while (i < n) {
        while (i < n && !wordLength(text, i)) i++;
        if (i >= n) break;
        const start = i;
        let partStart = i, identifier = false, hyphen = false;
        parts.length = 0;
        while (i < n) {
          const l = wordLength(text, i);
          if (l) { i += l; continue; }
          const c = text.charCodeAt(i);
          const joiner = c === 39 || c === 46 || c === 95 || c === 45 || c === 0x2019;
          if (!joiner || i + 1 >= n || !wordLength(text, i + 1)) break;
          if (c !== 39 && c !== 0x2019) { parts.push(partStart, i); partStart = i + 1; if (c === 45) hyphen = true; else identifier = true; }
          i++;
        }
        if (!parts.length) {
          const t = termOf(start, i);
          if (t) emit(t, position, start, i);
          position++;
          continue;
        }
        parts.push(partStart, i);
        const terms = [];
        for (let k = 0; k < parts.length; k += 2) terms.push(termOf(parts[k], parts[k + 1]));
        const whole = text.slice(start, i);
        let digits = true;
        for (let k = 0; k < parts.length && digits; k += 2) digits = /^[0-9]+$/.test(text.slice(parts[k], parts[k + 1]));
        if (identifier || digits) {
          if (utf8Length(whole) <= 64) emit(this.literal(whole), position, start, i);
        } else if (hyphen) {
          let joined = '';
          for (let k = 0; k < parts.length; k += 2) joined += text.slice(parts[k], parts[k + 1]);
          if (utf8Length(joined) <= 64) emit(this.term(joined), position, start, i);
        }
        for (let k = 0; k < terms.length; k++) if (terms[k]) emit(terms[k], position + k, parts[2 * k], parts[2 * k + 1]);
        position += terms.length;
      }
      return list;
    }
  }
