// The MCP Inspector's CLI (@modelcontextprotocol/inspector, pinned in package.json) lists
// and calls McDewey's tools over stdio, exactly as docs/mcp.md shows:
//
//   npx @modelcontextprotocol/inspector --cli mcdewey mcp --stdio --data DIR --method tools/list
//
//   node inspector_cli_test.mjs --binary build/src/mcdewey --data tests/data
//
// Exits 77 (CTest's skip code) when the Inspector is not installed (npm ci in tests/mcp).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { arg, ingestCopy } from '../support/mcdewey_proc.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, 'node_modules', '@modelcontextprotocol', 'inspector');
if (!existsSync(join(pkgDir, 'package.json'))) {
  console.log('SKIP: @modelcontextprotocol/inspector is not installed (npm ci in tests/mcp)');
  process.exit(77);
}
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const launcher = join(pkgDir, typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['mcp-inspector']);

const BINARY = arg('--binary');
const DATA = arg('--data');

const tmp = mkdtempSync(join(tmpdir(), 'mcdewey-mcp-inspector-'));
try {
  const dataDir = ingestCopy(BINARY, join(DATA, 'library'), tmp, 'data', '--embedder', 'none');

  // The Inspector keeps a catalog and storage under $HOME: keep them in the temp dir.
  const env = { ...process.env, HOME: tmp, MCP_STORAGE_DIR: join(tmp, 'storage'), MCP_CATALOG_PATH: join(tmp, 'mcp.json') };
  const inspector = (...args) => {
    const r = spawnSync(process.execPath,
                        [launcher, '--cli', BINARY, 'mcp', '--stdio', '--data', dataDir, '--embedder', 'none', ...args],
                        { encoding: 'utf8', env, timeout: 60000 });
    assert.equal(r.status, 0, `inspector ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return { ...JSON.parse(r.stdout), stderr: r.stderr };
  };

  // --strict also reports tool-schema portability problems (e.g. `type: [T, "null"]`, which
  // single-type schema dialects reject) on stderr: there must be none.
  const { tools, stderr } = inspector('--method', 'tools/list', '--strict');
  assert.doesNotMatch(stderr, /Warning: tool|Error: tool|portability/i, stderr);
  assert.deepEqual(tools.map((t) => t.name).sort(),
                   ['get_chunk', 'get_context', 'get_outline', 'list_library', 'read_page', 'search_docs']);
  for (const t of tools) assert.equal(t.annotations.readOnlyHint, true, t.name);

  const r = inspector('--method', 'tools/call', '--tool-name', 'search_docs', '--tool-arg', 'query=revert a commit', 'limit=2');
  assert.equal(r.isError, false, JSON.stringify(r));
  const hits = r.structuredContent.results;
  assert.ok(hits.length >= 1 && hits.length <= 2, `limit=2 reached the tool as a number: ${hits.length}`);
  assert.match(hits[0].chunk_id, /^git::2\.39\.5::git-revert::/);
  assert.ok(r.content[0].text.includes(`chunk_id: ${hits[0].chunk_id}`));
  console.log(`ok: the Inspector CLI ${pkg.version} listed ${tools.length} tools and called search_docs (${hits.length} hits)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
