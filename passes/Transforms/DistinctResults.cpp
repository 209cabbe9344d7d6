//===- DistinctResults.cpp - one tensor value per function result ---------===//
#include "passes/Passes.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONDISTINCTRESULTS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

struct TheonDistinctResultsPass
    : theon::impl::TheonDistinctResultsBase<TheonDistinctResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      llvm::DenseSet<Value> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<RankedTensorType>(v.getType());
        if (!type || seen.insert(v).second)
          continue;
        Value empty = tensor::EmptyOp::create(b, ret.getLoc(), type.getShape(),
                                              type.getElementType());
        operand.set(linalg::CopyOp::create(b, ret.getLoc(), v, empty).getResult(0));
      }
    });
  }
};

} // namespace
