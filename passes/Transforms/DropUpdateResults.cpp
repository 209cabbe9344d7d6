//===- DropUpdateResults.cpp - no results for updates written in place ----===//
#include "passes/Passes.h"
#include "passes/Transforms/PassPreconditions.h"

#include "dialect/IR/TheonDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/BitVector.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONDROPUPDATERESULTS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// The buffer a loop result is: its initial value when every iteration
/// yields the iteration argument back (a loop that wrote into it in place).
Value throughLoops(Value value) {
  while (auto result = dyn_cast<OpResult>(value)) {
    auto loop = dyn_cast<scf::ForOp>(result.getOwner());
    if (!loop)
      break;
    unsigned i = result.getResultNumber();
    if (loop.getYieldedValues()[i] != loop.getRegionIterArgs()[i])
      break;
    value = loop.getInitArgs()[i];
  }
  return value;
}

struct TheonDropUpdateResultsPass
    : theon::impl::TheonDropUpdateResultsBase<TheonDropUpdateResultsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Only functions with updates to write are this pass's business.
    if (!theon::hasUpdateResults(func))
      return;
    auto maybeRet = theon::getSingleReturn(func, getArgument());
    if (failed(maybeRet))
      return signalPassFailure();
    func::ReturnOp ret = *maybeRet;
    llvm::BitVector dropped(func.getNumResults());
    for (BlockArgument arg : func.getArguments()) {
      auto attr = func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), theon::TheonDialect::kUpdateResultAttrName);
      if (!attr)
        continue;
      int64_t result = attr.getInt();
      if (result < 0 || result >= static_cast<int64_t>(func.getNumResults()) ||
          throughLoops(ret.getOperand(result)) != arg) {
        func.emitError() << "argument " << arg.getArgNumber() << " is updated in place by result "
                         << result << ", but that result is not the argument's buffer";
        return signalPassFailure();
      }
      dropped.set(result);
      func.removeArgAttr(arg.getArgNumber(), theon::TheonDialect::kUpdateResultAttrName);
      func.setArgAttr(arg.getArgNumber(), theon::TheonDialect::kUpdatedInPlaceAttrName,
                      UnitAttr::get(func.getContext()));
    }
    if (dropped.none())
      return;
    ret->eraseOperands(dropped);
    if (failed(func.eraseResults(dropped)))
      return signalPassFailure();
  }
};

} // namespace
