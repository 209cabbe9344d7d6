// Every mistake a user can make ends in the right theon::Error subclass, with a
// message that names the variable and says what was expected; a function that
// threw still works on good input.
#include <pthread.h>

#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::Axis;
using theon::Dim;
using theon::DType;
using theon::Shape;
using theon::Variable;
using namespace theon_test;

namespace {

Array F32(std::vector<float> v) { return Array::from_vector(v); }
Array F32(std::vector<float> v, Shape shape) { return Array::from_vector(v, shape); }

// ---------------------------------------------------------------------------
// The class hierarchy
// ---------------------------------------------------------------------------

TEST(ErrorTypes, AllDeriveFromError) {
  EXPECT_THROW(throw theon::TypeError("t"), theon::Error);
  EXPECT_THROW(throw theon::ShapeError("s"), theon::Error);
  EXPECT_THROW(throw theon::ValueError("v"), theon::Error);
  EXPECT_THROW(throw theon::CompileError("c"), theon::Error);
  EXPECT_THROW(throw theon::Error("e"), std::runtime_error);
}

// ---------------------------------------------------------------------------
// Arguments at call time
// ---------------------------------------------------------------------------

TEST(CallErrors, WrongNumberOfArguments) {
  auto x = T::fmatrix("x"), y = T::fvector("y");
  auto f = theon::function({x, y}, {x + y}, theon::FunctionOptions{false, "addfn"});
  EXPECT_THROW_MSG(f(F32({1, 2}, {1, 2})), theon::TypeError, "addfn", "takes 2 arguments", "got 1",
                   "float32 matrix 'x'", "float32 vector 'y'");
  EXPECT_THROW_MSG(f(F32({1}, {1, 1}), F32({1}), F32({1})), theon::TypeError, "got 3");
  EXPECT_THROW_MSG(f(), theon::TypeError, "got 0");
  auto g = theon::function({x}, {x});
  EXPECT_THROW_MSG(g(F32({1}, {1, 1}), F32({1}, {1, 1})), theon::TypeError, "takes 1 argument (");
}

TEST(CallErrors, WrongDtype) {
  auto x = T::fmatrix("x");
  auto f = theon::function({x}, {x * 2});
  Array d = Array::ones({2, 2}, DType::Float64);
  EXPECT_THROW_MSG(f(d), theon::TypeError, "'x'", "float64", "float32", "allow_input_downcast");
  EXPECT_THROW_MSG(f(Array::ones({2, 2}, DType::Int32)), theon::TypeError, "'x'", "int32");
  EXPECT_THROW_MSG(f(Array::ones({2, 2}, DType::Int64)), theon::TypeError, "'x'", "int64");

  theon::FunctionOptions opts;
  opts.allow_input_downcast = true;
  auto g = theon::function({x}, {x * 2}, opts);
  EXPECT_TRUE(ArrayNear(g(d)[0], DType::Float32, {2, 2}, {2, 2, 2, 2}));

  // A safe upcast needs no option: float32 into float64, int8/int16 into float32.
  auto y = T::dmatrix("y");
  auto h = theon::function({y}, {y + 1});
  EXPECT_TRUE(ArrayNear(h(Array::ones({1, 2}, DType::Float32))[0], DType::Float64, {1, 2}, {2, 2}));
  EXPECT_TRUE(ArrayNear(f(Array::ones({1, 1}, DType::Int16))[0], DType::Float32, {1, 1}, {2}));

  auto i = T::ivector("i");
  auto fi = theon::function({i}, {i});
  EXPECT_THROW_MSG(fi(Array::ones({2}, DType::Int64)), theon::TypeError, "'i'", "int64", "int32");
  EXPECT_THROW_MSG(fi(Array::ones({2}, DType::Float32)), theon::TypeError, "'i'", "float32");
  EXPECT_TRUE(ArrayNear(fi(Array::ones({2}, DType::Int8))[0], DType::Int32, {2}, {1, 1}));
}

TEST(CallErrors, WrongNdim) {
  auto x = T::fmatrix("x");
  auto f = theon::function({x}, {x});
  EXPECT_THROW_MSG(f(F32({1, 2, 3})), theon::TypeError, "'x'", "1-d", "(3,)", "expected 2");
  EXPECT_THROW_MSG(f(Array::zeros({1, 2, 3})), theon::TypeError, "'x'", "3-d", "expected 2");
  EXPECT_THROW_MSG(f(Array::scalar<float>(1)), theon::TypeError, "'x'", "0-d");
  auto s = T::fscalar("s");
  auto g = theon::function({s}, {s});
  EXPECT_THROW_MSG(g(F32({1})), theon::TypeError, "'s'", "expected 0");
}

TEST(CallErrors, NumberForArrayInput) {
  auto x = T::fmatrix("x");
  auto f = theon::function({x}, {x});
  EXPECT_THROW_MSG(f(1.5), theon::TypeError, "'x'", "number", "2 dimensions");
  EXPECT_THROW_MSG(f(3), theon::TypeError, "'x'", "number");
}

TEST(CallErrors, IntLiteralThatDoesNotFit) {
  auto b = T::bscalar("b");
  auto i = T::iscalar("i");
  auto f = theon::function({b, i}, {b + i});
  EXPECT_THROW_MSG(f(300, 1), theon::TypeError, "'b'", "300", "int8");
  EXPECT_THROW_MSG(f(-129, 1), theon::TypeError, "'b'", "int8");
  EXPECT_THROW_MSG(f(1, 5000000000LL), theon::TypeError, "'i'", "int32");
  EXPECT_THROW_MSG(f(2.5, 1), theon::TypeError, "'b'", "int8");
  EXPECT_EQ(f(127, -2147483647 - 1)[0].item<double>(), 127.0 - 2147483648.0);
  EXPECT_EQ(f(-128, 2147483647)[0].item<double>(), 2147483647.0 - 128);
  auto u = T::tensor(DType::Bool, {}, "flag");
  auto g = theon::function({u}, {u});
  EXPECT_THROW_MSG(g(2), theon::TypeError, "'flag'", "bool");
  EXPECT_EQ(g(true)[0].item<int>(), 1);
  EXPECT_EQ(g(0)[0].item<int>(), 0);
}

TEST(CallErrors, ShapesThatDoNotBroadcast) {
  auto a = T::fvector("a"), b = T::fvector("b");
  auto f = theon::function({a, b}, {a + b});
  EXPECT_THROW_MSG(f(F32({1, 2, 3}), F32({1, 2, 3, 4})), theon::ShapeError, "'a'", "'b'", "(3,)",
                   "(4,)", "broadcast");
  auto m = T::fmatrix("m"), n = T::fmatrix("n");
  auto g = theon::function({m, n}, {T::maximum(m, n) * 2});
  EXPECT_THROW_MSG(g(Array::zeros({2, 3}), Array::zeros({3, 2})), theon::ShapeError, "'m'", "'n'",
                   "(2, 3)", "(3, 2)");
  // An unnamed intermediate is described by its op.
  auto h = theon::function({m, n}, {(m + 1) * n});
  EXPECT_THROW_MSG(h(Array::zeros({2, 3}), Array::zeros({2, 4})), theon::ShapeError, "'n'",
                   "result of add");
  auto c = T::fmatrix("c");
  auto sw = theon::function({c, m, n}, {T::switch_(c, m, n)});
  EXPECT_THROW_MSG(sw(Array::zeros({2, 3}), Array::zeros({2, 3}), Array::zeros({5, 3})),
                   theon::ShapeError, "switch", "'n'");
}

TEST(CallErrors, BroadcastableInputGivenNonOneSize) {
  auto r = T::frow("r");
  auto c = T::fcol("c");
  auto f = theon::function({r, c}, {r + c});
  EXPECT_THROW_MSG(f(Array::zeros({2, 3}), Array::zeros({3, 1})), theon::ShapeError, "'r'",
                   "dimension 0", "broadcastable", "(2, 3)");
  EXPECT_THROW_MSG(f(Array::zeros({1, 3}), Array::zeros({3, 2})), theon::ShapeError, "'c'",
                   "dimension 1");
  EXPECT_EQ(f(Array::zeros({1, 3}), Array::zeros({4, 1}))[0].shape(), (Shape{4, 3}));
}

TEST(CallErrors, DotShapeMismatch) {
  auto A = T::fmatrix("A"), B = T::fmatrix("B"), v = T::fvector("v");
  auto f = theon::function({A, B}, {T::dot(A, B)});
  EXPECT_THROW_MSG(f(Array::zeros({2, 3}), Array::zeros({4, 5})), theon::ShapeError, "dot", "'A'",
                   "'B'", "(2, 3)", "(4, 5)", "not aligned");
  auto g = theon::function({A, v}, {T::dot(A, v)});
  EXPECT_THROW_MSG(g(Array::zeros({2, 3}), Array::zeros({2})), theon::ShapeError, "'A'", "'v'");
  auto h = theon::function({v, A}, {T::dot(v, A)});
  EXPECT_THROW_MSG(h(Array::zeros({3}), Array::zeros({2, 3})), theon::ShapeError, "'v'", "'A'");
  auto w = T::fvector("w");
  auto k = theon::function({v, w}, {T::dot(v, w)});
  EXPECT_THROW_MSG(k(Array::zeros({3}), Array::zeros({4})), theon::ShapeError, "'v'", "'w'");
}

TEST(CallErrors, ReshapeToADifferentSize) {
  auto x = T::fmatrix("x");
  auto f = theon::function({x}, {x.reshape({4, -1}), x.reshape({2, -1, 3})});
  EXPECT_THROW_MSG(f(Array::zeros({3, 3})), theon::ShapeError, "reshape", "'x'", "(3, 3)",
                   "(4, -1)");
  EXPECT_THROW_MSG(f(Array::zeros({4, 2})), theon::ShapeError, "reshape", "'x'", "(2, -1, 3)");
  auto r = f(Array::zeros({2, 6}));
  EXPECT_EQ(r[0].shape(), (Shape{4, 3}));
  EXPECT_EQ(r[1].shape(), (Shape{2, 2, 3}));
  auto g = theon::function({x}, {x.reshape({0, -1})});
  EXPECT_THROW(g(Array::zeros({2, 3})), theon::ShapeError);
}

TEST(CallErrors, MaxOverAnEmptyAxis) {
  auto x = T::fmatrix("x");
  auto f = theon::function({x}, {T::max(x, 0)});
  EXPECT_THROW_MSG(f(Array::zeros({0, 3})), theon::ValueError, "max", "'x'", "size 0");
  EXPECT_EQ(f(Array::zeros({2, 0}))[0].shape(), (Shape{0})); // reducing a non-empty axis
  auto g = theon::function({x}, {T::argmin(x, 1), T::min(x)});
  EXPECT_THROW_MSG(g(Array::zeros({3, 0})), theon::ValueError, "'x'", "size 0");
  auto h = theon::function({x}, {T::argmax(x, 1)});
  EXPECT_THROW_MSG(h(Array::zeros({3, 0})), theon::ValueError, "argmax", "'x'");
}

TEST(CallErrors, FunctionStillWorksAfterAFailedCall) {
  auto a = T::fvector("a"), b = T::fvector("b");
  auto f = theon::function({a, b}, {a * b});
  EXPECT_THROW(f(F32({1, 2}), F32({1, 2, 3})), theon::ShapeError);
  EXPECT_THROW(f(F32({1, 2})), theon::TypeError);
  EXPECT_THROW(f(Array::ones({2}, DType::Float64), F32({1, 2})), theon::TypeError);
  auto out = f(F32({1, 2}), F32({3, 4}));
  EXPECT_TRUE(ArrayNear(out[0], DType::Float32, {2}, {3, 8}));
  EXPECT_EQ(f.num_compiled(), 1u); // the failed shapes compiled nothing
  EXPECT_THROW(f(F32({1, 2}), F32({1, 2, 3})), theon::ShapeError); // still an error
  EXPECT_TRUE(ArrayNear(f(F32({5}), F32({2, 3}))[0], DType::Float32, {2}, {10, 15}));

  auto x = T::fmatrix("x");
  auto g = theon::function({x}, {T::max(x, 0), x.reshape({-1, 2})});
  EXPECT_THROW(g(Array::zeros({0, 2})), theon::ValueError);
  EXPECT_THROW(g(Array::zeros({3, 1})), theon::ShapeError);
  EXPECT_EQ(g(Array::ones({2, 2}))[1].shape(), (Shape{2, 2}));
}

// ---------------------------------------------------------------------------
// Build-time errors
// ---------------------------------------------------------------------------

TEST(BuildErrors, ProductsOfMismatchedOperands) {
  auto t = T::ftensor3("t"), m = T::fmatrix("m"), s = T::fscalar("s");
  auto f = theon::function({t, m}, {T::dot(t, m)});
  EXPECT_THROW_MSG(f(Array::zeros({2, 3, 4}), Array::zeros({5, 6})), theon::ShapeError,
                   "tensordot", "'t'", "'m'", "size 4", "size 5");
  EXPECT_THROW_MSG(T::matmul(s, m), theon::ValueError, "matmul", "at least 1-d");
  EXPECT_THROW_MSG(T::tensordot(t, m, {0, 1}, {0}), theon::ValueError, "tensordot", "2 axes");
  EXPECT_THROW_MSG(T::tensordot(t, m, {3}, {0}), theon::ValueError, "axis 3");
  EXPECT_THROW_MSG(T::batched_dot(t, T::ftensor4("q")), theon::TypeError, "batched_dot");
}

TEST(BuildErrors, ReshapeArguments) {
  auto x = T::fmatrix("x");
  EXPECT_THROW_MSG(x.reshape({-1, -1}), theon::ValueError, "reshape", "'x'", "more than one -1");
  EXPECT_THROW_MSG(x.reshape({2, -3}), theon::ValueError, "reshape", "'x'", "-3");
}

TEST(BuildErrors, AxisOutOfRange) {
  auto x = T::fmatrix("x");
  EXPECT_THROW_MSG(T::sum(x, 2), theon::ValueError, "sum", "axis 2", "'x'", "2 dimensions");
  EXPECT_THROW_MSG(T::sum(x, -3), theon::ValueError, "axis -3", "'x'");
  EXPECT_THROW_MSG(x.mean({0, 5}), theon::ValueError, "mean", "axis 5", "'x'");
  EXPECT_THROW_MSG(T::max(x, 7), theon::ValueError, "'x'");
  EXPECT_THROW_MSG(T::prod(x, 2, true), theon::ValueError, "'x'");
  EXPECT_THROW_MSG(T::argmax(x, 2), theon::ValueError, "argmax", "axis 2", "'x'");
  EXPECT_THROW_MSG(x.argmin(-3), theon::ValueError, "argmin", "'x'");
  auto v = T::fvector("v");
  EXPECT_THROW_MSG(T::sum(v, 1), theon::ValueError, "'v'", "1 dimension");
  auto s = T::fscalar("s");
  EXPECT_THROW_MSG(T::argmax(s, 0), theon::ValueError, "'s'", "0 dimensions");
  // Unnamed variables are still described.
  EXPECT_THROW_MSG(T::sum(x * 2, 3), theon::ValueError, "result of mul");
}

TEST(BuildErrors, RepeatedAxis) {
  auto x = T::ftensor3("x");
  EXPECT_THROW_MSG(T::sum(x, {1, 1}), theon::ValueError, "sum", "'x'", "repeated");
  EXPECT_THROW_MSG(x.max({0, -3}), theon::ValueError, "'x'", "repeated"); // 0 and -3 are the same
  EXPECT_THROW_MSG(T::mean(x, {2, -1, 0}), theon::ValueError, "repeated");
}

TEST(BuildErrors, DimShuffle) {
  auto m = T::fmatrix("m");
  auto r = T::frow("r");
  EXPECT_THROW_MSG(m.dimshuffle(1), theon::ValueError, "dimshuffle", "dimension 0", "'m'",
                   "not broadcastable");
  EXPECT_THROW_MSG(r.dimshuffle(0), theon::ValueError, "dimension 1", "'r'");
  EXPECT_THROW_MSG(m.dimshuffle(0, 2), theon::ValueError, "axis 2", "'m'", "out of range");
  EXPECT_THROW_MSG(m.dimshuffle(-2, 0), theon::ValueError, "axis -2", "'m'");
  EXPECT_THROW_MSG(m.dimshuffle(0, 0, 1), theon::ValueError, "axis 0", "'m'", "twice");
  EXPECT_THROW_MSG(Dim('y'), theon::ValueError, "'y'");
  EXPECT_THROW_MSG(m.dimshuffle(1, 'y', 0), theon::ValueError, "'y'");
  EXPECT_NO_THROW(r.dimshuffle(1));
  EXPECT_NO_THROW(m.dimshuffle(1, 'x', 0));
}

TEST(BuildErrors, BroadcastToAndTake) {
  auto m = T::fmatrix("m");
  EXPECT_THROW_MSG(T::broadcast_to(m, {3}), theon::ValueError, "broadcast_to", "'m'");
  EXPECT_THROW_MSG(T::broadcast_to(m, {2, -1}), theon::ValueError, "negative");
  auto f = theon::function({m}, {T::broadcast_to(m, {4, 3})});
  EXPECT_THROW_MSG(f(Array::zeros({2, 3})), theon::ShapeError, "broadcast_to", "'m'", "(2, 3)",
                   "(4, 3)");
  EXPECT_EQ(f(Array::zeros({1, 3}))[0].shape(), (Shape{4, 3}));
}

TEST(BuildErrors, NullVariables) {
  Variable null;
  auto x = T::fvector("x");
  EXPECT_THROW_MSG(null.dtype(), theon::ValueError, "null");
  EXPECT_THROW_MSG(null.ndim(), theon::ValueError, "null");
  EXPECT_THROW_MSG(T::exp(null), theon::ValueError, "exp", "null");
  EXPECT_THROW_MSG(x + null, theon::ValueError, "add", "null");
  EXPECT_THROW_MSG(T::dot(null, x), theon::ValueError, "dot", "null");
  EXPECT_THROW_MSG(T::sum(null), theon::ValueError, "sum", "null");
  EXPECT_THROW_MSG(null.reshape({1}), theon::ValueError, "null");
  EXPECT_THROW_MSG(T::switch_(null, x, x), theon::ValueError, "null");
  EXPECT_THROW_MSG(T::switch_(x > 0, x, null), theon::ValueError, "null");
  EXPECT_THROW_MSG(T::cast(null, DType::Int32), theon::ValueError, "null");
  EXPECT_THROW_MSG(theon::function({null}, {x}), theon::ValueError, "input 0", "null");
  EXPECT_THROW_MSG(theon::function({x}, {x, null}), theon::ValueError, "output 1", "null");
}

// ---------------------------------------------------------------------------
// function() errors
// ---------------------------------------------------------------------------

TEST(FunctionErrors, InputsMustBeSymbolicInputs) {
  auto x = T::fvector("x");
  auto y = (x * 2).set_name("y");
  EXPECT_THROW_MSG(theon::function({y}, {y + 1}), theon::TypeError, "input 0", "'y'",
                   "not a symbolic input");
  EXPECT_THROW_MSG(theon::function({x, x * 2}, {x}), theon::TypeError, "input 1",
                   "result of mul");
  EXPECT_THROW_MSG(theon::function({T::constant(1.0, DType::Float32)}, {x}), theon::TypeError,
                   "constant");
  auto w = theon::shared(Array::zeros({2}), "w");
  EXPECT_THROW_MSG(theon::function({w}, {w * 2}), theon::TypeError, "'w'", "shared");
}

TEST(FunctionErrors, DuplicateInput) {
  auto x = T::fvector("x"), y = T::fvector("y");
  EXPECT_THROW_MSG(theon::function({x, y, x}, {x + y}), theon::ValueError, "input 2", "'x'",
                   "more than once");
}

TEST(FunctionErrors, MissingInput) {
  auto x = T::fvector("x"), y = T::fvector("why_me");
  EXPECT_THROW_MSG(theon::function({x}, {x + T::exp(y)}), theon::ValueError, "'why_me'",
                   "not in the inputs");
  auto unnamed = T::fvector();
  EXPECT_THROW_MSG(theon::function({x}, {x, unnamed * 2}), theon::ValueError, "unnamed input");
}

// Theano's on_unused_input: raise by default, or warn, or accept.
TEST(FunctionErrors, UnusedInput) {
  auto x = T::fvector("x"), y = T::fvector("why_me");
  EXPECT_THROW_MSG(theon::function({x, y}, {x * 2}), theon::ValueError, "input 1", "'why_me'",
                   "not used", "on_unused_input");
  // An input only an update uses is used.
  auto w = theon::shared(Array::zeros({2}, DType::Float32), "w");
  EXPECT_NO_THROW(theon::function({y}, {}, theon::Updates{{w, w + y}}));
  for (auto mode : {theon::OnUnusedInput::Warn, theon::OnUnusedInput::Ignore}) {
    auto f = theon::function({x, y}, {x * 2}, theon::FunctionOptions{}.with_unused_input(mode));
    // The unused input is still an argument, checked like the others.
    EXPECT_EQ(f(F32({1, 2}), F32({0}))[0].to_vector<float>(), (std::vector<float>{2, 4}));
    EXPECT_THROW(f(F32({1, 2}), Array::zeros({2, 2}, DType::Float32)), theon::TypeError);
  }
}

// Options by name, and T::tensor with a rank; a braced pattern still means
// broadcastable flags; Array(values, {}) is 0-d.
TEST(FunctionErrors, ConvenienceSpellings) {
  auto opts = theon::FunctionOptions{}.named("train").with_input_downcast();
  EXPECT_EQ(opts.name, "train");
  EXPECT_TRUE(opts.allow_input_downcast);
  auto t = T::tensor(DType::Float64, 3, "t");
  EXPECT_EQ(t.ndim(), 3);
  EXPECT_EQ(T::tensor(DType::Float64, {true, false}, "row").ndim(), 2);
  EXPECT_THROW_MSG(T::tensor(DType::Float64, -1), theon::ValueError, "ndim");
  Array zero_d(std::vector<float>{5}, {});
  EXPECT_EQ(zero_d.ndim(), 0);
  EXPECT_EQ(zero_d.item<float>(), 5);
  EXPECT_EQ(Array(std::vector<float>{5}).shape(), (Shape{1}));
  EXPECT_THROW_MSG(Array(std::vector<float>{1, 2}, {}), theon::ShapeError, "2 values", "()");
}

TEST(FunctionErrors, EmptyName) {
  auto x = T::fvector("x");
  theon::FunctionOptions opts;
  opts.name = "";
  EXPECT_THROW_MSG(theon::function({x}, {x}, opts), theon::ValueError, "name");
}

TEST(FunctionErrors, IrStage) {
  auto x = T::fvector("x");
  auto f = theon::function({x}, {x});
  EXPECT_THROW_MSG(f.ir("theon"), theon::ValueError, "not been compiled");
  EXPECT_THROW_MSG(f.ir("asm"), theon::ValueError, "unknown IR stage", "'asm'");
  f(F32({1}));
  EXPECT_NO_THROW(f.ir("theon"));
  EXPECT_THROW_MSG(f.ir("LLVM"), theon::ValueError, "'LLVM'");
}

// ---------------------------------------------------------------------------
// Array errors
// ---------------------------------------------------------------------------

TEST(ArrayErrors, WrongElementType) {
  Array a = F32({1, 2, 3});
  EXPECT_THROW_MSG(a.at<double>(0), theon::TypeError, "float64", "float32");
  EXPECT_THROW_MSG(a.data<std::int32_t>(), theon::TypeError, "int32", "float32");
  EXPECT_NO_THROW(a.at<float>(0));
}

TEST(ArrayErrors, OutOfBounds) {
  Array a = F32({1, 2, 3, 4, 5, 6}, {2, 3});
  // Out of range: IndexError, as NumPy (a ValueError too).
  EXPECT_THROW_MSG(a.at<float>(2, 0), theon::IndexError, "index 2", "axis 0", "size 2");
  EXPECT_THROW_MSG(a.at<float>(0, 3), theon::IndexError, "index 3", "axis 1");
  EXPECT_THROW_MSG(a.at<float>(0, -4), theon::IndexError, "index -4");
  EXPECT_THROW_MSG(a.at<float>(0), theon::ValueError, "1 indices", "2-d");
  EXPECT_THROW_MSG(a.at<float>(0, 0, 0), theon::ValueError, "3 indices");
  EXPECT_THROW(a.get_flat(6), theon::ValueError);
  EXPECT_THROW(a.get_flat(-1), theon::ValueError);
  EXPECT_THROW_MSG(a.item<float>(), theon::ValueError, "6 elements");
  EXPECT_THROW(a.shape(2), theon::ValueError);
  EXPECT_THROW(a.shape(-3), theon::ValueError);
}

TEST(ArrayErrors, SizeMismatches) {
  EXPECT_THROW_MSG(Array::from_vector(std::vector<float>{1, 2, 3}, {2, 2}), theon::ShapeError,
                   "3 values", "(2, 2)");
  EXPECT_THROW_MSG((Array(std::vector<double>{1, 2}, {3})), theon::ShapeError, "2 values");
  EXPECT_THROW_MSG(F32({1, 2, 3, 4}).reshape({3}), theon::ShapeError, "(4,)", "(3,)");
  EXPECT_THROW(Array(Shape{-1}, DType::Float32), theon::ShapeError);
  std::vector<float> buf(4);
  EXPECT_THROW(Array::borrow_raw(buf.data(), {2, 2}, DType::Float32, {1}), theon::ShapeError);
  EXPECT_THROW(Array::borrow<float>(nullptr, {2}), theon::ValueError);
}

// ---------------------------------------------------------------------------
// Library bugs (disabled until fixed)
// ---------------------------------------------------------------------------

// Regression (fixed): Dim(int) stores the axis in the same field as 'x' and Dim::kNewAxis is
// -1, so the axis -1 silently means 'x' (a new broadcastable axis) while -2 is
// rejected as out of range. v.dimshuffle(0, -1) on a vector gives an (n, 1)
// matrix instead of a ValueError; on a matrix, m.dimshuffle(-1, 0) reports
// "cannot drop dimension 1" instead of naming the bad axis.
TEST(FixedBugs, DimShuffleAxisMinusOneIsNotNewAxis) {
  auto v = T::fvector("v");
  EXPECT_THROW_MSG(v.dimshuffle(0, -1), theon::ValueError, "axis -1", "'v'", "out of range");
  auto m = T::fmatrix("m");
  EXPECT_THROW_MSG(m.dimshuffle(-1, 0), theon::ValueError, "axis -1", "'m'", "out of range");
}

// Regression (fixed): Function::ir(stage, shapes) checks only the number of shapes and their
// ranks, not what a call checks: a broadcastable input given a dimension of
// size != 1, or a negative dimension, reaches the compiler and comes back as a
// CompileError ("Theon emitted invalid IR (a Theon bug)" / "theon-to-linalg
// stage failed") instead of the ShapeError a user mistake should give.
TEST(FixedBugs, IrWithShapesChecksShapesLikeACall) {
  auto r = T::frow("r");
  auto f = theon::function({r}, {r.dimshuffle(1)});
  EXPECT_THROW(f(Array::zeros({3, 4})), theon::ShapeError); // what a call does
  EXPECT_THROW_MSG(f.ir("theon", {{3, 4}}), theon::ShapeError, "'r'", "broadcastable");
  auto v = T::fvector("v");
  auto g = theon::function({v}, {v * 2});
  EXPECT_THROW_MSG(g.ir("theon", {{-1}}), theon::ShapeError, "negative");
}

// Regression (fixed): a C++ unsigned number above INT64_MAX given as an argument is cast to
// int64 in Argument::literal and silently wraps: 18446744073709551615ULL for
// an int64 scalar input arrives as -1 instead of a TypeError (the same value
// for an int8 input is accepted as -1 too). T::as_tensor has the same wrap.
TEST(FixedBugs, UnsignedArgumentAboveInt64MaxIsRejected) {
  auto l = T::lscalar("l");
  auto f = theon::function({l}, {l + 0});
  EXPECT_THROW_MSG(f(18446744073709551615ULL), theon::TypeError, "'l'", "int64");
  auto b = T::bscalar("b");
  auto g = theon::function({b}, {b + 0});
  EXPECT_THROW_MSG(g(18446744073709551615ULL), theon::TypeError, "'b'", "int8");
}

// Regression (#11): shape arithmetic wrapped around. A reshape to
// ((1 << 62) + 1, 4) of 4 elements has a wrapped element count of 4, passed
// every check and segfaulted; broadcast_to (1 << 62, 4) wrapped to 0 and
// overwrote the stack; an Array of 2^64 elements allocated 64 bytes.
TEST(FixedBugs, ShapeArithmeticThatOverflowsIsAShapeError) {
  auto x = T::fvector("x");
  auto f = theon::function({x}, {T::sum(x.reshape({(1LL << 62) + 1, 4}))});
  EXPECT_THROW_MSG(f(F32({1, 2, 3, 4})), theon::ShapeError, "reshape", "'x'", "64 bits");
  auto g = theon::function({x}, {T::broadcast_to(x, {1LL << 62, 4})});
  EXPECT_THROW_MSG(g(F32({1, 2, 3, 4})), theon::ShapeError, "broadcast_to", "'x'", "64 bits");
  // (2^31, 2^31) float32 elements count, but their bytes do not fit.
  auto h = theon::function({x}, {T::broadcast_to(x, {1LL << 31, 1LL << 31, 4})});
  EXPECT_THROW_MSG(h(F32({1, 2, 3, 4})), theon::ShapeError, "'x'", "64 bits");
  // A -1 next to dimensions whose product overflows.
  auto k = theon::function({x}, {x.reshape({1LL << 40, 1LL << 40, -1})});
  EXPECT_THROW_MSG(k(F32({1, 2, 3, 4})), theon::ShapeError, "reshape", "'x'", "64-bit");
  EXPECT_THROW_MSG(Array(Shape{1LL << 33, 1LL << 31}, DType::Float32), theon::ShapeError,
                   "(8589934592, 2147483648)", "64-bit");
  EXPECT_THROW_MSG(Array(Shape{1LL << 60, 4}, DType::Float64), theon::ShapeError, "bytes");
  EXPECT_THROW(F32({1, 2, 3, 4}).reshape({(1LL << 62) + 1, 4}), theon::ShapeError);
  EXPECT_EQ(f.num_compiled(), 0u);
  // The functions still work with shapes that fit.
  auto fine = theon::function({x}, {T::broadcast_to(x, {2, 4})});
  EXPECT_EQ(fine(F32({1, 2, 3, 4}))[0].shape(), (Shape{2, 4}));
}

// Regression (#11): an Array too large for the machine threw std::bad_alloc,
// not a Theon error.
TEST(FixedBugs, AnArrayTooLargeToAllocateIsAMemoryError) {
  EXPECT_THROW_MSG(Array::zeros({1000000, 1000000}), theon::MemoryError, "4000000000000 bytes",
                   "(1000000, 1000000)", "float32");
  EXPECT_THROW(throw theon::MemoryError("m"), theon::Error);
}

// Regression (#11): a function named like a symbol that compiled code
// declares (the BLAS entry point, a libm function, the allocator) failed
// with a CompileError that called itself a Theon bug.
TEST(FixedBugs, FunctionsMayBeNamedLikeInternalSymbols) {
  auto a = T::fmatrix("a"), b = T::fmatrix("b");
  for (const char *name : {"theon_gemm_f32", "erff", "erf", "expf", "malloc",
                           "_mlir_memref_to_llvm_alloc"}) {
    auto f = theon::function({a, b}, {T::erf(T::dot(a, b)) + T::exp(a)}, {}, {false, name});
    auto out = f(Array::ones({2, 2}), Array::ones({2, 2}));
    EXPECT_NEAR(out[0].at<float>(0, 0), std::erf(2.0) + std::exp(1.0), 1e-5) << name;
  }
}

// Regression (#11): config().floatX = Int32 set from code was accepted and
// failed later as "a Theon bug"; it is refused where it is set.
TEST(FixedBugs, FloatXFromCodeMustBeAFloat) {
  EXPECT_THROW_MSG(theon::config().floatX = DType::Int32, theon::ValueError, "floatX", "int32");
  EXPECT_EQ(DType(theon::config().floatX), DType::Float32); // unchanged
  theon::config().floatX = DType::Float64;
  EXPECT_EQ(T::matrix("m").dtype(), DType::Float64);
  theon::config().floatX = DType::Float32;
}

// Regression (#11): every temporary of up to 32 KiB went on the stack for
// the whole call, with no bound on the total: 300 layers of tanh(h . W),
// W 90x90, overflowed the main stack, and 10 a 256 KiB thread's (SIGSEGV).
// Run on a 256 KiB thread; the budget keeps the frame small.
TEST(FixedBugs, DeepGraphRunsOnASmallThreadStack) {
  struct Job {
    double out = 0;
    std::string error;
  } job;
  auto body = [](void *p) -> void * {
    auto *job = static_cast<Job *>(p);
    try {
      auto x = T::fmatrix("x"), w = T::fmatrix("w");
      auto h = x;
      for (int layer = 0; layer < 300; ++layer)
        h = T::tanh(T::dot(h, w));
      auto f = theon::function({x, w}, {T::sum(h)});
      job->out = f(Array::full({90, 90}, 0.01, DType::Float32),
                   Array::full({90, 90}, 0.01, DType::Float32))[0].get_flat(0);
    } catch (const std::exception &e) {
      job->error = e.what();
    }
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, body, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(job.error, "");
  // Each layer maps 90 equal values v to tanh(90 * 0.01 * v): the sum of
  // 8100 copies of the 300th iterate.
  double v = 0.01;
  for (int layer = 0; layer < 300; ++layer)
    v = std::tanh(0.9 * v);
  EXPECT_NEAR(job.out, 8100 * v, 1e-3 * 8100 * v + 1e-20);
}

// Regression (#11): an intermediate too large to allocate (16 TiB here)
// made the runtime allocator return NULL, and the compiled code wrote
// through it (SIGSEGV). The compiled code returns before using it, the call
// throws MemoryError with the size, and the shared variable the function
// updates in place is unchanged.
TEST(FixedBugs, ATemporaryTooLargeToAllocateIsAMemoryError) {
  auto x = T::fvector("x");
  auto w = theon::shared(Array(std::vector<float>{1, 2, 3, 4}), "w");
  auto huge = T::sum(T::exp(T::broadcast_to(x, {1LL << 40, 4})), 0);
  theon::Updates updates;
  updates.add(w, w + huge);
  auto f = theon::function({x}, {huge}, updates);
  EXPECT_THROW_MSG(f(F32({1, 2, 3, 4})), theon::MemoryError, "17592186044", "bytes",
                   "temporary");
  EXPECT_TRUE(ArrayNear(w.get_value(), DType::Float32, {4}, {1, 2, 3, 4}));
  EXPECT_THROW(f(F32({1, 2, 3, 4})), theon::MemoryError); // again: no state sticks
  auto g = theon::function({x}, {T::sum(T::exp(T::broadcast_to(x, {256, 4})), 0)});
  EXPECT_TRUE(ArrayNear(g(F32({0, 0, 0, 0}))[0], DType::Float32, {4}, {256, 256, 256, 256}));
}

// Regression: a buffer allocated inside a loop body was not checked. A
// convolution whose columns need 38 GB an image (64 channels of 512x512,
// 25x25 filters) allocated them in the loop over its images, and the code
// wrote through the null pointer the allocator returned (SIGSEGV).
// theon-hoist-loop-buffers moves such buffers to the top of the function,
// where the call checks them before any code runs.
TEST(FixedBugs, AConvolutionWhoseColumnsCannotBeAllocatedIsAMemoryError) {
  auto x = T::ftensor4("x");
  auto w = theon::shared(Array::zeros({64, 64, 25, 25}, DType::Float32), "w");
  auto y = T::nnet::conv2d(x, w);
  theon::Updates updates;
  updates.add(w, w - 0.1 * theon::grad(T::sum(y), {w})[0]);
  auto f = theon::function({x}, {y}, updates);
  Array xv = Array::zeros({2, 64, 512, 512}, DType::Float32);
  EXPECT_THROW_MSG(f(xv), theon::MemoryError, "bytes", "temporary");
  std::vector<float> after = w.get_value().to_vector<float>();
  EXPECT_TRUE(std::all_of(after.begin(), after.end(), [](float v) { return v == 0.0f; }));
}

} // namespace
