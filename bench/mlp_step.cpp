// The seed MLP's training step (relu, softmax, mean NLL via diag(Yhat.T[Y]),
// Adagrad), at two sizes, and the first-call compile time of its training
// function.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <string>

#include <unistd.h>

#include <theon/theon.h>

namespace T = theon::tensor;
using theon::Array;

namespace {

struct TrainStep {
  theon::Function train;
  Array x, y;
};

TrainStep buildTrainStep(std::int64_t features, std::int64_t hidden, std::int64_t classes,
                         std::int64_t batch, double lr = 0.1) {
  auto W1 = theon::shared(Array::uniform({features, hidden}, -0.005, 0.005), "W1", true);
  auto B1 = theon::shared(Array::zeros({hidden}), "B1");
  auto W2 = theon::shared(Array::uniform({hidden, classes}, -0.005, 0.005), "W2", true);
  auto B2 = theon::shared(Array::zeros({classes}), "B2");
  auto X = T::matrix("X");
  auto Y = T::ivector("Y");
  auto h = T::maximum(T::dot(X, W1) + B1, 0);
  auto z = T::dot(h, W2) + B2;
  auto e = T::exp(z - z.max(1).dimshuffle(0, 'x'));
  auto Yhat = e / e.sum(1).dimshuffle(0, 'x');
  auto cost = T::mean(-T::log(T::diag(Yhat.T()[Y])));
  theon::Updates updates;
  for (auto &V : {W1, B1, W2, B2}) {
    auto G = theon::grad(cost, V);
    auto A = theon::shared(Array::zeros(V.get_value(true).shape()), "A_" + V.name());
    auto A2 = A + T::sqr(G);
    updates.add(A, A2);
    updates.add(V, V - lr * G / T::sqrt(A2 + 1e-6));
  }
  Array x = Array::uniform({batch, features}, 0, 1);
  Array y({batch}, theon::DType::Int32);
  std::mt19937 rng(1);
  for (std::int64_t i = 0; i < batch; ++i)
    y.data<std::int32_t>()[i] = static_cast<std::int32_t>(rng() % classes);
  return {theon::function({X, Y}, {cost}, updates, {false, "train"}), x, y};
}

void BM_TrainStep(benchmark::State &state) {
  TrainStep step = buildTrainStep(state.range(0), state.range(1), state.range(2), state.range(3));
  step.train(step.x, step.y); // compile outside the timed loop
  for (auto _ : state)
    benchmark::DoNotOptimize(step.train(step.x, step.y));
  state.counters["compiled"] = static_cast<double>(step.train.num_compiled());
}
BENCHMARK(BM_TrainStep)
    ->ArgNames({"features", "hidden", "classes", "batch"})
    ->Args({64, 100, 10, 32})
    ->Args({784, 500, 10, 128})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void BM_CompileTrainFunction(benchmark::State &state) {
  for (auto _ : state) {
    state.PauseTiming();
    TrainStep step = buildTrainStep(784, 500, 10, 128);
    state.ResumeTiming();
    benchmark::DoNotOptimize(step.train(step.x, step.y)); // first call: compile + one step
  }
}
BENCHMARK(BM_CompileTrainFunction)->Unit(benchmark::kMillisecond)->Iterations(5);

/// In a fresh process (this program run with --warm-probe): build the
/// 784-500-10 training function, call it once, print the first call's
/// compile-or-load time. Run with THEON_FLAGS=cache_dir=... to use the cache.
int warmProbe() {
  TrainStep step = buildTrainStep(784, 500, 10, 128);
  step.train(step.x, step.y);
  auto info = step.train.last_compile();
  std::printf("%d %.3f\n", info.from_disk_cache ? 1 : 0, info.milliseconds);
  return 0;
}

/// First call of the training function in a new process whose disk cache
/// already holds it: the time the probe itself reports (emit, key, load,
/// link), measured per fresh process.
void BM_WarmCacheNewProcess(benchmark::State &state) {
  std::string command = "/proc/" + std::to_string(getpid()) + "/exe --warm-probe";
  auto probe = [&]() -> std::pair<int, double> {
    FILE *pipe = popen(command.c_str(), "r");
    int hit = 0;
    double ms = -1;
    if (pipe) {
      if (std::fscanf(pipe, "%d %lf", &hit, &ms) != 2)
        ms = -1;
      pclose(pipe);
    }
    return {hit, ms};
  };
  probe(); // fills the cache
  for (auto _ : state) {
    auto [hit, ms] = probe();
    if (ms < 0 || !hit) {
      state.SkipWithError("the probe did not load from the disk cache (is cache_dir set?)");
      break;
    }
    state.SetIterationTime(ms / 1e3);
  }
}
BENCHMARK(BM_WarmCacheNewProcess)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

} // namespace

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "--warm-probe")
    return warmProbe();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
