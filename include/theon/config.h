// Process-wide settings, read once from THEON_FLAGS (comma-separated
// key=value pairs, as Theano's) and overridable from code.
#pragma once

#include <string>

#include "theon/dtype.h"

namespace theon {

struct Config {
  /// Default float dtype for T::matrix() etc. and for C++ float literals
  /// (THEON_FLAGS=floatX=float64).
  DType floatX = DType::Float32;
  /// spdlog level name: trace, debug, info, warn, error, off (THEON_FLAGS=log=debug).
  std::string log = "warn";
  /// Compiled code is cached on disk here (THEON_FLAGS=cache_dir=...); the
  /// default is $XDG_CACHE_HOME/theon, else ~/.cache/theon.
  std::string cache_dir;
  /// THEON_FLAGS=cache=0 turns the disk cache off.
  bool cache = true;
  /// Threads OpenBLAS may use for matrix products (THEON_FLAGS=threads=N);
  /// 0 keeps OpenBLAS's own default (its OPENBLAS_NUM_THREADS, else all
  /// cores). OpenBLAS runs small products on one thread either way. Applied
  /// when a function next compiles.
  int threads = 0;
};

/// The settings in force; change fields to override THEON_FLAGS.
Config &config();
/// Applies `log` to Theon's logger after a change from code.
void apply_log_level();

} // namespace theon
