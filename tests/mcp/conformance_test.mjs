// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
// package.json) against `mcdewey serve` on the fixture library: every server scenario of
// the suite (`--suite all`: the active ones and the pending ones). Scenarios that need the
// suite's own example tools, resources or prompts are listed with their reasons in
// conformance-expected-failures.yml; any other failure fails this test. The suite's own
// verdict is not trusted alone: its summary is parsed, and the test fails unless every
// generic scenario (GENERIC below) ran and passed, so a suite that silently ran nothing, or
// an expected-failures file that grew to hide a generic scenario, cannot pass.
//
//   node conformance_test.mjs --binary build/src/mcdewey --data tests/data
//
// Exits 77 (CTest's skip code) when the suite is not installed (npm ci in tests/mcp).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { arg, ingestCopy, serve as serveBinary } from '../support/mcdewey_proc.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const suite = join(here, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
if (!existsSync(suite)) {
  console.log('SKIP: @modelcontextprotocol/conformance is not installed (npm ci in tests/mcp)');
  process.exit(77);
}
const BINARY = arg('--binary');
const DATA = arg('--data');

// Scenarios that need nothing of the suite's example server: each must run and pass.
// (server-sse-polling, pending, also passes but checks nothing here: it calls the suite's
// tool test_reconnection and, getting JSON rather than an SSE stream, only reports INFO.)
const GENERIC = [
  'server-initialize', 'ping', 'logging-set-level', 'completion-complete', 'tools-list', 'resources-list',
  'resources-subscribe', 'resources-unsubscribe', 'prompts-list', 'server-sse-multiple-streams',
  'dns-rebinding-protection',
];

// The summary lines look like "✓ ping: 1 passed, 0 failed". Returns the exit code.
function check(out, suiteCode) {
  // eslint-disable-next-line no-control-regex
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const ran = new Map();
  for (const m of plain.matchAll(/^([✓✗]) ([a-z0-9-]+): (\d+) passed, (\d+) failed/gm)) {
    ran.set(m[2], { ok: m[1] === '✓', passed: Number(m[3]), failed: Number(m[4]) });
  }
  const expected = readFileSync(join(here, 'conformance-expected-failures.yml'), 'utf8')
    .split('\n').map((l) => l.match(/^\s*-\s*([a-z0-9-]+)/)).filter(Boolean).map((m) => m[1]);
  const problems = [];
  for (const name of GENERIC) {
    const r = ran.get(name);
    if (!r) problems.push(`generic scenario ${name} did not run`);
    else if (!r.ok || r.failed > 0) problems.push(`generic scenario ${name} failed`);
    if (expected.includes(name)) problems.push(`generic scenario ${name} must not be an expected failure`);
  }
  if (ran.size < GENERIC.length + expected.length) {
    problems.push(`only ${ran.size} scenarios ran (want ${GENERIC.length} generic + ${expected.length} expected failures)`);
  }
  const passed = [...ran].filter(([, r]) => r.ok).map(([n]) => n);
  const failed = [...ran].filter(([, r]) => !r.ok).map(([n]) => n);
  console.log(`\nmcdewey: ${ran.size} scenarios ran; passed (${passed.length}): ${passed.join(', ')}`);
  console.log(`mcdewey: failed (${failed.length}, each must be an expected failure): ${failed.join(', ')}`);
  for (const p of problems) console.error(`FAIL: ${p}`);
  if (problems.length) return 1;
  return suiteCode;
}

const tmp = mkdtempSync(join(tmpdir(), 'mcdewey-mcp-conformance-'));
let dataDir;
try {
  dataDir = ingestCopy(BINARY, join(DATA, 'library'), tmp, 'data');
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

let serve = null;
let code = 1;
try {
  let url;
  ({ proc: serve, url } = await serveBinary(BINARY, dataDir, { stderr: 'inherit' }));
  // The suite writes results/ into its working directory: keep that in the temp dir.
  const run = spawn(process.execPath, [suite, 'server', '--url', `${url}mcp`, '--suite', 'all', '--expected-failures',
                                       join(here, 'conformance-expected-failures.yml')],
                    { cwd: tmp, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  run.stdout.on('data', (d) => {
    out += d;
    process.stdout.write(d);
  });
  code = await new Promise((resolve) => run.on('exit', (c) => resolve(c ?? 1)));
  code = check(out, code);
} catch (e) {
  console.error(e.message);
} finally {
  serve?.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
