// Shared variables, updates and their semantics.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;

namespace {

Array vec(std::vector<float> v) { return Array::from_vector(v); }

TEST(Shared, ValueDtypeAndShapeComeFromTheInitialValue) {
  auto w = theon::shared(Array::zeros({3, 2}, DType::Float64), "w");
  EXPECT_EQ(w.dtype(), DType::Float64);
  EXPECT_EQ(w.ndim(), 2);
  EXPECT_EQ(w.broadcastable(), (std::vector<bool>{false, false}));
  EXPECT_EQ(w.name(), "w");
  EXPECT_EQ(w.get_value().shape(), (theon::Shape{3, 2}));
}

TEST(Shared, BorrowSemantics) {
  Array a = vec({1, 2, 3});
  auto copied = theon::shared(a, "copied");
  auto borrowed = theon::shared(a, "borrowed", /*borrow=*/true);
  a.data<float>()[0] = 42;
  EXPECT_EQ(copied.get_value().to_vector<float>()[0], 1);
  EXPECT_EQ(borrowed.get_value().to_vector<float>()[0], 42);

  Array view = copied.get_value(/*borrow=*/true);
  EXPECT_TRUE(view.shares_memory(copied.get_value(true)));
  EXPECT_FALSE(copied.get_value().shares_memory(view));

  Array b = vec({7, 8, 9});
  copied.set_value(b);
  b.data<float>()[0] = -1;
  EXPECT_EQ(copied.get_value().to_vector<float>()[0], 7);
  copied.set_value(b, /*borrow=*/true);
  EXPECT_TRUE(copied.get_value(true).shares_memory(b));
}

TEST(Shared, ReadAtEachCall) {
  auto w = theon::shared(vec({1, 2}), "w");
  auto x = T::vector("x");
  auto f = theon::function({x}, {x * w});
  EXPECT_EQ(f(vec({3, 3}))[0].to_vector<float>(), (std::vector<float>{3, 6}));
  w.set_value(vec({10, 20}));
  EXPECT_EQ(f(vec({3, 3}))[0].to_vector<float>(), (std::vector<float>{30, 60}));
  EXPECT_EQ(f.num_compiled(), 1u);
}

TEST(Shared, NewShapeRecompiles) {
  auto w = theon::shared(vec({1, 2}), "w");
  auto f = theon::function({}, {w * 2});
  EXPECT_EQ(f()[0].to_vector<float>(), (std::vector<float>{2, 4}));
  w.set_value(vec({1, 2, 3}));
  EXPECT_EQ(f()[0].to_vector<float>(), (std::vector<float>{2, 4, 6}));
  EXPECT_EQ(f.num_compiled(), 2u);
}

TEST(Shared, SetValueRefusesOtherDtypeOrNdim) {
  auto w = theon::shared(vec({1, 2}), "w");
  try {
    w.set_value(Array::zeros({2}, DType::Float64));
    FAIL();
  } catch (const theon::TypeError &e) {
    EXPECT_NE(std::string(e.what()).find("'w'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("float64"), std::string::npos) << e.what();
  }
  EXPECT_THROW(w.set_value(Array::zeros({2, 1})), theon::TypeError);
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{1, 2}));
}

TEST(Updates, OutputsAndUpdatesSeeOldValues) {
  auto a = theon::shared(vec({1}), "a");
  auto b = theon::shared(vec({10}), "b");
  // Swap a and b, and output both: all computed from the old values.
  theon::Updates up;
  up.add(a, b).add(b, a);
  auto f = theon::function({}, {a, b, a + b}, up);
  auto out = f();
  EXPECT_EQ(out[0].to_vector<float>()[0], 1);
  EXPECT_EQ(out[1].to_vector<float>()[0], 10);
  EXPECT_EQ(a.get_value().to_vector<float>()[0], 10);
  EXPECT_EQ(b.get_value().to_vector<float>()[0], 1);
  f();
  EXPECT_EQ(a.get_value().to_vector<float>()[0], 1);
}

TEST(Updates, NoOutputsLikeMultBy2) {
  auto state = theon::shared(vec({1, 2, 3}), "state");
  auto mult_by_2 = theon::function({}, {}, theon::Updates{{state, state * 2}});
  EXPECT_TRUE(mult_by_2().empty());
  mult_by_2();
  EXPECT_EQ(state.get_value().to_vector<float>(), (std::vector<float>{4, 8, 12}));
}

TEST(Updates, OutputThatIsAlsoTheUpdate) {
  auto w = theon::shared(vec({1, 2}), "w");
  auto next = w * 2;
  auto f = theon::function({}, {next, next}, theon::Updates{{w, next}});
  auto out = f();
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{2, 4}));
  EXPECT_EQ(out[1].to_vector<float>(), (std::vector<float>{2, 4}));
  EXPECT_FALSE(out[0].shares_memory(out[1]));
  EXPECT_FALSE(out[0].shares_memory(w.get_value(true)));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 4}));
}

TEST(Updates, FailedCallChangesNothing) {
  auto w = theon::shared(vec({1, 2, 3}), "w");
  auto x = T::vector("x");
  auto f = theon::function({x}, {T::sum(x * w)}, theon::Updates{{w, w + x}});
  EXPECT_THROW(f(vec({1, 2})), theon::ShapeError); // (2,) with (3,)
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{1, 2, 3}));
  EXPECT_THROW(f(Array::zeros({3}, DType::Float64)), theon::TypeError);
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(f(vec({1, 1, 1}))[0].item<float>(), 6);
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 3, 4}));
}

TEST(Updates, SameShapeUpdatesAreWrittenInPlace) {
  auto w = theon::shared(vec({0, 0}), "w");
  auto f = theon::function({}, {}, theon::Updates{{w, w + 1}});
  f();
  const void *buffer = w.get_value(true).raw_data();
  f();
  f();
  // One buffer, written in place: no second buffer, no allocation.
  EXPECT_EQ(w.get_value(true).raw_data(), buffer);
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{3, 3}));
  EXPECT_EQ(f.ir("loops").find("memref.copy"), std::string::npos) << f.ir("loops");
  // A buffer the user still holds is never written: the variable moves to
  // a copy of it, and stays there.
  Array held = w.get_value(true);
  f();
  f();
  EXPECT_EQ(held.to_vector<float>(), (std::vector<float>{3, 3}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{5, 5}));
  const void *moved = w.get_value(true).raw_data();
  EXPECT_NE(moved, held.raw_data());
  f();
  EXPECT_EQ(w.get_value(true).raw_data(), moved);
}

TEST(Updates, ShapeChangingUpdatesTakeANewBuffer) {
  auto w = theon::shared(vec({1, 2}), "w");
  auto i = T::lvector("i");
  auto f = theon::function({i}, {}, theon::Updates{{w, w[i]}});
  f(Array::from_vector(std::vector<std::int64_t>{1, 0, 1}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 1, 2}));
  f(Array::from_vector(std::vector<std::int64_t>{0, 1, 1})); // (3,) to (3,): in place
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 1, 1}));
  f(Array::from_vector(std::vector<std::int64_t>{2, 0}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{1, 2}));
  f(Array::from_vector(std::vector<std::int64_t>{1, 1, 0, 0}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 2, 1, 1}));
}

TEST(Updates, AnArgumentSharingTheVariablesBufferReadsTheOldValue) {
  auto w = theon::shared(vec({1, 2}), "w");
  auto x = T::vector("x");
  // The output and the new value both read x, which is w's own buffer.
  auto f = theon::function({x}, {x * 10}, theon::Updates{{w, w + x}});
  auto out = f(w.get_value(true));
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{10, 20}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 4}));

  // The same through borrowed memory, where reference counts cannot tell.
  std::vector<float> memory{1, 2};
  w.set_value(Array::borrow(memory.data(), {2}), true);
  out = f(Array::borrow(memory.data(), {2}));
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{10, 20}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 4}));
}

TEST(Updates, TwoVariablesOnOneBufferAreUpdatedIndependently) {
  Array value = vec({1, 2});
  auto a = theon::shared(value, "a", true);
  auto b = theon::shared(value, "b", true);
  auto f = theon::function({}, {}, theon::Updates{{a, a + 1}, {b, b * 3}});
  f();
  EXPECT_EQ(a.get_value().to_vector<float>(), (std::vector<float>{2, 3}));
  EXPECT_EQ(b.get_value().to_vector<float>(), (std::vector<float>{3, 6}));
  EXPECT_EQ(value.to_vector<float>(), (std::vector<float>{1, 2}));
}

TEST(Updates, UpdateFromAViewOfAnotherVariable) {
  auto m = theon::shared(Array::from_vector(std::vector<float>{1, 2, 3, 4}, {2, 2}), "m");
  auto v = theon::shared(vec({0, 0, 0, 0}), "v");
  // v takes m's values through a reshape (a view), m takes v's: both from
  // the old values.
  auto f = theon::function({}, {}, theon::Updates{{v, m.reshape({4})}, {m, v.reshape({2, 2})}});
  f();
  EXPECT_EQ(v.get_value().to_vector<float>(), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(m.get_value().to_vector<float>(), (std::vector<float>{0, 0, 0, 0}));
  f();
  EXPECT_EQ(v.get_value().to_vector<float>(), (std::vector<float>{0, 0, 0, 0}));
  EXPECT_EQ(m.get_value().to_vector<float>(), (std::vector<float>{1, 2, 3, 4}));
}

TEST(Updates, BadUpdatesAreRefusedWhenBuilt) {
  auto w = theon::shared(vec({1, 2}), "w");
  auto x = T::vector("x");
  EXPECT_THROW(theon::Updates({{w, (w * 2).astype(DType::Float64)}}), theon::TypeError);
  EXPECT_THROW(theon::Updates({{w, T::matrix("m")}}), theon::TypeError);
  theon::Updates up;
  up.add(w, w + 1);
  EXPECT_THROW(up.add(w, w + 2), theon::ValueError);
  theon::SharedVariable notShared;
  EXPECT_THROW(up.add(notShared, x), theon::ValueError);
  // A shared variable is never an input.
  EXPECT_THROW(theon::function({w}, {w * 2}), theon::TypeError);
}

TEST(Updates, GradientDescentLearns) {
  // Fit y = 2x + 1 by gradient descent on shared parameters.
  auto wv = theon::shared(Array::scalar(0.0), "w");
  auto bv = theon::shared(Array::scalar(0.0), "b");
  auto x = T::dvector("x");
  auto y = T::dvector("y");
  auto cost = T::mean(T::sqr(x * wv + bv - y));
  auto g = theon::grad(cost, {wv, bv});
  auto train = theon::function({x, y}, {cost},
                               theon::Updates{{wv, wv - 0.1 * g[0]}, {bv, bv - 0.1 * g[1]}});
  Array xs = Array::from_vector(std::vector<double>{0, 1, 2, 3});
  Array ys = Array::from_vector(std::vector<double>{1, 3, 5, 7});
  double first = train(xs, ys)[0].item<double>();
  double last = first;
  for (int i = 0; i < 500; ++i)
    last = train(xs, ys)[0].item<double>();
  EXPECT_LT(last, first * 1e-3);
  EXPECT_NEAR(wv.get_value().item<double>(), 2.0, 1e-2);
  EXPECT_NEAR(bv.get_value().item<double>(), 1.0, 2e-2);
  EXPECT_EQ(train.num_compiled(), 1u);
}

} // namespace

// An Adagrad step, the seed's update: the accumulator's and the parameter's
// new values come from one fused loop, both written in place, and the
// division by the square root runs on the rsqrt estimate. Three steps
// against a float64 reference, on odd sizes (vector loops with remainders).
TEST(Updates, AdagradStepsMatchAReference) {
  const std::int64_t n = 5, k = 37, m = 23;
  const double lr = 0.1, eps = 1e-6;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> xv(n * k), wv(k * m);
  for (auto &v : xv) v = dist(rng);
  for (auto &v : wv) v = dist(rng);
  auto W = theon::shared(Array::from_vector(wv, {k, m}), "W");
  auto acc = theon::shared(Array::zeros({k, m}), "acc");
  auto x = T::matrix("x");
  auto y = T::dot(x, W);
  auto cost = T::sum(y * y);
  auto g = theon::grad(cost, W);
  auto accNew = acc + g * g;
  auto step = theon::function(
      {x}, {cost}, theon::Updates{{acc, accNew}, {W, W - lr * g / T::sqrt(accNew + eps)}});

  std::vector<double> w(wv.begin(), wv.end()), a(k * m, 0.0);
  Array xa = Array::from_vector(xv, {n, k});
  for (int s = 0; s < 3; ++s) {
    // Reference: y = x W, dcost/dW = 2 x^T y.
    std::vector<double> yr(n * m, 0.0), gr(k * m, 0.0);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < m; ++j)
        for (std::int64_t p = 0; p < k; ++p)
          yr[i * m + j] += xv[i * k + p] * w[p * m + j];
    for (std::int64_t p = 0; p < k; ++p)
      for (std::int64_t j = 0; j < m; ++j)
        for (std::int64_t i = 0; i < n; ++i)
          gr[p * m + j] += 2 * xv[i * k + p] * yr[i * m + j];
    for (std::int64_t e = 0; e < k * m; ++e) {
      a[e] += gr[e] * gr[e];
      w[e] -= lr * gr[e] / std::sqrt(a[e] + eps);
    }
    step(xa);
  }
  std::vector<float> got = W.get_value().to_vector<float>(), gotAcc = acc.get_value().to_vector<float>();
  for (std::int64_t e = 0; e < k * m; ++e) {
    EXPECT_NEAR(got[e], w[e], 1e-5 * (1 + std::fabs(w[e]))) << e;
    EXPECT_NEAR(gotAcc[e], a[e], 1e-4 * (1 + std::fabs(a[e]))) << e;
  }
}

// The new value is also read by an output that reads the old value after
// it: the new value cannot be computed into the variable's buffer there, so
// bufferization computes it elsewhere and copies it in at the end.
TEST(Updates, OldValueReadAfterTheNewValueIsComputed) {
  auto w = theon::shared(Array::from_vector(std::vector<float>{1, 2}), "w");
  auto next = w * 2;
  auto f = theon::function({}, {next + w, T::sum(w)}, theon::Updates{{w, next}});
  auto out = f();
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{3, 6}));
  EXPECT_EQ(out[1].to_vector<float>(), (std::vector<float>{3}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{2, 4}));
  f();
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{4, 8}));
}
