//===- Stabilize.cpp - rewrites that remove work and keep logs finite -----===//
#include "dialect/IR/TheonOps.h"
#include "passes/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONSTABILIZE
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using namespace mlir::theon;

namespace {

bool isMatrixTranspose(DimShuffleOp op) {
  return op && op.getPattern() == ArrayRef<int64_t>{1, 0};
}

/// extract_diag(take(transpose(x), idx)) -> take_per_row(x, idx) when there
/// is one index per row of x.
struct DiagOfTakeOfTranspose : OpRewritePattern<ExtractDiagOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ExtractDiagOp op, PatternRewriter &rewriter) const override {
    auto take = op.getX().getDefiningOp<TakeOp>();
    if (!take)
      return failure();
    auto transpose = take.getX().getDefiningOp<DimShuffleOp>();
    if (!isMatrixTranspose(transpose))
      return failure();
    Value x = transpose.getX();
    RankedTensorType xType = typeOf(x);
    if (typeOf(take.getIndices()).getDimSize(0) != xType.getDimSize(0))
      return failure();
    auto perRow = rewriter.replaceOpWithNewOp<TakePerRowOp>(op, op.getType(), x, take.getIndices());
    if (Attribute site = take->getAttr(TheonDialect::kIndexSiteAttrName))
      perRow->setAttr(TheonDialect::kIndexSiteAttrName, site);
    return success();
  }
};

/// `v` with the ops that only add size-1 axes or broadcast stripped: the
/// value a keepdims-style expression was made from.
Value stripExpansion(Value v) {
  while (true) {
    Operation *def = v.getDefiningOp();
    if (auto ds = dyn_cast_or_null<DimShuffleOp>(def)) {
      // Only 'x' insertions, the other axes in order.
      int64_t next = 0;
      bool insertsOnly = llvm::all_of(ds.getPattern(), [&](int64_t p) {
        return p == DimShuffleOp::kNewAxis || p == next++;
      });
      if (!insertsOnly || next != typeOf(ds.getX()).getRank())
        return v;
      v = ds.getX();
    } else if (isa_and_nonnull<ReshapeOp, BroadcastToOp>(def)) {
      v = def->getOperand(0);
    } else {
      return v;
    }
  }
}

/// If `v` is a reduction Op of `x` over one axis (possibly with keepdims and
/// re-expanded), that axis.
template <typename Op> std::optional<int64_t> reductionAxisOf(Value v, Value x) {
  auto op = stripExpansion(v).getDefiningOp<Op>();
  if (!op || op.getInput() != x || op.getAxes().size() != 1)
    return std::nullopt;
  return op.getAxes()[0];
}

/// exp(x - max(x, a)) / sum(exp(x - max(x, a)), a): the stable softmax, as
/// the cheat sheet and T::nnet::softmax write it. Sets `x` and `axis`.
bool matchSoftmax(Value v, Value &x, int64_t &axis) {
  auto div = v.getDefiningOp<DivOp>();
  if (!div)
    return false;
  auto exp = div.getLhs().getDefiningOp<ExpOp>();
  auto sub = exp ? exp.getX().getDefiningOp<SubOp>() : SubOp();
  if (!sub || typeOf(sub.getResult()) != typeOf(sub.getLhs()))
    return false;
  auto maxAxis = reductionAxisOf<MaxOp>(sub.getRhs(), sub.getLhs());
  auto sumAxis = reductionAxisOf<SumOp>(div.getRhs(), exp.getResult());
  if (!maxAxis || !sumAxis || *maxAxis != *sumAxis || typeOf(div.getResult()) != typeOf(v))
    return false;
  x = sub.getLhs();
  axis = *maxAxis;
  return true;
}

/// The value whose log is `v` when that is cheaper and stabler than log(v):
/// log(softmax(x)) = log_softmax(x), log(exp(s)) = s,
/// log(exp(s) / d) = s - log(d). Null otherwise.
/// Every case matches fully before it creates anything, so a null result
/// leaves the IR untouched.
Value simplifiedLog(PatternRewriter &rewriter, Location loc, Value v) {
  Value x;
  int64_t axis;
  if (matchSoftmax(v, x, axis))
    return LogSoftmaxOp::create(rewriter, loc, x, axis);
  if (auto exp = v.getDefiningOp<ExpOp>())
    return exp.getX();
  auto div = v.getDefiningOp<DivOp>();
  if (!div)
    return {};
  auto exp = div.getLhs().getDefiningOp<ExpOp>();
  if (!exp || typeOf(exp.getResult()) != typeOf(div.getResult()))
    return {};
  Value logD = LogOp::create(rewriter, loc, div.getRhs());
  return SubOp::create(rewriter, loc, div.getType(), exp.getX(), logD);
}

struct LogOfSoftmax : OpRewritePattern<LogOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rewriter) const override {
    Value simplified = simplifiedLog(rewriter, op.getLoc(), op.getX());
    if (!simplified)
      return failure();
    rewriter.replaceOp(op, simplified);
    return success();
  }
};

/// log(take_per_row(p, idx)) -> take_per_row(log(p), idx) when log(p)
/// simplifies: the log moves onto the matrix, where it cancels the softmax.
struct LogOfTakePerRow : OpRewritePattern<LogOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LogOp op, PatternRewriter &rewriter) const override {
    auto take = op.getX().getDefiningOp<TakePerRowOp>();
    if (!take)
      return failure();
    Value logP = simplifiedLog(rewriter, op.getLoc(), take.getX());
    if (!logP)
      return failure();
    auto perRow =
        rewriter.replaceOpWithNewOp<TakePerRowOp>(op, op.getType(), logP, take.getIndices());
    if (Attribute site = take->getAttr(TheonDialect::kIndexSiteAttrName))
      perRow->setAttr(TheonDialect::kIndexSiteAttrName, site);
    return success();
  }
};

struct TheonStabilizePass : theon::impl::TheonStabilizeBase<TheonStabilizePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DiagOfTakeOfTranspose, LogOfSoftmax, LogOfTakePerRow>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
