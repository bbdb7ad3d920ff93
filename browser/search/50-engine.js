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
