//===- MathApproximation.cpp - vectorizable f32 transcendental functions --===//
#include "passes/Passes.h"

#include <limits>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONMATHAPPROXIMATION
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// x / sqrt(y) in f32 as x * rsqrt(y), the rsqrt marked approximate
/// (fastmath<arcp, afn>) so that LLVM emits the CPU's reciprocal square root
/// estimate and one Newton step instead of a square root and a division,
/// the two slowest vector instructions (Adagrad's update is this division).
/// The estimate path is wrong at 0, subnormals and infinity, so those are
/// fixed with selects: subnormals are scaled by 2^24 (and the result by
/// 2^12); 0 gives copysign(inf, y) and +inf gives 0, as 1/sqrt(y) does.
struct DivideBySqrtToRsqrt : OpRewritePattern<arith::DivFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::DivFOp div,
                                PatternRewriter &rewriter) const override {
    auto sqrt = div.getRhs().getDefiningOp<math::SqrtOp>();
    if (!sqrt || !sqrt->hasOneUse() || !getElementTypeOrSelf(div.getType()).isF32())
      return failure();
    Location loc = div.getLoc();
    Type type = div.getType();
    auto constant = [&](float value) -> Value {
      TypedAttr attr = rewriter.getF32FloatAttr(value);
      if (auto shaped = dyn_cast<ShapedType>(type))
        attr = DenseElementsAttr::get(shaped, value);
      return arith::ConstantOp::create(rewriter, loc, attr);
    };
    auto select = [&](arith::CmpFPredicate predicate, Value lhs, float rhs, Value ifTrue,
                      Value ifFalse) -> Value {
      Value cond = arith::CmpFOp::create(rewriter, loc, predicate, lhs, constant(rhs));
      return arith::SelectOp::create(rewriter, loc, cond, ifTrue, ifFalse);
    };
    Value y = sqrt.getOperand();
    float smallestNormal = std::numeric_limits<float>::min();
    float infinity = std::numeric_limits<float>::infinity();
    Value tiny = arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OLT, y,
                                       constant(smallestNormal));
    Value scaled = arith::MulFOp::create(rewriter, loc, y, constant(0x1p24f));
    Value input = arith::SelectOp::create(rewriter, loc, tiny, scaled, y);
    Value estimate = math::RsqrtOp::create(
        rewriter, loc, input, arith::FastMathFlags::arcp | arith::FastMathFlags::afn);
    Value unscaled = arith::MulFOp::create(rewriter, loc, estimate, constant(0x1p12f));
    Value r = arith::SelectOp::create(rewriter, loc, tiny, unscaled, estimate);
    Value signedInfinity = math::CopySignOp::create(rewriter, loc, constant(infinity), y);
    r = select(arith::CmpFPredicate::OEQ, y, 0.0f, signedInfinity, r);
    r = select(arith::CmpFPredicate::OEQ, y, infinity, constant(0.0f), r);
    rewriter.replaceOpWithNewOp<arith::MulFOp>(div, div.getLhs(), r);
    rewriter.eraseOp(sqrt);
    return success();
  }
};

struct TheonMathApproximationPass
    : theon::impl::TheonMathApproximationBase<TheonMathApproximationPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // The predicate sees operation names ("math.exp").
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      name.consume_front("math.");
      return llvm::is_contained({"exp", "expm1", "log", "log1p", "log2", "tanh",
                                 "erf"},
                                name);
    });
    patterns.add<DivideBySqrtToRsqrt>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
