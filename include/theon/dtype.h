// Element types, named as in NumPy and Theano.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace theon {

enum class DType : std::uint8_t { Bool, Int8, Int16, Int32, Int64, Float32, Float64 };

/// "bool", "int8", ..., "float64".
const char *dtype_name(DType dtype);
/// Parses a NumPy dtype name; throws ValueError for anything else.
DType dtype_from_name(const std::string &name);
/// Bytes per element (bool is one byte).
std::size_t dtype_size(DType dtype);
bool is_float(DType dtype);
bool is_integer(DType dtype); // int8..int64, not bool

/// NumPy's promote_types: the smallest dtype both convert to safely.
DType promote_types(DType a, DType b);
/// NumPy's can_cast(from, to, casting="safe").
bool can_cast_safely(DType from, DType to);
/// Theano's upgrade_to_float: bool/int8/int16 -> float32, int32/int64 -> float64.
DType upgrade_to_float(DType dtype);

/// The DType of a C++ element type.
template <class T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<bool>() { return DType::Bool; }
template <> constexpr DType dtype_of<std::int8_t>() { return DType::Int8; }
template <> constexpr DType dtype_of<std::int16_t>() { return DType::Int16; }
template <> constexpr DType dtype_of<std::int32_t>() { return DType::Int32; }
template <> constexpr DType dtype_of<std::int64_t>() { return DType::Int64; }
template <> constexpr DType dtype_of<float>() { return DType::Float32; }
template <> constexpr DType dtype_of<double>() { return DType::Float64; }

} // namespace theon
