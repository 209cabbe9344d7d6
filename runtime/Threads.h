// How many threads compiled code uses: the OpenMP runtime (libomp) for the
// parallel loops of large elementwise ops and for oneDNN's products,
// OpenBLAS for its own.
#pragma once

namespace theon::runtime {
/// Sets both pools to `threads` (THEON_FLAGS=threads=N); 0 restores the
/// counts they started with (one per core unless OPENBLAS_NUM_THREADS or
/// OMP_NUM_THREADS say otherwise). OpenMP's count belongs to the calling
/// thread, so callers apply it on the thread that runs compiled code.
void setThreads(int threads);

/// Around one product on OpenMP's threads (oneDNN's): between
/// theon_blas_serial_begin and _end on this thread, and outside a parallel
/// region, the product runs on this thread alone. Inside a parallel region
/// it is serial by OpenMP's rules anyway.
class SerialProductScope {
public:
  SerialProductScope();
  ~SerialProductScope();
  SerialProductScope(const SerialProductScope &) = delete;
  SerialProductScope &operator=(const SerialProductScope &) = delete;

private:
  int threadsBefore_ = 0; // 0: the count was left alone
};
} // namespace theon::runtime

extern "C" {
/// At the start and at each return of a function whose parallel loop calls
/// products (inserted by theon-serial-blas): OpenBLAS
/// runs one thread per calling thread until the last such call ends, then
/// gets its count back; oneDNN runs the calling thread's products on it
/// alone until its own call ends.
void theon_blas_serial_begin(void);
void theon_blas_serial_end(void);
}
