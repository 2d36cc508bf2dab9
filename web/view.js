// "View in doc context": one document file rendered by the server (sanitised HTML with
// <section class="chunk" data-chunk-id> around each chunk and <div class="page-sep"> at each
// PDF page), scrolled to a chunk that is highlighted; breadcrumbs, previous/next chunk, the
// outline beside the text, the files of the doc, and the original file.
import { getJSON, viewHref, docHref, ordinalOf } from './api.js';
import { h, clear, pageSpan, sanitizedFragment, plural, isTyping } from './dom.js';
import { errorBox } from './states.js';

function pagesText(page, pageEnd, label) {
  return page ? `${pageEnd > page ? 'pages' : 'page'} ${pageSpan(page, pageEnd, label)}` : '';
}

const kFormats = { pdf: 'PDF', html: 'HTML', markdown: 'Markdown', md: 'Markdown', text: 'Text', txt: 'Text' };

export async function renderView(ctx) {
  const { main } = ctx;
  const source = ctx.source;
  let chunkId = ctx.params.get('chunk') || '';
  const page = h('div', { class: 'page view-page' });
  main.append(page);
  if (!source) {
    page.append(errorBox({ code: 'bad_path', message: 'This view address is not valid.' }));
    return {};
  }
  page.append(h('p', { class: 'status busy' }, 'Loading ', h('code', null, source), '…'));

  let view;
  const firstChunk = chunkId ? getJSON(`/api/chunks/${encodeURIComponent(chunkId)}`).catch((e) => e) : null;
  try {
    view = await getJSON('/api/view', { source });
  } catch (e) {
    clear(page).append(errorBox(e),
      h('p', null, 'Find the document in the ', h('a', { href: '/library' }, 'library'), ' or ',
        h('a', { href: '/' }, 'search'), ' for it.'));
    document.title = 'Not found — McDewey';
    return {};
  }
  clear(page);
  const meta = view.doc_meta || {};
  const docTitle = meta.title || view.doc;
  document.title = `${view.title || docTitle} — McDewey`;
  const chunkInfo = new Map(view.chunks.map((c) => [c.chunk_id, c]));
  const isPdf = view.format === 'pdf';

  // ---- header: breadcrumbs, title, toolbar ----
  const headingCrumbs = h('span', { class: 'heading-crumbs' });
  const crumbs = h('nav', { class: 'crumbs doc-crumbs', 'aria-label': 'Breadcrumbs' },
    h('span', { class: 'crumbs-lib' },
      meta.vendor ? [h('a', { href: '/library' }, meta.vendor), h('span', { class: 'sep' }, ' › ')] : null,
      h('a', { href: `/library#p-${view.product}` }, meta.product_name || view.product), h('span', { class: 'sep' }, ' › '),
      h('a', { href: `/library#p-${view.product}-${view.version}` }, view.version), h('span', { class: 'sep' }, ' › ')),
    h('a', { href: docHref(view.product, view.version, view.doc) }, docTitle),
    headingCrumbs);

  const facts = [kFormats[view.format] || view.format];
  if (view.pages) facts.push(plural(view.pages, 'page'));
  facts.push(plural(view.chunks.length, 'passage'));
  const title = h('div', { class: 'view-head' },
    h('h1', { class: 'view-title' }, view.title || docTitle),
    h('p', { class: 'view-facts' }, facts.join(' · '), ' · ', h('code', null, view.source)));

  const prev = h('button', { type: 'button', class: 'nav-chunk prev', title: 'Previous chunk (p)', 'aria-label': 'Previous chunk',
    disabled: true }, '← ', h('span', { class: 'wide-only' }, 'Previous'));
  const next = h('button', { type: 'button', class: 'nav-chunk next', title: 'Next chunk (n)', 'aria-label': 'Next chunk',
    disabled: true }, h('span', { class: 'wide-only' }, 'Next'), ' →');
  const where = h('span', { class: 'where-page' });
  const whereChunk = h('code', { class: 'view-chunk' });
  const original = h('a', { class: 'original', href: view.original_url, target: '_blank', rel: 'noopener' });
  // Sticky: where you are (breadcrumbs, page, chunk) and where to go stay in sight.
  const bar = h('div', { class: 'view-bar' },
    crumbs,
    h('div', { class: 'bar-row' },
      h('div', { class: 'view-nav' }, prev, next),
      h('div', { class: 'view-where' }, where, whereChunk),
      original));

  // ---- body: outline and files beside the text ----
  const article = h('article', { class: 'doc-text' });
  article.append(sanitizedFragment(view.html));
  const sections = new Map();
  for (const s of article.querySelectorAll('section.chunk[data-chunk-id]')) sections.set(s.dataset.chunkId, s);

  const narrow = window.matchMedia('(max-width: 900px)');
  const side = h('aside', { class: 'side', 'aria-label': 'Outline' });
  const outlineLinks = [];
  if (view.outline.length) {
    const list = h('ol', { class: 'outline' });
    for (const e of view.outline) {
      const a = h('a', { href: viewHref(view.source, e.chunk_id), class: `l${Math.min(6, Math.max(1, e.level))}` },
        h('span', { class: 'o-title' }, e.title),
        e.page ? h('span', { class: 'o-page' }, String(e.page)) : null);
      outlineLinks.push({ a, ordinal: ordinalOf(e.chunk_id) });
      list.append(h('li', null, a));
    }
    side.append(h('details', { class: 'side-box', open: !narrow.matches },
      h('summary', null, 'Outline', view.pages ? h('span', { class: 'hint' }, 'page') : null), list));
  }
  const filesBox = h('div', { class: 'files-slot' });
  side.append(filesBox);
  if ((meta.files || 0) > 1) {
    getJSON(docHref(view.product, view.version, view.doc).replace('/docs/', '/api/docs/')).then((d) => {
      const list = h('ol', { class: 'files' });
      for (const f of d.files) {
        const here = f.source === view.source;
        list.append(h('li', null, h('a', { href: viewHref(f.source), 'aria-current': here ? 'page' : null },
          f.title || f.file)));
      }
      filesBox.append(h('details', { class: 'side-box', open: !narrow.matches },
        h('summary', null, `Files in this doc (${d.files.length})`), list));
    }, () => {});
  }
  const body = h('div', { class: side.childElementCount > 1 || view.outline.length ? 'view-body' : 'view-body no-side' },
    side, article);
  page.append(bar, title, body);
  // The outline and in-page anchors sit below the sticky bar, whose height varies (CSSOM
  // custom property: allowed by the CSP, unlike a style attribute).
  const barHeight = () => page.style.setProperty('--bar-h', `${Math.ceil(bar.getBoundingClientRect().height)}px`);
  barHeight();
  const resize = new ResizeObserver(barHeight);
  resize.observe(bar);

  // ---- the current chunk ----
  let seq = 0;
  function setWhere(c, label) {
    where.textContent = c ? pagesText(c.page, c.page_end, label) : '';
    where.hidden = !where.textContent;
    whereChunk.textContent = chunkId || '';
    whereChunk.hidden = !chunkId;
    original.href = isPdf && c && c.page ? `${view.original_url}#page=${c.page}` : view.original_url;
    clear(original).append('↗ ', h('span', { class: 'wide-only' }, 'Original '), isPdf ? 'PDF' : 'file',
      isPdf && c && c.page ? `, page ${c.page}` : '');
  }
  function markOutline() {
    const ord = ordinalOf(chunkId);
    let active = null;
    for (const o of outlineLinks) {
      o.a.classList.remove('active');
      if (ord >= 0 && o.ordinal >= 0 && o.ordinal <= ord) active = o;
    }
    if (active) {
      active.a.classList.add('active');
      const box = side;
      if (box.scrollHeight > box.clientHeight) {
        const top = active.a.offsetTop - box.clientHeight / 3;
        box.scrollTop = Math.max(0, top);
      }
    }
  }
  // Centres the chunk when it fits below the sticky bar, else puts its start just below the bar.
  function scrollToSection(s) {
    const r = s.getBoundingClientRect();
    const room = window.innerHeight - bar.offsetHeight;
    const offset = r.height < room - 40 ? bar.offsetHeight + (room - r.height) / 2 : bar.offsetHeight + 12;
    window.scrollTo({ top: Math.max(0, window.scrollY + r.top - offset), behavior: 'instant' });
  }

  async function showChunk(id, pending) {
    const mine = ++seq;
    chunkId = id;
    for (const s of article.querySelectorAll('section.chunk.current')) s.classList.remove('current');
    clear(headingCrumbs);
    prev.disabled = true;
    next.disabled = true;
    if (!id) {
      setWhere(null);
      const first = view.chunks[0];
      if (first) {
        next.disabled = false;
        next.onclick = () => ctx.navigate(viewHref(view.source, first.chunk_id));
      }
      const hash = location.hash && document.getElementById(location.hash.slice(1));
      if (hash && article.contains(hash)) hash.scrollIntoView({ block: 'start' });
      else window.scrollTo(0, 0);
      markOutline();
      return;
    }
    const sec = sections.get(id);
    const c = chunkInfo.get(id);
    setWhere(c);
    // Neighbours in this file are known from the view at once; /api/chunks confirms them below.
    const at = view.chunks.findIndex((x) => x.chunk_id === id);
    if (at >= 0) setNeighbours(view.chunks[at - 1]?.chunk_id, view.chunks[at + 1]?.chunk_id);
    if (sec) {
      sec.classList.add('current');
      scrollToSection(sec);
    } else {
      bar.after(h('div', { class: 'notice stale' },
        `Passage ${id} is not in this document (it may have been re-ingested).`));
    }
    markOutline();
    let info;
    try {
      info = await (pending || getJSON(`/api/chunks/${encodeURIComponent(id)}`));
      if (info instanceof Error) throw info;
    } catch (e) {
      if (mine === seq) bar.after(errorBox(e));
      return;
    }
    if (mine !== seq) return;
    setWhere(c || info, info.page_label);
    for (const p of info.heading_path || []) {
      headingCrumbs.append(h('span', { class: 'sep' }, ' › '), h('span', { class: 'crumb' }, p));
    }
    // The breadcrumbs may have made the sticky bar taller: place the chunk again.
    if (sec) scrollToSection(sec);
    setNeighbours(info.prev_id, info.next_id);
  }

  function setNeighbours(prevId, nextId) {
    const go = (to) => () => ctx.navigate(viewHref(view.source, to));
    prev.disabled = !prevId;
    next.disabled = !nextId;
    prev.onclick = prevId ? go(prevId) : null;
    next.onclick = nextId ? go(nextId) : null;
  }

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    if ((e.key === 'n' || e.key === ']') && !next.disabled) {
      e.preventDefault();
      next.click();
    } else if ((e.key === 'p' || e.key === '[') && !prev.disabled) {
      e.preventDefault();
      prev.click();
    }
  }
  document.addEventListener('keydown', onKey);

  await showChunk(chunkId, firstChunk);

  return {
    leave() {
      seq++;
      resize.disconnect();
      document.removeEventListener('keydown', onKey);
    },
    // Moving between chunks of the same file keeps the rendered document.
    update(nextCtx) {
      if (nextCtx.source !== view.source) return false;
      for (const n of page.querySelectorAll('.notice.stale, .error')) n.remove();
      showChunk(nextCtx.params.get('chunk') || '');
      return true;
    },
  };
}

// /docs/<product>/<version>/<doc>: opens the doc's first file.
export async function renderDoc(ctx) {
  const [product, version, doc] = ctx.parts;
  const page = h('div', { class: 'page narrow' });
  ctx.main.append(page);
  if (!product || !version || !doc || ctx.parts.length !== 3) {
    page.append(errorBox({ code: 'bad_path', message: 'A doc address is /docs/<product>/<version>/<doc>.' }));
    return {};
  }
  try {
    const d = await getJSON(`/api/docs/${[product, version, doc].map(encodeURIComponent).join('/')}`);
    if (!d.files.length) throw Object.assign(new Error('This doc has no files.'), { code: 'not_found' });
    ctx.navigate(viewHref(d.files[0].source), { replace: true });
  } catch (e) {
    document.title = 'Not found — McDewey';
    page.append(errorBox(e), h('p', null, 'Browse the ', h('a', { href: '/library' }, 'library'), '.'));
  }
  return {};
}
