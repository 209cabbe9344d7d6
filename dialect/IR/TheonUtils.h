//===- TheonUtils.h - shape and constant helpers for theon ops --*- C++ -*-===//
//
// The helpers every layer needs (verifiers, gradient rules, stabilization,
// autodiff, the linalg conversion): NumPy broadcasting of static shapes,
// which dimensions a broadcast stretched, reductions' kept and dropped
// shapes, and tensor constants. One copy, here.
//
//===----------------------------------------------------------------------===//
#ifndef THEON_DIALECT_IR_THEONUTILS_H
#define THEON_DIALECT_IR_THEONUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <string>

namespace mlir::theon {

/// The ranked tensor type of a theon value.
inline RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// The byte size of a statically shaped tensor (i1 takes a byte), or
/// nullopt when the element count or the byte size overflows int64.
std::optional<int64_t> byteSize(ShapedType type);
/// Fails with a diagnostic on `op` when an operand or result is too large
/// to address (the AddressableTypes trait of every theon op).
LogicalResult verifyAddressableTypes(Operation *op);

/// "(2, 3)", "(4,)", "()": shapes as NumPy prints them, for messages.
std::string shapeString(ArrayRef<int64_t> shape);

/// NumPy broadcasting of two static shapes; fails when they do not broadcast.
LogicalResult broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                              SmallVectorImpl<int64_t> &result);

/// Whether dimension `d` of `result` reads a broadcast (not iterated)
/// dimension of `operand`: one `operand` lacks (it has lower rank) or has as
/// size 1 while `result` does not. Shapes align on the right.
bool isStretched(ArrayRef<int64_t> operand, ArrayRef<int64_t> result, int64_t d);

/// `shape` without the dimensions in `axes` (sorted), or with them as size 1
/// when `keepdims`.
SmallVector<int64_t> reducedShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes,
                                  bool keepdims);

/// A constant tensor of `type` with every element `value`.
Value splatConstant(OpBuilder &b, Location loc, RankedTensorType type, double value);
/// The number of elements of `x` along `axes`, as a scalar of `element`
/// (computed at run time from a dynamic extent).
Value elementCountScalar(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes,
                         FloatType element);
/// The same as a rank-0 tensor: a constant when every extent is static.
Value elementCount(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes,
                   FloatType element);
/// A tensor of `like`'s type filled with `value`: a constant, or a
/// tensor.splat sized by `like`'s dynamic extents.
Value splatLike(OpBuilder &b, Location loc, Value like, double value);
/// A rank-0 constant tensor of element type `element`.
Value scalarConstant(OpBuilder &b, Location loc, Type element, double value);

/// Sums `g` over the dimensions that broadcasting added to or stretched in
/// `target`, so that it has `target`'s type (theon.sum, theon.reshape).
Value unbroadcast(OpBuilder &b, Location loc, Value g, RankedTensorType target);

/// Brings a value reduced over `axes` back to `input`'s shape: size-1
/// dimensions where the axes were, then a broadcast.
Value expandReduced(OpBuilder &b, Location loc, Value reduced, Value input,
                    ArrayRef<int64_t> axes);

} // namespace mlir::theon

#endif // THEON_DIALECT_IR_THEONUTILS_H
