// Matrix products on cuBLAS (runtime/cuda/CuBlas.h). The compiled host code
// waits for its stream before calling (gpu-async-region makes a call a
// synchronization point), and each product is complete when the call
// returns, so the kernels after it see its result.
#include "runtime/cuda/CuBlas.h"

#include "runtime/cuda/CudaDriver.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <vector>

namespace theon::runtime::cuda {

/// A 2-d memref descriptor as MLIR passes it (StridedMemRefType<T, 2> of
/// CRunnerUtils.h, declared here to keep MLIR's headers out of this library).
template <class T> struct Matrix {
  T *basePtr;
  T *data;
  std::int64_t offset;
  std::int64_t sizes[2];
  std::int64_t strides[2];
};

namespace {

// The cuBLAS v2 ABI Theon calls (cublas_api.h, stable since CUDA 4), declared
// here so that only cuda.h is needed to build.
using cublasHandle_t = struct cublasContext *;
using cublasStatus_t = int;
constexpr cublasStatus_t CUBLAS_STATUS_SUCCESS = 0;
using cublasOperation_t = int;
constexpr cublasOperation_t CUBLAS_OP_N = 0, CUBLAS_OP_T = 1;
template <class T>
using GemmEntry = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int,
                                     int, int, const T *, const T *, int, const T *, int,
                                     const T *, T *, int);

struct Cublas {
  cublasStatus_t (*create)(cublasHandle_t *) = nullptr;
  cublasStatus_t (*setStream)(cublasHandle_t, CUstream) = nullptr;
  GemmEntry<float> sgemm = nullptr;
  GemmEntry<double> dgemm = nullptr;
  const char *(*statusName)(cublasStatus_t) = nullptr; // optional (11.4+)
};

const Cublas *load(std::string *why) {
  static std::once_flag once;
  static const Cublas *loaded = nullptr;
  static std::string reason;
  std::call_once(once, [] {
    std::vector<std::string> names;
    if (const char *path = std::getenv("THEON_CUBLAS"); path && *path)
      names = {path};
    else
      names = {"libcublas.so.13", "libcublas.so.12", "libcublas.so",
               "/usr/local/cuda/lib64/libcublas.so"};
    void *library = nullptr;
    for (const std::string &name : names) {
      library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (library)
        break;
      const char *error = dlerror();
      reason = error ? error : name + ": cannot be opened";
    }
    if (!library)
      return;
    auto *c = new Cublas; // lives as long as the process, as the library does
    c->create = reinterpret_cast<decltype(c->create)>(dlsym(library, "cublasCreate_v2"));
    c->setStream = reinterpret_cast<decltype(c->setStream)>(dlsym(library, "cublasSetStream_v2"));
    c->sgemm = reinterpret_cast<decltype(c->sgemm)>(dlsym(library, "cublasSgemm_v2"));
    c->dgemm = reinterpret_cast<decltype(c->dgemm)>(dlsym(library, "cublasDgemm_v2"));
    c->statusName = reinterpret_cast<decltype(c->statusName)>(dlsym(library, "cublasGetStatusName"));
    if (!c->create || !c->setStream || !c->sgemm || !c->dgemm) {
      reason = names.front() + ": not a cuBLAS (no cublasCreate_v2/cublasSgemm_v2)";
      delete c;
      return;
    }
    loaded = c;
  });
  if (!loaded && why)
    *why = reason;
  return loaded;
}

std::string describe(const Cublas &c, const char *call, cublasStatus_t status) {
  const char *name = c.statusName ? c.statusName(status) : nullptr;
  return std::string(call) + ": " + (name ? name : "cuBLAS status " + std::to_string(status));
}

/// This thread's handle and stream (a handle is not shared between threads
/// that may set its stream at the same time); null with the error recorded.
struct ThreadBlas {
  cublasHandle_t handle = nullptr;
  CUstream stream = nullptr;
};

ThreadBlas *threadBlas(const Driver &d, const Cublas &c) {
  thread_local ThreadBlas blas;
  if (blas.handle)
    return &blas;
  if (CUresult r = d.cuStreamCreate(&blas.stream, CU_STREAM_NON_BLOCKING); r != CUDA_SUCCESS) {
    recordDeviceError(describe(d, "cuStreamCreate", r));
    return nullptr;
  }
  if (cublasStatus_t s = c.create(&blas.handle); s != CUBLAS_STATUS_SUCCESS) {
    recordDeviceError(describe(c, "cublasCreate_v2", s));
    blas.handle = nullptr;
    return nullptr;
  }
  c.setStream(blas.handle, blas.stream);
  return &blas;
}

/// The row stride, as BLAS's leading dimension (any value >= the row
/// length when there is one row).
template <class T> std::int64_t leading(const Matrix<T> *m) {
  return std::max<std::int64_t>(m->strides[0], std::max<std::int64_t>(m->sizes[1], 1));
}

/// C = op(A) op(B) + beta C, row-major, as cuBLAS's column-major
/// C^T = op(B)^T op(A)^T: the operands swap, the flags stay.
template <class T, class Gemm>
void gemm(Matrix<T> *a, Matrix<T> *b, Matrix<T> *c,
          std::int32_t transA, std::int32_t transB, T beta, Gemm Cublas::*entry, const char *name) {
  const Driver *d = ready();
  if (!d)
    return;
  std::string why;
  const Cublas *blas = load(&why);
  if (!blas) {
    recordDeviceError("cuBLAS not found: " + why);
    return;
  }
  ThreadBlas *thread = threadBlas(*d, *blas);
  if (!thread)
    return;
  std::int64_t m = c->sizes[0], n = c->sizes[1], k = transA ? a->sizes[0] : a->sizes[1];
  if (m == 0 || n == 0)
    return;
  const T one = 1;
  cublasOperation_t opA = transA ? CUBLAS_OP_T : CUBLAS_OP_N;
  cublasOperation_t opB = transB ? CUBLAS_OP_T : CUBLAS_OP_N;
  cublasStatus_t status =
      (blas->*entry)(thread->handle, opB, opA, static_cast<int>(n), static_cast<int>(m),
                     static_cast<int>(k), &one, b->data + b->offset, static_cast<int>(leading(b)),
                     a->data + a->offset, static_cast<int>(leading(a)), &beta,
                     c->data + c->offset, static_cast<int>(leading(c)));
  if (status != CUBLAS_STATUS_SUCCESS) {
    recordDeviceError(describe(*blas, name, status));
    return;
  }
  if (CUresult r = d->cuStreamSynchronize(thread->stream); r != CUDA_SUCCESS)
    recordDeviceError(describe(*d, "cuStreamSynchronize", r));
}

} // namespace

bool cublasAvailable(std::string *why) { return load(why) != nullptr; }

} // namespace theon::runtime::cuda

using namespace theon::runtime::cuda;

extern "C" {

void _mlir_ciface_theon_gpu_gemm_f32(Matrix<float> *a, Matrix<float> *b,
                                     Matrix<float> *c, std::int32_t transA,
                                     std::int32_t transB, float beta) {
  gemm(a, b, c, transA, transB, beta, &Cublas::sgemm, "cublasSgemm_v2");
}

void _mlir_ciface_theon_gpu_gemm_f64(Matrix<double> *a,
                                     Matrix<double> *b,
                                     Matrix<double> *c, std::int32_t transA,
                                     std::int32_t transB, double beta) {
  gemm(a, b, c, transA, transB, beta, &Cublas::dgemm, "cublasDgemm_v2");
}

} // extern "C"
