// cumsum, cumprod, sort, argsort and argmax over several axes: numerics
// against reference loops, dtypes, NaN order, gradients.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Shape;
using Vars = std::vector<theon::Variable>;

namespace {

TEST(Cumulative, SumAndProductAlongAxes) {
  auto x = T::dmatrix("x");
  auto f = theon::function({x}, {T::cumsum(x, 0), T::cumsum(x, -1), T::cumprod(x, 1), T::cumsum(x)});
  Array xv = Array::from_vector(std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3});
  auto out = f(xv);
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{1, 2, 3, 5, 7, 9}));
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{1, 3, 6, 4, 9, 15}));
  EXPECT_EQ(out[2].to_vector<double>(), (std::vector<double>{1, 2, 6, 4, 20, 120}));
  EXPECT_EQ(out[3].shape(), (Shape{6}));
  EXPECT_EQ(out[3].to_vector<double>(), (std::vector<double>{1, 3, 6, 10, 15, 21}));
  // Integers accumulate in int64; size-1 and empty axes.
  auto i = T::bvector("i");
  auto g = theon::function({i}, {T::cumsum(i), T::cumprod(i)});
  auto gi = g(Array::from_vector(std::vector<std::int8_t>{100, 100, 100}));
  EXPECT_EQ(gi[0].dtype(), DType::Int64);
  EXPECT_EQ(gi[0].to_vector<std::int64_t>(), (std::vector<std::int64_t>{100, 200, 300}));
  EXPECT_EQ(gi[1].to_vector<std::int64_t>(), (std::vector<std::int64_t>{100, 10000, 1000000}));
  EXPECT_EQ(g(Array::from_vector(std::vector<std::int8_t>{}))[0].shape(), (Shape{0}));
  EXPECT_EQ(g(Array::from_vector(std::vector<std::int8_t>{7}))[1].to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{7}));
  EXPECT_THROW(T::cumsum(x, 2), theon::ValueError);
}

TEST(Cumulative, Gradients) {
  Array xv = Array::from_vector(std::vector<double>{0.5, -1.5, 2, 3, 1.25, -2}, {2, 3});
  theon::verify_grad([](const Vars &v) { return T::cumsum(v[0], 1); }, {xv});
  theon::verify_grad([](const Vars &v) { return T::cumsum(v[0], 0) * v[0]; }, {xv});
  theon::verify_grad([](const Vars &v) { return T::cumprod(v[0], 1); }, {xv});
  theon::verify_grad([](const Vars &v) { return T::cumprod(v[0]); }, {xv});
}

TEST(Sorting, SortAndArgsortAsNumPy) {
  auto x = T::dmatrix("x");
  auto f = theon::function({x}, {T::sort(x), T::argsort(x), T::sort(x, 0), T::argsort(x, std::nullopt)});
  Array xv = Array::from_vector(std::vector<double>{3, NAN, 1, 2, 1, -INFINITY, 0, 5, 4, 4}, {2, 5});
  auto out = f(xv);
  std::vector<double> s = out[0].to_vector<double>();
  EXPECT_EQ(std::vector<double>(s.begin(), s.begin() + 4), (std::vector<double>{1, 1, 2, 3}));
  EXPECT_TRUE(std::isnan(s[4]));
  EXPECT_EQ(std::vector<double>(s.begin() + 5, s.end()),
            (std::vector<double>{-INFINITY, 0, 4, 4, 5}));
  // Stable: equal keys keep their order; NaN last.
  EXPECT_EQ(out[1].to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{2, 4, 3, 0, 1, 0, 1, 3, 4, 2}));
  EXPECT_EQ(out[2].to_vector<double>()[0], -INFINITY);
  EXPECT_EQ(out[2].to_vector<double>()[5], 3);
  EXPECT_EQ(out[3].shape(), (Shape{10}));
  EXPECT_EQ(out[3].to_vector<std::int64_t>()[0], 5);
  auto i = T::ivector("i");
  auto g = theon::function({i}, {T::sort(i), T::argsort(i)});
  auto gi = g(Array::from_vector(std::vector<std::int32_t>{5, -3, 5, 0}));
  EXPECT_EQ(gi[0].dtype(), DType::Int32);
  EXPECT_EQ(gi[0].to_vector<std::int32_t>(), (std::vector<std::int32_t>{-3, 0, 5, 5}));
  EXPECT_EQ(gi[1].to_vector<std::int64_t>(), (std::vector<std::int64_t>{1, 3, 0, 2}));
  theon::verify_grad([](const Vars &v) { return T::sort(v[0]) * T::arange(3.0, 0.0, -1.0, DType::Float64); },
                     {Array::from_vector(std::vector<double>{0.3, -1, 2, 1.5, 0.1, 0.2}, {2, 3})});
  EXPECT_THROW(T::sort(T::dscalar("s")), theon::ValueError);
  EXPECT_THROW(T::argsort(x, 2), theon::ValueError);
}

TEST(ArgReduce, SeveralAxes) {
  auto x = T::dtensor3("x");
  auto f = theon::function({x}, {T::argmax(x, {0, 2}), T::argmin(x), x.argmax({1, 2}, true),
                                 T::argmax(x, -1)});
  std::vector<double> v(24);
  std::iota(v.begin(), v.end(), 0.0);
  v[13] = 100; // x[1, 0, 1]
  v[7] = -5;   // x[0, 1, 3]
  Array xv = Array::from_vector(v, {2, 3, 4});
  auto out = f(xv);
  // Over axes 0 and 2 (8 elements per column of axis 1, index a * 4 + c).
  EXPECT_EQ(out[0].to_vector<std::int64_t>(), (std::vector<std::int64_t>{5, 7, 7}));
  EXPECT_EQ(out[1].item<std::int64_t>(), 7);
  EXPECT_EQ(out[2].shape(), (Shape{2, 1, 1}));
  EXPECT_EQ(out[2].to_vector<std::int64_t>(), (std::vector<std::int64_t>{11, 1}));
  EXPECT_EQ(out[3].shape(), (Shape{2, 3}));
}

} // namespace

namespace {
TEST(MethodForms, AsTheanos) {
  auto x = T::dmatrix("x");
  EXPECT_EQ(T::row("r").squeeze().ndim(), 1);
  auto g = theon::function({x}, {x.sort(), x.argsort(0), x.cumsum(1), x.cumprod(), x.repeat(2, 0),
                                 x.swapaxes(0, 1), x.transpose({1, 0}),
                                 x[{T::slice(0, std::nullopt, 2), -1}]});
  auto out = g(Array::from_vector(std::vector<double>{3, 1, 2, 0, 5, 4}, {3, 2}));
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{1, 3, 0, 2, 4, 5}));
  EXPECT_EQ(out[1].to_vector<std::int64_t>(), (std::vector<std::int64_t>{1, 1, 0, 0, 2, 2}));
  EXPECT_EQ(out[2].to_vector<double>(), (std::vector<double>{3, 4, 2, 2, 5, 9}));
  EXPECT_EQ(out[3].to_vector<double>(), (std::vector<double>{3, 3, 6, 0, 0, 0}));
  EXPECT_EQ(out[4].shape(), (Shape{6, 2}));
  EXPECT_EQ(out[5].to_vector<double>(), out[6].to_vector<double>());
  EXPECT_EQ(out[7].to_vector<double>(), (std::vector<double>{1, 4}));
}
} // namespace
