#include "theon/dtype.h"

#include "theon/error.h"

namespace theon {

const char *dtype_name(DType dtype) {
  switch (dtype) {
  case DType::Bool: return "bool";
  case DType::Int8: return "int8";
  case DType::Int16: return "int16";
  case DType::Int32: return "int32";
  case DType::Int64: return "int64";
  case DType::Float32: return "float32";
  case DType::Float64: return "float64";
  }
  return "?";
}

DType dtype_from_name(const std::string &name) {
  for (DType d : {DType::Bool, DType::Int8, DType::Int16, DType::Int32, DType::Int64,
                  DType::Float32, DType::Float64})
    if (name == dtype_name(d))
      return d;
  throw ValueError("unknown dtype '" + name +
                   "' (expected bool, int8, int16, int32, int64, float32 or float64)");
}

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
  case DType::Bool:
  case DType::Int8: return 1;
  case DType::Int16: return 2;
  case DType::Int32:
  case DType::Float32: return 4;
  case DType::Int64:
  case DType::Float64: return 8;
  }
  return 0;
}

bool is_float(DType d) { return d == DType::Float32 || d == DType::Float64; }
bool is_integer(DType d) {
  return d == DType::Int8 || d == DType::Int16 || d == DType::Int32 || d == DType::Int64;
}

bool can_cast_safely(DType from, DType to) {
  if (from == to || from == DType::Bool)
    return true;
  if (is_integer(from) && is_integer(to))
    return dtype_size(from) <= dtype_size(to);
  if (is_integer(from) && is_float(to)) // int8/int16 fit float32; wider ints need float64
    return to == DType::Float64 || dtype_size(from) <= 2;
  if (is_float(from) && is_float(to))
    return dtype_size(from) <= dtype_size(to);
  return false;
}

DType promote_types(DType a, DType b) {
  if (can_cast_safely(a, b))
    return b;
  if (can_cast_safely(b, a))
    return a;
  // An int that does not fit the other (float) type: NumPy goes to float64.
  return DType::Float64;
}

DType upgrade_to_float(DType d) {
  if (is_float(d))
    return d;
  return (d == DType::Int32 || d == DType::Int64) ? DType::Float64 : DType::Float32;
}

} // namespace theon
