// The candidates for running Theon's matrix products, one library per
// binary (BLIS exports cblas_* too, so it cannot share a process with
// OpenBLAS): single-precision row-major C = A.B at the MLP steps' shapes
// and 1024^3, with one output reused by every call, as Theon reuses its
// outputs. The thread count comes from the environment (OPENBLAS_NUM_THREADS,
// BLIS_NUM_THREADS, OMP_NUM_THREADS), set by bench/blas.sh per process.
//   THEON_BENCH_BLAS_OPENBLAS: cblas_sgemm from whichever libopenblas.so.0
//     the loader finds (Debian's pthreads build, or its OpenMP build with
//     LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp)
//   THEON_BENCH_BLAS_BLIS: bli_sgemm (Debian's libblis, OpenMP threads)
//   THEON_BENCH_BLAS_DNNL: dnnl_sgemm (oneDNN, JIT kernels for the host)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#if defined(THEON_BENCH_BLAS_OPENBLAS)
#include <cblas.h>
#elif defined(THEON_BENCH_BLAS_BLIS)
#include <blis.h>
#elif defined(THEON_BENCH_BLAS_DNNL)
#include <oneapi/dnnl/dnnl.h>
#endif

namespace {

void sgemm(int m, int n, int k, const float *a, const float *b, float *c) {
#if defined(THEON_BENCH_BLAS_OPENBLAS)
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
#elif defined(THEON_BENCH_BLAS_BLIS)
  float one = 1.0f, zero = 0.0f;
  bli_sgemm(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, m, n, k, &one, const_cast<float *>(a), k, 1,
            const_cast<float *>(b), n, 1, &zero, c, n, 1);
#elif defined(THEON_BENCH_BLAS_DNNL)
  dnnl_sgemm('N', 'N', m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
#endif
}

// Args: m, k, n.
void BM_Sgemm(benchmark::State &state) {
  int m = static_cast<int>(state.range(0)), k = static_cast<int>(state.range(1)),
      n = static_cast<int>(state.range(2));
  std::vector<float> a(static_cast<std::size_t>(m) * k, 0.5f), b(static_cast<std::size_t>(k) * n, 0.25f);
  std::vector<float> c(static_cast<std::size_t>(m) * n);
  for (auto _ : state) {
    sgemm(m, n, k, a.data(), b.data(), c.data());
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}
BENCHMARK(BM_Sgemm)
    ->ArgNames({"m", "k", "n"})
    ->Args({128, 784, 500})   // 784-500-10 batch 128, layer 1
    ->Args({784, 128, 500})   // its dW1 = X.T . dH
    ->Args({512, 784, 2048})  // 784-2048-10 batch 512, layer 1
    ->Args({784, 512, 2048})  // its dW1
    ->Args({1024, 1024, 1024})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
