//===- Passes.h - Theon passes and pipelines --------------------*- C++ -*-===//
#ifndef THEON_PASSES_PASSES_H
#define THEON_PASSES_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::theon {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

/// theon -> linalg on tensors, fused and canonicalized.
void buildTheonToLinalgPipeline(OpPassManager &pm);
/// linalg on tensors -> loops on memrefs; results become out-params.
void buildLinalgToLoopsPipeline(OpPassManager &pm);
/// loops on memrefs -> the LLVM dialect.
void buildLoopsToLLVMPipeline(OpPassManager &pm);
/// All three: what `--theon-cpu-pipeline` runs.
void buildCpuPipeline(OpPassManager &pm);

/// Registers every Theon pass and the named pipelines with the global registry.
void registerTheonPassesAndPipelines();

} // namespace mlir::theon

#endif // THEON_PASSES_PASSES_H
