//===- ParallelDimsFirst.cpp - parallel iterators outside reductions -----===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONPARALLELDIMSFIRST
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

struct TheonParallelDimsFirstPass
    : theon::impl::TheonParallelDimsFirstBase<TheonParallelDimsFirstPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) { generics.push_back(op); });
    for (linalg::GenericOp op : generics) {
      // Stable: parallel iterators in order, then the reductions in order.
      SmallVector<unsigned> order;
      auto iterators = op.getIteratorTypesArray();
      for (unsigned i = 0; i < iterators.size(); ++i)
        if (iterators[i] == utils::IteratorType::parallel)
          order.push_back(i);
      for (unsigned i = 0; i < iterators.size(); ++i)
        if (iterators[i] != utils::IteratorType::parallel)
          order.push_back(i);
      if (llvm::equal(order, llvm::seq<unsigned>(0, iterators.size())))
        continue;
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, order))) {
        op.emitOpError("cannot put its parallel loops first");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
