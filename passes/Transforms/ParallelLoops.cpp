//===- ParallelLoops.cpp - large linalg ops get a parallel outer loop -----===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONPARALLELLOOPS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// A linalg op on buffers whose outer loop is parallel, with at least two
/// iterations, and whose static iteration space has `minWork` points.
bool worthParallel(linalg::LinalgOp op, int64_t minWork) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      op.getIteratorTypesArray().front() != utils::IteratorType::parallel)
    return false;
  // Inside a parallel loop (a convolution's images) the threads are busy.
  if (op->getParentOfType<scf::ParallelOp>())
    return false;
  // A body that calls the runtime (an index check) records failures per
  // thread: it runs on the calling thread.
  if (op->walk([](func::CallOp) { return WalkResult::interrupt(); }).wasInterrupted())
    return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic) || ranges.front() < 2)
    return false;
  int64_t work = 1;
  for (int64_t range : ranges)
    work *= range;
  return work >= minWork;
}

/// Replaces `forOp` (no iter_args) by a one-dimensional scf.parallel.
void makeParallel(RewriterBase &rewriter, scf::ForOp forOp) {
  rewriter.setInsertionPoint(forOp);
  auto parallel = scf::ParallelOp::create(
      rewriter, forOp.getLoc(), ValueRange{forOp.getLowerBound()},
      ValueRange{forOp.getUpperBound()}, ValueRange{forOp.getStep()});
  Block *body = forOp.getBody();
  rewriter.eraseOp(body->getTerminator());
  rewriter.inlineBlockBefore(body, parallel.getBody()->getTerminator(),
                             parallel.getInductionVars());
  rewriter.eraseOp(forOp);
}

struct TheonParallelLoopsPass
    : theon::impl::TheonParallelLoopsBase<TheonParallelLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    // Too little work in the whole function for threads.
    if (getOperation()->hasAttr(theon::kSerialAttr))
      return;
    SmallVector<linalg::LinalgOp> large;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (worthParallel(op, minWork))
        large.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : large) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::LinalgLoops> loops = linalg::linalgOpToLoops(rewriter, op);
      if (failed(loops)) {
        op.emitError("cannot lower to loops");
        return signalPassFailure();
      }
      auto outer = dyn_cast<scf::ForOp>(loops->front());
      if (!outer || outer.getNumRegionIterArgs() != 0) {
        op.emitError("expected an scf.for without iter_args as the outer loop");
        return signalPassFailure();
      }
      rewriter.eraseOp(op);
      makeParallel(rewriter, outer);
    }
  }
};

} // namespace
