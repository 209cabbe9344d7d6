// Advanced indexing (x[idx]), x[i] and diag, forward values and bad indices.
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using Vars = std::vector<theon::Variable>;

namespace {

TEST(Indexing, TakeRowsWithRepeatsAndNegatives) {
  auto x = T::matrix("x");
  auto i = T::ivector("i");
  auto f = theon::function({x, i}, {x[i]});
  Array xv = Array::from_vector(std::vector<float>{0, 1, 2, 10, 11, 12, 20, 21, 22}, {3, 3});
  Array iv = Array::from_vector(std::vector<std::int32_t>{2, 0, 2, -1});
  Array out = f(xv, iv)[0];
  ASSERT_EQ(out.shape(), (theon::Shape{4, 3}));
  std::vector<float> expected;
  for (int r : {2, 0, 2, 2})
    for (int c = 0; c < 3; ++c)
      expected.push_back(xv.at<float>(r, c));
  EXPECT_EQ(out.to_vector<float>(), expected);
}

TEST(Indexing, IndexOutOfBoundsIsAnError) {
  auto x = T::vector("x");
  auto i = T::lvector("i");
  auto f = theon::function({x, i}, {x[i]});
  Array xv = Array::from_vector(std::vector<float>{1, 2, 3});
  try {
    f(xv, Array::from_vector(std::vector<std::int64_t>{0, 3}));
    FAIL();
  } catch (const theon::ValueError &e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("index 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'i'"), std::string::npos) << msg;
  }
  EXPECT_THROW(f(xv, Array::from_vector(std::vector<std::int64_t>{-4})), theon::ValueError);
  EXPECT_EQ(f(xv, Array::from_vector(std::vector<std::int64_t>{-3}))[0].to_vector<float>(),
            (std::vector<float>{1}));
}

TEST(Indexing, ConstantIndexOutOfBoundsIsAnError) {
  auto x = T::matrix("x");
  auto f = theon::function({x}, {x[5]});
  try {
    f(Array::zeros({2, 3}));
    FAIL();
  } catch (const theon::IndexError &e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("index 5 is out of bounds"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'x'"), std::string::npos) << msg;
  }
  EXPECT_EQ(f(Array::zeros({6, 3}))[0].shape(), (theon::Shape{3}));
}

TEST(Indexing, IndexMustBeAnIntegerArray) {
  auto x = T::matrix("x");
  EXPECT_THROW(x[T::vector("f")], theon::TypeError);
  EXPECT_EQ(x[T::imatrix("m")].ndim(), 3); // advanced indexing by a matrix
  EXPECT_THROW(T::scalar("s")[T::ivector("i")], theon::ValueError);
}

TEST(Indexing, SingleRow) {
  auto x = T::matrix("x");
  auto f = theon::function({x}, {x[1], x[-1]});
  Array xv = Array::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {3, 2});
  auto out = f(xv);
  EXPECT_EQ(out[0].shape(), (theon::Shape{2}));
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{3, 4}));
  EXPECT_EQ(out[1].to_vector<float>(), (std::vector<float>{5, 6}));
}

TEST(Indexing, Diag) {
  auto m = T::matrix("m");
  auto v = T::vector("v");
  auto f = theon::function({m, v}, {T::diag(m), T::diag(v)});
  Array mv = Array::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3});
  Array vv = Array::from_vector(std::vector<float>{7, 8});
  auto out = f(mv, vv);
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{1, 5}));
  EXPECT_EQ(out[1].shape(), (theon::Shape{2, 2}));
  EXPECT_EQ(out[1].to_vector<float>(), (std::vector<float>{7, 0, 0, 8}));
  EXPECT_THROW(T::diag(T::tensor3("t")), theon::TypeError);
}

TEST(Indexing, SeedCrossEntropyMatchesReference) {
  auto p = T::matrix("p");
  auto y = T::ivector("y");
  auto f = theon::function({p, y}, {T::mean(-T::log(T::diag(p.T()[y]))),
                                    T::nnet::categorical_crossentropy(p, y)});
  Array pv = Array::from_vector(std::vector<float>{0.5f, 0.5f, 0.25f, 0.75f, 0.8f, 0.2f}, {3, 2});
  Array yv = Array::from_vector(std::vector<std::int32_t>{1, 1, 0});
  auto out = f(pv, yv);
  double expected = -(std::log(0.5) + std::log(0.75) + std::log(0.8)) / 3;
  EXPECT_NEAR(out[0].item<double>(), expected, 1e-6);
  auto ce = out[1].to_vector<float>();
  EXPECT_NEAR(ce[1], -std::log(0.75), 1e-6);
}

TEST(Indexing, SeedCostStaysFiniteWhereTheSoftmaxUnderflows) {
  // softmax([0, 200])[0] is 0 in float32; theon-stabilize computes
  // log_softmax instead, so the cost is 200 and its gradient finite.
  auto z = T::matrix("z");
  auto y = T::ivector("y");
  auto e = T::exp(z - z.max(1).dimshuffle(0, 'x'));
  auto p = e / e.sum(1).dimshuffle(0, 'x');
  auto cost = T::mean(-T::log(T::diag(p.T()[y])));
  auto f = theon::function({z, y}, {cost, theon::grad(cost, z)});
  auto out = f(Array::from_vector(std::vector<float>{0, 200, 1, 1, 0, 0}, {3, 2}),
               Array::from_vector(std::vector<std::int32_t>{0, 1, 1}));
  EXPECT_NEAR(out[0].item<double>(), (200 + 2 * std::log(2.0)) / 3, 1e-4);
  // d cost / dz = (softmax - onehot) / n
  std::vector<float> g = out[1].to_vector<float>();
  std::vector<float> expected{-1.0f / 3, 1.0f / 3, 1.0f / 6, -1.0f / 6, 1.0f / 6, -1.0f / 6};
  for (std::size_t i = 0; i < g.size(); ++i)
    EXPECT_NEAR(g[i], expected[i], 1e-6) << i;
  std::string ir = f.ir("linalg");
  EXPECT_EQ(ir.find("3x3"), std::string::npos) << "no batch-by-batch matrix:\n" << ir;
}

TEST(Indexing, SoftmaxRowsSumToOne) {
  auto x = T::matrix("x");
  auto f = theon::function({x}, {T::nnet::softmax(x)});
  Array xv = Array::from_vector(std::vector<float>{1000, 1001, 1002, -5, 0, 5}, {2, 3});
  Array s = f(xv)[0];
  for (int r = 0; r < 2; ++r) {
    double total = 0;
    for (int c = 0; c < 3; ++c) {
      EXPECT_TRUE(std::isfinite(s.at<float>(r, c)));
      total += s.at<float>(r, c);
    }
    EXPECT_NEAR(total, 1.0, 1e-6);
  }
  EXPECT_NEAR(s.at<float>(0, 2), std::exp(2.0) / (1 + std::exp(1.0) + std::exp(2.0)), 1e-6);
}

// Regression (#11): an index computed in the graph (x[Y + Z]) that fell
// out of range was clamped: a silently wrong result. It is an IndexError at
// the call, naming the indexed variable, the value and the valid range, and
// the shared variable the function updates is unchanged.
TEST(Indexing, ComputedIndexOutOfRangeIsAnIndexError) {
  auto x = T::vector("x");
  auto y = T::lvector("Y"), z = T::lvector("Z");
  auto w = theon::shared(Array(std::vector<float>{1, 2}), "w");
  theon::Updates updates;
  updates.add(w, w * 2);
  auto f = theon::function({x, y, z}, {x[y + z]}, updates);
  Array xv(std::vector<float>{10, 20, 30});
  auto ints = [](std::vector<std::int64_t> v) { return Array(v); };
  EXPECT_EQ(f(xv, ints({0, 1}), ints({1, -4}))[0].to_vector<float>(),
            (std::vector<float>{20, 10})); // -3 wraps, as in NumPy
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 4}));
  try {
    f(xv, ints({0, 1}), ints({1, 5}));
    FAIL() << "no error";
  } catch (const theon::IndexError &e) {
    std::string msg = e.what();
    for (const char *part : {"index 6", "axis 0 of 'x'", "size 3", "-3 to 2"})
      EXPECT_NE(msg.find(part), std::string::npos) << msg;
  }
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 4})); // unchanged
  EXPECT_THROW(f(xv, ints({-2, 0}), ints({-2, 0})), theon::IndexError);    // -4 < -3
  EXPECT_EQ(f(xv, ints({2}), ints({0}))[0].to_vector<float>(), (std::vector<float>{30}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{4, 8}));
}

// A computed gather inside an update's own value: fused into the loop that
// would write the variable in place, a bad index would be found after
// some rows were written. Such an update is computed into a buffer of its
// own, so the variable is unchanged when the call raises.
TEST(Indexing, ComputedIndexInAnUpdateLeavesTheVariableUnchanged) {
  auto x = T::matrix("x");
  auto iv = T::lvector("iv");
  auto w = theon::shared(Array::zeros({3, 2}, DType::Float32), "w");
  auto f = theon::function({x, iv}, {}, theon::Updates{{w, w + x[iv + 1]}});
  Array xv = Array::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}, {4, 2});
  f(xv, Array(std::vector<std::int64_t>{0, 1, 2}));
  std::vector<float> after{3, 4, 5, 6, 7, 8};
  EXPECT_EQ(w.get_value().to_vector<float>(), after);
  // Rows 1 and 2 are good; the last index is 4 + 1 = 5 of 4 rows.
  EXPECT_THROW_MSG(f(xv, Array(std::vector<std::int64_t>{0, 1, 4})), theon::IndexError,
                   "index 5", "size 4");
  EXPECT_EQ(w.get_value().to_vector<float>(), after);
}

// The seed's cost with computed labels goes through take_per_row (after
// theon-stabilize), and a large computed gather is not split over threads:
// both report an index out of range.
TEST(Indexing, ComputedIndicesAreCheckedInEveryLowering) {
  auto p = T::matrix("p");
  auto y = T::ivector("Y");
  auto cost = T::mean(-T::log(T::diag(p.T()[y + 1])));
  auto f = theon::function({p, y}, {cost});
  Array pv = Array::full({4, 3}, 0.5, DType::Float32);
  EXPECT_NO_THROW(f(pv, Array(std::vector<std::int32_t>{0, 1, 1, -1})));
  EXPECT_THROW_MSG(f(pv, Array(std::vector<std::int32_t>{0, 2, 1, 0})), theon::IndexError,
                   "index 3", "size 3");

  auto x = T::vector("x");
  auto i = T::lvector("i");
  auto g = theon::function({x, i}, {x[i * 2]});
  std::vector<std::int64_t> many(70000, 1);
  many[65000] = 40000;
  Array xv = Array::zeros({70000}, DType::Float32);
  EXPECT_THROW_MSG(g(xv, Array(many)), theon::IndexError, "index 80000", "size 70000");
}

} // namespace

// The bounds check reads each integer dtype directly (int32 and int64 on a
// fast path): every one reports the first bad index with its position.
TEST(Indexing, OutOfBoundsIndexIsReportedForEveryIntegerDtype) {
  for (DType dtype : {DType::Int8, DType::Int16, DType::Int32, DType::Int64}) {
    SCOPED_TRACE(theon::dtype_name(dtype));
    auto x = T::vector("x");
    auto i = T::tensor(dtype, {false}, "i");
    auto f = theon::function({x, i}, {x[i]});
    Array xv = Array::from_vector(std::vector<float>{1, 2, 3});
    try {
      f(xv, Array::from_vector(std::vector<std::int64_t>{0, -3, 2, -4, 7}).astype(dtype));
      FAIL() << "no error";
    } catch (const theon::ValueError &e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find("index -4 at position 3 is out of bounds for axis 0 of 'x' with size 3"), std::string::npos)
          << msg;
      EXPECT_NE(msg.find("'i'"), std::string::npos) << msg;
    }
    EXPECT_EQ(f(xv, Array::from_vector(std::vector<std::int64_t>{2, -3}).astype(dtype))[0]
                  .to_vector<float>(),
              (std::vector<float>{3, 1}));
  }
}

// Basic indexing (#12): integers, slices with any step, omitted bounds,
// new axes, fewer indices than axes; set_subtensor/inc_subtensor.
namespace {
Array Arange12() {
  std::vector<double> v;
  for (int i = 0; i < 12; ++i)
    v.push_back(i);
  return Array::from_vector(v, {3, 4});
}
} // namespace

TEST(BasicIndexing, SlicesAsNumPy) {
  auto x = T::dmatrix("x");
  using std::nullopt;
  auto f = theon::function(
      {x}, {x(1), x(T::_, 2), x(T::slice(nullopt, nullopt, -1)),
            x(T::slice(0, 3, 2), T::slice(-1, 0, -2)), x(T::_, T::newaxis, 1), x(-1, -1),
            x(T::slice(1, nullopt), T::slice(-100, 100)), x(T::slice(2, 1)), x(T::_, T::slice(5, 9))});
  auto out = f(Arange12());
  auto expect = [&](std::size_t i, theon::Shape shape, std::vector<double> values) {
    EXPECT_EQ(out[i].shape(), shape) << "output " << i;
    EXPECT_EQ(out[i].to_vector<double>(), values) << "output " << i;
  };
  expect(0, {4}, {4, 5, 6, 7});
  expect(1, {3}, {2, 6, 10});
  expect(2, {3, 4}, {8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3});
  expect(3, {2, 2}, {3, 1, 11, 9});
  expect(4, {3, 1}, {1, 5, 9});
  expect(5, {}, {11});
  expect(6, {2, 4}, {4, 5, 6, 7, 8, 9, 10, 11}); // bounds clamp, as Python's
  expect(7, {0, 4}, {});                         // empty, not an error
  expect(8, {3, 0}, {});
}

TEST(BasicIndexing, BadIndicesAreErrors) {
  auto x = T::dmatrix("x");
  EXPECT_THROW_MSG(theon::function({x}, {x(3)})(Arange12()), theon::IndexError, "index 3",
                   "axis 0", "'x'", "size 3", "-3 to 2");
  EXPECT_THROW_MSG(theon::function({x}, {x(0, -5)})(Arange12()), theon::IndexError, "index -5",
                   "axis 1");
  EXPECT_THROW_MSG(x(0, 1, 2), theon::IndexError, "too many indices", "'x'");
  EXPECT_THROW_MSG(x(T::slice(0, 2, 0)), theon::ValueError, "step cannot be zero");
  EXPECT_THROW_MSG(T::set_subtensor(x * 2, 1.0), theon::TypeError, "index expression");
  // Values that do not broadcast to the slice.
  auto v = T::dvector("v");
  auto f = theon::function({x, v}, {T::set_subtensor(x(T::_, 0), v)});
  EXPECT_THROW(f(Arange12(), Array::zeros({4}, DType::Float64)), theon::ShapeError);
}

TEST(BasicIndexing, SetAndIncSubtensor) {
  auto x = T::dmatrix("x");
  auto v = T::dvector("v");
  using std::nullopt;
  auto f = theon::function({x, v}, {T::set_subtensor(x(T::_, T::slice(1, 3)), 0.5),
                                    T::inc_subtensor(x(T::slice(nullopt, nullopt, -1), 0), v),
                                    T::set_subtensor(x(1), v(T::slice(0, 1)))});
  auto out = f(Arange12(), Array::from_vector(std::vector<double>{0, 1, 2}));
  EXPECT_EQ(out[0].to_vector<double>(),
            (std::vector<double>{0, 0.5, 0.5, 3, 4, 0.5, 0.5, 7, 8, 0.5, 0.5, 11}));
  EXPECT_EQ(out[1].to_vector<double>(),
            (std::vector<double>{2, 1, 2, 3, 5, 5, 6, 7, 8, 9, 10, 11}));
  // A 1-element slice broadcasts over the row.
  EXPECT_EQ(out[2].to_vector<double>(),
            (std::vector<double>{0, 1, 2, 3, 0, 0, 0, 0, 8, 9, 10, 11}));
}

TEST(BasicIndexing, Gradients) {
  using std::nullopt;
  Array xv = Array::from_vector(std::vector<double>{0.5, -1, 2, 3, 1.5, -2, 0.25, 4, 1, 2, 3, -1},
                                {3, 4});
  theon::verify_grad([](const Vars &v) { return v[0](T::slice(0, 3, 2), T::slice(-1, 0, -2)); },
                     {xv});
  theon::verify_grad([](const Vars &v) { return v[0](1) * v[0](T::_, 2)(T::slice(0, 3)).sum(); },
                     {xv});
  Array vv = Array::from_vector(std::vector<double>{0.3, -0.7, 1.1});
  theon::verify_grad(
      [](const Vars &v) { return T::set_subtensor(v[0](T::slice(nullopt, nullopt, -1), 1), v[1]); },
      {xv, vv});
  theon::verify_grad([](const Vars &v) { return T::inc_subtensor(v[0](T::_, 2), v[1]); }, {xv, vv});
}

// An embedding-style update of a shared variable: only the indexed row
// changes.
TEST(BasicIndexing, IncSubtensorUpdateOfASharedVariable) {
  auto w = theon::shared(Array::zeros({4, 3}, DType::Float64), "W");
  auto g = T::dvector("g");
  auto step = theon::function({g}, {}, theon::Updates{{w, T::inc_subtensor(w(2), -0.5 * g)}});
  step(Array::from_vector(std::vector<double>{2, 4, 6}));
  step(Array::from_vector(std::vector<double>{2, 4, 6}));
  EXPECT_EQ(w.get_value().to_vector<double>(),
            (std::vector<double>{0, 0, 0, 0, 0, 0, -2, -4, -6, 0, 0, 0}));
}
