// Allocation entry points of compiled code (MLIR's generic allocation
// functions), implemented with a per-thread cache of freed blocks.
#pragma once

#include <cstdint>

extern "C" {
void *_mlir_memref_to_llvm_alloc(std::uint64_t size);
void _mlir_memref_to_llvm_free(void *ptr);
}
