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

