//===- ScalarBodies.h - one element of an elementwise theon op --*- C++ -*-===//
//
// Builders of the scalar computation of elementwise ops, named by the ops'
// ODS declarations (`ArithBody`, `BodyFn`) and reached through
// ScalarBodyOpInterface: the linalg conversion puts them in the body of a
// linalg.generic; other lowerings (the GPU's) can put them anywhere.
//
//===----------------------------------------------------------------------===//
#ifndef THEON_DIALECT_IR_SCALARBODIES_H
#define THEON_DIALECT_IR_SCALARBODIES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"

namespace mlir::theon {

/// `FloatOp` on float operands, `IntOp` on integer ones (void: the op's
/// type constraint admits floats only).
template <typename FloatOp, typename IntOp = void>
Value buildArith(OpBuilder &b, Location loc, ValueRange operands) {
  if (isa<FloatType>(operands[0].getType()))
    return FloatOp::create(b, loc, operands);
  if constexpr (!std::is_void_v<IntOp>)
    return IntOp::create(b, loc, operands);
  llvm_unreachable("the op's verifier admits only floats");
}

/// A scalar constant of `type` (float or integer).
Value scalarOf(OpBuilder &b, Location loc, Type type, double value);

/// Converts one element as theon.cast does: float to integer truncates
/// toward zero, anything to bool is `x != 0`, bool converts unsigned.
Value buildCast(OpBuilder &b, Location loc, Value v, Type to);

Value buildNeg(OpBuilder &b, Location loc, ValueRange operands, Type resultElement);
/// -1, 0 or 1; NaN stays NaN, as NumPy's sign.
Value buildSign(OpBuilder &b, Location loc, ValueRange operands, Type resultElement);
Value buildSigmoid(OpBuilder &b, Location loc, ValueRange operands, Type resultElement);
/// max(x, 0) + log1p(exp(-|x|)): neither overflows nor loses small values.
Value buildSoftplus(OpBuilder &b, Location loc, ValueRange operands, Type resultElement);
/// Python's floor division and modulo (the remainder has the divisor's
/// sign). Integers: division by 0 gives 0, as NumPy, and by -1 negates
/// (wrapping), so that no divide instruction can trap.
Value buildFloorDiv(OpBuilder &b, Location loc, ValueRange operands, Type resultElement);
Value buildMod(OpBuilder &b, Location loc, ValueRange operands, Type resultElement);
/// ~x: all bits flipped (logical not for bool).
Value buildInvert(OpBuilder &b, Location loc, ValueRange operands, Type resultElement);
Value buildSelect(OpBuilder &b, Location loc, ValueRange operands, Type resultElement);
/// Giles' single-precision approximation, refined by two Newton steps on
/// erf (so that f64 is accurate too); float32 computes in float64.
Value buildErfinv(OpBuilder &b, Location loc, ValueRange operands, Type resultElement);
/// erfinv in double on the host (constant folding), by the same method.
double erfinvReference(double x);

/// A comparison: floats by `FPred`, signed integers by `SPred`, booleans
/// unsigned by `UPred` (false < true).
template <arith::CmpFPredicate FPred, arith::CmpIPredicate SPred, arith::CmpIPredicate UPred>
Value buildCompare(OpBuilder &b, Location loc, ValueRange operands, Type) {
  Type t = operands[0].getType();
  if (isa<FloatType>(t))
    return arith::CmpFOp::create(b, loc, FPred, operands[0], operands[1]);
  return arith::CmpIOp::create(b, loc, t.isInteger(1) ? UPred : SPred, operands[0],
                               operands[1]);
}

} // namespace mlir::theon

#endif // THEON_DIALECT_IR_SCALARBODIES_H
