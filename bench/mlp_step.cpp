// The seed MLP's training step (examples/mlp's Learner: relu, softmax, mean
// NLL via diag(Yhat.T[Y]), Adagrad), at two sizes, and the first-call compile time of its training
// function.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <string>

#include <unistd.h>

#include <theon/theon.h>

#include "learner.h"

using theon::Array;
namespace T = theon::tensor;

namespace {

struct TrainStep {
  theon::Function train;
  Array x, y;
};

/// The example's Learner (examples/mlp): the cheat sheet's graph, not a copy.
TrainStep buildTrainStep(std::int64_t features, std::int64_t hidden, std::int64_t classes,
                         std::int64_t batch, double lr = 0.1) {
  mlp::Learner learner(batch, lr, hidden);
  theon::Function train = learner.build_training(features, static_cast<std::int32_t>(classes));
  Array x = Array::uniform({batch, features}, 0, 1);
  Array y({batch}, theon::DType::Int32);
  std::mt19937 rng(1);
  for (std::int64_t i = 0; i < batch; ++i)
    y.data<std::int32_t>()[i] = static_cast<std::int32_t>(rng() % classes);
  return {train, x, y};
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
    ->Args({784, 2048, 10, 512})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

/// The same step with device=cuda (scripts/gpu-check.sh runs it on a GPU
/// machine): parameters stay on the device; each step copies the batch in
/// and the cost out. Skipped, saying why, without a usable GPU.
void BM_TrainStepCuda(benchmark::State &state) {
  const std::string device = theon::config().device;
  theon::config().device = "cuda";
  try {
    TrainStep step = buildTrainStep(state.range(0), state.range(1), state.range(2), state.range(3));
    step.train(step.x, step.y); // compile outside the timed loop
    for (auto _ : state)
      benchmark::DoNotOptimize(step.train(step.x, step.y));
  } catch (const theon::Error &e) {
    state.SkipWithError(e.what());
  }
  theon::config().device = device;
}
BENCHMARK(BM_TrainStepCuda)
    ->ArgNames({"features", "hidden", "classes", "batch"})
    ->Args({64, 100, 10, 32})
    ->Args({784, 500, 10, 128})
    ->Args({784, 2048, 10, 512})
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

/// Compile time against graph depth: `layers` of tanh(dot(h, W)) sharing
/// one 32x32 W, with the gradient, compiled once without the disk cache.
/// Linear compile time shows as a flat ms_per_layer.
void BM_CompileDeepChain(benchmark::State &state) {
  const int layers = static_cast<int>(state.range(0));
  const bool cache = theon::config().cache;
  theon::config().cache = false;
  for (auto _ : state) {
    state.PauseTiming();
    auto x = T::matrix("x");
    auto w = theon::shared(Array::zeros({32, 32}, theon::config().floatX), "W");
    theon::Variable h = x;
    for (int i = 0; i < layers; ++i)
      h = T::tanh(T::dot(h, w));
    auto cost = T::sum(h);
    auto f = theon::function({x}, {cost, theon::grad(cost, w)});
    Array input = Array::zeros({16, 32}, theon::config().floatX);
    state.ResumeTiming();
    benchmark::DoNotOptimize(f(input));
    state.counters["ms_per_layer"] = f.last_compile().milliseconds / layers;
  }
  theon::config().cache = cache;
}
BENCHMARK(BM_CompileDeepChain)
    ->ArgName("layers")
    ->Arg(100)
    ->Arg(400)
    ->Arg(1600)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

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
