// dot, reductions, argmax/argmin and shape operations (reshape, flatten,
// dimshuffle, transpose, broadcast_to) against reference loops.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::Axis;
using theon::Dim;
using theon::DType;
using theon::Shape;
using theon::Variable;
using namespace theon_test;

namespace {

// ---------------------------------------------------------------------------
// dot
// ---------------------------------------------------------------------------


Shape DotShape(const Array &a, const Array &b) {
  Shape s;
  if (a.ndim() == 2)
    s.push_back(a.shape(0));
  if (b.ndim() == 2)
    s.push_back(b.shape(1));
  return s;
}

struct DotCase {
  Shape a, b;
};

class Dot : public ::testing::TestWithParam<DType> {};

TEST_P(Dot, AllRankCombinationsAndOddSizes) {
  DType dtype = GetParam();
  std::mt19937 rng(21);
  const std::vector<DotCase> cases = {
      {{5}, {5}},       {{1}, {1}},        {{3, 4}, {4}},      {{4}, {4, 6}},
      {{1, 1}, {1, 1}}, {{7, 13}, {13, 5}}, {{1, 13}, {13, 1}}, {{16, 1}, {1, 9}},
      {{33, 17}, {17, 65}}, {{3, 0}, {0, 4}}, {{0}, {0}},       {{2, 0}, {0}},
      {{0, 3}, {3, 2}}, {{4, 3}, {3, 0}},
  };
  for (const DotCase &c : cases) {
    SCOPED_TRACE(theon::shape_to_string(c.a) + " . " + theon::shape_to_string(c.b));
    auto x = T::tensor(dtype, std::vector<bool>(c.a.size(), false), "x");
    auto y = T::tensor(dtype, std::vector<bool>(c.b.size(), false), "y");
    auto z = T::dot(x, y);
    EXPECT_EQ(z.dtype(), dtype);
    EXPECT_EQ(z.ndim(), static_cast<int>(c.a.size() + c.b.size()) - 2);
    auto f = theon::function({x, y}, {z});
    Array xa = Random(c.a, dtype, rng, -3, 3), ya = Random(c.b, dtype, rng, -3, 3);
    auto out = f(xa, ya)[0];
    // Size-0 contraction gives zeros (DotRef sums nothing).
    EXPECT_TRUE(ArrayNear(out, dtype, DotShape(xa, ya), DotRef(xa, ya)));
  }
}

INSTANTIATE_TEST_SUITE_P(DTypes, Dot,
                         ::testing::Values(DType::Float32, DType::Float64, DType::Int32),
                         [](const ::testing::TestParamInfo<DType> &info) {
                           return std::string(theon::dtype_name(info.param));
                         });

TEST(DotMore, TransposedOperandsAndArguments) {
  // dot(x.T, y), dot(x, z.T) and dot(x.T, x) read a transposed operand; also
  // non-contiguous (transposed) Arrays passed as arguments.
  auto x = T::dmatrix("x"), y = T::dmatrix("y"), z = T::dmatrix("z");
  auto f = theon::function({x, y, z}, {T::dot(x.T(), y), T::dot(x, z.T()), T::dot(x.T(), x),
                                       T::dot(y.T().T().T(), x)});
  std::mt19937 rng(4);
  Array xa = Random({6, 3}, DType::Float64, rng, -2, 2);
  Array ya = Random({6, 5}, DType::Float64, rng, -2, 2);
  Array za = Random({4, 3}, DType::Float64, rng, -2, 2);
  Array xt = xa.T().copy(), yt = ya.T().copy(), zt = za.T().copy();
  auto check = [&](const std::vector<Array> &out) {
    EXPECT_TRUE(ArrayNear(out[0], DType::Float64, {3, 5}, DotRef(xt, ya)));
    EXPECT_TRUE(ArrayNear(out[1], DType::Float64, {6, 4}, DotRef(xa, zt)));
    EXPECT_TRUE(ArrayNear(out[2], DType::Float64, {3, 3}, DotRef(xt, xa)));
    EXPECT_TRUE(ArrayNear(out[3], DType::Float64, {5, 3}, DotRef(yt, xa)));
  };
  check(f(xa, ya, za));
  // The same values as transposed views of transposed copies.
  Array xv = xt.T(), yv = yt.T(), zv = zt.T();
  ASSERT_FALSE(xv.is_contiguous());
  check(f(xv, yv, zv));
  EXPECT_EQ(f.num_compiled(), 1u);
}

TEST(DotMore, MatrixVectorChainsAndFloat32Accuracy) {
  auto A = T::fmatrix("A"), v = T::fvector("v"), w = T::fvector("w");
  auto f = theon::function({A, v, w}, {T::dot(T::dot(A, v), T::dot(A, v)), T::dot(w, A)});
  std::mt19937 rng(8);
  Array Aa = Random({9, 11}, DType::Float32, rng), va = Random({11}, DType::Float32, rng);
  Array wa = Random({9}, DType::Float32, rng);
  auto out = f(Aa, va, wa);
  auto Av = DotRef(Aa, va);
  double s = 0;
  for (double e : Av)
    s += e * e;
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {}, {s}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float32, {11}, DotRef(wa, Aa)));
}

// ---------------------------------------------------------------------------
// Reductions
// ---------------------------------------------------------------------------

enum class Red { Sum, Prod, Max, Min, Mean };
const char *RedName(Red r) {
  static const char *names[] = {"sum", "prod", "max", "min", "mean"};
  return names[static_cast<int>(r)];
}

Variable BuildReduce(Red r, const Variable &x, const Axis &axis, bool keepdims) {
  switch (r) {
  case Red::Sum: return T::sum(x, axis, keepdims);
  case Red::Prod: return T::prod(x, axis, keepdims);
  case Red::Max: return T::max(x, axis, keepdims);
  case Red::Min: return T::min(x, axis, keepdims);
  case Red::Mean: return T::mean(x, axis, keepdims);
  }
  return {};
}

DType ReduceType(Red r, DType in) {
  bool fl = theon::is_float(in);
  switch (r) {
  case Red::Sum:
  case Red::Prod: return fl ? in : DType::Int64;
  case Red::Mean: return fl ? in : DType::Float64;
  default: return in == DType::Bool ? DType::Int8 : in;
  }
}

/// Reference reduction over `axes` (normalized; nullopt = all).
std::pair<Shape, std::vector<double>> ReduceRef(Red r, const Array &x,
                                                std::optional<std::vector<int>> axes,
                                                bool keepdims) {
  const Shape &in = x.shape();
  int nd = x.ndim();
  std::vector<bool> reduced(static_cast<std::size_t>(nd), !axes.has_value());
  if (axes)
    for (int a : *axes)
      reduced[static_cast<std::size_t>(a < 0 ? a + nd : a)] = true;
  Shape out, kept; // kept: output shape without keepdims' 1s
  for (int d = 0; d < nd; ++d) {
    if (!reduced[static_cast<std::size_t>(d)]) {
      out.push_back(in[static_cast<std::size_t>(d)]);
      kept.push_back(in[static_cast<std::size_t>(d)]);
    } else if (keepdims) {
      out.push_back(1);
    }
  }
  double init = r == Red::Prod ? 1
                : r == Red::Max ? -std::numeric_limits<double>::infinity()
                : r == Red::Min ? std::numeric_limits<double>::infinity()
                                : 0;
  std::vector<double> acc(static_cast<std::size_t>(NumElements(kept)), init);
  std::vector<std::int64_t> count(acc.size(), 0);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    auto idx = Unravel(i, in);
    std::vector<std::int64_t> o;
    for (int d = 0; d < nd; ++d)
      if (!reduced[static_cast<std::size_t>(d)])
        o.push_back(idx[static_cast<std::size_t>(d)]);
    auto k = static_cast<std::size_t>(Ravel(o, kept));
    double v = x.get_flat(i);
    switch (r) {
    case Red::Sum:
    case Red::Mean: acc[k] += v; break;
    case Red::Prod: acc[k] *= v; break;
    case Red::Max: acc[k] = std::isnan(acc[k]) || std::isnan(v) ? NAN : std::max(acc[k], v); break;
    case Red::Min: acc[k] = std::isnan(acc[k]) || std::isnan(v) ? NAN : std::min(acc[k], v); break;
    }
    ++count[k];
  }
  if (r == Red::Mean)
    for (std::size_t k = 0; k < acc.size(); ++k)
      acc[k] /= static_cast<double>(count[k]); // 0/0 = NaN for empty groups
  return {out, acc};
}

struct AxisSpec {
  const char *label;
  Axis axis;
  std::optional<std::vector<int>> ref;
};

class Reduce : public ::testing::TestWithParam<DType> {};

TEST_P(Reduce, AllOpsAxesAndKeepdims) {
  DType dtype = GetParam();
  std::mt19937 rng(31);
  // Values whose products stay exact-ish: |v| in [0.5, 1.5] or small ints.
  Domain dom = theon::is_float(dtype) ? Domain{-1.5, 1.5, false, true} : Domain{-2, 2, false, true};
  auto x = T::tensor(dtype, {false, false, false}, "x");
  std::vector<AxisSpec> specs = {
      {"all", Axis(), std::nullopt},
      {"0", Axis(0), std::vector<int>{0}},
      {"1", Axis(1), std::vector<int>{1}},
      {"-1", Axis(-1), std::vector<int>{2}},
      {"{0,2}", Axis({0, 2}), std::vector<int>{0, 2}},
      {"{-1,-3}", Axis({-1, -3}), std::vector<int>{0, 2}},
      {"{2,0,1}", Axis({2, 0, 1}), std::vector<int>{0, 1, 2}},
      {"{1,-1}", Axis({1, -1}), std::vector<int>{1, 2}},
      {"none", Axis(std::vector<int>{}), std::vector<int>{}},
  };
  std::vector<Variable> outs;
  std::vector<std::tuple<Red, const AxisSpec *, bool>> what;
  for (Red r : {Red::Sum, Red::Prod, Red::Max, Red::Min, Red::Mean})
    for (const AxisSpec &s : specs)
      for (bool keep : {false, true}) {
        Variable y = BuildReduce(r, x, s.axis, keep);
        EXPECT_EQ(y.dtype(), ReduceType(r, dtype)) << RedName(r);
        outs.push_back(y);
        what.emplace_back(r, &s, keep);
      }
  // The method forms.
  outs.push_back(x.sum(1));
  outs.push_back(x.mean({0, 1}, true));
  outs.push_back(x.max(-2));
  outs.push_back(x.min());
  outs.push_back(x.prod(2));
  auto f = theon::function({x}, outs);

  for (Shape shape : {Shape{3, 4, 5}, Shape{1, 7, 1}}) {
    SCOPED_TRACE(theon::shape_to_string(shape));
    Array xa = Random(shape, dtype, rng, dom);
    auto out = f(xa);
    for (std::size_t k = 0; k < what.size(); ++k) {
      auto [r, spec, keep] = what[k];
      auto [rshape, ref] = ReduceRef(r, xa, spec->ref, keep);
      DType rt = ReduceType(r, dtype);
      EXPECT_TRUE(ArrayNear(out[k], rt, rshape, ref))
          << RedName(r) << " axis " << spec->label << (keep ? " keepdims" : "");
    }
    std::size_t m = what.size();
    auto check = [&](std::size_t k, Red r, std::optional<std::vector<int>> axes, bool keep) {
      auto [rshape, ref] = ReduceRef(r, xa, axes, keep);
      EXPECT_TRUE(ArrayNear(out[k], ReduceType(r, dtype), rshape, ref)) << "method " << k;
    };
    check(m, Red::Sum, std::vector<int>{1}, false);
    check(m + 1, Red::Mean, std::vector<int>{0, 1}, true);
    check(m + 2, Red::Max, std::vector<int>{1}, false);
    check(m + 3, Red::Min, std::nullopt, false);
    check(m + 4, Red::Prod, std::vector<int>{2}, false);
  }
  EXPECT_EQ(f.num_compiled(), 2u);
}

INSTANTIATE_TEST_SUITE_P(DTypes, Reduce,
                         ::testing::Values(DType::Float32, DType::Float64, DType::Int32,
                                           DType::Int8),
                         [](const ::testing::TestParamInfo<DType> &info) {
                           return std::string(theon::dtype_name(info.param));
                         });

TEST(ReduceMore, EmptyAndZeroDimensionalInputs) {
  auto e = T::dmatrix("e");
  auto s = T::iscalar("s");
  auto f = theon::function({e, s}, {T::sum(e, 0), T::prod(e, 0), T::max(e, 1), T::sum(e),
                                    T::prod(e), T::mean(e, 0), T::sum(s), T::mean(s), T::max(s),
                                    T::sum(e, 1, true)});
  auto out = f(Array::zeros({0, 3}, DType::Float64), 7);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(ArrayNear(out[0], DType::Float64, {3}, {0, 0, 0}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float64, {3}, {1, 1, 1}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Float64, {0}, {}));
  EXPECT_TRUE(ArrayNear(out[3], DType::Float64, {}, {0}));
  EXPECT_TRUE(ArrayNear(out[4], DType::Float64, {}, {1}));
  EXPECT_TRUE(ArrayNear(out[5], DType::Float64, {3}, {nan, nan, nan})); // NumPy: 0/0
  EXPECT_TRUE(ArrayNear(out[6], DType::Int64, {}, {7}));
  EXPECT_TRUE(ArrayNear(out[7], DType::Float64, {}, {7}));
  EXPECT_TRUE(ArrayNear(out[8], DType::Int32, {}, {7}));
  EXPECT_TRUE(ArrayNear(out[9], DType::Float64, {0, 1}, {}));
}

TEST(ReduceMore, MaxMinPropagateNaNAndHandleExtremes) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  auto x = T::dmatrix("x");
  auto i = T::imatrix("i");
  auto f = theon::function({x, i}, {T::max(x, 1), T::min(x, 1), T::max(i, 1), T::min(i, 1)});
  Array xa = Array::from_vector(std::vector<double>{1, nan, 3, -inf, -inf, -inf, inf, 2, inf},
                                {3, 3});
  const std::int32_t lo = std::numeric_limits<std::int32_t>::min();
  const std::int32_t hi = std::numeric_limits<std::int32_t>::max();
  Array ia = Array::from_vector(std::vector<std::int32_t>{lo, lo, lo, hi, hi, hi, lo, 0, hi},
                                {3, 3});
  auto out = f(xa, ia);
  EXPECT_TRUE(ArrayNear(out[0], DType::Float64, {3}, {nan, -inf, inf}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float64, {3}, {nan, -inf, 2}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Int32, {3}, {double(lo), double(hi), double(hi)}));
  EXPECT_TRUE(ArrayNear(out[3], DType::Int32, {3}, {double(lo), double(hi), double(lo)}));
}

// ---------------------------------------------------------------------------
// argmax / argmin
// ---------------------------------------------------------------------------

std::pair<Shape, std::vector<double>> ArgRef(const Array &x, int axis, bool keepdims, bool isMax) {
  int nd = x.ndim();
  int a = axis < 0 ? axis + nd : axis;
  Shape out, kept;
  for (int d = 0; d < nd; ++d) {
    if (d != a) {
      out.push_back(x.shape(d));
      kept.push_back(x.shape(d));
    } else if (keepdims) {
      out.push_back(1);
    }
  }
  std::vector<double> best(static_cast<std::size_t>(NumElements(kept)));
  std::vector<double> bestIndex(best.size(), -1);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    auto idx = Unravel(i, x.shape());
    std::vector<std::int64_t> o;
    for (int d = 0; d < nd; ++d)
      if (d != a)
        o.push_back(idx[static_cast<std::size_t>(d)]);
    auto k = static_cast<std::size_t>(Ravel(o, kept));
    double v = x.get_flat(i);
    if (bestIndex[k] < 0 || (isMax ? v > best[k] : v < best[k])) { // first index wins ties
      best[k] = v;
      bestIndex[k] = static_cast<double>(idx[static_cast<std::size_t>(a)]);
    }
  }
  return {out, bestIndex};
}

class ArgReduce : public ::testing::TestWithParam<DType> {};

TEST_P(ArgReduce, FirstIndexOnTies) {
  DType dtype = GetParam();
  std::mt19937 rng(41);
  auto x = T::tensor(dtype, {false, false, false}, "x");
  std::vector<std::pair<int, bool>> specs = {{0, false}, {1, false}, {2, false}, {-1, false},
                                             {-3, false}, {1, true},  {-1, true}};
  std::vector<Variable> outs;
  for (auto [axis, keep] : specs) {
    outs.push_back(T::argmax(x, axis, keep));
    outs.push_back(x.argmin(axis, keep));
    EXPECT_EQ(outs.back().dtype(), DType::Int64);
  }
  auto f = theon::function({x}, outs);
  // Few distinct values: many ties.
  Array xa = Random({4, 5, 6}, dtype, rng, Domain{-2, 2, true});
  auto out = f(xa);
  for (std::size_t s = 0; s < specs.size(); ++s) {
    auto [axis, keep] = specs[s];
    auto [shape, ref] = ArgRef(xa, axis, keep, true);
    EXPECT_TRUE(ArrayNear(out[2 * s], DType::Int64, shape, ref)) << "argmax axis " << axis;
    auto [shape2, ref2] = ArgRef(xa, axis, keep, false);
    EXPECT_TRUE(ArrayNear(out[2 * s + 1], DType::Int64, shape2, ref2)) << "argmin axis " << axis;
  }
}

INSTANTIATE_TEST_SUITE_P(DTypes, ArgReduce,
                         ::testing::Values(DType::Float32, DType::Float64, DType::Int32,
                                           DType::Int64, DType::Bool),
                         [](const ::testing::TestParamInfo<DType> &info) {
                           return std::string(theon::dtype_name(info.param));
                         });

TEST(ArgReduceMore, ExtremeValuesAndVector) {
  const double inf = std::numeric_limits<double>::infinity();
  auto v = T::dvector("v");
  auto l = T::lvector("l");
  auto f = theon::function({v, l}, {T::argmax(v, 0), T::argmin(v, 0), T::argmax(l, 0),
                                    T::argmin(l, 0), T::argmax(v, 0, true)});
  const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  auto out = f(Array::from_vector(std::vector<double>{-inf, -inf, -inf}),
               Array::from_vector(std::vector<std::int64_t>{lo, lo, 5, lo}));
  EXPECT_TRUE(ArrayNear(out[0], DType::Int64, {}, {0}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Int64, {}, {0}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Int64, {}, {2}));
  EXPECT_TRUE(ArrayNear(out[3], DType::Int64, {}, {0}));
  EXPECT_TRUE(ArrayNear(out[4], DType::Int64, {1}, {0}));
}

// ---------------------------------------------------------------------------
// Shape operations
// ---------------------------------------------------------------------------

TEST(ShapeOps, ReshapeAndFlatten) {
  auto x = T::ftensor3("x");
  auto r1 = x.reshape({4, -1});
  auto r2 = T::reshape(x, {-1});
  auto r3 = x.flatten();
  auto r4 = x.reshape({2, 3, 1, 4});
  auto r5 = x.reshape({1, -1, 1});
  auto r6 = x.reshape({6, 4}).T();
  EXPECT_EQ(r1.ndim(), 2);
  EXPECT_EQ(r3.ndim(), 1);
  EXPECT_EQ(r4.broadcastable(), (std::vector<bool>{false, false, true, false}));
  EXPECT_EQ(r5.broadcastable(), (std::vector<bool>{true, false, true}));
  auto f = theon::function({x}, {r1, r2, r3, r4, r5, r6});
  std::mt19937 rng(51);
  Array xa = Random({2, 3, 4}, DType::Float32, rng);
  auto out = f(xa);
  auto vals = Values(xa);
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {4, 6}, vals, Tol{0, 0}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float32, {24}, vals, Tol{0, 0}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Float32, {24}, vals, Tol{0, 0}));
  EXPECT_TRUE(ArrayNear(out[3], DType::Float32, {2, 3, 1, 4}, vals, Tol{0, 0}));
  EXPECT_TRUE(ArrayNear(out[4], DType::Float32, {1, 24, 1}, vals, Tol{0, 0}));
  std::vector<double> transposed;
  for (int c = 0; c < 4; ++c)
    for (int r = 0; r < 6; ++r)
      transposed.push_back(vals[static_cast<std::size_t>(r * 4 + c)]);
  EXPECT_TRUE(ArrayNear(out[5], DType::Float32, {4, 6}, transposed, Tol{0, 0}));

  // Another shape of the same rank: the -1 is resolved per call.
  Array ya = Random({4, 3, 2}, DType::Float32, rng);
  auto out2 = f(ya);
  EXPECT_TRUE(ArrayNear(out2[0], DType::Float32, {4, 6}, Values(ya), Tol{0, 0}));
  EXPECT_TRUE(ArrayNear(out2[2], DType::Float32, {24}, Values(ya), Tol{0, 0}));
  EXPECT_EQ(f.num_compiled(), 2u);
}

TEST(ShapeOps, ReshapeScalarsAndEmpty) {
  auto s = T::lscalar("s");
  auto e = T::dmatrix("e");
  auto f = theon::function({s, e}, {s.reshape({1, 1}), s.reshape({-1}), s.reshape({1}).reshape({}),
                                    e.reshape({-1, 3}), e.flatten()});
  auto out = f(Array::scalar<std::int64_t>(-9), Array::zeros({0, 3}, DType::Float64));
  EXPECT_TRUE(ArrayNear(out[0], DType::Int64, {1, 1}, {-9}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Int64, {1}, {-9}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Int64, {}, {-9}));
  EXPECT_TRUE(ArrayNear(out[3], DType::Float64, {0, 3}, {}));
  EXPECT_TRUE(ArrayNear(out[4], DType::Float64, {0}, {}));
}

/// Reference dimshuffle: output index -> input index through the pattern.
std::vector<double> DimShuffleRef(const Array &x, const std::vector<std::int64_t> &pattern,
                                  Shape &outShape) {
  outShape.clear();
  for (auto p : pattern)
    outShape.push_back(p < 0 ? 1 : x.shape(static_cast<int>(p)));
  std::vector<double> out;
  for (std::int64_t i = 0; i < NumElements(outShape); ++i) {
    auto o = Unravel(i, outShape);
    std::vector<std::int64_t> in(static_cast<std::size_t>(x.ndim()), 0); // dropped dims: 0
    for (std::size_t k = 0; k < pattern.size(); ++k)
      if (pattern[k] >= 0)
        in[static_cast<std::size_t>(pattern[k])] = o[k];
    out.push_back(x.get_flat(Ravel(in, x.shape())));
  }
  return out;
}

TEST(ShapeOps, DimShuffle) {
  auto t = T::dtensor3("t");
  auto row = T::drow("row"); // (1, n)
  auto col = T::dcol("col"); // (n, 1)
  auto m = T::dmatrix("m");

  auto p1 = t.dimshuffle(2, 0, 1);
  auto p2 = t.dimshuffle(0, 'x', 1, 2);
  auto p3 = t.dimshuffle('x', 2, 'x', 1, 0, 'x');
  auto d1 = row.dimshuffle(1);
  auto d2 = col.dimshuffle(0);
  auto d3 = col.dimshuffle('x', 0);
  auto d4 = row.dimshuffle(1, 0); // = row.T
  auto tt = t.T();
  auto mt = m.transpose();
  auto mx = m.dimshuffle(1, 'x', 0);
  EXPECT_EQ(p2.broadcastable(), (std::vector<bool>{false, true, false, false}));
  EXPECT_EQ(p3.broadcastable(), (std::vector<bool>{true, false, true, false, false, true}));
  EXPECT_EQ(d1.ndim(), 1);
  EXPECT_EQ(d1.broadcastable(), (std::vector<bool>{false}));
  EXPECT_EQ(d3.broadcastable(), (std::vector<bool>{true, false}));
  EXPECT_EQ(d4.broadcastable(), (std::vector<bool>{false, true}));
  EXPECT_EQ(row.T().broadcastable(), (std::vector<bool>{false, true}));
  auto f = theon::function({t, row, col, m}, {p1, p2, p3, d1, d2, d3, d4, tt, mt, mx});
  std::mt19937 rng(61);
  Array ta = Random({2, 3, 4}, DType::Float64, rng);
  Array ra = Random({1, 5}, DType::Float64, rng);
  Array ca = Random({3, 1}, DType::Float64, rng);
  Array ma = Random({2, 7}, DType::Float64, rng);
  auto out = f(ta, ra, ca, ma);
  const std::int64_t X = -1;
  struct Case {
    const Array *in;
    std::vector<std::int64_t> pattern;
  };
  std::vector<Case> cases = {{&ta, {2, 0, 1}},     {&ta, {0, X, 1, 2}}, {&ta, {X, 2, X, 1, 0, X}},
                             {&ra, {1}},           {&ca, {0}},          {&ca, {X, 0}},
                             {&ra, {1, 0}},        {&ta, {2, 1, 0}},    {&ma, {1, 0}},
                             {&ma, {1, X, 0}}};
  for (std::size_t k = 0; k < cases.size(); ++k) {
    Shape shape;
    auto ref = DimShuffleRef(*cases[k].in, cases[k].pattern, shape);
    EXPECT_TRUE(ArrayNear(out[k], DType::Float64, shape, ref, Tol{0, 0})) << "case " << k;
  }
}

TEST(ShapeOps, BroadcastTo) {
  auto v = T::ivector("v");
  auto c = T::fcol("c");
  auto s = T::dscalar("s");
  auto b1 = T::broadcast_to(v, {3, 4});
  auto b2 = T::broadcast_to(c, {2, 3, 5});
  auto b3 = T::broadcast_to(s, {2, 3});
  auto b4 = T::broadcast_to(v, {4});
  auto b5 = T::broadcast_to(s, {0, 2});
  EXPECT_EQ(b1.dtype(), DType::Int32);
  EXPECT_EQ(b1.broadcastable(), (std::vector<bool>{false, false}));
  auto f = theon::function({v, c, s}, {b1, b2, b3, b4, b5, b1 + T::broadcast_to(v, {1, 4})});
  std::mt19937 rng(71);
  Array va = Random({4}, DType::Int32, rng, -9, 9);
  Array ca = Random({3, 1}, DType::Float32, rng);
  auto out = f(va, ca, 2.5);
  std::vector<double> e1, e2, e3(6, 2.5), e6;
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 4; ++k) {
      e1.push_back(va.get_flat(k));
      e6.push_back(2 * va.get_flat(k));
    }
  for (int a = 0; a < 2; ++a)
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 5; ++k)
        e2.push_back(ca.get_flat(r));
  EXPECT_TRUE(ArrayNear(out[0], DType::Int32, {3, 4}, e1));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float32, {2, 3, 5}, e2, Tol{0, 0}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Float64, {2, 3}, e3));
  EXPECT_TRUE(ArrayNear(out[3], DType::Int32, {4}, Values(va)));
  EXPECT_TRUE(ArrayNear(out[4], DType::Float64, {0, 2}, {}));
  EXPECT_TRUE(ArrayNear(out[5], DType::Int32, {3, 4}, e6));
}

// ---------------------------------------------------------------------------
// The example from the issue
// ---------------------------------------------------------------------------

TEST(IssueExample, DotPlusVectorSumOfExpAndTranspose) {
  auto A = T::matrix("A");
  auto B = T::matrix("B");
  auto v = T::vector("v");
  auto f = theon::function({A, B, v}, {T::dot(A, B) + v, T::sum(T::exp(A) * 2, 1), A.T()});
  std::mt19937 rng(2024);
  const std::int64_t m = 5, k = 7, n = 3;
  Array Aa = Random({m, k}, DType::Float32, rng, -1, 1);
  Array Ba = Random({k, n}, DType::Float32, rng, -1, 1);
  Array va = Random({n}, DType::Float32, rng, -1, 1);
  auto out = f(Aa, Ba, va);
  ASSERT_EQ(out.size(), 3u);
  std::vector<double> e0, e1, e2;
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::int64_t p = 0; p < k; ++p)
        s += Aa.at<float>(i, p) * static_cast<double>(Ba.at<float>(p, j));
      e0.push_back(s + va.at<float>(j));
    }
    double s = 0;
    for (std::int64_t p = 0; p < k; ++p)
      s += std::exp(static_cast<double>(Aa.at<float>(i, p))) * 2;
    e1.push_back(s);
  }
  for (std::int64_t p = 0; p < k; ++p)
    for (std::int64_t i = 0; i < m; ++i)
      e2.push_back(Aa.at<float>(i, p));
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {m, n}, e0));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float32, {m}, e1));
  EXPECT_TRUE(ArrayNear(out[2], DType::Float32, {k, m}, e2, Tol{0, 0}));
}


TEST(ArgReduceMore, NaNIsTheExtremeAndFirstNaNWins) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto v = T::dmatrix("v");
  auto f = theon::function({v}, {T::argmax(v, 1), T::argmin(v, 1)});
  auto out = f(Array::from_vector(std::vector<double>{1, nan, 3, nan, 5, 4, 3, 2}, {2, 4}));
  EXPECT_TRUE(ArrayNear(out[0], DType::Int64, {2}, {1, 0})); // NumPy: first NaN
  EXPECT_TRUE(ArrayNear(out[1], DType::Int64, {2}, {1, 3}));
}

TEST(DotMore, LargeFloat32Product) {
  // Big enough for a multithreaded BLAS path.
  auto A = T::fmatrix("A"), B = T::fmatrix("B");
  auto f = theon::function({A, B}, {T::dot(A, B), T::dot(B.T(), A.T())});
  std::mt19937 rng(12);
  Array Aa = Random({130, 257}, DType::Float32, rng), Ba = Random({257, 67}, DType::Float32, rng);
  auto out = f(Aa, Ba);
  auto ref = DotRef(Aa, Ba);
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {130, 67}, ref, Tol{1e-4, 1e-4}));
  std::vector<double> refT;
  for (int j = 0; j < 67; ++j)
    for (int i = 0; i < 130; ++i)
      refT.push_back(ref[static_cast<std::size_t>(i * 67 + j)]);
  EXPECT_TRUE(ArrayNear(out[1], DType::Float32, {67, 130}, refT, Tol{1e-4, 1e-4}));
}

TEST(ReduceMore, LongAxesAndTransposedInput) {
  auto x = T::fmatrix("x");
  auto f = theon::function({x}, {T::sum(x, 0), T::sum(x.T(), 0), T::mean(x), T::max(x.T(), 1),
                                 T::sum(T::broadcast_to(x, {3, 1000, 37}), {0, 1})});
  std::mt19937 rng(13);
  Array xa = Random({1000, 37}, DType::Float32, rng, 0, 1);
  auto out = f(xa);
  std::vector<double> col(37, 0), row(1000, 0), cmax(37, -1);
  double total = 0;
  for (int i = 0; i < 1000; ++i)
    for (int j = 0; j < 37; ++j) {
      double v = xa.get_flat(i * 37 + j);
      col[static_cast<std::size_t>(j)] += v;
      row[static_cast<std::size_t>(i)] += v;
      cmax[static_cast<std::size_t>(j)] = std::max(cmax[static_cast<std::size_t>(j)], v);
      total += v;
    }
  std::vector<double> col3;
  for (double c : col)
    col3.push_back(3 * c);
  Tol tol{1e-4, 1e-4};
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {37}, col, tol));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float32, {1000}, row, tol));
  EXPECT_TRUE(ArrayNear(out[2], DType::Float32, {}, {total / 37000}, tol));
  EXPECT_TRUE(ArrayNear(out[3], DType::Float32, {37}, cmax, Tol{0, 0}));
  EXPECT_TRUE(ArrayNear(out[4], DType::Float32, {37}, col3, tol));
}

TEST(ShapeOps, ReshapeAfterTransposeUsesLogicalOrder) {
  auto x = T::imatrix("x");
  auto f = theon::function({x}, {x.T().flatten(), x.dimshuffle(1, 0).reshape({2, -1}),
                                 T::sum(x.T().reshape({-1, 2}), 1)});
  Array xa = Array::from_vector(std::vector<std::int32_t>{1, 2, 3, 4, 5, 6}, {2, 3});
  auto out = f(xa);
  EXPECT_TRUE(ArrayNear(out[0], DType::Int32, {6}, {1, 4, 2, 5, 3, 6}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Int32, {2, 3}, {1, 4, 2, 5, 3, 6}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Int64, {3}, {5, 7, 9}));
}

} // namespace

// var/std (with ddof), any/all, norm and outer: compositions (#12), checked
// against plain loops.
TEST(Compositions, VarStdAnyAllNormOuter) {
  auto m = T::dmatrix("m");
  Array mv = Array::from_vector(std::vector<double>{1, 2, 4, -3, 0, 5}, {2, 3});
  auto f = theon::function({m}, {T::var(m), T::var(m, 1), T::var(m, 0, 1), m.std(1, 1, true),
                                 m.norm(1), T::norm(m, 2, 0), m.norm(3, 1)});
  auto out = f(mv);
  std::vector<double> v = mv.to_vector<double>();
  double mean = 0;
  for (double x : v)
    mean += x / 6;
  double var = 0;
  for (double x : v)
    var += (x - mean) * (x - mean) / 6;
  EXPECT_NEAR(out[0].item<double>(), var, 1e-12);
  // Rows: (1, 2, 4) and (-3, 0, 5), ddof 0.
  auto rowVar = [](std::vector<double> r, int ddof) {
    double mu = (r[0] + r[1] + r[2]) / 3, s = 0;
    for (double x : r)
      s += (x - mu) * (x - mu);
    return s / (3 - ddof);
  };
  std::vector<double> r0{1, 2, 4}, r1{-3, 0, 5};
  EXPECT_NEAR(out[1].get_flat(0), rowVar(r0, 0), 1e-12);
  EXPECT_NEAR(out[1].get_flat(1), rowVar(r1, 0), 1e-12);
  // Columns, ddof 1: (1, -3), (2, 0), (4, 5).
  EXPECT_NEAR(out[2].get_flat(0), 8.0, 1e-12);
  EXPECT_NEAR(out[2].get_flat(1), 2.0, 1e-12);
  EXPECT_NEAR(out[2].get_flat(2), 0.5, 1e-12);
  EXPECT_EQ(out[3].shape(), (Shape{2, 1}));
  EXPECT_NEAR(out[3].get_flat(1), std::sqrt(rowVar(r1, 1)), 1e-12);
  EXPECT_EQ(out[4].item<double>(), 15);
  EXPECT_NEAR(out[5].get_flat(0), std::sqrt(10.0), 1e-12);
  EXPECT_NEAR(out[6].get_flat(1), std::cbrt(27.0 + 125.0), 1e-12);

  auto b = T::tensor(DType::Float32, 2, "b");
  auto g = theon::function({b}, {T::any(b), T::all(b), b.any(1), b.all(0, true)});
  auto bo = g(Array::from_vector(std::vector<float>{0, 0, 2, 1, std::nanf(""), 3}, {2, 3}));
  EXPECT_EQ(bo[0].dtype(), DType::Bool);
  EXPECT_TRUE(bo[0].item<bool>());
  EXPECT_FALSE(bo[1].item<bool>());
  EXPECT_EQ(bo[2].to_vector<bool>(), (std::vector<bool>{1, 1}));
  EXPECT_EQ(bo[3].shape(), (Shape{1, 3}));
  EXPECT_EQ(bo[3].to_vector<bool>(), (std::vector<bool>{0, 0, 1})); // NaN is true, as NumPy
  // Of nothing: any is false, all is true.
  auto e = g(Array::zeros({0, 3}, DType::Float32));
  EXPECT_FALSE(e[0].item<bool>());
  EXPECT_TRUE(e[1].item<bool>());

  auto x = T::dvector("x"), y = T::dvector("y");
  auto o = theon::function({x, y}, {T::outer(x, y), x.dot(y), x.clip(0, 1.5)});
  auto oo = o(Array::from_vector(std::vector<double>{1, 2}), Array::from_vector(std::vector<double>{3, 4}));
  EXPECT_EQ(oo[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(oo[0].to_vector<double>(), (std::vector<double>{3, 4, 6, 8}));
  EXPECT_EQ(oo[1].item<double>(), 11);
  EXPECT_EQ(oo[2].to_vector<double>(), (std::vector<double>{1, 1.5}));
  EXPECT_THROW_MSG(T::var(m, {}, -1), theon::ValueError, "ddof");
  EXPECT_THROW_MSG(T::norm(m, 0), theon::ValueError, "L");
}

// concatenate and stack (#12).
TEST(Join, ConcatenateAndStack) {
  auto a = T::dmatrix("a"), b = T::dmatrix("b");
  auto i = T::imatrix("i");
  auto f = theon::function({a, b, i}, {T::concatenate({a, b}), T::concatenate({a, i}, -1),
                                       T::stack({a, a}), T::stack({a, b(T::slice(0, 2))}, 2)});
  Array av = Array::from_vector(std::vector<double>{1, 2, 3, 4}, {2, 2});
  Array bv = Array::from_vector(std::vector<double>{5, 6, 7, 8, 9, 10}, {3, 2});
  Array iv = Array::from_vector(std::vector<std::int32_t>{7, 8}, {2, 1});
  auto out = f(av, bv, iv);
  EXPECT_EQ(out[0].shape(), (Shape{5, 2}));
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(out[1].dtype(), DType::Float64); // float64 with int32
  EXPECT_EQ(out[1].shape(), (Shape{2, 3}));
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{1, 2, 7, 3, 4, 8}));
  EXPECT_EQ(out[2].shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(out[2].to_vector<double>(), (std::vector<double>{1, 2, 3, 4, 1, 2, 3, 4}));
  EXPECT_EQ(out[3].shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(out[3].to_vector<double>(), (std::vector<double>{1, 5, 2, 6, 3, 7, 4, 8}));

  EXPECT_THROW_MSG(T::concatenate({a, T::dvector("v")}), theon::TypeError, "'v'", "dimensions");
  EXPECT_THROW_MSG(T::concatenate({a}, 2), theon::ValueError, "axis 2");
  EXPECT_THROW_MSG(T::concatenate({}), theon::ValueError, "at least one");
  auto g = theon::function({a, b}, {T::concatenate({a, b}, 1)});
  EXPECT_THROW_MSG(g(av, bv), theon::ShapeError, "concatenate", "every axis but 1");
}

// Construction and shape compositions (#12).
TEST(Construction, ConstantsAndShapeOps) {
  auto f = theon::function({}, {T::zeros({2, 3}), T::ones({2}, DType::Int32),
                                T::full({2, 2}, 2.5, DType::Float64), T::eye(3),
                                T::eye(2, 3, 1, DType::Float64), T::arange(5),
                                T::arange(1.0, -1.0, -0.5), T::arange(0, 7, 3)});
  auto out = f();
  EXPECT_EQ(out[0].dtype(), theon::config().floatX);
  EXPECT_EQ(out[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(out[1].dtype(), DType::Int32);
  EXPECT_EQ(out[2].to_vector<double>(), (std::vector<double>{2.5, 2.5, 2.5, 2.5}));
  EXPECT_EQ(out[3].to_vector<double>(), (std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(out[4].to_vector<double>(), (std::vector<double>{0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(out[5].dtype(), DType::Int64);
  EXPECT_EQ(out[5].to_vector<double>(), (std::vector<double>{0, 1, 2, 3, 4}));
  EXPECT_EQ(out[6].to_vector<double>(), (std::vector<double>{1, 0.5, 0, -0.5}));
  EXPECT_EQ(out[7].to_vector<double>(), (std::vector<double>{0, 3, 6}));
  EXPECT_THROW_MSG(T::arange(0, 1, 0), theon::ValueError, "step");
  EXPECT_THROW_MSG(T::eye(-1), theon::ValueError, "negative");

  auto x = T::tensor(DType::Float64, {false, true, false}, "x");
  auto g = theon::function({x}, {T::swapaxes(x, 0, -1), T::transpose(x, {1, 2, 0}), T::squeeze(x),
                                 T::tile(x, {2, 1, 2})});
  Array xv = Array::from_vector(std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 1, 3});
  auto go = g(xv);
  EXPECT_EQ(go[0].shape(), (Shape{3, 1, 2}));
  EXPECT_EQ(go[0].to_vector<double>(), (std::vector<double>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(go[1].shape(), (Shape{1, 3, 2}));
  EXPECT_EQ(go[2].shape(), (Shape{2, 3}));
  EXPECT_EQ(go[3].shape(), (Shape{4, 1, 6}));
  EXPECT_EQ(go[3].to_vector<double>(),
            (std::vector<double>{1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6,
                                 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}));
  EXPECT_THROW_MSG(T::swapaxes(x, 0, 3), theon::ValueError, "axis 3");
  EXPECT_THROW_MSG(T::tile(x, {2}), theon::ValueError, "repetitions");
}
