//===- ScalarBodies.cpp - one element of an elementwise theon op ----------===//
#include "dialect/IR/ScalarBodies.h"

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
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, to, v);
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
