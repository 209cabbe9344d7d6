// Profiling compiled functions, in the spirit of Theano's ProfileStats:
// with THEON_FLAGS=profile=1 (or config().profile = true) every call is
// timed, and a summary is printed at exit.
#pragma once

#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

namespace theon {

/// What one function did while profiling was on (compilations are counted
/// whenever it was on at some call of the function).
struct FunctionProfile {
  std::string name;
  std::uint64_t calls = 0;
  /// Wall time of successful calls of Function::operator() (argument
  /// checks, the compiled code, the updates), compilation not included.
  double call_seconds = 0;
  /// Of that, the time in the compiled code itself.
  double code_seconds = 0;
  /// Specializations compiled (or loaded from the disk cache), their total
  /// time, and how many came from the disk cache.
  std::uint64_t compiles = 0;
  double compile_ms = 0;
  std::uint64_t disk_cache_hits = 0;
};

/// Every function called while profiling was on, in order of first call.
std::vector<FunctionProfile> profile_stats();
/// The table of profile_stats(): per function its calls, total and mean
/// call time, time in compiled code, compilations and their time, disk
/// cache hits. Printed to stderr at exit when profiling is on.
void print_profile(std::ostream &out = std::cerr);
/// Forgets what was recorded so far.
void reset_profile();

} // namespace theon
