#!/usr/bin/env bash
# Builds Theon with ThreadSanitizer into ./build-tsan and runs the tests of
# the thread-safety contract (test/unit/concurrency_test.cpp, and the
# thread-count tests) under it. Theon itself is instrumented; LLVM, MLIR,
# OpenBLAS and the JIT-compiled code are not. Exits non-zero on a failed
# test or a race report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ ! -f build-tsan/build.ninja ]; then
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTHEON_SANITIZE=thread -DTHEON_BUILD_BENCHMARKS=OFF
fi
cmake --build build-tsan --target theon-unit-tests theon-cache-probe theon-cache
# One thread per runtime: libomp and OpenBLAS's pool are not instrumented,
# and what they share with Theon's threads would be reported falsely.
export THEON_FLAGS="cache=0,threads=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp"
./build-tsan/bin/theon-unit-tests --gtest_brief=1 --gtest_filter='Concurrency.*'
echo "theon: the thread-safety tests ran clean under ThreadSanitizer"
