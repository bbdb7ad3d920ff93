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
  // Part 4: the query language (QueryParser.swift).
  // ---- Query language: as QueryParser.swift.
  class QueryError extends Error { constructor(message, position) { super(message); this.position = position; } }
  function parseQuery(text, fields, keywordFields, lastWordAsPrefix) {
    const c = [...text], tokens = [];
    const space = ch => /\s/u.test(ch);
    const boundary = ch => space(ch) || '()":*~'.includes(ch);
    for (let i = 0; i < c.length;) {
      const ch = c[i];
      if (space(ch)) i++;
      else if (ch === '(' || ch === ')' || ch === ':' || ch === '*') { tokens.push({ t: ch, at: i }); i++; }
      else if (ch === '"') {
        const start = i++;
        let phrase = '';
        while (i < c.length && c[i] !== '"') phrase += c[i++];
        if (i >= c.length) throw new QueryError('the quotation mark is never closed', start);
        i++;
        tokens.push({ t: 'q', v: phrase, at: start });
      } else if (ch === '-' && i + 1 < c.length && ((!boundary(c[i + 1]) && (!tokens.length || i === 0 || space(c[i - 1]) || c[i - 1] === '(')) || c[i + 1] === '"')) { tokens.push({ t: '-', at: i }); i++; }
      else if (ch === '~') {
        const start = i++;
        let d = 1;
        if (i < c.length && /[0-9]/.test(c[i])) {
          d = +c[i];
          if (d !== 1 && d !== 2) throw new QueryError('fuzzy distance must be 1 or 2', i);
          i++;
        }
        tokens.push({ t: '~', d, at: start });
      } else {
        const start = i;
        let word = '';
        while (i < c.length && !boundary(c[i])) word += c[i++];
        tokens.push(word === 'OR' ? { t: 'OR', at: start } : { t: 'w', v: word, at: start });
      }
    }
    const last = tokens[tokens.length - 1];
    if (lastWordAsPrefix && last && last.t === 'w') tokens.push({ t: '*', at: last.at + [...last.v].length });
    if (!tokens.length) throw new QueryError('the query is empty', 0);
    // The engine's bounds: brackets nest at most 32 deep, a query holds at most 1,000 tokens.
    let depth = 0;
    for (const t of tokens) {
      if (t.t === '(' && ++depth > 32) throw new QueryError('brackets nest more than 32 deep', t.at);
      if (t.t === ')') depth = Math.max(0, depth - 1);
    }
    if (tokens.length > 1000) throw new QueryError('the query has more than 1000 words and signs', 0);
    let k = 0;
    const isEnd = t => t.t === ')' || t.t === 'OR';
    const phrase = (text, field, at) => {
      const words = text.split(/\s+/u).filter(Boolean);
      if (!words.length) throw new QueryError('the phrase is empty', at);
      return words.length === 1 ? { k: 'word', word: words[0], field, prefix: false, fuzzy: 0 } : { k: 'phrase', words, field };
    };
    const suffixes = (word, field) => {
      let prefix = false, fuzzy = 0;
      for (;;) {
        if (k < tokens.length && tokens[k].t === '*') { prefix = true; k++; } else if (k < tokens.length && tokens[k].t === '~') { fuzzy = tokens[k].d; k++; } else break;
      }
      return { k: 'word', word, field, prefix, fuzzy };
    };
    // field:( … ): the field for every word and phrase of the group without one; values for a keyword field.
    const withField = (q, field, keyword, written, at) => {
      switch (q.k) {
        case 'word':
          if (q.field) return q;
          if (!keyword) return { ...q, field };
          if (q.prefix || q.fuzzy) throw new QueryError(`'${written}:' takes values, not prefixes or typing errors`, at);
          return { k: 'filter', field, value: q.word };
        case 'phrase':
          if (q.field) return q;
          return keyword ? { k: 'filter', field, value: q.words.join(' ') } : { ...q, field };
        case 'and': case 'or': return { k: q.k, parts: q.parts.map(p => withField(p, field, keyword, written, at)) };
        case 'not': return { k: 'not', part: withField(q.part, field, keyword, written, at) };
        default: return q;
      }
    };
    const primary = () => {
      const t = tokens[k];
      switch (t.t) {
        case '(': {
          k++;
          if (k >= tokens.length) throw new QueryError("'(' is never closed", t.at);
          const inner = or();
          if (k >= tokens.length || tokens[k].t !== ')') throw new QueryError("'(' is never closed", t.at);
          k++;
          return inner;
        }
        case 'q': k++; return phrase(t.v, null, t.at);
        case 'w': {
          k++;
          if (k < tokens.length && tokens[k].t === ':') {
            const field = t.v.toLowerCase(), colon = tokens[k].at;
            if (!fields.includes(field) && !keywordFields.includes(field)) throw new QueryError(`unknown field '${t.v}'; fields are: ${[...fields, ...keywordFields].sort().join(', ')}`, t.at);
            k++;
            if (k >= tokens.length) throw new QueryError(`'${t.v}:' needs a value after it`, colon);
            const v = tokens[k];
            if (v.t === '(') return withField(primary(), field, keywordFields.includes(field), t.v, colon);
            if (keywordFields.includes(field)) {
              if (v.t !== 'w' && v.t !== 'q') throw new QueryError(`'${t.v}:' needs a value after it`, colon);
              k++;
              return { k: 'filter', field, value: v.v };
            }
            if (v.t === 'q') { k++; return phrase(v.v, field, v.at); }
            if (v.t === 'w') { k++; return suffixes(v.v, field); }
            throw new QueryError(`'${t.v}:' needs a word or a phrase after it`, colon);
          }
          return suffixes(t.v, null);
        }
        case ')': throw new QueryError("')' has no matching '('", t.at);
        case ':': throw new QueryError("':' needs a field name before it", t.at);
        case '*': throw new QueryError("'*' must follow a word", t.at);
        case '~': throw new QueryError("'~' must follow a word", t.at);
        default: throw new QueryError('expected a word', t.at);
      }
    };
    const unary = () => {
      if (tokens[k].t === '-') {
        const at = tokens[k++].at;
        if (k >= tokens.length || isEnd(tokens[k])) throw new QueryError("'-' needs a word after it", at);
        return { k: 'not', part: primary() };
      }
      return primary();
    };
    const and = () => {
      const parts = [];
      while (k < tokens.length && !isEnd(tokens[k])) parts.push(unary());
      if (!parts.length) {
        const at = k < tokens.length ? tokens[k].at : 0;
        if (k < tokens.length && tokens[k].t === 'OR') throw new QueryError("'OR' needs something before it", at);
        throw new QueryError("expected a word, a phrase or '('", at);
      }
      return parts.length === 1 ? parts[0] : { k: 'and', parts };
    };
    const or = () => {
      const parts = [and()];
      while (k < tokens.length && tokens[k].t === 'OR') {
        const at = tokens[k++].at;
        if (k >= tokens.length || isEnd(tokens[k])) throw new QueryError("'OR' needs something after it", at);
        parts.push(and());
      }
      return parts.length === 1 ? parts[0] : { k: 'or', parts };
    };
    const query = or();
    if (k < tokens.length) {
      if (tokens[k].t === ')') throw new QueryError("')' has no matching '('", tokens[k].at);
      throw new QueryError('unexpected text', tokens[k].at);
    }
    const positive = q => q.k === 'not' ? false : q.k === 'and' ? q.parts.some(positive) : q.k === 'or' ? q.parts.every(positive) : true;
    if (!positive(query)) throw new QueryError('a query needs at least one word to find, not only words to exclude', 0);
    return query;
  }
  const isBare = q => (q.k === 'word' && !q.field && !q.prefix && !q.fuzzy) || (q.k === 'and' && q.parts.every(p => p.k === 'word' && !p.field && !p.prefix && !p.fuzzy));
  const bareWords = q => q.k === 'word' ? [q.word] : q.parts.map(p => p.word);
  // An entry of a synonym group as words, and as a query (Searcher.synonymWords).
  const synonymWords = entry => entry.split(/[ \t]+/).filter(w => w.length);
  const synonymQuery = entry => { const ws = synonymWords(entry); return ws.length === 1 ? { k: 'word', word: ws[0] } : { k: 'phrase', words: ws, field: null }; };
  const allWords = q => q.k === 'word' ? [q.word] : q.k === 'phrase' ? q.words : (q.k === 'and' || q.k === 'or') ? q.parts.flatMap(allWords) : [];
  // Part 5: edit distance and typo vocabularies (editDistance and SurfaceVocabulary in SurfaceVocabulary.swift).
  // ---- Edit distance (optimal string alignment) over UTF-8 bytes, as editDistance.
  const encoder = new TextEncoder(), decoder = new TextDecoder();
  function distance(a, b, max) {
    const x = encoder.encode(a), y = encoder.encode(b);
    if (Math.abs(x.length - y.length) > max) return max + 1;
    let prev2 = null, prev = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= y.length; j++) {
        let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        if (prev2 && i >= 2 && j >= 2 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row.push(v);
        if (v < best) best = v;
      }
      if (best > max && Math.min(...prev) >= max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[y.length];
  }
  function bucket(key, count) {
    let h = 2166136261;
    for (let i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
    return h % count;
  }
  // A term the typo search may propose for what was typed: it shares the first two or the last two letters.
  function typoNeighbour(term, typed) {
    const t = [...term], w = [...typed];
    if (t.length < 3) return false;
    return (t[0] === w[0] && t[1] === w[1]) || (t[t.length - 1] === w[w.length - 1] && t[t.length - 2] === w[w.length - 2]);
  }
  const byBytes = (a, b) => a < b ? -1 : a > b ? 1 : 0;
  // Strings in code point order, which is UTF-8 byte order (UTF-16 units order U+E000–U+FFFF after surrogates).
  function byCodePoints(a, b) {
    let i = 0;
    while (i < a.length && i < b.length) {
      const x = a.codePointAt(i), y = b.codePointAt(i);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xFFFF ? 2 : 1;
    }
    return i < a.length ? 1 : i < b.length ? -1 : 0;
  }

  // Part 6: the engine over an exported index: its data, shards and postings (SearchIndex.swift, Segment.swift).
  // ---- The engine over an exported index.
  class Engine {
    constructor(meta, load) {
      if (meta.format !== 2) throw new Error('search index format ' + meta.format + ' is not supported');
      this.meta = meta;
      this.load = load; // (names) => Promise of {name: data}
      this.data = new Map();
      this.analyzers = new Map();
      this.lengths = unpack(meta.lengths);
      this.fieldCount = meta.fields.length;
      this.snippetField = meta.fields.indexOf('body');
      this.stop = new Set(meta.stop);
      this.keys = meta.shards;
      this.keywords = {};
      for (const [field, { values, docs }] of Object.entries(meta.keywords)) {
        const list = unpack(docs), perDoc = [];
        for (let i = 0, d = 0; d < meta.n; d++) { const count = list[i++]; perDoc.push(list.slice(i, i + count).map(v => values[v])); i += count; }
        this.keywords[field] = perDoc;
      }
      this.postings = new Map();
    }
    analyzer(language) {
      let a = this.analyzers.get(language);
      if (!a) { a = new Analyzer(language); this.analyzers.set(language, a); }
      return a;
    }
    get languages() { return this.meta.languages; }
    // The shard that holds `term`: the last whose key is not after it in code point (UTF-8 byte) order.
    shard(term) {
      const keys = this.keys;
      let low = 0, high = keys.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (byCodePoints(keys[mid], term) <= 0) low = mid; else high = mid - 1;
      }
      return low;
    }
    // The file of a data name: its own tag when the metadata lists it as an exception, else its group's.
    file(name) {
      const except = this.meta.except;
      if (except && Object.prototype.hasOwnProperty.call(except, name)) return name + '.' + except[name] + '.js';
      const [, kind, number] = name.match(/^([a-z]+)([0-9]+)/), group = Math.floor(number / this.meta.group);
      return name + '.' + this.meta.hashes[kind].substr(group * 4, 4) + '.js';
    }
    async fetch(names) {
      const missing = [...new Set(names)].filter(n => !this.data.has(n));
      if (missing.length) {
        const got = await this.load(missing.map(n => [n, this.file(n)]));
        for (const n of missing) this.data.set(n, got[n]);
      }
      return names.map(n => this.data.get(n));
    }
    // Postings of a term: [{doc, tfs}] (and positions when loaded), or null when the index has none.
    list(term) {
      if (this.postings.has(term)) return this.postings.get(term);
      const shard = this.data.get('s' + this.shard(term));
      if (!shard) return null;
      const packed = shard && Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
      let list = null;
      if (packed !== null) {
        const v = unpack(packed), F = this.fieldCount;
        list = [];
        let i = 1, doc = -1;
        for (let n = 0; n < v[0]; n++) {
          doc += v[i++] + 1;
          const mask = v[i++], tfs = new Array(F).fill(0);
          for (let f = 0; f < F; f++) if (mask & (1 << f)) tfs[f] = v[i++] + 1;
          // Where in the body the term first occurs.
          list.push({ doc, tfs, first: tfs[this.snippetField] ? v[i++] : -1 });
        }
      }
      this.postings.set(term, list);
      return list;
    }
    positions(term) {
      const list = this.list(term);
      if (!list || list.positioned) return list;
      const where = this.data.get('p' + this.shard(term));
      const v = unpack(where[term]);
      let i = 0;
      for (const p of list) {
        const count = p.tfs.reduce((a, b) => a + b, 0), out = [];
        let last = -1;
        for (let n = 0; n < count; n++) { last += v[i++] + 1; out.push(last); }
        p.positions = out;
      }
      list.positioned = true;
      return list;
    }
    df(term) { const l = this.list(term); return l ? l.length : 0; }
    // A term's posting for a document (its lists are in document order), or null.
    posting(term, doc) {
      const l = this.list(term);
      let lo = 0, hi = l ? l.length - 1 : -1;
      while (lo <= hi) { const mid = (lo + hi) >> 1, d = l[mid].doc; if (d === doc) return l[mid]; if (d < doc) lo = mid + 1; else hi = mid - 1; }
      return null;
    }
    idf(term) { const n = this.meta.n, df = this.df(term); return Math.log(1 + (n - df + 0.5) / (df + 0.5)); }
    mask(field) { const i = field ? this.meta.fields.indexOf(field) : -1; return i >= 0 ? 1 << i : 0xFF; }

    // -- What a query needs loaded: shard and position files, and for prefixes every shard under the prefix.
    needs(query, out) {
      const langs = this.languages;
      const addTerms = (word, positions) => {
        for (const l of langs) for (const t of this.analyzer(l).tokens(word)) {
          out.add('s' + this.shard(t.term));
          if (positions) out.add('p' + this.shard(t.term));
        }
      };
      switch (query.k) {
        case 'word':
          if (query.prefix) {
            const p = this.folded(query.word), bytes = encoder.encode(p);
            for (const i of this.prefixShards(p)) out.add('s' + i);
            for (let cut = Math.max(3, bytes.length - 3); bytes.length > 3 && cut < bytes.length; cut++) out.add('s' + this.shard(decoder.decode(bytes.slice(0, cut))));
          }
          else if (query.fuzzy) { /* loadNear */ }
          else addTerms(query.word, this.analyzer(langs[0]).tokens(query.word).length > 1);
          break;
        case 'phrase': for (const w of query.words) addTerms(w, true); break;
        case 'and': case 'or': for (const p of query.parts) this.needs(p, out); break;
        case 'not': this.needs(query.part, out); break;
      }
      return out;
    }
    folded(word) { return fold(normalize(word)); }
    // The shards that may hold terms beginning with `p`: its own, and those after it whose keys begin with it.
    prefixShards(p) {
      if (!p) return [];
      const out = [this.shard(p)];
      for (let i = out[0] + 1; i < this.keys.length && this.keys[i].startsWith(p); i++) out.push(i);
      return out;
    }
    vocabularies(word, out) {
      for (const l of this.languages) for (const t of this.analyzer(l).tokens(word)) this.vocabularyFiles(t.term, out);
      return out;
    }
    // The typo vocabularies that hold the terms sharing a term's first two or last two letters.
    vocabularyFiles(term, out) {
      const c = [...term];
      if (c.length >= 2) {
        out.add('v' + bucket(c.slice(0, 2).join(''), this.meta.buckets));
        out.add('u' + bucket(c.slice(-2).join(''), this.meta.buckets));
      }
      return out;
    }
    // Words as written within `max` edits of `typed` (folded, not stemmed) that share its first or last two
    // letters, from the typo vocabularies (loaded): [{surface, term, d}] (SurfaceVocabulary.near).
    near(typed, max) {
      const c = [...typed], out = [], seen = new Set();
      if (c.length < 2) return out;
      for (const name of this.vocabularyFiles(typed, new Set())) {
        for (const entry of this.data.get(name) || []) {
          const [surface, term] = typeof entry === 'string' ? [entry, entry] : entry;
          if (seen.has(surface) || !typoNeighbour(surface, typed)) continue;
          seen.add(surface);
          const d = distance(typed, surface, max);
          if (d <= max) out.push({ surface, term, d });
        }
      }
      return out;
    }
  }
  const span = t => t.end - t.start;
  const keyword = v => v.toLowerCase().replace(/^ +| +$/g, '');
  // Part 7: query planning (QueryPlanning.swift): words, compounds, prefixes, typos and fuzzy words into plans.
  Object.assign(Engine.prototype, {
    wordPlan(word, field, boost = 1) {
      const variants = [], seen = new Set();
      for (const l of this.languages) {
        const tokens = this.analyzer(l).tokens(word);
        if (!tokens.length) continue;
        const key = tokens.map(t => t.term + '@' + t.position).join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        variants.push(this.tokensPlan(tokens, field, boost));
      }
      return variants.length === 0 ? { k: 'nothing' } : variants.length === 1 ? variants[0] : { k: 'best', parts: variants };
    },
    tokensPlan(tokens, field, boost) {
      const mask = this.mask(field);
      const term = t => ({ k: 'term', term: t, idf: this.idf(t), boost, mask });
      if (tokens.length === 1) return term(tokens[0].term);
      const first = tokens[0].position, wholes = [], parts = [];
      for (const t of tokens) {
        const same = tokens.filter(o => o.position === t.position);
        if (same.length > 1 && span(t) > Math.min(...same.map(span))) wholes.push(t); else parts.push(t);
      }
      const options = wholes.map(t => term(t.term));
      if (parts.length === 1) options.push(term(parts[0].term));
      else if (parts.length > 1) options.push({ k: 'phrase', terms: parts.map(p => p.term), offsets: parts.map(p => p.position - first), idf: parts.reduce((s, p) => s + this.idf(p.term), 0), boost, mask });
      return options.length === 1 ? options[0] : { k: 'best', parts: options };
    },
    prefixPlan(word, field) {
      const p = this.folded(word);
      if (!p) return { k: 'nothing' };
      let terms = [];
      for (const i of this.prefixShards(p)) for (const t of Object.keys(this.data.get('s' + i) || {})) if (t.startsWith(p)) terms.push(t);
      terms = terms.sort(byBytes).slice(0, this.meta.prefixTerms);
      const bytes = encoder.encode(p), set = new Set(terms);
      if (bytes.length > 3) for (let cut = Math.max(3, bytes.length - 3); cut < bytes.length; cut++) {
        const candidate = decoder.decode(bytes.slice(0, cut));
        if (this.df(candidate) > 0) set.add(candidate);
      }
      const ranked = [...set].sort(byBytes).map(t => [t, this.df(t)]).filter(x => x[1] > 0).sort((a, b) => a[1] !== b[1] ? b[1] - a[1] : byBytes(a[0], b[0])).slice(0, this.meta.prefixVariants);
      const mask = this.mask(field), plans = ranked.map(([t]) => ({ k: 'term', term: t, idf: this.idf(t), boost: 1, mask }));
      return !plans.length ? { k: 'nothing' } : plans.length === 1 ? plans[0] : { k: 'any', parts: plans };
    },
    fuzzyPlan(word, max, field) {
      const found = new Map();
      for (const x of this.near(this.folded(word), max)) if (this.df(x.term) > 0) found.set(x.term, Math.min(found.has(x.term) ? found.get(x.term) : x.d, x.d));
      const mask = this.mask(field);
      const plans = [...found.keys()].sort(byBytes).map(t => ({ k: 'term', term: t, idf: this.idf(t), boost: 1 / (1 + found.get(t)), mask }));
      return !plans.length ? { k: 'nothing' } : plans.length === 1 ? plans[0] : { k: 'any', parts: plans };
    },
    // Typo tolerance without asking (Searcher.typoPlan): the word's parts when some are to be corrected, else null.
    typoParts(word) {
      for (const l of this.languages) { const t = this.analyzer(l).tokens(word); if (t.length === 1 && this.df(t[0].term) > 0) return null; }
      const tokens = this.analyzer(this.languages[0]).tokens(word), parts = [];
      for (const t of tokens) {
        const last = parts[parts.length - 1];
        if (last && last.position === t.position) { if (t.end - t.start < last.end - last.start) parts[parts.length - 1] = t; } else parts.push(t);
      }
      if (!parts.length || tokens.some(t => !parts.includes(t) && this.df(t.term) > 0) || !parts.some(p => this.df(p.term) === 0)) return null;
      return parts;
    },
    // The nearest words to a typed word of five letters or more: their terms, distance, and the one to show.
    nearest(typed) {
      const n = [...typed].length;
      if (n < this.meta.typoMinimumLetters) return null;
      const found = this.near(typed, n >= this.meta.typoTwoEdits ? 2 : 1).filter(x => this.df(x.term) > 0);
      if (!found.length) return null;
      const d = Math.min(...found.map(x => x.d)), words = found.filter(x => x.d === d);
      let shown = words[0];
      for (const w of words) { const a = this.df(w.term), b = this.df(shown.term); if (a > b || (a === b && byBytes(w.surface, shown.surface) < 0)) shown = w; }
      return { d, shown: shown.surface, terms: [...new Set(words.map(w => w.term))].sort(byBytes) };
    },
    typoPlan(word) {
      const parts = this.typoParts(word);
      if (!parts) return null;
      const plans = [];
      let shown = word;
      for (const part of [...parts].reverse()) {
        if (this.df(part.term) > 0) { plans.unshift({ k: 'term', term: part.term, idf: this.idf(part.term), boost: 1, mask: 0xFF }); continue; }
        const n = this.nearest(this.folded(shown.slice(part.start, part.end)));
        if (!n) return null;
        const alternatives = n.terms.map(t => ({ k: 'term', term: t, idf: this.idf(t), boost: 1 / (1 + n.d), mask: 0xFF }));
        plans.unshift(alternatives.length === 1 ? alternatives[0] : { k: 'any', parts: alternatives });
        shown = shown.slice(0, part.start) + n.shown + shown.slice(part.end);
      }
      return { plan: plans.length === 1 ? plans[0] : { k: 'all', required: plans, excluded: [] }, shown };
    },
    plan(q) {
      switch (q.k) {
        case 'word':
          if (q.prefix) return this.prefixPlan(q.word, q.field);
          if (q.fuzzy) return this.fuzzyPlan(q.word, q.fuzzy, q.field);
          return this.wordPlan(q.word, q.field);
        case 'phrase': {
          const a = this.analyzer(this.languages[0]), tokens = [];
          let next = 0;
          for (const w of q.words) {
            const wt = a.tokens(w);
            for (const pos of [...new Set(wt.map(t => t.position))].sort((x, y) => x - y)) {
              const at = wt.filter(t => t.position === pos);
              const part = at.reduce((m, t) => (t.end - t.start < m.end - m.start ? t : m));
              tokens.push({ term: part.term, position: next++ });
            }
          }
          if (!tokens.length) return { k: 'nothing' };
          const mask = this.mask(q.field);
          if (tokens.length === 1) return { k: 'term', term: tokens[0].term, idf: this.idf(tokens[0].term), boost: 1, mask };
          return { k: 'phrase', terms: tokens.map(t => t.term), offsets: tokens.map(t => t.position), idf: tokens.reduce((s, t) => s + this.idf(t.term), 0), boost: 1, mask, proximity: true };
        }
        case 'filter': return { k: 'filter', field: q.field, value: keyword(q.value) };
        case 'and': return { k: 'all', required: q.parts.filter(p => p.k !== 'not').map(p => this.plan(p)), excluded: q.parts.filter(p => p.k === 'not').map(p => this.plan(p.part)) };
        case 'or': return { k: 'any', parts: q.parts.map(p => this.plan(p)) };
        case 'not': return { k: 'all', required: [], excluded: [this.plan(q.part)] };
      }
    },
    terms(plan, set) {
      if (plan.k === 'term') set.add(plan.term);
      else if (plan.k === 'phrase') plan.terms.forEach(t => set.add(t));
      else if (plan.k === 'any' || plan.k === 'best') plan.parts.forEach(p => this.terms(p, set));
      else if (plan.k === 'all') plan.required.forEach(p => this.terms(p, set));
      return set;
    },
    // Terms whose phrases need positions.
    phraseTerms(plan, set) {
      if (plan.k === 'phrase') plan.terms.forEach(t => set.add(t));
      else if (plan.k === 'any' || plan.k === 'best') plan.parts.forEach(p => this.phraseTerms(p, set));
      else if (plan.k === 'all') [...plan.required, ...plan.excluded].forEach(p => this.phraseTerms(p, set));
      return set;
    },

    // The words of a plain query in runs: each longest run that spells an entry of a synonym group is one
    // segment with its group, every other word one alone (Searcher.synonymSegments).
    synonymSegments(words) {
      const groups = this.meta.synonyms || [];
      if (!groups.length) return words.map(w => ({ words: [w], group: null }));
      const key = ws => ws.map(w => this.folded(w)).join(' ');
      const table = new Map();
      let longest = 1;
      groups.forEach((group, index) => {
        for (const entry of group) {
          const ws = synonymWords(entry);
          if (!ws.length) continue;
          longest = Math.max(longest, ws.length);
          const k = key(ws);
          if (!table.has(k)) table.set(k, index);
        }
      });
      const out = [];
      for (let start = 0; start < words.length;) {
        let matched = false;
        for (let length = Math.min(longest, words.length - start); length >= 1; length--) {
          const run = words.slice(start, start + length), group = table.get(key(run));
          if (group !== undefined) { out.push({ words: run, group }); start += length; matched = true; break; }
        }
        if (!matched) { out.push({ words: [words[start]], group: null }); start++; }
      }
      return out;
    },
    // Any entry of the group: one word as a word, several as a phrase (Searcher.synonymPlan).
    synonymPlan(group) {
      const plans = this.meta.synonyms[group].map(synonymWords).filter(ws => ws.length).map(ws => ws.length === 1 ? this.wordPlan(ws[0], null) : this.plan({ k: 'phrase', words: ws, field: null }));
      return plans.length === 1 ? plans[0] : { k: 'best', parts: plans };
    }
  });
  // Part 8: scoring and collecting the matches of a plan (Scoring.swift, Matchers.swift, TopHits.swift).
  Object.assign(Engine.prototype, {
    // -- Running: every match of a plan as Map(doc → score); `parts` counts matching children of the root.
    // Each field saturated on its own, the weighted scores summed (SegmentScorer.score in Scoring.swift).
    score(doc, tfs, mask, weight) {
      const F = this.fieldCount, m = this.meta;
      let sum = 0;
      // w · x / (k1 + x) for x = tf / (1 − b + b · len / avg), as w · tf / (tf + k1 · (1 − b) + len · k1 · b / avg).
      const c = m.k1 * (1 - m.b);
      for (let f = 0; f < F; f++) {
        if (!(tfs[f] > 0 && (mask & (1 << f)))) continue;
        sum += m.weights[f] * tfs[f] / (tfs[f] + c + this.lengths[doc * F + f] * (m.k1 * m.b / m.avg[f]));
      }
      return weight * sum;
    },
    run(plan) {
      const out = new Map();
      switch (plan.k) {
        case 'term': {
          const list = this.list(plan.term) || [];
          const w = plan.idf * plan.boost;
          for (const p of list) {
            if (plan.mask !== 0xFF && !p.tfs.some((tf, f) => tf > 0 && (plan.mask & (1 << f)))) continue;
            out.set(p.doc, this.score(p.doc, p.tfs, plan.mask, w));
          }
          return out;
        }
        case 'phrase': {
          const lists = plan.terms.map(t => this.positions(t));
          if (lists.some(l => !l)) return out;
          const maps = lists.map(l => new Map(l.map(p => [p.doc, p.positions])));
          const F = this.fieldCount, gap = this.meta.gap;
          for (const p of lists[0]) {
            const doc = p.doc;
            if (!maps.every(m => m.has(doc))) continue;
            const starts = [];
            let position = 0;
            for (let f = 0; f < F; f++) { starts.push(position); position += this.lengths[doc * F + f] + gap; }
            const tfs = new Array(F).fill(0);
            let found = false;
            for (const first of p.positions) {
              if (first < plan.offsets[0]) continue;
              const start = first - plan.offsets[0];
              let all = true;
              for (let o = 1; o < maps.length && all; o++) if (!maps[o].get(doc).includes(start + plan.offsets[o])) all = false;
              if (all) {
                let field = 0;
                for (let f = 0; f < F; f++) if (starts[f] <= start) field = f;
                if (plan.mask & (1 << field)) { tfs[field]++; found = true; }
              }
            }
            if (!found && plan.proximity) found = this.nearPhrase(doc, maps.map(m => m.get(doc)), starts, tfs, plan.mask);
            if (found) out.set(doc, this.score(doc, tfs, plan.mask, plan.idf * plan.boost));
          }
          return out;
        }
        case 'filter': {
          const values = this.keywords[plan.field];
          if (values) values.forEach((v, doc) => { if (v.includes(plan.value)) out.set(doc, 0); });
          return out;
        }
        case 'any': {
          const parts = plan.parts.map(p => this.run(p));
          for (const m of parts) for (const [doc, s] of m) out.set(doc, (out.get(doc) || 0) + s);
          out.parts = doc => parts.reduce((n, m) => n + (m.has(doc) ? 1 : 0), 0);
          return out;
        }
        case 'best': {
          // The forms of one word: the highest score of those on the page (DisjunctionMatcher with best).
          for (const m of plan.parts.map(p => this.run(p))) for (const [doc, s] of m) out.set(doc, Math.max(out.get(doc) || 0, s));
          return out;
        }
        case 'all': {
          const req = plan.required.map(p => this.run(p)), exc = plan.excluded.map(p => this.run(p));
          const base = req.length ? req[0] : new Map(Array.from({ length: this.meta.n }, (_, d) => [d, 0]));
          for (const doc of base.keys()) {
            if (!req.every(m => m.has(doc)) || exc.some(m => m.has(doc))) continue;
            let s = 0;
            for (const m of req) s += m.get(doc);
            out.set(doc, s);
          }
          return out;
        }
        default: return out;
      }
    },
    // A quoted phrase's near occurrences (PhraseMatcher.nearOccurrences): per field, the shortest stretch holding
    // every word; within 8 positions of the phrase's length it counts half an occurrence times length / stretch.
    nearPhrase(doc, lists, starts, tfs, mask) {
      let found = false;
      const F = this.fieldCount, n = lists.length, heads = new Array(n);
      fields: for (let f = 0; f < F; f++) {
        if (!(mask & (1 << f))) continue;
        const low = starts[f], high = low + this.lengths[doc * F + f];
        for (let w = 0; w < n; w++) {
          let h = 0;
          while (h < lists[w].length && lists[w][h] < low) h++;
          if (h >= lists[w].length || lists[w][h] >= high) continue fields;
          heads[w] = h;
        }
        let shortest = Infinity;
        while (shortest > n) {
          let first = 0, smallest = lists[0][heads[0]], largest = smallest;
          for (let w = 1; w < n; w++) {
            const p = lists[w][heads[w]];
            if (p < smallest) { smallest = p; first = w; }
            if (p > largest) largest = p;
          }
          shortest = Math.min(shortest, largest - smallest + 1);
          if (++heads[first] === lists[first].length || lists[first][heads[first]] >= high) break;
        }
        const stretch = Math.max(shortest, n);
        if (stretch <= n + this.meta.proximitySlack) { tfs[f] = 0.5 * n / stretch; found = true; }
      }
      return found;
    },
    // `words`: the root is a disjunction of that many query words, and a page with fewer of them loses
    // (Ranking.coordinationFactor).
    collect(root, filters, rankByParts, limit, words) {
      const matches = this.run(root);
      // How many parts of the root match (Disjunction.matchedParts; a single non-empty part answers for itself).
      const counter = (plan, m) => {
        if (plan.k !== 'any') return () => 1;
        const live = plan.parts.map(p => [p, this.run(p)]).filter(([, r]) => r.size);
        if (live.length === 1) return counter(live[0][0], live[0][1]);
        return doc => live.reduce((n, [, r]) => n + (r.has(doc) ? 1 : 0), 0);
      };
      const parts = !rankByParts ? () => 0 : filters.length ? () => 1 : counter(root, matches);
      for (const f of filters) {
        const m = this.run(f);
        for (const doc of [...matches.keys()]) if (!m.has(doc)) matches.delete(doc);
      }
      const matched = words ? counter(root, matches) : () => 0;
      const factor = m => m >= words ? 1 : Math.pow(m / words, this.meta.coordination);
      const all = [...matches].map(([doc, score]) => {
        const m = matched(doc);
        return { doc, score: words ? score * factor(m) : score, parts: parts(doc), matched: m };
      });
      all.sort((a, b) => a.parts !== b.parts ? b.parts - a.parts : a.score !== b.score ? b.score - a.score : a.doc - b.doc);
      const facets = {};
      for (const [field, perDoc] of Object.entries(this.keywords)) {
        const counts = new Map();
        for (const { doc } of all) for (const v of perDoc[doc]) counts.set(v, (counts.get(v) || 0) + 1);
        if (counts.size) facets[field] = [...counts].sort((a, b) => a[1] !== b[1] ? b[1] - a[1] : byBytes(a[0], b[0])).map(([value, count]) => ({ value, count }));
      }
      return { top: all.slice(0, limit), total: all.length, facets };
    }

  });
  // Part 9: the search itself and did-you-mean (Searcher.swift, HitsAndSuggestions.swift), snippets (Snippet.swift).
  Object.assign(Engine.prototype, {
    // Answers a query: {hits: [{doc, id, url, title, type, score, snippet, anchor}], total, facets, notices
    // [{kind, words}] (noticeText renders them), suggestion}.
    // options: limit (10), filters ({field: [values]}), prefix (last word as prefix), snippets (true).
    // The folding tables, before any text that is not ASCII is analysed.
    async unicode() {
      if (!UNI) useTables((await this.fetch(['unicode0']))[0]);
    },
    // Starts loading what a search for `text` will read first (its shards and position files), so that the search
    // after the box's pause finds them loaded or on their way; a query that cannot be read loads nothing.
    // options: prefix, as search.
    preload(text, options = {}) {
      if (FOLDABLE.test(text) && !UNI) return this.unicode().then(() => this.preload(text, options));
      const files = prefix => this.needs(parseQuery(text, this.meta.textFields, this.meta.keywordFields, prefix), new Set());
      let names;
      try {
        names = files(!!options.prefix);
        // A short prefix spans many shards, most of which the word, once typed, will not need: only its own.
        if (names.size > 4) names = files(false);
      } catch (e) { return Promise.resolve(); }
      return this.fetch([...names]).catch(() => {});
    },
    async search(text, options = {}) {
      const limit = options.limit === undefined ? 10 : options.limit;
      if (FOLDABLE.test(text) || (this.meta.synonyms || []).some(g => g.some(e => FOLDABLE.test(e)))) await this.unicode();
      const query = parseQuery(text, this.meta.textFields, this.meta.keywordFields, !!options.prefix);
      const lang = this.languages[0], a = this.analyzer(lang);
      const bare = isBare(query);
      await this.fetch([...this.needs(query, new Set())]);
      let root, notices = [], words = [], loose = null;
      const meaningful = w => !a.tokens(w).every(t => this.stop.has(t.term));
      let fallback = [];
      if (bare) {
        words = bareWords(query);
        // Runs of words that spell a synonym group's entry (Searcher.synonymSegments), then their shards.
        const segments = this.synonymSegments(words);
        const entries = segments.filter(g => g.group !== null).flatMap(g => this.meta.synonyms[g.group].map(synonymQuery));
        if (entries.length) await this.fetch([...this.needs({ k: 'and', parts: entries }, new Set())]);
        const wanted = segments.filter(g => g.group !== null || meaningful(g.words[0]));
        const used = wanted.length ? wanted : segments;
        // Words no document has: look for their nearest terms in the typo vocabularies.
        const typed = used.filter(g => g.group === null).map(g => g.words[0]).flatMap(w => (this.typoParts(w) || []).filter(p => this.df(p.term) === 0).map(p => this.folded(w.slice(p.start, p.end)))).map(t => [t, [...t].length >= this.meta.typoTwoEdits ? 2 : 1]);
        if (typed.length) await this.loadNear(typed);
        const required = [], shown = [];
        let corrected = false;
        for (const g of used) {
          const w = g.words[0];
          if (g.group !== null) { required.push(this.synonymPlan(g.group)); shown.push(g.words.join(' ')); continue; }
          const typo = this.typoPlan(w);
          if (typo) { required.push(typo.plan); shown.push(typo.shown); corrected = true; } else { required.push(this.wordPlan(w, null)); shown.push(w); }
        }
        fallback = wanted.map(g => ({ shown: g.words.join(' '), plan: g.group !== null ? this.synonymPlan(g.group) : this.wordPlan(g.words[0], null) }));
        if (corrected) notices.push({ kind: 'corrected', words: shown });
        root = { k: 'all', required, excluded: [] };
        // A question in the user's own words: ranked over any of its words, then by how many it has.
        if (required.length >= this.meta.looseWords) loose = { plan: { k: 'any', parts: required }, words: shown };
      } else {
        const fuzzy = this.fuzzyWords(query, []);
        if (fuzzy.length) await this.loadNear(fuzzy);
        root = this.plan(query);
      }
      const positionsNeeded = new Set([...this.phraseTerms(root, new Set())].map(t => 'p' + this.shard(t)));
      await this.fetch([...positionsNeeded]);
      const filters = Object.keys(options.filters || {}).sort().filter(f => options.filters[f].length).map(field => {
        const plans = options.filters[field].map(v => ({ k: 'filter', field, value: keyword(v) }));
        return plans.length === 1 ? plans[0] : { k: 'any', parts: plans };
      });
      let result;
      if (loose) {
        result = this.collect(loose.plan, filters, false, limit, loose.words.length);
        if (result.top.length && !result.top.some(h => h.matched === loose.words.length)) {
          notices.push({ kind: 'no-result-has-all', words: loose.words });
        }
      } else {
        result = this.collect(root, filters, false, limit);
      }
      if (result.total === 0 && bare && !loose) {
        if (fallback.length >= 2) {
          const looser = this.collect({ k: 'any', parts: fallback.map(f => f.plan) }, filters, true, limit);
          if (looser.top.length) { result = looser; notices = [{ kind: 'no-page-has-all', words: fallback.map(f => f.shown) }]; }
        }
      }
      const terms = this.terms(root, new Set());
      let suggestion = null;
      if (!result.top.length) suggestion = await this.suggest(query);
      // Snippets (Snippet.swift): around the first occurrence in the body of the rarest query term the page has,
      // from the chunks of the body that hold it (each carries what the result shows of its page).
      const width = this.meta.snippetWords, chunk = this.meta.chunk, counts = this.chunkCounts || (this.chunkCounts = unpack(this.meta.chunks));
      const plans = result.top.map(h => {
        let lead = null;
        for (const t of terms) {
          const p = this.posting(t, h.doc);
          if (p && p.first >= 0 && (!lead || this.df(t) < this.df(lead.t) || (this.df(t) === this.df(lead.t) && byBytes(t, lead.t) < 0))) lead = { t, at: p.first };
        }
        const start = lead ? Math.max(0, lead.at - Math.min(5, Math.floor(width / 6))) : 0;
        const from = Math.max(0, Math.floor(start / chunk) - (start % chunk < 32 ? 1 : 0));
        const to = Math.min(counts[h.doc] - 1, Math.floor((start + width - 1) / chunk));
        const names = [];
        for (let k = from; k <= to; k++) names.push('c' + h.doc + '_' + k);
        return { start, lead, from, names };
      });
      const loaded = options.snippets === false ? [] : await this.fetch(plans.flatMap(p => p.names));
      if (loaded.some(c => c && FOLDABLE.test(c.text))) await this.unicode();
      let at = 0;
      const hits = result.top.map((h, i) => {
        const got = options.snippets === false ? [] : loaded.slice(at, at += plans[i].names.length), d = got[0];
        const hit = { doc: h.doc, score: h.score, id: d ? d.id : null };
        if (d) {
          const { start, lead } = plans[i];
          const [snippet, focus] = cut(got.map(c => c.text).join(''), d.at, terms, this.analyzer(d.lang), start, lead && lead.t, d.last, width);
          let anchor = null;
          for (const c of got) for (const [offset, name] of c.sections) if (offset <= focus) anchor = name;
          Object.assign(hit, { url: d.url, title: d.title, type: d.type, snippet, anchor });
        }
        return hit;
      });
      return { hits, total: result.total, facets: result.facets, notices, suggestion };
    },
    fuzzyWords(q, out) {
      if (q.k === 'word' && q.fuzzy > 0 && !q.prefix) out.push([this.folded(q.word), q.fuzzy]);
      else if (q.k === 'and' || q.k === 'or') q.parts.forEach(p => this.fuzzyWords(p, out));
      else if (q.k === 'not') this.fuzzyWords(q.part, out);
      return out;
    },
    // Loads the typo vocabularies of typed words ([word, edits]), then the shards of every term near them.
    async loadNear(typed) {
      const names = new Set();
      for (const [t] of typed) this.vocabularyFiles(t, names);
      await this.fetch([...names]);
      const shards = new Set();
      for (const [t, max] of typed) for (const x of this.near(t, max)) shards.add('s' + this.shard(x.term));
      await this.fetch([...shards]);
    },
    // Did you mean: each word no document has replaced by its nearest written word (two edits at most).
    async suggest(query) {
      const a = this.analyzer(this.languages[0]), unknown = w => { const t = a.tokens(w); return t.length === 1 && this.df(t[0].term) === 0; };
      const words = allWords(query), typed = words.filter(unknown).map(w => [this.folded(w), 2]);
      if (!typed.length) return null;
      await this.loadNear(typed);
      let changed = false;
      const out = words.map(w => {
        if (!unknown(w)) return w;
        let best = null;
        for (const x of this.near(this.folded(w), 2)) {
          const df = this.df(x.term), b = best && this.df(best.term);
          if (df > 0 && (!best || x.d < best.d || (x.d === best.d && (df > b || (df === b && byBytes(x.surface, best.surface) < 0))))) best = x;
        }
        if (!best) return w;
        changed = true;
        return best.surface;
      });
      return changed ? out.join(' ') : null;
    }
  });

  // ---- Snippets, as Snippet.swift: `words` words from `start` (a word position), matches marked. `text` is the
  // stretch of the body that holds them, from the chunk that begins at UTF-16 offset `base` with the word at
  // `firstPosition`; `lead` the term whose first occurrence the snippet is built around (null: none); `last` the
  // body's last word position. Returns the snippet and the body offset of that occurrence.
  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\n': ' ', '\t': ' ', '\r': ' ' };
  const escape = s => s.replace(/[&<>"\n\t\r]/g, c => ESC[c]);
  function cut(text, [base, firstPosition], terms, analyzer, start, lead, last, words) {
    const end = Math.min(last, start + words - 1), from = [], to = [], marks = [];
    let focus = null;
    analyzer.tokens(text, (term, p, a, b) => {
      if (term === lead && focus === null) focus = a;
      if (p < start || p > end) return;
      if (from[p] === undefined) { from[p] = a; to[p] = b; } else { if (a < from[p]) from[p] = a; if (b > to[p]) to[p] = b; }
      if (terms.has(term) && !(marks.length && a < marks[marks.length - 1][1])) marks.push([a, b]);
    }, firstPosition);
    let first = -1, lastSpan = -1;
    for (let p = start; p <= end && first < 0; p++) if (from[p] !== undefined) first = p;
    for (let p = end; p >= start && lastSpan < 0; p--) if (from[p] !== undefined) lastSpan = p;
    if (first < 0) return ['', 0];
    let out = base + from[first] > 0 ? '… ' : '', cursor = from[first];
    for (const [a, b] of marks) {
      if (a < cursor) continue;
      out += escape(text.slice(cursor, a)) + '<mark>' + escape(text.slice(a, b)) + '</mark>';
      cursor = b;
    }
    out += escape(text.slice(cursor, Math.max(cursor, to[lastSpan])));
    if (end < last) out += ' …';
    return [out, base + (focus !== null ? focus : from[first])];
  }
  // Part 10: loading the data files BrowserExport.swift writes, the API, and the page's search box and results.
  // ---- Loading: data files push [name, data] onto globalThis.batonSearchData, before or after this script.
  const waiting = new Map(), arrived = new Map();
  function receive([name, data]) {
    if (name.startsWith('stem-')) STEMMERS[name.slice(5)] = data = data(SNOWBALL);
    arrived.set(name, data);
    const w = waiting.get(name);
    if (w) { waiting.delete(name); w.forEach(([resolve]) => resolve(data)); }
  }
  const queue = G.batonSearchData || [];
  G.batonSearchData = { push: receive };
  queue.forEach(receive);
  // The data `name` registers once `request(fail, done)` has put its file in; `fail(error)` when it cannot be
  // loaded, `done()` when it loaded (a file that loaded without registering its data is damaged). A failed
  // name is asked for again next time.
  function awaitData(name, request) {
    if (arrived.has(name)) return Promise.resolve(arrived.get(name));
    return new Promise((resolve, reject) => {
      const first = !waiting.has(name);
      if (first) waiting.set(name, []);
      waiting.get(name).push([resolve, reject]);
      const fail = error => { const w = waiting.get(name) || []; waiting.delete(name); w.forEach(([, no]) => no(error)); };
      if (first) request(fail, () => { if (!arrived.has(name)) fail(new Error(name + ' is damaged: rebuild the site')); });
    });
  }
  // A loader for a folder of exported files: given [name, file] pairs, `request(file, fail, done)` puts each file
  // in (a script tag, or Node's require) and the data it registers is returned by name.
  function loader(request) {
    return async entries => {
      const out = {};
      await Promise.all(entries.map(async ([n, file]) => { out[n] = await awaitData(n, (fail, done) => request(file, fail, done)); }));
      return out;
    };
  }

  // The notices of a search in English (SearchNotice.description), or null when there are none.
  function noticeText(notices) {
    const sentence = n => n.kind === 'corrected' ? 'Showing results for ' + n.words.join(' ') + '.'
      : (n.kind === 'no-page-has-all' ? 'No page' : 'No result') + ' has all of: ' + n.words.join(', ') + '; showing the closest.';
    return notices.length ? notices.map(sentence).join(' ') : null;
  }

  const api = { Engine, Analyzer, parseQuery, QueryError, unpack, cut, loader, awaitData, noticeText, stemmers: STEMMERS, distance };
  G.BatonSearch = api;
  if (typeof document === 'undefined') return;

  // ---- The page: the search box in every page's header, the results on search.html.
  ready();
  function ready() {
    const script = document.currentScript;
    const base = script ? script.src.replace(/[^/]*$/, '') : 'search/';
    const metaName = script && script.dataset.meta;
    if (!metaName) return;
    // Stemmers other than English, as language=file pairs.
    const stemmers = (script.dataset.stemmers || '').split(' ').filter(Boolean).map(p => p.split('=')).map(([l, f]) => ['stem-' + l, f]);
    const request = (path, fail, done) => {
      const s = document.createElement('script');
      s.src = base + path;
      s.async = true;
      s.onerror = () => { s.remove(); fail(new Error('cannot load ' + path)); };
      s.onload = () => { s.remove(); done(); };
      document.head.appendChild(s);
    };
    const load = loader(request);
    let engine = null;
    const start = () => engine || (engine = load([['meta', metaName], ...stemmers]).then(d => new Engine(d.meta, load)));
    const root = (script.dataset.root || '');
    const box = document.getElementById('search-box');
    const results = document.getElementById('search-results');
    document.documentElement.classList.add('js-search');
    document.addEventListener('keydown', e => {
      if (e.key === '/' && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) && !document.activeElement.isContentEditable) {
        e.preventDefault();
        (document.getElementById('search-query') || box).focus();
      }
    });
    if (box) box.addEventListener('focus', start, { once: true });
    const el = (tag, name) => { const n = document.createElement(tag); n.className = name; return n; };
    const labels = (e, field, value) => ((e.meta.labels || {})[field] || {})[value] || value;
    // Results for `input` in `container`: on the search page with facets and the query in the address; elsewhere
    // a panel under the header box, with a link to the search page.
    function panel(input, container, full) {
      const filters = {}, status = el('p', 'search-status'), facetBox = el('div', 'facets'), list = el('ol', 'results');
      const more = el('a', 'search-more');
      let timer = null, serial = 0;
      status.setAttribute('role', 'status');
      container.replaceChildren(...(full ? [status, facetBox, list] : [status, list, more]));
      // Whether the last word of what is being typed counts as a prefix (three characters or more, the box not
      // ending in a space).
      const typingPrefix = text => !/\s$/.test(input.value) && /[^\s"*~)]{3}$/.test(text);
      input.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(() => show(true), 120);
        // While the box waits for a pause, what the words typed so far need is fetched (a last word of one or two
        // letters says too little of the word it will be, and is left out).
        const text = (/\s$/.test(input.value) ? input.value : input.value.replace(/(^|\s)[^\s]{1,2}$/, '')).trim();
        if (text) start().then(e => e.preload(text, { prefix: text === input.value.trim() && typingPrefix(text) }), () => {});
      });
      if (full) input.form.addEventListener('submit', e => { e.preventDefault(); show(); });
      input.addEventListener('keydown', e => {
        if (e.key === 'ArrowDown' && list.firstElementChild) { e.preventDefault(); list.querySelector('a').focus(); }
        if (e.key === 'Escape' && !full) container.hidden = true;
      });
      list.addEventListener('keydown', e => {
        const items = [...list.querySelectorAll('a')], i = items.indexOf(document.activeElement);
        if (e.key === 'ArrowDown' && i < items.length - 1) { e.preventDefault(); items[i + 1].focus(); }
        if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? items[i - 1] : input).focus(); }
        if (e.key === 'Escape' && !full) { container.hidden = true; input.focus(); }
      });
      async function show(typing) {
        const text = input.value.trim(), mine = ++serial;
        if (full) history.replaceState(null, '', text ? '?q=' + encodeURIComponent(text) : location.pathname);
        container.hidden = !full && !text;
        if (!text) { status.textContent = ''; list.replaceChildren(); facetBox.replaceChildren(); return; }
        const began = performance.now();
        let e, r;
        try {
          e = await start();
          const prefix = typing === true && typingPrefix(text);
          r = await e.search(text, { filters, prefix });
          // A word still being typed found nothing: the words as they stand (typos corrected).
          if (prefix && !r.total) r = await e.search(text, { filters });
        } catch (err) {
          if (mine === serial) status.textContent = err instanceof QueryError ? 'The query cannot be read: ' + err.message + '.' : 'Search is not available: ' + err.message;
          return;
        }
        if (mine !== serial) return;
        let line = r.total === 0 ? 'No results for ' + text + '.' : r.total + (r.total === 1 ? ' result' : ' results') + (r.total > r.hits.length ? ', ' + r.hits.length + ' shown' : '') + '.';
        if (r.notices.length) line = noticeText(r.notices) + ' ' + line;
        if (r.suggestion) line += ' Did you mean ' + r.suggestion + '?';
        status.textContent = line;
        list.replaceChildren(...r.hits.map(h => {
          const li = document.createElement('li'), a = document.createElement('a'), kind = el('span', 'kind'), p = document.createElement('p');
          a.href = root + h.url + (h.anchor ? '#' + h.anchor : '');
          a.textContent = h.title;
          kind.textContent = h.type || '';
          p.innerHTML = h.snippet;
          li.append(a, ' ', kind, p);
          return li;
        }));
        more.href = root + 'search.html?q=' + encodeURIComponent(text);
        more.textContent = 'All results, with filters';
        if (full) facetBox.replaceChildren(...['type', 'organisation', 'section', 'role'].filter(f => r.facets[f] || filters[f]).map(field => {
          const set = document.createElement('fieldset'), legend = document.createElement('legend');
          legend.textContent = field === 'section' ? 'plan section' : field;
          set.append(legend);
          const values = r.facets[field] || [];
          for (const v of (filters[field] || [])) if (!values.some(x => x.value === v)) values.push({ value: v, count: 0 });
          for (const { value, count } of values) {
            const label = document.createElement('label'), check = document.createElement('input');
            check.type = 'checkbox';
            check.checked = (filters[field] || []).includes(value);
            check.addEventListener('change', () => {
              const now = new Set(filters[field] || []);
              if (check.checked) now.add(value); else now.delete(value);
              filters[field] = [...now];
              show();
            });
            label.append(check, ' ' + labels(e, field, value) + ' (' + count + ')');
            set.append(label);
          }
          return set;
        }));
        status.dataset.ms = (performance.now() - began).toFixed(1);
      }
      return show;
    }
    if (results) {
      const input = document.getElementById('search-query');
      input.value = new URLSearchParams(location.search).get('q') || '';
      if (box) {
        box.value = input.value;
        // The header box on the search page types into the page's own box.
        box.addEventListener('input', () => { input.value = box.value; input.dispatchEvent(new Event('input')); });
      }
      const show = panel(input, results, true);
      if (input.value) show();
    } else if (box) {
      const popup = el('div', 'search-popup');
      popup.id = 'search-popup';
      popup.hidden = true;
      popup.setAttribute('role', 'region');
      popup.setAttribute('aria-label', 'Search results');
      box.setAttribute('aria-controls', popup.id);
      box.form.after(popup);
      panel(box, popup, false);
      document.addEventListener('click', e => { if (!popup.contains(e.target) && e.target !== box) popup.hidden = true; });
    }
  }
})();
