//===- TheonOps.h - theon dialect operations --------------------*- C++ -*-===//
#ifndef THEON_DIALECT_THEONOPS_H
#define THEON_DIALECT_THEONOPS_H

#include "dialect/IR/TheonDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialect/Autodiff/GradientOpInterface.h.inc"

#define GET_OP_CLASSES
#include "dialect/IR/TheonOps.h.inc"

namespace mlir::theon {
/// NumPy broadcasting of two static shapes; fails when they do not broadcast.
LogicalResult broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                              SmallVectorImpl<int64_t> &result);
} // namespace mlir::theon

#endif // THEON_DIALECT_THEONOPS_H
