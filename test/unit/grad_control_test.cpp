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
