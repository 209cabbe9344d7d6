// Allocation entry points of compiled code (MLIR's generic allocation
// functions), implemented with a per-thread cache of freed blocks.
#pragma once

#include <cstdint>

extern "C" {
/// Null when the system has no memory: the request is recorded for the
/// calling thread (theon_allocation_failed) and compiled code returns
/// before using the buffer (theon-check-allocations).
void *_mlir_memref_to_llvm_alloc(std::uint64_t size);
void _mlir_memref_to_llvm_free(void *ptr);
/// Nonzero when an allocation of compiled code failed on this thread since
/// the last theon::runtime::takeAllocationFailure().
std::int32_t theon_allocation_failed(void);
}

namespace theon::runtime {
/// The size of the first failed allocation on this thread since the last
/// call (0: none), and a fresh start.
std::uint64_t takeAllocationFailure();
} // namespace theon::runtime
