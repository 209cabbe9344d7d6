#!/usr/bin/env bash
# The GPU checks, in one go, for a machine with an NVIDIA GPU and its driver
# (a few minutes of device time): the tests that need the real driver, and
# the device's description. Results go to a folder (default gpu-results/):
# gpu.txt (nvidia-smi), tests.txt and tests.xml (GoogleTest).
#   bash scripts/gpu-check.sh [results-folder]
# It uses build/ as it is when the test binary is there (a machine that
# received the build), else builds first (scripts/build.sh). A test that
# skips (no driver, no device) fails the check.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-gpu-results}
mkdir -p "$out"
if [ ! -x build/bin/theon-cuda-runtime-tests ]; then
  bash scripts/install-deps.sh && bash scripts/build.sh || exit 1
fi
{ nvidia-smi || echo "nvidia-smi: not available"; } > "$out/gpu.txt" 2>&1
# The real driver: not the fake one the CTest suite uses.
unset THEON_CUDA_DRIVER
build/bin/theon-cuda-runtime-tests --gtest_filter='CudaRuntimeOnGpu.*' \
  --gtest_output="xml:$out/tests.xml" > "$out/tests.txt" 2>&1
status=$?
cat "$out/tests.txt"
if grep -q "SKIPPED" "$out/tests.txt"; then
  echo "gpu-check: tests skipped: no usable GPU or driver here" >&2
  exit 1
fi
exit $status
