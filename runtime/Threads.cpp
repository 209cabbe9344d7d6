//===- Threads.cpp - thread counts for OpenBLAS and libomp ----------------===//
#include "runtime/Threads.h"

#include <cstdlib>
#include <mutex>

#include <cblas.h>

// libomp's C API (a stable ABI; declared here instead of finding omp.h
// inside clang's resource directory).
extern "C" {
void omp_set_num_threads(int);
int omp_get_max_threads(void);
void kmp_set_blocktime(int);
}

namespace {
std::mutex &blasMutex() {
  static std::mutex mutex;
  return mutex;
}
} // namespace

namespace theon::runtime {
namespace {
struct InitialCounts {
  int blas, omp;
};

const InitialCounts &initialCounts() {
  static const InitialCounts counts{openblas_get_num_threads(), omp_get_max_threads()};
  return counts;
}
} // namespace

void setThreads(int threads) {
  const InitialCounts &initial = initialCounts();
  {
    std::lock_guard<std::mutex> lock(blasMutex());
    openblas_set_num_threads(threads > 0 ? threads : initial.blas);
  }
  omp_set_num_threads(threads > 0 ? threads : initial.omp);
  // libomp's workers otherwise spin 200 ms after each loop, on the cores
  // OpenBLAS's threads need for the next product.
  static const bool userBlocktime = std::getenv("KMP_BLOCKTIME") != nullptr;
  if (!userBlocktime)
    kmp_set_blocktime(0);
}
} // namespace theon::runtime

namespace {
// Calls between theon_blas_serial_begin and _end now (on any thread), and
// the count OpenBLAS had when the first began.
int serialLoops = 0;
int blasThreadsBefore = 1;
} // namespace

extern "C" void theon_blas_serial_begin(void) {
  std::lock_guard<std::mutex> lock(blasMutex());
  if (serialLoops++ == 0) {
    blasThreadsBefore = openblas_get_num_threads();
    if (blasThreadsBefore != 1)
      openblas_set_num_threads(1);
  }
}

extern "C" void theon_blas_serial_end(void) {
  std::lock_guard<std::mutex> lock(blasMutex());
  if (--serialLoops == 0 && blasThreadsBefore != 1)
    openblas_set_num_threads(blasThreadsBefore);
}
