// debugprint and pp: the exact text for small graphs.
#include <gtest/gtest.h>

#include <sstream>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;

namespace {

TEST(Printing, DebugprintIsTheanosTree) {
  auto x = T::dmatrix("x");
  auto w = theon::shared(Array::zeros({2, 2}, theon::DType::Float64), "w");
  auto h = T::tanh(T::dot(x, w));
  auto y = (h * h).set_name("y");
  std::ostringstream out;
  theon::debugprint(y, out);
  EXPECT_EQ(out.str(), "mul [id A] 'y' float64 matrix\n"
                       " |tanh [id B] float64 matrix\n"
                       " | |dot [id C] float64 matrix\n"
                       " | | |x [id D] float64 matrix (input)\n"
                       " | | |w [id E] float64 matrix (shared)\n"
                       " |tanh [id B] float64 matrix\n");
  auto f = theon::function({x}, {y}, theon::Updates{{w, w + 1.0}});
  std::ostringstream fout;
  theon::debugprint(f, fout);
  EXPECT_NE(fout.str().find("w <-\n add [id F] float64 matrix\n  |w [id E] float64 matrix (shared)\n"
                            "  |constant{1} [id G] float64 scalar\n"),
            std::string::npos)
      << fout.str();
  EXPECT_THROW(theon::debugprint(theon::Variable(), out), theon::ValueError);
}

TEST(Printing, PpIsInfix) {
  auto x = T::dvector("x");
  auto y = T::dvector("y");
  EXPECT_EQ(theon::pp(x + y * 2.0), "(x + (y * constant{2}))");
  EXPECT_EQ(theon::pp(-T::exp(x) / T::sum(y)), "(-exp(x) / sum(y))");
  EXPECT_EQ(theon::pp(T::cast(x, theon::DType::Float32)), "x.astype(float32)");
}

} // namespace
