// zero_grad / disconnected_grad, grad_clip and grad_scale: the value
// unchanged, the gradient stopped, clipped or scaled.
#include <gtest/gtest.h>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;

namespace {

TEST(GradControl, ValuesUnchangedGradientsChanged) {
  auto x = T::dvector("x");
  auto y = T::sum(T::sqr(x));         // dy/dx = 2x
  auto stopped = T::sum(T::zero_grad(T::sqr(x)) * x); // value x^3 summed; gradient x^2
  auto clipped = T::sum(T::grad_clip(T::sqr(x), -1.0, 1.0) * 3.0); // g = 3 clipped to 1, * 2x
  auto scaled = T::sum(theon::grad_scale(T::sqr(x), -0.5));        // -0.5 * 2x
  auto f = theon::function({x}, {y, stopped, theon::grad(y, x), theon::grad(stopped, x),
                                 theon::grad(clipped, x), theon::grad(scaled, x), scaled,
                                 theon::grad(T::sum(T::disconnected_grad(x) * 2.0), x,
                                             theon::GradOptions{"ignore"})});
  auto out = f(Array::from_vector(std::vector<double>{1, -2, 3}));
  EXPECT_EQ(out[0].item<double>(), 14);
  EXPECT_EQ(out[1].item<double>(), 1 - 8 + 27);
  EXPECT_EQ(out[2].to_vector<double>(), (std::vector<double>{2, -4, 6}));
  EXPECT_EQ(out[3].to_vector<double>(), (std::vector<double>{1, 4, 9}));
  EXPECT_EQ(out[4].to_vector<double>(), (std::vector<double>{2, -4, 6}));
  EXPECT_EQ(out[5].to_vector<double>(), (std::vector<double>{-1, 2, -3}));
  EXPECT_EQ(out[6].item<double>(), 14); // grad_scale keeps the value
  EXPECT_EQ(out[7].to_vector<double>(), (std::vector<double>{0, 0, 0}));
  // A clip that bites: g = 3 * 2x clipped to [-2.5, 2.5] before the square's 2x.
  auto c2 = T::sum(T::sqr(T::grad_clip(x * 3.0, -2.5, 2.5)));
  auto g = theon::function({x}, {theon::grad(c2, x)});
  // d/du sum(u^2) = 2u = 6x -> clipped to [-2.5, 2.5] -> * 3.
  EXPECT_EQ(g(Array::from_vector(std::vector<double>{0.1, 1, -1}))[0].to_vector<double>(),
            (std::vector<double>{0.1 * 6 * 3, 7.5, -7.5}));
}

TEST(GradControl, BadArguments) {
  auto x = T::dvector("x");
  EXPECT_THROW_MSG(T::grad_clip(x, 1.0, -1.0), theon::ValueError, "lo", "hi");
  EXPECT_THROW_MSG(T::grad_clip(T::ivector("i"), -1.0, 1.0), theon::TypeError, "integers");
  EXPECT_THROW(T::zero_grad(theon::Variable()), theon::ValueError);
}

} // namespace

namespace {
// jacobian and hessian against closed forms and central differences.
TEST(GradControl, JacobianAndHessian) {
  auto x = T::dvector("x");
  auto a = T::dmatrix("a");
  auto y = T::dot(a, x) * T::tanh(x(0));            // y_i = (A x)_i tanh(x_0)
  auto f = theon::function({x, a}, {theon::jacobian(y, x), theon::hessian(T::sum(x * x * x), x),
                                    theon::hessian(T::dot(x, T::dot(a, x)), x)});
  Array xv = Array::from_vector(std::vector<double>{0.3, -0.7, 1.1});
  Array av = Array::from_vector(std::vector<double>{1, 2, 0, -1, 0.5, 3, 2, 1, -2}, {3, 3});
  auto out = f(xv, av);
  ASSERT_EQ(out[0].shape(), (theon::Shape{3, 3}));
  // Central differences of y.
  auto yOf = [&](std::vector<double> v) {
    std::vector<double> r(3);
    for (int i = 0; i < 3; ++i) {
      double s = 0;
      for (int j = 0; j < 3; ++j)
        s += av.at<double>(i, j) * v[static_cast<std::size_t>(j)];
      r[static_cast<std::size_t>(i)] = s * std::tanh(v[0]);
    }
    return r;
  };
  for (int j = 0; j < 3; ++j) {
    std::vector<double> p = xv.to_vector<double>(), m = p;
    p[static_cast<std::size_t>(j)] += 1e-6;
    m[static_cast<std::size_t>(j)] -= 1e-6;
    auto yp = yOf(p), ym = yOf(m);
    for (int i = 0; i < 3; ++i)
      EXPECT_NEAR(out[0].at<double>(i, j), (yp[static_cast<std::size_t>(i)] - ym[static_cast<std::size_t>(i)]) / 2e-6, 1e-7);
  }
  // sum(x^3): diag(6 x); x^T A x: A + A^T.
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      EXPECT_NEAR(out[1].at<double>(i, j), i == j ? 6 * xv.at<double>(i) : 0.0, 1e-12);
      EXPECT_NEAR(out[2].at<double>(i, j), av.at<double>(i, j) + av.at<double>(j, i), 1e-12);
    }
  EXPECT_THROW(theon::jacobian(T::ivector("i"), x), theon::TypeError);
  EXPECT_THROW(theon::jacobian(theon::Variable(), x), theon::ValueError);
}

/// a + t * b, elementwise, for float64 arrays of one shape.
Array Axpy(const Array &a, const Array &b, double t) {
  Array out = a.copy();
  for (std::int64_t i = 0; i < out.size(); ++i)
    out.data<double>()[i] += t * b.get_flat(i);
  return out;
}

TEST(GradControl, ConsiderConstantStopsOnlyThatGradient) {
  auto x = T::dvector("x");
  auto c = T::sqr(x);
  auto cost = T::sum(x * c); // sum(x^3)
  auto constant = theon::grad(cost, x, theon::GradOptions{}.with_consider_constant({c}));
  auto full = theon::grad(cost, x);
  auto f = theon::function({x}, {constant, full, cost});
  auto out = f(Array::from_vector(std::vector<double>{1, 2, -3}));
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{1, 4, 9}));   // c = x^2 held
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{3, 12, 27})); // 3x^2
  EXPECT_EQ(out[2].item<double>(), 1 + 8 - 27);
  // A wrt reached only through a constant is disconnected.
  auto w = T::dscalar("w");
  auto w2 = T::sqr(w);
  auto through = T::sum(x) * w2;
  EXPECT_THROW(theon::grad(through, w, theon::GradOptions{}.with_consider_constant({w2})),
               theon::ValueError);
  EXPECT_THROW(theon::grad(cost, x, theon::GradOptions{}.with_consider_constant({theon::Variable()})),
               theon::ValueError);
  auto warned = theon::grad(T::sum(x), w, theon::GradOptions{"warn"});
  EXPECT_EQ(theon::function({x, w}, {warned})(Array::zeros({2}, DType::Float64), 1.0)[0]
                .item<double>(), 0);
}

TEST(GradControl, KnownGradsAndLop) {
  auto W = T::dmatrix("W");
  auto x = T::dvector("x");
  auto g = T::dvector("g");
  auto h = T::tanh(T::dot(W, x));
  // The gradient flowing into h is g: dW = (g * (1 - h^2)) outer x.
  auto viaKnown = theon::grad(theon::Variable(), W,
                              theon::GradOptions{}.with_known_grads({{h, g}}));
  auto viaCost = theon::grad(T::sum(h * g), W);
  auto lop = theon::Lop(h, W, g);
  auto lops = theon::Lop(h, std::vector<theon::Variable>{W, x}, g);
  auto f = theon::function({W, x, g}, {viaKnown, viaCost, lop, lops[1], theon::grad(T::sum(h * g), x)});
  Array w = Axpy(Array::zeros({2, 3}, DType::Float64), theon_test::Iota({2, 3}), 0.1);
  auto out = f(w, Array::from_vector(std::vector<double>{1, -1, 0.5}),
               Array::from_vector(std::vector<double>{2, 3}));
  EXPECT_EQ(out[0].to_vector<double>(), out[1].to_vector<double>());
  EXPECT_EQ(out[2].to_vector<double>(), out[1].to_vector<double>());
  EXPECT_EQ(out[3].to_vector<double>(), out[4].to_vector<double>());
  // Bad eval points and known gradients.
  EXPECT_THROW(theon::Lop(h, W, T::dmatrix()), theon::TypeError);
  EXPECT_THROW(theon::Lop(h, W, T::ivector()), theon::TypeError);
  auto wrongShape = theon::function({W, x, g}, {theon::Lop(h, W, g)});
  EXPECT_THROW(wrongShape(w, Array::zeros({3}, DType::Float64), Array::zeros({5}, DType::Float64)),
               theon::ShapeError);
  EXPECT_THROW(theon::grad(theon::Variable(), W), theon::ValueError);
  EXPECT_THROW(theon::grad(theon::Variable(), W, theon::GradOptions{}.with_known_grads({{h, T::dmatrix()}})),
               theon::TypeError);
}

TEST(GradControl, RopMatchesFiniteDifferences) {
  auto W = T::dmatrix("W");
  auto x = T::dvector("x");
  auto vW = T::dmatrix("vW");
  auto vx = T::dvector("vx");
  auto f = T::tanh(T::dot(W, x)) * T::sum(T::sqr(x));
  auto jvp = theon::Rop(f, std::vector<theon::Variable>{W, x}, std::vector<theon::Variable>{vW, vx});
  auto jvpW = theon::Rop(f, W, vW);
  auto rop = theon::function({W, x, vW, vx}, {jvp, jvpW});
  auto value = theon::function({W, x}, {f});
  Array w = Axpy(Array::zeros({2, 3}, DType::Float64), theon_test::Iota({2, 3}), 0.1);
  Array xv = Array::from_vector(std::vector<double>{0.3, -0.2, 0.5});
  Array dw = Array::from_vector(std::vector<double>{1, -2, 0.5, 0.25, 1.5, -1}, {2, 3});
  Array dx = Array::from_vector(std::vector<double>{-1, 0.5, 2});
  auto out = rop(w, xv, dw, dx);
  const double eps = 1e-6;
  auto at = [&](double t, bool moveX) {
    Array w2 = Axpy(w, dw, t);
    Array x2 = moveX ? Axpy(xv, dx, t) : xv;
    return value(w2, x2)[0];
  };
  for (int which = 0; which < 2; ++which) {
    Array plus = at(eps, which == 0), minus = at(-eps, which == 0);
    for (std::int64_t i = 0; i < 2; ++i) {
      double numeric = (plus.get_flat(i) - minus.get_flat(i)) / (2 * eps);
      EXPECT_NEAR(out[static_cast<std::size_t>(which)].get_flat(i), numeric, 1e-7)
          << "element " << i << (which == 0 ? " (both)" : " (W only)");
    }
  }
  EXPECT_THROW(theon::Rop(f, std::vector<theon::Variable>{W, x}, std::vector<theon::Variable>{vW}),
               theon::ValueError);
  EXPECT_THROW(theon::Rop(f, W, vx), theon::TypeError);
  auto bad = theon::function({W, x, vW}, {theon::Rop(f, W, vW)});
  EXPECT_THROW(bad(w, xv, Array::zeros({3, 2}, DType::Float64)), theon::ShapeError);
}
} // namespace
