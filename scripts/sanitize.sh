#!/usr/bin/env bash
# Builds Theon with AddressSanitizer and UndefinedBehaviorSanitizer into
# ./build-asan and runs the unit suite, the API fuzzer and the MLP under
# them, and (where the CUDA runtime is built) the device=cuda tests and
# the fuzzer's GPU path on the fake driver.
# Exits non-zero on any test failure or sanitizer report.
#   bash scripts/sanitize.sh [fuzz-cases]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# -O1 with line tables only: about half the compile time of -O2 -g, and
# reports still name functions, files and lines.
sanitizer_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
                 -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
if [ ! -f build-asan/build.ninja ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "${sanitizer_flags[@]}" -DTHEON_SANITIZE=address,undefined -DTHEON_BUILD_BENCHMARKS=OFF
fi
cmake --build build-asan --target theon-unit-tests theon-cache-probe theon-fuzz-api theon-mlp
gpu=0
if grep -q "^build theon-device-tests: phony" build-asan/build.ninja; then
  gpu=1
  cmake --build build-asan --target theon-device-tests theon-cuda-runtime-tests
fi
# LLVM's and OpenBLAS's one-time allocations live until exit: leak reports
# would be theirs, not Theon's. Requests too large to allocate fail as
# they do without ASan (the MemoryError tests make them). Every other error
# stops the run.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export THEON_FLAGS="cache=0"
./build-asan/bin/theon-unit-tests --gtest_brief=1
./build-asan/bin/theon-fuzz-api "${1:-500}" 20261201
./build-asan/bin/theon-mlp --steps 200 --print 100
if [ "$gpu" = 1 ]; then
  fake="THEON_CUDA_DRIVER=$PWD/build-asan/lib/libtheon-fake-cuda.so THEON_CUBLAS=$PWD/build-asan/lib/libtheon-fake-cublas.so"
  env $fake ./build-asan/bin/theon-device-tests --gtest_brief=1
  env $fake ./build-asan/bin/theon-cuda-runtime-tests --gtest_brief=1
  env $fake THEON_FLAGS=cache=0,device=cuda ./build-asan/bin/theon-fuzz-api 200 20261202
fi
echo "theon: unit tests, fuzzer and the MLP ran clean under ASan and UBSan"
