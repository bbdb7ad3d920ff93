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
