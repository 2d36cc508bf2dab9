#!/usr/bin/env bash
# Ingest benchmark, side by side in one run: McDewey on ../shared/corpus (fresh data dirs)
# without embeddings (lexical only) and with the built-in model, beside pdftotext on the
# corpus's PDFs alone. Prints wall time, files/s, pages/s, chunks, database size, peak RSS,
# the embedding share, and a re-ingest of unchanged files.
#   bench/ingest_corpus.sh [CORPUS] [MCDEWEY_BINARY] [MODEL_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
bin="${2:-./build/src/mcdewey}"
model="${3:-models/wink-sg-100d.mcdwv}"
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

run() {  # run NAME ARGS...: one fresh ingest, summarised
  local name=$1; shift
  echo "== mcdewey ingest $corpus ($name, fresh data dir)"
  /usr/bin/time -f "%e %M" -o "$out/time-$name" "$bin" ingest "$corpus" --data "$out/$name" --json "$@" \
    > "$out/summary-$name.json" 2>"$out/stderr-$name" || true
  read -r wall rss_kb < "$out/time-$name"
  python3 - "$out/summary-$name.json" "$wall" "$rss_kb" "$out/$name" <<'PY'
import json, os, sys
s = json.load(open(sys.argv[1])); wall = float(sys.argv[2]); rss = int(sys.argv[3]); data = sys.argv[4]
db = sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data) if f.startswith("mcdewey.db"))
print(f"files {s['files']} (ingested {s['ingested']}, unchanged {s['unchanged']}, skipped {s['skipped']}, failed {s['failed']})")
print(f"pages {s['pages']}  chunks {s['chunks']}  embedded {s.get('embedded', 0)}")
print(f"wall {wall:.1f} s  files/s {s['files']/wall:.1f}  pages/s {s['pages']/wall:.1f}")
if s.get('embedded'):
    print(f"embedding (prepare + embed + index) {s['embed_seconds']:.1f} s of that: {s['embedded']/s['embed_seconds']:.0f} passages/s")
elif s.get('semantic_note'):
    print(f"semantic: {s['semantic_note']}")
print(f"database {db/1e6:.1f} MB  peak RSS {rss/1024:.0f} MB")
fails = [p for p in s["problems"] if p["state"] == "failed"]
for p in fails:
    print(f"  failed: {p['path']}: {p['reason']}")
PY
}

run lexical --embedder none
if [ -f "$model" ]; then
  run hybrid --model "$model"
else
  echo "== no model at $model (scripts/fetch-model.sh fetches it): the run with embeddings is skipped"
fi

echo "== re-ingest (unchanged files)"
/usr/bin/time -f "%e" -o "$out/time2" "$bin" ingest "$corpus" --data "$out/lexical" --embedder none --json > /dev/null 2>&1 || true
echo "wall $(cat "$out/time2") s"

echo "== pdftotext on the same PDFs (one process per file, sequential, to /dev/null)"
mapfile -t pdfs < <(find "$corpus" -name '*.pdf' | sort)
start=$(date +%s.%N)
for f in "${pdfs[@]}"; do pdftotext -q "$f" /dev/null || true; done
end=$(date +%s.%N)
echo "${#pdfs[@]} PDFs: $(python3 -c "print(f'{$end-$start:.1f}')") s"
