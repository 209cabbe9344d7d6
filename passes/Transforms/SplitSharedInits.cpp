//===- SplitSharedInits.cpp - one init tensor per destination operand -----===//
#include "passes/Passes.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONSPLITSHAREDINITS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

// A value only to be written into: an empty tensor, or a fill of one.
bool isFreshInit(Value v) {
  if (v.getDefiningOp<tensor::EmptyOp>())
    return true;
  auto fill = v.getDefiningOp<linalg::FillOp>();
  return fill && fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
}

// Clones the init (and the empty tensor under a fill) just before `user`.
Value cloneInit(OpBuilder &b, Value init) {
  Operation *def = init.getDefiningOp();
  auto fill = dyn_cast<linalg::FillOp>(def);
  if (!fill)
    return b.clone(*def)->getResult(0);
  Value empty = b.clone(*fill.getOutputs()[0].getDefiningOp())->getResult(0);
  IRMapping mapping;
  mapping.map(fill.getOutputs()[0], empty);
  return b.clone(*fill, mapping)->getResult(0);
}

struct TheonSplitSharedInitsPass
    : theon::impl::TheonSplitSharedInitsBase<TheonSplitSharedInitsPass> {
  void runOnOperation() override {
    // Clones go just before their user, which the walk has not reached yet
    // in the ops it visits after it: each op is visited once.
    getOperation().walk([](DestinationStyleOpInterface op) {
      OpBuilder b(op);
      for (OpOperand &init : op.getDpsInitsMutable()) {
        Value v = init.get();
        if (!isa<RankedTensorType>(v.getType()) || v.hasOneUse() || !isFreshInit(v))
          continue;
        init.set(cloneInit(b, v));
      }
    });
  }
};

} // namespace
