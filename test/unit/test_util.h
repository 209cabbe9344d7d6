// Helpers shared by the unit tests: random arrays, NumPy-style broadcasting of
// indices for reference loops, and NaN-aware comparison of results against
// references computed in the test.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "theon/theon.h"

namespace theon {
/// GoogleTest prints DType parameters by name.
inline void PrintTo(DType dtype, std::ostream *os) { *os << dtype_name(dtype); }
} // namespace theon

namespace theon_test {

using theon::Array;
using theon::DType;
using theon::Shape;

inline std::int64_t NumElements(const Shape &shape) {
  std::int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

/// float64 0, 1, 2, ... in `shape` (NumPy's arange(n).reshape(shape)).
inline Array Iota(const Shape &shape) {
  std::vector<double> v(static_cast<std::size_t>(NumElements(shape)));
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = static_cast<double>(i);
  return Array::from_vector(v, shape);
}

/// NumPy broadcasting, computed independently of the library.
inline Shape BroadcastShape(const Shape &a, const Shape &b) {
  std::size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t da = i + a.size() < n ? 1 : a[i + a.size() - n];
    std::int64_t db = i + b.size() < n ? 1 : b[i + b.size() - n];
    EXPECT_TRUE(da == db || da == 1 || db == 1) << "test bug: shapes do not broadcast";
    out[i] = da == 1 ? db : da;
  }
  return out;
}

/// Row-major multi-index of `flat` in `shape`.
inline std::vector<std::int64_t> Unravel(std::int64_t flat, const Shape &shape) {
  std::vector<std::int64_t> idx(shape.size());
  for (std::size_t i = shape.size(); i-- > 0;) {
    idx[i] = flat % shape[i];
    flat /= shape[i];
  }
  return idx;
}

inline std::int64_t Ravel(const std::vector<std::int64_t> &idx, const Shape &shape) {
  std::int64_t flat = 0;
  for (std::size_t i = 0; i < shape.size(); ++i)
    flat = flat * shape[i] + idx[i];
  return flat;
}

/// Flat (row-major) index into an operand of shape `in` read at output index
/// `out` under broadcasting (trailing alignment, size-1 dims read index 0).
inline std::int64_t BroadcastFlat(const std::vector<std::int64_t> &out, const Shape &in) {
  std::int64_t flat = 0;
  std::size_t off = out.size() - in.size();
  for (std::size_t i = 0; i < in.size(); ++i)
    flat = flat * in[i] + (in[i] == 1 ? 0 : out[i + off]);
  return flat;
}

/// Writes `v` converted to the array's dtype at row-major position `flat` of a
/// contiguous array.
inline void SetFlat(const Array &a, std::int64_t flat, double v) {
  switch (a.dtype()) {
  case DType::Bool: a.data<bool>()[flat] = v != 0; break;
  case DType::Int8: a.data<std::int8_t>()[flat] = static_cast<std::int8_t>(v); break;
  case DType::Int16: a.data<std::int16_t>()[flat] = static_cast<std::int16_t>(v); break;
  case DType::Int32: a.data<std::int32_t>()[flat] = static_cast<std::int32_t>(v); break;
  case DType::Int64: a.data<std::int64_t>()[flat] = static_cast<std::int64_t>(v); break;
  case DType::Float32: a.data<float>()[flat] = static_cast<float>(v); break;
  case DType::Float64: a.data<double>()[flat] = v; break;
  }
}

inline Array FromDoubles(const std::vector<double> &values, Shape shape, DType dtype) {
  Array a(shape, dtype);
  EXPECT_EQ(static_cast<std::size_t>(a.size()), values.size()) << "test bug";
  for (std::size_t i = 0; i < values.size(); ++i)
    SetFlat(a, static_cast<std::int64_t>(i), values[i]);
  return a;
}

struct Domain {
  double lo = -1, hi = 1;
  bool integral = false; // integer values even for float dtypes
  bool nonzero = false;  // resample zeros (and |x| < 0.25 for floats)
  bool quarter = false;  // floats: half of the values on multiples of 0.25 (ties)
};

/// Random values in [lo, hi] (integers for integer dtypes and `integral`).
inline Array Random(const Shape &shape, DType dtype, std::mt19937 &rng, const Domain &d) {
  Array a(shape, dtype);
  bool ints = d.integral || !theon::is_float(dtype);
  std::uniform_int_distribution<long long> idist(static_cast<long long>(std::ceil(d.lo)),
                                                 static_cast<long long>(std::floor(d.hi)));
  std::uniform_real_distribution<double> fdist(d.lo, d.hi);
  std::bernoulli_distribution coin(0.5);
  for (std::int64_t i = 0; i < a.size(); ++i) {
    double v;
    do {
      if (ints)
        v = static_cast<double>(idist(rng));
      else if (d.quarter && coin(rng))
        v = std::round(fdist(rng) * 4) / 4;
      else
        v = fdist(rng);
    } while (d.nonzero && std::fabs(v) < (ints ? 0.5 : 0.25));
    if (dtype == DType::Bool)
      v = v != 0;
    SetFlat(a, i, v);
  }
  return a;
}

inline Array Random(const Shape &shape, DType dtype, std::mt19937 &rng, double lo = -1,
                    double hi = 1) {
  Domain d;
  d.lo = lo;
  d.hi = hi;
  return Random(shape, dtype, rng, d);
}

inline std::vector<double> Values(const Array &a) { return a.to_vector<double>(); }

/// Reference dot for 1-d/2-d operands (as Theano/NumPy dot).
inline std::vector<double> DotRef(const Array &a, const Array &b) {
  std::int64_t m = a.ndim() == 2 ? a.shape(0) : 1;
  std::int64_t k = a.ndim() == 2 ? a.shape(1) : a.shape(0);
  std::int64_t n = b.ndim() == 2 ? b.shape(1) : 1;
  std::vector<double> out;
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::int64_t p = 0; p < k; ++p)
        s += a.get_flat(i * k + p) * b.get_flat(p * n + j);
      out.push_back(s);
    }
  return out;
}


struct Tol {
  double rtol, atol;
};
/// Elementwise results: libm-level accuracy.
inline Tol ElementwiseTol(DType dtype) {
  if (dtype == DType::Float32)
    return {1e-6, 1e-7};
  if (dtype == DType::Float64)
    return {1e-12, 1e-14};
  return {0, 0};
}
/// Reductions and dot: accumulation order differs from the reference.
inline Tol ReductionTol(DType dtype) {
  if (dtype == DType::Float32)
    return {1e-5, 1e-5};
  if (dtype == DType::Float64)
    return {1e-12, 1e-12};
  return {0, 0};
}

/// dtype, shape and every element within atol + rtol * |expected| (NaN
/// matches NaN, infinities must be equal).
inline ::testing::AssertionResult ArrayNear(const Array &actual, DType dtype, const Shape &shape,
                                            const std::vector<double> &expected, Tol tol) {
  if (actual.dtype() != dtype)
    return ::testing::AssertionFailure()
           << "dtype " << theon::dtype_name(actual.dtype()) << ", expected "
           << theon::dtype_name(dtype);
  if (actual.shape() != shape)
    return ::testing::AssertionFailure() << "shape " << theon::shape_to_string(actual.shape())
                                         << ", expected " << theon::shape_to_string(shape);
  if (static_cast<std::size_t>(actual.size()) != expected.size())
    return ::testing::AssertionFailure() << "test bug: " << expected.size() << " expected values";
  int bad = 0;
  std::ostringstream os;
  os.precision(17);
  for (std::int64_t i = 0; i < actual.size(); ++i) {
    double x = actual.get_flat(i), y = expected[static_cast<std::size_t>(i)];
    bool ok;
    if (std::isnan(y) || std::isnan(x))
      ok = std::isnan(x) && std::isnan(y);
    else if (std::isinf(y) || std::isinf(x))
      ok = x == y;
    else
      ok = std::fabs(x - y) <= tol.atol + tol.rtol * std::fabs(y);
    if (!ok && bad++ < 8)
      os << "\n  at flat " << i << ": got " << x << ", expected " << y;
  }
  if (bad)
    return ::testing::AssertionFailure() << bad << " of " << actual.size()
                                         << " elements differ:" << os.str();
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult ArrayNear(const Array &actual, DType dtype, const Shape &shape,
                                            const std::vector<double> &expected) {
  return ArrayNear(actual, dtype, shape, expected,
                   theon::is_float(dtype) ? ReductionTol(dtype) : Tol{0, 0});
}

/// `actual` against another array: its dtype, shape and values.
inline ::testing::AssertionResult ArrayNear(const Array &actual, const Array &expected, Tol tol) {
  return ArrayNear(actual, expected.dtype(), expected.shape(), expected.to_vector<double>(), tol);
}

inline ::testing::AssertionResult MessageHas(const std::string &message,
                                             std::initializer_list<std::string> parts) {
  for (const auto &p : parts)
    if (message.find(p) == std::string::npos)
      return ::testing::AssertionFailure() << "message \"" << message << "\" lacks \"" << p
                                           << "\"";
  return ::testing::AssertionSuccess();
}

} // namespace theon_test

/// The statement throws exactly `ExType` (or a subclass), and its message holds
/// every one of the given substrings.
#define EXPECT_THROW_MSG(statement, ExType, ...)                                           \
  do {                                                                                     \
    try {                                                                                  \
      statement;                                                                           \
      ADD_FAILURE() << "expected " #ExType " from: " #statement;                           \
    } catch (const ExType &e_) {                                                           \
      EXPECT_TRUE(::theon_test::MessageHas(e_.what(), {__VA_ARGS__})) << "from: " #statement; \
    } catch (const std::exception &e_) {                                                   \
      ADD_FAILURE() << "expected " #ExType " from: " #statement << "\n  got "               \
                    << typeid(e_).name() << ": " << e_.what();                             \
    }                                                                                      \
  } while (0)
