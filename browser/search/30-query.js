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
