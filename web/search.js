// The search page: query box, cascading filters, mode toggle, result cards (the seed card of
// ../shared/DESIGN.md), keyboard navigation. Its whole state lives in the URL.
import { getJSON, library, viewHref } from './api.js';
import { h, clear, markedText, pageSpan, plural, isTyping } from './dom.js';
import { emptyLibrary, errorBox } from './states.js';

const kModes = ['auto', 'hybrid', 'lexical', 'semantic'];
const kFilters = ['vendor', 'product', 'version', 'doc'];
const kPageSize = 10;

function readState(params) {
  const s = { q: params.get('q') || '', mode: params.get('mode') || 'auto' };
  for (const f of kFilters) s[f] = params.get(f) || '';
  if (!kModes.includes(s.mode)) s.mode = 'auto';
  return s;
}

function stateUrl(s) {
  const qs = new URLSearchParams();
  if (s.q) qs.set('q', s.q);
  for (const f of kFilters) if (s[f]) qs.set(f, s[f]);
  if (s.mode && s.mode !== 'auto') qs.set('mode', s.mode);
  const q = qs.toString();
  return q ? `/?${q}` : '/';
}

// Passages are canonical Markdown. On a card, link targets, heading markers and emphasis
// markers are noise: keep the words. The runs are rewritten as one string with a per-character
// "marked" flag, so a match inside a link's text stays highlighted.
const kNoise = new RegExp([
  /!?\[([^\]\n]{0,300})\]\((?:[^()\s]|\([^()\s]{0,100}\)){0,500}\)/.source,  // 1: [words](url), ![alt](url)
  /(^|\n+)[ \t]{0,3}#{1,6}[ \t]+/.source,                    // 2: heading markers
  /(^|\n+)[ \t]{0,6}[*+-][ \t]+/.source,                     // 3: list bullets
  /(^|\n+)[ \t]{0,3}(?:>[ \t]?)+/.source,                    // 4: block quote markers
  /[ \t]*<a (?:id|name)="[^"\n]{0,100}"><\/a>/.source,       // empty anchors of converted manuals
  /\\([!-/:-@[-`{-~])/.source,                               // 5: Markdown backslash escapes
  /(^|\n+)[ \t]{0,3}```[\w+-]*/.source,                       // 6: code fences
  /\*\*/.source,                                            // bold markers
  /\n{2,}/.source,                                           // paragraph breaks
].join('|'), 'g');

function tidyPassage(runs) {
  const text = runs.map((r) => r.text).join('');
  const mask = runs.flatMap((r) => Array.from({ length: r.text.length }, () => r.mark));
  const out = [];
  const push = (t, mark) => {
    const last = out[out.length - 1];
    if (last && last.mark === mark) last.text += t;
    else out.push({ text: t, mark });
  };
  const keep = (from, to) => {
    for (let i = from; i < to; i++) push(text[i], mask[i]);
  };
  let pos = 0;
  for (const m of text.matchAll(kNoise)) {
    keep(pos, m.index);
    if (m[1] !== undefined) {
      const start = m.index + (m[0].startsWith('!') ? 2 : 1);
      keep(start, start + m[1].length);
    } else if (m[2] !== undefined) {
      if (m[2]) push('\n', false);
    } else if (m[3] !== undefined) {
      push(m[3] ? '\n• ' : '• ', false);
    } else if (m[4] !== undefined || m[6] !== undefined) {
      if (m[4] || m[6]) push('\n', false);
    } else if (m[5] !== undefined) {
      keep(m.index + 1, m.index + 2);
    } else if (m[0].startsWith('\n')) {
      push('\n', false);
    }
    pos = m.index + m[0].length;
  }
  keep(pos, text.length);
  return out;
}

function crumbs(path, cls = 'crumbs') {
  if (!path || !path.length) return null;
  const items = [];
  path.forEach((p, i) => {
    if (i) items.push(h('span', { class: 'sep', 'aria-hidden': 'true' }, ' › '));
    items.push(h('span', { class: 'crumb' }, p));
  });
  return h('div', { class: cls, 'aria-label': 'Heading path' }, items);
}

export function resultCard(hit, index) {
  const view = viewHref(hit.source, hit.chunk_id);
  const pages = pageSpan(hit.page, hit.page_end, hit.page_label);
  const headline = hit.page
    ? h('span', { class: 'card-page' }, `${hit.page_end > hit.page ? 'Pages' : 'Page'} ${pageSpan(hit.page, hit.page_end)}`)
    : h('span', { class: 'card-page card-title' }, hit.title || hit.doc);

  const docBits = [hit.vendor, `${hit.product_name || hit.product} ${hit.version}`];
  if (hit.page) docBits.push(hit.title || hit.doc);
  const docLine = h('div', { class: 'card-doc' },
    docBits.filter(Boolean).join(' · '),
    hit.also_in_versions && hit.also_in_versions.length
      ? h('span', { class: 'also' }, `also in ${hit.also_in_versions.join(', ')}`) : null);

  const meta = h('dl', { class: 'card-meta' },
    pages ? [h('dt', null, 'page'), h('dd', { class: 'v-page' }, pages)] : null,
    h('dt', null, 'source'), h('dd', null, h('code', { class: 'v-source' }, hit.source)),
    h('dt', null, 'chunk_id'), h('dd', null, h('code', { class: 'v-chunk' }, hit.chunk_id)));

  const passage = h('p', { class: 'passage' }, markedText(hit.snippet, tidyPassage));
  let more = null;
  const truncated = /^… | …$/.test(hit.snippet || '');
  if (truncated && hit.text_html) {
    let open = false;
    more = h('button', {
      type: 'button', class: 'linkish more', 'aria-expanded': 'false',
      onclick: () => {
        open = !open;
        clear(passage).append(markedText(open ? hit.text_html : hit.snippet, tidyPassage));
        passage.classList.toggle('full', open);
        more.textContent = open ? 'Show less' : 'Show whole passage';
        more.setAttribute('aria-expanded', String(open));
      },
    }, 'Show whole passage');
  }

  return h('li', { class: 'card', tabindex: '-1', dataset: { chunkId: hit.chunk_id, index: String(index) } },
    h('div', { class: 'card-top' },
      headline,
      h('a', { class: 'card-view', href: view, title: 'Open the document at this passage' }, '↗ View in doc context')),
    docLine,
    meta,
    crumbs(hit.heading_path),
    passage,
    more);
}

function option(value, label, selected) {
  return h('option', { value, selected: selected || null }, label);
}

export async function renderSearch(ctx) {
  const { main } = ctx;
  let state = readState(ctx.params);
  let lib = null;
  let seq = 0;
  let offset = 0;
  let selected = -1;

  document.title = state.q ? `${state.q} — McDewey` : 'McDewey';

  const q = h('input', {
    id: 'q', type: 'search', name: 'q', value: state.q, placeholder: 'Search the library…',
    autocomplete: 'off', spellcheck: 'false', 'aria-label': 'Search query', enterkeyhint: 'search',
  });
  const form = h('form', { class: 'searchbar', role: 'search' },
    q, h('kbd', { class: 'slash-hint', title: 'Press / to focus the search box' }, '/'),
    h('button', { type: 'submit', class: 'primary' }, 'Search'));

  const selects = {};
  const labels = { vendor: 'Vendor', product: 'Product', version: 'Version', doc: 'Doc' };
  for (const f of kFilters) {
    selects[f] = h('select', { name: f, id: `f-${f}` });
  }
  const modeInputs = kModes.map((m) => h('input', { type: 'radio', name: 'mode', value: m, id: `mode-${m}` }));
  const filters = h('div', { class: 'filters' },
    kFilters.map((f) => h('label', { class: 'filter', for: `f-${f}` }, h('span', null, labels[f]), selects[f])),
    h('fieldset', { class: 'modes' },
      h('legend', null, 'Mode'),
      h('div', { class: 'seg' }, kModes.map((m, i) => [modeInputs[i], h('label', { for: `mode-${m}` }, m)]))));

  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const results = h('ol', { class: 'results', 'aria-label': 'Results' });
  const moreButton = h('button', { type: 'button', class: 'more-results', hidden: true }, 'More results');
  const intro = h('div', { class: 'intro' });
  const page = h('div', { class: 'page search-page' }, form, filters, status, intro, results, moreButton);
  main.append(page);

  // ---- filters: vendor → product → version → doc, from /api/library ----
  function products(vendor = state.vendor) {
    if (!lib) return [];
    const out = [];
    for (const v of lib.vendors) {
      if (vendor && v.name !== vendor) continue;
      for (const p of v.products) out.push({ ...p, vendor: v.name });
    }
    return out;
  }
  function fillFilters() {
    const fill = (f, allLabel, items, enabled = true) => {
      const sel = selects[f];
      clear(sel);
      sel.append(option('', allLabel, !state[f]));
      let found = false;
      for (const [value, label] of items) {
        found = found || value === state[f];
        sel.append(option(value, label, value === state[f]));
      }
      // A filter from a shared URL that this library does not have still shows as chosen.
      if (state[f] && !found) sel.append(option(state[f], `${state[f]} (not in library)`, true));
      sel.disabled = !enabled && !state[f];
    };
    fill('vendor', 'All vendors', lib ? lib.vendors.map((v) => [v.name, v.name]) : []);
    const prods = products();
    fill('product', 'All products', prods.map((p) => [p.slug, p.name]));
    const prod = prods.find((p) => p.slug === state.product);
    const versions = prod ? prod.versions : [];
    fill('version', 'All versions', versions.map((v) => [v.version, v.version]), !!prod);
    const docs = new Map();
    for (const v of versions) {
      if (state.version && v.version !== state.version) continue;
      for (const d of v.docs) if (!docs.has(d.doc)) docs.set(d.doc, d.title || d.doc);
    }
    fill('doc', 'All docs', [...docs], !!prod);
    for (const input of modeInputs) input.checked = input.value === state.mode;
  }

  function readForm() {
    const s = { q: q.value.trim(), mode: modeInputs.find((i) => i.checked)?.value || 'auto' };
    for (const f of kFilters) s[f] = selects[f].value;
    return s;
  }

  // A changed filter resets the ones below it that no longer fit.
  function onFilterChange(f) {
    const s = readForm();
    const level = kFilters.indexOf(f);
    if (lib) {
      const prod = products(s.vendor).find((p) => p.slug === s.product);
      if (level < 1 && s.product && !prod) s.product = '';
      const chosen = s.product ? prod : null;
      if (level < 2 && s.version && !(chosen && chosen.versions.some((v) => v.version === s.version))) s.version = '';
      if (level < 3 && s.doc) {
        const vs = chosen ? chosen.versions.filter((v) => !s.version || v.version === s.version) : [];
        if (!vs.some((v) => v.docs.some((d) => d.doc === s.doc))) s.doc = '';
      }
    }
    go(s);
  }

  // Navigates to the state's URL (a new history entry when the search changes).
  function go(s) {
    const url = stateUrl(s);
    if (url === location.pathname + location.search) {
      state = s;
      fillFilters();
      if (s.q) search();
      return;
    }
    if (s.q) ctx.navigate(url);
    else {
      ctx.navigate(url, { replace: true });
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go(readForm());
  });
  for (const f of kFilters) selects[f].addEventListener('change', () => onFilterChange(f));
  for (const input of modeInputs) input.addEventListener('change', () => go(readForm()));

  // ---- searching ----
  function showIntro() {
    clear(intro);
    intro.hidden = false;
    if (!lib) return;
    if (!lib.totals.docs) {
      intro.append(emptyLibrary());
      return;
    }
    const t = lib.totals;
    const nProducts = lib.vendors.reduce((n, v) => n + v.products.length, 0);
    intro.append(
      h('p', { class: 'lead' }, `Search ${plural(t.docs, 'doc')} of ${plural(nProducts, 'product')} from ${plural(t.vendors, 'vendor')}`,
        t.pages ? ` — ${plural(t.pages, 'PDF page')}, ` : ' — ', `${plural(t.chunks, 'passage')}.`),
      h('ul', { class: 'hints' },
        h('li', null, 'Words and ', h('code', null, '"exact phrases"'), '; filters in the query work too: ',
          h('code', null, 'product:bind9 zone transfer'), '.'),
        h('li', null, h('kbd', null, '/'), ' focuses the search box; ', h('kbd', null, 'j'), ' ', h('kbd', null, 'k'),
          ' or ', h('kbd', null, '↓'), ' ', h('kbd', null, '↑'), ' move between results; ', h('kbd', null, 'Enter'),
          ' opens one in its document.'),
        h('li', null, 'Or ', h('a', { href: '/library' }, 'browse the library'), '.')));
  }

  async function search({ more = false } = {}) {
    const mine = ++seq;
    if (!more) {
      offset = 0;
      selected = -1;
    }
    intro.hidden = true;
    status.className = 'status busy';
    status.textContent = 'Searching…';
    moreButton.hidden = true;
    let r;
    let unavailable = null;  // why the requested mode could not be used
    try {
      const params = { q: state.q, limit: kPageSize, offset };
      for (const f of kFilters) params[f] = state[f];
      if (params.vendor === 'Unknown vendor') delete params.vendor;  // the tree's name for "none given"
      if (state.mode !== 'auto') params.mode = state.mode;
      try {
        r = await getJSON('/api/search', params);
      } catch (e) {
        // A server without an embedder refuses an explicit hybrid/semantic search (422):
        // say so, and show the lexical results rather than nothing.
        if (e.code !== 'unsupported' || !params.mode || params.mode === 'lexical') throw e;
        unavailable = e.message;
        r = await getJSON('/api/search', { ...params, mode: 'lexical' });
      }
    } catch (e) {
      if (mine !== seq) return;
      status.className = 'status';
      clear(status);
      if (!more) clear(results);
      status.append(errorBox(e));
      return;
    }
    if (mine !== seq) return;
    if (!more) clear(results);
    r.results.forEach((hit, i) => results.append(resultCard(hit, offset + i)));
    offset += r.results.length;

    clear(status);
    status.className = 'status';
    if (!offset) {
      status.append(h('p', { class: 'none' }, 'No passages match ', h('q', null, state.q),
        kFilters.some((f) => state[f]) ? ' with these filters.' : '.'));
      if (lib && !lib.totals.docs) status.append(emptyLibrary());
      return;
    }
    const total = r.total_is_lower_bound ? `${r.total}+` : `${r.total}`;
    const bits = [
      h('span', { class: 'count' }, r.total === 1 ? '1 result' : `${total} results`),
      h('span', { class: 'took' }, `${Number(r.took_ms).toFixed(r.took_ms < 10 ? 1 : 0)} ms`),
      h('span', { class: 'mode-used', title: 'search mode used' }, `mode: ${r.mode}`),
    ];
    if (unavailable) {
      bits.push(h('span', { class: 'fallback', title: unavailable }, `${state.mode} search is not available here; used ${r.mode}`));
    } else if (r.mode_requested && r.mode_requested !== 'auto' && r.mode_requested !== r.mode) {
      bits.push(h('span', { class: 'fallback' }, `${r.mode_requested} is not available here; used ${r.mode}`));
    }
    if (offset < r.total) bits.push(h('span', { class: 'shown' }, `showing ${offset}`));
    status.append(...bits.flatMap((b, i) => (i ? [h('span', { class: 'dot', 'aria-hidden': 'true' }, ' · '), b] : [b])));
    moreButton.hidden = !(offset < r.total && r.results.length === kPageSize);
    if (ctx.pop && ctx.scrollY && !more) {
      window.scrollTo(0, ctx.scrollY);
      ctx.scrollY = 0;
    }
  }
  moreButton.addEventListener('click', () => search({ more: true }));

  // ---- keyboard: j/k or arrows between cards, Enter opens ----
  function cards() {
    return [...results.querySelectorAll('li.card')];
  }
  function select(i) {
    const all = cards();
    if (!all.length) return;
    selected = Math.max(0, Math.min(all.length - 1, i));
    all.forEach((c, k) => c.classList.toggle('selected', k === selected));
    all[selected].focus({ preventScroll: true });
    all[selected].scrollIntoView({ block: 'nearest' });
  }
  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target === q) {
      if (e.key === 'ArrowDown' && cards().length) {
        e.preventDefault();
        q.blur();
        select(0);
      } else if (e.key === 'Escape') {
        q.blur();
      }
      return;
    }
    if (isTyping(e.target)) return;
    const all = cards();
    if (!all.length) return;
    const focused = e.target instanceof Element ? e.target.closest('li.card') : null;
    if (focused) selected = all.indexOf(focused);
    if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      select(selected + 1);
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (selected <= 0) {
        all.forEach((c) => c.classList.remove('selected'));
        selected = -1;
        q.focus();
      } else {
        select(selected - 1);
      }
    } else if (e.key === 'Enter' && selected >= 0 && !(e.target instanceof HTMLAnchorElement) &&
               !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      ctx.navigate(all[selected].querySelector('a.card-view').getAttribute('href'));
    }
  }
  document.addEventListener('keydown', onKey);
  results.addEventListener('click', (e) => {
    const c = e.target instanceof Element ? e.target.closest('li.card') : null;
    if (c) {
      selected = cards().indexOf(c);
      cards().forEach((x) => x.classList.toggle('selected', x === c));
    }
  });

  // ---- start ----
  const libLoad = library().then((l) => {
    lib = l;
    fillFilters();
    if (!state.q) showIntro();
  }, (e) => {
    clear(intro).append(errorBox(e));
  });
  fillFilters();
  ctx.rememberSearch(stateUrl(state));
  if (state.q) search();
  else {
    await libLoad;
    if (!ctx.pop) q.focus();
  }
  await libLoad;

  return {
    leave() {
      document.removeEventListener('keydown', onKey);
      seq++;
    },
    // Back/forward between searches keeps the page and re-runs the search from the URL.
    update(next) {
      ctx.pop = next.pop;
      ctx.scrollY = next.scrollY;
      state = readState(next.params);
      q.value = state.q;
      document.title = state.q ? `${state.q} — McDewey` : 'McDewey';
      ctx.rememberSearch(stateUrl(state));
      fillFilters();
      if (state.q) search();
      else {
        seq++;
        clear(results);
        clear(status);
        moreButton.hidden = true;
        showIntro();
      }
      return true;
    },
  };
}

