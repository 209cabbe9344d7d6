//===- ElementwiseFolds.h - constant folding of elementwise ops -*- C++ -*-===//
//
// What the folders that ODS generates for elementwise ops (`UnaryFolder`,
// `BinaryFolder` in TheonOps.td) call: element-by-element evaluation of
// constant operands, and identities such as `x + 0`.
//
//===----------------------------------------------------------------------===//
#ifndef THEON_DIALECT_IR_ELEMENTWISEFOLDS_H
#define THEON_DIALECT_IR_ELEMENTWISEFOLDS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"

#include <optional>

namespace mlir::theon {

using FloatElementFn = double (*)(double);
using IntElementFn = std::optional<APInt> (*)(const APInt &);
using FloatPairFn = std::optional<APFloat> (*)(APFloat, APFloat);
using IntPairFn = std::optional<APInt> (*)(APInt, APInt);

/// A unary op of a constant: floats through `fn` in double, rounded to the
/// element type (f32 results are the correctly rounded double result, not
/// the run time's approximation); integers through `intFn` when given.
OpFoldResult foldUnaryConstant(Operation *op, Attribute operand, FloatElementFn fn,
                               IntElementFn intFn);

/// `x op c` -> `x` when c is the right identity and x already has the
/// result's type (no broadcast to do), likewise for a left identity;
/// constant op constant -> constant (splats, or constants of the result's
/// shape). `floatFn`/`intFn` return nullopt when they cannot (e.g. / 0).
OpFoldResult foldBinaryConstant(Operation *op, Attribute lhs, Attribute rhs,
                                std::optional<double> rightIdentity,
                                std::optional<double> leftIdentity, FloatPairFn floatFn,
                                IntPairFn intFn);

// Element functions the folders name.
double signOf(double v);
double sigmoidOf(double v);
double softplusOf(double v);
std::optional<APInt> signOfInt(const APInt &v);

} // namespace mlir::theon

#endif // THEON_DIALECT_IR_ELEMENTWISEFOLDS_H
