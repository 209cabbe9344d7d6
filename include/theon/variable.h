// Symbolic variables: cheap handles to nodes of the expression graph.
#pragma once

#include <cstdint>
#include <climits>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "theon/array.h"
#include "theon/dtype.h"

namespace theon {

namespace detail {
struct Node;
}

/// One entry of a dimshuffle pattern: an input axis or 'x' for a new
/// broadcastable axis.
struct Dim {
  Dim(int axis) : axis(axis) {}
  Dim(char c); // only 'x'
  /// The value of `axis` for 'x'. Not -1: a negative axis is an error.
  static constexpr std::int64_t kNewAxis = INT64_MIN;
  std::int64_t axis;
};

/// The `axis` argument of reductions: all axes (default), one, or a list.
/// Negative axes count from the end, as in NumPy.
struct Axis {
  Axis() = default;
  Axis(std::nullopt_t) {}
  Axis(int axis) : axes(std::vector<int>{axis}) {}
  Axis(std::initializer_list<int> list) : axes(std::vector<int>(list)) {}
  Axis(std::vector<int> list) : axes(std::move(list)) {}
  std::optional<std::vector<int>> axes; // nullopt: all axes
};

/// Python's slice: start, stop and step, each optional (`x[1:]`,
/// `x[::-1]`); made by T::slice and T::_.
struct Slice {
  std::optional<std::int64_t> start, stop, step;
};
/// NumPy's newaxis (None in an index): a new axis of length 1.
struct NewAxis {};

class Variable;

/// One item of an index: an integer, a slice or a new axis (basic
/// indexing), or an integer or boolean array variable (advanced indexing).
class Index {
public:
  template <class I, class = std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>>
  Index(I i) : kind_(Kind::Integer), integer_(static_cast<std::int64_t>(i)) {}
  Index(const Slice &s) : kind_(Kind::Slice), slice_(s) {}
  Index(NewAxis) : kind_(Kind::NewAxis) {}
  Index(const Variable &array);
  enum class Kind { Integer, Slice, NewAxis, Array };
  Kind kind() const { return kind_; }
  std::int64_t integer() const { return integer_; }
  const Slice &slice() const { return slice_; }
  /// The array of an Array item.
  const std::shared_ptr<detail::Node> &array() const { return array_; }

private:
  Kind kind_;
  std::int64_t integer_ = 0;
  Slice slice_;
  std::shared_ptr<detail::Node> array_;
};

class ShapeArg;

class Variable {
public:
  /// A null handle; most operations on it throw ValueError.
  Variable() = default;

  DType dtype() const;
  int ndim() const;
  /// Theano's broadcastable pattern: true where the axis is known to be 1.
  const std::vector<bool> &broadcastable() const;
  const std::string &name() const;
  /// Renames the variable (also how it appears in IR and messages).
  Variable &set_name(const std::string &name);
  /// "float32 matrix 'W'"
  std::string type_string() const;
  bool is_null() const { return node_ == nullptr; }
  /// True when both handles are the same graph node (Theano's `is`).
  bool same(const Variable &other) const { return node_ == other.node_; }

  /// Transpose (reverses the axes), Theano's `x.T`.
  Variable T() const;
  Variable transpose() const { return T(); }
  Variable dimshuffle(std::vector<Dim> pattern) const;
  template <class... D> Variable dimshuffle(Dim first, D... rest) const {
    return dimshuffle(std::vector<Dim>{first, Dim(rest)...});
  }
  /// New shape with the same number of elements; one entry may be -1.
  /// Sizes may be variables: `x.reshape({y.shape(0), -1})`.
  Variable reshape(const ShapeArg &shape) const;
  /// Theano's flatten(ndim): the first ndim - 1 axes kept, the rest joined.
  Variable flatten(int ndim = 1) const;
  /// The shape as an int64 vector variable (Theano's x.shape), and one
  /// size as an int64 scalar (x.shape[i]; negative i counts from the end).
  /// Known when the function is compiled, so usable wherever a size is.
  Variable shape() const;
  Variable shape(int axis) const;
  Variable astype(DType dtype) const;

  Variable sum(Axis axis = {}, bool keepdims = false) const;
  Variable prod(Axis axis = {}, bool keepdims = false) const;
  Variable mean(Axis axis = {}, bool keepdims = false) const;
  Variable max(Axis axis = {}, bool keepdims = false) const;
  Variable min(Axis axis = {}, bool keepdims = false) const;
  Variable argmax(Axis axis = {}, bool keepdims = false) const;
  Variable argmin(Axis axis = {}, bool keepdims = false) const;
  Variable var(Axis axis = {}, int ddof = 0, bool keepdims = false) const;
  Variable std(Axis axis = {}, int ddof = 0, bool keepdims = false) const;
  Variable any(Axis axis = {}, bool keepdims = false) const;
  Variable all(Axis axis = {}, bool keepdims = false) const;
  /// Theano's x.norm(L, axis): L1, L2 or any other L > 0.
  Variable norm(double L, Axis axis = {}) const;
  /// Method forms of T::sort, argsort, cumsum, cumprod, repeat, squeeze,
  /// swapaxes and transpose(axes), as Theano's.
  Variable sort(std::optional<int> axis = -1) const;
  Variable argsort(std::optional<int> axis = -1) const;
  Variable cumsum(std::optional<int> axis = std::nullopt) const;
  Variable cumprod(std::optional<int> axis = std::nullopt) const;
  Variable repeat(std::int64_t repeats, std::optional<int> axis = std::nullopt) const;
  Variable squeeze() const;
  Variable swapaxes(int a, int b) const;
  Variable transpose(const std::vector<int> &axes) const;
  /// Method forms of T::dot and T::clip, as Theano's x.dot(y), x.clip(a, b).
  Variable dot(const Variable &other) const;
  Variable clip(const Variable &lo, const Variable &hi) const;
  Variable clip(double lo, double hi) const;

  /// Indexing, NumPy's and Theano's `x[1, ::-2, 3:, None]`:
  /// `x(1, T::slice(std::nullopt, std::nullopt, -2), T::slice(3, std::nullopt),
  /// T::newaxis)`; `T::_` is a whole axis (`:`).
  /// Integers drop their axis (negative ones count from the end; out of
  /// range is an IndexError when the function is called), slices keep it,
  /// axes not indexed are kept whole. Integer array variables index
  /// advanced-style, with NumPy's rule for where their axes go
  /// (`x(T::arange(n), y)`, `x(T::_, idx)`); see docs/user-guide.md.
  template <class... I> Variable operator()(const I &...items) const {
    return subtensor(std::vector<Index>{Index(items)...});
  }
  Variable subtensor(const std::vector<Index> &items) const;
  /// The same with brackets, close to Python: `x[{T::slice(0, -1, 2), 3}]`.
  Variable operator[](std::initializer_list<Index> items) const {
    return subtensor(std::vector<Index>(items));
  }
  /// Theano's x[idx] with an integer array (advanced indexing; an integer
  /// vector selects rows) or a boolean mask (only in set/inc_subtensor).
  Variable operator[](const Variable &indices) const;
  /// Row i, Theano's x[i]; negative i counts from the end.
  Variable operator[](std::int64_t i) const;

  /// Internal: the graph node.
  const std::shared_ptr<detail::Node> &node() const { return node_; }
  explicit Variable(std::shared_ptr<detail::Node> node) : node_(std::move(node)) {}

private:
  std::shared_ptr<detail::Node> node_;
};

/// One size of a shape: a number, or an integer scalar variable such as
/// x.shape(0).
class Size {
public:
  template <class I, class = std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>>
  Size(I n) : value_(static_cast<std::int64_t>(n)) {}
  Size(const Variable &v) : variable_(v) {}
  bool is_variable() const { return !variable_.is_null(); }
  std::int64_t value() const { return value_; }
  const Variable &variable() const { return variable_; }

private:
  std::int64_t value_ = 0;
  Variable variable_;
};

/// A shape argument: sizes (`{2, 3}`, `{x.shape(0), -1}`) or an integer
/// vector variable (`x.shape()`).
class ShapeArg {
public:
  ShapeArg(std::initializer_list<Size> sizes) : sizes_(sizes) {}
  ShapeArg(std::vector<Size> sizes) : sizes_(std::move(sizes)) {}
  ShapeArg(const std::vector<std::int64_t> &sizes) : sizes_(sizes.begin(), sizes.end()) {}
  ShapeArg(const Variable &vector) : vector_(vector) {}
  /// True when every size is a number.
  bool is_static() const;
  /// The numbers, when is_static().
  std::vector<std::int64_t> numbers() const;
  const std::vector<Size> &sizes() const { return sizes_; }
  const Variable &vector() const { return vector_; }

private:
  std::vector<Size> sizes_;
  Variable vector_;
};

} // namespace theon
