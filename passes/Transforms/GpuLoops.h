//===- GpuLoops.h - loops the GPU passes build on buffers -----------------===//
#pragma once

#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::theon {

/// An scf.parallel over the given leading dimensions (bounds and steps of a
/// loop it replaces, say) and then one per `extents`, from 0 by 1. The
/// builder is left before its terminator; the induction variables come
/// back in `ivs` (the op returns them by value).
inline scf::ParallelOp buildParallelLoop(OpBuilder &b, Location loc, ArrayRef<int64_t> extents,
                                         SmallVector<Value> &ivs, SmallVector<Value> lower = {},
                                         SmallVector<Value> upper = {},
                                         SmallVector<Value> steps = {}) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t extent : extents) {
    lower.push_back(zero);
    upper.push_back(arith::ConstantIndexOp::create(b, loc, extent));
    steps.push_back(one);
  }
  auto parallel = scf::ParallelOp::create(b, loc, lower, upper, steps);
  b.setInsertionPoint(parallel.getBody()->getTerminator());
  ivs = parallel.getInductionVars();
  return parallel;
}

/// The indices an operand's indexing map (dimensions only, as linalg's)
/// gives for the loop indices `ivs`, computed with arith ops.
inline SmallVector<Value> applyIndexingMap(OpBuilder &b, Location loc, AffineMap map,
                                           ValueRange ivs) {
  std::optional<SmallVector<Value, 8>> indices = affine::expandAffineMap(b, loc, map, ivs);
  return SmallVector<Value>(indices->begin(), indices->end());
}

} // namespace mlir::theon
