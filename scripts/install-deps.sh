#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of McDewey from Debian's archive.
# Idempotent: re-running only installs what is missing. Needs root (or sudo).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config git ca-certificates
  # core libraries (one module each, see DESIGN.md)
  libsqlite3-dev libpoppler-cpp-dev libgumbo-dev libmd4c-dev libmd4c-html0-dev
  libicu-dev nlohmann-json3-dev libcpp-httplib-dev libhnswlib-dev libcli11-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev libcurl4-openssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev poppler-utils python3 wrk
  # sample library fetch
  dpkg-dev xz-utils
  # the web UI's end-to-end test (tests/e2e): headless Chromium driven by playwright-core,
  # and fonts so that screenshots show text
  chromium fonts-dejavu-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} Debian packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages of the test tools (browser driver, MCP SDK and conformance suite): each folder
# with a package.json and lock file gets exactly what its lock file pins.
# Node 20 with its npm is part of this machine class; Debian's own packages are the fallback.
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -q --no-install-recommends nodejs npm
fi
cd "$(dirname "$0")/.."
for dir in tests/e2e tests/mcp; do
  [ -f "$dir/package.json" ] || continue
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
done
