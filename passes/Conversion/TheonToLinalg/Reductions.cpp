//===- Reductions.cpp - theon reductions to linalg.generic ------------ ===//
#include "dialect/IR/TheonOps.h"
#include "passes/Conversion/TheonToLinalg/PatternUtils.h"
#include "passes/Conversion/TheonToLinalg/PopulatePatterns.h"
#include "dialect/IR/ScalarBodies.h"

using namespace mlir;
using namespace mlir::theon;

namespace {

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
      // The count, at run time where an axis is a scan's number of steps.
      Value n = elementCountScalar(rewriter, loc, op.getInput(), axes, cast<FloatType>(element));
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
        linalg::FillOp::create(rewriter, loc, scalarOf(rewriter, loc, i64, 0),
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
} // namespace

void theon::populateTheonReductionsToLinalgPatterns(RewritePatternSet &p) {
  MLIRContext *ctx = p.getContext();
  p.add<ReductionLowering<SumOp>>(ctx, zeroInit, combineWith<arith::AddFOp, arith::AddIOp>);
  p.add<ReductionLowering<MeanOp>>(ctx, zeroInit, combineWith<arith::AddFOp, arith::AddIOp>);
  p.add<ReductionLowering<ProdOp>>(ctx, oneInit, combineWith<arith::MulFOp, arith::MulIOp>);
  p.add<ReductionLowering<MaxOp>>(ctx, lowestInit,
                                  combineWith<arith::MaximumFOp, arith::MaxSIOp>);
  p.add<ReductionLowering<MinOp>>(ctx, highestInit,
                                  combineWith<arith::MinimumFOp, arith::MinSIOp>);
  p.add<ArgReductionLowering<ArgmaxOp, true>>(ctx);
  p.add<ArgReductionLowering<ArgminOp, false>>(ctx);
  p.add<LogSoftmaxLowering>(ctx);
}
