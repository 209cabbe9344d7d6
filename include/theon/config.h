// Process-wide settings, read once from THEON_FLAGS (comma-separated
// key=value pairs, as Theano's) and overridable from code.
#pragma once

#include <string>

#include "theon/dtype.h"
#include "theon/error.h"

namespace theon {

/// A dtype setting that holds only float32 or float64: assigning another
/// dtype throws ValueError there, as THEON_FLAGS=floatX=int32 does.
class FloatDType {
public:
  explicit FloatDType(DType dtype = DType::Float32) { *this = dtype; }
  FloatDType &operator=(DType dtype) {
    if (!is_float(dtype))
      throw ValueError(std::string("floatX must be float32 or float64, got ") +
                       dtype_name(dtype));
    value_ = dtype;
    return *this;
  }
  operator DType() const { return value_; }

private:
  DType value_ = DType::Float32;
};

struct Config {
  /// Default float dtype for T::matrix() etc. and for C++ float literals
  /// (THEON_FLAGS=floatX=float64). Only float32 and float64 are accepted.
  FloatDType floatX{DType::Float32};
  /// spdlog level name: trace, debug, info, warn, error, off (THEON_FLAGS=log=debug).
  std::string log = "warn";
  /// Compiled code is cached on disk here (THEON_FLAGS=cache_dir=...); the
  /// default is $XDG_CACHE_HOME/theon, else ~/.cache/theon.
  std::string cache_dir;
  /// THEON_FLAGS=cache=0 turns the disk cache off.
  bool cache = true;
  /// Threads compiled code may use (THEON_FLAGS=threads=N): OpenBLAS for
  /// matrix products and OpenMP for the loops of large elementwise ops and
  /// reductions. 0 keeps the runtimes' own defaults (OPENBLAS_NUM_THREADS,
  /// OMP_NUM_THREADS, else all cores). Small ops run on one thread either
  /// way. Applied at the next call.
  int threads = 0;
  /// Compiled specializations (shape signatures) one function keeps in
  /// memory (THEON_FLAGS=max_specializations=N); beyond it the least
  /// recently used is dropped and its code freed, to be compiled again (or
  /// loaded from the disk cache) if those shapes come back. 0: no limit.
  int max_specializations = 64;
  /// Most megabytes the disk cache may hold (THEON_FLAGS=cache_max_mb=N);
  /// beyond it the least recently used entries are removed after a store.
  /// 0: no limit.
  int cache_max_mb = 1024;
  /// THEON_FLAGS=profile=1: time every call of every function and print a
  /// summary at exit (see theon/profile.h; print_profile() prints it on
  /// demand).
  bool profile = false;
  /// Where functions run (THEON_FLAGS=device=cuda): "cpu", or "cuda" for
  /// the first NVIDIA GPU (compiled to PTX; see docs/internals.md). A
  /// FunctionOptions::device overrides it per function.
  std::string device = "cpu";
  /// THEON_FLAGS=fallback=cpu: with device=cuda and no usable GPU, run on
  /// the CPU with a warning instead of raising DeviceError.
  std::string fallback;
  /// The GPU architecture to compile for (THEON_FLAGS=gpu_arch=sm_80);
  /// empty: the device's own.
  std::string gpu_arch;
};

/// The settings in force; change fields to override THEON_FLAGS.
Config &config();
/// Applies `log` to Theon's logger after a change from code.
void apply_log_level();

} // namespace theon
