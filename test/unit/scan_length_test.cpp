// A function whose inputs a scan steps along is compiled once for every
// sequence length (`theon.scan length = ?`), unless something needs the
// length as a number: then it is compiled for each length, as before.
// Values against graphs unrolled for each length.
#include <gtest/gtest.h>

#include <limits>
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

struct Rnn {
  theon::SharedVariable W = theon::shared(Array::uniform({4, 4}, -0.6, 0.6, DType::Float64), "W");
  theon::SharedVariable U = theon::shared(Array::uniform({3, 4}, -0.6, 0.6, DType::Float64), "U");
  Variable step(const Variable &xt, const Variable &h) const {
    return T::tanh(T::dot(h, W) + T::dot(xt, U));
  }
  /// The last state after x's rows, unrolled for `length` steps.
  Variable unrolled(const Variable &x, const Variable &h0, int length) const {
    Variable h = h0;
    for (int t = 0; t < length; ++t)
      h = step(x[t], h);
    return h;
  }
};

// A batch of sequences (steps x batch x inputs), the last state, a product
// after the loop and x.shape(1) (a static axis of x) for the initial state.
TEST(ScanLength, OneCompileServesEveryLength) {
  Rnn rnn;
  auto x = T::dtensor3("x");
  Variable h0 = T::zeros({x.shape(1), T::as_tensor(4)}, DType::Float64);
  auto result = theon::scan([&](const Vars &a) { return Vars{rnn.step(a[0], a[1])}; }, {x}, {h0});
  Variable last = result.outputs[0][-1];
  auto V = theon::shared(Array::uniform({4, 2}, -1, 1, DType::Float64), "V");
  auto f = theon::function({x}, {T::dot(last, V)});

  for (int length : {5, 2, 9, 1, 5}) {
    Array xv = Array::uniform({length, 3, 3}, -1, 1, DType::Float64);
    Array got = f(xv)[0];
    auto xs = T::dtensor3("xs");
    auto g = theon::function(
        {xs}, {T::dot(rnn.unrolled(xs, T::zeros({3, 4}, DType::Float64), length), V)});
    EXPECT_TRUE(ArrayNear(got, g(xv)[0], Tol{0, 1e-12})) << "length " + std::to_string(length);
    EXPECT_EQ(f.num_compiled(), 1u) << "length " << length;
  }
  std::string ir = f.ir("theon");
  EXPECT_NE(ir.find("theon.scan length = ?"), std::string::npos) << ir;
  EXPECT_NE(ir.find("tensor<?x3x3xf64>"), std::string::npos) << ir;
}

// The training step of a batch of sequences: the cost, the gradients of
// the weights and of the initial state, and SGD updates, from one compile
// for every length, against the graph unrolled for each length.
TEST(ScanLength, GradientsAndUpdatesOfEveryLengthFromOneCompile) {
  Rnn rnn;
  Rnn reference;
  reference.W.set_value(rnn.W.get_value());
  reference.U.set_value(rnn.U.get_value());
  auto x = T::dtensor3("x");
  auto h0 = T::dmatrix("h0");
  auto result = theon::scan([&](const Vars &a) { return Vars{rnn.step(a[0], a[1])}; }, {x}, {h0});
  Variable cost = T::sum(T::sqr(result.outputs[0][-1])) + T::sum(result.outputs[0][0]);
  Variable gW = theon::grad(cost, rnn.W), gU = theon::grad(cost, rnn.U);
  auto f = theon::function({x, h0}, {cost, theon::grad(cost, h0)},
                           {{rnn.W, rnn.W - 0.1 * gW}, {rnn.U, rnn.U - 0.1 * gU}});

  for (int length : {6, 3, 1, 8}) {
    auto xs = T::dtensor3("xs");
    auto hs0 = T::dmatrix("hs0");
    Vars steps;
    Variable h = hs0;
    for (int t = 0; t < length; ++t)
      steps.push_back(h = reference.step(xs[t], h));
    Variable cost2 = T::sum(T::sqr(steps.back())) + T::sum(steps.front());
    Variable rW = theon::grad(cost2, reference.W), rU = theon::grad(cost2, reference.U);
    auto g = theon::function({xs, hs0}, {cost2, theon::grad(cost2, hs0)},
                             {{reference.W, reference.W - 0.1 * rW},
                              {reference.U, reference.U - 0.1 * rU}});
    Array xv = Array::uniform({length, 2, 3}, -1, 1, DType::Float64);
    Array hv = Array::uniform({2, 4}, -1, 1, DType::Float64);
    std::vector<Array> got = f(xv, hv), expected = g(xv, hv);
    std::string at = " at length " + std::to_string(length);
    EXPECT_TRUE(ArrayNear(got[0], expected[0], Tol{0, 1e-12})) << "cost" + at;
    EXPECT_TRUE(ArrayNear(got[1], expected[1], Tol{0, 1e-12})) << "dh0" + at;
    EXPECT_TRUE(ArrayNear(rnn.W.get_value(), reference.W.get_value(), Tol{0, 1e-12})) << "W" + at;
    EXPECT_TRUE(ArrayNear(rnn.U.get_value(), reference.U.get_value(), Tol{0, 1e-12})) << "U" + at;
    EXPECT_EQ(f.num_compiled(), 1u) << at;
  }
  EXPECT_NE(f.ir("theon").find("length = ?"), std::string::npos);
  EXPECT_NE(f.ir("linalg").find("tensor<?x2x4xf64>"), std::string::npos);
}

// A language model's cost: a loss per step from the scan (an output not
// fed back), averaged over the steps and the batch; its gradient broadcasts
// back over the runtime number of steps. One compile for every length.
TEST(ScanLength, ReductionsOverTheStepsFromOneCompile) {
  Rnn rnn;
  auto V = theon::shared(Array::uniform({4, 3}, -1, 1, DType::Float64), "V");
  auto x = T::dtensor3("x");
  auto h0 = T::dmatrix("h0");
  auto stepLoss = [&](const Variable &xt, const Variable &h) {
    return T::sum(T::sqr(T::dot(h, V) - xt), 1);
  };
  auto result = theon::scan(
      [&](const Vars &a) {
        Variable h = rnn.step(a[0], a[1]);
        return Vars{h, stepLoss(a[0], h)};
      },
      {x}, {theon::OutputInfo(h0), theon::OutputInfo()});
  Variable cost = T::mean(result.outputs[1]) + 0.5 * T::sum(result.outputs[0]);
  auto f = theon::function({x, h0}, {cost, theon::grad(cost, rnn.W), theon::grad(cost, V)});

  for (int length : {4, 7, 1}) {
    auto xs = T::dtensor3("xs");
    auto hs0 = T::dmatrix("hs0");
    Vars losses, states;
    Variable h = hs0;
    for (int t = 0; t < length; ++t) {
      states.push_back(h = rnn.step(xs[t], h));
      losses.push_back(stepLoss(xs[t], h));
    }
    Variable cost2 = T::mean(T::stack(losses)) + 0.5 * T::sum(T::stack(states));
    auto g = theon::function({xs, hs0}, {cost2, theon::grad(cost2, rnn.W), theon::grad(cost2, V)});
    Array xv = Array::uniform({length, 2, 3}, -1, 1, DType::Float64);
    Array hv = Array::uniform({2, 4}, -1, 1, DType::Float64);
    std::vector<Array> got = f(xv, hv), expected = g(xv, hv);
    const char *names[] = {"cost", "dW", "dV"};
    for (std::size_t i = 0; i < got.size(); ++i)
      EXPECT_TRUE(ArrayNear(got[i], expected[i], Tol{0, 1e-12}))
          << names[i] << " at length " << length;
    EXPECT_EQ(f.num_compiled(), 1u) << "length " << length;
  }
}

// max over the steps has no value for no steps: compiled for each length.
TEST(ScanLength, MaxOverTheStepsCompilesForEachLength) {
  Rnn rnn;
  auto x = T::dmatrix("x");
  auto h0 = T::dvector("h0");
  auto result = theon::scan([&](const Vars &a) { return Vars{rnn.step(a[0], a[1])}; }, {x}, {h0});
  auto f = theon::function({x, h0}, {T::max(result.outputs[0], 0)});
  Array hv = Array::uniform({4}, -1, 1, DType::Float64);
  for (int length : {3, 5}) {
    auto xs = T::dmatrix("xs");
    Vars steps;
    Variable h = h0;
    for (int t = 0; t < length; ++t)
      steps.push_back(h = rnn.step(xs[t], h));
    auto g = theon::function({xs, h0}, {T::max(T::stack(steps), 0)});
    Array xv = Array::uniform({length, 3}, -1, 1, DType::Float64);
    EXPECT_TRUE(ArrayNear(f(xv, hv)[0], g(xv, hv)[0], Tol{0, 1e-12})) << "max at length " << length;
  }
  EXPECT_EQ(f.num_compiled(), 2u);
}

// x[-1] of no steps is out of range: the call is compiled for its shape,
// whose shape inference says so, as it did before.
TEST(ScanLength, AnIndexOutOfRangeAtThisLengthIsTheStaticError) {
  Rnn rnn;
  auto x = T::dmatrix("x");
  auto h0 = T::dvector("h0");
  auto result = theon::scan([&](const Vars &a) { return Vars{rnn.step(a[0], a[1])}; }, {x}, {h0});
  auto f = theon::function({x, h0}, {result.outputs[0][-1]});
  Array hv = Array::uniform({4}, -1, 1, DType::Float64);
  f(Array::uniform({3, 3}, -1, 1, DType::Float64), hv);
  try {
    f(Array::zeros({0, 3}, DType::Float64), hv);
    FAIL() << "no error for x[-1] of 0 steps";
  } catch (const theon::IndexError &e) {
    EXPECT_NE(std::string(e.what()).find("index -1 is out of bounds for axis 0"), std::string::npos)
        << e.what();
  }
  // An index no length allows, from either end.
  for (std::int64_t index : {std::numeric_limits<std::int64_t>::min(),
                             std::numeric_limits<std::int64_t>::max()}) {
    auto g = theon::function({x, h0}, {result.outputs[0][index]});
    EXPECT_THROW(g(Array::uniform({3, 3}, -1, 1, DType::Float64), hv), theon::IndexError) << index;
  }
  // The dynamic specialization still serves the lengths it can.
  Array xv = Array::uniform({6, 3}, -1, 1, DType::Float64);
  auto xs = T::dmatrix("xs");
  auto g = theon::function({xs, h0}, {rnn.unrolled(xs, h0, 6)});
  EXPECT_TRUE(ArrayNear(f(xv, hv)[0], g(xv, hv)[0], Tol{0, 1e-12})) << "after the error";
  EXPECT_EQ(f.num_compiled(), 1u);
}

// What needs the length as a number compiles for each length, with the
// right values: the length read as x.shape(0), the stacked outputs
// returned (outputs are allocated before the call), sequences of different
// lengths (the scan runs the least).
TEST(ScanLength, WhatNeedsTheLengthCompilesForEachLength) {
  Rnn rnn;
  auto x = T::dmatrix("x");
  auto y = T::dmatrix("y");
  auto h0 = T::dvector("h0");
  auto scanOf = [&](const Variable &seq) {
    return theon::scan([&](const Vars &a) { return Vars{rnn.step(a[0], a[1])}; }, {seq}, {h0});
  };
  Variable last = scanOf(x).outputs[0][-1];
  auto byLength = theon::function({x, h0}, {last * T::cast(x.shape(0), DType::Float64)});
  auto stacked = theon::function({x, h0}, {scanOf(x).outputs[0]});
  auto two = theon::function(
      {x, y, h0},
      {theon::scan([&](const Vars &a) { return Vars{rnn.step(a[0] + a[1], a[2])}; }, {x, y}, {h0})
           .outputs[0][-1]});
  Array hv = Array::uniform({4}, -1, 1, DType::Float64);
  auto xs = T::dmatrix("xs");
  auto ys = T::dmatrix("ys");
  std::size_t calls = 0;
  for (int length : {3, 5}) {
    ++calls;
    Array xv = Array::uniform({length, 3}, -1, 1, DType::Float64);
    Array yv = Array::uniform({length + 1, 3}, -1, 1, DType::Float64);
    auto g = theon::function({xs, h0}, {rnn.unrolled(xs, h0, length) * static_cast<double>(length)});
    EXPECT_TRUE(ArrayNear(byLength(xv, hv)[0], g(xv, hv)[0], Tol{0, 1e-12})) << "x.shape(0)";
    Vars steps;
    Variable h = h0;
    for (int t = 0; t < length; ++t)
      steps.push_back(h = rnn.step(xs[t], h));
    auto gs = theon::function({xs, h0}, {T::stack(steps)});
    EXPECT_TRUE(ArrayNear(stacked(xv, hv)[0], gs(xv, hv)[0], Tol{0, 1e-12})) << "stacked outputs";
    Variable h2 = h0;
    for (int t = 0; t < length; ++t)
      h2 = rnn.step(xs[t] + ys[t], h2);
    auto g2 = theon::function({xs, ys, h0}, {h2});
    EXPECT_TRUE(ArrayNear(two(xv, yv, hv)[0], g2(xv, yv, hv)[0], Tol{0, 1e-12})) << "two sequences";
    EXPECT_EQ(byLength.num_compiled(), calls);
    EXPECT_EQ(stacked.num_compiled(), calls);
    EXPECT_EQ(two.num_compiled(), calls);
  }
}

} // namespace
