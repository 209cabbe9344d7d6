// Advanced indexing mixed with basic items, set/inc_subtensor with integer
// arrays and boolean masks, the x[arange(n), y] loss, and their gradients:
// numerics against reference loops over NumPy's rules.
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Shape;
using Vars = std::vector<theon::Variable>;

namespace {

using theon_test::Iota;

Array Longs(std::vector<std::int64_t> v, Shape shape = {}) {
  if (shape.empty())
    shape = {static_cast<std::int64_t>(v.size())};
  return Array::from_vector(v, shape);
}
std::int64_t Wrap(std::int64_t i, std::int64_t n) { return i < 0 ? i + n : i; }

// x[:, idx, 1:3] on a (2, 3, 4) tensor: the array's axes replace axis 1.
TEST(AdvancedIndexing, ArrayBetweenSlices) {
  auto x = T::dtensor3("x");
  auto idx = T::lvector("idx");
  auto f = theon::function({x, idx}, {x(T::_, idx, T::slice(1, 3))});
  Array xv = Iota({2, 3, 4});
  std::vector<std::int64_t> iv{2, 0, -1, 1};
  Array out = f(xv, Longs(iv))[0];
  ASSERT_EQ(out.shape(), (Shape{2, 4, 2}));
  for (std::int64_t a = 0; a < 2; ++a)
    for (std::int64_t k = 0; k < 4; ++k)
      for (std::int64_t c = 0; c < 2; ++c)
        EXPECT_EQ(out.at<double>(a, k, c), xv.at<double>(a, Wrap(iv[static_cast<std::size_t>(k)], 3), c + 1));
}

// x[i, :, j]: advanced items separated by a slice put their axes first;
// an integer counts as an advanced index (x[0, :, j]), as in NumPy.
TEST(AdvancedIndexing, SeparatedArraysGoFirst) {
  auto x = T::dtensor3("x");
  auto i = T::lvector("i");
  auto j = T::lvector("j");
  auto f = theon::function({x, i, j}, {x(i, T::_, j), x(0, T::_, j)});
  Array xv = Iota({2, 3, 4});
  std::vector<std::int64_t> iv{1, 0, -1}, jv{3, -4, 0};
  auto out = f(xv, Longs(iv), Longs(jv));
  ASSERT_EQ(out[0].shape(), (Shape{3, 3}));
  ASSERT_EQ(out[1].shape(), (Shape{3, 3}));
  for (std::size_t k = 0; k < 3; ++k)
    for (std::int64_t m = 0; m < 3; ++m) {
      EXPECT_EQ(out[0].at<double>(static_cast<std::int64_t>(k), m),
                xv.at<double>(Wrap(iv[k], 2), m, Wrap(jv[k], 4)));
      EXPECT_EQ(out[1].at<double>(static_cast<std::int64_t>(k), m),
                xv.at<double>(0, m, Wrap(jv[k], 4)));
    }
}

// Adjacent arrays broadcast together and keep their place: x[:, i, j] with
// i of shape (2, 1) and j of shape (3,) has shape (2, 2, 3).
TEST(AdvancedIndexing, AdjacentArraysBroadcast) {
  auto x = T::dtensor3("x");
  auto i = T::lmatrix("i");
  auto j = T::lvector("j");
  auto f = theon::function({x, i, j}, {x(T::_, i, j)});
  Array xv = Iota({2, 3, 4});
  Array iv = Longs({2, -3}, {2, 1});
  std::vector<std::int64_t> jv{0, 3, -1};
  auto out = f(xv, iv, Longs(jv));
  ASSERT_EQ(out[0].shape(), (Shape{2, 2, 3}));
  // x[i] with an index matrix: i's shape, then x's other axes.
  auto rows = theon::function({x, i}, {x[i]});
  Array r = rows(xv, Longs({1, -2, 0, 1}, {2, 2}))[0];
  ASSERT_EQ(r.shape(), (Shape{2, 2, 3, 4}));
  EXPECT_EQ(r.at<double>(0, 1, 2, 3), xv.at<double>(0, 2, 3));
  EXPECT_EQ(r.at<double>(1, 1, 0, 1), xv.at<double>(1, 0, 1));
  for (std::int64_t a = 0; a < 2; ++a)
    for (std::int64_t r = 0; r < 2; ++r)
      for (std::int64_t c = 0; c < 3; ++c)
        EXPECT_EQ(out[0].at<double>(a, r, c),
                  xv.at<double>(a, Wrap(iv.at<std::int64_t>(r, 0), 3),
                                Wrap(jv[static_cast<std::size_t>(c)], 4)));
}

TEST(AdvancedIndexing, OutOfRangeIsAnIndexErrorNamingTheAxis) {
  auto x = T::dmatrix("x");
  auto j = T::lvector("j");
  auto f = theon::function({x, j}, {x(T::_, j), x(T::_, j + 0)});
  Array xv = Iota({2, 4});
  for (std::int64_t bad : {4, -5}) {
    try {
      f(xv, Longs({0, bad}));
      FAIL() << bad;
    } catch (const theon::IndexError &e) {
      EXPECT_TRUE(theon_test::MessageHas(e.what(), {std::to_string(bad), "axis 1 of 'x'"}))
          << e.what();
    }
  }
  // Index arrays that do not broadcast together.
  auto i = T::lvector("i");
  auto g = theon::function({x, i, j}, {x(i, j)});
  EXPECT_THROW(g(xv, Longs({0, 1}), Longs({0, 1, 2})), theon::IndexError);
}

// The classic loss: -mean(log(p)[arange(n), y]) takes one element per row
// (rewritten like the seed's diag(p.T[y])) and differentiates.
TEST(AdvancedIndexing, ArangeNegativeLogLikelihood) {
  auto p = T::dmatrix("p");
  auto y = T::ivector("y");
  auto loss = -T::mean(T::log(p)(T::arange(y.shape(0)), y));
  auto f = theon::function({p, y}, {loss, theon::grad(loss, p)});
  Array pv = Array::from_vector(std::vector<double>{0.2, 0.3, 0.5, 0.6, 0.1, 0.3}, {2, 3});
  Array yv = Array::from_vector(std::vector<std::int32_t>{2, 0});
  auto out = f(pv, yv);
  EXPECT_NEAR(out[0].item<double>(), -(std::log(0.5) + std::log(0.6)) / 2, 1e-12);
  std::vector<double> g(6, 0.0);
  g[2] = -1 / (2 * 0.5);
  g[3] = -1 / (2 * 0.6);
  EXPECT_EQ(out[1].to_vector<double>(), g);
  // No n-by-n gather: one element per row.
  std::string ir = f.ir("linalg");
  EXPECT_EQ(ir.find("tensor<2x2xf64>"), std::string::npos) << ir;
  // A label out of range names the column axis.
  EXPECT_THROW(f(pv, Array::from_vector(std::vector<std::int32_t>{3, 0})), theon::IndexError);
  theon::verify_grad(
      [](const Vars &v) {
        return T::log(v[0])(T::arange(v[0].shape(0)),
                            T::constant(Array::from_vector(std::vector<std::int64_t>{1, 2})));
      },
      {pv});
}

TEST(AdvancedIndexing, IncSubtensorAccumulatesRepeats) {
  auto x = T::dmatrix("x");
  auto i = T::lvector("i");
  auto v = T::dmatrix("v");
  auto f = theon::function({x, i, v}, {T::inc_subtensor(x[i], v), T::set_subtensor(x[i], v),
                                       T::inc_subtensor(x(T::_, i), 1.0)});
  Array xv = Iota({3, 3});
  std::vector<std::int64_t> iv{0, 2, 0, -3};
  Array vv = Array::from_vector(std::vector<double>{1, 1, 1, 10, 10, 10, 100, 100, 100, 7, 8, 9},
                                {4, 3});
  auto out = f(xv, Longs(iv), vv);
  // np.add.at: row 0 gets 1 + 100 + (7, 8, 9); row 2 gets 10.
  EXPECT_EQ(out[0].to_vector<double>(),
            (std::vector<double>{108, 110, 112, 3, 4, 5, 16, 17, 18}));
  // set: the last write of row 0 (index -3) wins.
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{7, 8, 9, 3, 4, 5, 10, 10, 10}));
  // Columns 0 (three times) and 2 increase by 1 per occurrence.
  EXPECT_EQ(out[2].to_vector<double>(), (std::vector<double>{3, 1, 3, 6, 4, 6, 9, 7, 9}));
}

TEST(AdvancedIndexing, UpdatesWithSlicesAndTwoArrays) {
  auto x = T::dtensor3("x");
  auto i = T::lvector("i");
  auto j = T::lvector("j");
  auto f = theon::function({x, i, j}, {T::set_subtensor(x(T::slice(1, 2), i, j), -1.0),
                                       T::inc_subtensor(x(i, T::_, j), 5.0)});
  Array xv = Iota({2, 3, 4});
  auto g = theon::function({x, i, j}, {T::set_subtensor(x(T::slice(1, 2), i, j), -1.0)});
  Array out = g(xv, Longs({0, 2}), Longs({3, 1}))[0];
  std::vector<double> expect = xv.to_vector<double>();
  expect[static_cast<std::size_t>(1 * 12 + 0 * 4 + 3)] = -1;
  expect[static_cast<std::size_t>(1 * 12 + 2 * 4 + 1)] = -1;
  EXPECT_EQ(out.to_vector<double>(), expect);
  // x[i, :, j] += 5 with i = (1, -2), j = (3, 1): rows (1, :, 3), (0, :, 1).
  Array both = f(xv, Longs({1, -2}), Longs({3, 1}))[1];
  expect = xv.to_vector<double>();
  for (int m = 0; m < 3; ++m) {
    expect[static_cast<std::size_t>(1 * 12 + m * 4 + 3)] += 5;
    expect[static_cast<std::size_t>(0 * 12 + m * 4 + 1)] += 5;
  }
  EXPECT_EQ(both.to_vector<double>(), expect);
  // i = 2 is out of range for axis 0 (size 2).
  EXPECT_THROW(f(xv, Longs({0, 2}), Longs({3, 1})), theon::IndexError);
}

TEST(AdvancedIndexing, Gradients) {
  Array xv = Array::from_vector(std::vector<double>{0.5, -1, 2, 3, 1.5, -2, 0.25, 4, 1, 2, 3, -1},
                                {3, 4});
  Array idx = Longs({2, 0, 2});
  theon::verify_grad([idx](const Vars &v) { return v[0](T::_, T::constant(idx)) * 1.5; }, {xv});
  theon::verify_grad(
      [idx](const Vars &v) { return v[0](T::constant(idx), T::constant(Longs({1, -1, 3}))); },
      {xv});
  Array vv = Array::from_vector(std::vector<double>{0.3, -0.7, 1.1});
  theon::verify_grad(
      [idx](const Vars &v) { return T::set_subtensor(v[0](T::slice(0, 2), T::constant(idx)), v[1]); },
      {xv, vv});
  Array rows = Array::from_vector(std::vector<double>{0.3, -0.7, 1.1, 2, 0.1, 0.2, 0.3, 0.4, -1, -2, -3, -4},
                                  {3, 4});
  theon::verify_grad([idx](const Vars &v) { return T::inc_subtensor(v[0][T::constant(idx)], v[1]); },
                     {xv, rows});
  theon::verify_grad([idx](const Vars &v) { return T::set_subtensor(v[0][T::constant(idx)], v[1]); },
                     {xv, rows});
}

TEST(AdvancedIndexing, BooleanMasks) {
  auto x = T::dmatrix("x");
  auto f = theon::function({x}, {T::set_subtensor(x[x < 0], 0.0), T::inc_subtensor(x[x > 1], 10.0)});
  Array xv = Array::from_vector(std::vector<double>{-1, 0.5, 2, -3}, {2, 2});
  auto out = f(xv);
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{0, 0.5, 2, 0}));
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{-1, 0.5, 12, -3}));
  // A mask over the rows; the values broadcast over each selected row.
  auto m = T::bvector("m");
  auto r = T::dvector("r");
  auto rowUpdate = theon::function({x, m, r}, {T::set_subtensor(x[T::neq(m, 0)], r)});
  Array rows = rowUpdate(xv, Array::from_vector(std::vector<std::int8_t>{0, 1}),
                         Array::from_vector(std::vector<double>{7, 8}))[0];
  EXPECT_EQ(rows.to_vector<double>(), (std::vector<double>{-1, 0.5, 7, 8}));
  EXPECT_THROW(rowUpdate(xv, Array::from_vector(std::vector<std::int8_t>{0, 1, 1}),
                         Array::from_vector(std::vector<double>{7, 8})),
               theon::IndexError);
  // Reading x[mask] would need a shape that depends on the mask's values.
  try {
    auto g = theon::function({x}, {x[x > 0]});
    g(xv);
    FAIL();
  } catch (const theon::ValueError &e) {
    EXPECT_TRUE(theon_test::MessageHas(e.what(), {"boolean mask", "static shapes"})) << e.what();
  }
  EXPECT_THROW(x(x > 0, 1), theon::IndexError);
}

TEST(AdvancedIndexing, EmbeddingUpdateOfASharedVariable) {
  auto w = theon::shared(Array::zeros({5, 2}, DType::Float64), "W");
  auto idx = T::lvector("idx");
  auto g = T::dmatrix("g");
  auto step = theon::function({idx, g}, {},
                              theon::Updates{{w, T::inc_subtensor(w[idx], -0.5 * g)}});
  step(Longs({1, 3, 1}), Array::from_vector(std::vector<double>{2, 4, 6, 8, 10, 12}, {3, 2}));
  // Written in place: W is neither copied nor given a temporary.
  std::string loops = step.ir("loops");
  EXPECT_EQ(loops.find("to memref<5x2xf64>"), std::string::npos) << loops;
  EXPECT_EQ(loops.find("memref.alloc("), std::string::npos) << loops;
  EXPECT_EQ(w.get_value().to_vector<double>(),
            (std::vector<double>{0, 0, -6, -8, 0, 0, -3, -4, 0, 0}));
  // The new W also an output, and another update reading the old W.
  auto total = theon::shared(Array::zeros({}, DType::Float64), "total");
  auto both = theon::function({idx, g}, {T::inc_subtensor(w[idx], g)},
                              theon::Updates{{w, T::inc_subtensor(w[idx], g)},
                                             {total, total + w.sum()}});
  Array out = both(Longs({0}), Array::from_vector(std::vector<double>{1, 1}, {1, 2}))[0];
  EXPECT_EQ(out.to_vector<double>(), (std::vector<double>{1, 1, -6, -8, 0, 0, -3, -4, 0, 0}));
  EXPECT_EQ(w.get_value().to_vector<double>(), out.to_vector<double>());
  EXPECT_EQ(total.get_value().item<double>(), -21.0);
  // A bad index leaves W as it was.
  EXPECT_THROW(step(Longs({1, 5, 1}), Array::zeros({3, 2}, DType::Float64)), theon::IndexError);
  EXPECT_EQ(w.get_value().to_vector<double>(),
            (std::vector<double>{1, 1, -6, -8, 0, 0, -3, -4, 0, 0}));
}

} // namespace

namespace {
// Regression (fuzz-api): an index computed from NaN was LLVM poison and
// could read anywhere. Casts of NaN and of out-of-range values give the
// type's minimum, as NumPy on x86, so the index is reported.
TEST(AdvancedIndexing, IndexFromNaNIsReported) {
  auto x = T::dvector("x");
  auto v = T::dvector("v");
  auto f = theon::function({x, v}, {T::cast(v, DType::Int32), x(T::cast(T::mean(v), DType::Int64))});
  Array xv = Array::from_vector(std::vector<double>{1, 2, 3});
  Array vv = Array::from_vector(std::vector<double>{NAN, 1e300, -1e300, -2.7});
  EXPECT_THROW(f(xv, vv), theon::IndexError);
  auto g = theon::function({v}, {T::cast(v, DType::Int32)});
  EXPECT_EQ(g(vv)[0].to_vector<std::int32_t>(),
            (std::vector<std::int32_t>{INT32_MIN, INT32_MIN, INT32_MIN, -2}));
}
} // namespace
