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
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
