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
