//===- FuseElementwise.cpp - elementwise fusion with bounded fan-in -------===//
#include "passes/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONFUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

struct FuseElementwisePass : theon::impl::TheonFuseElementwiseBase<FuseElementwisePass> {
  using TheonFuseElementwiseBase::TheonFuseElementwiseBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    unsigned limit = maxInputs;
    // Upstream's condition: the producer has no other user.
    linalg::ControlFusionFn onlyUser = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    linalg::ControlFusionFn boundedFanIn = [limit](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      if (!producer || !producer->hasOneUse())
        return false;
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      auto producerOp = dyn_cast<linalg::LinalgOp>(producer);
      if (!consumer || !producerOp)
        return true;
      return consumer.getNumDpsInputs() - 1 + producerOp.getNumDpsInputs() <= limit;
    };
    // A reshape folded into a product would make it a higher-rank generic
    // that no longer lowers to a BLAS call, and one folded into an op that
    // reads its indices (argmax) leaves affine.apply behind: those keep
    // their reshapes.
    linalg::ControlFusionFn onlyUserNoProduct = [onlyUser](OpOperand *fused) {
      auto isProduct = [](Operation *op) {
        auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
        return linalgOp && (linalg::isaContractionOpInterface(linalgOp) ||
                            linalgOp.hasIndexSemantics());
      };
      return onlyUser(fused) && !isProduct(fused->getOwner()) &&
             !isProduct(fused->get().getDefiningOp());
    };
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, boundedFanIn);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, onlyUserNoProduct);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, onlyUser);
    // Top-down, as upstream, for compile time.
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    // Not converging within the iteration limit still leaves valid IR.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns), config);
    // Fusing a producer that reads its indices (take, argmax) through a
    // non-identity map (a reversal) remaps them with affine.apply: lowered
    // here to arith, which is what the next stages take.
    RewritePatternSet affineLowering(context);
    populateAffineToStdConversionPatterns(affineLowering);
    (void)applyPatternsGreedily(getOperation(), std::move(affineLowering));
  }
};

} // namespace
