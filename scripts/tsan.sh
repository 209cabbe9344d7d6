#!/usr/bin/env bash
# Builds Theon with ThreadSanitizer into ./build-tsan and runs the tests of
# the thread-safety contract (test/unit/concurrency_test.cpp) under it.
# Theon itself is instrumented; LLVM, MLIR, OpenBLAS and the JIT-compiled
# code are not. Exits non-zero on a failed
# test or a race report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# -O1 with line tables only: about half the compile time of -O2 -g, and
# reports still name functions, files and lines.
sanitizer_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
                 -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
if [ ! -f build-tsan/build.ninja ]; then
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "${sanitizer_flags[@]}" -DTHEON_SANITIZE=thread \
    -DTHEON_BUILD_BENCHMARKS=OFF -DTHEON_BUILD_EXAMPLES=OFF
fi
cmake --build build-tsan --target theon-concurrency-tests
# One thread per runtime: libomp and OpenBLAS's pool are not instrumented,
# and what they share with Theon's threads would be reported falsely.
export THEON_FLAGS="cache=0,threads=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp"
./build-tsan/bin/theon-concurrency-tests --gtest_brief=1
echo "theon: the thread-safety tests ran clean under ThreadSanitizer"
