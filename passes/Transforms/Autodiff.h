//===- Autodiff.h - reverse-mode differentiation of theon IR ----*- C++ -*-===//
//
// The reverse sweep behind theon-autodiff, for code that differentiates
// outside a theon.grad: rules of ops with bodies (through
// GradientContext::differentiateRegion) and tests.
//
//===----------------------------------------------------------------------===//
#ifndef THEON_PASSES_TRANSFORMS_AUTODIFF_H
#define THEON_PASSES_TRANSFORMS_AUTODIFF_H

#include "dialect/Autodiff/GradientOpInterface.h"

namespace mlir::theon {

/// Builds, at `builder`'s insertion point, the gradients of `wrt` from the
/// gradients `outputGrads` of `outputs` (zeros for a `wrt` no gradient
/// reaches). Fails, with a diagnostic, on an op without a rule or an
/// undefined gradient on the way.
FailureOr<SmallVector<Value>> differentiate(OpBuilder &builder, Location loc, ValueRange wrt,
                                            ValueRange outputs, ArrayRef<Value> outputGrads);

/// Clones the body of `region` (one block) at `builder`'s insertion point
/// with its arguments bound to `arguments`, and differentiates what its
/// terminator yields, from `yieldedGrads`, with respect to the arguments.
FailureOr<SmallVector<OperandGradient>> differentiateRegion(OpBuilder &builder, Location loc,
                                                            Region &region, ValueRange arguments,
                                                            ArrayRef<Value> yieldedGrads);

} // namespace mlir::theon

#endif // THEON_PASSES_TRANSFORMS_AUTODIFF_H
