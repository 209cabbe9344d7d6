//===- CollapseElementwiseDims.cpp - one flat loop per elementwise op -----===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONCOLLAPSEELEMENTWISEDIMS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

bool isContiguous(Value operand) {
  auto type = dyn_cast<MemRefType>(operand.getType());
  return type && type.getLayout().isIdentity();
}

/// All loops of an elementwise generic as one group, when every operand is a
/// contiguous buffer read and written through the identity map; nothing
/// otherwise. (Upstream's collapsing also accepts maps that drop the whole
/// sequence, such as a rank-0 operand's, and crashed on one.)
SmallVector<ReassociationIndices> allLoopsWhenIdentity(linalg::LinalgOp op) {
  if (!isa<linalg::GenericOp>(op) || !op.hasPureBufferSemantics() || op.getNumLoops() < 2 ||
      op.getNumLoops() != op.getNumParallelLoops() || op.hasIndexSemantics())
    return {};
  if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) { return map.isIdentity(); }) ||
      !llvm::all_of(op->getOperands(), isContiguous))
    return {};
  return {llvm::to_vector(llvm::seq<int64_t>(0, op.getNumLoops()))};
}

struct TheonCollapseElementwiseDimsPass
    : theon::impl::TheonCollapseElementwiseDimsBase<TheonCollapseElementwiseDimsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateCollapseDimensions(patterns, allLoopsWhenIdentity);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
