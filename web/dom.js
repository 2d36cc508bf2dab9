// DOM helpers. Untrusted strings (document text, titles, paths, error messages) only ever
// become text nodes; the one exception is the server-sanitised view HTML, which goes through
// sanitizedFragment() (an inert <template>, then an allow-list pass) as a second line of defence.

// h('a', {class: 'x', href: '/y', onclick: fn}, 'text', child, [more, children])
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v);
      } else if (k === 'class') {
        el.className = v;
      } else if (k === 'dataset') {
        Object.assign(el.dataset, v);
      } else if (v === true) {
        el.setAttribute(k, '');
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

const kEntities = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

function decodeEntities(s) {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => kEntities[e]);
}

// The server's snippet fields are HTML-escaped text with <mark>…</mark> around matches
// (server/http/json_mapping.cpp snippet_html). Rather than parsing them as HTML, split on the
// two tags and un-escape the five entities html_escape() produces: the result is text nodes
// and <mark> elements only, whatever the passage contains. (The hit's byte offsets are not
// used: they count UTF-8 bytes, JavaScript strings count UTF-16 units.)
export function markedRuns(snippet) {
  const runs = [];
  let inMark = false;
  for (const part of String(snippet || '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') inMark = true;
    else if (part === '</mark>') inMark = false;
    else if (part) runs.push({ text: decodeEntities(part), mark: inMark });
  }
  return runs;
}

// Text nodes and <mark> elements for a snippet; `tidy` may rewrite the runs first.
export function markedText(snippet, tidy = (runs) => runs) {
  const frag = document.createDocumentFragment();
  for (const r of tidy(markedRuns(snippet))) {
    if (r.text) frag.append(r.mark ? h('mark', null, r.text) : document.createTextNode(r.text));
  }
  return frag;
}

// Elements the server's Markdown renderer (md4c + render/markdown_html.cpp) can emit.
const kAllowedTags = new Set([
  'A', 'ABBR', 'B', 'BLOCKQUOTE', 'BR', 'CODE', 'DD', 'DEL', 'DIV', 'DL', 'DT', 'EM', 'H1', 'H2', 'H3', 'H4',
  'H5', 'H6', 'HR', 'I', 'INPUT', 'LI', 'OL', 'P', 'PRE', 'S', 'SECTION', 'SPAN', 'STRONG', 'SUB', 'SUP',
  'TABLE', 'TBODY', 'TD', 'TH', 'THEAD', 'TR', 'U', 'UL',
]);
const kAllowedAttrs = new Set(['class', 'id', 'href', 'title', 'align', 'start', 'type', 'checked', 'disabled',
  'data-chunk-id', 'data-page', 'colspan', 'rowspan']);

function safeHref(v) {
  const u = v.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  const colon = u.indexOf(':');
  const stop = u.search(/[/?#]/);
  if (colon < 0 || (stop >= 0 && stop < colon)) return true;  // relative
  return /^(https?|mailto):/.test(u);
}

// Turns the view HTML (already sanitised by the server) into a fragment. A <template> parses
// it without running anything or fetching anything; the walk then drops whatever is not on
// the allow-list, so a server regression still cannot run script here (the CSP is the third line).
export function sanitizedFragment(html) {
  const t = document.createElement('template');
  t.innerHTML = html;
  const walk = (node) => {
    for (const child of [...node.children]) {
      if (!kAllowedTags.has(child.tagName)) {
        child.remove();
        continue;
      }
      for (const a of [...child.attributes]) {
        const name = a.name.toLowerCase();
        if (!kAllowedAttrs.has(name) || (name === 'href' && !safeHref(a.value)) ||
            (name === 'id' && !/^(chunk|page)-\d+$/.test(a.value))) {
          child.removeAttribute(a.name);
        }
      }
      if (child.tagName === 'INPUT') {
        if (child.getAttribute('type') !== 'checkbox') { child.remove(); continue; }
        child.setAttribute('disabled', '');
      }
      if (child.tagName === 'A' && child.hasAttribute('href')) {
        const href = child.getAttribute('href');
        if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
          child.setAttribute('target', '_blank');
          child.setAttribute('rel', 'noopener noreferrer');
        }
      }
      walk(child);
    }
  };
  walk(t.content);
  return t.content;
}

// Copies text; falls back to a selected textarea where the Clipboard API is unavailable
// (plain http on a LAN address is not a secure context).
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the old way
    }
  }
  const ta = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
  ta.value = text;
  document.body.append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

export function plural(n, one, many = one + 's') {
  return `${Number(n).toLocaleString('en')} ${n === 1 ? one : many}`;
}

export function isTyping(target) {
  if (!target || !(target instanceof Element)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

// A page or page range, "12" or "12–14", plus " (printed vii)" when a label is given and
// differs from the page number; "" without a page.
export function pageSpan(page, pageEnd, label) {
  if (!page) return '';
  let t = pageEnd > page ? `${page}–${pageEnd}` : `${page}`;
  if (label && label !== String(page)) t += ` (printed ${label})`;
  return t;
}
