// Functions run with device=cuda on a real GPU against the same functions
// on the CPU: reductions (trees and thread-per-output), products, shared
// variables kept on the device across training steps. Without a usable
// driver and device every test skips, saying why; scripts/gpu-check.sh
// runs them on a GPU machine, where a skip fails the check.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::FunctionOptions;
using theon::Variable;

namespace {

/// Why device=cuda cannot run here, or empty.
std::string whyNoGpu() {
  static const std::string why = [] {
    try {
      auto x = T::vector("x");
      auto f = theon::function({x}, {x + 1.0f}, FunctionOptions{}.named("probe").on_device("cuda"));
      f(Array::full({4}, 1.0, DType::Float32));
      return std::string();
    } catch (const theon::Error &e) {
      return std::string(e.what());
    }
  }();
  return why;
}

#define REQUIRE_GPU()                                                                              \
  if (std::string why = whyNoGpu(); !why.empty())                                                 \
  GTEST_SKIP() << "no usable GPU: " << why

/// The function of `inputs` built by `build`, on the CPU and on the GPU,
/// gives the same outputs on `values` within `rtol`.
void expectSameOnBothDevices(const std::vector<Variable> &inputs,
                             const std::function<std::vector<Variable>()> &build,
                             const std::vector<Array> &values, double rtol) {
  std::vector<theon::Argument> args(values.begin(), values.end());
  auto outputs = build();
  auto cpu = theon::function(inputs, outputs, FunctionOptions{}.named("cpu").on_device("cpu"));
  auto gpu = theon::function(inputs, outputs, FunctionOptions{}.named("gpu").on_device("cuda"));
  std::vector<Array> expected = cpu(args), got = gpu(args);
  ASSERT_EQ(expected.size(), got.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].shape(), expected[i].shape()) << "output " << i;
    if (got[i].shape() != expected[i].shape())
      continue;
    std::vector<double> g = got[i].to_vector<double>(), e = expected[i].to_vector<double>();
    double worst = 0;
    std::size_t at = 0;
    for (std::size_t k = 0; k < g.size(); ++k)
      if (std::abs(g[k] - e[k]) > worst)
        worst = std::abs(g[k] - e[k]), at = k;
    EXPECT_TRUE(theon::allclose(got[i], expected[i], rtol, 1e-6))
        << "output " << i << ": largest difference " << worst << " at flat index " << at
        << " (gpu " << (g.empty() ? 0 : g[at]) << ", cpu " << (e.empty() ? 0 : e[at]) << ")";
  }
}

TEST(GpuNumerics, SoftmaxOfLongRowsUsesTreesAndMatches) {
  REQUIRE_GPU();
  auto x = T::matrix("x");
  expectSameOnBothDevices({x}, [&] {
    auto e = T::exp(x - x.max(1, true));
    return std::vector<Variable>{e / e.sum(1, true), x.max(1), T::argmax(x, 1)};
  }, {Array::uniform({16, 4096}, -3.0, 3.0)}, 1e-4);
}

TEST(GpuNumerics, FullReductionsMatch) {
  REQUIRE_GPU();
  auto x = T::dvector("x");
  expectSameOnBothDevices({x}, [&] {
    return std::vector<Variable>{T::mean(x), T::max(x), T::min(x), T::sum(T::sqr(x)), T::prod(x * 0.0 + 1.0)};
  }, {Array::uniform({100000}, -1.0, 1.0, DType::Float64)}, 1e-9);
}

TEST(GpuNumerics, ColumnAndIntegerSumsMatch) {
  REQUIRE_GPU();
  auto x = T::matrix("x");
  auto n = T::imatrix("n");
  expectSameOnBothDevices({x, n}, [&] {
    return std::vector<Variable>{x.sum(0), x.sum(1), n.sum(1), n.max(0)};
  }, {Array::uniform({128, 500}, -1.0, 1.0), Array::full({3, 5000}, 7.0, DType::Int32)}, 1e-4);
}

TEST(GpuNumerics, ProductsMatch) {
  REQUIRE_GPU();
  auto a = T::matrix("a");
  auto b = T::matrix("b");
  expectSameOnBothDevices({a, b}, [&] {
    return std::vector<Variable>{T::dot(a, b), T::dot(a.T(), a)};
  }, {Array::uniform({4, 784}, -1.0, 1.0), Array::uniform({784, 100}, -1.0, 1.0)}, 1e-4);
  expectSameOnBothDevices({a, b}, [&] {
    return std::vector<Variable>{T::dot(a, b)};
  }, {Array::uniform({300, 200}, -1.0, 1.0), Array::uniform({200, 100}, -1.0, 1.0)}, 1e-4);
}

TEST(GpuNumerics, ConvolutionsPoolingAndTheirGradientsMatch) {
  REQUIRE_GPU();
  auto x = T::tensor4("x");
  auto w = T::tensor4("w");
  namespace nnet = theon::tensor::nnet;
  expectSameOnBothDevices({x, w}, [&] {
    Variable y = nnet::relu(nnet::conv2d(x, w, "half", {2, 1}));
    Variable pooled = nnet::pool_2d(y, {2, 2}, true, std::nullopt, {1, 1}, "average_exc_pad");
    Variable grouped = nnet::pool_2d(nnet::conv2d(x, w.dimshuffle(0, 1, 3, 2), 1, {1, 1}, false, {2, 2}),
                                     {3, 3}, false, std::array<std::int64_t, 2>{2, 2});
    Variable cost = T::sum(T::sqr(pooled)) + T::sum(grouped);
    return std::vector<Variable>{pooled, grouped, theon::grad(cost, x), theon::grad(cost, w)};
  }, {Array::uniform({8, 3, 20, 18}, -1.0, 1.0), Array::uniform({16, 3, 3, 3}, -1.0, 1.0)}, 1e-3);
}

TEST(GpuNumerics, ScanAndItsGradientMatch) {
  REQUIRE_GPU();
  auto x = T::tensor3("x");
  auto h0 = T::matrix("h0");
  auto w = T::matrix("w");
  expectSameOnBothDevices({x, h0, w}, [&] {
    auto r = theon::scan(
        [&](const std::vector<Variable> &a) { return std::vector<Variable>{T::tanh(T::dot(a[1], w) + a[0])}; },
        {x}, {h0});
    Variable cost = T::sum(T::sqr(r.outputs[0]));
    return std::vector<Variable>{r.outputs[0], theon::grad(cost, w), theon::grad(cost, x)};
  }, {Array::uniform({50, 16, 64}, -1.0, 1.0), Array::zeros({16, 64}),
      Array::uniform({64, 64}, -0.2, 0.2)}, 1e-3);
}

TEST(GpuNumerics, SharedVariablesTrainOnTheDeviceAsOnTheCpu) {
  REQUIRE_GPU();
  // Linear regression by gradient descent, 50 steps on each device.
  Array X = Array::uniform({256, 32}, -1.0, 1.0);
  Array Y = Array::uniform({256}, -1.0, 1.0);
  std::vector<Array> finals;
  for (const char *device : {"cpu", "cuda"}) {
    auto w = theon::shared(Array::zeros({32}), "w");
    auto b = theon::shared(Array::zeros({}), "b");
    auto x = T::matrix("x");
    auto y = T::vector("y");
    auto cost = T::mean(T::sqr(T::dot(x, w) + b - y));
    auto gw = theon::grad(cost, w);
    auto gb = theon::grad(cost, b);
    auto step = theon::function({x, y}, {cost}, theon::Updates{{w, w - 0.1f * gw}, {b, b - 0.1f * gb}},
                                FunctionOptions{}.named(std::string("step_") + device).on_device(device));
    double first = step(X, Y)[0].item<double>(), last = first;
    for (int i = 0; i < 49; ++i)
      last = step(X, Y)[0].item<double>();
    EXPECT_LT(last, first) << device;
    finals.push_back(w.get_value());
  }
  EXPECT_TRUE(theon::allclose(finals[1], finals[0], 1e-3, 1e-5))
      << "gpu " << finals[1] << "\ncpu " << finals[0];
}

TEST(GpuNumerics, ScatterAddWithRepeatedRowsMatches) {
  REQUIRE_GPU();
  // inc_subtensor with an integer-array index, rows repeated, and the
  // gradient of take (an embedding's): atomic adds on the GPU.
  auto x = T::matrix("x");
  auto i = T::ivector("i");
  auto u = T::matrix("u");
  expectSameOnBothDevices({x, i, u}, [&] {
    auto rows = T::take(x, i);
    return std::vector<Variable>{T::inc_subtensor(x[i], u), theon::grad(T::sum(T::sqr(rows)), x)};
  }, {Array::uniform({50, 300}, -1.0, 1.0),
      Array::from_vector<std::int32_t>({3, 7, 3, 3, 49, 0, 7, 3}, {8}),
      Array::uniform({8, 300}, -1.0, 1.0)}, 1e-5);
}

TEST(GpuNumerics, CumulativeSumsAndProductsMatch) {
  REQUIRE_GPU();
  auto x = T::matrix("x");
  expectSameOnBothDevices({x}, [&] {
    return std::vector<Variable>{T::cumsum(x, 0), T::cumsum(x, 1), T::cumprod(x * 0.01f + 1.0f, 1)};
  }, {Array::uniform({64, 1000}, -1.0, 1.0)}, 1e-4);
}

TEST(GpuNumerics, AComputedIndexOutOfRangeIsAnIndexError) {
  REQUIRE_GPU();
  auto x = T::matrix("x");
  auto i = T::ivector("i");
  auto w = theon::shared(Array::full({3}, 1.0, DType::Float32), "w");
  auto f = theon::function({x, i}, {x[i * 2]}, theon::Updates{{w, w + 1.0f}},
                           FunctionOptions{}.named("rows").on_device("cuda"));
  Array input = Array::uniform({5, 4}, -1.0, 1.0);
  Array rows = f(input, Array::from_vector<std::int32_t>({0, 2}, {2}))[0];
  EXPECT_EQ(rows.to_vector<float>()[4], input.to_vector<float>()[16]); // row 4
  Array before = w.get_value();
  try {
    f(input, Array::from_vector<std::int32_t>({1, 3}, {2})); // row 6 of 5
    FAIL() << "no error";
  } catch (const theon::IndexError &e) {
    EXPECT_NE(std::string(e.what()).find("index 6 is out of bounds"), std::string::npos) << e.what();
  }
  EXPECT_EQ(w.get_value().to_vector<float>(), before.to_vector<float>());
}

} // namespace
