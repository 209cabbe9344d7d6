// A fake cuBLAS for tests without a GPU, loaded through THEON_CUBLAS by the
// same dlopen path as libcublas: "device" memory is the fake driver's host
// memory, so its products are real (a plain column-major loop). Its calls
// go to the fake driver's log; the driver's setting gemm_fails makes them
// fail.
#include <cstdint>
#include <dlfcn.h>
#include <cstdlib>
#include <string>

namespace {

using Status = int;
constexpr Status kSuccess = 0, kExecutionFailed = 13;

/// The fake driver, already loaded by the runtime (THEON_CUDA_DRIVER).
void *driver() {
  static void *library = dlopen(std::getenv("THEON_CUDA_DRIVER"), RTLD_NOW | RTLD_NOLOAD);
  return library;
}
void record(const std::string &line) {
  if (auto f = reinterpret_cast<void (*)(const char *)>(dlsym(driver(), "fakeCudaRecord")))
    f(line.c_str());
}
bool failing() {
  auto f = reinterpret_cast<int (*)(const char *)>(dlsym(driver(), "fakeCudaSetting"));
  return f && f("gemm_fails");
}

template <class T>
Status gemm(const char *name, int transA, int transB, int m, int n, int k, const T *alpha,
            const T *a, int lda, const T *b, int ldb, const T *beta, T *c, int ldc) {
  record(std::string(name) + " " + (transA ? "T" : "N") + (transB ? "T" : "N") + " " +
         std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k));
  if (failing())
    return kExecutionFailed;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      T sum = 0;
      for (int p = 0; p < k; ++p)
        sum += (transA ? a[p + i * lda] : a[i + p * lda]) * (transB ? b[j + p * ldb] : b[p + j * ldb]);
      T &out = c[i + j * ldc];
      out = *alpha * sum + (*beta == 0 ? T(0) : *beta * out);
    }
  return kSuccess;
}

} // namespace

extern "C" {
Status cublasCreate_v2(void **handle) {
  record("cublasCreate_v2");
  static int fakeHandle;
  *handle = &fakeHandle;
  return kSuccess;
}
Status cublasSetStream_v2(void *, void *) { return kSuccess; }
Status cublasSgemm_v2(void *, int transA, int transB, int m, int n, int k, const float *alpha,
                      const float *a, int lda, const float *b, int ldb, const float *beta,
                      float *c, int ldc) {
  return gemm("cublasSgemm_v2", transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
Status cublasDgemm_v2(void *, int transA, int transB, int m, int n, int k, const double *alpha,
                      const double *a, int lda, const double *b, int ldb, const double *beta,
                      double *c, int ldc) {
  return gemm("cublasDgemm_v2", transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
const char *cublasGetStatusName(Status status) {
  return status == kExecutionFailed ? "CUBLAS_STATUS_EXECUTION_FAILED" : "CUBLAS_STATUS_SUCCESS";
}
}
