// T::nnet::conv2d and pool_2d against direct loops over every option
// (border modes, strides, dilation, groups, flipping; pooling modes,
// ignore_border, padding), their gradients by verify_grad, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "theon/theon.h"

namespace T = theon::tensor;
namespace nnet = theon::tensor::nnet;
using theon::Array;
using theon::DType;
using theon::Variable;

namespace {

struct ConvCase {
  std::int64_t n, c, h, w, f, kh, kw;
  nnet::BorderMode border;
  std::array<std::int64_t, 2> stride, dilation;
  std::int64_t groups;
  bool flip;
};

/// The padding Theano's border mode gives, and the output's spatial size.
struct ConvGeometry {
  std::int64_t pad[2], oh, ow;
};

ConvGeometry geometry(const ConvCase &k) {
  std::int64_t extent[2] = {(k.kh - 1) * k.dilation[0] + 1, (k.kw - 1) * k.dilation[1] + 1};
  ConvGeometry g{{k.border.rows, k.border.cols}, 0, 0};
  for (int a = 0; a < 2; ++a) {
    if (k.border.mode == "full")
      g.pad[a] = extent[a] - 1;
    else if (k.border.mode == "half")
      g.pad[a] = extent[a] / 2;
  }
  g.oh = (k.h + 2 * g.pad[0] - extent[0]) / k.stride[0] + 1;
  g.ow = (k.w + 2 * g.pad[1] - extent[1]) / k.stride[1] + 1;
  return g;
}

/// Calls `tap(y, x, w)` with the flat indices of every product
/// y[n, f, i, j] += x[n, c, r, q] * w[f, c', a', b'] in Theano's conv2d, by
/// its definition.
template <class Tap> void forEachTap(const ConvCase &k, Tap tap) {
  ConvGeometry g = geometry(k);
  std::int64_t cg = k.c / k.groups, fg = k.f / k.groups;
  for (std::int64_t n = 0; n < k.n; ++n)
    for (std::int64_t f = 0; f < k.f; ++f)
      for (std::int64_t i = 0; i < g.oh; ++i)
        for (std::int64_t j = 0; j < g.ow; ++j)
          for (std::int64_t c = 0; c < cg; ++c)
            for (std::int64_t a = 0; a < k.kh; ++a)
              for (std::int64_t b = 0; b < k.kw; ++b) {
                std::int64_t r = i * k.stride[0] - g.pad[0] + a * k.dilation[0];
                std::int64_t q = j * k.stride[1] - g.pad[1] + b * k.dilation[1];
                if (r < 0 || r >= k.h || q < 0 || q >= k.w)
                  continue;
                std::int64_t channel = (f / fg) * cg + c;
                std::int64_t fa = k.flip ? k.kh - 1 - a : a, fb = k.flip ? k.kw - 1 - b : b;
                tap(static_cast<std::size_t>(((n * k.f + f) * g.oh + i) * g.ow + j),
                    static_cast<std::size_t>(((n * k.c + channel) * k.h + r) * k.w + q),
                    static_cast<std::size_t>(((f * cg + c) * k.kh + fa) * k.kw + fb));
              }
}

/// Theano's conv2d by its definition, in double.
std::vector<double> referenceConv(const Array &xa, const Array &wa, const ConvCase &k) {
  std::vector<double> x = xa.to_vector<double>(), w = wa.to_vector<double>();
  ConvGeometry g = geometry(k);
  std::vector<double> y(static_cast<std::size_t>(k.n * k.f * g.oh * g.ow), 0.0);
  forEachTap(k, [&](std::size_t yi, std::size_t xi, std::size_t wi) { y[yi] += x[xi] * w[wi]; });
  return y;
}

const std::vector<ConvCase> &convCases() {
  static const std::vector<ConvCase> cases = {
      {2, 3, 7, 6, 4, 3, 3, "valid", {1, 1}, {1, 1}, 1, true},
      {2, 3, 7, 6, 4, 3, 3, "valid", {1, 1}, {1, 1}, 1, false},
      {1, 2, 5, 5, 3, 3, 2, "full", {1, 1}, {1, 1}, 1, true},
      {2, 2, 6, 7, 2, 3, 3, "half", {1, 1}, {1, 1}, 1, true},
      {1, 3, 9, 8, 2, 3, 3, nnet::BorderMode(2, 1), {2, 3}, {1, 1}, 1, false},
      {2, 2, 9, 9, 3, 2, 3, "valid", {1, 1}, {2, 2}, 1, true},
      {1, 2, 11, 10, 2, 3, 2, 1, {2, 2}, {2, 3}, 1, false},
      {2, 4, 6, 6, 6, 3, 3, "half", {1, 1}, {1, 1}, 2, true},
      {1, 6, 7, 5, 6, 2, 2, "valid", {2, 1}, {1, 1}, 3, false},
      {3, 1, 5, 5, 2, 5, 5, "valid", {1, 1}, {1, 1}, 1, true},
      {2, 3, 4, 4, 5, 1, 1, "valid", {1, 1}, {1, 1}, 1, true},
      // From 2^22 multiply-adds on, the images run in parallel (forall).
      {8, 16, 16, 16, 32, 3, 3, "half", {1, 1}, {1, 1}, 2, true},
      {16, 16, 17, 17, 32, 3, 3, nnet::BorderMode(1, 2), {2, 2}, {1, 1}, 1, false},
  };
  return cases;
}

std::string describe(const ConvCase &k) {
  return "case x(" + std::to_string(k.n) + "," + std::to_string(k.c) + "," + std::to_string(k.h) +
         "," + std::to_string(k.w) + ") w(" + std::to_string(k.f) + "," +
         std::to_string(k.c / k.groups) + "," + std::to_string(k.kh) + "," + std::to_string(k.kw) +
         ") border " + (k.border.mode.empty() ? std::to_string(k.border.rows) : k.border.mode) +
         " stride " + std::to_string(k.stride[0]) + "," + std::to_string(k.stride[1]) +
         " dilation " + std::to_string(k.dilation[0]) + "," + std::to_string(k.dilation[1]) +
         " groups " + std::to_string(k.groups) + (k.flip ? " flip" : "");
}

TEST(Conv2d, MatchesDirectLoopsForEveryOption) {
  for (DType dtype : {DType::Float64, DType::Float32}) {
    for (const ConvCase &k : convCases()) {
      SCOPED_TRACE(describe(k));
      auto x = T::tensor(dtype, 4, "x");
      auto w = T::tensor(dtype, 4, "w");
      auto f = theon::function(
          {x, w}, {nnet::conv2d(x, w, k.border, k.stride, k.flip, k.dilation, k.groups)});
      Array xv = Array::uniform({k.n, k.c, k.h, k.w}, -1.0, 1.0, dtype);
      Array wv = Array::uniform({k.f, k.c / k.groups, k.kh, k.kw}, -1.0, 1.0, dtype);
      std::vector<double> expect = referenceConv(xv, wv, k);
      Array y = f(xv, wv)[0];
      ConvGeometry g = geometry(k);
      ASSERT_EQ(y.shape(), (theon::Shape{k.n, k.f, g.oh, g.ow}));
      std::vector<double> got = y.to_vector<double>();
      double tolerance = dtype == DType::Float64 ? 1e-12 : 1e-4;
      for (std::size_t i = 0; i < got.size(); ++i)
        ASSERT_NEAR(got[i], expect[i], tolerance) << "element " << i;
    }
  }
}

/// The cases small enough for finite differences of every element: the
/// large (parallel) ones take minutes that way, and their
/// double-backpropagation costs sum 1e4 terms, whose round-off swamps
/// central differences. They run the same three ops, whose gradients
/// GradientsMatchDirectLoops checks on every case.
bool smallCase(const ConvCase &k) { return k.n * k.c * k.h * k.w <= 10000; }

// The gradients of sum(conv2d(x, w) * r) are the input's and the filters'
// sums over the same taps, by their definition.
TEST(Conv2d, GradientsMatchDirectLoops) {
  for (DType dtype : {DType::Float64, DType::Float32}) {
    for (const ConvCase &k : convCases()) {
      SCOPED_TRACE(describe(k));
      auto x = T::tensor(dtype, 4, "x"), w = T::tensor(dtype, 4, "w"), r = T::tensor(dtype, 4, "r");
      Variable y = nnet::conv2d(x, w, k.border, k.stride, k.flip, k.dilation, k.groups);
      std::vector<Variable> g = theon::grad(T::sum(y * r), {x, w});
      Array xv = Array::uniform({k.n, k.c, k.h, k.w}, -1.0, 1.0, dtype);
      Array wv = Array::uniform({k.f, k.c / k.groups, k.kh, k.kw}, -1.0, 1.0, dtype);
      ConvGeometry shape = geometry(k);
      Array rv = Array::uniform({k.n, k.f, shape.oh, shape.ow}, -1.0, 1.0, dtype);
      std::vector<double> xs = xv.to_vector<double>(), ws = wv.to_vector<double>(),
                          rs = rv.to_vector<double>();
      std::vector<double> dx(xs.size(), 0.0), dw(ws.size(), 0.0);
      forEachTap(k, [&](std::size_t yi, std::size_t xi, std::size_t wi) {
        dx[xi] += rs[yi] * ws[wi];
        dw[wi] += rs[yi] * xs[xi];
      });
      std::vector<Array> got = theon::function({x, w, r}, g)(xv, wv, rv);
      double tolerance = dtype == DType::Float64 ? 1e-10 : 2e-3;
      std::vector<double> gx = got[0].to_vector<double>(), gw = got[1].to_vector<double>();
      for (std::size_t i = 0; i < dx.size(); ++i)
        ASSERT_NEAR(gx[i], dx[i], tolerance) << "dx element " << i;
      for (std::size_t i = 0; i < dw.size(); ++i)
        ASSERT_NEAR(gw[i], dw[i], tolerance * (1 + std::fabs(dw[i]))) << "dw element " << i;
    }
  }
}

TEST(Conv2d, GradientsPassVerifyGrad) {
  for (const ConvCase &k : convCases()) {
    SCOPED_TRACE(describe(k));
    if (!smallCase(k))
      continue; // finite differences of every element: minutes (next test)
    Array xv = Array::uniform({k.n, k.c, k.h, k.w}, -1.0, 1.0, DType::Float64);
    Array wv = Array::uniform({k.f, k.c / k.groups, k.kh, k.kw}, -1.0, 1.0, DType::Float64);
    EXPECT_NO_THROW(theon::verify_grad(
        [&](const std::vector<Variable> &v) {
          return nnet::conv2d(v[0], v[1], k.border, k.stride, k.flip, k.dilation, k.groups);
        },
        {xv, wv}));
  }
}


/// The penalty is a polynomial of degree 4 at most: a step of 1e-4 keeps
/// its central differences' truncation small and their round-off (the
/// cost over the step, in float64) well under the tolerance, which 1e-6
/// did not always (2e-5 at an element of 0.81 under ASan's other draws).
theon::VerifyGradOptions secondOrderOptions() {
  theon::VerifyGradOptions options;
  options.eps = 1e-4;
  return options;
}

// Second derivatives: the gradient ops' own rules, through a penalty on
// the gradient (double backpropagation), for every option.
TEST(Conv2d, GradientsOfGradientsPassVerifyGrad) {
  for (const ConvCase &k : convCases()) {
    SCOPED_TRACE(describe(k));
    if (!smallCase(k))
      continue;
    Array xv = Array::uniform({k.n, k.c, k.h, k.w}, -1.0, 1.0, DType::Float64);
    Array wv = Array::uniform({k.f, k.c / k.groups, k.kh, k.kw}, -1.0, 1.0, DType::Float64);
    EXPECT_NO_THROW(theon::verify_grad(
        [&](const std::vector<Variable> &v) {
          Variable y = nnet::conv2d(v[0], v[1], k.border, k.stride, k.flip, k.dilation, k.groups);
          Variable cost = T::sum(T::sqr(y));
          std::vector<Variable> g = theon::grad(cost, {v[0], v[1]});
          return T::sum(T::sqr(g[0])) + T::sum(g[1] * v[1]);
        },
        {xv, wv}, secondOrderOptions()));
  }
}

TEST(Conv2d, MixedDtypesUpcastAndTheResultIsBroadcastableLikeTheano) {
  // Theano's pattern: (input's batch axis, filters' first axis, false, false).
  auto x = T::tensor(DType::Float32, std::vector<bool>{true, false, false, false}, "x");
  auto w = T::dtensor4("w");
  Variable y = nnet::conv2d(x, w);
  EXPECT_EQ(y.dtype(), DType::Float64);
  EXPECT_EQ(y.broadcastable(), (std::vector<bool>{true, false, false, false}));
  auto one = T::tensor(DType::Float64, std::vector<bool>{false, false, true, true}, "one");
  EXPECT_EQ(nnet::conv2d(T::dtensor4("x"), one).broadcastable(),
            (std::vector<bool>{false, false, false, false}));
}

TEST(Conv2d, BadArgumentsAreClearErrors) {
  auto x = T::tensor4("x");
  auto w = T::tensor4("w");
  auto m = T::matrix("m");
  EXPECT_THROW(nnet::conv2d(m, w), theon::TypeError);
  EXPECT_THROW(nnet::conv2d(x, m), theon::TypeError);
  EXPECT_THROW(nnet::conv2d(T::itensor4("i"), w), theon::TypeError);
  EXPECT_THROW(nnet::conv2d(x, w, "same"), theon::ValueError);
  EXPECT_THROW(nnet::conv2d(x, w, -1), theon::ValueError);
  EXPECT_THROW(nnet::conv2d(x, w, "valid", {0, 1}), theon::ValueError);
  EXPECT_THROW(nnet::conv2d(x, w, "valid", {1, 1}, true, {1, 0}), theon::ValueError);
  EXPECT_THROW(nnet::conv2d(x, w, "valid", {1, 1}, true, {1, 1}, 0), theon::ValueError);
  // Shapes that do not fit are found when the function is compiled.
  auto expectShapeError = [&](Variable y, Array xv, Array wv, const std::string &needle) {
    auto f = theon::function({x, w}, {y});
    try {
      f(xv, wv);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const theon::ShapeError &e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expectShapeError(nnet::conv2d(x, w), Array::zeros({1, 3, 5, 5}), Array::zeros({2, 2, 3, 3}),
                   "take 2 input channels, but the input");
  expectShapeError(nnet::conv2d(x, w), Array::zeros({1, 1, 2, 5}), Array::zeros({2, 1, 3, 3}),
                   "does not fit the 2 padded rows");
  expectShapeError(nnet::conv2d(x, w, "valid", {1, 1}, true, {1, 1}, 2),
                   Array::zeros({1, 3, 5, 5}), Array::zeros({2, 1, 3, 3}),
                   "groups (2) must divide");
}

struct PoolCase {
  std::int64_t h, w;
  std::array<std::int64_t, 2> ws;
  bool ignoreBorder;
  std::array<std::int64_t, 2> stride, pad;
};

/// Theano's Pool.perform, in double, over (n, c) images of h x w.
std::vector<double> referencePool(const std::vector<double> &x, std::int64_t images,
                                  const PoolCase &k, const std::string &mode, std::int64_t &oh,
                                  std::int64_t &ow) {
  std::int64_t size[2] = {k.h, k.w}, out[2];
  for (int a = 0; a < 2; ++a) {
    std::int64_t r = size[a] + 2 * k.pad[a];
    if (k.ignoreBorder)
      out[a] = (r - k.ws[a]) / k.stride[a] + 1;
    else if (k.stride[a] >= k.ws[a])
      out[a] = (r - 1) / k.stride[a] + 1;
    else
      out[a] = std::max<std::int64_t>(0, (r - 1 - k.ws[a] + k.stride[a]) / k.stride[a]) + 1;
  }
  oh = out[0];
  ow = out[1];
  bool incPad = mode == "average_inc_pad";
  std::vector<double> y;
  for (std::int64_t im = 0; im < images; ++im)
    for (std::int64_t i = 0; i < oh; ++i)
      for (std::int64_t j = 0; j < ow; ++j) {
        // Window bounds in padded coordinates, clipped as Theano clips them.
        std::int64_t rs = i * k.stride[0], re = std::min(rs + k.ws[0], k.h + 2 * k.pad[0]);
        std::int64_t cs = j * k.stride[1], ce = std::min(cs + k.ws[1], k.w + 2 * k.pad[1]);
        if (!incPad) {
          rs = std::max(rs, k.pad[0]);
          re = std::min(re, k.h + k.pad[0]);
          cs = std::max(cs, k.pad[1]);
          ce = std::min(ce, k.w + k.pad[1]);
        }
        double sum = 0, best = -std::numeric_limits<double>::infinity();
        for (std::int64_t r = rs; r < re; ++r)
          for (std::int64_t c = cs; c < ce; ++c) {
            std::int64_t xr = r - k.pad[0], xc = c - k.pad[1];
            double v = (xr < 0 || xr >= k.h || xc < 0 || xc >= k.w)
                           ? 0.0
                           : x[static_cast<std::size_t>((im * k.h + xr) * k.w + xc)];
            sum += v;
            best = std::max(best, v);
          }
        double count = static_cast<double>((re - rs) * (ce - cs));
        y.push_back(mode == "max" ? best : mode == "sum" ? sum : sum / count);
      }
  return y;
}

const std::vector<PoolCase> &poolCases() {
  static const std::vector<PoolCase> cases = {
      {6, 6, {2, 2}, true, {2, 2}, {0, 0}},  {7, 5, {2, 2}, true, {2, 2}, {0, 0}},
      {7, 5, {2, 2}, false, {2, 2}, {0, 0}}, {7, 8, {3, 2}, false, {1, 2}, {0, 0}},
      {6, 7, {3, 3}, true, {2, 2}, {1, 1}},  {5, 6, {3, 2}, true, {1, 1}, {2, 1}},
      {9, 9, {2, 3}, false, {3, 2}, {0, 0}},
  };
  return cases;
}

const char *const kModes[] = {"max", "sum", "average_inc_pad", "average_exc_pad"};

TEST(Pool2d, MatchesTheanosPoolForEveryModeAndBorder) {
  for (DType dtype : {DType::Float64, DType::Float32})
    for (const PoolCase &k : poolCases())
      for (const char *mode : kModes) {
        SCOPED_TRACE(std::string(mode) + " " + std::to_string(k.h) + "x" + std::to_string(k.w) +
                     " ws " + std::to_string(k.ws[0]) + "," + std::to_string(k.ws[1]) +
                     (k.ignoreBorder ? " ignore_border" : "") + " stride " +
                     std::to_string(k.stride[0]) + "," + std::to_string(k.stride[1]) + " pad " +
                     std::to_string(k.pad[0]) + "," + std::to_string(k.pad[1]));
        auto x = T::tensor(dtype, 4, "x");
        auto f = theon::function({x}, {nnet::pool_2d(x, k.ws, k.ignoreBorder, k.stride, k.pad, mode)});
        Array xv = Array::uniform({2, 3, k.h, k.w}, -1.0, 1.0, dtype);
        std::int64_t oh = 0, ow = 0;
        std::vector<double> expect = referencePool(xv.to_vector<double>(), 6, k, mode, oh, ow);
        Array y = f(xv)[0];
        ASSERT_EQ(y.shape(), (theon::Shape{2, 3, oh, ow}));
        std::vector<double> got = y.to_vector<double>();
        double tolerance = dtype == DType::Float64 ? 1e-12 : 1e-5;
        for (std::size_t i = 0; i < got.size(); ++i)
          ASSERT_NEAR(got[i], expect[i], tolerance) << "element " << i;
      }
}

TEST(Pool2d, GradientsPassVerifyGrad) {
  for (const PoolCase &k : poolCases())
    for (const char *mode : kModes) {
      SCOPED_TRACE(std::string(mode) + " " + std::to_string(k.h) + "x" + std::to_string(k.w));
      // Distinct values, so that no window's maximum is a tie.
      std::vector<double> values(static_cast<std::size_t>(2 * 2 * k.h * k.w));
      for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = std::sin(1.7 * static_cast<double>(i) + 0.3) * 3;
      Array xv = Array::from_vector<double>(values, {2, 2, k.h, k.w});
      EXPECT_NO_THROW(theon::verify_grad(
          [&](const std::vector<Variable> &v) {
            return nnet::pool_2d(v[0], k.ws, k.ignoreBorder, k.stride, k.pad, mode);
          },
          {xv}));
    }
}

TEST(Pool2d, MaxGradientGoesToEveryTiedElementAsTheano) {
  auto x = T::matrix("x");
  Variable cost = T::sum(nnet::pool_2d(x, {2, 2}, true));
  auto f = theon::function({x}, {theon::grad(cost, x)});
  Array xv = Array::from_vector<float>({1, 3, 0, 0, 3, 2, 0, 0}, {2, 4});
  EXPECT_EQ(f(xv)[0].to_vector<float>(), (std::vector<float>{0, 1, 1, 1, 1, 0, 1, 1}));
}

TEST(Pool2d, LowerRankInputsPoolTheirLastTwoAxes) {
  auto m = T::matrix("m");
  auto t = T::tensor3("t");
  auto f = theon::function({m, t}, {nnet::pool_2d(m, {2, 2}, true, std::nullopt, {0, 0}, "sum"),
                                    nnet::pool_2d(t, {1, 2}, false)});
  Array mv = Array::from_vector<float>({1, 2, 3, 4, 5, 6, 7, 8}, {2, 4});
  Array tv = Array::from_vector<float>({1, 5, 2, 7, 3, 0}, {2, 1, 3});
  std::vector<Array> r = f(mv, tv);
  EXPECT_EQ(r[0].shape(), (theon::Shape{1, 2}));
  EXPECT_EQ(r[0].to_vector<float>(), (std::vector<float>{14, 22}));
  EXPECT_EQ(r[1].shape(), (theon::Shape{2, 1, 2}));
  EXPECT_EQ(r[1].to_vector<float>(), (std::vector<float>{5, 2, 7, 0}));
}

TEST(Pool2d, BadArgumentsAreClearErrors) {
  auto x = T::tensor4("x");
  EXPECT_THROW(nnet::pool_2d(T::vector("v"), {2, 2}), theon::TypeError);
  EXPECT_THROW(nnet::pool_2d(T::itensor4("i"), {2, 2}), theon::TypeError);
  EXPECT_THROW(nnet::pool_2d(x, {2, 2}, true, std::nullopt, {0, 0}, "median"), theon::ValueError);
  EXPECT_THROW(nnet::pool_2d(x, {0, 2}), theon::ValueError);
  EXPECT_THROW(nnet::pool_2d(x, {2, 2}, true, std::array<std::int64_t, 2>{1, 0}), theon::ValueError);
  EXPECT_THROW(nnet::pool_2d(x, {2, 2}, true, std::nullopt, {2, 0}), theon::ValueError);
  EXPECT_THROW(nnet::pool_2d(x, {2, 2}, false, std::nullopt, {1, 1}), theon::ValueError);
  auto f = theon::function({x}, {nnet::pool_2d(x, {3, 3}, true)});
  try {
    f(Array::zeros({1, 1, 2, 5}));
    ADD_FAILURE() << "a window larger than the image";
  } catch (const theon::ShapeError &e) {
    EXPECT_NE(std::string(e.what()).find("does not fit"), std::string::npos) << e.what();
  }
}

} // namespace
