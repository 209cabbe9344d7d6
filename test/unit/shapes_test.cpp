// Symbolic shapes (x.shape(), sizes given as variables) and the
// constructions built on them: alloc, fill, zeros_like, identity_like,
// flatten(ndim), repeat, roll and the broadcastable-pattern functions.
#include <gtest/gtest.h>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Shape;
using Vars = std::vector<theon::Variable>;

namespace {

using theon_test::Iota;

TEST(SymbolicShapes, ShapeIsAnInt64Vector) {
  auto x = T::dtensor3("x");
  EXPECT_EQ(x.shape().dtype(), DType::Int64);
  EXPECT_EQ(x.shape().ndim(), 1);
  EXPECT_EQ(x.shape(-1).ndim(), 0);
  auto f = theon::function({x}, {x.shape(), x.shape(1), x.sum() / x.shape(0)});
  auto out = f(Iota({2, 3, 4}));
  EXPECT_EQ(out[0].to_vector<std::int64_t>(), (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(out[1].item<std::int64_t>(), 3);
  EXPECT_DOUBLE_EQ(out[2].item<double>(), 276.0 / 2);
  // A new shape is a new specialization, with its own sizes.
  EXPECT_EQ(f(Iota({5, 1, 1}))[0].to_vector<std::int64_t>(), (std::vector<std::int64_t>{5, 1, 1}));
  EXPECT_THROW(x.shape(3), theon::IndexError);
}

TEST(SymbolicShapes, SizesFromShapes) {
  auto x = T::dmatrix("x");
  auto y = T::ivector("y");
  auto f = theon::function(
      {x, y},
      {T::zeros({x.shape(0), 10}), T::arange(y.shape(0)), x.reshape({x.shape(1), -1}),
       T::alloc(2.5, {x.shape(1), 3}), T::ones(x.shape(), DType::Int32),
       T::arange(1, y.shape(0) * 2, 3), T::broadcast_to(y, {x.shape(0) + 1, y.shape(0)})});
  Array xv = Iota({2, 3});
  auto out = f(xv, Array::from_vector(std::vector<std::int32_t>{4, 5, 6, 7}));
  EXPECT_EQ(out[0].shape(), (Shape{2, 10}));
  EXPECT_EQ(out[1].to_vector<std::int64_t>(), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(out[2].shape(), (Shape{3, 2}));
  EXPECT_EQ(out[2].to_vector<double>(), xv.to_vector<double>());
  EXPECT_EQ(out[3].to_vector<double>(), std::vector<double>(9, 2.5));
  EXPECT_EQ(out[4].dtype(), DType::Int32);
  EXPECT_EQ(out[4].shape(), (Shape{2, 3}));
  EXPECT_EQ(out[5].to_vector<std::int64_t>(), (std::vector<std::int64_t>{1, 4, 7}));
  EXPECT_EQ(out[6].shape(), (Shape{3, 4}));
}

TEST(SymbolicShapes, SizesMustBeKnownWhenCompiling) {
  auto x = T::dmatrix("x");
  auto n = T::lscalar("n");
  auto f = theon::function({x, n}, {T::zeros({n, 2}) + x});
  try {
    f(Iota({2, 2}), 3);
    FAIL();
  } catch (const theon::ValueError &e) {
    EXPECT_TRUE(theon_test::MessageHas(e.what(), {"'n'", "known when the function is compiled"}))
        << e.what();
  }
  EXPECT_THROW(T::zeros({x, 2}), theon::TypeError); // not a scalar
  EXPECT_THROW(T::reshape(x, T::lvector("s")), theon::TypeError); // length unknown
  auto g = theon::function({x}, {x.reshape({x.shape(0), 5})});
  EXPECT_THROW(g(Iota({2, 3})), theon::ShapeError);
}

TEST(Construction, LikeFunctions) {
  auto x = T::fmatrix("x");
  auto g = theon::function({x}, {T::zeros_like(x), T::ones_like(x, DType::Int8),
                                 T::fill(x, T::as_tensor(3.0)), T::identity_like(x)});
  auto out = g(Array::ones({2, 3}, DType::Float32));
  EXPECT_EQ(out[0].dtype(), DType::Float32);
  EXPECT_EQ(out[0].to_vector<double>(), std::vector<double>(6, 0));
  EXPECT_EQ(out[1].dtype(), DType::Int8);
  EXPECT_EQ(out[1].to_vector<double>(), std::vector<double>(6, 1));
  EXPECT_EQ(out[2].shape(), (Shape{2, 3}));
  EXPECT_EQ(out[2].to_vector<double>(), std::vector<double>(6, 3));
  EXPECT_EQ(out[3].to_vector<double>(), (std::vector<double>{1, 0, 0, 0, 1, 0}));
  EXPECT_THROW(T::identity_like(T::vector("v")), theon::TypeError);
}

TEST(Construction, FlattenRepeatRoll) {
  auto x = T::dtensor3("x");
  auto f = theon::function({x}, {x.flatten(2), T::flatten(x, 3), T::repeat(x, 2, 1),
                                 T::roll(x, 1, -1), T::roll(x, -5), T::repeat(x, 2)});
  Array xv = Iota({2, 3, 2});
  auto out = f(xv);
  EXPECT_EQ(out[0].shape(), (Shape{2, 6}));
  EXPECT_EQ(out[1].shape(), (Shape{2, 3, 2}));
  ASSERT_EQ(out[2].shape(), (Shape{2, 6, 2}));
  for (std::int64_t a = 0; a < 2; ++a)
    for (std::int64_t b = 0; b < 6; ++b)
      for (std::int64_t c = 0; c < 2; ++c)
        EXPECT_EQ(out[2].at<double>(a, b, c), xv.at<double>(a, b / 2, c));
  for (std::int64_t a = 0; a < 2; ++a)
    for (std::int64_t b = 0; b < 3; ++b)
      for (std::int64_t c = 0; c < 2; ++c)
        EXPECT_EQ(out[3].at<double>(a, b, c), xv.at<double>(a, b, (c + 1) % 2));
  // Flattened roll by -5 of 12 elements: element k is old element (k + 5) % 12.
  for (std::int64_t k = 0; k < 12; ++k)
    EXPECT_EQ(out[4].to_vector<double>()[static_cast<std::size_t>(k)], static_cast<double>((k + 5) % 12));
  EXPECT_EQ(out[4].shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(out[5].shape(), (Shape{24}));
  EXPECT_EQ(out[5].to_vector<double>()[3], 1.0);
  theon::verify_grad([](const Vars &v) { return T::repeat(v[0], 3, 0) * T::roll(T::repeat(v[0], 3, 0), 2, 0); },
                     {Array::from_vector(std::vector<double>{0.5, -1, 2, 0.25}, {2, 2})});
  EXPECT_THROW(x.flatten(4), theon::ValueError);
  EXPECT_THROW(T::repeat(x, -1, 0), theon::ValueError);
  EXPECT_THROW(T::roll(x, 1, 3), theon::ValueError);
}

TEST(Construction, BroadcastablePatterns) {
  auto x = T::dmatrix("x");
  auto r = T::addbroadcast(x, {0});
  EXPECT_EQ(r.broadcastable(), (std::vector<bool>{true, false}));
  EXPECT_EQ(T::unbroadcast(T::row("r"), {0}).broadcastable(), (std::vector<bool>{false, false}));
  EXPECT_EQ(T::patternbroadcast(x, {true, true}).broadcastable(), (std::vector<bool>{true, true}));
  auto f = theon::function({x}, {r + 1.0});
  EXPECT_EQ(f(Iota({1, 3}))[0].to_vector<double>(), (std::vector<double>{1, 2, 3}));
  try {
    f(Iota({2, 3}));
    FAIL();
  } catch (const theon::ShapeError &e) {
    EXPECT_TRUE(theon_test::MessageHas(e.what(), {"addbroadcast", "axis 0", "size 2"})) << e.what();
  }
  EXPECT_THROW(T::patternbroadcast(x, {true}), theon::ValueError);
  EXPECT_THROW(T::addbroadcast(x, {2}), theon::ValueError);
}

} // namespace
