#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite with CTest.
# This is README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 600
