#!/usr/bin/env bash
# REST search load: `mcdewey serve` on a library, `wrk` over loopback keep-alive at 1, 16 and 64
# connections, each request a different question from the DEV set (URL-encoded, in turn).
# Prints requests/s and latency p50/p99 per level, and the server's RSS (now and peak).
#   bench/rest_load.sh DATA_DIR [SECONDS] [MODE]      (MODE: auto|lexical|hybrid|semantic)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: bench/rest_load.sh DATA_DIR [SECONDS] [MODE]}"
secs="${2:-10}"
mode="${3:-auto}"
bin=./build/src/mcdewey
queries=../shared/bench/dev-queries.jsonl
command -v wrk >/dev/null || { echo "wrk is needed (scripts/install-deps.sh installs it)" >&2; exit 2; }
[ -f "$queries" ] || { echo "no $queries" >&2; exit 2; }
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT

"$bin" serve --data "$data" --port 0 > "$out/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "http://" "$out/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$out/serve.log" | head -n1)
[ -n "$url" ] || { cat "$out/serve.log" >&2; exit 1; }

# The Lua script: every request takes the next question.
python3 - "$queries" "$mode" > "$out/queries.lua" <<'PY'
import json, sys, urllib.parse
qs = [json.loads(l)["question"] for l in open(sys.argv[1])]
mode = sys.argv[2]
paths = ["/api/search?limit=10&mode=%s&q=%s" % (mode, urllib.parse.quote(q)) for q in qs]
print("local paths = {" + ",".join(json.dumps(p) for p in paths) + "}")
print("local i = 0")
print("request = function() i = i % #paths + 1; return wrk.format('GET', paths[i]) end")
PY
curl -fsS "$url/api/search?q=warm+up&mode=$mode" > /dev/null   # loads the vector index
echo "server $url  (mode=$mode, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-12s %10s %10s %10s %10s\n' connections "req/s" "p50 ms" "p99 ms" errors
for c in 1 16 64; do
  t=$(( c < 2 ? 1 : 2 ))
  wrk -t"$t" -c"$c" -d"${secs}s" --timeout 10s --latency -s "$out/queries.lua" "$url" > "$out/wrk-$c.txt"
  python3 - "$out/wrk-$c.txt" "$c" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*%s\s+([\d.]+)(us|ms|s)\s*$" % label, t, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
err = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
sock = re.search(r"Socket errors: (.*)", t)
print("%-12s %10.1f %10.2f %10.2f %10s" % (sys.argv[2], rps, ms("50%"), ms("99%"),
      (err.group(1) if err else "0") + (" (" + sock.group(1) + ")" if sock else "")))
PY
done
grep -E 'VmRSS|VmHWM' /proc/$pid/status | tr -s ' ' | sed 's/^/server /'
