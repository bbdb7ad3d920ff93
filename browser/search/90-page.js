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
