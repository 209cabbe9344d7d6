#include <gtest/gtest.h>

#include "theon/theon.h"

namespace T = theon::tensor;

TEST(Smoke, AddBroadcast) {
  auto A = T::matrix("A");
  auto v = T::vector("v");
  auto f = theon::function({A, v}, {A + v});
  auto out = f(theon::Array(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3}),
               theon::Array(std::vector<float>{10, 20, 30}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{11, 22, 33, 14, 25, 36}));
}
