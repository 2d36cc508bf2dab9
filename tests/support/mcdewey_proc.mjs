// Shared by the Node tests that drive the real binary (the web UI end to end, the MCP SDK
// client, the conformance suite, the Inspector CLI): the counterpart of
// tests/integration/mcdewey_proc.py. Node built-ins only, so each test's own npm package can
// import it by relative path.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The value after `name` on the command line; throws when it is missing.
export function arg(name) {
  const i = process.argv.indexOf(name);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing ${name}`);
  return process.argv[i + 1];
}

function makeWritable(dir) {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    const isDir = statSync(p).isDirectory();
    chmodSync(p, isDir ? 0o755 : 0o644);
    if (isDir) makeWritable(p);
  }
}

// Copies `srcDir` to `tmp/<name>-src` with writable files (tests may change them or plant
// symlinks) and runs `mcdewey ingest` into `tmp/<name>` with `flags`; returns the data dir.
// Exit status 1 is accepted: fixture libraries hold deliberately bad files.
export function ingestCopy(binary, srcDir, tmp, name, ...flags) {
  const lib = join(tmp, `${name}-src`);
  const data = join(tmp, name);
  cpSync(srcDir, lib, { recursive: true });
  makeWritable(lib);
  const r = spawnSync(binary, ['ingest', lib, '--data', data, ...flags], { encoding: 'utf8', timeout: 240000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`ingest ${name} failed (${r.status}): ${r.stderr}`);
  return data;
}

// `mcdewey serve --data DATA --port 0`: resolves { proc, url } once the server prints its URL
// (20 s at most); a server that exits or stays silent (then killed) rejects with what it wrote
// to stderr.
// `stderr: 'inherit'` passes the server's log through instead.
export function serve(binary, data, { stderr = 'pipe' } = {}) {
  const proc = spawn(binary, ['serve', '--data', data, '--port', '0'], { stdio: ['ignore', 'pipe', stderr] });
  let err = '';
  if (proc.stderr) proc.stderr.on('data', (d) => { err = (err + d).slice(-65536); });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`serve did not start: ${err}`));
    }, 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[^\s]+\//);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[0] });
      }
    });
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}
