//===- ActivityAnalysis.h - which values carry gradients --------*- C++ -*-===//
//
// For one differentiation, a value is active when it depends on a `wrt`
// value (varied) and the differentiated outputs depend on it (useful), both
// through float values. Only active values get adjoints; an op is on the
// reverse sweep when one of its results is active. Dependencies are found
// across blocks and through values that ops with regions capture.
//
//===----------------------------------------------------------------------===//
#ifndef THEON_PASSES_TRANSFORMS_ACTIVITYANALYSIS_H
#define THEON_PASSES_TRANSFORMS_ACTIVITYANALYSIS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::theon {

class ActivityAnalysis {
public:
  /// Analyses the computation of `outputs` from `wrt`.
  ActivityAnalysis(ValueRange wrt, ValueRange outputs);

  bool isActive(Value v) const { return active_.contains(v); }
  /// The ops with an active result, operands before users.
  ArrayRef<Operation *> activeOps() const { return activeOps_; }

  /// Whether `v` can carry a gradient (a tensor of floats).
  static bool isDifferentiable(Value v);

private:
  llvm::DenseSet<Value> active_;
  SmallVector<Operation *> activeOps_;
};

/// The ops `outputs` are computed from, operands before users (a post-order
/// over use-def edges, so it also orders ops of different blocks). The
/// values an op's regions use from above count as its operands.
SmallVector<Operation *> backwardSlice(ValueRange outputs);

} // namespace mlir::theon

#endif // THEON_PASSES_TRANSFORMS_ACTIVITYANALYSIS_H
