// The library browser: vendors → products → versions → docs, with counts (GET /api/library).
import { library, docHref } from './api.js';
import { h, clear, plural } from './dom.js';
import { emptyLibrary, errorBox } from './states.js';

function counts(parts) {
  return h('span', { class: 'counts' }, parts.filter(Boolean).join(' · '));
}

export async function renderLibrary(ctx) {
  document.title = 'Library — McDewey';
  const page = h('div', { class: 'page library-page' }, h('h1', null, 'Library'));
  ctx.main.append(page);
  const status = h('p', { class: 'status busy' }, 'Loading the library…');
  page.append(status);
  let lib;
  try {
    lib = await library(true);
  } catch (e) {
    clear(status).append(errorBox(e));
    status.className = 'status';
    return {};
  }
  status.remove();
  const t = lib.totals;
  if (!t.docs) {
    page.append(emptyLibrary());
    return {};
  }
  const nProducts = lib.vendors.reduce((n, v) => n + v.products.length, 0);
  page.append(h('p', { class: 'lead' }, [plural(t.vendors, 'vendor'), plural(nProducts, 'product'), plural(t.docs, 'doc'),
    t.pages ? plural(t.pages, 'PDF page') : null, plural(t.chunks, 'passage')].filter(Boolean).join(' · ')));

  const toc = h('nav', { class: 'lib-toc', 'aria-label': 'Products' });
  const tree = h('div', { class: 'lib-tree' });
  for (const v of lib.vendors) {
    const vendor = h('section', { class: 'vendor' },
      h('h2', null, v.name, ' ', counts([plural(v.products.length, 'product'), plural(v.docs, 'doc'), plural(v.chunks, 'passage')])));
    for (const p of v.products) {
      toc.append(h('a', { href: `#p-${p.slug}` }, p.name));
      const versions = h('ul', { class: 'versions' });
      for (const ver of p.versions) {
        const docs = h('ul', { class: 'docs' });
        for (const d of ver.docs) {
          docs.append(h('li', { class: 'doc' },
            h('a', { href: docHref(p.slug, ver.version, d.doc), class: 'doc-link' }, d.title || d.doc),
            ' ', h('code', { class: 'slug' }, d.doc), ' ',
            counts([d.files > 1 ? plural(d.files, 'file') : null, d.pages ? plural(d.pages, 'page') : null,
              plural(d.chunks, 'passage')]),
            ' ', h('a', {
              class: 'search-in', href: `/?product=${encodeURIComponent(p.slug)}&version=${encodeURIComponent(ver.version)}&doc=${encodeURIComponent(d.doc)}`,
              title: 'Search only this doc',
            }, 'search in it')));
        }
        versions.append(h('li', { class: 'version', id: `p-${p.slug}-${ver.version}` },
          h('div', { class: 'version-head' }, h('span', { class: 'ver' }, ver.version), ' ',
            counts([plural(ver.docs.length, 'doc'), plural(ver.chunks, 'passage')])),
          docs));
      }
      vendor.append(h('div', { class: 'product', id: `p-${p.slug}` },
        h('h3', null, p.name, ' ', h('code', { class: 'slug' }, p.slug), ' ',
          counts([plural(p.versions.length, 'version'), plural(p.docs, 'doc'), plural(p.chunks, 'passage')])),
        versions));
    }
    tree.append(vendor);
  }
  page.append(toc, tree);
  if (location.hash) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) {
      target.classList.add('target');
      target.scrollIntoView({ block: 'start' });
    }
  }
  return {};
}
