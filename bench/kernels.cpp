// Kernels against their hardware and library limits, side by side in one
// run: the core's FMA limit, Theon's matrix products against OpenBLAS
// sgemm at the same thread count, a fused elementwise chain against a plain
// memory copy, and the fixed cost of a call.
#include <benchmark/benchmark.h>

#include <cblas.h>
#include <immintrin.h>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include <theon/theon.h>

namespace T = theon::tensor;
using theon::Array;

namespace {

void setThreads(int threads) {
  theon::config().threads = threads;
  openblas_set_num_threads(threads);
}

void addFlops(benchmark::State &state, double m, double n, double k) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(2 * m * n * k, benchmark::Counter::kIsIterationInvariantRate,
                         benchmark::Counter::kIs1000);
}

// Args: m, k, n, threads.
void BM_TheonMatmul(benchmark::State &state) {
  setThreads(static_cast<int>(state.range(3)));
  auto A = T::matrix("A"), B = T::matrix("B");
  auto f = theon::function({A, B}, {T::dot(A, B)});
  Array a = Array::uniform({state.range(0), state.range(1)}, -1, 1);
  Array b = Array::uniform({state.range(1), state.range(2)}, -1, 1);
  f(a, b);
  for (auto _ : state)
    benchmark::DoNotOptimize(f(a, b));
  addFlops(state, state.range(0), state.range(2), state.range(1));
}

void BM_OpenBlasSgemm(benchmark::State &state) {
  setThreads(static_cast<int>(state.range(3)));
  int m = static_cast<int>(state.range(0)), k = static_cast<int>(state.range(1)),
      n = static_cast<int>(state.range(2));
  std::vector<float> a(static_cast<std::size_t>(m * k), 0.5f), b(static_cast<std::size_t>(k * n), 0.25f);
  // One output for all calls, as Theon reuses its output once the caller
  // has dropped the previous one: no page faults in either.
  std::vector<float> c(static_cast<std::size_t>(m * n));
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a.data(), k, b.data(), n,
                0.0f, c.data(), n);
    benchmark::DoNotOptimize(c.data());
  }
  addFlops(state, m, n, k);
}

void matmulShapes(benchmark::internal::Benchmark *b) {
  b->ArgNames({"m", "k", "n", "threads"});
  for (int threads : {1, 2}) {
    b->Args({32, 64, 100, threads});    // seed MLP 64-100-10, layer 1
    b->Args({128, 784, 500, threads});  // seed MLP 784-500-10, layer 1
    b->Args({128, 500, 10, threads});   // layer 2
    b->Args({784, 128, 500, threads});  // dW1 = X.T . dH
    b->Args({512, 784, 2048, threads}); // 784-2048-10 batch 512, layer 1
    b->Args({784, 512, 2048, threads}); // its dW1
    b->Args({1024, 1024, 1024, threads});
  }
  b->UseRealTime()->Unit(benchmark::kMicrosecond);
}
BENCHMARK(BM_TheonMatmul)->Apply(matmulShapes);
BENCHMARK(BM_OpenBlasSgemm)->Apply(matmulShapes);

/// Single-precision FMAs on one core as fast as it retires them: 16
/// independent accumulators hide the FMA latency. Returns the sum so that
/// nothing is optimized away.
__attribute__((target("avx512f"))) float fmaLoopAvx512(std::int64_t rounds) {
  __m512 acc[16];
  for (auto &a : acc)
    a = _mm512_set1_ps(0.0f);
  const __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
  for (std::int64_t r = 0; r < rounds; ++r)
    for (auto &a : acc)
      a = _mm512_fmadd_ps(a, x, y);
  __m512 sum = acc[0];
  for (int i = 1; i < 16; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma"))) float fmaLoopAvx2(std::int64_t rounds) {
  __m256 acc[16];
  for (auto &a : acc)
    a = _mm256_set1_ps(0.0f);
  const __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
  for (std::int64_t r = 0; r < rounds; ++r)
    for (auto &a : acc)
      a = _mm256_fmadd_ps(a, x, y);
  float out[8];
  __m256 sum = acc[0];
  for (int i = 1; i < 16; ++i)
    sum = _mm256_add_ps(sum, acc[i]);
  _mm256_storeu_ps(out, sum);
  return out[0];
}

/// The FMA limit the products are measured against: single-precision
/// GFLOP/s of an FMA-only loop (AVX-512 where the CPU has it) on `threads`
/// threads at once.
void BM_FmaPeak(benchmark::State &state) {
  const int threads = static_cast<int>(state.range(0));
  const bool avx512 = __builtin_cpu_supports("avx512f");
  const std::int64_t rounds = 1 << 20;
  const double lanes = avx512 ? 16 : 8;
  std::vector<float> sinks(threads);
  for (auto _ : state) {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&, t] {
        sinks[t] = avx512 ? fmaLoopAvx512(rounds) : fmaLoopAvx2(rounds);
      });
    for (auto &w : workers)
      w.join();
    benchmark::DoNotOptimize(sinks.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * lanes * 16 * rounds * threads,
                                                 benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
  state.SetLabel(avx512 ? "avx512" : "avx2");
}
BENCHMARK(BM_FmaPeak)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

constexpr std::int64_t kElements = 16 << 20; // 16M floats, 64 MiB per array

void BM_FusedChain(benchmark::State &state) {
  setThreads(static_cast<int>(state.range(0)));
  auto x = T::vector("x"), y = T::vector("y"), z = T::vector("z");
  auto f = theon::function({x, y, z}, {T::exp(x) * y + T::tanh(z)});
  Array a = Array::uniform({kElements}, -1, 1), b = Array::uniform({kElements}, -1, 1),
        c = Array::uniform({kElements}, -1, 1);
  f(a, b, c);
  for (auto _ : state)
    benchmark::DoNotOptimize(f(a, b, c));
  // Three arrays read, one written.
  state.SetBytesProcessed(state.iterations() * 4 * kElements * 4);
}
BENCHMARK(BM_FusedChain)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

/// The machine's copy bandwidth: memcpy between two arrays allocated once.
void BM_MemoryCopy(benchmark::State &state) {
  std::vector<float> src(kElements, 1.0f), dst(kElements, 0.0f);
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), kElements * sizeof(float));
    benchmark::DoNotOptimize(dst.data());
  }
  // Read one array, write one.
  state.SetBytesProcessed(state.iterations() * 2 * kElements * 4);
}
BENCHMARK(BM_MemoryCopy)->UseRealTime()->Unit(benchmark::kMillisecond);

/// memcpy into a fresh destination each time, as a function's new output
/// is: the page faults of new memory included.
void BM_MemoryCopyFreshDestination(benchmark::State &state) {
  std::vector<float> src(kElements, 1.0f);
  for (auto _ : state) {
    std::unique_ptr<float[]> dst(new float[kElements]);
    std::memcpy(dst.get(), src.data(), kElements * sizeof(float));
    benchmark::DoNotOptimize(dst.get());
  }
  state.SetBytesProcessed(state.iterations() * 2 * kElements * 4);
}
BENCHMARK(BM_MemoryCopyFreshDestination)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace

/// What a call costs beyond its computation: a two-input function on 1x1
/// matrices (argument checks, finding the specialization, the output,
/// packing the descriptors, the call itself).
void BM_CallOverhead(benchmark::State &state) {
  setThreads(1);
  auto a = T::matrix("a"), b = T::matrix("b");
  auto f = theon::function({a, b}, {a + b});
  Array x = Array::ones({1, 1}), y = Array::ones({1, 1});
  f(x, y);
  for (auto _ : state)
    benchmark::DoNotOptimize(f(x, y));
}
BENCHMARK(BM_CallOverhead)->UseRealTime()->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
