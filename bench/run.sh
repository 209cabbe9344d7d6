#!/usr/bin/env bash
# Runs Theon's benchmarks and the NumPy/PyTorch peers on this machine in one
# go and prints a table of times and ratios. Needs a build (scripts/build.sh);
# the peers run when python3-numpy / python3-torch are installed.
#   bash bench/run.sh [output-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/bench-results}"
mkdir -p "$out"
bin=build/bin
# Measure compiled code, not the disk cache, except where a benchmark says.
export THEON_FLAGS="cache=0"

# Each size in its own process: with two threads, the 784-500-10 step ran
# ~60% slower after the 64-100-10 one in the same process (an interaction
# with OpenBLAS's threads not yet understood; see bench/README.md).
for threads in 1 2; do
  for size in 64-100 784-500 784-2048; do
    THEON_FLAGS="cache=0,threads=$threads" "$bin/theon-bench-mlp" \
      --benchmark_filter="BM_TrainStep/features:${size%-*}/hidden:${size#*-}/" \
      --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
      --benchmark_format=json > "$out/mlp-threads$threads-$size.json"
  done
done
# The convnet example's step, each thread count in its own process.
for threads in 1 2; do
  THEON_FLAGS="cache=0,threads=$threads" "$bin/theon-bench-convnet" --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true \
    --benchmark_format=json > "$out/convnet-threads$threads.json"
done
# The recurrent example's step through scan, and its compile times.
for threads in 1 2; do
  THEON_FLAGS="cache=0,threads=$threads" "$bin/theon-bench-rnn" --benchmark_filter=GruStep \
    --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_format=json > "$out/gru-threads$threads.json"
done
rnn_cache=$(mktemp -d)
THEON_FLAGS="cache_dir=$rnn_cache" "$bin/theon-bench-rnn" --benchmark_filter='Compile|NewLength' \
  --benchmark_format=json > "$out/gru-compile.json"
rm -rf "$rnn_cache"
"$bin/theon-bench-mlp" --benchmark_filter=Compile --benchmark_format=json > "$out/compile.json"
# Warm disk cache: the same training function compiled in fresh processes.
cache_dir=$(mktemp -d)
THEON_FLAGS="cache_dir=$cache_dir" "$bin/theon-bench-mlp" --benchmark_filter=WarmCacheNewProcess \
  --benchmark_format=json > "$out/warm-cache.json"
rm -rf "$cache_dir"
# Five repetitions in random order, so that Theon and OpenBLAS see the same
# drift of this shared machine; the report takes the medians.
"$bin/theon-bench-kernels" --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true --benchmark_format=json > "$out/kernels.json"

: > "$out/peers.jsonl"
# Debian's python3-numpy and python3-torch live in the system interpreter.
py="${PYTHON:-/usr/bin/python3}"
[ -x "$py" ] || py=python3
if "$py" -c 'import numpy' 2>/dev/null || "$py" -c 'import torch' 2>/dev/null; then
  for threads in 1 2; do
    "$py" bench/peers.py --threads "$threads" >> "$out/peers.jsonl"
  done
else
  echo "bench: neither NumPy nor PyTorch is installed; peers skipped" >&2
fi
python3 bench/report.py "$out"
