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
