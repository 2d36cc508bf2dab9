// End-to-end test of McDewey's MCP server with the official TypeScript SDK client, over
// Streamable HTTP (`mcdewey serve`, /mcp) and over stdio (`mcdewey mcp --stdio`).
//
//   node sdk_client_test.mjs --binary build/src/mcdewey --data tests/data
//
// Ingests the fixture library (tests/data/library) into a temporary directory with the real
// binary, then runs the same checks over both transports. Exits 77 (CTest's skip code) when
// the SDK is not installed (run `npm ci` in tests/mcp, as scripts/install-deps.sh does).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { arg, ingestCopy, serve as serveBinary } from '../support/mcdewey_proc.mjs';

let sdk;
try {
  sdk = {
    ...(await import('@modelcontextprotocol/sdk/client/index.js')),
    ...(await import('@modelcontextprotocol/sdk/client/streamableHttp.js')),
    ...(await import('@modelcontextprotocol/sdk/client/stdio.js')),
    ...(await import('@modelcontextprotocol/sdk/types.js')),
  };
} catch (e) {
  console.log(`SKIP: @modelcontextprotocol/sdk is not installed (npm ci in tests/mcp): ${e.message}`);
  process.exit(77);
}
const { Client, StreamableHTTPClientTransport, StdioClientTransport, McpError } = sdk;

const BINARY = arg('--binary');
const DATA = arg('--data');

const tmp = mkdtempSync(join(tmpdir(), 'mcdewey-mcp-sdk-'));
const dataDir = ingestCopy(BINARY, join(DATA, 'library'), tmp, 'data');

const serve = await serveBinary(BINARY, dataDir);
after(() => {
  serve.proc.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

const transports = {
  http: () => new StreamableHTTPClientTransport(new URL(`${serve.url}mcp`)),
  stdio: () =>
    new StdioClientTransport({ command: BINARY, args: ['mcp', '--stdio', '--data', dataDir], stderr: 'pipe' }),
};

const text = (r) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

for (const [name, makeTransport] of Object.entries(transports)) {
  test(`MCP over ${name}`, async (t) => {
    const client = new Client({ name: 'mcdewey-sdk-test', version: '1.0.0' });
    await client.connect(makeTransport());
    try {
      await t.test('initialize', () => {
        assert.equal(client.getServerVersion().name, 'mcdewey');
        const caps = client.getServerCapabilities();
        for (const c of ['tools', 'resources', 'prompts', 'completions', 'logging']) assert.ok(caps[c], c);
        assert.match(client.getInstructions(), /search_docs[\s\S]*get_context[\s\S]*source[\s\S]*page/);
      });

      await t.test('tools/list', async () => {
        const { tools } = await client.listTools();
        const names = tools.map((x) => x.name).sort();
        assert.deepEqual(names, ['get_chunk', 'get_context', 'get_outline', 'list_library', 'read_page', 'search_docs']);
        for (const tool of tools) {
          assert.equal(tool.inputSchema.type, 'object');
          assert.equal(tool.outputSchema.type, 'object');
          assert.equal(tool.annotations.readOnlyHint, true);
          assert.equal(tool.annotations.idempotentHint, true);
          assert.equal(tool.annotations.openWorldHint, false);
        }
      });

      // The SDK validates every structuredContent against the tool's outputSchema.
      let first;
      await t.test('search_docs', async () => {
        const r = await client.callTool({ name: 'search_docs', arguments: { query: 'revert a commit', limit: 3 } });
        assert.ok(!r.isError, text(r));
        const s = r.structuredContent;
        assert.ok(s.results.length > 0 && s.results.length <= 3);
        first = s.results[0];
        assert.match(first.source, /^git\/2\.39\.5\/git-revert\/.+\.md$/);
        assert.match(first.chunk_id, /^git::2\.39\.5::git-revert::/);
        assert.equal(first.page, null);
        const body = text(r);
        // The text an LLM reads carries the same citation as the structured result.
        for (const needle of ['chunk_id: ' + first.chunk_id, 'source: ' + first.source, 'page: none', 'Git 2.39.5 / git-revert',
                              `"${first.title}"`, 'heading: ' + first.heading_path.join(' > '),
                              first.text.slice(0, 40)]) {
          assert.ok(body.includes(needle), needle);
        }
        assert.equal(s.returned, s.results.length);
        assert.equal(s.truncated, false);
        assert.ok(['hybrid', 'lexical'].includes(s.mode), s.mode);  // auto resolves to what ran

        const f = await client.callTool({ name: 'search_docs', arguments: { query: 'agent', product: 'icinga2' } });
        assert.ok(f.structuredContent.results.length > 0);
        for (const h of f.structuredContent.results) assert.equal(h.product, 'icinga2');

        const pdf = await client.callTool({ name: 'search_docs', arguments: { query: 'kerberos ticket', product: 'mit-kerberos' } });
        assert.ok(pdf.structuredContent.results.length > 0, text(pdf));
        assert.ok(pdf.structuredContent.results[0].page >= 1, 'PDF hits carry their page');
        assert.match(text(pdf), /page: \d+/);
      });

      await t.test('search_docs: mode reaches the core and comes back', async () => {
        const lex = await client.callTool({ name: 'search_docs', arguments: { query: 'revert a commit', mode: 'lexical' } });
        assert.ok(!lex.isError, text(lex));
        assert.equal(lex.structuredContent.mode, 'lexical');
        assert.match(text(lex), /; mode lexical\)/);
        // semantic needs embedded passages: it runs when the library has them, else it says
        // how to get them and to use lexical.
        const sem = await client.callTool({ name: 'search_docs', arguments: { query: 'undo an earlier change', mode: 'semantic' } });
        if (sem.isError) {
          assert.match(text(sem), /semantic search[\s\S]*use mode lexical/);
        } else {
          assert.equal(sem.structuredContent.mode, 'semantic');
          assert.ok(sem.structuredContent.results.length > 0);
        }
        const hyb = await client.callTool({ name: 'search_docs', arguments: { query: 'revert a commit', mode: 'hybrid' } });
        assert.equal(hyb.isError ? 'error' : hyb.structuredContent.mode, sem.isError ? 'error' : 'hybrid');
        const { tools } = await client.listTools();
        const modeSchema = tools.find((x) => x.name === 'search_docs').inputSchema.properties.mode;
        assert.deepEqual(modeSchema.enum, ['auto', 'hybrid', 'lexical', 'semantic']);
        assert.match(modeSchema.description, /hybrid/);
      });

      await t.test('search_docs: input mistakes are tool errors that help', async () => {
        const r = await client.callTool({ name: 'search_docs', arguments: { query: 'agent', product: 'icinga' } });
        assert.equal(r.isError, true);
        assert.match(text(r), /Unknown product 'icinga'.*icinga2/);
        const bad = await client.callTool({ name: 'search_docs', arguments: { query: 'x', limit: 500 } });
        assert.equal(bad.isError, true);
        assert.match(text(bad), /limit/);
      });

      await t.test('search_docs: the size budget cuts and says so', async () => {
        const r = await client.callTool({ name: 'search_docs', arguments: { query: 'git', limit: 10, max_chars: 600 } });
        assert.equal(r.structuredContent.truncated, true);
        assert.match(text(r), /Output cut at max_chars=600/);
        assert.ok(text(r).length < 1000);
      });

      await t.test('get_chunk and get_context', async () => {
        const c = await client.callTool({ name: 'get_chunk', arguments: { chunk_id: first.chunk_id } });
        assert.ok(!c.isError, text(c));
        assert.equal(c.structuredContent.chunk_id, first.chunk_id);
        assert.ok('next_id' in c.structuredContent && 'prev_id' in c.structuredContent);

        const ctx = await client.callTool({ name: 'get_context', arguments: { chunk_id: first.chunk_id, before: 1, after: 1 } });
        assert.ok(!ctx.isError, text(ctx));
        const chunks = ctx.structuredContent.chunks;
        assert.ok(chunks.length >= 2 && chunks.length <= 3);
        assert.equal(chunks.filter((x) => x.is_target).length, 1);
        assert.equal(chunks.find((x) => x.is_target).chunk_id, first.chunk_id);
        const ordinals = chunks.map((x) => x.ordinal);
        assert.deepEqual(ordinals, [...ordinals].sort((a, b) => a - b));
        assert.match(text(ctx), />>> chunk/);
        assert.ok(text(ctx).includes(`Cite: source ${first.source}`));
        for (const c of chunks) assert.ok(text(ctx).includes('chunk_id: ' + c.chunk_id), c.chunk_id);
        assert.ok(text(c).includes(c.structuredContent.text.slice(0, 40)));
        assert.equal(c.structuredContent.source, first.source);

        const missing = await client.callTool({ name: 'get_chunk', arguments: { chunk_id: 'git::2.39.5::git-revert::git-revert::9999' } });
        assert.equal(missing.isError, true);
        const malformed = await client.callTool({ name: 'get_chunk', arguments: { chunk_id: 'nonsense' } });
        assert.equal(malformed.isError, true);
        assert.match(text(malformed), /product::version::doc::file::N/);
      });

      let pdfDoc;
      await t.test('list_library', async () => {
        const r = await client.callTool({ name: 'list_library', arguments: {} });
        assert.ok(!r.isError, text(r));
        assert.equal(r.structuredContent.totals.docs, 4);
        const products = r.structuredContent.vendors.flatMap((v) => v.products);
        const krb = products.find((p) => p.product === 'mit-kerberos');
        assert.ok(krb, 'mit-kerberos listed');
        pdfDoc = { product: 'mit-kerberos', version: krb.versions[0].version, doc: krb.versions[0].docs[0].doc };
        assert.match(text(r), /product icinga2 \(Icinga 2\)/);
        const one = await client.callTool({ name: 'list_library', arguments: { vendor: 'icinga' } });
        assert.equal(one.structuredContent.totals.products, 1);
      });

      await t.test('read_page', async () => {
        const r = await client.callTool({ name: 'read_page', arguments: { ...pdfDoc, page: 1 } });
        assert.ok(!r.isError, text(r));
        assert.equal(r.structuredContent.page, 1);
        assert.ok(r.structuredContent.text.length > 0);
        assert.match(r.structuredContent.source, /^mit-kerberos\//);
        assert.ok(r.structuredContent.pages >= 1);
        assert.ok(text(r).includes(`page: 1 of ${r.structuredContent.pages}`));
        assert.ok(text(r).includes('source: ' + r.structuredContent.source));
        assert.ok(text(r).includes(r.structuredContent.text.slice(0, 40)));
        // A page's text holds the passages that search_docs places on that page.
        const hit = await client.callTool({ name: 'search_docs', arguments: { query: 'keytab', ...pdfDoc, mode: 'lexical' } });
        const one = hit.structuredContent.results.find((h) => h.page !== null && h.page === h.page_end);
        assert.ok(one, 'a passage on a single page');
        const pg = await client.callTool({ name: 'read_page', arguments: { ...pdfDoc, page: one.page } });
        assert.ok(pg.structuredContent.text.includes(one.text.slice(0, 30)), one.chunk_id);
        const past = await client.callTool({ name: 'read_page', arguments: { ...pdfDoc, page: 9999 } });
        assert.equal(past.isError, true);
        assert.match(text(past), /pages 1-\d+/);
      });

      await t.test('get_outline', async () => {
        const r = await client.callTool({ name: 'get_outline', arguments: { product: 'icinga2', version: '2.13.6', doc: 'manual' } });
        assert.ok(!r.isError, text(r));
        assert.ok(r.structuredContent.outline.length > 0);
        assert.match(r.structuredContent.outline[0].chunk_id, /^icinga2::2\.13\.6::manual::/);
        assert.ok(r.structuredContent.outline.some((e) => e.title === 'What is Icinga 2?'));
        assert.match(text(r), /- What is Icinga 2\? \[icinga2::2\.13\.6::manual::01-about::0\]/);
        // An outline chunk id is a real chunk.
        const c = await client.callTool({ name: 'get_chunk', arguments: { chunk_id: r.structuredContent.outline.at(-1).chunk_id } });
        assert.ok(!c.isError, text(c));
        const bad = await client.callTool({ name: 'get_outline', arguments: { product: 'icinga2', version: '2.13.6', doc: 'manul' } });
        assert.equal(bad.isError, true);
        assert.match(text(bad), /manual/);
      });

      await t.test('unknown tool is a JSON-RPC error', async () => {
        await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), (e) => e instanceof McpError && e.code === -32602);
      });

      await t.test('resources', async () => {
        const { resources, nextCursor } = await client.listResources();
        const uris = resources.map((r) => r.uri).sort();
        assert.deepEqual(uris, ['mcdewey://doc/git/2.39.5/git-revert', 'mcdewey://doc/icinga2/2.13.6/manual',
                                'mcdewey://doc/kamailio/5.6.3/modules', 'mcdewey://doc/mit-kerberos/1.20.1/krb5-basic-excerpt']);
        assert.equal(nextCursor, undefined);  // one page (100 per page; paging itself: mcp_core_test)
        const pdf = await client.readResource({ uri: 'mcdewey://doc/mit-kerberos/1.20.1/krb5-basic-excerpt' });
        assert.match(pdf.contents[0].text, /<!-- page 1\b/);
        const doc = await client.readResource({ uri: 'mcdewey://doc/git/2.39.5/git-revert' });
        assert.equal(doc.contents[0].mimeType, 'text/markdown');
        assert.match(doc.contents[0].text, /git revert/i);
        const chunk = await client.readResource({ uri: `mcdewey://chunk/${first.chunk_id}` });
        assert.match(chunk.contents[0].text, new RegExp(`chunk_id: ${first.chunk_id}`));
        const { resourceTemplates } = await client.listResourceTemplates();
        assert.ok(resourceTemplates.some((x) => x.uriTemplate === 'mcdewey://chunk/{chunk_id}'));
        await assert.rejects(client.readResource({ uri: 'mcdewey://doc/nope/1/x' }), (e) => e.code === -32002);
        await assert.rejects(client.listResources({ cursor: 'bogus' }), (e) => e.code === -32602);
      });

      await t.test('completion', async () => {
        const ref = { type: 'ref/resource', uri: 'mcdewey://doc/{product}/{version}/{doc}' };
        const p = await client.complete({ ref, argument: { name: 'product', value: 'ic' } });
        assert.deepEqual(p.completion.values, ['icinga2']);
        const v = await client.complete({ ref, argument: { name: 'version', value: '' }, context: { arguments: { product: 'git' } } });
        assert.deepEqual(v.completion.values, ['2.39.5']);
        const d = await client.complete({
          ref: { type: 'ref/prompt', name: 'answer_from_docs' },
          argument: { name: 'product', value: 'k' },
        });
        assert.deepEqual(d.completion.values, ['kamailio', 'mit-kerberos']);  // prefix matches first
        const doc = await client.complete({ ref, argument: { name: 'doc', value: 'ma' },
                                            context: { arguments: { product: 'icinga2', version: '2.13.6' } } });
        assert.deepEqual(doc.completion.values, ['manual']);
        const none = await client.complete({ ref, argument: { name: 'doc', value: 'ma' }, context: { arguments: { product: 'git' } } });
        assert.deepEqual(none.completion.values, []);
      });

      await t.test('prompts, logging, ping', async () => {
        const { prompts } = await client.listPrompts();
        assert.ok(prompts.some((p) => p.name === 'answer_from_docs'));
        const p = await client.getPrompt({ name: 'answer_from_docs', arguments: { question: 'How do I revert a merge?' } });
        assert.match(p.messages[0].content.text, /How do I revert a merge\?[\s\S]*search_docs[\s\S]*page/);
        assert.deepEqual(await client.setLoggingLevel('warning'), {});
        assert.deepEqual(await client.ping(), {});
      });
    } finally {
      await client.close();
    }
  });
}
