// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
// package.json) against `mcdewey serve` on the fixture library. Scenarios that need the
// suite's own example tools, resources or prompts are listed with their reasons in
// conformance-expected-failures.yml; any other failure fails this test.
//
//   node conformance_test.mjs --binary build/src/mcdewey --data tests/data
//
// Exits 77 (CTest's skip code) when the suite is not installed (npm ci in tests/mcp).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suite = join(here, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
if (!existsSync(suite)) {
  console.log('SKIP: @modelcontextprotocol/conformance is not installed (npm ci in tests/mcp)');
  process.exit(77);
}
function arg(name) {
  const i = process.argv.indexOf(name);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing ${name}`);
  return process.argv[i + 1];
}
const BINARY = arg('--binary');
const DATA = arg('--data');

const tmp = mkdtempSync(join(tmpdir(), 'mcdewey-mcp-conformance-'));
const lib = join(tmp, 'src');
const dataDir = join(tmp, 'data');
cpSync(join(DATA, 'library'), lib, { recursive: true });
(function writable(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
    if (statSync(p).isDirectory()) writable(p);
  }
})(lib);
const ingest = spawnSync(BINARY, ['ingest', lib, '--data', dataDir], { encoding: 'utf8' });
if (ingest.status !== 0 && ingest.status !== 1) {
  console.error(`ingest failed: ${ingest.stderr}`);
  process.exit(1);
}

const serve = spawn(BINARY, ['serve', '--data', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let code = 1;
try {
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('serve did not start')), 20000);
    serve.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[^\s]+\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    serve.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  // The suite writes results/ into its working directory: keep that in the temp dir.
  const run = spawn(process.execPath, [suite, 'server', '--url', `${url}mcp`, '--expected-failures',
                                       join(here, 'conformance-expected-failures.yml')],
                    { cwd: tmp, stdio: 'inherit' });
  code = await new Promise((resolve) => run.on('exit', (c) => resolve(c ?? 1)));
} catch (e) {
  console.error(e.message);
} finally {
  serve.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
