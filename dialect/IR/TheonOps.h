//===- TheonOps.h - theon dialect operations --------------------*- C++ -*-===//
#ifndef THEON_DIALECT_THEONOPS_H
#define THEON_DIALECT_THEONOPS_H

#include "dialect/IR/TheonDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialect/Autodiff/GradientOpInterface.h"
#include "dialect/IR/TheonUtils.h"

#include "dialect/IR/TheonInterfaces.h.inc"
#include "dialect/IR/TheonEnums.h.inc"

namespace mlir::OpTrait::theon {
/// Every operand and result of the op has a byte size that fits in 64 bits.
template <typename ConcreteType>
class AddressableTypes : public TraitBase<ConcreteType, AddressableTypes> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return ::mlir::theon::verifyAddressableTypes(op);
  }
};
} // namespace mlir::OpTrait::theon

#define GET_OP_CLASSES
#include "dialect/IR/TheonOps.h.inc"

namespace mlir::theon {
/// The shape rule of broadcasting ops: NumPy broadcasting of `operands`,
/// whose element types must agree; `resultElement`, when set, replaces the
/// element type of the result (comparisons).
LogicalResult inferBroadcastType(std::optional<Location> loc, ValueRange operands,
                                 Type resultElement, SmallVectorImpl<Type> &inferred);
/// The shape rule of reductions over `axes` (sorted, unique, in range); a
/// reduction without identity (`hasIdentity` false: max, argmax) rejects an
/// empty axis. The result's element type is the input's unless given.
LogicalResult inferReductionType(std::optional<Location> loc, Type input,
                                 ArrayRef<int64_t> axes, bool keepdims, StringRef mnemonic,
                                 bool hasIdentity, std::optional<Type> resultElement,
                                 SmallVectorImpl<Type> &inferred);
} // namespace mlir::theon

#endif // THEON_DIALECT_THEONOPS_H
