//===- ScalarBodies.cpp - one element of an elementwise theon op ----------===//
#include "dialect/IR/ScalarBodies.h"

#include <cmath>

using namespace mlir;

Value theon::scalarOf(OpBuilder &b, Location loc, Type type, double value) {
  if (isa<FloatType>(type))
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
  return arith::ConstantOp::create(b, loc, type,
                                   b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value theon::buildCast(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  bool fromBool = from.isInteger(1);
  if (to.isInteger(1)) {
    // x != 0, as NumPy's astype(bool); NaN is true.
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, scalarOf(b, loc, from, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v, scalarOf(b, loc, from, 0));
  }
  if (fromFloat && toFloat)
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? Value(arith::ExtFOp::create(b, loc, to, v))
               : Value(arith::TruncFOp::create(b, loc, to, v));
  if (fromFloat) {
    // NaN and values out of range give the type's minimum, as NumPy does on
    // x86, rather than LLVM's poison (an index computed from it must not
    // be undefined).
    unsigned width = to.getIntOrFloatBitWidth();
    double bound = std::ldexp(1.0, static_cast<int>(width) - 1);
    Value inRange = arith::AndIOp::create(
        b, loc,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, v, scalarOf(b, loc, from, -bound)),
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, v, scalarOf(b, loc, from, bound)));
    Value minimum = arith::ConstantOp::create(
        b, loc, to, b.getIntegerAttr(to, APInt::getSignedMinValue(width)));
    return arith::SelectOp::create(b, loc, inRange, arith::FPToSIOp::create(b, loc, to, v),
                                   minimum);
  }
  if (toFloat)
    return fromBool ? Value(arith::UIToFPOp::create(b, loc, to, v))
                    : Value(arith::SIToFPOp::create(b, loc, to, v));
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return fromBool ? Value(arith::ExtUIOp::create(b, loc, to, v))
                    : Value(arith::ExtSIOp::create(b, loc, to, v));
  return arith::TruncIOp::create(b, loc, to, v);
}

Value theon::buildNeg(OpBuilder &b, Location loc, ValueRange operands, Type t) {
  if (isa<FloatType>(t))
    return arith::NegFOp::create(b, loc, operands[0]);
  return arith::SubIOp::create(b, loc, scalarOf(b, loc, t, 0), operands[0]);
}

Value theon::buildSign(OpBuilder &b, Location loc, ValueRange operands, Type t) {
  Value x = operands[0];
  Value zero = scalarOf(b, loc, t, 0);
  if (isa<FloatType>(t)) {
    Value pos = arith::UIToFPOp::create(
        b, loc, t, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero));
    Value neg = arith::UIToFPOp::create(
        b, loc, t, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero));
    Value s = arith::SubFOp::create(b, loc, pos, neg);
    Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
    return arith::SelectOp::create(b, loc, isNan, x, s);
  }
  Value pos = arith::ExtUIOp::create(
      b, loc, t, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, zero));
  Value neg = arith::ExtUIOp::create(
      b, loc, t, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero));
  return arith::SubIOp::create(b, loc, pos, neg);
}

Value theon::buildSigmoid(OpBuilder &b, Location loc, ValueRange operands, Type t) {
  Value one = scalarOf(b, loc, t, 1);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, operands[0]));
  return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
}

Value theon::buildSoftplus(OpBuilder &b, Location loc, ValueRange operands, Type t) {
  Value x = operands[0];
  Value relu = arith::MaxNumFOp::create(b, loc, x, scalarOf(b, loc, t, 0));
  Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
  Value tail = math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
  return arith::AddFOp::create(b, loc, relu, tail);
}

Value theon::buildSelect(OpBuilder &b, Location loc, ValueRange operands, Type) {
  return arith::SelectOp::create(b, loc, operands[0], operands[1], operands[2]);
}

namespace {
/// The divisor integer division may use: 1 where y is 0 or -1, whose results
/// the caller selects without dividing (x86's idiv traps on both).
Value safeDivisor(OpBuilder &b, Location loc, Value y, Value isZero, Value isMinusOne) {
  Value one = theon::scalarOf(b, loc, y.getType(), 1);
  return arith::SelectOp::create(b, loc, arith::OrIOp::create(b, loc, isZero, isMinusOne), one, y);
}
} // namespace

Value theon::buildFloorDiv(OpBuilder &b, Location loc, ValueRange operands, Type t) {
  Value x = operands[0], y = operands[1];
  if (isa<FloatType>(t))
    return math::FloorOp::create(b, loc, arith::DivFOp::create(b, loc, x, y));
  Value zero = scalarOf(b, loc, t, 0);
  Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, y, zero);
  Value isMinusOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, y, scalarOf(b, loc, t, -1));
  Value quotient = arith::FloorDivSIOp::create(b, loc, x, safeDivisor(b, loc, y, isZero, isMinusOne));
  Value negated = arith::SubIOp::create(b, loc, zero, x);
  return arith::SelectOp::create(b, loc, isZero, zero,
                                 arith::SelectOp::create(b, loc, isMinusOne, negated, quotient));
}

Value theon::buildMod(OpBuilder &b, Location loc, ValueRange operands, Type t) {
  Value x = operands[0], y = operands[1];
  Value zero = scalarOf(b, loc, t, 0);
  if (isa<FloatType>(t)) {
    // fmod has the dividend's sign; move a nonzero remainder to the
    // divisor's side. y = 0 gives NaN, as NumPy.
    Value r = arith::RemFOp::create(b, loc, x, y);
    Value rNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, r, zero);
    Value yNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, y, zero);
    Value rNonZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, r, zero);
    Value fix = arith::AndIOp::create(
        b, loc, rNonZero, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rNeg, yNeg));
    return arith::SelectOp::create(b, loc, fix, arith::AddFOp::create(b, loc, r, y), r);
  }
  Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, y, zero);
  Value isMinusOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, y, scalarOf(b, loc, t, -1));
  Value r = arith::RemSIOp::create(b, loc, x, safeDivisor(b, loc, y, isZero, isMinusOne));
  Value rNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, zero);
  Value yNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
  Value rNonZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r, zero);
  Value fix = arith::AndIOp::create(
      b, loc, rNonZero, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rNeg, yNeg));
  Value adjusted = arith::SelectOp::create(b, loc, fix, arith::AddIOp::create(b, loc, r, y), r);
  // x mod 0 is 0 (NumPy), and x mod -1 is 0 (the safe divisor gave x mod 1).
  return arith::SelectOp::create(b, loc, arith::OrIOp::create(b, loc, isZero, isMinusOne), zero,
                                 adjusted);
}

Value theon::buildInvert(OpBuilder &b, Location loc, ValueRange operands, Type t) {
  return arith::XOrIOp::create(b, loc, operands[0], scalarOf(b, loc, t, -1));
}
