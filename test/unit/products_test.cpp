// dot and matmul for any rank, tensordot and batched_dot against reference
// loops, with gradients.
#include <gtest/gtest.h>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Shape;
using Vars = std::vector<theon::Variable>;

namespace {

Array RandomArray(const Shape &shape, unsigned seed) {
  std::mt19937 rng(seed);
  return theon_test::Random(shape, DType::Float64, rng);
}

// Reference: out[free_a..., free_b...] = sum_k a[..k..] b[..k..] for one
// contracted axis pair (ia, ib).
Array TensordotRef(const Array &a, const Array &b, int ia, int ib) {
  Shape sa = a.shape(), sb = b.shape(), out;
  for (std::size_t d = 0; d < sa.size(); ++d)
    if (static_cast<int>(d) != ia)
      out.push_back(sa[d]);
  for (std::size_t d = 0; d < sb.size(); ++d)
    if (static_cast<int>(d) != ib)
      out.push_back(sb[d]);
  std::vector<double> r(static_cast<std::size_t>(theon_test::NumElements(out)), 0.0);
  std::vector<double> av = a.to_vector<double>(), bv = b.to_vector<double>();
  for (std::int64_t f = 0; f < static_cast<std::int64_t>(r.size()); ++f) {
    auto idx = theon_test::Unravel(f, out);
    std::vector<std::int64_t> ja(idx.begin(), idx.begin() + static_cast<long>(sa.size() - 1));
    std::vector<std::int64_t> jb(idx.begin() + static_cast<long>(sa.size() - 1), idx.end());
    ja.insert(ja.begin() + ia, 0);
    jb.insert(jb.begin() + ib, 0);
    double acc = 0;
    for (std::int64_t k = 0; k < sa[static_cast<std::size_t>(ia)]; ++k) {
      ja[static_cast<std::size_t>(ia)] = k;
      jb[static_cast<std::size_t>(ib)] = k;
      acc += av[static_cast<std::size_t>(theon_test::Ravel(ja, sa))] *
             bv[static_cast<std::size_t>(theon_test::Ravel(jb, sb))];
    }
    r[static_cast<std::size_t>(f)] = acc;
  }
  return Array::from_vector(r, out);
}

void ExpectNear(const Array &actual, const Array &expected) {
  ASSERT_EQ(actual.shape(), expected.shape());
  auto a = actual.to_vector<double>(), e = expected.to_vector<double>();
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i], e[i], 1e-12) << i;
}

TEST(Products, DotOfAnyRankIsNumPys) {
  auto t = T::dtensor3("t");
  auto m = T::dmatrix("m");
  auto v = T::dvector("v");
  auto q = T::dtensor3("q");
  auto f = theon::function({t, m, v}, {T::dot(t, m), T::dot(t, v), T::dot(t, T::as_tensor_like(2.0, t))});
  Array tv = RandomArray({2, 3, 4}, 1), mv = RandomArray({4, 5}, 2), vv = RandomArray({4}, 3),
        qv = RandomArray({3, 5, 2}, 4);
  auto out = f(tv, mv, vv);
  ExpectNear(out[0], TensordotRef(tv, mv, 2, 0));
  ExpectNear(out[1], TensordotRef(tv, vv, 2, 0));
  // dot(m, q) for a 3-d q contracts q's second-to-last axis: (4, 5).(3, 5, 2).
  auto g = theon::function({m, q}, {T::dot(m, q)});
  ExpectNear(g(mv, qv)[0], TensordotRef(mv, qv, 1, 1));
  std::vector<double> twice = tv.to_vector<double>();
  for (double &d : twice)
    d *= 2;
  EXPECT_EQ(out[2].to_vector<double>(), twice); // a scalar operand multiplies
}

TEST(Products, Tensordot) {
  auto a = T::dtensor3("a");
  auto b = T::dtensor3("b");
  auto f = theon::function({a, b}, {T::tensordot(a, b, {1}, {2}), T::tensordot(a, b, 1)});
  Array av = RandomArray({2, 3, 4}, 6), bv = RandomArray({4, 2, 3}, 7);
  auto out = f(av, bv);
  ExpectNear(out[0], TensordotRef(av, bv, 1, 2));
  ExpectNear(out[1], TensordotRef(av, bv, 2, 0));
  // Two axes pairs: (2, 3, 4) . (3, 4, 5) over (1, 2) with (0, 1).
  auto g = theon::function({a, b}, {T::tensordot(a, b)});
  Array cv = RandomArray({3, 4, 5}, 8);
  Array r = g(av, cv)[0];
  ASSERT_EQ(r.shape(), (Shape{2, 5}));
  for (std::int64_t i = 0; i < 2; ++i)
    for (std::int64_t j = 0; j < 5; ++j) {
      double acc = 0;
      for (std::int64_t x = 0; x < 3; ++x)
        for (std::int64_t y = 0; y < 4; ++y)
          acc += av.at<double>(i, x, y) * cv.at<double>(x, y, j);
      EXPECT_NEAR(r.at<double>(i, j), acc, 1e-12);
    }
  theon::verify_grad([](const Vars &v) { return T::tensordot(v[0], v[1], {1, 0}, {0, 2}); },
                     {RandomArray({3, 2, 4}, 9), RandomArray({2, 5, 3}, 10)});
}

// matmul batches (broadcasting the batch axes), small and large.
TEST(Products, MatmulAndBatchedDot) {
  for (std::int64_t batch : {3, 70}) {
    auto a = T::dtensor3("a");
    auto b = T::dtensor3("b");
    auto v = T::dvector("v");
    auto f = theon::function({a, b, v}, {T::matmul(a, b), T::matmul(a, v), T::batched_dot(a, b),
                                         T::matmul(a, b(T::slice(0, 1)))});
    Array av = RandomArray({batch, 2, 3}, 11), bv = RandomArray({batch, 3, 4}, 12),
          vv = RandomArray({3}, 13);
    auto out = f(av, bv, vv);
    ASSERT_EQ(out[0].shape(), (Shape{batch, 2, 4}));
    ASSERT_EQ(out[1].shape(), (Shape{batch, 2}));
    for (std::int64_t i = 0; i < batch; ++i)
      for (std::int64_t r = 0; r < 2; ++r) {
        double mv = 0;
        for (std::int64_t k = 0; k < 3; ++k)
          mv += av.at<double>(i, r, k) * vv.at<double>(k);
        EXPECT_NEAR(out[1].at<double>(i, r), mv, 1e-12);
        for (std::int64_t c = 0; c < 4; ++c) {
          double acc = 0, first = 0;
          for (std::int64_t k = 0; k < 3; ++k) {
            acc += av.at<double>(i, r, k) * bv.at<double>(i, k, c);
            first += av.at<double>(i, r, k) * bv.at<double>(0, k, c);
          }
          EXPECT_NEAR(out[0].at<double>(i, r, c), acc, 1e-12);
          EXPECT_NEAR(out[2].at<double>(i, r, c), acc, 1e-12);
          EXPECT_NEAR(out[3].at<double>(i, r, c), first, 1e-12);
        }
      }
  }
  auto x = T::dmatrix("x");
  auto y = T::dmatrix("y");
  auto g = theon::function({x, y}, {T::batched_dot(x, y)});
  Array r = g(Array::from_vector(std::vector<double>{1, 2, 3, 4}, {2, 2}),
              Array::from_vector(std::vector<double>{5, 6, 7, 8}, {2, 2}))[0];
  EXPECT_EQ(r.to_vector<double>(), (std::vector<double>{17, 53}));
  theon::verify_grad([](const Vars &v) { return T::matmul(v[0], v[1]); },
                     {RandomArray({2, 2, 3}, 14), RandomArray({2, 3, 2}, 15)});
  theon::verify_grad([](const Vars &v) { return T::batched_dot(v[0], v[1]); },
                     {RandomArray({2, 3}, 16), RandomArray({2, 3, 2}, 17)});
}

TEST(Products, NdProductsCallBlas) {
  auto a = T::ftensor3("a");
  auto m = T::fmatrix("m");
  auto f = theon::function({a, m}, {T::dot(a, m)});
  std::string ir = f.ir("loops", {{2, 3, 4}, {4, 5}});
  EXPECT_NE(ir.find("gemm"), std::string::npos) << ir;
  // A batch: one gemm call in a loop over the batch, whatever its size.
  auto b = T::ftensor3("b");
  auto g = theon::function({a, b}, {T::matmul(a, b)});
  std::string loops = g.ir("loops", {{300, 3, 4}, {300, 4, 5}});
  EXPECT_NE(loops.find("call @theon_gemm_f32"), std::string::npos) << loops;
  EXPECT_EQ(loops.find("linalg.batch_matmul"), std::string::npos) << loops;
}

} // namespace
