#!/usr/bin/env bash
# README's first command: installs dependencies, builds McDewey, fetches a real multi-vendor
# sample library from Debian's documentation packages, ingests it and runs a search.
#   scripts/demo.sh [QUERY]
set -euo pipefail
cd "$(dirname "$0")/.."
query="${1:-how do I configure a DNSSEC zone}"

bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/fetch-sample-library.sh sample-library

echo
echo "== mcdewey ingest sample-library --data mcdewey-data"
./build/src/mcdewey ingest sample-library --data mcdewey-data || [ $? -eq 1 ]   # 1: some files failed (listed above), the rest are in
echo
echo "== mcdewey stats --data mcdewey-data"
./build/src/mcdewey stats --data mcdewey-data | head -12
echo
echo "== mcdewey search \"$query\" --data mcdewey-data --limit 3"
./build/src/mcdewey search "$query" --data mcdewey-data --limit 3
echo
echo "Try your own: ./build/src/mcdewey search \"kerberos keytab\" --data mcdewey-data"
