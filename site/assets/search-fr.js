// Baton's browser search: the Snowball French stemmer, as FrenchStemmer.swift. Registers itself with
// search.js, which hands it the helpers the stemmers share and loads it only for an index in French.
'use strict';
(globalThis.batonSearchData = globalThis.batonSearchData || []).push(['stem-fr', ({ has, longest, byLength, region }) => {
  const FR_V = 'aeiouyâàëéêèïîôûù', frVowel = c => has(FR_V, c);
  const tag = (kind, words) => words.map(s => ({ s, kind, length: s.length }));
  const FR_STD = byLength([].concat(
    tag('r2', ['iqUe', 'ance', 'able', 'isme', 'iste', 'eux', 'iqUes', 'ances', 'ables', 'ismes', 'istes']),
    tag('ation', ['atrice', 'ation', 'ateur', 'atrices', 'ations', 'ateurs']), tag('logie', ['logie', 'logies']),
    tag('ution', ['usion', 'ution', 'usions', 'utions']), tag('ence', ['ence', 'ences']), tag('ement', ['ement', 'ements']),
    tag('ite', ['ité', 'ités']), tag('ive', ['ive', 'if', 'ives', 'ifs']), tag('eaux', ['eaux']), tag('aux', ['aux']),
    tag('oux', ['oux']), tag('euse', ['euse', 'euses']), tag('issement', ['issement', 'issements']),
    tag('amment', ['amment']), tag('emment', ['emment']), tag('ment', ['ment', 'ments'])));
  const FR_I = byLength(['ira', 'ie', 'isse', 'issante', 'i', 'irai', 'ir', 'iras', 'ies', 'îmes', 'isses', 'issantes', 'îtes', 'is', 'irais', 'issais', 'irions', 'issions', 'irons', 'issons', 'issants', 'it', 'irait', 'issait', 'issant', 'iraIent', 'issaIent', 'irent', 'issent', 'iront', 'ît', 'iriez', 'issiez', 'irez', 'issez']);
  const FR_VERB = byLength([].concat(tag('ions', ['ions']),
    tag('plain', ['era', 'ée', 'erai', 'er', 'eras', 'ées', 'eais', 'erais', 'erions', 'erons', 'és', 'erait', 'eraIent', 'èrent', 'eront', 'ez', 'iez', 'eriez', 'erez', 'é']),
    tag('a', ['a', 'asse', 'ante', 'ai', 'as', 'âmes', 'asses', 'antes', 'âtes', 'assions', 'ants', 'ait', 'ant', 'aIent', 'assent', 'ât', 'assiez']),
    tag('ais', ['aise', 'aises', 'ais'])));
  const FR_AFTER_EMENT = byLength(['iqU', 'abl', 'Ièr', 'ièr', 'eus', 'iv']);
  const FR_RES = byLength(['e', 'Ière', 'ière', 'ion', 'Ier', 'ier']);
  function french(word) {
    let w = word;
    if (w.length >= 2 && has('cdjlmnst', w[0]) && w[1] === "'" && w.length > 2) w = w.slice(2);
    else if (w.length >= 3 && w.startsWith("qu'") && w.length > 3) w = w.slice(3);
    let l = [...w];
    for (let p = 0; p < l.length;) {
      const c = l[p], next = l[p + 1], after = l[p + 2];
      if (frVowel(c) && next === 'u' && frVowel(after)) { l[p + 1] = 'U'; continue; }
      if (frVowel(c) && next === 'i' && frVowel(after)) { l[p + 1] = 'I'; continue; }
      if (frVowel(c) && next === 'y') { l[p + 1] = 'Y'; continue; }
      if (c === 'ë') { l.splice(p, 1, 'H', 'e'); continue; }
      if (c === 'ï') { l.splice(p, 1, 'H', 'i'); continue; }
      if (c === 'y' && frVowel(next)) { l[p] = 'Y'; continue; }
      if (c === 'q' && next === 'u') { l[p + 1] = 'U'; continue; }
      p++;
    }
    w = l.join('');
    const n = w.length;
    let rv = n;
    if (n >= 3 && frVowel(w[0]) && frVowel(w[1])) rv = 3;
    else if (/^(col|par|tap)/.test(w)) rv = 3;
    else if (w.startsWith('ni') && n >= 3 && frVowel(w[2])) rv = 3;
    else if (n >= 2) { for (let i = 1; i < n; i++) if (frVowel(w[i])) { rv = i + 1; break; } }
    const r1 = region(w, 0, frVowel), r2 = region(w, r1, frVowel);
    const cut = k => { w = w.slice(0, w.length - k); };
    const swap = (k, s) => { w = w.slice(0, w.length - k) + s; };
    const ic = () => { if (w.endsWith('ic')) { if (w.length - 2 >= r2) cut(2); else swap(2, 'iqU'); } };
    const standard = () => {
      const f = FR_STD.find(x => w.endsWith(x.s));
      if (!f) return false;
      const len = f.length, start = w.length - len, inR1 = start >= r1, inR2 = start >= r2, inRV = start >= rv;
      switch (f.kind) {
        case 'r2': if (!inR2) return false; cut(len); break;
        case 'ation': if (!inR2) return false; cut(len); ic(); break;
        case 'logie': if (!inR2) return false; swap(len, 'log'); break;
        case 'ution': if (!inR2) return false; swap(len, 'u'); break;
        case 'ence': if (!inR2) return false; swap(len, 'ent'); break;
        case 'ement': {
          if (!inRV) return false;
          cut(len);
          const a = longest(w, FR_AFTER_EMENT);
          if (a) {
            const s = w.length - a.length;
            if (a === 'iv') { if (s >= r2) { cut(2); if (w.endsWith('at') && w.length - 2 >= r2) cut(2); } }
            else if (a === 'eus') { if (s >= r2) cut(3); else if (s >= r1) swap(3, 'eux'); }
            else if (a === 'iqU' || a === 'abl') { if (s >= r2) cut(3); }
            else if (s >= rv) swap(3, 'i');
          }
          break;
        }
        case 'ite':
          if (!inR2) return false;
          cut(len);
          if (w.endsWith('abil')) { if (w.length - 4 >= r2) cut(4); else swap(4, 'abl'); }
          else if (w.endsWith('ic')) ic();
          else if (w.endsWith('iv') && w.length - 2 >= r2) cut(2);
          break;
        case 'ive': if (!inR2) return false; cut(len); if (w.endsWith('at') && w.length - 2 >= r2) { cut(2); ic(); } break;
        case 'eaux': swap(len, 'eau'); break;
        case 'aux': if (!inR1) return false; swap(len, 'al'); break;
        case 'oux': if (!(start > 0 && has('bhjlnp', w[start - 1]))) return false; swap(len, 'ou'); break;
        case 'euse': if (inR2) cut(len); else if (inR1) swap(len, 'eux'); else return false; break;
        case 'issement': if (!(inR1 && start > 0 && !frVowel(w[start - 1]))) return false; cut(len); break;
        case 'amment': if (inRV) swap(len, 'ant'); return false;
        case 'emment': if (inRV) swap(len, 'ent'); return false;
        case 'ment': if (start > 0 && frVowel(w[start - 1]) && start - 1 >= rv) cut(len); return false;
      }
      return true;
    };
    const iVerb = () => {
      const s = longest(w, FR_I, rv);
      if (!s) return false;
      const start = w.length - s.length;
      if (start - 1 < rv) return false;
      const before = w[start - 1];
      if (before === 'H' || frVowel(before)) return false;
      cut(s.length);
      return true;
    };
    const verb = () => {
      const f = FR_VERB.find(x => x.length <= w.length - rv && w.endsWith(x.s));
      if (!f) return false;
      const start = w.length - f.length;
      if (f.kind === 'ions') { if (start < r2) return false; cut(f.length); }
      else if (f.kind === 'plain') cut(f.length);
      else if (f.kind === 'a') { cut(f.length); if (w.endsWith('e') && w.length - 1 >= rv) cut(1); }
      else {
        const before = w.slice(0, start);
        if (before.length === 3 && before[1] === 'a' && before[2] === 'l') return false;
        if (before.length >= 3 && ['épl', 'auv'].includes(before.slice(-3))) return false;
        cut(f.length);
      }
      return true;
    };
    let changed = standard() || iVerb() || verb();
    if (changed) {
      if (w.endsWith('Y')) swap(1, 'i'); else if (w.endsWith('ç')) swap(1, 'c');
    } else {
      if (w.endsWith('s') && w.length >= 2) {
        const before = w[w.length - 2];
        if ((w.length >= 3 && w[w.length - 3] === 'H' && before === 'i') || !has('aiouès', before)) cut(1);
      }
      const s = w.length >= rv ? longest(w, FR_RES, rv) : undefined;
      if (s) {
        const start = w.length - s.length;
        if (s === 'ion') { if (start >= r2 && start - 1 >= rv && (w[start - 1] === 's' || w[start - 1] === 't')) cut(3); }
        else if (s === 'e') cut(1);
        else swap(s.length, 'i');
      }
    }
    if (['ell', 'eill', 'enn', 'onn', 'ett'].some(s => w.endsWith(s))) cut(1);
    let i = w.length - 1;
    while (i >= 0 && !frVowel(w[i])) i--;
    if (i >= 0 && i < w.length - 1 && (w[i] === 'é' || w[i] === 'è')) w = w.slice(0, i) + 'e' + w.slice(i + 1);
    return w.replace(/He/g, 'ë').replace(/Hi/g, 'ï').replace(/H/g, '').replace(/I/g, 'i').replace(/U/g, 'u').replace(/Y/g, 'y');
  }
  return french;
}]);
