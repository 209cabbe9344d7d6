//===- TheonUtils.cpp - shape and constant helpers for theon ops ----------===//
#include "dialect/IR/TheonUtils.h"
#include "dialect/IR/TheonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Traits.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;

std::string theon::shapeString(ArrayRef<int64_t> shape) {
  std::string s = "(";
  llvm::interleave(
      shape, [&](int64_t d) { s += ShapedType::isDynamic(d) ? "?" : std::to_string(d); },
      [&] { s += ", "; });
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

LogicalResult theon::broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                                     SmallVectorImpl<int64_t> &result) {
  result.clear();
  // A dynamic extent (a scan's number of steps) meets only itself or a 1:
  // a static extent would have to be checked against it at run time.
  for (auto [x, y] : llvm::zip(llvm::reverse(a), llvm::reverse(b)))
    if (ShapedType::isDynamic(x) != ShapedType::isDynamic(y) &&
        (ShapedType::isDynamic(x) ? y : x) != 1)
      return failure();
  return success(OpTrait::util::getBroadcastedShape(a, b, result));
}

std::optional<int64_t> theon::byteSize(ShapedType type) {
  std::optional<int64_t> elements = 1;
  for (int64_t d : type.getShape()) {
    elements = llvm::checkedMul(*elements, d);
    if (!elements)
      return std::nullopt;
  }
  int64_t elementBytes = std::max<int64_t>(1, (type.getElementTypeBitWidth() + 7) / 8);
  return llvm::checkedMul(*elements, elementBytes);
}

LogicalResult theon::verifyAddressableTypes(Operation *op) {
  auto check = [&](Type t, StringRef what, unsigned i) -> LogicalResult {
    auto shaped = dyn_cast<RankedTensorType>(t);
    if (!shaped || !shaped.hasStaticShape() || !shaped.getElementType().isIntOrFloat() ||
        byteSize(shaped))
      return success();
    return op->emitOpError() << what << " #" << i << " has shape " << shapeString(shaped.getShape())
                             << ", whose size in bytes does not fit in 64 bits";
  };
  for (auto [i, t] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(t, "operand", i)))
      return failure();
  for (auto [i, t] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(t, "result", i)))
      return failure();
  return success();
}

bool theon::isStretched(ArrayRef<int64_t> operand, ArrayRef<int64_t> result, int64_t d) {
  int64_t offset = static_cast<int64_t>(result.size()) - static_cast<int64_t>(operand.size());
  return d < offset || (operand[d - offset] == 1 && result[d] != 1);
}

SmallVector<int64_t> theon::reducedShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes,
                                         bool keepdims) {
  SmallVector<int64_t> out;
  for (int64_t d = 0, rank = shape.size(); d < rank; ++d) {
    if (!llvm::is_contained(axes, d))
      out.push_back(shape[d]);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

Value theon::splatConstant(OpBuilder &b, Location loc, RankedTensorType type, double value) {
  Type element = type.getElementType();
  Attribute attr = isa<FloatType>(element)
                       ? Attribute(b.getFloatAttr(element, value))
                       : Attribute(b.getIntegerAttr(element, static_cast<int64_t>(value)));
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, attr));
}

Value theon::splatLike(OpBuilder &b, Location loc, Value like, double value) {
  auto type = cast<RankedTensorType>(like.getType());
  if (type.hasStaticShape())
    return splatConstant(b, loc, type, value);
  Type element = type.getElementType();
  Value scalar = arith::ConstantOp::create(
      b, loc, isa<FloatType>(element)
                  ? TypedAttr(b.getFloatAttr(element, value))
                  : TypedAttr(b.getIntegerAttr(element, static_cast<int64_t>(value))));
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(b, loc, like, d));
  return tensor::SplatOp::create(b, loc, scalar, type, sizes);
}

Value theon::scalarConstant(OpBuilder &b, Location loc, Type element, double value) {
  return splatConstant(b, loc, RankedTensorType::get({}, element), value);
}

Value theon::unbroadcast(OpBuilder &b, Location loc, Value g, RankedTensorType target) {
  RankedTensorType type = typeOf(g);
  if (type.getShape() == target.getShape())
    return g;
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (isStretched(target.getShape(), type.getShape(), d))
      axes.push_back(d);
  Value summed = g;
  if (!axes.empty())
    summed = SumOp::create(
        b, loc,
        RankedTensorType::get(reducedShape(type.getShape(), axes, false), type.getElementType()),
        g, b.getDenseI64ArrayAttr(axes), UnitAttr());
  if (typeOf(summed) != target)
    summed = ReshapeOp::create(b, loc, target, summed);
  return summed;
}

Value theon::expandReduced(OpBuilder &b, Location loc, Value reduced, Value inputValue,
                           ArrayRef<int64_t> axes) {
  RankedTensorType input = typeOf(inputValue);
  Type element = typeOf(reduced).getElementType();
  // Static: the reductions' verifier has every dynamic axis reduced.
  auto kept = RankedTensorType::get(reducedShape(input.getShape(), axes, true), element);
  if (typeOf(reduced) != kept)
    reduced = ReshapeOp::create(b, loc, kept, reduced);
  auto full = RankedTensorType::get(input.getShape(), element);
  if (kept == full)
    return reduced;
  if (full.hasStaticShape())
    return BroadcastToOp::create(b, loc, full, reduced);
  // A runtime extent: broadcast by adding to zeros of the input's extents.
  Value zeros = splatLike(b, loc, inputValue, 0.0);
  if (typeOf(zeros).getElementType() != element)
    zeros = CastOp::create(b, loc, full, zeros);
  return AddOp::create(b, loc, full, reduced, zeros);
}

/// The product of `t`'s static extents along `axes`.
static int64_t staticCount(RankedTensorType t, ArrayRef<int64_t> axes) {
  int64_t count = 1;
  for (int64_t a : axes)
    if (!t.isDynamicDim(a))
      count *= t.getDimSize(a);
  return count;
}

Value theon::elementCountScalar(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes,
                                FloatType element) {
  RankedTensorType t = typeOf(x);
  Value count =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(element, double(staticCount(t, axes))));
  for (int64_t a : axes) {
    if (!t.isDynamicDim(a))
      continue;
    Value n = tensor::DimOp::create(b, loc, x, a);
    Value i = arith::IndexCastOp::create(b, loc, b.getI64Type(), n);
    count = arith::MulFOp::create(b, loc, count, arith::SIToFPOp::create(b, loc, element, i));
  }
  return count;
}

Value theon::elementCount(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes,
                          FloatType element) {
  RankedTensorType t = typeOf(x);
  if (llvm::none_of(axes, [&](int64_t a) { return t.isDynamicDim(a); }))
    return scalarConstant(b, loc, element, double(staticCount(t, axes)));
  return tensor::FromElementsOp::create(b, loc, RankedTensorType::get({}, element),
                                        elementCountScalar(b, loc, x, axes, element));
}
