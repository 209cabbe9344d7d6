//===- Contractions.cpp - theon.dot to linalg contractions ------------- ===//
#include "dialect/IR/TheonOps.h"
#include "passes/Conversion/TheonToLinalg/PatternUtils.h"
#include "passes/Conversion/TheonToLinalg/PopulatePatterns.h"

using namespace mlir;
using namespace mlir::theon;

namespace {
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
    if (lhsRank == 3)
      contraction = linalg::BatchMatmulOp::create(rewriter, loc, ins, init);
    else if (lhsRank == 2 && rhsRank == 2)
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
} // namespace

void theon::populateTheonContractionsToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DotLowering>(patterns.getContext());
}
