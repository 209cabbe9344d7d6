// The convnet example's training step (examples/convnet's ConvNet: conv
// 3x3, relu, 2x2 max pooling, twice, a dense softmax layer, Adagrad on all
// six parameters), forward, backward and update in one call, float32:
//   - the example's size: 1x8x8 digits, 16 and 32 filters, batch 32;
//   - a mid size: 3x32x32 images, 32 and 64 filters, batch 64.
// bench/peers.py times the same step in PyTorch.
#include <benchmark/benchmark.h>

#include <random>

#include <theon/theon.h>

#include "convnet.h"

using theon::Array;

namespace {

void BM_ConvnetStep(benchmark::State &state) {
  const std::int64_t channels = state.range(0), side = state.range(1),
                     filters1 = state.range(2), filters2 = state.range(3), batch = state.range(4);
  convnet::ConvNet net(side, 10, filters1, filters2, 42, channels);
  theon::Function &train = net.build_training(0.05);
  Array x = Array::uniform({batch, channels, side, side}, 0, 1);
  Array y({batch}, theon::DType::Int32);
  std::mt19937 rng(1);
  for (std::int64_t i = 0; i < batch; ++i)
    y.data<std::int32_t>()[i] = static_cast<std::int32_t>(rng() % 10);
  train(x, y); // compile outside the timed loop
  for (auto _ : state)
    benchmark::DoNotOptimize(train(x, y));
}
BENCHMARK(BM_ConvnetStep)
    ->ArgNames({"channels", "side", "filters1", "filters2", "batch"})
    ->Args({1, 8, 16, 32, 32})
    ->Args({3, 32, 32, 64, 64})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
