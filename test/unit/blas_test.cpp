// The runtime's products (what theon-linalg-to-blas calls): every layout,
// transpose and beta against a reference in double, on both sides of the
// size where float32 products move from OpenBLAS to oneDNN; and oneDNN's
// threads are the ones Theon's parallel loops run on.
#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "runtime/Blas.h"
#include "runtime/Threads.h"

// libomp's own view of the calling thread's count.
extern "C" {
int omp_get_max_threads(void);
void omp_set_num_threads(int);
}

namespace {

/// A rows x cols matrix stored row-major with `pad` unused elements after
/// each row, filled with values in [-1, 1].
template <class T> struct Matrix {
  std::int64_t rows, cols, ld;
  std::vector<T> data;
  Matrix(std::int64_t r, std::int64_t c, std::int64_t pad, std::mt19937 &rng)
      : rows(r), cols(c), ld(c + pad), data(static_cast<std::size_t>(r * (c + pad))) {
    std::uniform_real_distribution<double> uniform(-1, 1);
    for (T &v : data)
      v = static_cast<T>(uniform(rng));
  }
  T at(std::int64_t i, std::int64_t j) const { return data[static_cast<std::size_t>(i * ld + j)]; }
  StridedMemRefType<T, 2> view() {
    return {data.data(), data.data(), 0, {rows, cols}, {ld, 1}};
  }
};

template <class T> void gemm(StridedMemRefType<T, 2> *, StridedMemRefType<T, 2> *,
                             StridedMemRefType<T, 2> *, std::int32_t, std::int32_t, T);
template <> void gemm<float>(StridedMemRefType<float, 2> *a, StridedMemRefType<float, 2> *b,
                             StridedMemRefType<float, 2> *c, std::int32_t ta, std::int32_t tb,
                             float beta) {
  _mlir_ciface_theon_gemm_f32(a, b, c, ta, tb, beta);
}
template <> void gemm<double>(StridedMemRefType<double, 2> *a, StridedMemRefType<double, 2> *b,
                              StridedMemRefType<double, 2> *c, std::int32_t ta, std::int32_t tb,
                              double beta) {
  _mlir_ciface_theon_gemm_f64(a, b, c, ta, tb, beta);
}

/// C = op(A) op(B) + beta C for an m x k by k x n product, with padded rows
/// everywhere, checked element by element; the padding is left alone.
template <class T>
void expectProduct(std::int64_t m, std::int64_t n, std::int64_t k, bool transA, bool transB,
                   T beta) {
  std::mt19937 rng(static_cast<unsigned>(m * 31 + n * 7 + k + transA * 2 + transB));
  Matrix<T> a(transA ? k : m, transA ? m : k, 3, rng), b(transB ? n : k, transB ? k : n, 5, rng);
  Matrix<T> c(m, n, 2, rng);
  const Matrix<T> before = c;
  auto va = a.view(), vb = b.view(), vc = c.view();
  gemm<T>(&va, &vb, &vc, transA, transB, beta);
  double worst = 0;
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (std::int64_t p = 0; p < k; ++p)
        sum += double(transA ? a.at(p, i) : a.at(i, p)) * double(transB ? b.at(j, p) : b.at(p, j));
      double expected = sum + double(beta) * double(before.at(i, j));
      worst = std::max(worst, std::fabs(double(c.at(i, j)) - expected));
    }
    for (std::int64_t j = n; j < c.ld; ++j)
      ASSERT_EQ(c.at(i, j), before.at(i, j)) << "padding of row " << i;
  }
  // Sums of k products of magnitude <= 1, accumulated in T.
  double tolerance = std::is_same_v<T, float> ? 2e-6 * double(k) : 1e-12 * double(k);
  EXPECT_LE(worst, tolerance) << m << "x" << n << "x" << k << " transA=" << transA
                              << " transB=" << transB << " beta=" << beta;
}

TEST(Blas, EveryLayoutMatchesAReferenceBelowAndAboveTheLibrarySwitch) {
  // 7x5x3: OpenBLAS's small path; 70x90x65 (409500 multiply-adds, over
  // 2^18): oneDNN's sgemm in the default build.
  for (auto [m, n, k] : {std::tuple<int, int, int>{7, 5, 3}, {70, 90, 65}})
    for (bool transA : {false, true})
      for (bool transB : {false, true})
        for (float beta : {0.0f, 1.0f, 0.5f}) {
          expectProduct<float>(m, n, k, transA, transB, beta);
          expectProduct<double>(m, n, k, transA, transB, double(beta));
        }
}

TEST(Blas, ALargeProductBetweenSerialCallsKeepsTheThreadCount) {
  int threads = omp_get_max_threads();
  omp_set_num_threads(2);
  theon_blas_serial_begin();
  expectProduct<float>(128, 96, 64, false, true, 0.0f);
  EXPECT_EQ(omp_get_max_threads(), 2);
  theon_blas_serial_end();
  expectProduct<float>(128, 96, 64, true, false, 1.0f);
  EXPECT_EQ(omp_get_max_threads(), 2);
  omp_set_num_threads(threads);
}

// One thread pool: oneDNN's OpenMP calls (GCC's GOMP_* entry points, from
// its libgomp.so.1) land in the libomp whose __kmpc_* entry points Theon's
// parallel loops call, not in a second runtime.
TEST(Blas, OneDnnRunsOnTheThreadsOfTheParallelLoops) {
  if (std::string(theon_blas_library()) != "dnnl")
    GTEST_SKIP() << "built with THEON_BLAS=" << theon_blas_library();
  void *gomp = dlsym(RTLD_DEFAULT, "GOMP_parallel");
  void *kmpc = dlsym(RTLD_DEFAULT, "__kmpc_fork_call");
  ASSERT_NE(gomp, nullptr);
  ASSERT_NE(kmpc, nullptr);
  Dl_info gompLib, kmpcLib;
  ASSERT_NE(dladdr(gomp, &gompLib), 0);
  ASSERT_NE(dladdr(kmpc, &kmpcLib), 0);
  EXPECT_EQ(gompLib.dli_fbase, kmpcLib.dli_fbase)
      << "GOMP_parallel from " << gompLib.dli_fname << ", __kmpc_fork_call from "
      << kmpcLib.dli_fname;
}

} // namespace
