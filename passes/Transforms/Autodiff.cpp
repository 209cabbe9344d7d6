//===- Autodiff.cpp - expand theon.grad into the backward graph -----------===//
#include "dialect/IR/TheonOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONAUTODIFF
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using namespace mlir::theon;

namespace {

bool isFloatTensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && isa<FloatType>(t.getElementType());
}

Value filled(OpBuilder &b, Location loc, Type type, double value) {
  auto tensor = cast<RankedTensorType>(type);
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(tensor, b.getFloatAttr(tensor.getElementType(), value)));
}

/// The ops the cost is computed from, in program order.
FailureOr<SmallVector<Operation *>> ancestorsOf(GradOp grad) {
  llvm::SetVector<Operation *> found;
  SmallVector<Value> work{grad.getCost()};
  while (!work.empty()) {
    Operation *def = work.pop_back_val().getDefiningOp();
    if (!def || !found.insert(def))
      continue;
    if (def->getBlock() != grad->getBlock())
      return grad.emitOpError("differentiates through '")
             << def->getName() << "' in another block, which theon-autodiff does not support";
    llvm::append_range(work, def->getOperands());
  }
  SmallVector<Operation *> ordered(found.begin(), found.end());
  llvm::sort(ordered, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ordered;
}

LogicalResult expand(GradOp grad) {
  auto ancestors = ancestorsOf(grad);
  if (failed(ancestors))
    return failure();

  // Values that depend on a wrt through float computations.
  llvm::DenseSet<Value> active;
  for (Value w : grad.getWrt())
    active.insert(w);
  SmallVector<Operation *> activeOps;
  for (Operation *op : *ancestors) {
    bool usesActive = llvm::any_of(op->getOperands(), [&](Value v) { return active.contains(v); });
    if (!usesActive)
      continue;
    bool producesFloat = false;
    for (Value r : op->getResults())
      if (isFloatTensor(r)) {
        active.insert(r);
        producesFloat = true;
      }
    if (producesFloat)
      activeOps.push_back(op);
  }

  OpBuilder b(grad);
  Location loc = grad.getLoc();
  llvm::DenseMap<Value, Value> adjoint;
  auto accumulate = [&](Value target, Value contribution) {
    auto [it, inserted] = adjoint.try_emplace(target, contribution);
    if (!inserted)
      it->second = AddOp::create(b, loc, target.getType(), it->second, contribution);
  };
  if (active.contains(grad.getCost()))
    adjoint[grad.getCost()] = filled(b, loc, grad.getCost().getType(), 1.0);

  for (Operation *op : llvm::reverse(activeOps)) {
    SmallVector<Value> resultGrads;
    bool any = false;
    for (Value r : op->getResults()) {
      resultGrads.push_back(adjoint.lookup(r));
      any |= static_cast<bool>(resultGrads.back());
    }
    if (!any)
      continue;
    auto rule = dyn_cast<GradientOpInterface>(op);
    if (!rule)
      return op->emitOpError("has no gradient rule, but the cost of ")
             << "theon.grad depends on it through a float value";
    for (Value &g : resultGrads) // a result without a gradient contributes zero
      if (!g)
        g = filled(b, loc, op->getResult(&g - resultGrads.data()).getType(), 0.0);
    SmallVector<Value> operandGrads;
    b.setInsertionPoint(grad);
    if (failed(rule.buildGradients(b, resultGrads, operandGrads)))
      return failure();
    if (operandGrads.size() != op->getNumOperands())
      return op->emitOpError("gradient rule returned ")
             << operandGrads.size() << " gradients for " << op->getNumOperands()
             << " operands";
    for (auto [operand, g] : llvm::zip(op->getOperands(), operandGrads)) {
      if (!g || !active.contains(operand))
        continue;
      if (g.getType() != operand.getType())
        return op->emitOpError("gradient rule produced ")
               << g.getType() << " for an operand of type " << operand.getType();
      accumulate(operand, g);
    }
  }

  SmallVector<Value> results;
  for (Value w : grad.getWrt()) {
    Value g = adjoint.lookup(w);
    results.push_back(g ? g : filled(b, loc, w.getType(), 0.0));
  }
  grad->replaceAllUsesWith(results);
  grad->erase();
  return success();
}

struct TheonAutodiffPass : theon::impl::TheonAutodiffBase<TheonAutodiffPass> {
  void runOnOperation() override {
    SmallVector<GradOp> grads;
    getOperation()->walk([&](GradOp op) { grads.push_back(op); });
    for (GradOp grad : grads)
      if (failed(expand(grad)))
        return signalPassFailure();
  }
};

} // namespace
