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

namespace {
// Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011):
// single-precision coefficients for w = -log((1 - x)(1 + x)) below 5 (in
// w - 2.5) and above (in sqrt(w) - 3).
constexpr double kErfinvCentral[] = {2.81022636e-08,  3.43273939e-07, -3.5233877e-06,
                                     -4.39150654e-06, 0.00021858087,  -0.00125372503,
                                     -0.00417768164,  0.246640727,    1.50140941};
constexpr double kErfinvTail[] = {-0.000200214257, 0.000100950558, 0.00134934322,
                                  -0.00367342844,  0.00573950773,  -0.0076224613,
                                  0.00943887047,   1.00167406,     2.83297682};
constexpr double kTwoOverSqrtPi = 1.1283791670955126;
} // namespace

double theon::erfinvReference(double x) {
  if (std::isnan(x) || x < -1 || x > 1)
    return std::nan("");
  if (x == 1 || x == -1)
    return x * INFINITY;
  double w = -std::log((1 - x) * (1 + x));
  const double *c = w < 5 ? kErfinvCentral : kErfinvTail;
  w = w < 5 ? w - 2.5 : std::sqrt(w) - 3;
  double p = c[0];
  for (int i = 1; i < 9; ++i)
    p = c[i] + p * w;
  double y = p * x;
  for (int step = 0; step < 2; ++step)
    y -= (std::erf(y) - x) / (kTwoOverSqrtPi * std::exp(-y * y));
  return y;
}

Value theon::buildErfinv(OpBuilder &b, Location loc, ValueRange operands, Type t) {
  // erfinv is ill-conditioned near +-1 (erf is flat there): float32 computes
  // in float64, so that the result is within a few ulp of the true value.
  if (t.isF32()) {
    Value wide = arith::ExtFOp::create(b, loc, b.getF64Type(), operands[0]);
    return arith::TruncFOp::create(b, loc, t, buildErfinv(b, loc, wide, b.getF64Type()));
  }
  Value x = operands[0];
  auto c = [&](double v) { return scalarOf(b, loc, t, v); };
  Value one = c(1);
  Value w = arith::NegFOp::create(
      b, loc,
      math::LogOp::create(b, loc,
                          arith::MulFOp::create(b, loc, arith::SubFOp::create(b, loc, one, x),
                                                arith::AddFOp::create(b, loc, one, x))));
  auto polynomial = [&](const double *coefficients, Value v) {
    Value p = c(coefficients[0]);
    for (int i = 1; i < 9; ++i)
      p = math::FmaOp::create(b, loc, p, v, c(coefficients[i]));
    return p;
  };
  Value central = polynomial(kErfinvCentral, arith::SubFOp::create(b, loc, w, c(2.5)));
  Value tail = polynomial(kErfinvTail,
                          arith::SubFOp::create(b, loc, math::SqrtOp::create(b, loc, w), c(3)));
  Value isCentral = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, w, c(5));
  Value y = arith::MulFOp::create(b, loc, arith::SelectOp::create(b, loc, isCentral, central, tail), x);
  for (int step = 0; step < 2; ++step) {
    Value residual = arith::SubFOp::create(b, loc, math::ErfOp::create(b, loc, y), x);
    Value slope = arith::MulFOp::create(
        b, loc, c(kTwoOverSqrtPi),
        math::ExpOp::create(b, loc,
                            arith::NegFOp::create(b, loc, arith::MulFOp::create(b, loc, y, y))));
    y = arith::SubFOp::create(b, loc, y, arith::DivFOp::create(b, loc, residual, slope));
  }
  // At +-1 the Newton step is 0 / 0: the limit is +-inf.
  Value edge = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                     math::AbsFOp::create(b, loc, x), one);
  Value infinity = arith::MulFOp::create(b, loc, x, c(INFINITY));
  return arith::SelectOp::create(b, loc, edge, infinity, y);
}
