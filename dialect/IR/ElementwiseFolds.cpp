//===- ElementwiseFolds.cpp - constant folding of elementwise ops ---------===//
#include "dialect/IR/ElementwiseFolds.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cmath>

using namespace mlir;

namespace {

std::optional<APFloat> splatFloat(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat() || !isa<FloatType>(dense.getElementType()))
    return std::nullopt;
  return dense.getSplatValue<APFloat>();
}

std::optional<APInt> splatInt(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat() || !isa<IntegerType>(dense.getElementType()))
    return std::nullopt;
  return dense.getSplatValue<APInt>();
}

bool isSplatOf(Attribute attr, double value) {
  if (auto f = splatFloat(attr))
    return f->isExactlyValue(value);
  if (auto i = splatInt(attr))
    return i->getSExtValue() == static_cast<int64_t>(value) &&
           static_cast<double>(static_cast<int64_t>(value)) == value;
  return false;
}

/// Constants above this many elements stay computed at run time: folding
/// would only move the work into the compiler.
constexpr int64_t kMaxFoldedElements = int64_t(1) << 16;

/// A constant operand usable for an elementwise result of type `result`: a
/// splat, or a dense constant of the result's shape (no broadcast to do).
DenseElementsAttr foldableConstant(Attribute attr, ShapedType result) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || (!dense.isSplat() && (dense.getType().getShape() != result.getShape() ||
                                      result.getNumElements() > kMaxFoldedElements)))
    return {};
  return dense;
}

template <class T> T elementAt(DenseElementsAttr dense, int64_t i) {
  return dense.isSplat() ? dense.getSplatValue<T>() : dense.getValues<T>()[i];
}

/// Applies `fn` to every pair of elements: splats stay a splat.
template <class T, class Fn>
OpFoldResult foldElements(ShapedType result, DenseElementsAttr a, DenseElementsAttr b, Fn fn) {
  if (a.isSplat() && b.isSplat()) {
    if (auto r = fn(a.getSplatValue<T>(), b.getSplatValue<T>()))
      return DenseElementsAttr::get(result, *r);
    return {};
  }
  SmallVector<T> values;
  values.reserve(result.getNumElements());
  for (int64_t i = 0, n = result.getNumElements(); i < n; ++i) {
    auto r = fn(elementAt<T>(a, i), elementAt<T>(b, i));
    if (!r)
      return {};
    values.push_back(*r);
  }
  return DenseElementsAttr::get(result, values);
}

/// Applies `fn` to every element of a constant: a splat stays a splat.
template <class T, class Fn> OpFoldResult foldEach(ShapedType result, DenseElementsAttr x, Fn fn) {
  if (x.isSplat()) {
    if (auto r = fn(x.getSplatValue<T>()))
      return DenseElementsAttr::get(result, *r);
    return {};
  }
  SmallVector<T> values;
  for (T v : x.getValues<T>()) {
    auto r = fn(v);
    if (!r)
      return {};
    values.push_back(*r);
  }
  return DenseElementsAttr::get(result, values);
}

} // namespace

OpFoldResult theon::foldUnaryConstant(Operation *op, Attribute operand, FloatElementFn fn,
                                      IntElementFn intFn) {
  auto shaped = cast<ShapedType>(op->getResult(0).getType());
  DenseElementsAttr x = foldableConstant(operand, shaped);
  if (!x)
    return {};
  if (auto floatType = dyn_cast<FloatType>(shaped.getElementType()))
    return foldEach<APFloat>(shaped, x, [&](APFloat v) -> std::optional<APFloat> {
      bool lost;
      v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      APFloat r(fn(v.convertToDouble()));
      r.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      return r;
    });
  if (!intFn)
    return {};
  return foldEach<APInt>(shaped, x, [&](const APInt &v) { return intFn(v); });
}

OpFoldResult theon::foldBinaryConstant(Operation *op, Attribute lhs, Attribute rhs,
                                       std::optional<double> rightIdentity,
                                       std::optional<double> leftIdentity, FloatPairFn floatFn,
                                       IntPairFn intFn) {
  Type resultType = op->getResult(0).getType();
  Value x = op->getOperand(0), y = op->getOperand(1);
  if (rightIdentity && isSplatOf(rhs, *rightIdentity) && x.getType() == resultType)
    return x;
  if (leftIdentity && isSplatOf(lhs, *leftIdentity) && y.getType() == resultType)
    return y;
  auto shaped = cast<ShapedType>(resultType);
  DenseElementsAttr a = foldableConstant(lhs, shaped), b = foldableConstant(rhs, shaped);
  if (!a || !b)
    return {};
  if (isa<FloatType>(shaped.getElementType()))
    return floatFn ? foldElements<APFloat>(shaped, a, b, floatFn) : OpFoldResult();
  return intFn ? foldElements<APInt>(shaped, a, b, intFn) : OpFoldResult();
}

double theon::signOf(double v) { return std::isnan(v) ? v : (v > 0) - (v < 0); }
double theon::sigmoidOf(double v) { return 1 / (1 + std::exp(-v)); }
double theon::softplusOf(double v) {
  return std::max(v, 0.0) + std::log1p(std::exp(-std::fabs(v)));
}
std::optional<APInt> theon::signOfInt(const APInt &v) {
  return APInt(v.getBitWidth(), v.isNegative() ? -1 : v.isZero() ? 0 : 1, /*isSigned=*/true);
}
