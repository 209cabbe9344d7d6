//===- ConvertTheonToLinalg.cpp - theon to linalg on tensors --------------===//
#include "dialect/IR/TheonOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

namespace mlir::theon {
#define GEN_PASS_DEF_CONVERTTHEONTOLINALG
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using namespace mlir::theon;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

using ScalarBuilder =
    function_ref<Value(OpBuilder &, Location, ValueRange, Type)>;

/// Map from the result's iteration space to `operandType`, NumPy-style:
/// right-aligned, and size-1 dimensions read index 0.
AffineMap broadcastMap(RankedTensorType operandType,
                       RankedTensorType resultType) {
  MLIRContext *ctx = resultType.getContext();
  int64_t offset = resultType.getRank() - operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < operandType.getRank(); ++i) {
    bool stretched = operandType.getDimSize(i) == 1 &&
                     resultType.getDimSize(i + offset) != 1;
    exprs.push_back(stretched ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(i + offset, ctx));
  }
  return AffineMap::get(resultType.getRank(), 0, exprs, ctx);
}

Value emptyLike(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

/// Builds one result element from the input elements (the output's own
/// element is not passed).
using ElementBuilder = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// One all-parallel linalg.generic over `resultType` into a fresh tensor,
/// reading `inputs` through `inputMaps` (from the result's iteration space).
Value buildParallel(OpBuilder &b, Location loc, RankedTensorType resultType,
                    ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                    ElementBuilder body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, ValueRange{emptyLike(b, loc, resultType)},
      maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args.drop_back()));
      });
  return generic.getResult(0);
}

/// buildParallel reading each of `inputs` through its NumPy broadcasting map.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ScalarBuilder body) {
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(
        broadcastMap(cast<RankedTensorType>(in.getType()), resultType));
  Type resultElement = resultType.getElementType();
  return buildParallel(b, loc, resultType, inputs, maps,
                       [&](OpBuilder &nested, Location l, ValueRange args) {
                         return body(nested, l, args, resultElement);
                       });
}

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

Value intConstant(OpBuilder &b, Location loc, Type type, int64_t value) {
  return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, value));
}

Value zeroInit(OpBuilder &b, Location loc, Type t) {
  return isa<FloatType>(t) ? floatConstant(b, loc, t, 0) : intConstant(b, loc, t, 0);
}
Value oneInit(OpBuilder &b, Location loc, Type t) {
  return isa<FloatType>(t) ? floatConstant(b, loc, t, 1) : intConstant(b, loc, t, 1);
}

/// The identity of max (lowest) or min (highest) for `type`.
Value extremeConstant(OpBuilder &b, Location loc, Type type, bool lowest) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, type,
        b.getFloatAttr(type, APFloat::getInf(ft.getFloatSemantics(), lowest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt v = lowest ? APInt::getSignedMinValue(width)
                   : APInt::getSignedMaxValue(width);
  return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
}

Value scalarCast(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  bool fromBool = from.isInteger(1);
  if (to.isInteger(1)) {
    // x != 0, as NumPy's astype(bool); NaN is true.
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                   floatConstant(b, loc, from, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                 intConstant(b, loc, from, 0));
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

//===----------------------------------------------------------------------===//
// Scalar bodies of elementwise ops.
//===----------------------------------------------------------------------===//

template <typename FloatOp, typename IntOp = void>
Value arithBody(OpBuilder &b, Location loc, ValueRange args, Type) {
  if (isa<FloatType>(args[0].getType()))
    return FloatOp::create(b, loc, args);
  if constexpr (!std::is_void_v<IntOp>)
    return IntOp::create(b, loc, args);
  llvm_unreachable("verifier admits only floats");
}

Value negBody(OpBuilder &b, Location loc, ValueRange args, Type t) {
  if (isa<FloatType>(t))
    return arith::NegFOp::create(b, loc, args[0]);
  return arith::SubIOp::create(b, loc, intConstant(b, loc, t, 0), args[0]);
}

Value signBody(OpBuilder &b, Location loc, ValueRange args, Type t) {
  Value x = args[0];
  if (isa<FloatType>(t)) {
    Value zero = floatConstant(b, loc, t, 0);
    Value pos = arith::UIToFPOp::create(
        b, loc, t,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero));
    Value neg = arith::UIToFPOp::create(
        b, loc, t,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero));
    Value s = arith::SubFOp::create(b, loc, pos, neg);
    // NaN stays NaN, as NumPy's sign.
    Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
    return arith::SelectOp::create(b, loc, isNan, x, s);
  }
  Value zero = intConstant(b, loc, t, 0);
  Value pos = arith::ExtUIOp::create(
      b, loc, t, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, zero));
  Value neg = arith::ExtUIOp::create(
      b, loc, t, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero));
  return arith::SubIOp::create(b, loc, pos, neg);
}

Value sigmoidBody(OpBuilder &b, Location loc, ValueRange args, Type t) {
  Value one = floatConstant(b, loc, t, 1);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, args[0]));
  return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
}

Value softplusBody(OpBuilder &b, Location loc, ValueRange args, Type t) {
  // max(x, 0) + log1p(exp(-|x|)) neither overflows nor loses small values.
  Value x = args[0];
  Value relu = arith::MaxNumFOp::create(b, loc, x, floatConstant(b, loc, t, 0));
  Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
  Value tail = math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
  return arith::AddFOp::create(b, loc, relu, tail);
}

template <arith::CmpFPredicate FPred, arith::CmpIPredicate SPred,
          arith::CmpIPredicate UPred>
Value compareBody(OpBuilder &b, Location loc, ValueRange args, Type) {
  Type t = args[0].getType();
  if (isa<FloatType>(t))
    return arith::CmpFOp::create(b, loc, FPred, args[0], args[1]);
  // Booleans compare unsigned: false < true.
  return arith::CmpIOp::create(b, loc, t.isInteger(1) ? UPred : SPred, args[0],
                               args[1]);
}

Value selectBody(OpBuilder &b, Location loc, ValueRange args, Type) {
  return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
}

Value castBody(OpBuilder &b, Location loc, ValueRange args, Type t) {
  return scalarCast(b, loc, args[0], t);
}

Value copyBody(OpBuilder &, Location, ValueRange args, Type) { return args[0]; }

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// Any elementwise theon op: one linalg.generic with broadcasting maps.
template <typename OpTy>
struct ElementwiseLowering : OpRewritePattern<OpTy> {
  ElementwiseLowering(MLIRContext *ctx, ScalarBuilder body)
      : OpRewritePattern<OpTy>(ctx), body(body) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(), resultType,
                                            op->getOperands(), body));
    return success();
  }

  ScalarBuilder body;
};

struct DotLowering : OpRewritePattern<DotOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DotOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    Value zero = zeroInit(rewriter, loc, element);
    Value init = linalg::FillOp::create(rewriter, loc, zero,
                                        emptyLike(rewriter, loc, resultType))
                     .getResult(0);
    ValueRange ins = op->getOperands();
    int64_t lhsRank = cast<RankedTensorType>(op.getLhs().getType()).getRank();
    int64_t rhsRank = cast<RankedTensorType>(op.getRhs().getType()).getRank();
    Operation *contraction;
    if (lhsRank == 2 && rhsRank == 2)
      contraction = linalg::MatmulOp::create(rewriter, loc, ins, init);
    else if (lhsRank == 2)
      contraction = linalg::MatvecOp::create(rewriter, loc, ins, init);
    else if (rhsRank == 2)
      contraction = linalg::VecmatOp::create(rewriter, loc, ins, init);
    else
      contraction = linalg::DotOp::create(rewriter, loc, ins, init);
    rewriter.replaceOp(op, contraction->getResults());
    return success();
  }
};

/// Re-inserts reduced dimensions as size 1 for `keepdims`.
Value expandKeptDims(OpBuilder &b, Location loc, Value reduced,
                     RankedTensorType keptType) {
  auto reducedType = cast<RankedTensorType>(reduced.getType());
  if (reducedType == keptType)
    return reduced;
  std::optional<SmallVector<ReassociationIndices>> reassociation =
      getReassociationIndicesForReshape(reducedType, keptType);
  assert(reassociation && "unit dims always reassociate");
  return tensor::ExpandShapeOp::create(b, loc, keptType, reduced,
                                       *reassociation);
}

/// The shape without the reduced axes.
RankedTensorType droppedType(RankedTensorType in, ArrayRef<int64_t> axes,
                             Type element) {
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (!llvm::is_contained(axes, d))
      shape.push_back(in.getDimSize(d));
  return RankedTensorType::get(shape, element);
}

/// A reduction generic: identity map for the input, the kept dims for the
/// output, and `combine(element, accumulator)` as the body.
template <typename OpTy>
struct ReductionLowering : OpRewritePattern<OpTy> {
  using CombineFn = function_ref<Value(OpBuilder &, Location, Value, Value)>;
  using InitFn = function_ref<Value(OpBuilder &, Location, Type)>;

  ReductionLowering(MLIRContext *ctx, InitFn init, CombineFn combine)
      : OpRewritePattern<OpTy>(ctx), init(init), combine(combine) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    ArrayRef<int64_t> axes = op.getAxes();
    Type element = inType.getElementType();
    RankedTensorType outType = droppedType(inType, axes, element);

    Value identity = init(rewriter, loc, element);
    Value acc = linalg::FillOp::create(rewriter, loc, identity,
                                       emptyLike(rewriter, loc, outType))
                    .getResult(0);
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < inType.getRank(); ++d) {
      bool reduced = llvm::is_contained(axes, d);
      iterators.push_back(reduced ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
      if (!reduced)
        outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(inType.getRank()),
        AffineMap::get(inType.getRank(), 0, outExprs, ctx)};
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, outType, op.getInput(), acc, maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(b, l, combine(b, l, args[0], args[1]));
            })
            .getResult(0);
    if constexpr (std::is_same_v<OpTy, MeanOp>) {
      int64_t count = 1;
      for (int64_t axis : axes)
        count *= inType.getDimSize(axis);
      Value n = floatConstant(rewriter, loc, element, (double)count);
      result = buildElementwise(
          rewriter, loc, outType, result,
          [&](OpBuilder &b, Location l, ValueRange args, Type) -> Value {
            return arith::DivFOp::create(b, l, args[0], n);
          });
    }
    rewriter.replaceOp(op, expandKeptDims(rewriter, loc, result,
                                          cast<RankedTensorType>(op.getType())));
    return success();
  }

  InitFn init;
  CombineFn combine;
};

Value lowestInit(OpBuilder &b, Location loc, Type t) {
  return extremeConstant(b, loc, t, /*lowest=*/true);
}
Value highestInit(OpBuilder &b, Location loc, Type t) {
  return extremeConstant(b, loc, t, /*lowest=*/false);
}

/// The float combiner may reassociate (fastmath<reassoc>): LLVM then keeps
/// several partial results in vector lanes, so a reduction along the
/// innermost dimension (a row's softmax sum or max) vectorizes. NumPy's
/// pairwise summation reorders sums as well; max and min are exact in any
/// order.
template <typename FloatOp, typename IntOp>
Value combineWith(OpBuilder &b, Location loc, Value x, Value acc) {
  if (isa<FloatType>(x.getType()))
    return FloatOp::create(b, loc, x, acc, arith::FastMathFlags::reassoc);
  return IntOp::create(b, loc, x, acc);
}

/// argmax/argmin: a reduction generic with two accumulators, the extreme value
/// so far and its index. The first extreme wins; NaN counts as the extreme.
template <typename OpTy, bool IsMax>
struct ArgReductionLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    int64_t axis = op.getAxis();
    Type element = inType.getElementType();
    Type i64 = rewriter.getI64Type();
    RankedTensorType valueType = droppedType(inType, axis, element);
    RankedTensorType indexType = droppedType(inType, axis, i64);

    Value valueInit =
        linalg::FillOp::create(rewriter, loc,
                               extremeConstant(rewriter, loc, element, IsMax),
                               emptyLike(rewriter, loc, valueType))
            .getResult(0);
    Value indexInit =
        linalg::FillOp::create(rewriter, loc, intConstant(rewriter, loc, i64, 0),
                               emptyLike(rewriter, loc, indexType))
            .getResult(0);
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < inType.getRank(); ++d) {
      iterators.push_back(d == axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      if (d != axis)
        outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    AffineMap outMap = AffineMap::get(inType.getRank(), 0, outExprs, ctx);
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(inType.getRank()), outMap, outMap};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType}, op.getInput(),
        ValueRange{valueInit, indexInit}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value better;
          if (isa<FloatType>(element)) {
            better = arith::CmpFOp::create(
                b, l, IsMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
                x, best);
            Value xNan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
            Value bestNum =
                arith::CmpFOp::create(b, l, arith::CmpFPredicate::ORD, best, best);
            better = arith::OrIOp::create(
                b, l, better, arith::AndIOp::create(b, l, xNan, bestNum));
          } else {
            better = arith::CmpIOp::create(
                b, l, IsMax ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt,
                x, best);
          }
          Value index = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, x, best),
                         arith::SelectOp::create(b, l, better, index, bestIndex)});
        });
    rewriter.replaceOp(op, expandKeptDims(rewriter, loc, generic.getResult(1),
                                          cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// reshape: collapse to 1-D, then expand to the target shape.
struct ReshapeLowering : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getX().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    auto allDims = [](int64_t rank) {
      SmallVector<ReassociationIndices> r;
      if (rank == 0)
        return r;
      r.emplace_back(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
      return r;
    };
    Value flat = op.getX();
    auto flatType =
        RankedTensorType::get({inType.getNumElements()}, inType.getElementType());
    if (inType.getRank() != 1)
      flat = inType.getRank() == 0
                 ? Value(tensor::ExpandShapeOp::create(rewriter, loc, flatType,
                                                       flat, allDims(0)))
                 : Value(tensor::CollapseShapeOp::create(rewriter, loc, flat,
                                                         allDims(inType.getRank())));
    Value result = flat;
    if (outType.getRank() == 0)
      result = tensor::CollapseShapeOp::create(rewriter, loc, outType, flat,
                                               allDims(0));
    else if (outType.getRank() != 1)
      result = tensor::ExpandShapeOp::create(rewriter, loc, outType, flat,
                                             allDims(outType.getRank()));
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// dimshuffle: a copy whose input map reads the permuted dimensions and index 0
/// of the dropped ones.
struct DimShuffleLowering : OpRewritePattern<DimShuffleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DimShuffleOp op,
                                PatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getX().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> inExprs(inType.getRank(),
                                    getAffineConstantExpr(0, ctx));
    for (auto [resultDim, inDim] : llvm::enumerate(op.getPattern()))
      if (inDim != DimShuffleOp::kNewAxis)
        inExprs[inDim] = getAffineDimExpr(resultDim, ctx);
    AffineMap inMap = AffineMap::get(outType.getRank(), 0, inExprs, ctx);
    rewriter.replaceOp(op, buildParallel(rewriter, op.getLoc(), outType, op.getX(), inMap,
                                         [](OpBuilder &, Location, ValueRange args) {
                                           return args[0];
                                         }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

/// An index element as `index`: negative counts from the end, and anything
/// still out of [0, size) is clamped so that memory stays safe (the front end
/// reports bad index arguments before the call).
Value normalizedIndex(OpBuilder &b, Location loc, Value raw, int64_t size) {
  Value idx = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value n = arith::ConstantIndexOp::create(b, loc, size);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  idx = arith::SelectOp::create(b, loc, negative,
                                arith::AddIOp::create(b, loc, idx, n), idx);
  Value last = arith::ConstantIndexOp::create(b, loc, std::max<int64_t>(size - 1, 0));
  idx = arith::MaxSIOp::create(b, loc, idx, zero);
  return arith::MinSIOp::create(b, loc, idx, last);
}

/// take: a parallel generic over the result that reads the index vector and
/// gathers from x with tensor.extract.
struct TakeLowering : OpRewritePattern<TakeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TakeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t rank = outType.getRank();
    AffineMap perRow = AffineMap::get(rank, 0, rewriter.getAffineDimExpr(0));
    Value x = op.getX();
    rewriter.replaceOp(
        op, buildParallel(rewriter, loc, outType, op.getIndices(), perRow,
                          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                            SmallVector<Value> at{
                                normalizedIndex(b, l, args[0], xType.getDimSize(0))};
                            for (int64_t d = 1; d < rank; ++d)
                              at.push_back(linalg::IndexOp::create(b, l, d));
                            return tensor::ExtractOp::create(b, l, x, at);
                          }));
    return success();
  }
};

/// scatter_add: a sequential loop over the updates (indices may repeat), each
/// iteration adding one row slice into the accumulator.
struct ScatterAddLowering : OpRewritePattern<ScatterAddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScatterAddOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto baseType = cast<RankedTensorType>(op.getBase().getType());
    auto updType = cast<RankedTensorType>(op.getUpdates().getType());
    int64_t rank = baseType.getRank();
    Type element = baseType.getElementType();
    SmallVector<int64_t> rowShape{1};
    llvm::append_range(rowShape, baseType.getShape().drop_front());
    auto rowType = RankedTensorType::get(rowShape, element);
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value ub = arith::ConstantIndexOp::create(rewriter, loc, updType.getDimSize(0));
    Value step = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value indices = op.getIndices(), updates = op.getUpdates();
    auto loop = scf::ForOp::create(
        rewriter, loc, lb, ub, step, ValueRange{op.getBase()},
        [&](OpBuilder &b, Location l, Value i, ValueRange iterArgs) {
          Value acc = iterArgs[0];
          Value raw = tensor::ExtractOp::create(b, l, indices, ValueRange{i});
          Value row = normalizedIndex(b, l, raw, baseType.getDimSize(0));
          SmallVector<OpFoldResult> sizes{b.getIndexAttr(1)}, strides(rank, b.getIndexAttr(1));
          for (int64_t d = 1; d < rank; ++d)
            sizes.push_back(b.getIndexAttr(baseType.getDimSize(d)));
          SmallVector<OpFoldResult> accOffsets(rank, b.getIndexAttr(0)), updOffsets = accOffsets;
          accOffsets[0] = row;
          updOffsets[0] = i;
          Value current = tensor::ExtractSliceOp::create(b, l, rowType, acc, accOffsets, sizes, strides);
          Value update = tensor::ExtractSliceOp::create(b, l, rowType, updates, updOffsets, sizes, strides);
          Value sum = buildElementwise(b, l, rowType, ValueRange{current, update},
                                       arithBody<arith::AddFOp, arith::AddIOp>);
          Value next = tensor::InsertSliceOp::create(b, l, sum, acc, accOffsets, sizes, strides);
          scf::YieldOp::create(b, l, next);
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

/// log_softmax: decomposed into theon ops (max, sub, exp, sum, log, sub with
/// keepdims reductions), which the other patterns lower and fusion merges.
struct LogSoftmaxLowering : OpRewritePattern<LogSoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LogSoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> keptShape(type.getShape());
    int64_t axis = static_cast<int64_t>(op.getAxis());
    keptShape[axis] = 1;
    auto kept = RankedTensorType::get(keptShape, type.getElementType());
    auto axes = rewriter.getDenseI64ArrayAttr({axis});
    Value max = MaxOp::create(rewriter, loc, kept, op.getX(), axes, rewriter.getUnitAttr());
    Value shifted = SubOp::create(rewriter, loc, type, op.getX(), max);
    Value exp = ExpOp::create(rewriter, loc, shifted);
    Value sum = SumOp::create(rewriter, loc, kept, exp, axes, rewriter.getUnitAttr());
    Value logSum = LogOp::create(rewriter, loc, sum);
    rewriter.replaceOpWithNewOp<SubOp>(op, type, shifted, logSum);
    return success();
  }
};

/// take_per_row: result[i] = x[i, idx[i]], reading idx through the generic.
struct TakePerRowLowering : OpRewritePattern<TakePerRowOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TakePerRowOp op,
                                PatternRewriter &rewriter) const override {
    int64_t columns = cast<RankedTensorType>(op.getX().getType()).getDimSize(1);
    Value x = op.getX();
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
                          op.getIndices(), rewriter.getMultiDimIdentityMap(1),
                          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                            Value i = linalg::IndexOp::create(b, l, 0);
                            Value j = normalizedIndex(b, l, args[0], columns);
                            return tensor::ExtractOp::create(b, l, x, ValueRange{i, j});
                          }));
    return success();
  }
};

/// put_per_row: result[i, j] = j == idx[i] ? values[i] : 0.
struct PutPerRowLowering : OpRewritePattern<PutPerRowOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PutPerRowOp op,
                                PatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    AffineMap perRow = AffineMap::get(2, 0, rewriter.getAffineDimExpr(0));
    AffineMap maps[] = {perRow, perRow};
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), outType,
                          ValueRange{op.getValues(), op.getIndices()}, maps,
                          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                            Value j = linalg::IndexOp::create(b, l, 1);
                            Value target = normalizedIndex(b, l, args[1], outType.getDimSize(1));
                            Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, j, target);
                            return arith::SelectOp::create(
                                b, l, hit, args[0], zeroInit(b, l, outType.getElementType()));
                          }));
    return success();
  }
};

/// extract_diag: result[i] = x[i, i].
struct ExtractDiagLowering : OpRewritePattern<ExtractDiagOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ExtractDiagOp op,
                                PatternRewriter &rewriter) const override {
    Value x = op.getX();
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
                          ValueRange{}, {},
                          [&](OpBuilder &b, Location l, ValueRange) -> Value {
                            Value i = linalg::IndexOp::create(b, l, 0);
                            return tensor::ExtractOp::create(b, l, x, ValueRange{i, i});
                          }));
    return success();
  }
};

/// alloc_diag: result[i, j] = i == j ? v[i] : 0.
struct AllocDiagLowering : OpRewritePattern<AllocDiagOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AllocDiagOp op,
                                PatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Value v = op.getV();
    int64_t length = cast<RankedTensorType>(v.getType()).getDimSize(0);
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), outType, ValueRange{}, {},
                          [&](OpBuilder &b, Location l, ValueRange) -> Value {
                            Value i = linalg::IndexOp::create(b, l, 0);
                            Value j = linalg::IndexOp::create(b, l, 1);
                            Value onDiagonal =
                                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i, j);
                            // Off the diagonal i may exceed v's length: read a safe index.
                            Value last = arith::ConstantIndexOp::create(
                                b, l, std::max<int64_t>(length - 1, 0));
                            Value safe = arith::MinSIOp::create(b, l, i, last);
                            Value d = tensor::ExtractOp::create(b, l, v, ValueRange{safe});
                            return arith::SelectOp::create(
                                b, l, onDiagonal, d, zeroInit(b, l, outType.getElementType()));
                          }));
    return success();
  }
};

struct ConvertTheonToLinalgPass
    : theon::impl::ConvertTheonToLinalgBase<ConvertTheonToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    populatePatterns(patterns);
    ConversionTarget target(*ctx);
    target.addIllegalDialect<TheonDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect, func::FuncDialect>();
    // theon.grad has no lowering: theon-autodiff must expand it first.
    WalkResult unexpanded = getOperation()->walk([](GradOp op) {
      op.emitOpError("must be expanded by theon-autodiff before "
                     "convert-theon-to-linalg");
      return WalkResult::interrupt();
    });
    if (unexpanded.wasInterrupted())
      return signalPassFailure();
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }

  template <typename OpTy>
  static void addElementwise(RewritePatternSet &p, ScalarBuilder body) {
    p.add<ElementwiseLowering<OpTy>>(p.getContext(), body);
  }

  static void populatePatterns(RewritePatternSet &p) {
    MLIRContext *ctx = p.getContext();
    addElementwise<NegOp>(p, negBody);
    addElementwise<AbsOp>(p, arithBody<math::AbsFOp, math::AbsIOp>);
    addElementwise<SignOp>(p, signBody);
    addElementwise<ExpOp>(p, arithBody<math::ExpOp>);
    addElementwise<LogOp>(p, arithBody<math::LogOp>);
    addElementwise<Log1pOp>(p, arithBody<math::Log1pOp>);
    addElementwise<SqrtOp>(p, arithBody<math::SqrtOp>);
    addElementwise<SinOp>(p, arithBody<math::SinOp>);
    addElementwise<CosOp>(p, arithBody<math::CosOp>);
    addElementwise<TanhOp>(p, arithBody<math::TanhOp>);
    addElementwise<SigmoidOp>(p, sigmoidBody);
    addElementwise<SoftplusOp>(p, softplusBody);
    addElementwise<FloorOp>(p, arithBody<math::FloorOp>);
    addElementwise<CeilOp>(p, arithBody<math::CeilOp>);
    addElementwise<RoundOp>(p, arithBody<math::RoundEvenOp>);
    addElementwise<AddOp>(p, arithBody<arith::AddFOp, arith::AddIOp>);
    addElementwise<SubOp>(p, arithBody<arith::SubFOp, arith::SubIOp>);
    addElementwise<MulOp>(p, arithBody<arith::MulFOp, arith::MulIOp>);
    addElementwise<DivOp>(p, arithBody<arith::DivFOp>);
    addElementwise<PowOp>(p, arithBody<math::PowFOp>);
    addElementwise<MaximumOp>(p, 
        arithBody<arith::MaximumFOp, arith::MaxSIOp>);
    addElementwise<MinimumOp>(p, 
        arithBody<arith::MinimumFOp, arith::MinSIOp>);
    using FP = arith::CmpFPredicate;
    using IP = arith::CmpIPredicate;
    addElementwise<EqOp>(p, compareBody<FP::OEQ, IP::eq, IP::eq>);
    addElementwise<NeOp>(p, compareBody<FP::UNE, IP::ne, IP::ne>);
    addElementwise<LtOp>(p, compareBody<FP::OLT, IP::slt, IP::ult>);
    addElementwise<LeOp>(p, compareBody<FP::OLE, IP::sle, IP::ule>);
    addElementwise<GtOp>(p, compareBody<FP::OGT, IP::sgt, IP::ugt>);
    addElementwise<GeOp>(p, compareBody<FP::OGE, IP::sge, IP::uge>);
    addElementwise<SelectOp>(p, selectBody);
    addElementwise<CastOp>(p, castBody);
    addElementwise<BroadcastToOp>(p, copyBody);

    p.add<ReductionLowering<SumOp>>(ctx, zeroInit,
                                    combineWith<arith::AddFOp, arith::AddIOp>);
    p.add<ReductionLowering<MeanOp>>(ctx, zeroInit,
                                     combineWith<arith::AddFOp, arith::AddIOp>);
    p.add<ReductionLowering<ProdOp>>(ctx, oneInit,
                                     combineWith<arith::MulFOp, arith::MulIOp>);
    p.add<ReductionLowering<MaxOp>>(ctx, lowestInit,
                                    combineWith<arith::MaximumFOp, arith::MaxSIOp>);
    p.add<ReductionLowering<MinOp>>(ctx, highestInit,
                                    combineWith<arith::MinimumFOp, arith::MinSIOp>);
    p.add<ArgReductionLowering<ArgmaxOp, true>>(ctx);
    p.add<ArgReductionLowering<ArgminOp, false>>(ctx);
    p.add<DotLowering, ReshapeLowering, DimShuffleLowering, TakeLowering,
          ScatterAddLowering, ExtractDiagLowering, AllocDiagLowering,
          TakePerRowLowering, PutPerRowLowering, LogSoftmaxLowering>(ctx);
  }
};

} // namespace
