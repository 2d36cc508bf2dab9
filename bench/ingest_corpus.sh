#!/usr/bin/env bash
# Ingest benchmark: McDewey on ../shared/corpus (fresh data dir) beside pdftotext on the
# corpus's PDFs alone. Prints wall time, files/s, pages/s, chunks, database size, peak RSS.
#   bench/ingest_corpus.sh [CORPUS] [MCDEWEY_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
bin="${2:-./build/src/mcdewey}"
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== mcdewey ingest $corpus (fresh)"
/usr/bin/time -f "%e %M" -o "$out/time" "$bin" ingest "$corpus" --data "$out/data" --json > "$out/summary.json" 2>"$out/stderr" || true
read -r wall rss_kb < "$out/time"
python3 - "$out/summary.json" "$wall" "$rss_kb" "$out/data" <<'PY'
import json, os, sys
s = json.load(open(sys.argv[1])); wall = float(sys.argv[2]); rss = int(sys.argv[3]); data = sys.argv[4]
db = sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data) if f.startswith("mcdewey.db"))
print(f"files {s['files']} (ingested {s['ingested']}, unchanged {s['unchanged']}, skipped {s['skipped']}, failed {s['failed']})")
print(f"pages {s['pages']}  chunks {s['chunks']}")
print(f"wall {wall:.1f} s  files/s {s['files']/wall:.1f}  pages/s {s['pages']/wall:.1f}")
print(f"database {db/1e6:.1f} MB  peak RSS {rss/1024:.0f} MB")
for p in s["problems"]:
    print(f"  {p['state']}: {p['path']}: {p['reason']}")
PY

echo "== re-ingest (unchanged)"
/usr/bin/time -f "%e" -o "$out/time2" "$bin" ingest "$corpus" --data "$out/data" --json > /dev/null 2>&1 || true
echo "wall $(cat "$out/time2") s"

echo "== pdftotext on the same PDFs (one process per file, sequential, to /dev/null)"
mapfile -t pdfs < <(find "$corpus" -name '*.pdf' | sort)
start=$(date +%s.%N)
for f in "${pdfs[@]}"; do pdftotext -q "$f" /dev/null || true; done
end=$(date +%s.%N)
echo "${#pdfs[@]} PDFs: $(python3 -c "print(f'{$end-$start:.1f}')") s"
