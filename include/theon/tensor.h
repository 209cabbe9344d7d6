// theon::tensor: Theano's tensor module. Constructors for symbolic inputs,
// elementwise math with NumPy broadcasting and Theano's dtype upcasting,
// dot, reductions and shape operations.
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "theon/error.h"
#include "theon/variable.h"

namespace theon {
namespace tensor {

/// A symbolic input of the given dtype and broadcastable pattern.
Variable tensor(DType dtype, std::vector<bool> broadcastable, const std::string &name = "");
namespace detail {
Variable tensor_of_rank(DType dtype, std::int64_t ndim, const std::string &name);
}
/// A tensor of `ndim` dimensions, none broadcastable: T::tensor(dtype, 3, "x").
/// (A template, so that T::tensor(dtype, {false}, "x") still means the pattern.)
template <class I, class = std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>>
Variable tensor(DType dtype, I ndim, const std::string &name = "") {
  return detail::tensor_of_rank(dtype, static_cast<std::int64_t>(ndim), name);
}

// Inputs by rank; no prefix means config().floatX. Prefixes as in Theano:
// b int8, i int32, l int64, f float32, d float64.
#define THEON_DECLARE_INPUTS(rank)                                                       \
  Variable rank(const std::string &name = "");                                          \
  Variable b##rank(const std::string &name = "");                                       \
  Variable i##rank(const std::string &name = "");                                       \
  Variable l##rank(const std::string &name = "");                                       \
  Variable f##rank(const std::string &name = "");                                       \
  Variable d##rank(const std::string &name = "");
THEON_DECLARE_INPUTS(scalar)
THEON_DECLARE_INPUTS(vector)
THEON_DECLARE_INPUTS(row)
THEON_DECLARE_INPUTS(col)
THEON_DECLARE_INPUTS(matrix)
THEON_DECLARE_INPUTS(tensor3)
THEON_DECLARE_INPUTS(tensor4)
#undef THEON_DECLARE_INPUTS

/// A constant. C++ numbers become constants as in Theano: integers take the
/// smallest int dtype that holds them, floats take floatX when it is float32.
Variable constant(const Array &value, const std::string &name = "");
Variable constant(double value, DType dtype);
template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>
Variable as_tensor(N value);
inline Variable as_tensor(const Variable &v) { return v; }
/// A C++ number next to `other`, as NumPy 2's weak scalars: in `other`'s
/// dtype when that is a float dtype (`x * 0.1` with a float64 `x` multiplies
/// by the double 0.1), as_tensor's rule otherwise.
template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>
Variable as_tensor_like(N value, const Variable &other);

// Elementwise unary. Integer inputs of float-valued functions are upgraded to
// float as in Theano (int8/int16 -> float32, int32/int64 -> float64).
Variable neg(const Variable &x);
Variable abs(const Variable &x);
Variable sgn(const Variable &x);
Variable exp(const Variable &x);
Variable log(const Variable &x);
Variable log1p(const Variable &x);
Variable sqrt(const Variable &x);
Variable sqr(const Variable &x);
Variable sin(const Variable &x);
Variable cos(const Variable &x);
Variable tanh(const Variable &x);
Variable sigmoid(const Variable &x);
Variable softplus(const Variable &x);
Variable floor(const Variable &x);
Variable ceil(const Variable &x);
Variable round(const Variable &x); // half to even
Variable erf(const Variable &x);
Variable erfc(const Variable &x);  // 1 - erf(x), accurate where erf is near 1
Variable erfinv(const Variable &x); // erf's inverse: NaN outside [-1, 1], +-inf at +-1
Variable expm1(const Variable &x); // exp(x) - 1, accurate near 0
Variable exp2(const Variable &x);
Variable log2(const Variable &x);
Variable log10(const Variable &x);
/// True where x is NaN (x != x); never for integers.
Variable isnan(const Variable &x);
/// True where x is +inf or -inf; never for integers.
Variable isinf(const Variable &x);
Variable cast(const Variable &x, DType dtype);

// Elementwise binary with broadcasting.
Variable add(const Variable &a, const Variable &b);
Variable sub(const Variable &a, const Variable &b);
Variable mul(const Variable &a, const Variable &b);
Variable true_div(const Variable &a, const Variable &b); // int / int -> floatX
Variable pow(const Variable &a, const Variable &b);
Variable maximum(const Variable &a, const Variable &b);
Variable minimum(const Variable &a, const Variable &b);
/// Python's // (Theano's int_div / floor_div): rounds down; integer
/// division by 0 gives 0, as NumPy. Zero gradient.
Variable floor_div(const Variable &a, const Variable &b);
inline Variable int_div(const Variable &a, const Variable &b) { return floor_div(a, b); }
/// Python's %: the remainder has the divisor's sign; integer x % 0 is 0,
/// float x % 0 is NaN, as NumPy.
Variable mod(const Variable &a, const Variable &b);
/// Bitwise and/or/xor/not of integers; logical for bool (Theano's and_,
/// or_, xor, invert). TypeError for floats.
Variable bitwise_and(const Variable &a, const Variable &b);
Variable bitwise_or(const Variable &a, const Variable &b);
Variable bitwise_xor(const Variable &a, const Variable &b);
Variable invert(const Variable &x);
inline Variable and_(const Variable &a, const Variable &b) { return bitwise_and(a, b); }
inline Variable or_(const Variable &a, const Variable &b) { return bitwise_or(a, b); }
inline Variable xor_(const Variable &a, const Variable &b) { return bitwise_xor(a, b); }
Variable eq(const Variable &a, const Variable &b);
Variable neq(const Variable &a, const Variable &b);
Variable lt(const Variable &a, const Variable &b);
Variable le(const Variable &a, const Variable &b);
Variable gt(const Variable &a, const Variable &b);
Variable ge(const Variable &a, const Variable &b);
/// cond ? a : b elementwise (Theano's switch); cond is compared with 0.
Variable switch_(const Variable &cond, const Variable &a, const Variable &b);
inline Variable where(const Variable &c, const Variable &a, const Variable &b) { return switch_(c, a, b); }
/// Theano's clip: lo where x < lo, hi where x > hi, else x (the dtype
/// promotes as in switch_). The gradient goes to x where lo <= x <= hi,
/// to lo and hi where they are taken.
Variable clip(const Variable &x, const Variable &lo, const Variable &hi);

/// NumPy's and Theano's dot: vector.vector -> scalar, matrix.vector,
/// vector.matrix, matrix.matrix on OpenBLAS; a scalar operand multiplies;
/// beyond 2-d, a sum over the last axis of a and the second-to-last of b
/// (a tensordot).
Variable dot(const Variable &a, const Variable &b);
/// NumPy's matmul (Python's @): batched products over the leading axes,
/// which broadcast; a 1-d operand is a row (a) or a column (b). A loop of
/// OpenBLAS products over the batch.
Variable matmul(const Variable &a, const Variable &b);
/// Theano's and NumPy's tensordot: the sum over axesA of a paired with
/// axesB of b; the result has a's other axes, then b's. An integer n pairs
/// the last n axes of a with the first n of b.
Variable tensordot(const Variable &a, const Variable &b, const std::vector<int> &axesA,
                   const std::vector<int> &axesB);
Variable tensordot(const Variable &a, const Variable &b, int axes = 2);
/// Theano's batched_dot: one product per leading index; (B, n).(B, n) ->
/// (B,), (B, n, m).(B, m, k) -> (B, n, k), and a 2-d operand with a 3-d one.
Variable batched_dot(const Variable &a, const Variable &b);

Variable sum(const Variable &x, Axis axis = {}, bool keepdims = false);
Variable prod(const Variable &x, Axis axis = {}, bool keepdims = false);
Variable mean(const Variable &x, Axis axis = {}, bool keepdims = false);
Variable max(const Variable &x, Axis axis = {}, bool keepdims = false);
Variable min(const Variable &x, Axis axis = {}, bool keepdims = false);
/// The index of the maximum (minimum) along an axis; over several axes (or
/// all, the default), the index into those axes flattened in order, as
/// Theano's argmax(x, axis=[0, 1]).
Variable argmax(const Variable &x, Axis axis = {}, bool keepdims = false);
Variable argmin(const Variable &x, Axis axis = {}, bool keepdims = false);
/// Variance and standard deviation over axes, with NumPy's ddof (the
/// divisor is n - ddof); compositions of mean and sum.
Variable var(const Variable &x, Axis axis = {}, int ddof = 0, bool keepdims = false);
Variable std(const Variable &x, Axis axis = {}, int ddof = 0, bool keepdims = false);
/// Whether any / all elements over axes are nonzero (bool); any of nothing
/// is false, all of nothing true.
Variable any(const Variable &x, Axis axis = {}, bool keepdims = false);
Variable all(const Variable &x, Axis axis = {}, bool keepdims = false);
/// Theano's norm(x, L, axis): sum(|x|^L)^(1/L); L1 and L2 without pow.
Variable norm(const Variable &x, double L, Axis axis = {});
/// Running sum / product along an axis (of the flattened x when nullopt),
/// as NumPy's and Theano's cumsum and cumprod; integers accumulate in int64.
/// cumprod's gradient divides by x, as Theano's (not finite at zeros).
Variable cumsum(const Variable &x, std::optional<int> axis = std::nullopt);
Variable cumprod(const Variable &x, std::optional<int> axis = std::nullopt);
/// NumPy's and Theano's sort / argsort along an axis (default the last; of
/// the flattened x when nullopt): ascending, stable, NaN last. A
/// composition with O(n^2) work along the axis (see docs/op-reference.md).
Variable sort(const Variable &x, std::optional<int> axis = -1);
Variable argsort(const Variable &x, std::optional<int> axis = -1);
/// x's value with a zero gradient: what flows back stops here (Theano's
/// zero_grad and disconnected_grad, JAX's stop_gradient). Theano makes
/// disconnected_grad's input disconnected (grad raises unless told to
/// ignore it); Theon gives a zero gradient for both.
Variable zero_grad(const Variable &x);
inline Variable disconnected_grad(const Variable &x) { return zero_grad(x); }
/// x's value, with the gradient that flows back clipped to [lo, hi]
/// elementwise (Theano's grad_clip).
Variable grad_clip(const Variable &x, double lo, double hi);
/// x's value, with the gradient that flows back multiplied by `multiplier`
/// (Theano's grad_scale); a composition: zero_grad(x) + (x - zero_grad(x)) * m.
Variable grad_scale(const Variable &x, double multiplier);
/// Theano's outer: the outer product of two vectors (other ranks are
/// flattened first).
Variable outer(const Variable &x, const Variable &y);

/// New shape with the same number of elements; one size may be -1; sizes
/// may be variables (`T::reshape(x, {x.shape(0), -1})`).
Variable reshape(const Variable &x, const ShapeArg &shape);
/// Theano's flatten(x, ndim): the first ndim - 1 axes kept, the rest joined.
Variable flatten(const Variable &x, int ndim = 1);
Variable dimshuffle(const Variable &x, std::vector<Dim> pattern);
Variable transpose(const Variable &x);
Variable broadcast_to(const Variable &x, const ShapeArg &shape);

/// Python's slice(start, stop, step) for basic indexing: `x(T::slice(1, 3))`
/// is `x[1:3]`, `x(T::slice(std::nullopt, std::nullopt, -1))` is `x[::-1]`.
inline Slice slice(std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                   std::optional<std::int64_t> step = std::nullopt) {
  return Slice{start, stop, step};
}
/// A whole axis, Python's `:` in `x[:, 1]`: `x(T::_, 1)`.
inline const Slice _{};
/// NumPy's newaxis (None): `x(T::_, T::newaxis)` is `x[:, None]`.
inline constexpr NewAxis newaxis{};

/// Theano's set_subtensor(x[...], v) and inc_subtensor(x[...], v): x with
/// the elements of a basic-indexing slice replaced by v, or increased by v
/// (v broadcasts to the slice's shape and is cast to x's dtype). The first
/// argument is the slice expression, `x(T::_, 0)`.
Variable set_subtensor(const Variable &subtensor, const Variable &v);
Variable inc_subtensor(const Variable &subtensor, const Variable &v);

/// Tensors of one value (Theano's zeros, ones; NumPy's full); dtype
/// defaults to floatX. Sizes may be variables: `T::zeros({x.shape(0), 10})`.
Variable zeros(const ShapeArg &shape, std::optional<DType> dtype = std::nullopt);
Variable ones(const ShapeArg &shape, std::optional<DType> dtype = std::nullopt);
Variable full(const ShapeArg &shape, double value, std::optional<DType> dtype = std::nullopt);
/// Theano's alloc(value, *shape): value broadcast to shape (its dtype kept).
Variable alloc(const Variable &value, const ShapeArg &shape);
template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>
Variable alloc(N value, const ShapeArg &shape);
/// Theano's zeros_like / ones_like: x's shape, x's dtype unless given.
Variable zeros_like(const Variable &x, std::optional<DType> dtype = std::nullopt);
Variable ones_like(const Variable &x, std::optional<DType> dtype = std::nullopt);
/// Theano's fill(model, value): value broadcast with model's shape.
Variable fill(const Variable &model, const Variable &value);
/// Theano's identity_like: eye of a matrix's shape and dtype.
Variable identity_like(const Variable &x);
/// Theano's eye(n, m, k): ones on the k-th diagonal of an n x m matrix.
Variable eye(std::int64_t n, std::optional<std::int64_t> m = std::nullopt, std::int64_t k = 0,
             std::optional<DType> dtype = std::nullopt);
/// Theano's arange(start, stop, step) of numbers, as NumPy's (negative
/// steps too): int64 for integer arguments, floatX for floating ones.
Variable arange(double start, double stop, double step = 1, std::optional<DType> dtype = std::nullopt);
Variable arange(std::int64_t stop);
/// arange with variable bounds, such as T::arange(y.shape(0)): they must be
/// known when the function is compiled (shapes and constants).
Variable arange(const Variable &stop);
Variable arange(const Variable &start, const Variable &stop, const Variable &step);
/// Numbers and variables mixed: T::arange(1, y.shape(0), 2).
template <class A, class B, class C = std::int64_t,
          class = std::enable_if_t<(std::is_same_v<A, Variable> || std::is_same_v<B, Variable> ||
                                    std::is_same_v<C, Variable>) &&
                                   !(std::is_same_v<A, Variable> && std::is_same_v<B, Variable> &&
                                     std::is_same_v<C, Variable>)>>
Variable arange(const A &start, const B &stop, const C &step = 1);
/// Theano's transpose(x, axes): dimshuffle by a permutation.
Variable transpose(const Variable &x, const std::vector<int> &axes);
/// Theano's swapaxes: two axes exchanged (negative counts from the end).
Variable swapaxes(const Variable &x, int a, int b);
/// Theano's squeeze: the broadcastable axes removed.
Variable squeeze(const Variable &x);
/// NumPy's tile: x repeated reps[i] times along axis i (reps as long as
/// x's rank); concatenations of x.
Variable tile(const Variable &x, const std::vector<int> &reps);

/// NumPy's repeat: each element of x repeated `repeats` times along `axis`
/// (of the flattened x when axis is nullopt).
Variable repeat(const Variable &x, std::int64_t repeats, std::optional<int> axis = std::nullopt);
/// NumPy's roll: elements shifted by `shift` along `axis` (of the flattened
/// x when nullopt), those that leave one end coming back at the other.
Variable roll(const Variable &x, std::int64_t shift, std::optional<int> axis = std::nullopt);
/// Theano's addbroadcast / unbroadcast / patternbroadcast: x with its
/// broadcastable pattern changed. Making an axis broadcastable is checked
/// when the function is compiled (its size must be 1).
Variable addbroadcast(const Variable &x, const std::vector<int> &axes);
Variable unbroadcast(const Variable &x, const std::vector<int> &axes);
Variable patternbroadcast(const Variable &x, const std::vector<bool> &pattern);

/// Theano's concatenate: the tensors joined along `axis` (negative counts
/// from the end); one rank, equal sizes on the other axes, the dtype
/// promoted.
Variable concatenate(const std::vector<Variable> &tensors, int axis = 0);
/// Theano's stack: the tensors (one shape) along a new axis `axis`.
Variable stack(const std::vector<Variable> &tensors, int axis = 0);

/// x[indices] for an integer vector: rows of x (advanced indexing).
Variable take(const Variable &x, const Variable &indices);
/// Theano's diag: the diagonal of a matrix, or a square matrix from a vector.
Variable diag(const Variable &x);

// Mixed Variable/number overloads of the binary functions.
#define THEON_NUMBER_OVERLOADS(fn)                                                      \
  template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>                 \
  Variable fn(const Variable &a, N b) { return fn(a, as_tensor_like(b, a)); }           \
  template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>                 \
  Variable fn(N a, const Variable &b) { return fn(as_tensor_like(a, b), b); }
THEON_NUMBER_OVERLOADS(add)
THEON_NUMBER_OVERLOADS(sub)
THEON_NUMBER_OVERLOADS(mul)
THEON_NUMBER_OVERLOADS(true_div)
THEON_NUMBER_OVERLOADS(pow)
THEON_NUMBER_OVERLOADS(maximum)
THEON_NUMBER_OVERLOADS(floor_div)
THEON_NUMBER_OVERLOADS(mod)
THEON_NUMBER_OVERLOADS(bitwise_and)
THEON_NUMBER_OVERLOADS(bitwise_or)
THEON_NUMBER_OVERLOADS(bitwise_xor)
THEON_NUMBER_OVERLOADS(set_subtensor)
THEON_NUMBER_OVERLOADS(inc_subtensor)
THEON_NUMBER_OVERLOADS(minimum)
THEON_NUMBER_OVERLOADS(eq)
THEON_NUMBER_OVERLOADS(neq)
THEON_NUMBER_OVERLOADS(lt)
THEON_NUMBER_OVERLOADS(le)
THEON_NUMBER_OVERLOADS(gt)
THEON_NUMBER_OVERLOADS(ge)
#undef THEON_NUMBER_OVERLOADS

namespace detail {
Variable int_constant(std::int64_t value);
Variable float_constant(double value);
} // namespace detail

template <class N, class> Variable as_tensor(N value) {
  if constexpr (std::is_same_v<N, bool>)
    return constant(value ? 1.0 : 0.0, DType::Bool);
  else if constexpr (std::is_integral_v<N>) {
    if constexpr (std::is_unsigned_v<N>)
      if (value > static_cast<std::uint64_t>(INT64_MAX))
        throw ValueError("constant " + std::to_string(value) + " does not fit any Theon dtype");
    return detail::int_constant(static_cast<std::int64_t>(value));
  }
  else
    return detail::float_constant(static_cast<double>(value));
}

namespace detail {
inline Variable scalar_operand(const Variable &v) { return v; }
template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>
Variable scalar_operand(N n) {
  return as_tensor(n);
}
} // namespace detail

template <class A, class B, class C, class>
Variable arange(const A &start, const B &stop, const C &step) {
  return arange(detail::scalar_operand(start), detail::scalar_operand(stop),
                detail::scalar_operand(step));
}

template <class N, class> Variable alloc(N value, const ShapeArg &shape) {
  return alloc(as_tensor(value), shape);
}

template <class N, class> Variable as_tensor_like(N value, const Variable &other) {
  if constexpr (!std::is_same_v<N, bool>)
    if (is_float(other.dtype()))
      return constant(static_cast<double>(value), other.dtype());
  return as_tensor(value);
}

namespace detail {
inline const Variable &operand(const Variable &v, const Variable &) { return v; }
template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>
Variable operand(N n, const Variable &like) {
  return as_tensor_like(n, like);
}
} // namespace detail

/// clip with C++ numbers for either bound: `T::clip(x, 0, 1)`, `T::clip(x, lo, 6.0)`.
template <class L, class H,
          class = std::enable_if_t<!(std::is_same_v<L, Variable> && std::is_same_v<H, Variable>)>>
Variable clip(const Variable &x, const L &lo, const H &hi) {
  return clip(x, detail::operand(lo, x), detail::operand(hi, x));
}

} // namespace tensor

// Operators, as on Theano variables. `==` is not elementwise (use T::eq),
// as in Theano.
#define THEON_BINARY_OPERATOR(op, fn)                                                   \
  inline Variable operator op(const Variable &a, const Variable &b) { return tensor::fn(a, b); } \
  template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>                 \
  Variable operator op(const Variable &a, N b) { return tensor::fn(a, b); }             \
  template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>                 \
  Variable operator op(N a, const Variable &b) { return tensor::fn(a, b); }
THEON_BINARY_OPERATOR(+, add)
THEON_BINARY_OPERATOR(-, sub)
THEON_BINARY_OPERATOR(*, mul)
THEON_BINARY_OPERATOR(/, true_div)
THEON_BINARY_OPERATOR(<, lt)
THEON_BINARY_OPERATOR(<=, le)
THEON_BINARY_OPERATOR(>, gt)
THEON_BINARY_OPERATOR(>=, ge)
THEON_BINARY_OPERATOR(%, mod)
THEON_BINARY_OPERATOR(&, bitwise_and)
THEON_BINARY_OPERATOR(|, bitwise_or)
THEON_BINARY_OPERATOR(^, bitwise_xor)
#undef THEON_BINARY_OPERATOR
inline Variable operator-(const Variable &x) { return tensor::neg(x); }
inline Variable operator~(const Variable &x) { return tensor::invert(x); }

} // namespace theon
