#!/usr/bin/env bash
# Builds Theon and runs every test (GoogleTest and lit, through CTest).
# Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j2
