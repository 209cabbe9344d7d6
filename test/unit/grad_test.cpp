// theon::grad through theon-autodiff, checked by verify_grad (finite
// differences) for every differentiable op, with broadcasting.
#include <gtest/gtest.h>

#include <cmath>

#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Variable;
using Vars = std::vector<Variable>;

namespace {

Array rand64(theon::Shape shape, double lo = -1, double hi = 1) {
  return Array::uniform(std::move(shape), lo, hi, DType::Float64);
}

struct UnaryCase {
  const char *name;
  Variable (*fn)(const Variable &);
  double lo, hi;
};

void PrintTo(const UnaryCase &c, std::ostream *os) { *os << c.name; }

class UnaryGrad : public ::testing::TestWithParam<UnaryCase> {};

TEST_P(UnaryGrad, MatchesFiniteDifferences) {
  const UnaryCase &c = GetParam();
  theon::verify_grad([&](const Vars &v) { return c.fn(v[0]); }, {rand64({3, 4}, c.lo, c.hi)});
}

INSTANTIATE_TEST_SUITE_P(
    Ops, UnaryGrad,
    ::testing::Values(UnaryCase{"neg", T::neg, -1, 1}, UnaryCase{"abs", T::abs, 0.2, 1},
                      UnaryCase{"exp", T::exp, -1, 1}, UnaryCase{"log", T::log, 0.5, 2},
                      UnaryCase{"log1p", T::log1p, 0, 2}, UnaryCase{"sqrt", T::sqrt, 0.5, 2},
                      UnaryCase{"sin", T::sin, -2, 2}, UnaryCase{"cos", T::cos, -2, 2},
                      UnaryCase{"tanh", T::tanh, -2, 2}, UnaryCase{"sigmoid", T::sigmoid, -3, 3},
                      UnaryCase{"softplus", T::softplus, -3, 3}, UnaryCase{"sqr", T::sqr, -1, 1},
                      UnaryCase{"erf", T::erf, -2, 2}, UnaryCase{"erfc", T::erfc, -2, 2},
                      UnaryCase{"erfinv", T::erfinv, -0.9, 0.9},
                      UnaryCase{"expm1", T::expm1, -1, 1}, UnaryCase{"exp2", T::exp2, -1, 1},
                      UnaryCase{"log2", T::log2, 0.5, 2}, UnaryCase{"log10", T::log10, 0.5, 2}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(Grad, PiecewiseConstantOpsHaveZeroGradient) {
  auto x = T::dvector("x");
  for (auto fn : {T::floor, T::ceil, T::round, T::sgn}) {
    auto g = theon::grad(T::sum(fn(x) * x), x); // only the `* x` factor contributes
    auto f = theon::function({x}, {g});
    Array xv = Array::from_vector(std::vector<double>{0.3, 1.7, -2.2});
    Array expected = theon::function({x}, {fn(x)})(xv)[0];
    EXPECT_TRUE(theon::allclose(f(xv)[0], expected));
  }
}

struct BinaryCase {
  const char *name;
  Variable (*fn)(const Variable &, const Variable &);
  double lo, hi;
};

void PrintTo(const BinaryCase &c, std::ostream *os) { *os << c.name; }

class BinaryGrad : public ::testing::TestWithParam<BinaryCase> {};

TEST_P(BinaryGrad, SameShapes) {
  const BinaryCase &c = GetParam();
  theon::verify_grad([&](const Vars &v) { return c.fn(v[0], v[1]); },
                     {rand64({3, 4}, c.lo, c.hi), rand64({3, 4}, c.lo, c.hi)});
}

TEST_P(BinaryGrad, BroadcastOperands) {
  const BinaryCase &c = GetParam();
  // (3, 1) with (4,): both operands are stretched.
  theon::verify_grad([&](const Vars &v) { return c.fn(v[0], v[1]); },
                     {rand64({3, 1}, c.lo, c.hi), rand64({4}, c.lo, c.hi)});
  // scalar with a matrix
  theon::verify_grad([&](const Vars &v) { return c.fn(v[0], v[1]); },
                     {rand64({2, 3}, c.lo, c.hi), rand64({}, c.lo, c.hi)});
}

INSTANTIATE_TEST_SUITE_P(
    Ops, BinaryGrad,
    ::testing::Values(BinaryCase{"add", T::add, -1, 1}, BinaryCase{"sub", T::sub, -1, 1},
                      BinaryCase{"mul", T::mul, -1, 1}, BinaryCase{"div", T::true_div, 0.5, 2},
                      BinaryCase{"pow", T::pow, 0.5, 2}, BinaryCase{"maximum", T::maximum, -1, 1},
                      BinaryCase{"minimum", T::minimum, -1, 1}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(Grad, Dot) {
  auto dot = [](const Vars &v) { return T::dot(v[0], v[1]); };
  theon::verify_grad(dot, {rand64({3, 4}), rand64({4, 5})});
  theon::verify_grad(dot, {rand64({3, 4}), rand64({4})});
  theon::verify_grad(dot, {rand64({4}), rand64({4, 2})});
  theon::verify_grad(dot, {rand64({4}), rand64({4})});
}

TEST(Grad, Reductions) {
  Array x = rand64({3, 4, 2});
  for (auto axis : {theon::Axis(), theon::Axis(1), theon::Axis({0, 2}), theon::Axis(-1)}) {
    for (bool keep : {false, true}) {
      theon::verify_grad([&](const Vars &v) { return T::sum(v[0], axis, keep); }, {x});
      theon::verify_grad([&](const Vars &v) { return T::mean(v[0], axis, keep); }, {x});
      theon::verify_grad([&](const Vars &v) { return T::max(v[0], axis, keep); }, {x});
      theon::verify_grad([&](const Vars &v) { return T::min(v[0], axis, keep); }, {x});
    }
  }
  theon::verify_grad([](const Vars &v) { return T::prod(v[0], 1); }, {rand64({3, 4}, 0.5, 1.5)});
}

TEST(Grad, ShapeOps) {
  Array m = rand64({3, 4});
  theon::verify_grad([](const Vars &v) { return v[0].T(); }, {m});
  theon::verify_grad([](const Vars &v) { return v[0].reshape({2, -1}); }, {m});
  theon::verify_grad([](const Vars &v) { return v[0].dimshuffle(1, 'x', 0); }, {m});
  theon::verify_grad([](const Vars &v) { return T::broadcast_to(v[0], {2, 3, 4}); }, {m});
  // Through float32 and back: a step large enough for float32's precision.
  theon::verify_grad([](const Vars &v) { return v[0].astype(DType::Float32).astype(DType::Float64); },
                     {m}, theon::VerifyGradOptions{1e-2, 1e-4, 1e-4});
}

TEST(Grad, Switch) {
  theon::verify_grad([](const Vars &v) { return T::switch_(v[0] > 0, v[0] * 2, v[1]); },
                     {rand64({3, 4}), rand64({4})});
}

TEST(Grad, IndexingAndDiag) {
  Array idx = Array::from_vector(std::vector<std::int32_t>{2, 0, 2, -1});
  // Repeated indices accumulate in the gradient (scatter-add).
  theon::verify_grad(
      [&](const Vars &v) { return v[0][T::constant(idx)]; }, {rand64({3, 4})});
  theon::verify_grad([](const Vars &v) { return v[0][1]; }, {rand64({3, 4})});
  theon::verify_grad([](const Vars &v) { return T::diag(v[0]); }, {rand64({3, 5})});
  theon::verify_grad([](const Vars &v) { return T::diag(v[0]); }, {rand64({4})});
}

TEST(Grad, SeedCostAndSoftmax) {
  Array y = Array::from_vector(std::vector<std::int32_t>{1, 0, 2, 1, 3});
  theon::verify_grad(
      [&](const Vars &v) {
        auto yhat = T::nnet::softmax(v[0]);
        return T::mean(-T::log(T::diag(yhat.T()[T::constant(y)])));
      },
      {rand64({5, 4})});
  theon::verify_grad(
      [&](const Vars &v) { return T::nnet::categorical_crossentropy(T::nnet::softmax(v[0]), T::constant(y)); },
      {rand64({5, 4})});
}

TEST(Grad, VerifyGradWithASharedVariable) {
  auto w = theon::shared(rand64({3, 4}), "w");
  theon::verify_grad([&](const Vars &v) { return T::dot(v[0], w); }, {rand64({2, 3})});
}

TEST(Grad, Float32) {
  Array x = Array::uniform({3, 4}, 0.5, 1.5, DType::Float32);
  theon::verify_grad([](const Vars &v) { return T::log(v[0]) * T::exp(v[0]); }, {x});
}

TEST(Grad, KnownValues) {
  // d/dx sum(x^2) = 2x exactly.
  auto x = T::dvector("x");
  auto f = theon::function({x}, {theon::grad(T::sum(x * x), x)});
  Array xv = Array::from_vector(std::vector<double>{1, -2, 3.5});
  EXPECT_EQ(f(xv)[0].to_vector<double>(), (std::vector<double>{2, -4, 7}));
}

TEST(Grad, SeveralWrtShareOneSweep) {
  auto x = T::dmatrix("x");
  auto w = T::dvector("w");
  auto b = T::dscalar("b");
  auto cost = T::sum(T::tanh(T::dot(x, w) + b));
  auto grads = theon::grad(cost, Vars{w, b});
  ASSERT_EQ(grads.size(), 2u);
  auto f = theon::function({x, w, b}, grads);
  f(rand64({3, 2}), rand64({2}), 0.5);
  std::string ir = f.ir("theon");
  EXPECT_NE(ir.find("theon.grad %"), std::string::npos);
  EXPECT_EQ(ir.find("theon.grad", ir.find("theon.grad") + 1), std::string::npos) << ir;
}

TEST(Grad, GradOfGrad) {
  // d/dx (d/dx x^3) = 6x
  auto x = T::dscalar("x");
  auto g = theon::grad(x * x * x, x);
  auto gg = theon::grad(g, x);
  auto f = theon::function({x}, {g, gg});
  auto out = f(2.0);
  EXPECT_DOUBLE_EQ(out[0].item<double>(), 12.0);
  EXPECT_DOUBLE_EQ(out[1].item<double>(), 12.0);
  // Also through verify_grad: the gradient of a gradient expression.
  theon::verify_grad(
      [](const Vars &v) { return theon::grad(T::sum(T::sin(v[0]) * v[0]), v[0]); }, {rand64({4})});
}

TEST(Grad, GradientUsableInExpressions) {
  auto x = T::dvector("x");
  auto g = theon::grad(T::sum(T::exp(x)), x);
  auto f = theon::function({x}, {g * 2 + x});
  Array xv = Array::from_vector(std::vector<double>{0, 1});
  auto out = f(xv)[0].to_vector<double>();
  EXPECT_NEAR(out[0], 2.0, 1e-12);
  EXPECT_NEAR(out[1], 2 * std::exp(1.0) + 1, 1e-12);
}

TEST(GradErrors, NonScalarCost) {
  auto x = T::matrix("x");
  try {
    theon::grad(x * 2, x);
    FAIL() << "expected TypeError";
  } catch (const theon::TypeError &e) {
    EXPECT_NE(std::string(e.what()).find("scalar"), std::string::npos) << e.what();
  }
}

TEST(GradErrors, DisconnectedInput) {
  auto x = T::vector("x");
  auto y = T::vector("y");
  auto cost = T::sum(x * 2);
  try {
    theon::grad(cost, y);
    FAIL() << "expected ValueError";
  } catch (const theon::ValueError &e) {
    EXPECT_NE(std::string(e.what()).find("'y'"), std::string::npos) << e.what();
  }
  auto g = theon::grad(cost, Vars{x, y}, theon::GradOptions{"ignore"});
  auto f = theon::function({x, y}, g);
  auto out = f(Array::ones({3}), Array::ones({2}));
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{2, 2, 2}));
  EXPECT_EQ(out[1].to_vector<float>(), (std::vector<float>{0, 0}));
  EXPECT_THROW(theon::grad(cost, x, theon::GradOptions{"sometimes"}), theon::ValueError);
}

TEST(GradErrors, IntegerPathsHaveNoGradient) {
  auto x = T::vector("x");
  auto i = T::ivector("i");
  EXPECT_THROW(theon::grad(T::sum(x), i), theon::TypeError);
  // The cost reaches x only through an integer cast: disconnected.
  EXPECT_THROW(theon::grad(T::sum(x.astype(DType::Int32)).astype(DType::Float32), x),
               theon::ValueError);
  EXPECT_THROW(theon::grad(T::sum(T::argmax(T::matrix("m"), 1)).astype(DType::Float32),
                           T::matrix("other")),
               theon::ValueError);
}

TEST(GradErrors, VerifyGradCatchesAWrongGradient) {
  // abs near its kink: finite differences straddle 0 and disagree with sign(x).
  Array x = Array::from_vector(std::vector<double>{1e-9, 0.5});
  EXPECT_THROW(theon::verify_grad([](const Vars &v) { return T::abs(v[0]); }, {x},
                                  theon::VerifyGradOptions{1e-3}),
               theon::GradientError);
  EXPECT_THROW(theon::verify_grad([](const Vars &v) { return v[0]; },
                                  {Array::from_vector(std::vector<std::int32_t>{1})}),
               theon::TypeError);
}

} // namespace

// Ties (#12): maximum/minimum give a tie to one operand (lhs), as Theano 1.0,
// so maximum(x, x)' is 1; a max/min reduction splits its gradient evenly
// among tied elements, as PyTorch and JAX, so the gradient is the true
// derivative where one exists.
TEST(Grad, TiesGoToOneOperandOrSplitEvenly) {
  auto x = T::dvector("x");
  auto same = theon::function({x}, {theon::grad(T::sum(T::maximum(x, x)), x),
                                     theon::grad(T::sum(T::minimum(x, x)), x)});
  auto s = same(Array::from_vector(std::vector<double>{1, -2}));
  EXPECT_EQ(s[0].to_vector<double>(), (std::vector<double>{1, 1}));
  EXPECT_EQ(s[1].to_vector<double>(), (std::vector<double>{1, 1}));

  auto row = theon::function({x}, {theon::grad(T::max(x), x), theon::grad(T::min(x), x)});
  auto r = row(Array::from_vector(std::vector<double>{1, 3, 3, -1, -1, -1}));
  EXPECT_EQ(r[0].to_vector<double>(), (std::vector<double>{0, 0.5, 0.5, 0, 0, 0}));
  std::vector<double> third{0, 0, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3};
  EXPECT_EQ(r[1].to_vector<double>(), third);

  // The case: max over rows of minimum(x, v), v broadcast over the
  // rows; two rows tie at v[0], whose true derivative is 1 (not 2).
  auto m = T::dmatrix("m");
  auto v = T::dvector("v");
  auto f = theon::function({m, v}, {theon::grad(T::sum(T::max(T::minimum(m, v), 0)), v)});
  Array mv = Array::from_vector(std::vector<double>{5, 5, 5, 5, 0, 0}, {3, 2});
  EXPECT_EQ(f(mv, Array::from_vector(std::vector<double>{2, 7}))[0].to_vector<double>(),
            (std::vector<double>{1, 0}));

  // A NaN extreme matches nothing: zero gradient, not NaN.
  auto n = row(Array::from_vector(std::vector<double>{1, std::nan(""), 2}));
  EXPECT_EQ(n[0].to_vector<double>(), (std::vector<double>{0, 0, 0}));
}

// x % y: d/dx = 1, d/dy = -(x // y); x // y is piecewise constant.
TEST(Grad, ModAndFloorDiv) {
  theon::verify_grad([](const Vars &v) { return T::mod(v[0], v[1]); },
                     {Array::from_vector(std::vector<double>{5.3, -5.3, 2.2}),
                      Array::from_vector(std::vector<double>{2, 2, -3})});
  auto x = T::dvector("x"), y = T::dvector("y");
  auto f = theon::function({x, y}, {theon::grad(T::sum(T::floor_div(x, y) * x), x)});
  // Only the `* x` factor contributes: the gradient is x // y itself.
  EXPECT_EQ(f(Array::from_vector(std::vector<double>{5.5, -5.5}),
              Array::from_vector(std::vector<double>{2, 2}))[0].to_vector<double>(),
            (std::vector<double>{2, -3}));
}

// The reductions built from others differentiate through them.
TEST(Grad, VarStdNormCompositions) {
  Array m = Array::from_vector(std::vector<double>{1, 2, 4, -3, 0.5, 5}, {2, 3});
  theon::verify_grad([](const Vars &v) { return T::var(v[0], 1, 1); }, {m});
  theon::verify_grad([](const Vars &v) { return T::std(v[0], 0); }, {m});
  theon::verify_grad([](const Vars &v) { return T::norm(v[0], 2, 1); }, {m});
  theon::verify_grad([](const Vars &v) { return T::norm(v[0], 3); }, {m});
}

// concatenate's gradient: each operand's slice of the result's.
TEST(Grad, Concatenate) {
  Array a = Array::from_vector(std::vector<double>{0.5, -1, 2, 3}, {2, 2});
  Array b = Array::from_vector(std::vector<double>{1.5, -2, 0.25, 4, 1, -3}, {3, 2});
  theon::verify_grad([](const Vars &v) { return T::concatenate({v[0], T::tanh(v[1])}); }, {a, b});
  theon::verify_grad([](const Vars &v) { return T::stack({v[0], v[0] * 2}, 1); }, {a});
}

TEST(Grad, TileAndSwapaxes) {
  Array a = Array::from_vector(std::vector<double>{0.5, -1, 2, 3, 1.5, -2}, {2, 3});
  theon::verify_grad([](const Vars &v) { return T::tile(v[0], {2, 3}); }, {a});
  theon::verify_grad([](const Vars &v) { return T::swapaxes(v[0], 0, 1) * 2; }, {a});
}
