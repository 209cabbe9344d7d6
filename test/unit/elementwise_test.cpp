// Every elementwise op through theon::function, checked against plain C++
// reference loops over random inputs, for several dtypes and shapes (rank 0,
// size-1 and empty dimensions, NumPy broadcasting), plus Theano's dtype rules.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Shape;
using theon::Variable;
using namespace theon_test;

namespace {

Variable Input(DType dtype, int rank, const std::string &name) {
  return T::tensor(dtype, std::vector<bool>(static_cast<std::size_t>(rank), false), name);
}

std::string DTypeTestName(DType d) { return theon::dtype_name(d); }

double Sign(double x) { return std::isnan(x) ? x : (x > 0) - (x < 0); }
double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double ErfinvByBisection(double x) {
  if (!(x >= -1 && x <= 1))
    return std::nan("");
  if (x == 1 || x == -1)
    return x * INFINITY;
  double lo = -6, hi = 6;
  for (int i = 0; i < 200; ++i) {
    double mid = (lo + hi) / 2;
    (std::erf(mid) < x ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}
double Softplus(double x) { return x > 30 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

// ---------------------------------------------------------------------------
// Unary ops
// ---------------------------------------------------------------------------

struct UnaryOp {
  const char *name;
  Variable (*build)(const Variable &);
  double (*ref)(double);
  Domain float_domain;
  Domain int_domain;
  bool keeps_int; // neg/abs/sgn: int in, same int out; others upgrade to float
};

const std::vector<UnaryOp> &UnaryOps() {
  static const std::vector<UnaryOp> ops = {
      {"neg", [](const Variable &x) { return T::neg(x); }, [](double x) { return -x; },
       {-10, 10}, {-100, 100}, true},
      {"abs", [](const Variable &x) { return T::abs(x); }, [](double x) { return std::fabs(x); },
       {-10, 10}, {-100, 100}, true},
      {"sgn", [](const Variable &x) { return T::sgn(x); }, Sign, {-3, 3, false, false, true},
       {-3, 3}, true},
      {"exp", [](const Variable &x) { return T::exp(x); }, [](double x) { return std::exp(x); },
       {-5, 5}, {-6, 6}, false},
      {"log", [](const Variable &x) { return T::log(x); }, [](double x) { return std::log(x); },
       {0.01, 20}, {1, 50}, false},
      {"log1p", [](const Variable &x) { return T::log1p(x); },
       [](double x) { return std::log1p(x); }, {-0.9, 20}, {0, 50}, false},
      {"sqrt", [](const Variable &x) { return T::sqrt(x); }, [](double x) { return std::sqrt(x); },
       {0, 20}, {0, 100}, false},
      {"sin", [](const Variable &x) { return T::sin(x); }, [](double x) { return std::sin(x); },
       {-6, 6}, {-10, 10}, false},
      {"cos", [](const Variable &x) { return T::cos(x); }, [](double x) { return std::cos(x); },
       {-6, 6}, {-10, 10}, false},
      {"tanh", [](const Variable &x) { return T::tanh(x); },
       [](double x) { return std::tanh(x); }, {-5, 5}, {-5, 5}, false},
      {"sigmoid", [](const Variable &x) { return T::sigmoid(x); }, Sigmoid, {-10, 10}, {-10, 10},
       false},
      {"softplus", [](const Variable &x) { return T::softplus(x); }, Softplus, {-10, 10},
       {-10, 10}, false},
      {"floor", [](const Variable &x) { return T::floor(x); },
       [](double x) { return std::floor(x); }, {-5, 5, false, false, true}, {-10, 10}, false},
      {"ceil", [](const Variable &x) { return T::ceil(x); },
       [](double x) { return std::ceil(x); }, {-5, 5, false, false, true}, {-10, 10}, false},
      // std::nearbyint in the default rounding mode rounds half to even.
      {"round", [](const Variable &x) { return T::round(x); },
       [](double x) { return std::nearbyint(x); }, {-5, 5, false, false, true}, {-10, 10}, false},
      {"erf", [](const Variable &x) { return T::erf(x); }, [](double x) { return std::erf(x); },
       {-3, 3}, {-3, 3}, false},
      {"erfc", [](const Variable &x) { return T::erfc(x); },
       [](double x) { return std::erfc(x); }, {-3, 9}, {-3, 9}, false},
      // Integers in [-1, 1] (of which +-1 give +-inf); the reference
      // inverts std::erf by bisection.
      {"erfinv", [](const Variable &x) { return T::erfinv(x); }, ErfinvByBisection,
       {-0.999, 0.999}, {-1, 1}, false},
      {"expm1", [](const Variable &x) { return T::expm1(x); },
       [](double x) { return std::expm1(x); }, {-1e-3, 1e-3}, {-5, 5}, false},
      {"exp2", [](const Variable &x) { return T::exp2(x); },
       [](double x) { return std::exp2(x); }, {-20, 20}, {-20, 20}, false},
      {"log2", [](const Variable &x) { return T::log2(x); },
       [](double x) { return std::log2(x); }, {1e-6, 1e6}, {1, 100}, false},
      {"log10", [](const Variable &x) { return T::log10(x); },
       [](double x) { return std::log10(x); }, {1e-6, 1e6}, {1, 100}, false},
  };
  return ops;
}

struct UnaryParam {
  const UnaryOp *op;
  DType dtype;
};

std::vector<UnaryParam> UnaryParams() {
  std::vector<UnaryParam> out;
  for (const UnaryOp &op : UnaryOps()) {
    std::vector<DType> dtypes = {DType::Float32, DType::Float64, DType::Int32};
    // Ints keep their dtype (neg/abs/sgn) or go to float32 (int8) / float64.
    dtypes.push_back(op.keeps_int ? DType::Int64 : DType::Int8);
    for (DType d : dtypes)
      out.push_back({&op, d});
  }
  return out;
}

void PrintTo(const UnaryParam &p, std::ostream *os) {
  *os << p.op->name << " " << theon::dtype_name(p.dtype);
}

class Unary : public ::testing::TestWithParam<UnaryParam> {};

TEST_P(Unary, MatchesReferenceOnEveryShape) {
  const UnaryOp &op = *GetParam().op;
  DType dtype = GetParam().dtype;
  bool is_int = !theon::is_float(dtype);
  DType out_dtype = op.keeps_int ? dtype : theon::upgrade_to_float(dtype);
  std::mt19937 rng(1234);

  // Rank 0, a size-1 vector, a matrix, a size-1 middle dim and an empty dim:
  // all in one function, one compilation.
  std::vector<Shape> shapes = {{}, {1}, {4, 7}, {2, 1, 3}, {0, 5}};
  std::vector<Variable> inputs, outputs;
  std::vector<Array> args;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    auto x = Input(dtype, static_cast<int>(shapes[i].size()), "x" + std::to_string(i));
    inputs.push_back(x);
    Variable y = op.build(x);
    ASSERT_EQ(y.dtype(), out_dtype) << op.name << " of " << x.type_string();
    ASSERT_EQ(y.ndim(), x.ndim());
    outputs.push_back(y);
    args.push_back(Random(shapes[i], dtype, rng, is_int ? op.int_domain : op.float_domain));
  }
  auto f = theon::function(inputs, outputs);
  auto out = f(std::vector<theon::Argument>(args.begin(), args.end()));
  ASSERT_EQ(out.size(), shapes.size());
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    std::vector<double> expected;
    for (double x : Values(args[i]))
      expected.push_back(op.ref(x));
    EXPECT_TRUE(ArrayNear(out[i], out_dtype, shapes[i], expected, ElementwiseTol(out_dtype)))
        << op.name << " on shape " << theon::shape_to_string(shapes[i]);
  }
  // Same shapes again: no recompilation, same results.
  auto again = f(std::vector<theon::Argument>(args.begin(), args.end()));
  EXPECT_EQ(f.num_compiled(), 1u);
  EXPECT_TRUE(theon::array_equal(again[2], out[2]));
}

INSTANTIATE_TEST_SUITE_P(AllOps, Unary, ::testing::ValuesIn(UnaryParams()),
                         [](const ::testing::TestParamInfo<UnaryParam> &info) {
                           return std::string(info.param.op->name) + "_" +
                                  DTypeTestName(info.param.dtype);
                         });

TEST(UnarySpecial, NonFiniteAndTies) {
  // Values the random inputs do not reach: ties of round, signed zeros, NaN,
  // infinities and arguments outside the domain.
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> xs = {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, -0.0, 0.0,
                            inf,  -inf, nan,  -1,  100, -100, 1e-300};
  for (DType dtype : {DType::Float32, DType::Float64}) {
    SCOPED_TRACE(theon::dtype_name(dtype));
    auto x = Input(dtype, 1, "x");
    std::vector<Variable> outs;
    std::vector<double (*)(double)> refs;
    for (const UnaryOp &op : UnaryOps()) {
      outs.push_back(op.build(x));
      refs.push_back(op.ref);
    }
    auto f = theon::function({x}, outs);
    Array xa = FromDoubles(xs, {static_cast<std::int64_t>(xs.size())}, dtype);
    auto out = f(xa);
    for (std::size_t k = 0; k < outs.size(); ++k) {
      std::vector<double> expected;
      for (double v : Values(xa)) {
        double r = refs[k](v);
        if (dtype == DType::Float32)
          r = static_cast<float>(r); // overflow and underflow as in float32
        expected.push_back(r);
      }
      EXPECT_TRUE(ArrayNear(out[k], dtype, xa.shape(), expected, ElementwiseTol(dtype)))
          << UnaryOps()[k].name;
    }
  }
}

TEST(UnarySpecial, RoundIsHalfToEven) {
  auto x = T::dvector("x");
  auto f = theon::function({x}, {T::round(x)});
  auto out = f(Array::from_vector(std::vector<double>{0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999,
                                                      2.5001}))[0];
  EXPECT_EQ(out.to_vector<double>(), (std::vector<double>{0, 2, 2, -0.0, -2, -2, 2, 3}));
}

// ---------------------------------------------------------------------------
// Binary ops and comparisons
// ---------------------------------------------------------------------------

enum class BinaryKind { Arith, Div, Pow, Compare };

struct BinaryOp {
  const char *name;
  Variable (*build)(const Variable &, const Variable &);
  double (*ref)(double, double);
  BinaryKind kind;
  Domain domain; // for every operand (both roles)
};

#define THEON_BINARY(fn) [](const Variable &a, const Variable &b) { return T::fn(a, b); }
const std::vector<BinaryOp> &BinaryOps() {
  static const Domain arith{-50, 50};
  static const Domain divisor{-4, 4, false, true};
  static const Domain positive{0.5, 2.5};
  static const Domain ties{-2, 2, true}; // small integers: equal values are common
  static const std::vector<BinaryOp> ops = {
      {"add", THEON_BINARY(add), [](double a, double b) { return a + b; }, BinaryKind::Arith, arith},
      {"sub", THEON_BINARY(sub), [](double a, double b) { return a - b; }, BinaryKind::Arith, arith},
      {"mul", THEON_BINARY(mul), [](double a, double b) { return a * b; }, BinaryKind::Arith, arith},
      {"true_div", THEON_BINARY(true_div), [](double a, double b) { return a / b; },
       BinaryKind::Div, divisor},
      {"pow", THEON_BINARY(pow), [](double a, double b) { return std::pow(a, b); },
       BinaryKind::Pow, positive},
      {"maximum", THEON_BINARY(maximum), [](double a, double b) { return std::max(a, b); },
       BinaryKind::Arith, ties},
      {"minimum", THEON_BINARY(minimum), [](double a, double b) { return std::min(a, b); },
       BinaryKind::Arith, ties},
      {"eq", THEON_BINARY(eq), [](double a, double b) { return double(a == b); },
       BinaryKind::Compare, ties},
      {"neq", THEON_BINARY(neq), [](double a, double b) { return double(a != b); },
       BinaryKind::Compare, ties},
      {"lt", THEON_BINARY(lt), [](double a, double b) { return double(a < b); },
       BinaryKind::Compare, ties},
      {"le", THEON_BINARY(le), [](double a, double b) { return double(a <= b); },
       BinaryKind::Compare, ties},
      {"gt", THEON_BINARY(gt), [](double a, double b) { return double(a > b); },
       BinaryKind::Compare, ties},
      {"ge", THEON_BINARY(ge), [](double a, double b) { return double(a >= b); },
       BinaryKind::Compare, ties},
  };
  return ops;
}
#undef THEON_BINARY

DType BinaryResultType(BinaryKind kind, DType operands) {
  switch (kind) {
  case BinaryKind::Arith: return operands;
  case BinaryKind::Div: return theon::is_float(operands) ? operands : theon::config().floatX;
  case BinaryKind::Pow: return theon::upgrade_to_float(operands);
  case BinaryKind::Compare: return DType::Bool;
  }
  return operands;
}

/// Reference for op(a, b) with broadcasting. `compute` is the dtype the op
/// computes in: results of float32 ops are rounded to float32 per element.
std::vector<double> BinaryRef(const Array &a, const Array &b, double (*ref)(double, double),
                              DType compute) {
  Shape shape = BroadcastShape(a.shape(), b.shape());
  std::vector<double> out;
  for (std::int64_t i = 0; i < NumElements(shape); ++i) {
    auto idx = Unravel(i, shape);
    double x = a.get_flat(BroadcastFlat(idx, a.shape()));
    double y = b.get_flat(BroadcastFlat(idx, b.shape()));
    if (compute == DType::Float32) {
      x = static_cast<float>(x);
      y = static_cast<float>(y);
    }
    out.push_back(ref(x, y));
  }
  return out;
}

struct BinaryParam {
  const BinaryOp *op;
  DType dtype;
};

std::vector<BinaryParam> BinaryParams() {
  std::vector<BinaryParam> out;
  for (const BinaryOp &op : BinaryOps())
    for (DType d : {DType::Float32, DType::Float64, DType::Int32, DType::Int64})
      out.push_back({&op, d});
  return out;
}

void PrintTo(const BinaryParam &p, std::ostream *os) {
  *os << p.op->name << " " << theon::dtype_name(p.dtype);
}

class Binary : public ::testing::TestWithParam<BinaryParam> {};

TEST_P(Binary, MatchesReferenceWithBroadcasting) {
  const BinaryOp &op = *GetParam().op;
  DType dtype = GetParam().dtype;
  DType out_dtype = BinaryResultType(op.kind, dtype);
  std::mt19937 rng(99);

  auto a = Input(dtype, 2, "a"), b = Input(dtype, 2, "b");   // (3,1) and (1,4)
  auto v = Input(dtype, 1, "v"), m = Input(dtype, 2, "m");   // (4,) and (3,4)
  auto s = Input(dtype, 0, "s"), t = Input(dtype, 3, "t");   // () and (2,3,4)
  auto e = Input(dtype, 2, "e");                              // (0,4)
  std::vector<std::pair<Variable, Variable>> pairs = {
      {a, b}, {b, a}, {v, m}, {m, v}, {s, t}, {t, s}, {m, t}, {e, v}, {s, s}, {m, m}};
  std::vector<Variable> outputs;
  for (auto &[x, y] : pairs) {
    outputs.push_back(op.build(x, y));
    ASSERT_EQ(outputs.back().dtype(), out_dtype) << op.name;
    ASSERT_EQ(outputs.back().ndim(), std::max(x.ndim(), y.ndim()));
  }
  auto f = theon::function({a, b, v, m, s, t, e}, outputs);

  std::vector<Variable> ins = {a, b, v, m, s, t, e};
  std::vector<Shape> shapes = {{3, 1}, {1, 4}, {4}, {3, 4}, {}, {2, 3, 4}, {0, 4}};
  std::vector<Array> args;
  for (const Shape &shape : shapes)
    args.push_back(Random(shape, dtype, rng, op.domain));
  auto out = f(std::vector<theon::Argument>(args.begin(), args.end()));
  ASSERT_EQ(out.size(), pairs.size());

  auto arg_of = [&](const Variable &x) -> const Array & {
    for (std::size_t i = 0; i < ins.size(); ++i)
      if (ins[i].same(x))
        return args[i];
    throw std::logic_error("test bug");
  };
  DType compute = op.kind == BinaryKind::Compare ? dtype : out_dtype;
  Tol tol = ElementwiseTol(out_dtype);
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const Array &x = arg_of(pairs[k].first), &y = arg_of(pairs[k].second);
    EXPECT_TRUE(ArrayNear(out[k], out_dtype, BroadcastShape(x.shape(), y.shape()),
                          BinaryRef(x, y, op.ref, compute), tol))
        << op.name << "(" << pairs[k].first.name() << " " << theon::shape_to_string(x.shape())
        << ", " << pairs[k].second.name() << " " << theon::shape_to_string(y.shape()) << ")";
  }
}

INSTANTIATE_TEST_SUITE_P(AllOps, Binary, ::testing::ValuesIn(BinaryParams()),
                         [](const ::testing::TestParamInfo<BinaryParam> &info) {
                           return std::string(info.param.op->name) + "_" +
                                  DTypeTestName(info.param.dtype);
                         });

TEST(BinarySpecial, NaNAndInfinities) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> xs = {nan, 1, nan, inf, -inf, 0, -0.0, 2};
  std::vector<double> ys = {1, nan, nan, inf, inf, 0, 0.0, -inf};
  auto x = T::dvector("x"), y = T::dvector("y");
  std::vector<Variable> outs;
  for (const BinaryOp &op : BinaryOps())
    outs.push_back(op.build(x, y));
  auto f = theon::function({x, y}, outs);
  Array xa = Array::from_vector(xs), ya = Array::from_vector(ys);
  auto out = f(xa, ya);
  for (std::size_t k = 0; k < outs.size(); ++k) {
    const BinaryOp &op = BinaryOps()[k];
    std::vector<double> expected;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      double r = op.ref(xs[i], ys[i]);
      // NumPy's maximum/minimum propagate NaN (std::max does not).
      if ((std::string(op.name) == "maximum" || std::string(op.name) == "minimum") &&
          (std::isnan(xs[i]) || std::isnan(ys[i])))
        r = nan;
      expected.push_back(r);
    }
    DType dt = outs[k].dtype();
    EXPECT_TRUE(ArrayNear(out[k], dt, {8}, expected, ElementwiseTol(dt))) << op.name;
  }
}

TEST(BinarySpecial, BoolOperands) {
  // Comparisons of bools compare false < true; arithmetic on bools is int8.
  auto p = T::tensor(DType::Bool, {false}, "p"), q = T::tensor(DType::Bool, {false}, "q");
  auto sum = p + q;
  EXPECT_EQ(sum.dtype(), DType::Int8);
  auto f = theon::function({p, q}, {T::lt(p, q), T::ge(p, q), T::eq(p, q), sum, T::maximum(p, q)});
  Array pa = Array::from_vector(std::vector<bool>{false, false, true, true});
  Array qa = Array::from_vector(std::vector<bool>{false, true, false, true});
  auto out = f(pa, qa);
  EXPECT_TRUE(ArrayNear(out[0], DType::Bool, {4}, {0, 1, 0, 0}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Bool, {4}, {1, 0, 1, 1}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Bool, {4}, {1, 0, 0, 1}));
  EXPECT_TRUE(ArrayNear(out[3], DType::Int8, {4}, {0, 1, 1, 2}));
  EXPECT_TRUE(ArrayNear(out[4], DType::Int8, {4}, {0, 1, 1, 1}));
}

// ---------------------------------------------------------------------------
// Mixed dtypes and C++ numbers
// ---------------------------------------------------------------------------

TEST(DTypeRules, UpcastingOnVariableDtype) {
  auto b = T::bvector("b");
  auto i = T::ivector("i");
  auto l = T::lvector("l");
  auto f = T::fvector("f");
  auto d = T::dvector("d");
  auto flag = T::tensor(DType::Bool, {false}, "flag");
  auto s16 = T::tensor(DType::Int16, {false}, "s16");

  EXPECT_EQ((b + f).dtype(), DType::Float32);  // int8 + float32
  EXPECT_EQ((s16 * f).dtype(), DType::Float32); // int16 fits float32
  EXPECT_EQ((i * f).dtype(), DType::Float64);  // int32 * float32
  EXPECT_EQ((l - f).dtype(), DType::Float64);
  EXPECT_EQ((f + d).dtype(), DType::Float64);
  EXPECT_EQ((b + i).dtype(), DType::Int32);
  EXPECT_EQ((i + l).dtype(), DType::Int64);
  EXPECT_EQ((flag + b).dtype(), DType::Int8);
  EXPECT_EQ((flag + flag).dtype(), DType::Int8);

  EXPECT_EQ((b / b).dtype(), theon::config().floatX); // int / int -> floatX
  EXPECT_EQ((i / i).dtype(), theon::config().floatX);
  EXPECT_EQ((l / b).dtype(), theon::config().floatX);
  EXPECT_EQ((f / f).dtype(), DType::Float32);
  EXPECT_EQ((i / f).dtype(), DType::Float64);

  EXPECT_EQ(T::sum(i).dtype(), DType::Int64);
  EXPECT_EQ(T::sum(b, 0).dtype(), DType::Int64);
  EXPECT_EQ(T::prod(i).dtype(), DType::Int64);
  EXPECT_EQ(T::sum(f).dtype(), DType::Float32);
  EXPECT_EQ(T::mean(i).dtype(), DType::Float64);
  EXPECT_EQ(T::mean(b).dtype(), DType::Float64);
  EXPECT_EQ(T::mean(f).dtype(), DType::Float32);
  EXPECT_EQ(T::max(i).dtype(), DType::Int32);
  EXPECT_EQ(T::argmax(f, 0).dtype(), DType::Int64);

  EXPECT_EQ(T::exp(i).dtype(), DType::Float64);
  EXPECT_EQ(T::exp(l).dtype(), DType::Float64);
  EXPECT_EQ(T::exp(b).dtype(), DType::Float32);
  EXPECT_EQ(T::exp(s16).dtype(), DType::Float32);
  EXPECT_EQ(T::exp(flag).dtype(), DType::Float32);
  EXPECT_EQ(T::sqrt(f).dtype(), DType::Float32);
  EXPECT_EQ(T::neg(i).dtype(), DType::Int32);
  EXPECT_EQ(T::abs(b).dtype(), DType::Int8);
  EXPECT_EQ(T::pow(i, i).dtype(), DType::Float64);
  EXPECT_EQ(T::pow(b, b).dtype(), DType::Float32);
  EXPECT_EQ(T::pow(f, i).dtype(), DType::Float64);

  for (auto cmp : {T::eq(i, f), T::neq(b, d), T::lt(f, f), T::le(i, l), T::gt(d, 0.5),
                   T::ge(flag, flag), i < f, f >= 1})
    EXPECT_EQ(cmp.dtype(), DType::Bool);

  EXPECT_EQ(T::switch_(f > 0, i, f).dtype(), DType::Float64);
  EXPECT_EQ(T::switch_(i, f, f).dtype(), DType::Float32);
  EXPECT_EQ(T::dot(i, f).dtype(), DType::Float64);
}

TEST(DTypeRules, CxxNumbers) {
  auto x = T::fvector("x");
  auto d = T::dvector("d");
  auto i = T::ivector("i");
  auto b = T::bvector("b");
  EXPECT_EQ((x * 2).dtype(), DType::Float32);
  EXPECT_EQ((2 * x).dtype(), DType::Float32);
  EXPECT_EQ((x + 0.5).dtype(), DType::Float32);
  EXPECT_EQ((x + 0.5f).dtype(), DType::Float32);
  // Weak scalars: a number takes the float dtype it meets, however large
  // (Theano made 100000 an int32 constant and the product float64).
  EXPECT_EQ((x * 100000).dtype(), DType::Float32);
  EXPECT_EQ((d + 0.5).dtype(), DType::Float64);
  EXPECT_EQ((i * 2).dtype(), DType::Int32);
  EXPECT_EQ((i + 0.5).dtype(), DType::Float64);
  EXPECT_EQ((b + 1).dtype(), DType::Int8);
  EXPECT_EQ((b + 300).dtype(), DType::Int16);
  EXPECT_EQ((b + 70000).dtype(), DType::Int32);
  EXPECT_EQ((b + 5000000000LL).dtype(), DType::Int64);
  EXPECT_EQ((i / 2).dtype(), theon::config().floatX);
  EXPECT_EQ(T::as_tensor(true).dtype(), DType::Bool);
  EXPECT_EQ(T::as_tensor(3.0).ndim(), 0);

  auto f = theon::function({x, i, b},
                           {x * 2, x + 0.5, 1 - x, 3.0 / (x + 10), i * 2, i + 0.5, b + 300,
                            T::maximum(x, 0), x > 0.25});
  std::mt19937 rng(7);
  Array xa = Random({6}, DType::Float32, rng, -2, 2);
  Array ia = Random({6}, DType::Int32, rng, -1000, 1000);
  Array ba = Random({6}, DType::Int8, rng, -128, 127);
  auto out = f(xa, ia, ba);
  std::vector<std::vector<double>> expected(9);
  for (std::int64_t k = 0; k < 6; ++k) {
    float xv = static_cast<float>(xa.get_flat(k));
    double iv = ia.get_flat(k), bv = ba.get_flat(k);
    expected[0].push_back(xv * 2.0f);
    expected[1].push_back(xv + 0.5f);
    expected[2].push_back(1.0f - xv);
    expected[3].push_back(3.0f / (xv + 10.0f));
    expected[4].push_back(iv * 2);
    expected[5].push_back(iv + 0.5);
    expected[6].push_back(bv + 300);
    expected[7].push_back(std::max(xv, 0.0f));
    expected[8].push_back(xv > 0.25f);
  }
  DType types[] = {DType::Float32, DType::Float32, DType::Float32, DType::Float32, DType::Int32,
                   DType::Float64, DType::Int16,   DType::Float32, DType::Bool};
  for (std::size_t k = 0; k < 9; ++k)
    EXPECT_TRUE(ArrayNear(out[k], types[k], {6}, expected[k], ElementwiseTol(types[k])))
        << "output " << k;
}

TEST(DTypeRules, MixedDtypesComputeInThePromotedType) {
  auto b = T::bvector("b");
  auto i = T::ivector("i");
  auto f = T::fvector("f");
  auto fn = theon::function({b, i, f}, {b + f, i * f, i / b, b / b, T::exp(i), T::exp(b),
                                        T::mean(i), T::sum(i)});
  std::mt19937 rng(3);
  Domain nz{-20, 20, false, true};
  Array ba = Random({5}, DType::Int8, rng, nz);
  Array ia = Random({5}, DType::Int32, rng, -8, 8);
  Array fa = Random({5}, DType::Float32, rng, -3, 3);
  auto out = fn(ba, ia, fa);
  std::vector<double> e0, e1, e2, e3, e4, e5;
  double sum = 0;
  for (std::int64_t k = 0; k < 5; ++k) {
    double bv = ba.get_flat(k), iv = ia.get_flat(k);
    float fv = static_cast<float>(fa.get_flat(k));
    e0.push_back(static_cast<float>(bv) + fv);
    e1.push_back(iv * static_cast<double>(fv));
    e2.push_back(static_cast<float>(iv) / static_cast<float>(bv));
    e3.push_back(1.0);
    e4.push_back(std::exp(iv));
    e5.push_back(std::exp(bv));
    sum += iv;
  }
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {5}, e0, ElementwiseTol(DType::Float32)));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float64, {5}, e1, ElementwiseTol(DType::Float64)));
  EXPECT_TRUE(ArrayNear(out[2], DType::Float32, {5}, e2, ElementwiseTol(DType::Float32)));
  EXPECT_TRUE(ArrayNear(out[3], DType::Float32, {5}, e3, ElementwiseTol(DType::Float32)));
  EXPECT_TRUE(ArrayNear(out[4], DType::Float64, {5}, e4, ElementwiseTol(DType::Float64)));
  {
    // exp of int8 computes in float32.
    std::vector<double> e;
    for (double v : e5)
      e.push_back(static_cast<float>(v));
    EXPECT_TRUE(ArrayNear(out[5], DType::Float32, {5}, e, ElementwiseTol(DType::Float32)));
  }
  EXPECT_TRUE(ArrayNear(out[6], DType::Float64, {}, {sum / 5}));
  EXPECT_TRUE(ArrayNear(out[7], DType::Int64, {}, {sum}));
}

// ---------------------------------------------------------------------------
// switch_ and cast
// ---------------------------------------------------------------------------

TEST(Switch, BoolFloatAndIntConditionsWithBroadcasting) {
  auto c = T::col("c");       // (3,1), floatX
  auto a = T::fmatrix("a");   // (1,4)
  auto b = T::fscalar("b");   // ()
  auto ci = T::ivector("ci"); // (4,)
  auto ai = T::imatrix("ai"); // (3,4)
  auto sel_bool = T::switch_(c > 0, a, b);
  auto sel_float = T::switch_(c, a, b);
  auto sel_int = T::where(ci, ai, a);
  EXPECT_EQ(sel_bool.dtype(), DType::Float32);
  EXPECT_EQ(sel_int.dtype(), DType::Float64);
  EXPECT_EQ(sel_bool.broadcastable(), (std::vector<bool>{false, false}));
  auto f = theon::function({c, a, b, ci, ai}, {sel_bool, sel_float, sel_int});

  std::mt19937 rng(5);
  Array ca = Random({3, 1}, DType::Float32, rng, Domain{-1, 1, true});
  Array aa = Random({1, 4}, DType::Float32, rng, -5, 5);
  Array ba = Array::scalar<float>(42.5f);
  Array cia = Random({4}, DType::Int32, rng, -1, 1);
  Array aia = Random({3, 4}, DType::Int32, rng, -100, 100);
  auto out = f(ca, aa, ba, cia, aia);
  std::vector<double> e0, e1, e2;
  for (std::int64_t r = 0; r < 3; ++r)
    for (std::int64_t k = 0; k < 4; ++k) {
      double cv = ca.get_flat(r), av = aa.get_flat(k);
      e0.push_back(cv > 0 ? av : 42.5);
      e1.push_back(cv != 0 ? av : 42.5);
      e2.push_back(cia.get_flat(k) != 0 ? aia.get_flat(r * 4 + k) : av);
    }
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {3, 4}, e0));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float32, {3, 4}, e1));
  EXPECT_TRUE(ArrayNear(out[2], DType::Float64, {3, 4}, e2));
}

TEST(Cast, EveryDirectionMatchesStaticCast) {
  auto x = T::fvector("x");
  auto i = T::ivector("i");
  auto d = T::dvector("d");
  std::vector<std::pair<Variable, DType>> casts = {
      {x, DType::Int32}, {x, DType::Int64}, {x, DType::Int8},    {x, DType::Bool},
      {x, DType::Float64}, {i, DType::Float32}, {i, DType::Float64}, {i, DType::Int8},
      {i, DType::Int64}, {i, DType::Bool},    {d, DType::Float32}, {d, DType::Int16}};
  std::vector<Variable> outs;
  for (auto &[v, t] : casts) {
    outs.push_back(T::cast(v, t));
    EXPECT_EQ(outs.back().dtype(), t);
  }
  outs.push_back(x.astype(DType::Int32)); // the method form
  outs.push_back(T::cast(x > 0, DType::Float32));
  outs.push_back((x > 0).astype(DType::Int32));
  EXPECT_TRUE(x.astype(DType::Float32).same(x)); // a cast to the same dtype is a no-op
  auto f = theon::function({x, i, d}, outs);

  std::mt19937 rng(11);
  Array xa = Random({9}, DType::Float32, rng, Domain{-100, 100, false, false, true});
  xa.data<float>()[0] = 0.0f;
  xa.data<float>()[1] = -0.75f; // truncates toward zero: 0
  Array ia = Random({9}, DType::Int32, rng, -120, 120);
  ia.data<std::int32_t>()[0] = 0;
  Array da = Random({9}, DType::Float64, rng, -30000, 30000);
  auto out = f(xa, ia, da);
  auto conv = [](double v, DType t) -> double {
    switch (t) {
    case DType::Bool: return v != 0;
    case DType::Int8: return static_cast<std::int8_t>(v);
    case DType::Int16: return static_cast<std::int16_t>(v);
    case DType::Int32: return static_cast<std::int32_t>(v);
    case DType::Int64: return static_cast<double>(static_cast<std::int64_t>(v));
    case DType::Float32: return static_cast<float>(v);
    case DType::Float64: return v;
    }
    return 0;
  };
  auto check = [&](std::size_t k, const Array &in, DType t) {
    std::vector<double> expected;
    for (double v : Values(in))
      expected.push_back(conv(v, t));
    EXPECT_TRUE(ArrayNear(out[k], t, {9}, expected, Tol{0, 0}))
        << "cast " << k << " to " << theon::dtype_name(t);
  };
  for (std::size_t k = 0; k < casts.size(); ++k)
    check(k, casts[k].first.same(x) ? xa : casts[k].first.same(i) ? ia : da, casts[k].second);
  check(casts.size(), xa, DType::Int32);
  std::vector<double> positive;
  for (double v : Values(xa))
    positive.push_back(v > 0);
  EXPECT_TRUE(ArrayNear(out[casts.size() + 1], DType::Float32, {9}, positive));
  EXPECT_TRUE(ArrayNear(out[casts.size() + 2], DType::Int32, {9}, positive));
}

TEST(Cast, FloatToBoolTreatsNaNAsTrue) {
  auto x = T::dvector("x");
  auto f = theon::function({x}, {T::cast(x, DType::Bool)});
  auto out = f(Array::from_vector(
      std::vector<double>{0.0, -0.0, std::numeric_limits<double>::quiet_NaN(), 1e-300, -2}))[0];
  EXPECT_TRUE(ArrayNear(out, DType::Bool, {5}, {0, 0, 1, 1, 1}));
}

// ---------------------------------------------------------------------------
// Composite expressions
// ---------------------------------------------------------------------------

TEST(Elementwise, FusedExpressionOnTensor3WithScalar) {
  auto s = T::dscalar("s");
  auto t = T::dtensor3("t");
  auto y = T::tanh(s * t + 1) - T::sqr(t) / (T::exp(-t) + s * s);
  auto f = theon::function({s, t}, {y});
  std::mt19937 rng(17);
  Array sa = Array::scalar<double>(0.75);
  Array ta = Random({2, 3, 5}, DType::Float64, rng, -2, 2);
  auto out = f(sa, ta)[0];
  std::vector<double> expected;
  for (double tv : Values(ta))
    expected.push_back(std::tanh(0.75 * tv + 1) - tv * tv / (std::exp(-tv) + 0.75 * 0.75));
  EXPECT_TRUE(ArrayNear(out, DType::Float64, {2, 3, 5}, expected, Tol{1e-12, 1e-12}));
}


TEST(Elementwise, LargeOddShapesEveryOp) {
  // Sizes that are not multiples of any vector width: vectorized loops and
  // their remainders must agree with the reference.
  std::mt19937 rng(23);
  for (DType dtype : {DType::Float32, DType::Float64}) {
    SCOPED_TRACE(theon::dtype_name(dtype));
    auto x = Input(dtype, 2, "x");
    auto c = Input(dtype, 2, "c"); // (37, 1)
    auto r = Input(dtype, 1, "r"); // (129,)
    std::vector<Variable> outs;
    for (const UnaryOp &op : UnaryOps())
      outs.push_back(op.build(x));
    for (const BinaryOp &op : BinaryOps())
      outs.push_back(op.build(c, r));
    auto f = theon::function({x, c, r}, outs);
    Array xa = Random({37, 129}, dtype, rng, Domain{0.05, 4, false, false, true});
    Array ca = Random({37, 1}, dtype, rng, Domain{0.5, 2.5});
    Array ra = Random({129}, dtype, rng, Domain{0.5, 2.5});
    auto out = f(xa, ca, ra);
    std::size_t k = 0;
    for (const UnaryOp &op : UnaryOps()) {
      std::vector<double> expected;
      for (double v : Values(xa))
        expected.push_back(op.ref(v));
      EXPECT_TRUE(ArrayNear(out[k], dtype, {37, 129}, expected, ElementwiseTol(dtype))) << op.name;
      ++k;
    }
    for (const BinaryOp &op : BinaryOps()) {
      DType rt = BinaryResultType(op.kind, dtype);
      EXPECT_TRUE(ArrayNear(out[k], rt, {37, 129}, BinaryRef(ca, ra, op.ref, dtype),
                            ElementwiseTol(rt)))
          << op.name;
      ++k;
    }
  }
}

TEST(BinarySpecial, IntegerEdgeCases) {
  // int / int with zeros gives inf and NaN (in floatX); int8 arithmetic wraps
  // as NumPy's; comparisons of int32 with float32 happen in float64.
  auto a = T::ivector("a"), b = T::ivector("b");
  auto p = T::bvector("p"), q = T::bvector("q");
  auto g = T::fvector("g");
  auto f = theon::function({a, b, p, q, g}, {a / b, p + q, p * q, T::eq(a, g), T::lt(g, a)});
  auto out = f(Array::from_vector(std::vector<std::int32_t>{1, -1, 0, 7, 16777217}),
               Array::from_vector(std::vector<std::int32_t>{0, 0, 0, 2, 1}),
               Array::from_vector(std::vector<std::int8_t>{100, -100, 127, 16, -1}),
               Array::from_vector(std::vector<std::int8_t>{100, -100, 1, 16, -1}),
               Array::from_vector(std::vector<float>{1, -1, 0, 7, 16777216.0f}));
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {5},
                        {inf, -inf, std::numeric_limits<double>::quiet_NaN(), 3.5, 16777217.0f}));
  std::vector<double> sum, prod;
  for (auto [x, y] : std::vector<std::pair<int, int>>{{100, 100}, {-100, -100}, {127, 1}, {16, 16},
                                                      {-1, -1}}) {
    sum.push_back(static_cast<std::int8_t>(x + y));
    prod.push_back(static_cast<std::int8_t>(x * y));
  }
  EXPECT_TRUE(ArrayNear(out[1], DType::Int8, {5}, sum));
  EXPECT_TRUE(ArrayNear(out[2], DType::Int8, {5}, prod));
  EXPECT_TRUE(ArrayNear(out[3], DType::Bool, {5}, {1, 1, 1, 1, 0}));
  EXPECT_TRUE(ArrayNear(out[4], DType::Bool, {5}, {0, 0, 0, 0, 1}));
}

} // namespace

// x / sqrt(y) in float32 runs on the CPU's reciprocal square root estimate
// (theon-math-approximation): a few ulp from the exact quotient, and exact
// special cases where the estimate alone is wrong (0, subnormals, infinity).
TEST(DivideBySqrt, SpecialValuesMatchTheExactQuotient) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float tiny = std::numeric_limits<float>::denorm_min();
  const float smallest = std::numeric_limits<float>::min();
  std::vector<float> ys = {0.0f, -0.0f, tiny, 3 * tiny, 1e-40f, smallest / 2, smallest,
                           1.0f, 4.0f, 1e30f, std::numeric_limits<float>::max(), inf,
                           -1.0f, -inf, nan, -tiny};
  std::vector<float> xs = {1.0f, -2.0f, 0.0f, inf, -inf, nan};
  std::vector<float> xv, yv;
  for (float x : xs)
    for (float y : ys) {
      xv.push_back(x);
      yv.push_back(y);
    }
  auto x = T::fvector("x"), y = T::fvector("y");
  auto f = theon::function({x, y}, {x / T::sqrt(y)});
  const Shape shape{static_cast<std::int64_t>(xv.size())};
  ASSERT_NE(f.ir("llvm", {shape, shape}).find("fastmath<arcp, afn>"), std::string::npos)
      << "x / sqrt(y) no longer takes the rsqrt path this test is for";
  Array out = f(Array::from_vector(xv), Array::from_vector(yv))[0];
  const float *got = out.data<float>();
  for (std::size_t i = 0; i < xv.size(); ++i) {
    float want = xv[i] / std::sqrt(yv[i]);
    SCOPED_TRACE("x = " + std::to_string(xv[i]) + ", y = " + std::to_string(yv[i]));
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(got[i])) << got[i];
    } else if (std::isinf(want) || want == 0) {
      EXPECT_EQ(got[i], want);
      EXPECT_EQ(std::signbit(got[i]), std::signbit(want));
    } else {
      EXPECT_NEAR(got[i], want, 5e-7 * std::fabs(want));
    }
  }
}

TEST(DivideBySqrt, RelativeErrorOverManyMagnitudes) {
  // Odd length: vector body and scalar remainder both run.
  const std::int64_t n = 100003;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> exponent(-140.0f, 120.0f), mantissa(1.0f, 2.0f);
  std::vector<float> xv(n), yv(n);
  for (std::int64_t i = 0; i < n; ++i) {
    xv[i] = mantissa(rng) - 1.5f;
    yv[i] = mantissa(rng) * std::exp2(std::floor(exponent(rng)));
  }
  auto x = T::fvector("x"), y = T::fvector("y");
  auto f = theon::function({x, y}, {x / T::sqrt(y)});
  Array out = f(Array::from_vector(xv), Array::from_vector(yv))[0];
  double worst = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    double exact = static_cast<double>(xv[i]) / std::sqrt(static_cast<double>(yv[i]));
    if (exact != 0)
      worst = std::max(worst, std::fabs(out.data<float>()[i] - exact) / std::fabs(exact));
  }
  // Exactly rounded would be 6e-8; the estimate plus one Newton step stays
  // within a few ulp.
  EXPECT_LT(worst, 5e-7);
  RecordProperty("max_relative_error", std::to_string(worst));
  std::printf("x / sqrt(y), float32: max relative error %.3g\n", worst);
}

// Functions of constants fold at compile time (in double, then rounded), up
// to 65536 elements; bigger constants are computed at run time. Both give
// the reference values.
TEST(ConstantFolding, ConstantsFoldUpToALimit) {
  for (std::int64_t n : {std::int64_t(5), std::int64_t(70000)}) {
    SCOPED_TRACE(n);
    std::vector<float> values(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
      values[static_cast<std::size_t>(i)] = static_cast<float>(i % 7) * 0.25f - 0.5f;
    auto c = T::constant(Array::from_vector(values));
    auto x = T::fvector("x");
    auto f = theon::function({x}, {x + T::exp(c) * T::tanh(c)});
    Array out = f(Array::zeros({n}))[0];
    std::string linalg = f.ir("linalg");
    bool folded = linalg.find("math.exp") == std::string::npos;
    EXPECT_EQ(folded, n <= 65536) << linalg.substr(0, 2000);
    for (std::int64_t i = 0; i < n; ++i) {
      double v = values[static_cast<std::size_t>(i)];
      EXPECT_NEAR(out.data<float>()[i], std::exp(v) * std::tanh(v), 1e-6) << i;
    }
  }
}

// expm1 exists for x near 0, where exp(x) - 1 cancels: f64 goes to libm's
// expm1 (theon-exact-math-to-libm; LLVM's lowering is exp(x) - 1), f32 to
// a polynomial that keeps the relative precision.
TEST(UnarySpecial, Expm1KeepsItsPrecisionNearZero) {
  std::vector<double> xs = {1e-10, -1e-12, 3e-8, 1e-300};
  auto d = T::dvector("d");
  auto f64 = theon::function({d}, {T::expm1(d)})(Array::from_vector(xs))[0].to_vector<double>();
  for (std::size_t i = 0; i < xs.size(); ++i)
    EXPECT_NEAR(f64[i], std::expm1(xs[i]), 1e-15 * std::abs(xs[i])) << xs[i];
  auto s = T::fvector("s");
  std::vector<float> xf = {1e-7f, -2e-6f, 1e-20f};
  auto f32 = theon::function({s}, {T::expm1(s)})(Array::from_vector(xf))[0].to_vector<float>();
  for (std::size_t i = 0; i < xf.size(); ++i)
    EXPECT_NEAR(f32[i], std::expm1(xf[i]), 1e-6 * std::abs(xf[i])) << xf[i];
}

// isnan, isinf and clip are compositions of existing ops
// (docs/op-reference.md): bool results, Theano's clip with its gradient.
TEST(Compositions, IsnanIsinfAndClip) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto x = T::dvector("x");
  auto f = theon::function({x}, {T::isnan(x), T::isinf(x), T::clip(x, -1, 2)});
  auto out = f(Array::from_vector(std::vector<double>{0.5, nan, inf, -inf, -3, 7, 2}));
  EXPECT_EQ(out[0].dtype(), DType::Bool);
  EXPECT_EQ(out[0].to_vector<bool>(), (std::vector<bool>{0, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(out[1].to_vector<bool>(), (std::vector<bool>{0, 0, 1, 1, 0, 0, 0}));
  std::vector<double> clipped = out[2].to_vector<double>();
  EXPECT_EQ(clipped[0], 0.5);
  EXPECT_TRUE(std::isnan(clipped[1])); // NaN compares false both ways: stays NaN
  EXPECT_EQ(clipped[2], 2);
  EXPECT_EQ(clipped[3], -1);
  EXPECT_EQ(clipped[4], -1);
  EXPECT_EQ(clipped[5], 2);
  EXPECT_EQ(clipped[6], 2);

  // Integers: never NaN or infinite; clip keeps the integer dtype.
  auto i = T::ivector("i");
  auto g = theon::function({i}, {T::isnan(i), T::isinf(i), T::clip(i, 0, 10)});
  auto gi = g(Array::from_vector(std::vector<std::int32_t>{-5, 3, 12}));
  EXPECT_EQ(gi[0].to_vector<bool>(), (std::vector<bool>{0, 0, 0}));
  EXPECT_EQ(gi[1].to_vector<bool>(), (std::vector<bool>{0, 0, 0}));
  EXPECT_TRUE(theon::is_integer(gi[2].dtype()));
  EXPECT_EQ(gi[2].astype(DType::Int64).to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{0, 3, 10}));

  // The gradient reaches x where lo <= x <= hi (boundaries included, as
  // Theano), and the bounds where they are taken.
  auto lo = T::dscalar("lo");
  auto cost = T::sum(T::clip(x, lo, 2.0));
  auto grads = theon::function({x, lo}, {theon::grad(cost, x), theon::grad(cost, lo)});
  auto gr = grads(Array::from_vector(std::vector<double>{-3, -1, 0.5, 2, 5}), Array::scalar(-1.0));
  EXPECT_EQ(gr[0].to_vector<double>(), (std::vector<double>{0, 1, 1, 1, 0}));
  EXPECT_EQ(gr[1].item<double>(), 1);
}

// C++ numbers next to a float tensor take its dtype (NumPy 2's weak
// scalars): x * 0.1 with x float64 multiplies by the double 0.1, where
// Theano's float32 literal gives 0.10000000149; float32 stays float32, and
// integer tensors keep Theano's rule.
TEST(Constants, NumbersTakeTheFloatDtypeTheyMeet) {
  auto d = T::dvector("d");
  auto f = theon::function({d}, {d * 0.1, 0.1 + d, T::maximum(d, 0.3), T::clip(d, 0.1, 0.7)});
  auto out = f(Array::from_vector(std::vector<double>{1, 3, 0.5}));
  EXPECT_EQ(out[0].dtype(), DType::Float64);
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{0.1, 3 * 0.1, 0.5 * 0.1}));
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{1.1, 3.1, 0.6}));
  EXPECT_EQ(out[2].to_vector<double>(), (std::vector<double>{1, 3, 0.5}));
  EXPECT_EQ(out[3].to_vector<double>(), (std::vector<double>{0.7, 0.7, 0.5}));
  auto f32 = T::fvector("f");
  EXPECT_EQ((f32 * 2).dtype(), DType::Float32);
  EXPECT_EQ((f32 * 0.1).dtype(), DType::Float32);
  EXPECT_EQ((2.5 * f32).dtype(), DType::Float32);
  auto b = T::bvector("b");
  EXPECT_EQ((b + 1000).dtype(), DType::Int16); // integers: the smallest int dtype
  EXPECT_EQ((T::ivector("i") * 0.5).dtype(), theon::promote_types(DType::Int32, theon::config().floatX));
}

// Python's // and %, bitwise ops (#12). Integer division by 0 and INT_MIN
// by -1 must not trap (x86's idiv would): 0, and the wrapped negation, as
// NumPy.
namespace {
std::int64_t PyFloorDiv(std::int64_t a, std::int64_t b) {
  if (b == 0)
    return 0;
  if (b == -1)
    return static_cast<std::int64_t>(0ULL - static_cast<std::uint64_t>(a));
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
std::int64_t PyMod(std::int64_t a, std::int64_t b) {
  if (b == 0 || b == -1)
    return 0;
  std::int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
double PyModF(double a, double b) {
  double r = std::fmod(a, b);
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
} // namespace

TEST(IntegerOps, FloorDivAndModFollowPython) {
  const std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  std::vector<std::int32_t> a = {7, -7, 7, -7, 6, 5, kMin, kMin, 0, -1};
  std::vector<std::int32_t> b = {2, 2, -2, -2, 3, 0, -1, 3, -4, 0};
  auto x = T::ivector("x"), y = T::ivector("y");
  auto f = theon::function({x, y}, {T::floor_div(x, y), x % y});
  auto out = f(Array::from_vector(a), Array::from_vector(b));
  EXPECT_EQ(out[0].dtype(), DType::Int32);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(out[0].get_flat_int(static_cast<std::int64_t>(i)),
              static_cast<std::int32_t>(PyFloorDiv(a[i], b[i]))) << a[i] << " // " << b[i];
    EXPECT_EQ(out[1].get_flat_int(static_cast<std::int64_t>(i)), PyMod(a[i], b[i]))
        << a[i] << " % " << b[i];
  }
  // Floats: floor(x / y) and a remainder with the divisor's sign; NaN for % 0.
  std::vector<double> fa = {7.5, -7.5, 7.5, -7.5, 1, 1, 0};
  std::vector<double> fb = {2, 2, -2, -2, 0, 3, 5};
  auto dx = T::dvector("dx"), dy = T::dvector("dy");
  auto g = theon::function({dx, dy}, {T::floor_div(dx, dy), T::mod(dx, dy)});
  auto fo = g(Array::from_vector(fa), Array::from_vector(fb));
  for (std::size_t i = 0; i < fa.size(); ++i) {
    EXPECT_EQ(fo[0].get_flat(static_cast<std::int64_t>(i)), std::floor(fa[i] / fb[i])) << i;
    double r = fo[1].get_flat(static_cast<std::int64_t>(i));
    if (fb[i] == 0)
      EXPECT_TRUE(std::isnan(r));
    else
      EXPECT_EQ(r, PyModF(fa[i], fb[i])) << fa[i] << " % " << fb[i];
  }
  // Constants fold the same way (the folder, not the loop).
  auto c = theon::function({}, {T::floor_div(T::as_tensor(-7), 2), T::mod(T::as_tensor(-7), 2),
                                T::floor_div(T::as_tensor(5), 0)});
  auto co = c();
  EXPECT_EQ(co[0].get_flat_int(0), -4);
  EXPECT_EQ(co[1].get_flat_int(0), 1);
  EXPECT_EQ(co[2].get_flat_int(0), 0);
}

TEST(IntegerOps, BitwiseOnIntegersAndBool) {
  auto x = T::ivector("x"), y = T::ivector("y");
  auto f = theon::function({x, y}, {x & y, x | y, x ^ y, ~x, x & 6});
  auto out = f(Array::from_vector(std::vector<std::int32_t>{12, -1, 0}),
               Array::from_vector(std::vector<std::int32_t>{10, 5, 7}));
  EXPECT_EQ(out[0].astype(DType::Int64).to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{8, 5, 0}));
  EXPECT_EQ(out[1].astype(DType::Int64).to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{14, -1, 7}));
  EXPECT_EQ(out[2].astype(DType::Int64).to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{6, -6, 7}));
  EXPECT_EQ(out[3].astype(DType::Int64).to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{-13, 0, -1}));
  EXPECT_EQ(out[4].astype(DType::Int64).to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{4, 6, 0}));
  auto p = T::tensor(DType::Bool, 1, "p"), q = T::tensor(DType::Bool, 1, "q");
  auto g = theon::function({p, q}, {p & q, p | q, p ^ q, ~p});
  auto bo = g(Array::from_vector(std::vector<bool>{false, false, true, true}),
              Array::from_vector(std::vector<bool>{false, true, false, true}));
  EXPECT_EQ(bo[0].dtype(), DType::Bool);
  EXPECT_EQ(bo[0].to_vector<bool>(), (std::vector<bool>{0, 0, 0, 1}));
  EXPECT_EQ(bo[1].to_vector<bool>(), (std::vector<bool>{0, 1, 1, 1}));
  EXPECT_EQ(bo[2].to_vector<bool>(), (std::vector<bool>{0, 1, 1, 0}));
  EXPECT_EQ(bo[3].to_vector<bool>(), (std::vector<bool>{1, 1, 0, 0}));
  auto v = T::fvector("v");
  EXPECT_THROW_MSG(v & x, theon::TypeError, "bitwise", "float32");
  EXPECT_THROW_MSG(~v, theon::TypeError, "invert", "float32");
}
