//===- ActivityAnalysis.cpp - which values carry gradients ----------------===//
#include "passes/Transforms/ActivityAnalysis.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::theon;

namespace {
/// The values `op` reads: its operands, then what its regions capture.
SmallVector<Value> inputsOf(Operation *op) {
  SmallVector<Value> inputs(op->getOperands());
  if (op->getNumRegions() > 0) {
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(op->getRegions(), captured);
    inputs.append(captured.begin(), captured.end());
  }
  return inputs;
}
} // namespace

SmallVector<Operation *> theon::backwardSlice(ValueRange outputs) {
  SmallVector<Operation *> order;
  llvm::DenseSet<Operation *> seen;
  // Iterative post-order: graphs from training loops can be deep.
  SmallVector<std::pair<Operation *, SmallVector<Value>>> stack;
  auto visit = [&](Value v) {
    Operation *def = v.getDefiningOp();
    if (def && seen.insert(def).second)
      stack.push_back({def, inputsOf(def)});
  };
  for (Value out : outputs) {
    visit(out);
    while (!stack.empty()) {
      auto &[op, pending] = stack.back();
      if (!pending.empty()) {
        visit(pending.pop_back_val());
        continue;
      }
      order.push_back(op);
      stack.pop_back();
    }
  }
  return order;
}

bool ActivityAnalysis::isDifferentiable(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && isa<FloatType>(t.getElementType());
}

ActivityAnalysis::ActivityAnalysis(ValueRange wrt, ValueRange outputs) {
  // Useful ops are the backward slice of the outputs; varied values flow
  // forward from wrt through it.
  for (Value w : wrt)
    active_.insert(w);
  for (Operation *op : backwardSlice(outputs)) {
    bool varied = llvm::any_of(inputsOf(op), [&](Value v) { return active_.contains(v); });
    if (!varied)
      continue;
    bool any = false;
    for (Value r : op->getResults())
      if (isDifferentiable(r)) {
        active_.insert(r);
        any = true;
      }
    if (any)
      activeOps_.push_back(op);
  }
}
