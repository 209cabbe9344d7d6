#!/usr/bin/env bash
# Runs Theon's benchmarks and its peers (NumPy, PyTorch eager and
# torch.compile, JAX, PyTensor) on this machine in one go and prints tables
# of times and ratios. Needs a build (scripts/build.sh); the first run
# installs the peers into a cached venv (bench/peers-venv.sh, ~5 GB).
#   bash bench/run.sh [output-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/bench-results}"
mkdir -p "$out"
bin=build/bin
# Measure compiled code, not the disk cache, except where a benchmark says.
export THEON_FLAGS="cache=0"

# The peers: the current NumPy, PyTorch, JAX and PyTensor from PyPI in a
# cached virtual environment (bench/peers-venv.sh); THEON_BENCH_VENV=0
# takes Debian's python3-numpy and python3-torch instead.
py="${PYTHON:-/usr/bin/python3}"
[ -x "$py" ] || py=python3
if [ "${THEON_BENCH_VENV:-1}" != 0 ]; then
  py=$(bash bench/peers-venv.sh) || { echo "bench: no peers venv; Debian's python3 instead" >&2; py=/usr/bin/python3; }
fi
# The MLP step of Theon and every peer, each size and thread count in its
# own process, interleaved in random order, three rounds; then each
# system's first call, cold and from its disk cache.
python3 bench/rounds.py --python "$py" --bin "$bin" --rounds "${THEON_BENCH_ROUNDS:-3}" --out "$out"
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
for threads in 1 2; do
  "$py" bench/peers.py --models --threads "$threads" >> "$out/peers.jsonl" ||
    echo "bench: the convnet and GRU peers failed" >&2
done
python3 bench/report.py "$out"
# The libraries that could run Theon's products, side by side.
if [ "${THEON_BENCH_BLAS:-1}" != 0 ]; then
  bash bench/blas.sh "$out"
fi
