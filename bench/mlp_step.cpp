// The seed MLP's training step (relu, softmax, mean NLL via diag(Yhat.T[Y]),
// Adagrad), at two sizes, and the first-call compile time of its training
// function.
#include <benchmark/benchmark.h>

#include <random>

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

} // namespace

BENCHMARK_MAIN();
