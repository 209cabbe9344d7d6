// theon::scan: values and gradients against hand-unrolled graphs, taps of
// sequences and outputs, outputs that are not fed back, n_steps, nested
// scans, verify_grad, compile size independent of the length, and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Variable;
using theon_test::ArrayNear;
using theon_test::Tol;

namespace {

using Vars = std::vector<Variable>;

TEST(Scan, RecurrenceMatchesTheUnrolledGraphInValueAndGradient) {
  auto x = T::dmatrix("x");
  auto h0 = T::dvector("h0");
  auto W = theon::shared(Array::uniform({4, 4}, -0.6, 0.6, DType::Float64), "W");
  auto U = theon::shared(Array::uniform({3, 4}, -0.6, 0.6, DType::Float64), "U");
  auto result = theon::scan(
      [&](const Vars &a) { return Vars{T::tanh(T::dot(a[1], W) + T::dot(a[0], U))}; }, {x}, {h0});
  Variable hs = result.outputs[0];
  Variable cost = T::sum(T::sqr(hs)) + T::sum(hs[-1]);
  auto f = theon::function({x, h0}, {hs, theon::grad(cost, W), theon::grad(cost, U),
                                     theon::grad(cost, x), theon::grad(cost, h0)});

  Vars steps;
  Variable h = h0;
  for (int t = 0; t < 6; ++t) {
    h = T::tanh(T::dot(h, W) + T::dot(x[t], U));
    steps.push_back(h);
  }
  Variable unrolled = T::stack(steps);
  Variable cost2 = T::sum(T::sqr(unrolled)) + T::sum(steps.back());
  auto g = theon::function({x, h0}, {unrolled, theon::grad(cost2, W), theon::grad(cost2, U),
                                     theon::grad(cost2, x), theon::grad(cost2, h0)});
  Array xv = Array::uniform({6, 3}, -1, 1, DType::Float64);
  Array hv = Array::uniform({4}, -1, 1, DType::Float64);
  std::vector<Array> got = f(xv, hv), expected = g(xv, hv);
  const char *names[] = {"outputs", "dW", "dU", "dx", "dh0"};
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_TRUE(ArrayNear(got[i], expected[i], Tol{0, 1e-12})) << names[i];
}

// A batch of sequences (steps x batch x inputs): each step's weight
// gradients are dot(transpose(a_t), g_t) with k = batch, which
// theon-scan-batch-products sums as one product over steps * batch rows.
TEST(Scan, BatchedWeightGradientsMatchTheUnrolledGraph) {
  auto x = T::dtensor3("x");
  auto h0 = T::dmatrix("h0");
  auto W = theon::shared(Array::uniform({4, 4}, -0.6, 0.6, DType::Float64), "W");
  auto U = theon::shared(Array::uniform({3, 4}, -0.6, 0.6, DType::Float64), "U");
  auto step = [&](const Variable &xt, const Variable &h) {
    return T::tanh(T::dot(h, W) + T::dot(xt, U));
  };
  auto result = theon::scan([&](const Vars &a) { return Vars{step(a[0], a[1])}; }, {x}, {h0});
  Variable hs = result.outputs[0];
  Variable cost = T::sum(T::sqr(hs)) + T::sum(hs[-1]);
  auto f = theon::function({x, h0}, {theon::grad(cost, W), theon::grad(cost, U),
                                     theon::grad(cost, x), theon::grad(cost, h0)});
  Vars steps;
  Variable h = h0;
  for (int t = 0; t < 6; ++t)
    steps.push_back(h = step(x[t], h));
  Variable cost2 = T::sum(T::sqr(T::stack(steps))) + T::sum(steps.back());
  auto g = theon::function({x, h0}, {theon::grad(cost2, W), theon::grad(cost2, U),
                                     theon::grad(cost2, x), theon::grad(cost2, h0)});
  Array xv = Array::uniform({6, 5, 3}, -1, 1, DType::Float64);
  Array hv = Array::uniform({5, 4}, -1, 1, DType::Float64);
  std::vector<Array> got = f(xv, hv), expected = g(xv, hv);
  const char *names[] = {"dW", "dU", "dx", "dh0"};
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_TRUE(ArrayNear(got[i], expected[i], Tol{0, 1e-12})) << names[i];
  // Both weight gradients are one product over the 6 * 5 stacked rows (the
  // first factor read transposed).
  std::string ir = f.ir("linalg");
  EXPECT_NE(ir.find("tensor<30x4xf64>, tensor<30x4xf64>) outs(%"), std::string::npos) << ir;
  EXPECT_NE(ir.find("tensor<30x3xf64>, tensor<30x4xf64>) outs(%"), std::string::npos) << ir;
}

// Second order: the gradient of a cost made from a scan's gradient
// differentiates the reverse scan (whose steps run from the last row to
// the first) as well as the forward one.
TEST(Scan, TheGradientOfAGradientMatchesTheUnrolledGraph) {
  auto x = T::dmatrix("x");
  auto h0 = T::dvector("h0");
  auto W = theon::shared(Array::uniform({4, 4}, -0.6, 0.6, DType::Float64), "W");
  auto U = theon::shared(Array::uniform({3, 4}, -0.6, 0.6, DType::Float64), "U");
  auto step = [&](const Variable &xt, const Variable &h) {
    return T::tanh(T::dot(h, W) + T::dot(xt, U));
  };
  auto secondOrder = [&](const Variable &hs) {
    Variable cost = T::sum(T::sqr(hs)) + T::sum(hs[-1]);
    Variable penalty = T::sum(T::sqr(theon::grad(cost, W))) + T::sum(T::sqr(theon::grad(cost, x)));
    return Vars{theon::grad(penalty, W), theon::grad(penalty, U), theon::grad(penalty, h0)};
  };
  auto result = theon::scan([&](const Vars &a) { return Vars{step(a[0], a[1])}; }, {x}, {h0});
  auto f = theon::function({x, h0}, secondOrder(result.outputs[0]));
  Vars steps;
  Variable h = h0;
  for (int t = 0; t < 5; ++t)
    steps.push_back(h = step(x[t], h));
  auto g = theon::function({x, h0}, secondOrder(T::stack(steps)));
  Array xv = Array::uniform({5, 3}, -1, 1, DType::Float64);
  Array hv = Array::uniform({4}, -1, 1, DType::Float64);
  std::vector<Array> got = f(xv, hv), expected = g(xv, hv);
  const char *names[] = {"d2W", "d2U", "d2h0"};
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_TRUE(ArrayNear(got[i], expected[i], Tol{0, 1e-11})) << names[i];
}

// go_backwards as Theano's: the steps run from the last row to the first
// (each tap's rows reversed, so that n_steps takes the last rows), and the
// outputs stay in the order the steps ran.
TEST(Scan, GoBackwardsAsTheano) {
  auto x = T::dmatrix("x");
  auto h0 = T::dvector("h0");
  auto sum = [](const Vars &a) { return Vars{a[1] + a[0]}; };
  auto back = theon::scan(sum, {x}, {h0}, {}, {}, /*go_backwards=*/true);
  auto pairs = theon::scan([](const Vars &a) { return Vars{a[0] * 10.0 + a[1]}; },
                           {theon::Sequence(x, {-1, 0})}, {std::nullopt}, {}, {}, true);
  auto lastTwo = theon::scan(sum, {x}, {h0}, {}, 2, true);
  auto f = theon::function({x, h0}, {back.outputs[0], pairs.outputs[0], lastTwo.outputs[0]});
  Array xv = Array::from_vector<double>({1, 2, 3, 4, 5}, {5, 1});
  Array hv = Array::from_vector<double>({0}, {1});
  std::vector<Array> got = f(xv, hv);
  EXPECT_EQ(got[0].to_vector<double>(), (std::vector<double>{5, 9, 12, 14, 15}));
  EXPECT_EQ(got[1].to_vector<double>(), (std::vector<double>{45, 34, 23, 12}));
  EXPECT_EQ(got[2].to_vector<double>(), (std::vector<double>{5, 9}));
  // Gradients match a forward scan over the reversed rows.
  auto W = theon::shared(Array::uniform({3, 3}, -0.6, 0.6, DType::Float64), "W");
  auto step = [&](const Vars &a) { return Vars{T::tanh(T::dot(a[1], W) + a[0])}; };
  auto y = T::dmatrix("y");
  Variable viaFlag = theon::scan(step, {y}, {h0}, {}, {}, true).outputs[0];
  Variable viaRows = theon::scan(step, {y(T::slice(std::nullopt, std::nullopt, -1))}, {h0}).outputs[0];
  auto costOf = [](const Variable &hs) { return T::sum(T::sqr(hs)) + T::sum(hs[-1]); };
  auto g = theon::function({y, h0}, {viaFlag, theon::grad(costOf(viaFlag), W),
                                     theon::grad(costOf(viaFlag), y)});
  auto e = theon::function({y, h0}, {viaRows, theon::grad(costOf(viaRows), W),
                                     theon::grad(costOf(viaRows), y)});
  Array yv = Array::uniform({4, 3}, -1, 1, DType::Float64);
  Array h3 = Array::uniform({3}, -1, 1, DType::Float64);
  std::vector<Array> a = g(yv, h3), b = e(yv, h3);
  const char *names[] = {"outputs", "dW", "dy"};
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(ArrayNear(a[i], b[i], Tol{0, 1e-12})) << names[i];
}

TEST(Scan, GradientsPassVerifyGrad) {
  Array xv = Array::uniform({5, 3}, -1, 1, DType::Float64);
  Array hv = Array::uniform({3}, -1, 1, DType::Float64);
  Array wv = Array::uniform({3, 3}, -0.7, 0.7, DType::Float64);
  EXPECT_NO_THROW(theon::verify_grad(
      [](const Vars &v) {
        auto r = theon::scan([](const Vars &a) { return Vars{T::tanh(T::dot(a[1], a[2]) + a[0])}; },
                             {v[0]}, {v[1]}, {v[2]});
        return r.outputs[0];
      },
      {xv, hv, wv}));
}

TEST(Scan, TapsOfSequencesAndOutputsAsTheano) {
  // Fibonacci-like: y[t] = y[t-1] + y[t-2] + x[t-1] * x[t+1].
  auto x = T::dvector("x");
  auto y0 = T::dvector("y0"); // y[-2], y[-1]
  auto r = theon::scan(
      [](const Vars &a) { return Vars{a[2] + a[3] + a[0] * a[1]}; },
      {theon::Sequence(x, {-1, 1})}, {theon::OutputInfo(y0, {-2, -1})});
  auto f = theon::function({x, y0}, {r.outputs[0]});
  std::vector<double> xs{1, 2, 3, 4, 5, 6};
  Array out = f(Array::from_vector<double>(xs, {6}), Array::from_vector<double>({1, 2}, {2}))[0];
  // Steps: t = 1..4 of x (taps -1 and +1 need rows t-1 and t+1): 4 steps.
  std::vector<double> expected;
  double a = 1, b = 2;
  for (int t = 1; t <= 4; ++t) {
    double next = b + a + xs[t - 1] * xs[t + 1];
    expected.push_back(next);
    a = b;
    b = next;
  }
  EXPECT_EQ(out.to_vector<double>(), expected);
}

TEST(Scan, GradientsThroughTapsAndZeroSteps) {
  // Taps -2 and -1 carry two states; the older one's values come from the
  // newer one's, shifted by a step.
  Array xv = Array::uniform({6}, -1, 1, DType::Float64);
  Array y0 = Array::uniform({2}, -1, 1, DType::Float64);
  EXPECT_NO_THROW(theon::verify_grad(
      [](const Vars &v) {
        auto r = theon::scan(
            [](const Vars &a) { return Vars{T::tanh(0.5 * a[1] - 0.7 * a[2] + a[0])}; },
            {theon::Sequence(v[0], {0})}, {theon::OutputInfo(v[1], {-2, -1})});
        return r.outputs[0];
      },
      {xv, y0}));
  // No steps: the stacked output is empty and the gradient of the initial
  // value through a later use of it is its own.
  auto h0 = T::dvector("h0");
  auto r = theon::scan([](const Vars &a) { return Vars{a[0] * 3.0}; }, {}, {h0}, {}, 0);
  Variable cost = T::sum(r.outputs[0]) + T::sum(h0 * h0);
  auto f = theon::function({h0}, {r.outputs[0], theon::grad(cost, h0)});
  auto out = f(Array::from_vector<double>({1, 2}, {2}));
  EXPECT_EQ(out[0].shape(), (theon::Shape{0, 2}));
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{2, 4}));
}

TEST(Scan, OutputsThatAreNotFedBackAndNonSequences) {
  auto x = T::dmatrix("x");
  auto s0 = T::dscalar("s0");
  auto scale = T::dscalar("scale");
  // A running sum (fed back) and each row's maximum times scale (not).
  auto r = theon::scan(
      [](const Vars &a) { return Vars{a[1] + T::sum(a[0]), T::max(a[0]) * a[2]}; }, {x},
      {theon::OutputInfo(s0), std::nullopt}, {scale});
  auto f = theon::function({x, s0, scale}, {r.outputs[0], r.outputs[1]});
  Array xv = Array::from_vector<double>({1, 5, 2, -1, 0, 3, 4, 4, 4}, {3, 3});
  auto out = f(xv, Array::scalar<double>(10), Array::scalar<double>(2));
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{18, 20, 32}));
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{10, 6, 8}));
}

TEST(Scan, SharedVariableUpdatesFromTheStep) {
  // The step counts its calls and accumulates the rows in shared variables;
  // each step reads the previous step's values; the final values come back
  // as updates, which the function applies.
  auto x = T::dmatrix("x");
  auto count = theon::shared(Array::scalar<double>(0), "count");
  auto total = theon::shared(Array::zeros({2}, DType::Float64), "total");
  auto r = theon::scan(
      [&](const Vars &a) {
        theon::Updates updates;
        updates.add(count, count + 1.0);
        updates.add(total, total + a[0]);
        return theon::StepResult{{T::sum(total) + count}, updates};
      },
      {x});
  ASSERT_EQ(r.updates.size(), 2u);
  auto f = theon::function({x}, {r.outputs[0]}, r.updates);
  Array xv = Array::from_vector<double>({1, 2, 3, 4, 5, 6}, {3, 2});
  // Step t sees total and count before its own update: 0, 3 + 1, 10 + 2.
  EXPECT_EQ(f(xv)[0].to_vector<double>(), (std::vector<double>{0, 4, 12}));
  EXPECT_EQ(count.get_value().item<double>(), 3);
  EXPECT_EQ(total.get_value().to_vector<double>(), (std::vector<double>{9, 12}));
  // A second call starts from the updated values.
  EXPECT_EQ(f(xv)[0].to_vector<double>(), (std::vector<double>{24, 28, 36}));
  // Gradients flow through the updated variables' states like any other:
  // row s of x reaches the outputs of the steps after it.
  auto g = theon::function({x}, {theon::grad(T::sum(r.outputs[0]), x)});
  EXPECT_EQ(g(xv)[0].to_vector<double>(), (std::vector<double>{2, 2, 1, 1, 0, 0}));
  EXPECT_THROW(theon::scan(theon::ScanStepWithUpdates([&](const Vars &a) {
                             theon::Updates updates;
                             updates.add(count, T::cast(a[0][0], DType::Float32));
                             return theon::StepResult{{a[0]}, updates};
                           }),
                           {x}),
               theon::TypeError);
}

TEST(Scan, NStepsWithoutSequencesAndShorterThanThem) {
  auto a0 = T::dscalar("a0");
  auto r = theon::scan([](const Vars &a) { return Vars{a[0] * 2.0}; }, {}, {a0}, {}, 5);
  auto f = theon::function({a0}, {r.outputs[0]});
  EXPECT_EQ(f(Array::scalar<double>(1))[0].to_vector<double>(),
            (std::vector<double>{2, 4, 8, 16, 32}));
  auto x = T::dvector("x");
  auto r2 = theon::scan([](const Vars &a) { return Vars{a[0] + a[1]}; }, {x}, {a0}, {}, 2);
  auto g = theon::function({x, a0}, {r2.outputs[0]});
  EXPECT_EQ(g(Array::from_vector<double>({1, 2, 3}, {3}), Array::scalar<double>(0))[0]
                .to_vector<double>(),
            (std::vector<double>{1, 3}));
  auto r3 = theon::scan([](const Vars &a) { return Vars{a[0] + a[1]}; }, {x}, {a0}, {}, 9);
  auto h = theon::function({x, a0}, {r3.outputs[0]});
  EXPECT_THROW(h(Array::from_vector<double>({1, 2, 3}, {3}), Array::scalar<double>(0)),
               theon::ValueError);
}

TEST(Scan, SymbolicNStepsFromShapes) {
  // Theano's n_steps=x.shape[0] - 1: valued when the function is compiled,
  // so each new length gives its own number of steps.
  auto x = T::dvector("x");
  auto a0 = T::dscalar("a0");
  auto r = theon::scan([](const Vars &a) { return Vars{a[0] + a[1]}; }, {x}, {a0}, {},
                       x.shape()[0] - 1);
  auto f = theon::function({x, a0}, {r.outputs[0], theon::grad(T::sum(r.outputs[0]), x)});
  auto out = f(Array::from_vector<double>({1, 2, 3, 4}, {4}), Array::scalar<double>(0));
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{1, 3, 6}));
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{3, 2, 1, 0}));
  EXPECT_EQ(f(Array::from_vector<double>({5, 6}, {2}), Array::scalar<double>(1))[0]
                .to_vector<double>(),
            (std::vector<double>{6}));
  // Without sequences, from another variable's shape.
  auto r2 = theon::scan([](const Vars &a) { return Vars{a[0] * 2.0}; }, {}, {a0}, {},
                        x.shape()[0]);
  auto g = theon::function({x, a0}, {r2.outputs[0]});
  EXPECT_EQ(g(Array::zeros({3}, DType::Float64), Array::scalar<double>(1))[0].to_vector<double>(),
            (std::vector<double>{2, 4, 8}));
  // Known only from a value at the call: a clear error, not a guess.
  auto n = T::lscalar("n");
  auto r3 = theon::scan([](const Vars &a) { return Vars{a[0] * 2.0}; }, {}, {a0}, {}, n);
  auto h = theon::function({a0, n}, {r3.outputs[0]});
  try {
    h(Array::scalar<double>(1), Array::scalar<std::int64_t>(3));
    ADD_FAILURE() << "a value-dependent n_steps compiled";
  } catch (const theon::ValueError &e) {
    EXPECT_NE(std::string(e.what()).find("n_steps must be known when the function is compiled"),
              std::string::npos)
        << e.what();
  }
  // Computed negative, or not an integer scalar.
  auto r4 = theon::scan([](const Vars &a) { return Vars{a[0] + a[1]}; }, {x}, {a0}, {},
                        x.shape()[0] - 5);
  auto k = theon::function({x, a0}, {r4.outputs[0]});
  EXPECT_THROW(k(Array::zeros({3}, DType::Float64), Array::scalar<double>(0)), theon::ValueError);
  EXPECT_THROW(theon::scan([](const Vars &a) { return Vars{a[0]}; }, {x}, {}, {}, a0),
               theon::TypeError);
}

TEST(Scan, AScanInsideAScanAndItsGradient) {
  // Outer step: the inner scan's cumulative product of the row, summed.
  auto x = T::dmatrix("x");
  auto acc0 = T::dscalar("acc0");
  auto outer = theon::scan(
      [](const Vars &a) {
        auto inner = theon::scan([](const Vars &b) { return Vars{b[1] * b[0]}; }, {a[0]},
                                 {T::as_tensor_like(1.0, a[0])});
        return Vars{a[1] + T::sum(inner.outputs[0])};
      },
      {x}, {acc0});
  Variable total = outer.outputs[0][-1];
  auto f = theon::function({x, acc0}, {total, theon::grad(total, x)});
  Array xv = Array::from_vector<double>({1, 2, 3, 0.5, 2, 1}, {2, 3});
  auto out = f(xv, Array::scalar<double>(0));
  // Row 1: 1 + 2 + 6 = 9; row 2: 0.5 + 1 + 1 = 2.5.
  EXPECT_DOUBLE_EQ(out[0].item<double>(), 11.5);
  // d/dx of x0 + x0 x1 + x0 x1 x2 per row.
  std::vector<double> expected{1 + 2 + 6, 1 + 3, 2, 1 + 2 + 2, 0.5 + 0.5, 1};
  std::vector<double> got = out[1].to_vector<double>();
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], expected[i], 1e-12) << i;
}

TEST(Scan, ALongLoopIsOneBodyNotAnUnrolledGraph) {
  // 2000 steps compile like 2: the IR holds one copy of the step.
  auto x = T::matrix("x");
  auto h0 = T::vector("h0");
  auto W = theon::shared(Array::uniform({8, 8}, -0.3, 0.3), "W");
  auto r = theon::scan([&](const Vars &a) { return Vars{T::tanh(T::dot(a[1], W) + a[0])}; }, {x},
                       {h0});
  Variable cost = T::sum(r.outputs[0]);
  auto f = theon::function({x, h0}, {cost, theon::grad(cost, W)});
  auto irOf = [&](const std::string &stage, std::int64_t steps) {
    return f.ir(stage, {theon::Shape{steps, 8}, theon::Shape{8}});
  };
  auto count = [](const std::string &s, const std::string &what) {
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1))
      ++n;
    return n;
  };
  std::string small = irOf("theon", 2), large = irOf("theon", 2000);
  EXPECT_EQ(count(large, "theon.scan"), 1u);
  EXPECT_EQ(count(small, "theon.tanh"), count(large, "theon.tanh"));
  // After autodiff and lowering: the forward and the backward loop, each
  // body once, whatever the length.
  small = irOf("linalg", 2);
  large = irOf("linalg", 2000);
  EXPECT_EQ(count(large, "scf.for"), 2u);
  EXPECT_EQ(count(small, "linalg.generic"), count(large, "linalg.generic"));
  std::vector<Array> out = f(Array::uniform({2000, 8}, -1, 1), Array::zeros({8}));
  EXPECT_TRUE(std::isfinite(out[0].item<double>()));
}

TEST(Scan, EachStepDrawsNewRandomNumbers) {
  // A draw in the step advances its stream at every step, as in Theano: the
  // rows are the numbers the same draw made outside, call after call; the
  // function moves the stream past all of them without being passed the
  // scan's updates.
  const std::int64_t steps = 4;
  theon::RandomStreams inside(7), outside(7);
  auto x = T::dmatrix("x");
  auto r = theon::scan([&](const Vars &a) { return Vars{a[0] + inside.uniform({3})}; }, {x});
  ASSERT_EQ(r.updates.size(), 1u);
  auto f = theon::function({x}, {r.outputs[0]});
  auto g = theon::function({}, {outside.uniform({3})});
  Array zeros = Array::zeros({steps, 3}, DType::Float64);
  for (int call = 0; call < 2; ++call) {
    std::vector<double> rows = f(zeros)[0].to_vector<double>();
    for (std::int64_t t = 0; t < steps; ++t) {
      std::vector<double> expected = g()[0].to_vector<double>();
      for (std::size_t j = 0; j < 3; ++j)
        ASSERT_NEAR(rows[static_cast<std::size_t>(t) * 3 + j], expected[j], 1e-7)
            << "call " << call << " step " << t;
    }
  }
  ASSERT_EQ(inside.states().size(), 1u);
  EXPECT_EQ(inside.states()[0].get_value().to_vector<std::int64_t>()[1], 2 * steps);
  // Passing the scan's updates, as in Theano, gives the same advance.
  auto f2 = theon::function({x}, {r.outputs[0]}, r.updates);
  std::vector<double> rows = f2(zeros)[0].to_vector<double>();
  for (std::int64_t t = 0; t < steps; ++t)
    ASSERT_NEAR(rows[static_cast<std::size_t>(t) * 3], g()[0].to_vector<double>()[0], 1e-7);
  EXPECT_EQ(inside.states()[0].get_value().to_vector<std::int64_t>()[1], 3 * steps);

  // A draw made outside the step is a value the step reads: the same at
  // every step, as a non-sequence in Theano.
  theon::RandomStreams once(9);
  Variable drawnOnce = once.uniform({3}, 0.0, 1.0, DType::Float64);
  auto same = theon::scan([&](const Vars &a) { return Vars{a[0] + drawnOnce}; }, {x});
  EXPECT_TRUE(same.updates.entries().empty());
  std::vector<double> constantRows = theon::function({x}, {same.outputs[0]})(zeros)[0]
                                         .to_vector<double>();
  for (std::int64_t t = 1; t < steps; ++t)
    for (std::size_t j = 0; j < 3; ++j)
      ASSERT_EQ(constantRows[static_cast<std::size_t>(t) * 3 + j], constantRows[j]) << "step " << t;

  // A draw in a scan inside a scan advances once per inner step.
  theon::RandomStreams nested(7), flat(7);
  auto outer = theon::scan(
      [&](const Vars &) {
        auto inner = theon::scan([&](const Vars &) { return Vars{nested.uniform({2})}; }, {}, {},
                                 {}, 3);
        return Vars{inner.outputs[0]};
      },
      {}, {}, {}, 2);
  auto h = theon::function({}, {outer.outputs[0]});
  auto k = theon::function({}, {flat.uniform({2})});
  std::vector<double> drawn = h()[0].to_vector<double>(); // (2, 3, 2)
  for (std::size_t t = 0; t < 6; ++t) {
    std::vector<double> expected = k()[0].to_vector<double>();
    ASSERT_NEAR(drawn[2 * t], expected[0], 1e-7) << "draw " << t;
    ASSERT_NEAR(drawn[2 * t + 1], expected[1], 1e-7) << "draw " << t;
  }
}

TEST(Scan, TheGradientRecomputesTheStepsWithTheirOwnDraws) {
  // Dropout and noise inside a recurrence: the backward pass must see each
  // step's draws. Central differences of the cost, with the stream held still
  // (no default updates), check the gradient.
  theon::RandomStreams srng(3);
  auto x = T::dmatrix("x");
  auto W = theon::shared(Array::uniform({4, 4}, -0.8, 0.8, DType::Float64), "W");
  auto h0 = T::constant(Array::zeros({4}, DType::Float64));
  auto r = theon::scan(
      [&](const Vars &a) {
        Variable mask = T::cast(srng.binomial({4}, 0.5), DType::Float64);
        Variable noise = srng.uniform({4}, 0.5, 1.5, DType::Float64); // a float path too
        return Vars{T::tanh(T::dot(a[1] * mask * noise, W) + a[0])};
      },
      {x}, {h0});
  Variable cost = T::sum(T::sqr(r.outputs[0]));
  auto still = theon::FunctionOptions().without_default_updates();
  auto costOf = theon::function({x}, {cost}, still);
  auto gradOf = theon::function({x}, {theon::grad(cost, W)}, still);
  Array xv = Array::uniform({6, 4}, -1, 1, DType::Float64);
  std::vector<double> analytic = gradOf(xv)[0].to_vector<double>();
  Array w = W.get_value();
  const double eps = 1e-6;
  for (std::int64_t k : {0, 5, 10, 15}) {
    auto at = [&](double delta) {
      std::vector<double> moved = w.to_vector<double>();
      moved[static_cast<std::size_t>(k)] += delta;
      W.set_value(Array::from_vector(moved, {4, 4}));
      return costOf(xv)[0].item<double>();
    };
    double numeric = (at(eps) - at(-eps)) / (2 * eps);
    EXPECT_NEAR(analytic[static_cast<std::size_t>(k)], numeric, 1e-6) << "dW element " << k;
  }
  // Held still: no call moved the stream.
  EXPECT_EQ(srng.states()[0].get_value().to_vector<std::int64_t>()[1], 0);
}

TEST(Scan, BadStepsAreClearErrors) {
  auto x = T::matrix("x");
  auto h0 = T::vector("h0");
  auto step = [](const Vars &a) { return Vars{a[0] + a[1]}; };
  EXPECT_THROW(theon::scan(step, {}, {h0}), theon::ValueError);                 // no n_steps
  EXPECT_THROW(theon::scan(step, {x}, {h0}, {}, -1), theon::ValueError);        // negative
  EXPECT_THROW(theon::scan(step, {T::scalar("s")}, {h0}), theon::TypeError);    // no axis
  EXPECT_THROW(theon::scan(step, {x}, {theon::OutputInfo(h0, {1})}), theon::ValueError);
  EXPECT_THROW(theon::scan([](const Vars &a) { return Vars{a[0], a[0]}; }, {x}, {h0}),
               theon::ValueError); // two outputs for one outputs_info
  EXPECT_THROW(theon::scan([](const Vars &a) { return Vars{T::cast(a[0], DType::Int32)}; }, {x},
                           {h0}),
               theon::TypeError); // fed back with another dtype
  // A new value of another shape is found when compiled.
  auto r = theon::scan([](const Vars &a) { return Vars{T::concatenate({a[1], a[1]})}; }, {x},
                       {h0});
  auto f = theon::function({x, h0}, {r.outputs[0]});
  EXPECT_THROW(f(Array::zeros({2, 3}), Array::zeros({3})), theon::ShapeError);
  // A step variable used outside its step.
  Variable leaked;
  theon::scan([&](const Vars &a) { leaked = a[0]; return Vars{a[0] + a[1]}; }, {x}, {h0});
  auto g = theon::function({x}, {leaked * 2 + T::sum(x)});
  EXPECT_THROW(g(Array::zeros({2, 3})), theon::ValueError);
}

} // namespace
