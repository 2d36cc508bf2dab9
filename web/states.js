// Empty states and errors, shown plainly.
import { h } from './dom.js';

export function emptyLibrary() {
  return h('div', { class: 'empty' },
    h('h2', null, 'The library is empty'),
    h('p', null, 'Add manuals (PDF, HTML, Markdown, plain text) from a shell, then reload this page:'),
    h('pre', null, h('code', null, 'mcdewey ingest DIR')),
    h('p', null, 'DIR is laid out ', h('code', null, '<product>/<version>/…'),
      ', e.g. ', h('code', null, 'bind9/9.18/arm.pdf'), '. Use the same ', h('code', null, '--data'),
      ' directory as ', h('code', null, 'mcdewey serve'), '. Single files work too: ',
      h('code', null, 'mcdewey ingest guide.pdf --product cucm --version v15 --vendor Cisco'), '.'));
}

export function errorBox(e) {
  const code = (e && e.code) || 'error';
  const status = e && e.status ? ` (HTTP ${e.status})` : '';
  return h('div', { class: 'error', role: 'alert' },
    h('strong', null, `Error: ${code}${status}`), ' ',
    h('span', { class: 'error-message' }, (e && e.message) || String(e)));
}
