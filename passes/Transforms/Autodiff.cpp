//===- Autodiff.cpp - expand theon.grad into the backward graph -----------===//
#include "dialect/IR/TheonOps.h"
#include "passes/Passes.h"
#include "passes/Transforms/ActivityAnalysis.h"
#include "passes/Transforms/Autodiff.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONAUTODIFF
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using namespace mlir::theon;

namespace {

/// One reverse sweep: from the gradients of `outputs`, asks each active op's
/// GradientOpInterface rule for its operands' gradients, in reverse order,
/// and sums the contributions to each value. Builds at `builder`'s insertion
/// point; ops with bodies differentiate them with a nested sweep.
class ReverseSweep {
public:
  ReverseSweep(OpBuilder &builder, Location loc) : b(builder), loc(loc) {}

  /// The gradients of `wrt` (zeros where no gradient reaches one).
  FailureOr<SmallVector<Value>> run(ValueRange wrt, ValueRange outputs,
                                    ArrayRef<Value> outputGrads) {
    ActivityAnalysis activity(wrt, outputs);
    for (auto [out, g] : llvm::zip(outputs, outputGrads))
      if (activity.isActive(out))
        accumulate(out, g);

    for (Operation *op : llvm::reverse(activity.activeOps())) {
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
      GradientContext ctx(b, op->getLoc(),
                          [this](Region &region, ValueRange arguments, ArrayRef<Value> grads,
                                 IRMapping *clones) {
                            return differentiateRegion(region, arguments, grads, clones);
                          });
      for (auto [r, g] : llvm::zip(op->getResults(), resultGrads)) // none reached: zero
        if (!g)
          g = ctx.zerosLike(r);
      SmallVector<OperandGradient> operandGrads;
      if (failed(rule.buildGradients(ctx, resultGrads, operandGrads)))
        return failure();
      if (operandGrads.size() != op->getNumOperands())
        return op->emitOpError("gradient rule returned ")
               << operandGrads.size() << " gradients for " << op->getNumOperands()
               << " operands";
      for (auto [i, operand, g] : llvm::enumerate(op->getOperands(), operandGrads)) {
        if (!activity.isActive(operand))
          continue;
        switch (g.kind()) {
        case OperandGradient::Kind::Zero:
        case OperandGradient::Kind::Disconnected:
          continue;
        case OperandGradient::Kind::Undefined:
          return op->emitOpError("has no gradient with respect to operand #")
                 << i << " (" << g.reason() << "), but the cost depends on it";
        case OperandGradient::Kind::Value:
          if (g.value().getType() != operand.getType())
            return op->emitOpError("gradient rule produced ")
                   << g.value().getType() << " for an operand of type " << operand.getType();
          accumulate(operand, g.value());
        }
      }
      if (Operation *replaced = ctx.replaced())
        replacedOps.push_back(replaced);
    }

    SmallVector<Value> results;
    for (Value w : wrt) {
      Value g = adjoint.lookup(w);
      results.push_back(g ? g : splatLike(b, loc, w, 0.0));
    }
    // Ops a rule replaced (their uses moved to the replacement) go once the
    // sweep no longer looks anything up: until then no new value can take
    // an address the analysis or the adjoints still hold.
    for (Operation *op : replacedOps) {
      for (Value r : op->getResults())
        adjoint.erase(r);
      op->erase();
    }
    return results;
  }

private:
  void accumulate(Value target, Value contribution) {
    auto [it, inserted] = adjoint.try_emplace(target, contribution);
    if (!inserted)
      it->second = AddOp::create(b, loc, target.getType(), it->second, contribution);
  }

public:
  /// Clones the body of `region` here with its arguments bound to
  /// `arguments`, and sweeps it from the gradients of what it yields.
  FailureOr<SmallVector<OperandGradient>> differentiateRegion(Region &region,
                                                              ValueRange arguments,
                                                              ArrayRef<Value> yieldedGrads,
                                                              IRMapping *clones = nullptr) {
    if (!region.hasOneBlock() || region.front().getNumArguments() != arguments.size())
      return emitError(loc, "theon-autodiff differentiates regions of one block, with one value "
                            "for each block argument");
    Block &block = region.front();
    IRMapping mapping;
    mapping.map(block.getArguments(), arguments);
    for (Operation &op : block.without_terminator())
      b.clone(op, mapping);
    SmallVector<Value> yielded;
    for (Value v : block.getTerminator()->getOperands())
      yielded.push_back(mapping.lookupOrDefault(v));
    if (clones)
      *clones = mapping;
    ReverseSweep nested(b, loc);
    auto grads = nested.run(arguments, yielded, yieldedGrads);
    if (failed(grads))
      return failure();
    SmallVector<OperandGradient> result;
    for (auto [argument, g] : llvm::zip(arguments, *grads))
      result.push_back(ActivityAnalysis::isDifferentiable(argument)
                           ? OperandGradient::of(g)
                           : OperandGradient::disconnected());
    return result;
  }

private:
  OpBuilder &b;
  Location loc;
  llvm::DenseMap<Value, Value> adjoint;
  SmallVector<Operation *> replacedOps;
};

/// Expands `grads`, which share one cost, with one sweep: a Theano program
/// asks for each parameter's gradient in its own call, and one backward
/// graph should serve them all. Built before the first of them, where the
/// cost is already defined.
LogicalResult expand(ArrayRef<GradOp> grads) {
  GradOp first = grads.front();
  OpBuilder b(first);
  Location loc = first.getLoc();
  Value cost = first.getCost();
  SmallVector<Value> wrt;
  for (GradOp grad : grads)
    llvm::append_range(wrt, grad.getWrt());
  Value seed = splatConstant(b, loc, cast<RankedTensorType>(cost.getType()), 1.0);
  ReverseSweep sweep(b, loc);
  auto results = sweep.run(wrt, cost, seed);
  if (failed(results))
    return failure();
  ArrayRef<Value> remaining = *results;
  for (GradOp grad : grads) {
    size_t n = grad.getWrt().size();
    grad->replaceAllUsesWith(remaining.take_front(n));
    remaining = remaining.drop_front(n);
    grad->erase();
  }
  if (seed.use_empty())
    seed.getDefiningOp()->erase();
  return success();
}

} // namespace

FailureOr<SmallVector<Value>> theon::differentiate(OpBuilder &builder, Location loc,
                                                   ValueRange wrt, ValueRange outputs,
                                                   ArrayRef<Value> outputGrads) {
  return ReverseSweep(builder, loc).run(wrt, outputs, outputGrads);
}

FailureOr<SmallVector<OperandGradient>> theon::differentiateRegion(OpBuilder &builder,
                                                                   Location loc, Region &region,
                                                                   ValueRange arguments,
                                                                   ArrayRef<Value> yieldedGrads) {
  return ReverseSweep(builder, loc).differentiateRegion(region, arguments, yieldedGrads);
}

namespace {

struct TheonAutodiffPass : theon::impl::TheonAutodiffBase<TheonAutodiffPass> {
  void runOnOperation() override {
    // Groups of one cost in one block, in program order of their first
    // member, so that a gradient used inside another cost is expanded
    // first (that cost is defined after it).
    llvm::MapVector<std::pair<Value, Block *>, SmallVector<GradOp>> groups;
    getOperation()->walk(
        [&](GradOp op) { groups[{op.getCost(), op->getBlock()}].push_back(op); });
    for (auto &[key, grads] : groups)
      if (failed(expand(grads)))
        return signalPassFailure();
  }
};

} // namespace
