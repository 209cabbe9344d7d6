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
int omp_in_parallel(void);
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
#ifdef THEON_BLAS_DNNL
constexpr int kBlocktimeMs = 20;
#else
constexpr int kBlocktimeMs = 0;
#endif

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
  // How long libomp's workers spin after a parallel region before they
  // sleep (200 ms by default). With OpenBLAS running the products they
  // would spin on the cores its threads need for the next product: 0.
  // With oneDNN the products run on these same workers, and waking a
  // sleeping one costs tens of microseconds on each of a step's regions:
  // they spin through a step's serial gaps, and sleep soon after its end
  // (bench/README.md, "oneDNN runs the products").
  static const bool userBlocktime = std::getenv("KMP_BLOCKTIME") != nullptr;
  if (!userBlocktime)
    kmp_set_blocktime(kBlocktimeMs);
}
} // namespace theon::runtime

namespace {
// Calls between theon_blas_serial_begin and _end now (on any thread), and
// the count OpenBLAS had when the first began.
int serialLoops = 0;
int blasThreadsBefore = 1;
// The same on the calling thread alone: oneDNN's count is OpenMP's, which
// is per thread.
thread_local int serialCallsHere = 0;
} // namespace

theon::runtime::SerialProductScope::SerialProductScope() {
  if (serialCallsHere > 0 && !omp_in_parallel()) {
    threadsBefore_ = omp_get_max_threads();
    omp_set_num_threads(1);
  }
}

theon::runtime::SerialProductScope::~SerialProductScope() {
  if (threadsBefore_ != 0)
    omp_set_num_threads(threadsBefore_);
}

extern "C" void theon_blas_serial_begin(void) {
  ++serialCallsHere;
  std::lock_guard<std::mutex> lock(blasMutex());
  if (serialLoops++ == 0) {
    blasThreadsBefore = openblas_get_num_threads();
    if (blasThreadsBefore != 1)
      openblas_set_num_threads(1);
  }
}

extern "C" void theon_blas_serial_end(void) {
  --serialCallsHere;
  std::lock_guard<std::mutex> lock(blasMutex());
  if (--serialLoops == 0 && blasThreadsBefore != 1)
    openblas_set_num_threads(blasThreadsBefore);
}
