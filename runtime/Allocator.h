// Allocation entry points of compiled code (MLIR's generic allocation
// functions), implemented with a per-thread cache of freed blocks.
#pragma once

#include <cstdint>

extern "C" {
/// Null when the system has no memory: the request is recorded for the
/// calling thread (theon_call_failed) and compiled code returns before using
/// the buffer (theon-return-on-failure).
void *_mlir_memref_to_llvm_alloc(std::uint64_t size);
void _mlir_memref_to_llvm_free(void *ptr);
/// Records an index out of range found by compiled code: `value` for an
/// axis of `size` at the front end's index site `site`.
void theon_index_error(std::int64_t site, std::int64_t value, std::int64_t size);
/// Nonzero when compiled code on this thread recorded a failure since the
/// last theon::runtime::takeCallFailure().
std::int32_t theon_call_failed(void);
}

namespace theon::runtime {
/// The first failure compiled code recorded on a thread.
struct CallFailure {
  enum class Kind { None, Allocation, Index } kind = Kind::None;
  std::uint64_t bytes = 0; // Allocation: the request
  std::int64_t site = 0, value = 0, size = 0; // Index
};
/// The failure recorded on this thread since the last call, and a fresh start.
CallFailure takeCallFailure();
} // namespace theon::runtime
