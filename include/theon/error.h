// Errors Theon reports to its users. Every mistake a user can make through the
// public API ends in one of these, never in an abort.
#pragma once

#include <stdexcept>
#include <string>

namespace theon {

/// Base of every error Theon throws.
class Error : public std::runtime_error {
public:
  explicit Error(const std::string &what) : std::runtime_error(what) {}
};

/// Wrong dtype or ndim: a graph that cannot be typed, or an argument of the
/// wrong type.
class TypeError : public Error {
public:
  using Error::Error;
};

/// A value out of range (an axis, an index) or an argument that makes no
/// sense.
class ValueError : public Error {
public:
  using Error::Error;
};

/// Concrete shapes that do not fit together (broadcasting, dot, reshape, a
/// reduction without identity over an empty axis). A ValueError, as NumPy's
/// shape mismatches are.
class ShapeError : public ValueError {
public:
  using ValueError::ValueError;
};

/// An index out of range, given as an argument or computed by the graph
/// (Theano's IndexError); a ValueError, as other bad values are.
class IndexError : public ValueError {
public:
  using ValueError::ValueError;
};

/// Memory that could not be allocated: an array, a call's output, or a
/// temporary inside compiled code. The message says how many bytes were
/// requested for what; shared variables are left as they were.
class MemoryError : public Error {
public:
  using Error::Error;
};

/// A file could not be read or written, or is not what it should be (a
/// truncated or malformed .npy), as Python's OSError.
class IOError : public Error {
public:
  using Error::Error;
};

/// device=cuda could not be served: no CUDA driver or device, or the driver
/// failed (the message has its error). A device out of memory is a
/// MemoryError instead. Shared variables are left as they were.
class DeviceError : public Error {
public:
  using Error::Error;
};

/// The compiler failed on a graph that passed the front end's checks. This is
/// a Theon bug; the message carries the MLIR diagnostics.
class CompileError : public Error {
public:
  using Error::Error;
};

} // namespace theon
