#include "runtime/Blas.h"
#include "runtime/Threads.h"

#include <cblas.h>
#ifdef THEON_BLAS_DNNL
#include <oneapi/dnnl/dnnl.h>
#endif

#include <type_traits>
#include <vector>

namespace {

constexpr std::int64_t kSmallProduct = std::int64_t(1) << 20; // multiply-adds
constexpr std::int64_t kMaxTransposed = std::int64_t(1) << 16; // elements of B

/// BLAS needs unit stride along rows; other layouts take the plain loop.
template <class T> bool rowMajor(const StridedMemRefType<T, 2> *m) {
  return m->strides[1] == 1 || m->sizes[1] <= 1;
}

template <class T> std::int64_t leadingDim(const StridedMemRefType<T, 2> *m) {
  return std::max<std::int64_t>(m->strides[0], std::max<std::int64_t>(m->sizes[1], 1));
}

template <class T>
void referenceGemm(StridedMemRefType<T, 2> *a, StridedMemRefType<T, 2> *b,
                   StridedMemRefType<T, 2> *c, bool transA, bool transB, T beta) {
  std::int64_t m = c->sizes[0], n = c->sizes[1], k = transA ? a->sizes[0] : a->sizes[1];
  auto at = [](StridedMemRefType<T, 2> *x, std::int64_t i, std::int64_t j) -> T & {
    return x->data[x->offset + i * x->strides[0] + j * x->strides[1]];
  };
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      T sum = 0;
      for (std::int64_t p = 0; p < k; ++p)
        sum += (transA ? at(a, p, i) : at(a, i, p)) * (transB ? at(b, j, p) : at(b, p, j));
      T &out = at(c, i, j);
      out = beta == T(0) ? sum : sum + beta * out;
    }
}

#ifdef THEON_BLAS_DNNL
// Below this many multiply-adds OpenBLAS's small-matrix path, on the
// calling thread, beats oneDNN's sgemm, whose fixed cost is about a
// microsecond more (bench/README.md, "oneDNN runs the products").
constexpr std::int64_t kMinDnnlProduct = std::int64_t(1) << 18;

/// C = op(A) op(B) + beta C by oneDNN (row-major, leading dimensions in
/// elements); whether it ran.
bool dnnlSgemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k,
               const float *a, std::int64_t lda, const float *b, std::int64_t ldb, float beta,
               float *c, std::int64_t ldc) {
  theon::runtime::SerialProductScope serial;
  return dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', m, n, k, 1.0f, a, lda, b, ldb, beta,
                    c, ldc) == dnnl_success;
}
#endif

template <class T, class Gemm>
void gemm(StridedMemRefType<T, 2> *a, StridedMemRefType<T, 2> *b, StridedMemRefType<T, 2> *c,
          std::int32_t transA, std::int32_t transB, T beta, Gemm cblas) {
  std::int64_t m = c->sizes[0], n = c->sizes[1], k = transA ? a->sizes[0] : a->sizes[1];
  if (m == 0 || n == 0)
    return;
  if (!rowMajor(a) || !rowMajor(b) || !rowMajor(c)) {
    referenceGemm(a, b, c, transA != 0, transB != 0, beta);
    return;
  }
  if (k == 0) { // BLAS leaves C alone when k = 0: C = beta C
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        T &out = c->data[c->offset + i * c->strides[0] + j];
        out = beta == T(0) ? T(0) : beta * out;
      }
    return;
  }
#ifdef THEON_BLAS_DNNL
  if constexpr (std::is_same_v<T, float>)
    if (m * n * k >= kMinDnnlProduct &&
        dnnlSgemm(transA != 0, transB != 0, m, n, k, a->data + a->offset, leadingDim(a),
                  b->data + b->offset, leadingDim(b), beta, c->data + c->offset, leadingDim(c)))
      return;
#endif
  // A small A @ B.T: OpenBLAS 0.3.21 (AVX-512 kernels) runs it through its
  // general path, packing included (perf: sgemm_kernel, sgemm_incopy), where
  // A @ B takes its small-matrix kernel. Copying B transposed first made the
  // seed MLP's 64-100-10 step (dlogits @ W2.T) 0.6 us faster in 7 of 8
  // paired runs on the project machine. Large products keep the flag.
  const T *bData = b->data + b->offset;
  std::int64_t ldb = leadingDim(b);
  if (transB && !transA && m * n * k <= kSmallProduct && n * k <= kMaxTransposed) {
    thread_local std::vector<T> transposed;
    transposed.resize(static_cast<std::size_t>(n * k));
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t p = 0; p < k; ++p)
        transposed[static_cast<std::size_t>(p * n + j)] = bData[j * ldb + p];
    bData = transposed.data();
    ldb = n;
    transB = 0;
  }
  cblas(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
        static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), T(1),
        a->data + a->offset, static_cast<blasint>(leadingDim(a)), bData,
        static_cast<blasint>(ldb), beta, c->data + c->offset,
        static_cast<blasint>(leadingDim(c)));
}

} // namespace

extern "C" void _mlir_ciface_theon_gemm_f32(StridedMemRefType<float, 2> *a,
                                            StridedMemRefType<float, 2> *b,
                                            StridedMemRefType<float, 2> *c, std::int32_t transA,
                                            std::int32_t transB, float beta) {
  gemm(a, b, c, transA, transB, beta, cblas_sgemm);
}

extern "C" void _mlir_ciface_theon_gemm_f64(StridedMemRefType<double, 2> *a,
                                            StridedMemRefType<double, 2> *b,
                                            StridedMemRefType<double, 2> *c, std::int32_t transA,
                                            std::int32_t transB, double beta) {
  gemm(a, b, c, transA, transB, beta, cblas_dgemm);
}

extern "C" const char *theon_blas_library(void) {
#ifdef THEON_BLAS_DNNL
  return "dnnl";
#else
  return "openblas";
#endif
}
