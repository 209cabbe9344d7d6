//===- Elementwise.cpp - elementwise theon ops to linalg.generic --------- ===//
#include "dialect/IR/TheonOps.h"
#include "passes/Conversion/TheonToLinalg/PatternUtils.h"
#include "passes/Conversion/TheonToLinalg/PopulatePatterns.h"
#include "dialect/IR/ScalarBodies.h"

using namespace mlir;
using namespace mlir::theon;

namespace {

/// Every op with a scalar body: one linalg.generic with broadcasting maps
/// around the body the op's ODS declaration gives.
struct ElementwiseLowering : OpInterfaceRewritePattern<ScalarBodyOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(ScalarBodyOpInterface op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    rewriter.replaceOp(op, buildElementwise(rewriter, op->getLoc(), resultType,
                                            op->getOperands(),
                                            [&](OpBuilder &b, Location loc, ValueRange operands,
                                                Type element) {
                                              return op.buildScalarBody(b, loc, operands, element);
                                            }));
    return success();
  }
};

} // namespace

void theon::populateTheonElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ElementwiseLowering>(patterns.getContext());
}
