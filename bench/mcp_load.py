#!/usr/bin/env python3
"""MCP load benchmark: `tools/call search_docs` round trips over loopback HTTP (/mcp).

Starts `mcdewey serve --port 0` on a library, opens one MCP session (initialize) per client,
then each client sends search_docs calls back to back on its own keep-alive connection.
Reports round trips per second and latency percentiles per concurrency level, as CSV rows
and a summary line. Bounded: at most --requests calls (after --warmup) and --seconds per
level; loopback only (the server binds 127.0.0.1).

  bench/mcp_load.py --data DATA_DIR                       # a library already ingested
  bench/mcp_load.py --corpus ../shared/corpus             # ingest into a temp dir first
  bench/mcp_load.py --data DIR --embedder none            # lexical only
  bench/mcp_load.py --data DIR --model models/wink-sg-100d.mcdwv   # hybrid (built-in model)

--embedder/--model go to `serve` (and to `ingest` with --corpus). Every answer's
structuredContent.mode is counted, so the summary says which search mode really ran. The
client is Python (one thread per client, one keep-alive connection each) on the same machine:
on a small box it competes with the server for the cores, so the figures are a floor. The
load average before and after each level is printed.

Queries: the questions of ../shared/bench/dev-queries.jsonl when present, else a built-in list.
"""
import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

FALLBACK_QUERIES = [
    "how do I revert a merge commit", "configure TLS certificates", "zone transfer ACL", "BGP route filter",
    "backup retention period", "reload configuration without restart", "kerberos ticket lifetime",
    "rate limit requests", "dhcp lease time", "replication failover", "log rotation", "SIP registration timer",
]


def load_queries(path):
    if path and os.path.exists(path):
        qs = []
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    qs.append(json.loads(line)["question"])
        if qs:
            return qs
    return FALLBACK_QUERIES


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


class McpClient:
    def __init__(self, host, port):
        self.host, self.port, self.reconnects = host, port, 0
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
        self.next_id = 0
        r = self.call("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                     "clientInfo": {"name": "mcp_load", "version": "1"}})
        self.headers["Mcp-Session-Id"] = r[1]["mcp-session-id"]
        self.headers["MCP-Protocol-Version"] = "2025-11-25"

    def call(self, method, params):
        self.next_id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        for attempt in (0, 1):
            try:
                self.conn.request("POST", "/mcp", body=body, headers=self.headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest):
                # The server closes idle keep-alive connections (5 s): reconnect once, as HTTP clients do.
                self.reconnects += 1
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt == 1:
                    raise
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {data[:200]!r}")
        return json.loads(data), {k.lower(): v for k, v in resp.getheaders()}

    def search(self, query, limit, mode=None):
        if limit == 0:  # --tool ping: the transport and JSON-RPC alone
            msg, _ = self.call("ping", {})
            return msg["result"]
        args = {"query": query, "limit": limit}
        if mode:
            args["mode"] = mode
        msg, _ = self.call("tools/call", {"name": "search_docs", "arguments": args})
        if "error" in msg:
            raise RuntimeError(msg["error"])
        return msg["result"]

    def close(self):
        self.conn.close()


def run_level(host, port, clients, queries, total, seconds, warmup, limit, mode):
    """Runs `clients` concurrent clients until `total` calls or `seconds` pass."""
    sessions = [McpClient(host, port) for _ in range(clients)]
    for i, c in enumerate(sessions):  # warm-up, not timed
        for j in range(max(1, warmup // clients)):
            c.search(queries[(i * 7919 + j) % len(queries)], limit, mode)
    lock = threading.Lock()
    latencies, errors = [], []
    modes = {}
    per_client = [0] * clients  # calls answered per client: starvation shows here, not in p99
    load_before = os.getloadavg()[0]
    counter = [0]
    start = time.perf_counter()
    deadline = start + seconds

    def worker(n, c):
        k = n
        while True:
            with lock:
                if counter[0] >= total or time.perf_counter() > deadline:
                    return
                counter[0] += 1
            q = queries[(k * 104729) % len(queries)]
            k += clients
            t0 = time.perf_counter()
            try:
                r = c.search(q, limit, mode)
                dt = time.perf_counter() - t0
                if r.get("isError"):
                    raise RuntimeError(r["content"][0]["text"])
                ran = r.get("structuredContent", {}).get("mode", "-")
                with lock:
                    latencies.append(dt)
                    modes[ran] = modes.get(ran, 0) + 1
                    per_client[n] += 1
            except Exception as e:  # noqa: BLE001 - counted and shown
                with lock:
                    errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(n, c)) for n, c in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    for c in sessions:
        c.close()
    lat = sorted(x * 1000 for x in latencies)
    return {"clients": clients, "requests": len(lat), "errors": len(errors), "seconds": elapsed,
            "rps": len(lat) / elapsed if elapsed > 0 else 0.0,
            "p50_ms": percentile(lat, 50), "p90_ms": percentile(lat, 90), "p99_ms": percentile(lat, 99),
            "max_ms": lat[-1] if lat else float("nan"), "mean_ms": statistics.fmean(lat) if lat else float("nan"),
            "first_error": errors[0] if errors else "", "modes": modes,
            "client_min": min(per_client), "client_max": max(per_client),
            "load_before": load_before, "load_after": os.getloadavg()[0]}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(root, "build", "src", "mcdewey"))
    ap.add_argument("--data", help="an ingested data directory (else --corpus is ingested into a temp dir)")
    ap.add_argument("--corpus", default=os.path.join(root, "..", "shared", "corpus"))
    ap.add_argument("--queries", default=os.path.join(root, "..", "shared", "bench", "dev-queries.jsonl"))
    ap.add_argument("--clients", default="1,16", help="comma-separated concurrency levels")
    ap.add_argument("--requests", type=int, default=2000, help="timed calls per level (upper bound)")
    ap.add_argument("--seconds", type=float, default=30.0, help="time bound per level")
    ap.add_argument("--warmup", type=int, default=64)
    ap.add_argument("--limit", type=int, default=8, help="search_docs limit (the tool's default is 8)")
    ap.add_argument("--tool", choices=["search_docs", "ping"], default="search_docs",
                    help="ping measures the transport and JSON-RPC without a search")
    ap.add_argument("--threads", type=int, default=0, help="serve --threads (0 = the server's default)")
    ap.add_argument("--embedder", choices=["auto", "builtin", "none"], help="--embedder for serve (and ingest)")
    ap.add_argument("--model", help="--model FILE for serve (and ingest): the built-in word-vector model")
    ap.add_argument("--mode", choices=["auto", "hybrid", "lexical", "semantic"],
                    help="search_docs mode (default: the tool's, auto)")
    args = ap.parse_args()
    embed_flags = []
    if args.embedder:
        embed_flags += ["--embedder", args.embedder]
    if args.model:
        embed_flags += ["--model", os.path.abspath(args.model)]

    tmp = None
    data = args.data
    if not data:
        tmp = tempfile.mkdtemp(prefix="mcdewey-mcp-load-")
        data = os.path.join(tmp, "d")
        t0 = time.time()
        p = subprocess.run([args.binary, "ingest", args.corpus, "--data", data, *embed_flags], capture_output=True, text=True)
        if p.returncode not in (0, 1):
            sys.exit(f"ingest failed: {p.stderr}")
        print(f"# ingested {args.corpus} in {time.time() - t0:.1f} s", file=sys.stderr)
    flags = ["--threads", str(args.threads)] if args.threads else []
    srv = subprocess.Popen([args.binary, "serve", "--data", data, "--port", "0", "--host", "127.0.0.1", *flags, *embed_flags],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = srv.stdout.readline()
        if "http://" not in line:
            sys.exit(f"serve did not start: {line}")
        url = urllib.parse.urlparse(line[line.index("http://"):].split()[0])
        queries = load_queries(args.queries)
        print("clients,requests,errors,seconds,rps,p50_ms,p90_ms,p99_ms,max_ms,mean_ms")
        results = []
        for n in (int(x) for x in args.clients.split(",")):
            limit = 0 if args.tool == "ping" else args.limit
            r = run_level(url.hostname, url.port, n, queries, args.requests, args.seconds, args.warmup, limit, args.mode)
            results.append(r)
            print(f"{r['clients']},{r['requests']},{r['errors']},{r['seconds']:.2f},{r['rps']:.1f},{r['p50_ms']:.2f},"
                  f"{r['p90_ms']:.2f},{r['p99_ms']:.2f},{r['max_ms']:.2f},{r['mean_ms']:.2f}", flush=True)
            if r["first_error"]:
                print(f"# first error: {r['first_error']}", file=sys.stderr)
        for r in results:
            modes = ", ".join(f"{k} {v}" for k, v in sorted(r["modes"].items())) or "-"
            print(f"# {r['clients']:>2} client(s): {r['rps']:.0f} {args.tool} round trips/s, p50 {r['p50_ms']:.2f} ms, "
                  f"p99 {r['p99_ms']:.2f} ms, max {r['max_ms']:.0f} ms ({r['requests']} calls, {r['errors']} errors, "
                  f"{r['client_min']}-{r['client_max']} per client, {len(queries)} distinct queries; "
                  f"mode: {modes}; load average {r['load_before']:.2f} -> {r['load_after']:.2f})",
                  file=sys.stderr)
    finally:
        srv.terminate()
        try:
            srv.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.kill()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
