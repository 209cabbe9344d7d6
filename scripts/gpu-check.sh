#!/usr/bin/env bash
# The GPU checks, in one go, for a machine with an NVIDIA GPU and its driver
# (a few minutes of device time): the tests that need the real driver, the
# seed MLP trained with device=cuda against the same run on the CPU, the GPU
# benchmarks, and the device's description. Results go to a folder (default
# gpu-results/): gpu.txt (nvidia-smi), tests.txt, tests.xml and numerics.xml
# (GoogleTest), mlp-cpu.txt and mlp-cuda.txt (the cost curves),
# bench-theon-cuda.json and bench-peers-cuda.jsonl (the benchmarks).
#   bash scripts/gpu-check.sh [results-folder]
# It uses build/ as it is when the test binary is there (a machine that
# received the build), else builds first (scripts/build.sh). A test that
# skips (no driver, no device) fails the check.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-gpu-results}
mkdir -p "$out"
if [ ! -x build/bin/theon-cuda-runtime-tests ] || [ ! -x build/bin/theon-gpu-tests ] ||
   [ ! -x build/bin/theon-bench-mlp ]; then
  bash scripts/install-deps.sh && bash scripts/build.sh || exit 1
fi
{ nvidia-smi || echo "nvidia-smi: not available"; } > "$out/gpu.txt" 2>&1
# The real driver: not the fake one the CTest suite uses.
unset THEON_CUDA_DRIVER
build/bin/theon-cuda-runtime-tests --gtest_filter='CudaRuntimeOnGpu.*' \
  --gtest_output="xml:$out/tests.xml" > "$out/tests.txt" 2>&1
status=$?
# device=cuda against the CPU: trees, products, shared variables on the device.
build/bin/theon-gpu-tests --gtest_output="xml:$out/numerics.xml" >> "$out/tests.txt" 2>&1 || status=1
cat "$out/tests.txt"
if grep -q "SKIPPED" "$out/tests.txt"; then
  echo "gpu-check: tests skipped: no usable GPU or driver here" >&2
  exit 1
fi
# The seed MLP: the same steps (same data, seed and minibatches) on both
# devices; the cost curves must agree within a relative 2e-3 (float32
# math on the two devices need not round alike: libdevice on the GPU, the
# CPU's own approximations).
THEON_FLAGS=cache=0 build/bin/theon-mlp --steps 600 --print 100 > "$out/mlp-cpu.txt" 2>&1 || status=1
THEON_FLAGS=cache=0,device=cuda build/bin/theon-mlp --steps 600 --print 100 > "$out/mlp-cuda.txt" 2>&1 || status=1
python3 - "$out/mlp-cpu.txt" "$out/mlp-cuda.txt" <<'PY' || status=1
import re, sys
curves = []
for path in sys.argv[1:]:
    curves.append([float(m.group(2)) for m in re.finditer(r"^(\d+) ([-0-9.e+]+)$", open(path).read(), re.M)])
cpu, cuda = curves
print("mlp cost, cpu :", cpu)
print("mlp cost, cuda:", cuda)
if not cpu or len(cpu) != len(cuda):
    sys.exit("gpu-check: the cost curves are missing or differ in length")
for a, b in zip(cpu, cuda):
    if abs(a - b) > 2e-3 * max(abs(a), abs(b)):
        sys.exit("gpu-check: the cost curves differ: %r vs %r" % (a, b))
print("gpu-check: device=cuda follows the CPU's cost curve")
PY
# The GPU benchmarks: Theon's seed step on device=cuda (figures for
# bench/README.md, with the device named in gpu.txt), and PyTorch on the GPU
# when this machine has a CUDA build of it.
build/bin/theon-bench-mlp --benchmark_filter=TrainStepCuda --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_format=json > "$out/bench-theon-cuda.json" \
  2> "$out/bench-theon-cuda.err" || status=1
python3 bench/peers.py --device cuda > "$out/bench-peers-cuda.jsonl" 2> "$out/bench-peers-cuda.err" || true
cat "$out/bench-theon-cuda.err" "$out/bench-peers-cuda.err" >&2
python3 - "$out/bench-theon-cuda.json" "$out/bench-peers-cuda.jsonl" <<'PY' || true
import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("aggregate_name") == "median":
        print("theon cuda %s: %.1f us" % (b["run_name"], b["real_time"]))
for line in open(sys.argv[2]):
    r = json.loads(line)
    print("%s %s: %.1f us" % (r["peer"], r["size"], r["us"]))
PY
exit $status
