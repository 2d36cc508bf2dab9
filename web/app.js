// McDewey's web UI: a single page with client-side routing (history API).
//   /                                   search   (?q=&vendor=&product=&version=&doc=&mode=)
//   /view/<product>/<version>/<doc>/<file>.md?chunk=<chunk_id>   View in doc context
//   /docs/<product>/<version>/<doc>     a doc: opens its first file (or lists its files)
//   /library                            library browser
// The server answers every one of these paths with this index.html (src/server/routes.cpp).
import { copyText, h, clear, isTyping } from './dom.js';
import { renderSearch } from './search.js';
import { renderView, renderDoc } from './view.js';
import { renderLibrary } from './library.js';

const main = document.getElementById('main');
let current = null;  // {name, leave?: fn}
let lastSearch = '/';

// Same-origin page links navigate in place; modified clicks (new tab) are left alone.
function isPagePath(path) {
  return path === '/' || path === '/library' || path.startsWith('/view/') || path.startsWith('/docs/');
}

export function navigate(href, { replace = false } = {}) {
  const url = new URL(href, location.href);
  if (url.origin !== location.origin || !isPagePath(url.pathname)) {
    location.href = url.href;
    return Promise.resolve();
  }
  const target = url.pathname + url.search + url.hash;
  if (replace) {
    history.replaceState({}, '', target);
  } else {
    // Remember where we were, so that "back" returns to the same place in the results.
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
    history.pushState({}, '', target);
  }
  return route();
}

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
  if (!a || a.target === '_blank' || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !isPagePath(url.pathname)) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;  // in-page anchor
  e.preventDefault();
  navigate(url.href);
});

window.addEventListener('popstate', () => route({ pop: true }));

function setNav(name) {
  for (const [id, n] of [['nav-search', 'search'], ['nav-library', 'library']]) {
    const a = document.getElementById(id);
    if (n === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.getElementById('nav-search').setAttribute('href', lastSearch);
}

function decodePath(rest) {
  try {
    return rest.split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
}

let routeSeq = 0;

async function route(how = {}) {
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  const ctx = { main, navigate, rememberSearch, params, pop: !!how.pop, scrollY: (history.state || {}).scrollY };
  let name = 'notfound';
  if (path === '/') name = 'search';
  else if (path === '/library') name = 'library';
  else if (path.startsWith('/view/')) {
    name = 'view';
    ctx.source = decodePath(path.slice('/view/'.length));
  } else if (path.startsWith('/docs/')) {
    name = 'doc';
    ctx.parts = (decodePath(path.slice('/docs/'.length)) || '').split('/');
  }

  // A page may keep its DOM when only its parameters change (a view moving between chunks,
  // back/forward between searches).
  if (current && current.name === name && current.update && current.update(ctx) === true) return;
  if (current && current.leave) current.leave();
  const mine = ++routeSeq;
  current = { name };
  clear(main);
  setNav(name);
  window.scrollTo(0, 0);
  let result = {};
  if (name === 'search') result = await renderSearch(ctx);
  else if (name === 'library') result = await renderLibrary(ctx);
  else if (name === 'view') result = await renderView(ctx);
  else if (name === 'doc') result = await renderDoc(ctx);
  else {
    document.title = 'Not found — McDewey';
    main.append(h('div', { class: 'page narrow' },
      h('h1', null, 'Page not found'),
      h('p', null, 'There is nothing at ', h('code', null, path), '. ', h('a', { href: '/' }, 'Search the library'),
        ' or ', h('a', { href: '/library' }, 'browse it'), '.')));
  }
  // A newer navigation may have happened while this page loaded: then this one is stale.
  if (mine === routeSeq) current = { name, ...(result || {}) };
  else if (result && result.leave) result.leave();
}

function rememberSearch(href) {
  lastSearch = href;
  document.getElementById('nav-search').setAttribute('href', href);
}

// ---- header: the MCP endpoint, one click to copy ----
const mcpUrl = `${location.origin}/mcp`;
document.getElementById('mcp-url').textContent = mcpUrl;
const mcpButton = document.getElementById('mcp-copy');
const mcpAction = document.getElementById('mcp-action');
let copyTimer = 0;
mcpButton.addEventListener('click', async () => {
  const ok = await copyText(mcpUrl);
  mcpAction.textContent = ok ? 'Copied ✓' : 'Select and copy';
  mcpButton.classList.toggle('copied', ok);
  clearTimeout(copyTimer);
  copyTimer = setTimeout(() => {
    mcpAction.textContent = 'Copy';
    mcpButton.classList.remove('copied');
  }, 2000);
});

// ---- keyboard: "/" focuses the query box (on any page) ----
document.addEventListener('keydown', (e) => {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
  e.preventDefault();
  const box = document.getElementById('q');
  if (box) {
    box.focus();
    box.select();
  } else {
    navigate(lastSearch).then(() => document.getElementById('q')?.focus());
  }
});

route();
