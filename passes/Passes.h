//===- Passes.h - Theon passes --------------- --------------------*- C++ -*-===//
#ifndef THEON_PASSES_PASSES_H
#define THEON_PASSES_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::theon {

/// Marks a buffer that theon-hoist-loop-buffers moved out of a loop body:
/// theon-pack-buffers leaves it an allocation of its own, so that LLVM
/// knows the loop's accesses to it alias no other buffer.
inline constexpr llvm::StringLiteral kLoopBufferAttr = "theon.loop_buffer";

/// Marks a function that theon-serial-small-functions found too small for
/// threads: no parallel loops, and its products on one BLAS thread.
inline constexpr llvm::StringLiteral kSerialAttr = "theon.serial";

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

/// registerTheonPasses(): every Theon pass, with the global registry.
#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace mlir::theon

#endif // THEON_PASSES_PASSES_H
