#!/usr/bin/env bash
# Retrieval benchmark on DEV: runs the 311 FAQ questions through `mcdewey search --batch` in each
# mode, scores them with ../shared/bench/score.py and reports per-query latency (in-process).
#   bench/dev_search.sh DATA_DIR [MODES] [EXTRA SEARCH ARGS...]
#   MODES: comma-separated, default lexical,semantic,hybrid (semantic/hybrid need embeddings)
# Example (domain adaptation on, a library re-embedded with `mcdewey reembed --adapt`):
#   bench/dev_search.sh /tmp/mcd-adapted semantic,hybrid
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: bench/dev_search.sh DATA_DIR [MODES] [EXTRA SEARCH ARGS...]}"
modes="${2:-lexical,semantic,hybrid}"
shift $(( $# >= 2 ? 2 : 1 ))
bench=../shared/bench
bin=./build/src/mcdewey
[ -f "$bench/dev-queries.jsonl" ] || { echo "no $bench/dev-queries.jsonl" >&2; exit 2; }
mkdir -p bench/out
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %6s %6s %6s %7s %8s %9s %9s %9s\n' mode "H@1" "H@5" "H@10" "MRR@10" "AR@1000" "p50 ms" "p95 ms" "p99 ms"
IFS=, read -ra list <<< "$modes"
for mode in "${list[@]}"; do
  out="bench/out/dev-$mode.jsonl"
  "$bin" search --batch "$bench/dev-queries.jsonl" --limit 10 --mode "$mode" --data "$data" "$@" > "$out" 2>/dev/null
  python3 "$bench/score.py" "$bench/dev-queries.jsonl" "$out" --json "bench/out/dev-$mode-summary.json" > /dev/null
  python3 - "$mode" "$out" "bench/out/dev-$mode-summary.json" <<'PY'
import json, statistics, sys
mode, results, summary = sys.argv[1:4]
lat = sorted(json.loads(l).get("took_ms", 0) for l in open(results))
pct = lambda p: lat[min(len(lat) - 1, int(round(p * (len(lat) - 1))))]
o = json.load(open(summary))["overall"]
print("%-9s %6.3f %6.3f %6.3f %7.3f %8.3f %9.2f %9.2f %9.2f" % (mode, o["hit@1"], o["hit@5"], o["hit@10"], o["mrr@10"],
      o["answer_recall@1000"], statistics.median(lat), pct(0.95), pct(0.99)))
PY
done
