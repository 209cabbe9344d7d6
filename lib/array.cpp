#include "theon/array.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <new>
#include <ostream>
#include <random>
#include <sstream>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lib/device.h"
#include "theon/config.h"

namespace theon {
namespace {

constexpr std::size_t kAlignment = 64; // a cache line; also what vector code likes

/// `bytes` aligned for vector code; std::bad_alloc when the system has none
/// (the nothrow form, so that sanitizers report a null instead of dying).
void *alignedNew(std::size_t bytes) {
  void *p = ::operator new(bytes, std::align_val_t(kAlignment), std::nothrow);
  if (!p)
    throw std::bad_alloc();
  return p;
}

/// Large array buffers are recycled by size: a function's new output of the
/// same shape as one the program dropped reuses its memory, instead of fresh
/// pages whose first-touch faults cost several times the data's own traffic.
class LargeBufferPool {
public:
  static constexpr std::size_t kMinBytes = std::size_t(1) << 20;
  static constexpr std::size_t kMaxCachedBytes = std::size_t(1) << 30;

  void *take(std::size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = free_.find(bytes);
      if (it != free_.end() && !it->second.empty()) {
        void *p = it->second.back();
        it->second.pop_back();
        cached_ -= bytes;
        return p;
      }
    }
    return alignedNew(bytes);
  }

  void give(void *p, std::size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (cached_ + bytes <= kMaxCachedBytes) {
        free_[bytes].push_back(p);
        cached_ += bytes;
        return;
      }
    }
    ::operator delete(p, std::align_val_t(kAlignment));
  }

  ~LargeBufferPool() {
    for (auto &[bytes, blocks] : free_)
      for (void *p : blocks)
        ::operator delete(p, std::align_val_t(kAlignment));
  }

private:
  std::mutex mutex_;
  std::unordered_map<std::size_t, std::vector<void *>> free_;
  std::size_t cached_ = 0;
};

LargeBufferPool &largeBuffers() {
  static auto *pool = new LargeBufferPool(); // outlives every Array, even static ones
  return *pool;
}

std::shared_ptr<void> allocateOrThrow(std::size_t bytes) {
  if (bytes >= LargeBufferPool::kMinBytes) {
    void *p = largeBuffers().take(bytes);
    return std::shared_ptr<void>(p, [bytes](void *q) { largeBuffers().give(q, bytes); });
  }
  void *p = alignedNew(bytes == 0 ? kAlignment : bytes);
  return std::shared_ptr<void>(p, [](void *q) { ::operator delete(q, std::align_val_t(kAlignment)); });
}

/// `bytes` for an array of `shape` and `dtype`; MemoryError when the
/// system has none.
std::shared_ptr<void> allocate(std::size_t bytes, const Shape &shape, DType dtype) {
  try {
    return allocateOrThrow(bytes);
  } catch (const std::bad_alloc &) {
    throw MemoryError("cannot allocate " + std::to_string(bytes) + " bytes for an array of shape " +
                      shape_to_string(shape) + " of " + dtype_name(dtype));
  }
}

Shape rowMajorStrides(const Shape &shape) {
  Shape strides(shape.size());
  std::int64_t s = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    s *= std::max<std::int64_t>(shape[i], 1);
  }
  return strides;
}

std::int64_t product(const Shape &shape) {
  std::int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

/// The byte size of an array of `shape` and `dtype`; ShapeError for a
/// negative dimension or a size that does not fit in 64 bits (a wrapped
/// element count would allocate too little and index outside it).
std::size_t checkedBytes(const Shape &shape, DType dtype) {
  std::int64_t elements = 1;
  for (auto d : shape)
    if (d < 0)
      throw ShapeError("Array: negative dimension in shape " + shape_to_string(shape));
  for (auto d : shape)
    if (__builtin_mul_overflow(elements, d, &elements))
      throw ShapeError("Array: shape " + shape_to_string(shape) +
                       " has more elements than a 64-bit size can count");
  std::int64_t bytes;
  if (__builtin_mul_overflow(elements, static_cast<std::int64_t>(dtype_size(dtype)), &bytes))
    throw ShapeError("Array: shape " + shape_to_string(shape) + " of " + dtype_name(dtype) +
                     " has " + std::to_string(elements) +
                     " elements, more bytes than a 64-bit size can count");
  return static_cast<std::size_t>(bytes);
}

double load(const void *p, DType dtype) {
  switch (dtype) {
  case DType::Bool: return *static_cast<const std::uint8_t *>(p) ? 1.0 : 0.0;
  case DType::Int8: return *static_cast<const std::int8_t *>(p);
  case DType::Int16: return *static_cast<const std::int16_t *>(p);
  case DType::Int32: return *static_cast<const std::int32_t *>(p);
  case DType::Int64: return static_cast<double>(*static_cast<const std::int64_t *>(p));
  case DType::Float32: return *static_cast<const float *>(p);
  case DType::Float64: return *static_cast<const double *>(p);
  }
  return 0;
}

/// double to an integer type without undefined behaviour: NaN and values out
/// of range become the type's minimum, as x86's conversion instructions do.
template <class I> I toInt(double v) {
  if (!(v >= static_cast<double>(std::numeric_limits<I>::min()) &&
        v < -static_cast<double>(std::numeric_limits<I>::min())))
    return std::numeric_limits<I>::min();
  return static_cast<I>(v);
}

void store(void *p, DType dtype, double v) {
  switch (dtype) {
  case DType::Bool: *static_cast<std::uint8_t *>(p) = v != 0; break;
  case DType::Int8: *static_cast<std::int8_t *>(p) = toInt<std::int8_t>(v); break;
  case DType::Int16: *static_cast<std::int16_t *>(p) = toInt<std::int16_t>(v); break;
  case DType::Int32: *static_cast<std::int32_t *>(p) = toInt<std::int32_t>(v); break;
  case DType::Int64: *static_cast<std::int64_t *>(p) = toInt<std::int64_t>(v); break;
  case DType::Float32: *static_cast<float *>(p) = static_cast<float>(v); break;
  case DType::Float64: *static_cast<double *>(p) = v; break;
  }
}

void storeInt(void *p, DType dtype, std::int64_t v) {
  switch (dtype) {
  case DType::Bool: *static_cast<std::uint8_t *>(p) = v != 0; break;
  case DType::Int8: *static_cast<std::int8_t *>(p) = static_cast<std::int8_t>(v); break;
  case DType::Int16: *static_cast<std::int16_t *>(p) = static_cast<std::int16_t>(v); break;
  case DType::Int32: *static_cast<std::int32_t *>(p) = static_cast<std::int32_t>(v); break;
  case DType::Int64: *static_cast<std::int64_t *>(p) = v; break;
  case DType::Float32: *static_cast<float *>(p) = static_cast<float>(v); break;
  case DType::Float64: *static_cast<double *>(p) = static_cast<double>(v); break;
  }
}

std::mt19937_64 &generator() {
  static std::mt19937_64 engine(42);
  return engine;
}
std::mutex generatorMutex;

} // namespace

std::string shape_to_string(const Shape &shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

std::shared_ptr<const Array::Layout> Array::make_layout(Shape shape, Shape strides) {
  return std::make_shared<const Layout>(Layout{std::move(shape), std::move(strides)});
}

const Array::Layout &Array::empty_layout() {
  static const Layout empty{Shape{0}, Shape{1}};
  return empty;
}

Array::Array() = default;

Array::Array(Array &&other) noexcept
    : dtype_(std::exchange(other.dtype_, DType::Float32)), layout_(std::move(other.layout_)),
      offset_(std::exchange(other.offset_, 0)), buffer_(std::move(other.buffer_)),
      on_device_(std::exchange(other.on_device_, false)) {}

Array &Array::operator=(Array &&other) noexcept {
  if (this != &other) {
    dtype_ = std::exchange(other.dtype_, DType::Float32);
    layout_ = std::move(other.layout_);
    offset_ = std::exchange(other.offset_, 0);
    buffer_ = std::move(other.buffer_);
    on_device_ = std::exchange(other.on_device_, false);
  }
  return *this;
}

Array::Array(Shape shape, DType dtype) : dtype_(dtype) {
  std::size_t bytes = checkedBytes(shape, dtype);
  buffer_ = allocate(bytes, shape, dtype);
  Shape strides = rowMajorStrides(shape);
  layout_ = make_layout(std::move(shape), std::move(strides));
}

Array Array::borrow_raw(void *data, Shape shape, DType dtype, Shape strides) {
  checkedBytes(shape, dtype);
  if (!data && product(shape) != 0)
    throw ValueError("Array::borrow: null data pointer");
  if (!strides.empty() && strides.size() != shape.size())
    throw ShapeError("Array::borrow: " + std::to_string(strides.size()) + " strides for shape " +
                     shape_to_string(shape));
  Array a;
  a.dtype_ = dtype;
  if (strides.empty())
    strides = rowMajorStrides(shape);
  a.layout_ = make_layout(std::move(shape), std::move(strides));
  a.buffer_ = std::shared_ptr<void>(data, [](void *) {}); // caller owns the memory
  return a;
}

Array Array::zeros(Shape shape, DType dtype) { return full(std::move(shape), 0.0, dtype); }
Array Array::zeros(Shape shape) { return zeros(std::move(shape), config().floatX); }
Array Array::ones(Shape shape, DType dtype) { return full(std::move(shape), 1.0, dtype); }
Array Array::ones(Shape shape) { return ones(std::move(shape), config().floatX); }

Array Array::full(Shape shape, double value, DType dtype) {
  Array a(std::move(shape), dtype);
  char *p = static_cast<char *>(a.raw_data());
  for (std::int64_t i = 0, n = a.size(); i < n; ++i)
    store(p + i * dtype_size(dtype), dtype, value);
  return a;
}

Array Array::uniform(Shape shape, double low, double high, DType dtype) {
  if (!(low <= high))
    throw ValueError("Array::uniform: low (" + std::to_string(low) + ") > high (" +
                     std::to_string(high) + ")");
  Array a(std::move(shape), dtype);
  std::uniform_real_distribution<double> dist(low, high);
  std::lock_guard<std::mutex> lock(generatorMutex);
  char *p = static_cast<char *>(a.raw_data());
  for (std::int64_t i = 0, n = a.size(); i < n; ++i)
    store(p + i * dtype_size(dtype), dtype, dist(generator()));
  return a;
}
Array Array::uniform(Shape shape, double low, double high) {
  return uniform(std::move(shape), low, high, config().floatX);
}

Array Array::arange(std::int64_t n, DType dtype) {
  if (n < 0)
    throw ValueError("Array::arange: negative length " + std::to_string(n));
  Array a(Shape{n}, dtype);
  char *p = static_cast<char *>(a.raw_data());
  for (std::int64_t i = 0; i < n; ++i)
    store(p + i * dtype_size(dtype), dtype, static_cast<double>(i));
  return a;
}

void Array::seed(std::uint64_t seed) {
  std::lock_guard<std::mutex> lock(generatorMutex);
  generator().seed(seed);
}

std::int64_t Array::shape(int axis) const {
  int n = ndim();
  if (axis < -n || axis >= n)
    throw ValueError("Array::shape: axis " + std::to_string(axis) + " is out of range for " +
                     std::to_string(n) + "-d array");
  return layout().shape[static_cast<std::size_t>(axis < 0 ? axis + n : axis)];
}

std::int64_t Array::size() const { return product(layout().shape); }

bool Array::is_contiguous() const {
  std::int64_t expected = 1;
  for (std::size_t i = layout().shape.size(); i-- > 0;) {
    if (layout().shape[i] != 1 && layout().strides[i] != expected)
      return false;
    expected *= layout().shape[i];
  }
  return true;
}

void *Array::raw_data() const {
  if (on_device_)
    throw DeviceError("this " + shape_to_string(shape()) + " " + dtype_name(dtype_) +
                      " array is in GPU memory: its elements are not addressable on the host "
                      "(copy it with .to(\"cpu\"))");
  if (!buffer_) // default or moved-from: no elements
    return nullptr;
  return static_cast<char *>(buffer_.get()) + offset_ * static_cast<std::int64_t>(dtype_size(dtype_));
}

void Array::check_dtype(DType requested) const {
  if (requested != dtype_)
    throw TypeError(std::string("Array: element type ") + dtype_name(requested) +
                    " requested from a " + dtype_name(dtype_) + " array");
}

void *Array::element_ptr(const std::int64_t *index, std::size_t n) const {
  if (n != layout().shape.size())
    throw ValueError("Array::at: " + std::to_string(n) + " indices for a " +
                     std::to_string(layout().shape.size()) + "-d array");
  std::int64_t flat = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t k = index[i] < 0 ? index[i] + layout().shape[i] : index[i];
    if (k < 0 || k >= layout().shape[i])
      throw IndexError("Array::at: index " + std::to_string(index[i]) + " is out of bounds for axis " +
                       std::to_string(i) + " with size " + std::to_string(layout().shape[i]));
    flat += k * layout().strides[i];
  }
  return static_cast<char *>(raw_data()) + flat * static_cast<std::int64_t>(dtype_size(dtype_));
}

const void *Array::flat_ptr(std::int64_t flat) const {
  if (flat < 0 || flat >= size())
    throw ValueError("Array: flat index " + std::to_string(flat) + " out of range for size " +
                     std::to_string(size()));
  std::int64_t offset = 0;
  for (std::size_t i = layout().shape.size(); i-- > 0;) {
    offset += (flat % layout().shape[i]) * layout().strides[i];
    flat /= layout().shape[i];
  }
  return static_cast<char *>(raw_data()) + offset * static_cast<std::int64_t>(dtype_size(dtype_));
}

double Array::get_flat(std::int64_t flat) const {
  if (on_device_)
    return to("cpu").get_flat(flat);
  return load(flat_ptr(flat), dtype_);
}

void Array::check_single_element() const {
  if (size() != 1)
    throw ValueError("Array::item: the array has " + std::to_string(size()) +
                     " elements, not 1");
}

std::int64_t Array::get_flat_int(std::int64_t flat) const {
  if (on_device_)
    return to("cpu").get_flat_int(flat);
  const char *p = static_cast<const char *>(flat_ptr(flat));
  switch (dtype_) {
  case DType::Bool: return *reinterpret_cast<const std::uint8_t *>(p) != 0;
  case DType::Int8: return *reinterpret_cast<const std::int8_t *>(p);
  case DType::Int16: return *reinterpret_cast<const std::int16_t *>(p);
  case DType::Int32: return *reinterpret_cast<const std::int32_t *>(p);
  case DType::Int64: return *reinterpret_cast<const std::int64_t *>(p);
  case DType::Float32:
  case DType::Float64: return static_cast<std::int64_t>(std::trunc(load(p, dtype_)));
  }
  return 0;
}

Array Array::copy() const { return on_device_ ? detail::copyOnDevice(*this) : astype(dtype_); }

Array Array::contiguous() const { return is_contiguous() ? *this : copy(); }

Array Array::to(const std::string &device) const {
  if (device == "cpu")
    return on_device_ ? detail::copyToHost(*this) : *this;
  if (device == "cuda")
    return on_device_ ? *this : detail::copyToDevice(contiguous());
  throw ValueError("Array::to: device must be cpu or cuda, got '" + device + "'");
}

Array Array::astype(DType dtype) const {
  Array out(layout().shape, dtype);
  if (dtype == dtype_ && is_contiguous()) {
    std::memcpy(out.raw_data(), raw_data(), static_cast<std::size_t>(size()) * dtype_size(dtype));
    return out;
  }
  if (dtype == dtype_) { // strided: copy each element's bytes, exactly
    char *p = static_cast<char *>(out.raw_data());
    for (std::int64_t i = 0, n = size(); i < n; ++i)
      std::memcpy(p + i * dtype_size(dtype), flat_ptr(i), dtype_size(dtype));
    return out;
  }
  if (!is_float(dtype_) && !is_float(dtype)) { // integer to integer, exactly
    char *p = static_cast<char *>(out.raw_data());
    for (std::int64_t i = 0, n = size(); i < n; ++i)
      storeInt(p + i * dtype_size(dtype), dtype, get_flat_int(i));
    return out;
  }
  char *p = static_cast<char *>(out.raw_data());
  for (std::int64_t i = 0, n = size(); i < n; ++i)
    store(p + i * dtype_size(dtype), dtype, get_flat(i));
  return out;
}

Array Array::reshape(Shape shape) const {
  checkedBytes(shape, dtype_);
  if (product(shape) != size())
    throw ShapeError("Array::reshape: cannot reshape " + std::to_string(size()) +
                     " elements of shape " + shape_to_string(layout().shape) + " into shape " +
                     shape_to_string(shape));
  Array out = contiguous();
  Shape strides = rowMajorStrides(shape);
  out.layout_ = make_layout(std::move(shape), std::move(strides));
  return out;
}

Array Array::T() const {
  Array out = *this;
  out.layout_ = make_layout(Shape(shape().rbegin(), shape().rend()),
                            Shape(strides().rbegin(), strides().rend()));
  return out;
}

namespace {
void printRec(std::ostream &os, const Array &a, std::int64_t &flat, std::size_t axis) {
  if (axis == a.shape().size()) {
    double v = a.get_flat(flat++);
    if (a.dtype() == DType::Bool)
      os << (v != 0 ? "true" : "false");
    else
      os << v;
    return;
  }
  os << '[';
  for (std::int64_t i = 0; i < a.shape()[axis]; ++i) {
    if (i)
      os << (axis + 1 == a.shape().size() ? ", " : ",\n" + std::string(axis + 1, ' '));
    printRec(os, a, flat, axis + 1);
  }
  os << ']';
}
} // namespace

std::string Array::to_string() const {
  if (on_device_)
    return to("cpu").to_string();
  std::ostringstream os;
  os.precision(6);
  std::int64_t flat = 0;
  printRec(os, *this, flat, 0);
  return os.str();
}

std::ostream &operator<<(std::ostream &os, const Array &array) { return os << array.to_string(); }

bool array_equal(const Array &a, const Array &b) {
  if (a.dtype() != b.dtype() || a.shape() != b.shape())
    return false;
  if (a.on_device() || b.on_device())
    return array_equal(a.to("cpu"), b.to("cpu"));
  bool exactInts = !is_float(a.dtype());
  for (std::int64_t i = 0; i < a.size(); ++i)
    if (exactInts ? a.get_flat_int(i) != b.get_flat_int(i) : a.get_flat(i) != b.get_flat(i))
      return false;
  return true;
}

bool allclose(const Array &a, const Array &b, double rtol, double atol) {
  if (a.shape() != b.shape())
    return false;
  if (a.on_device() || b.on_device())
    return allclose(a.to("cpu"), b.to("cpu"), rtol, atol);
  for (std::int64_t i = 0; i < a.size(); ++i) {
    double x = a.get_flat(i), y = b.get_flat(i);
    if (std::isnan(x) || std::isnan(y)) {
      if (!(std::isnan(x) && std::isnan(y)))
        return false;
      continue;
    }
    if (x == y)
      continue; // equal infinities
    if (!(std::fabs(x - y) <= atol + rtol * std::fabs(y)))
      return false;
  }
  return true;
}

} // namespace theon
