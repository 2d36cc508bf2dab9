// End-to-end test of McDewey's web UI in headless Chromium (Debian's /usr/bin/chromium driven
// by playwright-core): the real binary serves the fixture library on a free port; the test
// searches, filters by product, walks results with the keyboard, opens "View in doc context"
// on a PDF hit (the highlighted chunk is in view and its page is shown), steps to the
// previous/next chunk, uses the outline and the library browser, checks empty and error states,
// and opens a hostile library whose documents try to run script (none may run).
// Screenshots of the search, view and library pages are written to --out; look at them.
//
//   node ui_test.mjs --binary build/src/mcdewey --data tests/data --out build/tests/e2e/screenshots
//
// Exits 77 (CTest's skip code) only when playwright-core (npm ci in tests/e2e) or
// /usr/bin/chromium is missing; any other problem fails.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

import { arg, ingestCopy, serve as serveBinary } from '../support/mcdewey_proc.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(join(here, 'node_modules', 'playwright-core', 'package.json'))) {
  console.log('SKIP: playwright-core is not installed (npm ci in tests/e2e; scripts/install-deps.sh does it)');
  process.exit(77);
}
if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} is missing (Debian package chromium; scripts/install-deps.sh installs it)`);
  process.exit(77);
}
const { chromium } = await import('playwright-core');

const BINARY = arg('--binary');
const DATA = arg('--data');
const OUT = arg('--out');
mkdirSync(OUT, { recursive: true });

const HEADER = 'McDewey — Multi-vendor documentation library · semantic search · MCP endpoint at /mcp';
const CHUNK_ID = /^[^:/]+::[^:/]+::[^:/]+::[^:/]+::\d+$/;
const tmp = mkdtempSync(join(tmpdir(), 'mcdewey-e2e-'));
const servers = [];
const problems = [];  // page errors, CSP violations, dialogs: collected, fail at the end
let browser = null;

function log(msg) {
  console.log(`[e2e] ${msg}`);
}

function ingest(srcDir, name) {
  return ingestCopy(BINARY, srcDir, tmp, name);
}

async function serve(data) {
  const s = await serveBinary(BINARY, data);
  servers.push(s.proc);
  return s;
}

function watch(page, label) {
  page.on('pageerror', (e) => problems.push(`${label}: uncaught page error: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`${label}: CSP violation: ${text}`);
    else if (m.type() === 'error' && !/Failed to load resource/.test(text)) problems.push(`${label}: console error: ${text}`);
  });
  page.on('dialog', (d) => {
    problems.push(`${label}: a dialog opened (${d.type()}: ${d.message()}) — script ran`);
    d.dismiss().catch(() => {});
  });
  page.setDefaultTimeout(15000);
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUT, name) });
  log(`screenshot ${join(OUT, name)}`);
}

// Waits until a search has finished and every card's chunk id starts with `prefix`. (A function,
// not a string: the page's CSP forbids eval.)
async function waitForCards(page, prefix = '') {
  await page.waitForFunction((pre) => {
    const st = document.querySelector('.status');
    if (!st || st.classList.contains('busy')) return false;
    const cards = [...document.querySelectorAll('li.card')];
    return cards.length > 0 && cards.every((c) => c.dataset.chunkId.startsWith(pre));
  }, prefix);
}

async function readCards(page) {
  return page.$$eval('li.card', (cards) => cards.map((c) => ({
    id: c.dataset.chunkId,
    headline: c.querySelector('.card-page')?.textContent.trim(),
    page: c.querySelector('.v-page')?.textContent.trim() ?? null,
    source: c.querySelector('.v-source')?.textContent.trim(),
    chunk: c.querySelector('.v-chunk')?.textContent.trim(),
    view: c.querySelector('a.card-view')?.textContent.trim(),
    marks: c.querySelectorAll('.passage mark').length,
  })));
}

// The current chunk: its id, whether it is in the viewport below the sticky bar, and the page shown.
async function currentChunk(page) {
  await page.locator('section.chunk.current').waitFor();
  return page.evaluate(() => {
    const s = document.querySelector('section.chunk.current');
    const r = s.getBoundingClientRect();
    const bar = document.querySelector('.view-bar').getBoundingClientRect();
    return {
      id: s.dataset.chunkId,
      top: r.top,
      bottom: r.bottom,
      barBottom: bar.bottom,
      inView: r.top >= bar.bottom - 2 && r.top < window.innerHeight - 20 && r.bottom > 0,
      where: document.querySelector('.where-page').textContent,
      whereVisible: !document.querySelector('.where-page').hidden,
    };
  });
}

function ordinal(id) {
  return Number(id.split('::').pop());
}

async function mainScenario(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url.replace(/\/$/, '') });
  const page = await context.newPage();
  watch(page, 'main');

  // ---- header ----
  await page.goto(url);
  assert.equal((await page.locator('.brand').textContent()).replace(/\s+/g, ' ').trim(), HEADER);
  const mcp = `${url}mcp`;
  assert.equal(await page.locator('#mcp-url').textContent(), mcp);
  await page.click('#mcp-copy');
  await page.locator('#mcp-action', { hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), mcp, 'MCP URL copied');
  await page.locator('.intro .lead').waitFor();
  assert.match(await page.locator('.intro .lead').textContent(), /4 docs/);
  log('header and intro ok');

  // ---- search: "/" focuses the box, Enter searches ----
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q', '"/" focuses the query box');
  await page.keyboard.type('server');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\?q=server$/);
  await waitForCards(page);
  let cards = await readCards(page);
  assert.ok(cards.length >= 3, `cards for "server": ${cards.length}`);
  for (const c of cards) {
    assert.match(c.chunk, CHUNK_ID);
    assert.equal(c.chunk, c.id);
    const [p, v, d, f] = c.chunk.split('::');
    assert.equal(c.source, `${p}/${v}/${d}/${f}.md`);
    assert.equal(c.view, '↗ View in doc context');
    if (c.page) assert.match(c.headline, /^Pages? \d+/);
    else assert.doesNotMatch(c.headline, /^Page/, 'a doc without pages shows no "Page N"');
  }
  assert.ok(cards.some((c) => c.source.startsWith('mit-kerberos/') && /^\d+/.test(c.page)), 'a PDF card with its page');
  assert.ok(new Set(cards.map((c) => c.source.split('/')[0])).size > 1, 'several products before filtering');
  assert.ok(cards.some((c) => c.marks > 0), 'matches are highlighted');
  const status = await page.locator('.status').textContent();
  assert.match(status, /results? · [\d.]+ ms · mode: (hybrid|lexical|semantic)/);
  await shot(page, 'search.png');
  log(`search ok: ${cards.length} cards`);

  // ---- the mode toggle: the mode used is shown, also when semantic search is unavailable ----
  await page.click('label[for="mode-semantic"]');
  await page.waitForURL(/mode=semantic/);
  await waitForCards(page);
  const semStatus = await page.locator('.status').textContent();
  assert.match(semStatus, /mode: semantic|semantic search is not available here; used lexical/, semStatus);
  assert.equal(await page.locator('.status .error').count(), 0);
  await page.click('label[for="mode-auto"]');
  await page.waitForURL((u) => !u.searchParams.has('mode'));
  await waitForCards(page);
  log(`mode toggle ok: ${semStatus}`);

  // ---- more results append below, keyboard selection keeps working across them ----
  const before = await page.locator('li.card').count();
  await page.locator('button.more-results').click();
  await page.waitForFunction((n) => document.querySelectorAll('li.card').length > n, before);
  const ids = await page.$$eval('li.card', (cs) => cs.map((c) => c.dataset.chunkId));
  assert.equal(new Set(ids).size, ids.length, 'no card twice');
  log(`more results ok: ${before} → ${ids.length}`);

  // ---- filter by product ----
  await page.selectOption('#f-product', 'mit-kerberos');
  await page.waitForURL(/product=mit-kerberos/);
  await waitForCards(page, 'mit-kerberos::');
  cards = await readCards(page);
  assert.ok(cards.every((c) => c.source.startsWith('mit-kerberos/1.20.1/') && /^\d+/.test(c.page)), 'only the product');
  assert.ok(await page.locator('#f-version option[value="1.20.1"]').count() === 1, 'versions cascade from the product');
  assert.ok(await page.locator('#f-doc option[value="krb5-basic-excerpt"]').count() === 1, 'docs cascade');
  log(`product filter ok: ${cards.length} cards`);

  // ---- vendor → product cascade, and back restores the previous search ----
  await page.selectOption('#f-vendor', 'Icinga GmbH');
  await page.waitForURL((u) => u.searchParams.get('vendor') === 'Icinga GmbH' && !u.searchParams.has('product'));
  await waitForCards(page, 'icinga2::');
  const products = await page.$$eval('#f-product option', (os) => os.map((o) => o.value));
  assert.deepEqual(products, ['', 'icinga2']);
  await page.goBack();
  await page.waitForURL(/product=mit-kerberos/);
  await waitForCards(page, 'mit-kerberos::');
  assert.equal(await page.inputValue('#f-product'), 'mit-kerberos');
  log('vendor cascade and back button ok');

  // ---- keyboard: j/k between cards, Enter opens the selected one ----
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const sel = await page.$eval('li.card.selected', (c) => ({ id: c.dataset.chunkId, i: Number(c.dataset.index) }));
  assert.equal(sel.i, 1, 'j j j k selects the second card');
  cards = await readCards(page);
  const picked = cards[1];
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname.startsWith('/view/') && u.searchParams.get('chunk') === picked.id);

  // ---- View in doc context on a PDF hit ----
  let cur = await currentChunk(page);
  assert.equal(cur.id, picked.id);
  assert.ok(cur.inView, `highlighted chunk in the viewport: ${JSON.stringify(cur)}`);
  const firstPage = Number(picked.page.match(/^\d+/)[0]);
  assert.equal(cur.where, (picked.page.includes('–') ? 'pages ' : 'page ') + picked.page, 'the chunk\'s page is shown');
  assert.ok(cur.whereVisible);
  assert.equal(await page.locator(`.doc-text #page-${firstPage}`).count(), 1, 'page separator present');
  assert.match(await page.locator(`.doc-text #page-${firstPage}`).textContent(), new RegExp(`^page ${firstPage}\\b`));
  const crumbs = (await page.locator('.doc-crumbs').textContent()).replace(/\s+/g, ' ');
  for (const part of ['MIT Kerberos Consortium', 'MIT Kerberos 5', '1.20.1', 'Kerberos Concepts']) {
    assert.ok(crumbs.includes(part), `breadcrumbs "${crumbs}" name ${part}`);
  }
  assert.ok((await page.getAttribute('a.original', 'href')).endsWith(`.pdf#page=${firstPage}`), 'original PDF at its page');
  assert.ok(await page.locator('.outline a').count() > 5, 'outline beside the text');
  assert.equal(await page.locator('.outline a.active').count(), 1, 'current outline entry marked');
  assert.equal(await page.locator('.doc-text section.chunk.current').count(), 1);
  await shot(page, 'view.png');
  log(`view ok: ${cur.id} ${cur.where}`);

  // ---- previous / next chunk ----
  const api = async (id) => (await page.request.get(`${url}api/chunks/${encodeURIComponent(id)}`)).json();
  const info = await api(picked.id);
  assert.ok(info.next_id && info.prev_id, 'the picked chunk has neighbours');
  await page.click('button.nav-chunk.next');
  await page.waitForURL((u) => u.searchParams.get('chunk') === info.next_id);
  cur = await currentChunk(page);
  assert.equal(cur.id, info.next_id);
  assert.equal(ordinal(cur.id), ordinal(picked.id) + 1);
  assert.ok(cur.inView, `next chunk in view: ${JSON.stringify(cur)}`);
  const nextInfo = await api(info.next_id);
  assert.ok(cur.where.startsWith(`page${nextInfo.page_end > nextInfo.page ? 's' : ''} ${nextInfo.page}`), cur.where);
  await page.click('button.nav-chunk.prev');
  await page.waitForURL((u) => u.searchParams.get('chunk') === picked.id);
  assert.equal((await currentChunk(page)).id, picked.id);
  await page.keyboard.press('p');
  await page.waitForURL((u) => u.searchParams.get('chunk') === info.prev_id);
  cur = await currentChunk(page);
  assert.equal(cur.id, info.prev_id);
  assert.ok(cur.inView);
  await page.goBack();
  await page.waitForURL((u) => u.searchParams.get('chunk') === picked.id);
  assert.equal((await currentChunk(page)).id, picked.id, 'back returns to the previous chunk');
  log('previous/next ok');

  // ---- the outline jumps to a heading's chunk ----
  await page.locator('.outline a', { hasText: '3.2 Replay cache types' }).click();
  await page.waitForURL(/chunk=/);
  cur = await currentChunk(page);
  assert.equal(cur.where, 'page 12 (printed 8)');
  assert.ok(cur.inView);
  log('outline ok');

  // ---- library browser ----
  await page.click('#nav-library');
  await page.waitForURL(/\/library$/);
  await page.locator('.product').first().waitFor();
  const names = await page.$$eval('.product h3', (hs) => hs.map((h) => h.firstChild.textContent.trim()));
  assert.deepEqual([...names].sort(), ['Git', 'Icinga 2', 'Kamailio SIP Server', 'MIT Kerberos 5']);
  assert.match(await page.locator('.library-page .lead').textContent(), /4 vendors · 4 products · 4 docs · 14 PDF pages/);
  await shot(page, 'library.png');
  await page.locator('a.doc-link', { hasText: 'About Icinga 2' }).click();
  await page.waitForURL(/\/view\/icinga2\/2\.13\.6\/manual\/[^/]+\.md$/);
  await page.locator('.files a').first().waitFor();
  assert.equal(await page.locator('.files a').count(), 2, 'the files of a multi-file doc');
  assert.equal(await page.locator('.where-page').isVisible(), false, 'no page for a doc without pages');
  await page.goBack();
  await page.locator('a.doc-link', { hasText: 'Kerberos Concepts' }).click();
  await page.waitForURL(/\/view\/mit-kerberos\/1\.20\.1\/krb5-basic-excerpt\/krb5-basic-excerpt\.md$/);
  assert.equal((await page.locator('h1.view-title').textContent()).trim(), 'Kerberos Concepts');
  log('library ok');

  // ---- errors are shown plainly ----
  await page.goto(`${url}view/nope/1/x/y.md`);
  await page.locator('.error').waitFor();
  assert.match(await page.locator('.error').textContent(), /not_found/);
  await page.goto(`${url}?q=*&mode=lexical`);
  await page.locator('.status .error').waitFor();
  assert.match(await page.locator('.status .error').textContent(), /invalid_argument.*no words/);
  log('error states ok');

  // ---- a phone, in dark mode ----
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark',
                                           isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const pp = await phone.newPage();
  watch(pp, 'phone');
  await pp.goto(`${url}?q=credential+cache&product=mit-kerberos`);
  await waitForCards(pp);
  const overflow = await pp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (${overflow}px too wide)`);
  await shot(pp, 'search-phone-dark.png');
  await pp.locator('a.card-view').first().click();
  cur = await currentChunk(pp);
  assert.ok(cur.inView, `phone: chunk in view ${JSON.stringify(cur)}`);
  assert.equal(await pp.locator('details.side-box').first().getAttribute('open'), null, 'outline collapsed on a phone');
  await shot(pp, 'view-phone-dark.png');
  await phone.close();
  await context.close();
  log('phone ok');
}

async function emptyScenario() {
  const { url } = await serve(join(tmp, 'empty'));
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  watch(page, 'empty');
  await page.goto(url);
  await page.locator('.empty').waitFor();
  assert.match(await page.locator('.empty').textContent(), /mcdewey ingest DIR/);
  await page.goto(`${url}library`);
  await page.locator('.empty').waitFor();
  await context.close();
  log('empty library ok');
}

async function xssScenario() {
  const { url } = await serve(ingest(join(DATA, 'xss'), 'xss'));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watch(page, 'xss');
  const noScriptRan = async (where) => {
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__xss), undefined, `${where}: a payload ran`);
  };
  const inert = async (root, where) => {
    const bad = await page.$$eval(`${root} *`, (els) => {
      const out = [];
      for (const el of els) {
        if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'IMG', 'SVG', 'svg', 'MATH', 'math', 'FORM', 'STYLE'].includes(el.tagName)) {
          out.push(`<${el.tagName}>`);
        }
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) out.push(`${el.tagName} ${a.name}`);
          if (/^(href|src|action|xlink:href)$/i.test(a.name) &&
              /^(javascript|vbscript|data):/i.test(a.value.replace(/[\u0000-\u0020]/g, ''))) out.push(`${el.tagName} ${a.name}=${a.value}`);
        }
      }
      return out;
    });
    assert.deepEqual(bad, [], `${where}: live markup`);
  };

  await page.goto(url);
  await page.locator('#f-vendor option').nth(1).waitFor({ state: 'attached' });
  assert.equal(await page.locator('#f-vendor option').nth(1).textContent(), 'Evil <img src=x onerror=alert(1)> Corp');
  await page.fill('#q', 'xsswitness alert script');
  await page.press('#q', 'Enter');
  await waitForCards(page);
  for (const b of await page.locator('button.more').all()) await b.click();
  await inert('.results', 'search cards');
  assert.ok((await page.locator('li.card .also').allTextContents()).includes('also in 1.0'), 'a card says "also in 1.0"');
  assert.ok((await page.locator('li.card').first().textContent()).includes('<script>alert(1)</script> Evil Product'),
    'hostile names are shown as text');
  await shot(page, 'search-xss.png');
  await noScriptRan('search');

  for (const doc of ['xss-markdown', 'xss-page']) {
    await page.goto(`${url}library`);
    await page.locator(`a.doc-link[href$="/${doc}"]`).first().click();
    await page.locator('.doc-text section.chunk').first().waitFor();
    assert.ok((await page.locator('.doc-text').textContent()).includes('xsswitness'));
    await inert('.view-page', doc);
    for (const a of await page.locator('.doc-text a').all()) {
      const href = await a.getAttribute('href');
      if (href === '#') await a.click();
    }
    await noScriptRan(doc);
  }
  await page.goto(`${url}view/evil/1.0/xss-markdown/xss-markdown.md?chunk=${encodeURIComponent('evil::1.0::xss-markdown::xss-markdown::1')}`);
  await currentChunk(page);
  await shot(page, 'view-xss.png');
  await noScriptRan('view with chunk');
  await context.close();
  log('xss ok: nothing ran');
}

let code = 1;
try {
  const main = ingest(join(DATA, 'library'), 'data');
  const { url } = await serve(main);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  await mainScenario(url);
  await emptyScenario();
  await xssScenario();
  for (const s of servers) assert.equal(s.exitCode, null, 'a server died');
  if (problems.length) throw new Error(`problems seen in the browser:\n  ${problems.join('\n  ')}`);
  code = 0;
  log('all ok');
} catch (e) {
  console.error(`[e2e] FAILED: ${e.stack || e.message}`);
  if (problems.length) console.error(`[e2e] also seen:\n  ${problems.join('\n  ')}`);
  try {
    for (const ctx of browser ? browser.contexts() : []) {
      for (const p of ctx.pages()) await p.screenshot({ path: join(OUT, `failure-${Date.now()}.png`) });
    }
  } catch {
    // best effort
  }
} finally {
  if (browser) await browser.close().catch(() => {});
  for (const s of servers) s.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
