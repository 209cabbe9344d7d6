#!/usr/bin/env bash
# Fresh Debian 12 machine to a running example: install dependencies, build,
# run the examples.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
./build/bin/theon-basics
./build/bin/theon-mlp
./build/bin/theon-convnet
./build/bin/theon-rnn
