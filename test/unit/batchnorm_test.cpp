// T::nnet::bn: batch normalization's train and test forms against direct
// loops, their gradients by verify_grad, the running averages, and the
// bad arguments.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "theon/theon.h"

namespace T = theon::tensor;
namespace bn = theon::tensor::nnet::bn;
using theon::Array;
using theon::DType;
using theon::Variable;

namespace {

/// Reference: per channel c of an (N, C, H, W) array over axes (0, 2, 3),
/// the mean and the biased and unbiased variances.
struct Stats {
  std::vector<double> mean, var, unbiased;
};
Stats spatialStats(const Array &x) {
  std::int64_t n = x.shape(0), c = x.shape(1), hw = x.shape(2) * x.shape(3);
  std::vector<double> v = x.to_vector<double>();
  Stats s;
  for (std::int64_t k = 0; k < c; ++k) {
    double sum = 0, sq = 0;
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < hw; ++j)
        sum += v[static_cast<std::size_t>((i * c + k) * hw + j)];
    double m = sum / static_cast<double>(n * hw);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < hw; ++j) {
        double d = v[static_cast<std::size_t>((i * c + k) * hw + j)] - m;
        sq += d * d;
      }
    s.mean.push_back(m);
    s.var.push_back(sq / static_cast<double>(n * hw));
    s.unbiased.push_back(sq / static_cast<double>(n * hw - 1));
  }
  return s;
}

TEST(BatchNorm, SpatialTrainingMatchesTheFormulaAndUpdatesRunningAverages) {
  auto x = T::dtensor4("x");
  auto gamma = T::dtensor4("gamma");
  auto beta = T::dtensor4("beta");
  auto running_mean = theon::shared(Array::zeros({1, 3, 1, 1}, DType::Float64), "running_mean");
  auto running_var = theon::shared(Array::ones({1, 3, 1, 1}, DType::Float64), "running_var");
  bn::TrainOutputs o = bn::batch_normalization_train(
      x, gamma, beta, "spatial", 1e-4, 0.1, Variable(running_mean), Variable(running_var));
  ASSERT_TRUE(o.new_running_mean && o.new_running_var);
  auto f = theon::function({x, gamma, beta}, {o.out, o.mean, o.invstd},
                           theon::Updates{{running_mean, *o.new_running_mean},
                                          {running_var, *o.new_running_var}});
  Array xv = Array::uniform({4, 3, 5, 2}, -2.0, 3.0, DType::Float64);
  Array gv = Array::from_vector<double>({0.5, 1.0, 2.0}, {1, 3, 1, 1});
  Array bv = Array::from_vector<double>({0.0, -1.0, 0.25}, {1, 3, 1, 1});
  std::vector<Array> r = f(xv, gv, bv);
  Stats s = spatialStats(xv);
  EXPECT_EQ(r[1].shape(), (theon::Shape{1, 3, 1, 1}));
  std::vector<double> xs = xv.to_vector<double>(), out = r[0].to_vector<double>();
  std::vector<double> g = gv.to_vector<double>(), b = bv.to_vector<double>();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    std::size_t c = (i / 10) % 3;
    double expect = (xs[i] - s.mean[c]) * g[c] / std::sqrt(s.var[c] + 1e-4) + b[c];
    ASSERT_NEAR(out[i], expect, 1e-12) << i;
  }
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_NEAR(r[1].to_vector<double>()[c], s.mean[c], 1e-12);
    EXPECT_NEAR(r[2].to_vector<double>()[c], 1 / std::sqrt(s.var[c] + 1e-4), 1e-12);
    EXPECT_NEAR(running_mean.get_value().to_vector<double>()[c], 0.1 * s.mean[c], 1e-12);
    EXPECT_NEAR(running_var.get_value().to_vector<double>()[c], 0.9 + 0.1 * s.unbiased[c], 1e-12);
  }
  // The test form with the batch's own statistics gives training's output.
  auto test = theon::function({x, gamma, beta}, {bn::batch_normalization_test(
                                                   x, gamma, beta, o.mean, 1.0 / T::sqr(o.invstd) - 1e-4,
                                                   "spatial", 1e-4)});
  EXPECT_TRUE(theon::allclose(test(xv, gv, bv)[0], r[0], 1e-9, 1e-9));
}

TEST(BatchNorm, PerActivationAndExplicitAxes) {
  auto x = T::matrix("x");
  auto gamma = T::row("gamma");
  auto beta = T::row("beta");
  Array xv = Array::uniform({8, 5}, -1.0, 1.0);
  Array ones = Array::ones({1, 5}), zeros = Array::zeros({1, 5});
  auto per = theon::function({x, gamma, beta}, {bn::batch_normalization_train(x, gamma, beta).out});
  auto listed = theon::function({x, gamma, beta},
                                {bn::batch_normalization_train(x, gamma, beta, {0}).out});
  Array a = per(xv, ones, zeros)[0], b = listed(xv, ones, zeros)[0];
  EXPECT_TRUE(theon::array_equal(a, b));
  // Each column normalized: mean 0, variance var / (var + eps) ~ 1.
  std::vector<double> v = a.to_vector<double>();
  for (int c = 0; c < 5; ++c) {
    double sum = 0, sq = 0;
    for (int r = 0; r < 8; ++r)
      sum += v[static_cast<std::size_t>(r * 5 + c)], sq += v[static_cast<std::size_t>(r * 5 + c)] * v[static_cast<std::size_t>(r * 5 + c)];
    EXPECT_NEAR(sum / 8, 0.0, 1e-5);
    EXPECT_NEAR(sq / 8, 1.0, 1e-2);
  }
}

TEST(BatchNorm, GradientsAreRight) {
  Array xv = Array::uniform({3, 2, 2, 2}, -1.0, 1.0, DType::Float64);
  Array gv = Array::uniform({1, 2, 1, 1}, 0.5, 1.5, DType::Float64);
  Array bv = Array::uniform({1, 2, 1, 1}, -0.5, 0.5, DType::Float64);
  EXPECT_NO_THROW(theon::verify_grad(
      [](const std::vector<Variable> &v) {
        return bn::batch_normalization_train(v[0], v[1], v[2], "spatial").out;
      },
      {xv, gv, bv}));
  Array mv = Array::uniform({1, 2, 1, 1}, -0.5, 0.5, DType::Float64);
  Array vv = Array::uniform({1, 2, 1, 1}, 0.5, 1.5, DType::Float64);
  EXPECT_NO_THROW(theon::verify_grad(
      [](const std::vector<Variable> &v) {
        return bn::batch_normalization_test(v[0], v[1], v[2], v[3], v[4], "spatial");
      },
      {xv, gv, bv, mv, vv}));
}

TEST(BatchNorm, BadArgumentsAreClearErrors) {
  auto x = T::matrix("x");
  auto g = T::row("g");
  auto b = T::row("b");
  EXPECT_THROW(bn::batch_normalization_train(x, g, b, "per-pixel"), theon::ValueError);
  EXPECT_THROW(bn::batch_normalization_train(x, g, b, {2}), theon::ValueError);
  EXPECT_THROW(bn::batch_normalization_train(x, g, b, {0, -2}), theon::ValueError);
  EXPECT_THROW(bn::batch_normalization_train(x, g, b, "per-activation", 1e-7), theon::ValueError);
  EXPECT_THROW(bn::batch_normalization_train(x, g, b, "per-activation", 1e-4, 1.5), theon::ValueError);
  EXPECT_THROW(bn::batch_normalization_train(x, g, b, "per-activation", 1e-4, 0.1, Variable(g)),
               theon::ValueError);
  EXPECT_THROW(bn::batch_normalization_train(T::imatrix("i"), g, b), theon::TypeError);
  EXPECT_THROW(bn::batch_normalization_test(x, g, b, g, g, "spatial-ish"), theon::ValueError);
  try {
    bn::batch_normalization_train(x, g, b, {3});
    FAIL() << "no error";
  } catch (const theon::ValueError &e) {
    EXPECT_NE(std::string(e.what()).find("batch_normalization_train: axis 3 is out of range for 'x'"),
              std::string::npos) << e.what();
  }
}

} // namespace
