#!/usr/bin/env bash
# Retrieval benchmark on DEV: runs the 311 FAQ questions through `mcdewey search --batch`,
# scores them with ../shared/bench/score.py and reports per-query latency (median, p95).
#   bench/dev_search.sh DATA_DIR [LIMIT]      (DATA_DIR: a library ingested from ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: bench/dev_search.sh DATA_DIR [LIMIT]}"
limit="${2:-10}"
bench=../shared/bench
bin=./build/src/mcdewey
mkdir -p bench/out
"$bin" search --batch "$bench/dev-queries.jsonl" --limit "$limit" --data "$data" > bench/out/dev-results.jsonl
python3 "$bench/score.py" "$bench/dev-queries.jsonl" bench/out/dev-results.jsonl --json bench/out/dev-summary.json
python3 - <<'PY'
import json, statistics
lat = sorted(json.loads(l)["took_ms"] for l in open("bench/out/dev-results.jsonl"))
p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
print(f"latency over {len(lat)} queries (in-process, ms): median {statistics.median(lat):.2f}  p95 {p95:.2f}  max {lat[-1]:.2f}")
PY
