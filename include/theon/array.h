// theon::Array: the value that goes into and comes out of a compiled
// function. A dtype, a shape, strides (in elements) and a reference-counted
// buffer, shared between copies of the handle as NumPy arrays share memory.
// The buffer is in host memory, or in GPU memory after to("cuda") (or as
// the output of a function with FunctionOptions::outputs_on_device).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "theon/dtype.h"
#include "theon/error.h"

namespace theon {

using Shape = std::vector<std::int64_t>;

namespace detail {
struct ArrayAccess; // lib/device.cpp: makes and reads arrays in GPU memory
}

class Array {
public:
  /// An empty float32 array of shape (0,).
  Array();
  Array(const Array &) = default;
  Array &operator=(const Array &) = default;
  /// A moved-from array is an empty array of shape (0,), still usable.
  Array(Array &&other) noexcept;
  Array &operator=(Array &&other) noexcept;
  /// Uninitialised storage of the given shape and dtype (row-major).
  Array(Shape shape, DType dtype);

  /// Copies `values` into a new 1-d array, (values.size(),).
  template <class E> static Array from_vector(const std::vector<E> &values) {
    return from_vector(values, Shape{static_cast<std::int64_t>(values.size())});
  }
  /// Copies `values` into a new array of `shape`, which they must fill
  /// (ShapeError otherwise): `{}` is 0-d and takes one value, as NumPy's
  /// np.array(v).reshape(()).
  template <class E> static Array from_vector(const std::vector<E> &values, Shape shape);
  template <class E> Array(const std::vector<E> &values) { *this = from_vector(values); }
  template <class E> Array(const std::vector<E> &values, Shape shape) {
    *this = from_vector(values, std::move(shape));
  }
  /// A 0-d array holding `value`.
  template <class E> static Array scalar(E value) {
    Array out(Shape{}, dtype_of<E>());
    *static_cast<E *>(out.raw_data()) = value;
    return out;
  }
  /// Views caller-owned memory, row-major, without copying (borrow semantics):
  /// the caller keeps `data` alive and unchanged while the array is in use.
  template <class E> static Array borrow(E *data, Shape shape) {
    return borrow_raw(data, std::move(shape), dtype_of<E>());
  }
  /// Copies caller-owned row-major memory into a new array.
  template <class E> static Array copy_of(const E *data, Shape shape) {
    return borrow_raw(const_cast<E *>(data), std::move(shape), dtype_of<E>()).copy();
  }
  static Array borrow_raw(void *data, Shape shape, DType dtype, Shape strides = {});

  static Array zeros(Shape shape, DType dtype);
  static Array zeros(Shape shape); // floatX
  static Array ones(Shape shape, DType dtype);
  static Array ones(Shape shape); // floatX
  static Array full(Shape shape, double value, DType dtype);
  /// Uniform in [low, high) from Theon's global generator (see seed()).
  static Array uniform(Shape shape, double low, double high, DType dtype);
  static Array uniform(Shape shape, double low, double high); // floatX
  /// 0, 1, ..., n-1.
  static Array arange(std::int64_t n, DType dtype = DType::Int64);
  /// Seeds the generator behind uniform().
  static void seed(std::uint64_t seed);

  DType dtype() const { return dtype_; }
  const Shape &shape() const { return layout().shape; }
  std::int64_t shape(int axis) const;
  /// Strides in elements (not bytes, unlike NumPy).
  const Shape &strides() const { return layout().strides; }
  int ndim() const { return static_cast<int>(layout().shape.size()); }
  std::int64_t size() const;
  bool is_contiguous() const;
  /// True when the two arrays view the same buffer.
  bool shares_memory(const Array &other) const { return buffer_ == other.buffer_; }
  /// How many Arrays share this buffer (Theon reuses a buffer only when it
  /// is the sole owner).
  long use_count() const { return buffer_.use_count(); }

  /// "cpu", or "cuda" for an array in GPU memory.
  std::string device() const { return on_device_ ? "cuda" : "cpu"; }
  bool on_device() const { return on_device_; }
  /// This array on `device` ("cpu" or "cuda"): itself when it is there
  /// already, else a contiguous copy there (DeviceError when the GPU cannot
  /// be used). In GPU memory, an array's elements are read by copying it
  /// back: item(), to_vector(), printing and comparisons do so; pointers
  /// (data(), raw_data(), at()) are a DeviceError.
  Array to(const std::string &device) const;

  /// Typed pointer to the first element; throws TypeError if E is not the dtype.
  template <class E> E *data() const {
    check_dtype(dtype_of<E>());
    return static_cast<E *>(raw_data());
  }
  void *raw_data() const;

  /// Element at a full index; throws ValueError on a bad index.
  template <class E> E &at(std::initializer_list<std::int64_t> index) const {
    check_dtype(dtype_of<E>());
    return *static_cast<E *>(element_ptr(index.begin(), index.size()));
  }
  template <class E, class... I> E &at(I... index) const {
    return at<E>({static_cast<std::int64_t>(index)...});
  }
  /// The single element of a size-1 array, converted to E.
  template <class E> E item() const {
    if (on_device_)
      return to("cpu").item<E>();
    check_single_element();
    return get_flat_as<E>(0);
  }
  /// Element `flat` in row-major order, converted to double.
  double get_flat(std::int64_t flat) const;
  /// Element `flat` in row-major order as an integer: exact for every integer
  /// dtype (int64 beyond 2^53 too); floats truncate toward zero.
  std::int64_t get_flat_int(std::int64_t flat) const;
  /// Every element in row-major order, converted to E.
  template <class E> std::vector<E> to_vector() const {
    if (on_device_)
      return to("cpu").to_vector<E>();
    std::vector<E> out(static_cast<std::size_t>(size()));
    for (std::int64_t i = 0; i < size(); ++i)
      out[static_cast<std::size_t>(i)] = get_flat_as<E>(i);
    return out;
  }

  /// A deep, contiguous copy.
  Array copy() const;
  /// This array if contiguous, otherwise a contiguous copy.
  Array contiguous() const;
  /// A contiguous copy converted to `dtype` (NumPy's astype).
  Array astype(DType dtype) const;
  /// Same buffer, new shape (must be contiguous and the same size).
  Array reshape(Shape shape) const;
  /// Same buffer with the two axes of a matrix swapped (no copy).
  Array T() const;

  std::string to_string() const;

private:
  friend struct detail::ArrayAccess;
  void check_dtype(DType requested) const;
  void *element_ptr(const std::int64_t *index, std::size_t n) const;
  void check_single_element() const;
  const void *flat_ptr(std::int64_t flat) const;
  template <class E> E get_flat_as(std::int64_t flat) const {
    if constexpr (std::is_integral_v<E> && !std::is_same_v<E, bool>)
      if (!is_float(dtype_))
        return static_cast<E>(get_flat_int(flat));
    return static_cast<E>(get_flat(flat));
  }

  /// Shape and strides, immutable and shared between copies: copying an
  /// Array (every call of a function copies its arguments) allocates nothing.
  struct Layout {
    Shape shape, strides;
  };
  static std::shared_ptr<const Layout> make_layout(Shape shape, Shape strides);
  /// Shape (0,) for a default or moved-from array, which holds no layout
  /// (moves then cost no reference counting).
  static const Layout &empty_layout();
  const Layout &layout() const { return layout_ ? *layout_ : empty_layout(); }

  DType dtype_ = DType::Float32;
  std::shared_ptr<const Layout> layout_;
  std::int64_t offset_ = 0; // elements
  std::shared_ptr<void> buffer_;
  bool on_device_ = false; // buffer_ is GPU memory
};

std::ostream &operator<<(std::ostream &os, const Array &array);
/// "(3, 4)"
std::string shape_to_string(const Shape &shape);

/// Exact equality of dtype, shape and every element.
bool array_equal(const Array &a, const Array &b);
/// NumPy's allclose: |a - b| <= atol + rtol * |b| elementwise, shapes equal.
bool allclose(const Array &a, const Array &b, double rtol = 1e-5, double atol = 1e-8);

template <class E> Array Array::from_vector(const std::vector<E> &values, Shape shape) {
  Array out(shape, dtype_of<E>());
  if (static_cast<std::size_t>(out.size()) != values.size())
    throw ShapeError("Array: " + std::to_string(values.size()) +
                     " values do not fill shape " + shape_to_string(shape));
  auto *dst = static_cast<E *>(out.raw_data());
  for (std::size_t i = 0; i < values.size(); ++i)
    dst[i] = values[i];
  return out;
}

} // namespace theon
