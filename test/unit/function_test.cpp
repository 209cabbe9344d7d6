// theon::function (compilation cache, IR stages, special outputs), the Array
// API and config().floatX.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Shape;
using theon::Variable;
using namespace theon_test;

namespace {

bool Contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---------------------------------------------------------------------------
// Compilation cache
// ---------------------------------------------------------------------------

TEST(FunctionCache, OneCompilationPerShapeSignature) {
  auto x = T::vector("x");
  auto y = T::matrix("y");
  auto f = theon::function({x, y}, {x + y});
  EXPECT_EQ(f.num_compiled(), 0u);
  std::mt19937 rng(1);
  Array xa = Random({3}, DType::Float32, rng), ya = Random({2, 3}, DType::Float32, rng);
  auto first = f(xa, ya)[0];
  EXPECT_EQ(f.num_compiled(), 1u);
  for (int k = 0; k < 3; ++k) {
    Array x2 = Random({3}, DType::Float32, rng), y2 = Random({2, 3}, DType::Float32, rng);
    auto out = f(x2, y2)[0];
    EXPECT_TRUE(ArrayNear(out, DType::Float32, {2, 3},
                          [&] {
                            std::vector<double> e;
                            for (int i = 0; i < 6; ++i)
                              e.push_back(static_cast<float>(x2.get_flat(i % 3)) +
                                          static_cast<float>(y2.get_flat(i)));
                            return e;
                          }(),
                          ElementwiseTol(DType::Float32)));
  }
  EXPECT_EQ(f.num_compiled(), 1u); // same shapes, new values: no recompilation

  auto out = f(Random({4}, DType::Float32, rng), Random({5, 4}, DType::Float32, rng))[0];
  EXPECT_EQ(out.shape(), (Shape{5, 4}));
  EXPECT_EQ(f.num_compiled(), 2u);
  f(Random({3}, DType::Float32, rng), Random({2, 3}, DType::Float32, rng)); // cached again
  EXPECT_EQ(f.num_compiled(), 2u);
  f(Random({3}, DType::Float32, rng), Random({1, 3}, DType::Float32, rng));
  EXPECT_EQ(f.num_compiled(), 3u);

  // A copy of the Function handle shares the cache.
  theon::Function g = f;
  g(xa, ya);
  EXPECT_EQ(g.num_compiled(), 3u);
  EXPECT_EQ(f.num_compiled(), 3u);
  // An earlier result is not overwritten by later calls.
  std::vector<double> expected;
  for (int i = 0; i < 6; ++i)
    expected.push_back(static_cast<float>(xa.get_flat(i % 3)) + static_cast<float>(ya.get_flat(i)));
  EXPECT_TRUE(ArrayNear(first, DType::Float32, {2, 3}, expected, ElementwiseTol(DType::Float32)));
}

TEST(FunctionCache, IrWithShapesCompilesAndCaches) {
  auto x = T::dmatrix("x");
  auto f = theon::function({x}, {T::exp(x)});
  std::string ir = f.ir("theon", {{2, 3}});
  EXPECT_TRUE(Contains(ir, "theon.exp")) << ir;
  EXPECT_TRUE(Contains(ir, "2x3")) << ir;
  EXPECT_EQ(f.num_compiled(), 1u);
  f(Array::ones({2, 3}, DType::Float64)); // the specialization ir() made
  EXPECT_EQ(f.num_compiled(), 1u);
  EXPECT_TRUE(Contains(f.ir("theon", {{4, 1}}), "4x1"));
  EXPECT_EQ(f.num_compiled(), 2u);
  EXPECT_THROW(f.ir("theon", {{2, 3}, {2, 3}}), theon::TypeError);
  EXPECT_THROW(f.ir("theon", {{6}}), theon::TypeError);
}

// ---------------------------------------------------------------------------
// IR stages
// ---------------------------------------------------------------------------

TEST(FunctionIr, EveryStageHasItsDialect) {
  auto x = T::fmatrix("x");
  auto v = T::fvector("v");
  auto f = theon::function({x, v}, {T::sum(T::exp(x) + v, 1), T::dot(x, v)},
                           theon::FunctionOptions{false, "my_fn"});
  EXPECT_THROW(f.ir(), theon::ValueError);
  EXPECT_THROW(f.ir("linalg"), theon::ValueError);
  EXPECT_THROW_MSG(f.ir("theon"), theon::ValueError, "my_fn", "compiled");
  std::mt19937 rng(2);
  f(Random({3, 4}, DType::Float32, rng), Random({4}, DType::Float32, rng));

  std::string theon_ir = f.ir("theon");
  EXPECT_EQ(theon_ir, f.ir()); // "theon" is the default
  for (const char *op : {"theon.add", "theon.exp", "theon.sum", "theon.dot", "func.func @my_fn",
                         "tensor<3x4xf32>", "tensor<4xf32>"})
    EXPECT_TRUE(Contains(theon_ir, op)) << op << " not in:\n" << theon_ir;

  std::string linalg = f.ir("linalg");
  EXPECT_TRUE(Contains(linalg, "linalg.generic")) << linalg;
  EXPECT_FALSE(Contains(linalg, "theon.")) << linalg;
  EXPECT_TRUE(Contains(linalg, "math.exp")) << linalg;

  std::string loops = f.ir("loops");
  EXPECT_TRUE(Contains(loops, "memref")) << loops;
  EXPECT_TRUE(Contains(loops, "scf.for")) << loops;
  EXPECT_FALSE(Contains(loops, "linalg.generic")) << loops;

  std::string llvm = f.ir("llvm");
  EXPECT_TRUE(Contains(llvm, "llvm.func")) << llvm;
  EXPECT_FALSE(Contains(llvm, "scf.for")) << llvm;

  std::string llvmir = f.ir("llvmir");
  EXPECT_TRUE(Contains(llvmir, "define")) << llvmir;
  EXPECT_TRUE(Contains(llvmir, "my_fn")) << llvmir;
  // 512-bit vectors where the host has AVX-512, LLVM's default elsewhere.
  EXPECT_EQ(Contains(llvmir, "\"prefer-vector-width\"=\"512\""),
            __builtin_cpu_supports("avx512f") != 0)
      << llvmir;

  EXPECT_THROW_MSG(f.ir("mlir"), theon::ValueError, "mlir", "theon", "llvmir");
  EXPECT_THROW(f.ir(""), theon::ValueError);
}

TEST(FunctionIr, ReflectsTheMostRecentSpecialization) {
  auto x = T::dvector("x");
  auto f = theon::function({x}, {x * 3});
  f(Array::zeros({2}, DType::Float64));
  EXPECT_TRUE(Contains(f.ir(), "tensor<2xf64>"));
  f(Array::zeros({7}, DType::Float64));
  EXPECT_TRUE(Contains(f.ir(), "tensor<7xf64>"));
  f(Array::zeros({2}, DType::Float64)); // from the cache, and now the latest
  EXPECT_TRUE(Contains(f.ir(), "tensor<2xf64>"));
  EXPECT_FALSE(Contains(f.ir(), "tensor<7xf64>"));
}

// ---------------------------------------------------------------------------
// Special outputs
// ---------------------------------------------------------------------------

TEST(FunctionOutputs, InputReturnedDirectlyIsACopy) {
  auto x = T::dmatrix("x");
  auto f = theon::function({x}, {x, x * 2});
  Array xa = Array::from_vector(std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3});
  auto out = f(xa);
  EXPECT_TRUE(theon::array_equal(out[0], xa));
  EXPECT_FALSE(out[0].shares_memory(xa));
  out[0].at<double>(0, 0) = 100; // the caller's array is untouched
  EXPECT_EQ(xa.at<double>(0, 0), 1);
  EXPECT_TRUE(ArrayNear(out[1], DType::Float64, {2, 3}, {2, 4, 6, 8, 10, 12}));
  // A transposed (non-contiguous) argument comes back as its values.
  auto out2 = f(xa.T());
  EXPECT_TRUE(ArrayNear(out2[0], DType::Float64, {3, 2}, {1, 4, 2, 5, 3, 6}));
}

TEST(FunctionOutputs, ConstantsAndNoInputs) {
  auto x = T::fvector("x");
  Array c = Array::from_vector(std::vector<double>{1.5, -2, 4}, {3});
  auto k = T::constant(c, "k");
  EXPECT_EQ(k.dtype(), DType::Float64);
  EXPECT_EQ(k.broadcastable(), (std::vector<bool>{false}));
  auto f = theon::function({x}, {k, x + k, T::constant(2.5, DType::Float32)});
  c.data<double>()[0] = 99; // constants copy their value
  auto out = f(Array::from_vector(std::vector<float>{1, 1, 1}));
  EXPECT_TRUE(ArrayNear(out[0], DType::Float64, {3}, {1.5, -2, 4}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float64, {3}, {2.5, -1, 5}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Float32, {}, {2.5}));
  // Calling twice gives fresh arrays, not the same buffer.
  auto again = f(Array::from_vector(std::vector<float>{1, 1, 1}));
  EXPECT_FALSE(again[0].shares_memory(out[0]));

  auto g = theon::function({}, {T::constant(c) * 2, T::as_tensor(7) + 1});
  auto gout = g();
  EXPECT_TRUE(ArrayNear(gout[0], DType::Float64, {3}, {198, -4, 8}));
  EXPECT_TRUE(ArrayNear(gout[1], DType::Int8, {}, {8}));
  EXPECT_EQ(g.num_compiled(), 1u);
}

TEST(FunctionOutputs, DuplicateOutputsAreDistinctArrays) {
  auto x = T::ivector("x");
  auto y = x * x;
  auto f = theon::function({x}, {y, y, x, x});
  auto out = f(Array::from_vector(std::vector<std::int32_t>{1, -2, 3}));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_TRUE(ArrayNear(out[0], DType::Int32, {3}, {1, 4, 9}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Int32, {3}, {1, 4, 9}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Int32, {3}, {1, -2, 3}));
  EXPECT_TRUE(ArrayNear(out[3], DType::Int32, {3}, {1, -2, 3}));
  EXPECT_FALSE(out[0].shares_memory(out[1]));
  EXPECT_FALSE(out[2].shares_memory(out[3]));
  out[0].at<std::int32_t>(0) = 50;
  EXPECT_EQ(out[1].at<std::int32_t>(0), 1);
}

// An output's buffer is reused by the next call only when the caller has
// dropped the output (and its views); an output the caller holds keeps its
// values.
TEST(FunctionOutputs, ABufferIsReusedOnlyOnceTheCallerDropsIt) {
  auto x = T::vector("x");
  auto f = theon::function({x}, {x * 2});
  Array one = Array::from_vector(std::vector<float>{1, 2, 3});
  Array two = Array::from_vector(std::vector<float>{10, 20, 30});
  const void *first = f(one)[0].raw_data(); // dropped at once
  Array held = f(two)[0];
  EXPECT_EQ(held.raw_data(), first);
  Array view = held.reshape({3, 1}); // shares the buffer: still held
  held = Array();
  Array next = f(one)[0];
  EXPECT_NE(next.raw_data(), first);
  EXPECT_EQ(view.to_vector<float>(), (std::vector<float>{20, 40, 60}));
  EXPECT_EQ(next.to_vector<float>(), (std::vector<float>{2, 4, 6}));
  // A new shape takes a new buffer.
  Array longer = f(Array::from_vector(std::vector<float>{1, 2, 3, 4}))[0];
  EXPECT_EQ(longer.to_vector<float>(), (std::vector<float>{2, 4, 6, 8}));
  EXPECT_EQ(next.to_vector<float>(), (std::vector<float>{2, 4, 6}));
}

// Arguments given to the call expression are read where they are, without
// a copy, including temporaries (which live until the call returns).
TEST(FunctionArguments, TemporariesAndStridedViews) {
  auto x = T::matrix("x");
  auto y = T::matrix("y");
  auto f = theon::function({x, y}, {x + y});
  Array out = f(Array::ones({2, 3}), Array::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {3, 2}).T())[0];
  EXPECT_EQ(out.to_vector<float>(), (std::vector<float>{2, 4, 6, 3, 5, 7}));
  std::vector<theon::Argument> list{Array::ones({1, 1}), Array::ones({1, 1})}; // copies
  EXPECT_EQ(f(list)[0].to_vector<float>(), (std::vector<float>{2}));
}

TEST(FunctionOutputs, ZeroOutputs) {
  auto x = T::vector("x");
  auto f = theon::function({x}, {}, theon::FunctionOptions{}.with_unused_input(
                                        theon::OnUnusedInput::Ignore));
  EXPECT_TRUE(f(Array::zeros({3})).empty());
  EXPECT_TRUE(f.outputs().empty());
  // Arguments are still checked.
  EXPECT_THROW(f(Array::zeros({3, 3})), theon::TypeError);
  auto g = theon::function({}, {});
  EXPECT_TRUE(g().empty());
}

TEST(FunctionOutputs, InputsAndOutputsAccessors) {
  auto a = T::scalar("a"), b = T::vector("b");
  auto out = a * b;
  auto f = theon::function({a, b}, {out});
  ASSERT_EQ(f.inputs().size(), 2u);
  EXPECT_TRUE(f.inputs()[0].same(a));
  EXPECT_TRUE(f.inputs()[1].same(b));
  ASSERT_EQ(f.outputs().size(), 1u);
  EXPECT_TRUE(f.outputs()[0].same(out));
}

TEST(FunctionArguments, NumbersForScalarInputs) {
  auto l = T::lscalar("l");
  auto d = T::dscalar("d");
  auto fs = T::fscalar("fs");
  auto b = T::bscalar("b");
  auto f = theon::function({l, d, fs, b}, {l + 1, d * 2, fs / 2, b * 1});
  auto out = f(41, 1.25, 3, static_cast<short>(-7));
  EXPECT_TRUE(ArrayNear(out[0], DType::Int64, {}, {42}));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float64, {}, {2.5}));
  EXPECT_TRUE(ArrayNear(out[2], DType::Float32, {}, {1.5}));
  EXPECT_TRUE(ArrayNear(out[3], DType::Int8, {}, {-7}));
  // 0-d Arrays work too, and an int Array that converts safely.
  auto out2 = f(Array::scalar<std::int64_t>(1), Array::scalar<float>(0.5f),
                Array::scalar<float>(1), Array::scalar<std::int8_t>(3));
  EXPECT_TRUE(ArrayNear(out2[1], DType::Float64, {}, {1}));
  EXPECT_EQ(out2[3].item<int>(), 3);
  // A float number with an integral value is accepted for an int input.
  EXPECT_EQ(f(2.0, 0, 0, 1)[0].item<std::int64_t>(), 3);
}

TEST(FunctionArguments, SafeUpcastAndDowncastOption) {
  auto x = T::dvector("x");
  auto f = theon::function({x}, {x * 2});
  // float32, int32 and int8 arrays convert safely to float64.
  EXPECT_TRUE(ArrayNear(f(Array::from_vector(std::vector<float>{1.5f, 2}))[0], DType::Float64, {2},
                        {3, 4}));
  EXPECT_TRUE(ArrayNear(f(Array::from_vector(std::vector<std::int32_t>{7, -1}))[0],
                        DType::Float64, {2}, {14, -2}));
  EXPECT_TRUE(ArrayNear(f(Array::from_vector(std::vector<bool>{true, false}))[0], DType::Float64,
                        {2}, {2, 0}));
  auto y = T::fvector("y");
  theon::FunctionOptions opts;
  opts.allow_input_downcast = true;
  auto g = theon::function({y}, {y + 1}, opts);
  auto out = g(Array::from_vector(std::vector<double>{0.1, 1e10}))[0];
  EXPECT_TRUE(ArrayNear(out, DType::Float32, {2}, {static_cast<float>(0.1) + 1.0f, 1e10f}));
  auto out2 = g(Array::from_vector(std::vector<std::int64_t>{3}))[0];
  EXPECT_TRUE(ArrayNear(out2, DType::Float32, {1}, {4}));
}

TEST(FunctionArguments, CallerArraysAreNeverWritten) {
  // Compiled code must not reuse an argument's buffer for a result: the
  // caller's (possibly borrowed) arrays keep their values.
  auto x = T::dmatrix("x"), y = T::dmatrix("y"), v = T::dvector("v");
  auto f = theon::function(
      {x, y, v}, {T::exp(x), x + y, x * 2 + v, T::sum(x, 1), T::dot(x, y.T()), x.reshape({-1}),
                  x.T(), T::maximum(y, 0), -v, T::switch_(x > 0, x, y)});
  std::mt19937 rng(6);
  Array xa = Random({3, 4}, DType::Float64, rng), ya = Random({3, 4}, DType::Float64, rng);
  Array va = Random({4}, DType::Float64, rng);
  Array x0 = xa.copy(), y0 = ya.copy(), v0 = va.copy();
  for (int call = 0; call < 2; ++call) {
    auto out = f(xa, ya, va);
    EXPECT_TRUE(theon::array_equal(xa, x0));
    EXPECT_TRUE(theon::array_equal(ya, y0));
    EXPECT_TRUE(theon::array_equal(va, v0));
    for (const Array &o : out) {
      EXPECT_FALSE(o.shares_memory(xa));
      EXPECT_FALSE(o.shares_memory(ya));
      EXPECT_FALSE(o.shares_memory(va));
    }
    EXPECT_TRUE(ArrayNear(out[5], DType::Float64, {12}, Values(x0), Tol{0, 0}));
  }
}

// ---------------------------------------------------------------------------
// Array API
// ---------------------------------------------------------------------------

TEST(ArrayApi, ConstructionAndAccessors) {
  Array empty;
  EXPECT_EQ(empty.dtype(), DType::Float32);
  EXPECT_EQ(empty.shape(), (Shape{0}));
  EXPECT_EQ(empty.size(), 0);

  Array a = Array::from_vector(std::vector<std::int32_t>{1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(a.dtype(), DType::Int32);
  EXPECT_EQ(a.ndim(), 2);
  EXPECT_EQ(a.size(), 6);
  EXPECT_EQ(a.shape(0), 2);
  EXPECT_EQ(a.shape(-1), 3);
  EXPECT_EQ(a.strides(), (Shape{3, 1}));
  EXPECT_TRUE(a.is_contiguous());
  EXPECT_EQ(a.at<std::int32_t>(1, 2), 6);
  EXPECT_EQ(a.at<std::int32_t>({0, 1}), 2);
  EXPECT_EQ(a.at<std::int32_t>(-1, -3), 4);
  a.at<std::int32_t>(0, 0) = 10;
  EXPECT_EQ(a.data<std::int32_t>()[0], 10);
  EXPECT_EQ(a.to_vector<int>(), (std::vector<int>{10, 2, 3, 4, 5, 6}));
  EXPECT_EQ(a.get_flat(4), 5.0);

  Array v(std::vector<double>{1.5, 2.5});
  EXPECT_EQ(v.shape(), (Shape{2}));
  EXPECT_EQ(v.dtype(), DType::Float64);
  Array v2(std::vector<float>{1, 2, 3, 4}, {4, 1});
  EXPECT_EQ(v2.shape(), (Shape{4, 1}));

  Array s = Array::scalar<double>(3.25);
  EXPECT_EQ(s.ndim(), 0);
  EXPECT_EQ(s.size(), 1);
  EXPECT_EQ(s.item<double>(), 3.25);
  EXPECT_EQ(s.item<int>(), 3);
  EXPECT_EQ(s.at<double>(), 3.25);
  EXPECT_EQ(Array::from_vector(std::vector<float>{7}, {1, 1}).item<float>(), 7);

  Array u(Shape{2, 0, 3}, DType::Int16);
  EXPECT_EQ(u.size(), 0);
  EXPECT_EQ(u.dtype(), DType::Int16);
}

TEST(ArrayApi, BorrowSharesMemoryAndCopyOfDoesNot) {
  std::vector<float> buf = {1, 2, 3, 4, 5, 6};
  Array borrowed = Array::borrow(buf.data(), {2, 3});
  Array copied = Array::copy_of(buf.data(), {2, 3});
  EXPECT_EQ(borrowed.data<float>(), buf.data());
  EXPECT_NE(copied.data<float>(), buf.data());
  buf[4] = 50;
  EXPECT_EQ(borrowed.at<float>(1, 1), 50);
  EXPECT_EQ(copied.at<float>(1, 1), 5);
  borrowed.at<float>(0, 0) = -1; // writes go to the caller's memory
  EXPECT_EQ(buf[0], -1);

  // A function sees the caller's writes at each call.
  auto x = T::matrix("x");
  auto f = theon::function({x}, {T::sum(x)});
  EXPECT_FLOAT_EQ(f(borrowed)[0].item<float>(), -1 + 2 + 3 + 4 + 50 + 6);
  buf[5] = 100;
  EXPECT_FLOAT_EQ(f(borrowed)[0].item<float>(), -1 + 2 + 3 + 4 + 50 + 100);
  EXPECT_FLOAT_EQ(f(copied)[0].item<float>(), 21);

  Array shared = borrowed; // handles share the buffer
  EXPECT_TRUE(shared.shares_memory(borrowed));
  EXPECT_FALSE(copied.shares_memory(borrowed));
  EXPECT_FALSE(borrowed.copy().shares_memory(borrowed));
  EXPECT_GE(borrowed.use_count(), 2);
}

TEST(ArrayApi, FactoriesAndRandom) {
  Array z = Array::zeros({2, 3}, DType::Int64);
  EXPECT_EQ(z.dtype(), DType::Int64);
  EXPECT_EQ(z.to_vector<int>(), std::vector<int>(6, 0));
  Array zf = Array::zeros({4});
  EXPECT_EQ(zf.dtype(), theon::config().floatX);
  Array o = Array::ones({3}, DType::Bool);
  EXPECT_EQ(o.to_vector<int>(), (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(Array::ones({2, 2}).to_vector<float>(), std::vector<float>(4, 1.0f));
  Array full = Array::full({2, 2}, -2.5, DType::Float64);
  EXPECT_EQ(full.to_vector<double>(), std::vector<double>(4, -2.5));
  EXPECT_EQ(Array::full({}, 7.9, DType::Int32).item<int>(), 7);

  Array r = Array::arange(5);
  EXPECT_EQ(r.dtype(), DType::Int64);
  EXPECT_EQ(r.to_vector<std::int64_t>(), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(Array::arange(3, DType::Float32).to_vector<float>(), (std::vector<float>{0, 1, 2}));
  EXPECT_EQ(Array::arange(0).size(), 0);

  Array::seed(123);
  Array u1 = Array::uniform({1000}, -2, 3, DType::Float64);
  Array::seed(123);
  Array u2 = Array::uniform({1000}, -2, 3, DType::Float64);
  Array u3 = Array::uniform({1000}, -2, 3, DType::Float64);
  EXPECT_TRUE(theon::array_equal(u1, u2)); // same seed, same values
  EXPECT_FALSE(theon::array_equal(u1, u3));
  double lo = 1e9, hi = -1e9, sum = 0;
  for (double v : u1.to_vector<double>()) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
  }
  EXPECT_GE(lo, -2);
  EXPECT_LT(hi, 3);
  EXPECT_LT(lo, -1.9); // spread over the whole range
  EXPECT_GT(hi, 2.9);
  EXPECT_NEAR(sum / 1000, 0.5, 0.2);
  Array uf = Array::uniform({50, 2}, 0, 1);
  EXPECT_EQ(uf.dtype(), theon::config().floatX);
  EXPECT_EQ(uf.shape(), (Shape{50, 2}));
  for (float v : uf.to_vector<float>()) {
    EXPECT_GE(v, 0);
    EXPECT_LE(v, 1); // float32 rounding may reach high
  }
  EXPECT_THROW(Array::uniform({2}, 1, 0), theon::ValueError);
  EXPECT_THROW(Array::arange(-1), theon::ValueError);
  EXPECT_THROW(Array::zeros({2, -1}), theon::ShapeError);
}

TEST(ArrayApi, AstypeReshapeTranspose) {
  Array a = Array::from_vector(std::vector<double>{1.9, -1.9, 2.5, 0, -0.2, 7}, {2, 3});
  Array i = a.astype(DType::Int32);
  EXPECT_EQ(i.dtype(), DType::Int32);
  EXPECT_EQ(i.to_vector<int>(), (std::vector<int>{1, -1, 2, 0, 0, 7}));
  EXPECT_FALSE(i.shares_memory(a));
  EXPECT_EQ(a.astype(DType::Bool).to_vector<int>(), (std::vector<int>{1, 1, 1, 0, 1, 1}));
  EXPECT_FALSE(a.astype(DType::Float64).shares_memory(a));

  Array r = a.reshape({3, 2});
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_TRUE(r.shares_memory(a));
  EXPECT_EQ(r.at<double>(2, 1), 7);
  EXPECT_EQ(a.reshape({6}).to_vector<double>(), a.to_vector<double>());
  EXPECT_EQ(a.reshape({1, 6, 1}).ndim(), 3);
  EXPECT_THROW(a.reshape({4}), theon::ShapeError);

  Array t = a.T();
  EXPECT_EQ(t.shape(), (Shape{3, 2}));
  EXPECT_EQ(t.strides(), (Shape{1, 3}));
  EXPECT_TRUE(t.shares_memory(a));
  EXPECT_FALSE(t.is_contiguous());
  EXPECT_EQ(t.at<double>(2, 0), 2.5);
  EXPECT_EQ(t.at<double>(0, 1), 0);
  EXPECT_EQ(t.to_vector<double>(), (std::vector<double>{1.9, 0, -1.9, -0.2, 2.5, 7}));
  Array tc = t.contiguous();
  EXPECT_TRUE(tc.is_contiguous());
  EXPECT_FALSE(tc.shares_memory(a));
  EXPECT_TRUE(theon::array_equal(tc, t));
  EXPECT_TRUE(a.contiguous().shares_memory(a));
  Array tr = t.reshape({6}); // non-contiguous: a copy in row-major order of t
  EXPECT_FALSE(tr.shares_memory(a));
  EXPECT_EQ(tr.to_vector<double>(), t.to_vector<double>());
  EXPECT_TRUE(theon::array_equal(t.T(), a));
}

TEST(ArrayApi, ToStringAndComparisons) {
  Array a = Array::from_vector(std::vector<float>{1, 2.5f, 3, -4, 5, 6}, {2, 3});
  EXPECT_EQ(a.to_string(), "[[1, 2.5, 3],\n [-4, 5, 6]]");
  std::ostringstream os;
  os << a;
  EXPECT_EQ(os.str(), a.to_string());
  EXPECT_EQ(Array::from_vector(std::vector<bool>{true, false}).to_string(), "[true, false]");
  EXPECT_EQ(Array::scalar<std::int64_t>(-3).to_string(), "-3");
  EXPECT_EQ(Array::zeros({0}).to_string(), "[]");
  EXPECT_EQ(theon::shape_to_string({3}), "(3,)");
  EXPECT_EQ(theon::shape_to_string({2, 3}), "(2, 3)");
  EXPECT_EQ(theon::shape_to_string({}), "()");

  Array b = a.copy();
  EXPECT_TRUE(theon::array_equal(a, b));
  b.at<float>(1, 2) = 6.00001f;
  EXPECT_FALSE(theon::array_equal(a, b));
  EXPECT_TRUE(theon::allclose(a, b));
  EXPECT_FALSE(theon::allclose(a, b, 0, 1e-9));
  EXPECT_FALSE(theon::array_equal(a, a.astype(DType::Float64))); // dtypes differ
  EXPECT_FALSE(theon::allclose(a, a.reshape({3, 2})));
}

TEST(ArrayApi, NonContiguousArgumentsWork) {
  auto x = T::fmatrix("x");
  auto v = T::fvector("v");
  auto f = theon::function({x, v}, {x * 10 + v, T::sum(x, 0)});
  std::vector<float> buf(12);
  for (int k = 0; k < 12; ++k)
    buf[static_cast<std::size_t>(k)] = static_cast<float>(k);
  Array base = Array::borrow(buf.data(), {3, 4});
  Array xt = base.T(); // (4, 3), strides (1, 4)
  // Every other element of a length-6 buffer, through custom strides.
  std::vector<float> vbuf = {1, -1, 2, -1, 3, -1};
  Array strided = Array::borrow_raw(vbuf.data(), {3}, DType::Float32, {2});
  EXPECT_FALSE(strided.is_contiguous());
  auto out = f(xt, strided);
  std::vector<double> e0, e1(3, 0);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 3; ++c) {
      double xv = buf[static_cast<std::size_t>(c * 4 + r)];
      e0.push_back(xv * 10 + (c + 1));
      e1[static_cast<std::size_t>(c)] += xv;
    }
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {4, 3}, e0));
  EXPECT_TRUE(ArrayNear(out[1], DType::Float32, {3}, e1));
  EXPECT_EQ(buf[1], 1); // arguments are not written
}

// ---------------------------------------------------------------------------
// config().floatX
// ---------------------------------------------------------------------------

class FloatX64 : public ::testing::Test {
protected:
  void SetUp() override {
    saved_ = theon::config().floatX;
    theon::config().floatX = DType::Float64;
  }
  void TearDown() override { theon::config().floatX = saved_; }
  DType saved_ = DType::Float32;
};

TEST_F(FloatX64, ChangesDefaultDtypes) {
  auto m = T::matrix("m");
  auto v = T::vector("v");
  auto s = T::scalar("s");
  EXPECT_EQ(m.dtype(), DType::Float64);
  EXPECT_EQ(v.dtype(), DType::Float64);
  EXPECT_EQ(s.dtype(), DType::Float64);
  EXPECT_EQ(T::fmatrix().dtype(), DType::Float32); // explicit prefixes do not change
  // A float literal takes the float dtype it meets (weak scalar), not floatX.
  EXPECT_EQ((T::fvector() + 0.5).dtype(), DType::Float32);
  EXPECT_EQ((T::ivector() + 0.5).dtype(), DType::Float64); // next to ints: floatX
  EXPECT_EQ((T::fvector() * 2).dtype(), DType::Float32);
  EXPECT_EQ((T::ivector() / T::ivector()).dtype(), DType::Float64);
  EXPECT_EQ(Array::zeros({2}).dtype(), DType::Float64);
  EXPECT_EQ(Array::uniform({2}, 0, 1).dtype(), DType::Float64);

  auto f = theon::function({m, v}, {T::dot(m, v) + 0.1});
  auto out = f(Array::from_vector(std::vector<double>{1, 2, 3, 4}, {2, 2}),
               Array::from_vector(std::vector<double>{1, 1}))[0];
  EXPECT_TRUE(ArrayNear(out, DType::Float64, {2}, {3.1, 7.1}));
}

TEST(FloatX, DefaultIsFloat32AndRestored) {
  // Runs after FloatX64 in file order: the fixture restored the default.
  EXPECT_EQ(theon::config().floatX, DType::Float32);
  EXPECT_EQ(T::matrix().dtype(), DType::Float32);
}

// ---------------------------------------------------------------------------
// dtype helpers
// ---------------------------------------------------------------------------

TEST(DTypeHelpers, NamesSizesAndPromotion) {
  EXPECT_STREQ(theon::dtype_name(DType::Int16), "int16");
  EXPECT_EQ(theon::dtype_from_name("float64"), DType::Float64);
  EXPECT_EQ(theon::dtype_from_name("bool"), DType::Bool);
  EXPECT_THROW_MSG(theon::dtype_from_name("float16"), theon::ValueError, "float16");
  EXPECT_EQ(theon::dtype_size(DType::Bool), 1u);
  EXPECT_EQ(theon::dtype_size(DType::Int64), 8u);
  EXPECT_TRUE(theon::can_cast_safely(DType::Int16, DType::Float32));
  EXPECT_FALSE(theon::can_cast_safely(DType::Int32, DType::Float32));
  EXPECT_FALSE(theon::can_cast_safely(DType::Float64, DType::Float32));
  EXPECT_EQ(theon::promote_types(DType::Int64, DType::Float32), DType::Float64);
  EXPECT_EQ(theon::promote_types(DType::Int8, DType::Int16), DType::Int16);
  EXPECT_EQ(theon::promote_types(DType::Bool, DType::Bool), DType::Bool);
  EXPECT_EQ(theon::upgrade_to_float(DType::Int16), DType::Float32);
  EXPECT_EQ(theon::upgrade_to_float(DType::Int64), DType::Float64);
}

TEST(VariableApi, NamesTypesAndBroadcastable) {
  auto x = T::fmatrix("W");
  EXPECT_EQ(x.type_string(), "float32 matrix 'W'");
  EXPECT_EQ(T::dtensor3().type_string(), "float64 tensor3");
  EXPECT_EQ(T::lscalar("n").type_string(), "int64 scalar 'n'");
  auto y = x * 2;
  EXPECT_EQ(y.name(), "");
  y.set_name("y");
  EXPECT_EQ(y.name(), "y");
  EXPECT_EQ(T::row().broadcastable(), (std::vector<bool>{true, false}));
  EXPECT_EQ(T::col().broadcastable(), (std::vector<bool>{false, true}));
  EXPECT_EQ(T::tensor4().ndim(), 4);
  EXPECT_EQ((T::row() + T::col()).broadcastable(), (std::vector<bool>{false, false}));
  EXPECT_EQ((T::row() + T::row()).broadcastable(), (std::vector<bool>{true, false}));
  EXPECT_EQ(T::sum(T::col(), 0, true).broadcastable(), (std::vector<bool>{true, true}));
  theon::Variable null;
  EXPECT_TRUE(null.is_null());
  EXPECT_FALSE(x.is_null());
  EXPECT_TRUE(x.same(x));
  EXPECT_FALSE(x.same(T::fmatrix("W")));
}

TEST(FunctionCache, ConcurrentCallsShareTheCache) {
  auto x = T::dvector("x");
  auto f = theon::function({x}, {T::exp(x) * 2 + x});
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 10; ++k) {
        std::int64_t n = 1 + (k + t) % 3;
        double v = 0.25 * (t + 1);
        auto out = f(Array::full({n}, v, DType::Float64))[0];
        for (std::int64_t i = 0; i < n; ++i)
          if (std::fabs(out.get_flat(i) - (std::exp(v) * 2 + v)) > 1e-12)
            ++bad;
        if (out.size() != n)
          ++bad;
      }
    });
  for (auto &th : threads)
    th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(f.num_compiled(), 3u);
}

// ---------------------------------------------------------------------------
// Library bugs (disabled until fixed)
// ---------------------------------------------------------------------------

// Regression (fixed): Array::astype (and so copy() and contiguous() of a non-contiguous
// array) converts every element through double, even int64 -> int64. Values
// of magnitude above 2^53 change: a transposed int64 array copied, or passed
// to a function (checkArgument makes it contiguous), arrives rounded.
TEST(FixedBugs, Int64AboveTwoTo53SurvivesNonContiguousCopies) {
  const std::int64_t big = (std::int64_t{1} << 53) + 1;
  Array a = Array::from_vector(std::vector<std::int64_t>{big, 1, 2, 3}, {2, 2});
  EXPECT_EQ(a.copy().at<std::int64_t>(0, 0), big); // contiguous: memcpy, exact
  EXPECT_EQ(a.T().copy().at<std::int64_t>(0, 0), big);
  EXPECT_EQ(a.T().contiguous().at<std::int64_t>(0, 0), big);
  auto x = T::lmatrix("x");
  auto f = theon::function({x}, {x + 0});
  EXPECT_EQ(f(a)[0].at<std::int64_t>(0, 0), big);
  EXPECT_EQ(f(a.T())[0].at<std::int64_t>(0, 0), big);
}

// Regression (fixed): item<E>() and to_vector<E>() go through double, so an int64 element
// above 2^53 is rounded even when E is std::int64_t.
TEST(FixedBugs, Int64ItemAndToVectorAreExact) {
  const std::int64_t big = (std::int64_t{1} << 53) + 1;
  EXPECT_EQ(Array::scalar<std::int64_t>(big).item<std::int64_t>(), big);
  EXPECT_EQ(Array::from_vector(std::vector<std::int64_t>{big}).to_vector<std::int64_t>()[0], big);
}

// Regression (fixed): array_equal ("exact equality of ... every element") compares elements
// as doubles: int64 arrays holding 2^53 and 2^53 + 1 compare equal.
TEST(FixedBugs, ArrayEqualIsExactForInt64) {
  const std::int64_t two53 = std::int64_t{1} << 53;
  Array a = Array::from_vector(std::vector<std::int64_t>{two53});
  Array b = Array::from_vector(std::vector<std::int64_t>{two53 + 1});
  EXPECT_FALSE(theon::array_equal(a, b));
}

// #11: 2000 shape signatures of one function kept 2000 compiled modules.
// The least recently used beyond config().max_specializations go.
TEST(Specializations, LeastRecentlyUsedAreDroppedBeyondTheLimit) {
  int saved = theon::config().max_specializations;
  theon::config().max_specializations = 3;
  auto x = T::fvector("x");
  auto f = theon::function({x}, {x * 2});
  auto call = [&](std::int64_t n) {
    Array out = f(Array::ones({n}, DType::Float32))[0];
    EXPECT_EQ(out.shape(), (Shape{n}));
    EXPECT_FLOAT_EQ(out.get_flat(n - 1), 2.0);
  };
  call(1);
  double compiledOne = f.last_compile().milliseconds; // this specialization's own record
  call(2);
  call(3);
  EXPECT_EQ(f.num_compiled(), 3u);
  call(1);                          // 1 is now the most recent; 2 the least
  EXPECT_EQ(f.last_compile().milliseconds, compiledOne); // the same code, not compiled again
  call(4);                          // evicts 2
  EXPECT_EQ(f.num_compiled(), 3u);
  call(5);                          // evicts 3
  EXPECT_EQ(f.num_compiled(), 3u);
  call(1);                          // still there: no compile
  EXPECT_EQ(f.last_compile().milliseconds, compiledOne);
  EXPECT_EQ(f.num_compiled(), 3u);
  call(2);                          // compiled again, evicting 4
  EXPECT_EQ(f.num_compiled(), 3u);
  theon::config().max_specializations = 0; // no limit
  for (std::int64_t n = 6; n <= 9; ++n)
    call(n);
  EXPECT_EQ(f.num_compiled(), 7u);
  theon::config().max_specializations = saved;
}

} // namespace
