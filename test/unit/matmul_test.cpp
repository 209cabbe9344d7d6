// Matrix products through theon-linalg-to-blas (OpenBLAS gemm, transpose
// flags, beta = 0) against a plain reference loop, over awkward sizes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <tuple>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using namespace theon_test;

namespace {

using Case = std::tuple<std::int64_t, std::int64_t, std::int64_t, DType>;

class Gemm : public ::testing::TestWithParam<Case> {};

TEST_P(Gemm, AllTransposesMatchReference) {
  auto [m, k, n, dtype] = GetParam();
  std::mt19937 rng(static_cast<unsigned>(m * 131 + k * 17 + n));
  double tol = dtype == DType::Float32 ? 1e-4 * std::max<double>(1, std::sqrt(double(k))) : 1e-12 * k;
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      auto A = T::tensor(dtype, {false, false}, "A");
      auto B = T::tensor(dtype, {false, false}, "B");
      auto f = theon::function({A, B}, {T::dot(ta ? A.T() : A, tb ? B.T() : B)});
      Array a = ta ? Random({k, m}, dtype, rng) : Random({m, k}, dtype, rng);
      Array b = tb ? Random({n, k}, dtype, rng) : Random({k, n}, dtype, rng);
      Array c = f(a, b)[0];
      ASSERT_EQ(c.shape(), (theon::Shape{m, n}));
      std::vector<double> expected = DotRef(ta ? a.T() : a, tb ? b.T() : b);
      for (std::int64_t i = 0; i < c.size(); ++i)
        ASSERT_NEAR(c.get_flat(i), expected[static_cast<std::size_t>(i)], tol)
            << "element " << i << " transA=" << ta << " transB=" << tb;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Gemm,
    ::testing::Values(Case{1, 1, 1, DType::Float32}, Case{1, 7, 5, DType::Float32},
                      Case{6, 7, 1, DType::Float32}, Case{7, 13, 5, DType::Float64},
                      Case{32, 64, 100, DType::Float32}, Case{65, 129, 33, DType::Float32},
                      Case{3, 0, 4, DType::Float32}, Case{0, 3, 4, DType::Float64},
                      // A @ B.T above the size where B is copied transposed
                      // first: by work, and by B's size.
                      Case{130, 90, 100, DType::Float32}, Case{2, 300, 300, DType::Float32}),
    [](const auto &info) {
      return "m" + std::to_string(std::get<0>(info.param)) + "k" +
             std::to_string(std::get<1>(info.param)) + "n" +
             std::to_string(std::get<2>(info.param)) + theon::dtype_name(std::get<3>(info.param));
    });

TEST(GemmIR, ProductsCallBlas) {
  auto A = T::matrix("A");
  auto B = T::matrix("B");
  auto f = theon::function({A, B}, {T::dot(A, B.T())});
  f(Array::ones({2, 3}), Array::ones({4, 3}));
  std::string loops = f.ir("loops");
  EXPECT_NE(loops.find("call @theon_gemm_f32"), std::string::npos) << loops;
  EXPECT_EQ(loops.find("linalg.matmul"), std::string::npos) << loops;
}

TEST(GemmIR, IntegerProductsStayLoops) {
  auto A = T::imatrix("A");
  auto B = T::imatrix("B");
  auto f = theon::function({A, B}, {T::dot(A, B)});
  Array a = Array::from_vector(std::vector<std::int32_t>{1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(f(a, a)[0].to_vector<std::int32_t>(), (std::vector<std::int32_t>{7, 10, 15, 22}));
  EXPECT_EQ(f.ir("loops").find("theon_gemm"), std::string::npos);
}

} // namespace
