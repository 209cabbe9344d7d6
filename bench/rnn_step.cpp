// The recurrent example's training step (examples/rnn's GruRegressor: a GRU
// in theon::scan, a linear read-out of the last state, the mean squared
// error, Adam on all parameters): forward and backward through 100 steps,
// batch 32, hidden 256, float32. Also the compile time of its training
// function, cold and from the disk cache, and the first call at a new
// sequence length. bench/peers.py times the same step in PyTorch eager.
#include <benchmark/benchmark.h>

#include <random>

#include <theon/theon.h>

#include "gru.h"

namespace {

void BM_GruStep(benchmark::State &state) {
  const std::int64_t steps = state.range(0), batch = state.range(1), hidden = state.range(2);
  rnn::GruRegressor net(2, hidden, 42);
  theon::Function &train = net.build_training(0.001);
  std::mt19937_64 rng(1);
  rnn::AddingBatch b = rnn::adding_batch(steps, batch, rng);
  train(b.x, b.y); // compile outside the timed loop
  for (auto _ : state)
    benchmark::DoNotOptimize(train(b.x, b.y));
}
BENCHMARK(BM_GruStep)
    ->ArgNames({"steps", "batch", "hidden"})
    ->Args({100, 32, 256})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// The first call of a new training function: emit, compile (or load from
/// the disk cache when THEON_FLAGS has cache on), one step.
void BM_GruCompile(benchmark::State &state) {
  const bool cache = state.range(0) != 0;
  const bool saved = theon::config().cache;
  theon::config().cache = cache;
  std::mt19937_64 rng(1);
  rnn::AddingBatch b = rnn::adding_batch(100, 32, rng);
  if (cache) { // fill the cache
    rnn::GruRegressor net(2, 256, 42);
    net.build_training(0.001)(b.x, b.y);
  }
  for (auto _ : state) {
    state.PauseTiming();
    rnn::GruRegressor net(2, 256, 42);
    theon::Function &train = net.build_training(0.001);
    state.ResumeTiming();
    benchmark::DoNotOptimize(train(b.x, b.y));
  }
  theon::config().cache = saved;
}
BENCHMARK(BM_GruCompile)->ArgName("disk_cache")->Arg(0)->Arg(1)->Iterations(3)->Unit(benchmark::kMillisecond);

/// A compiled training function called at a sequence length it has not
/// seen: the code takes the number of steps at run time, so this is one
/// training step at the new length (101, 102, 103 steps), no compile.
void BM_GruNewLength(benchmark::State &state) {
  const bool saved = theon::config().cache;
  theon::config().cache = false;
  rnn::GruRegressor net(2, 256, 42);
  theon::Function &train = net.build_training(0.001);
  std::mt19937_64 rng(1);
  rnn::AddingBatch first = rnn::adding_batch(100, 32, rng);
  train(first.x, first.y);
  std::int64_t length = 101;
  for (auto _ : state) {
    state.PauseTiming();
    rnn::AddingBatch b = rnn::adding_batch(length++, 32, rng);
    state.ResumeTiming();
    benchmark::DoNotOptimize(train(b.x, b.y));
  }
  theon::config().cache = saved;
}
BENCHMARK(BM_GruNewLength)->Iterations(3)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
