//===- PatternUtils.cpp - helpers of the theon-to-linalg patterns ---------===//
#include "passes/Conversion/TheonToLinalg/PatternUtils.h"
#include "dialect/IR/ScalarBodies.h"
#include "dialect/IR/TheonUtils.h"

#include "dialect/IR/TheonDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;

AffineMap theon::broadcastMap(RankedTensorType operandType, RankedTensorType resultType) {
  MLIRContext *ctx = resultType.getContext();
  int64_t offset = resultType.getRank() - operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < operandType.getRank(); ++i)
    exprs.push_back(isStretched(operandType.getShape(), resultType.getShape(), i + offset)
                        ? getAffineConstantExpr(0, ctx)
                        : getAffineDimExpr(i + offset, ctx));
  return AffineMap::get(resultType.getRank(), 0, exprs, ctx);
}

Value theon::emptyLike(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
}

Value theon::buildParallel(OpBuilder &b, Location loc, RankedTensorType resultType,
                           ValueRange inputs, ArrayRef<AffineMap> inputMaps, ElementBuilder body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(), utils::IteratorType::parallel);
  // A dynamic extent of the result is an input's along the same loop.
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < resultType.getRank(); ++d) {
    if (!resultType.isDynamicDim(d))
      continue;
    Value size;
    for (auto [input, map] : llvm::zip(inputs, inputMaps)) {
      auto inputType = dyn_cast<RankedTensorType>(input.getType());
      for (auto [k, expr] : llvm::enumerate(map.getResults()))
        if (inputType && inputType.isDynamicDim(k) && expr == b.getAffineDimExpr(d))
          size = tensor::DimOp::create(b, loc, input, k);
      if (size)
        break;
    }
    assert(size && "a dynamic result extent that no input has");
    dynamicSizes.push_back(size);
  }
  Value init = dynamicSizes.empty()
                   ? emptyLike(b, loc, resultType)
                   : tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                             resultType.getElementType(), dynamicSizes)
                         .getResult();
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, body(nested, nestedLoc, args.drop_back()));
      });
  return generic.getResult(0);
}

Value theon::buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                              ValueRange inputs, ScalarBuilder body) {
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(cast<RankedTensorType>(in.getType()), resultType));
  Type resultElement = resultType.getElementType();
  return buildParallel(b, loc, resultType, inputs, maps,
                       [&](OpBuilder &nested, Location l, ValueRange args) {
                         return body(nested, l, args, resultElement);
                       });
}

Value theon::buildDimShuffle(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> pattern,
                             RankedTensorType resultType, int64_t newAxis) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> inExprs(cast<RankedTensorType>(x.getType()).getRank(),
                                  getAffineConstantExpr(0, ctx));
  for (auto [resultDim, inDim] : llvm::enumerate(pattern))
    if (inDim != newAxis)
      inExprs[inDim] = getAffineDimExpr(resultDim, ctx);
  AffineMap inMap = AffineMap::get(resultType.getRank(), 0, inExprs, ctx);
  return buildParallel(b, loc, resultType, x, inMap,
                       [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

bool theon::replaceIfEmpty(Operation *op, PatternRewriter &rewriter) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (!type.hasStaticShape() || type.getNumElements() != 0)
    return false;
  rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, type.getShape(), type.getElementType());
  return true;
}

Value theon::zeroInit(OpBuilder &b, Location loc, Type t) { return scalarOf(b, loc, t, 0); }
Value theon::oneInit(OpBuilder &b, Location loc, Type t) { return scalarOf(b, loc, t, 1); }

Value theon::extremeConstant(OpBuilder &b, Location loc, Type type, bool lowest) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, type, b.getFloatAttr(type, APFloat::getInf(ft.getFloatSemantics(), lowest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt v = lowest ? APInt::getSignedMinValue(width) : APInt::getSignedMaxValue(width);
  return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
}

RankedTensorType theon::droppedType(RankedTensorType in, ArrayRef<int64_t> axes, Type element) {
  return RankedTensorType::get(reducedShape(in.getShape(), axes, /*keepdims=*/false), element);
}

Value theon::expandKeptDims(OpBuilder &b, Location loc, Value reduced, RankedTensorType keptType) {
  auto reducedType = cast<RankedTensorType>(reduced.getType());
  if (reducedType == keptType)
    return reduced;
  std::optional<SmallVector<ReassociationIndices>> reassociation =
      getReassociationIndicesForReshape(reducedType, keptType);
  assert(reassociation && "unit dims always reassociate");
  return tensor::ExpandShapeOp::create(b, loc, keptType, reduced, *reassociation);
}

Value theon::normalizedIndex(OpBuilder &b, Location loc, Value raw, int64_t size) {
  Value idx = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value n = arith::ConstantIndexOp::create(b, loc, size);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  idx = arith::SelectOp::create(b, loc, negative, arith::AddIOp::create(b, loc, idx, n), idx);
  Value last = arith::ConstantIndexOp::create(b, loc, std::max<int64_t>(size - 1, 0));
  idx = arith::MaxSIOp::create(b, loc, idx, zero);
  return arith::MinSIOp::create(b, loc, idx, last);
}

Value theon::checkedIndex(OpBuilder &b, Location loc, Operation *op, Value raw, int64_t size) {
  auto site = op->getAttrOfType<IntegerAttr>(TheonDialect::kIndexSiteAttrName);
  if (site) {
    Type i64 = b.getI64Type();
    Value value = raw.getType() == i64 ? raw : Value(arith::ExtSIOp::create(b, loc, i64, raw));
    Value n = arith::ConstantIntOp::create(b, loc, size, 64);
    Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, value,
                                        arith::ConstantIntOp::create(b, loc, -size, 64));
    Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, value, n);
    Value bad = arith::OrIOp::create(b, loc, below, above);
    scf::IfOp::create(b, loc, bad, [&](OpBuilder &nb, Location l) {
      Value id = arith::ConstantIntOp::create(nb, l, site.getInt(), 64);
      func::CallOp::create(nb, l, TheonDialect::kIndexErrorFunctionName, TypeRange{}, ValueRange{id, value, n});
      scf::YieldOp::create(nb, l);
    });
  }
  // Clamped either way: memory stays safe whatever the call does next.
  return normalizedIndex(b, loc, raw, size);
}
