//===- CheckAllocations.cpp - early return on failed heap allocations -----===//
#include "passes/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONCHECKALLOCATIONS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

constexpr StringLiteral kFailedFunction = "theon_allocation_failed";

/// Whether `v` is (a view of) an argument of the function.
bool isArgumentBuffer(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view)
      return false;
    v = view.getViewSource();
  }
  return isa<BlockArgument>(v);
}

/// Whether `op`, or an op nested in it, writes into an argument's buffer.
bool writesArgument(Operation *op) {
  WalkResult result = op->walk([](Operation *nested) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(nested);
    if (!effects)
      return WalkResult::advance();
    SmallVector<MemoryEffects::EffectInstance> list;
    effects.getEffects(list);
    for (auto &effect : list)
      if (isa<MemoryEffects::Write>(effect.getEffect()) && effect.getValue() &&
          isArgumentBuffer(effect.getValue()))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

func::FuncOp failedDeclaration(ModuleOp module) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(kFailedFunction))
    return existing;
  OpBuilder b(module.getBodyRegion());
  auto decl = func::FuncOp::create(b, module.getLoc(), kFailedFunction,
                                   b.getFunctionType({}, {b.getI32Type()}));
  decl.setPrivate();
  return decl;
}

struct CheckAllocationsPass : theon::impl::TheonCheckAllocationsBase<CheckAllocationsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func.getBody().hasOneBlock() || func.getNumResults() != 0)
      return;
    Block *block = &func.getBody().front();
    SmallVector<memref::AllocOp> allocs(block->getOps<memref::AllocOp>());
    if (allocs.empty())
      return;
    auto module = func->getParentOfType<ModuleOp>();
    if (!module)
      return;
    // Every allocation before the first write into an argument.
    Operation *firstWrite = nullptr;
    for (Operation &op : *block)
      if (writesArgument(&op)) {
        firstWrite = &op;
        break;
      }
    if (firstWrite)
      for (memref::AllocOp alloc : allocs)
        if (firstWrite->isBeforeInBlock(alloc) && alloc->getNumOperands() == 0)
          alloc->moveBefore(firstWrite);
    allocs.assign(block->getOps<memref::AllocOp>().begin(), block->getOps<memref::AllocOp>().end());

    func::FuncOp failed = failedDeclaration(module);
    Location loc = func.getLoc();
    Block *exit = new Block();
    func.getBody().push_back(exit);
    OpBuilder b(exit, exit->end());
    func::ReturnOp::create(b, loc);
    for (memref::AllocOp alloc : allocs) {
      Block *rest = block->splitBlock(alloc->getNextNode());
      b.setInsertionPointToEnd(block);
      Value status = func::CallOp::create(b, alloc.getLoc(), failed).getResult(0);
      Value zero = arith::ConstantIntOp::create(b, alloc.getLoc(), 0, 32);
      Value isFailed =
          arith::CmpIOp::create(b, alloc.getLoc(), arith::CmpIPredicate::ne, status, zero);
      cf::CondBranchOp::create(b, alloc.getLoc(), isFailed, exit, rest);
      block = rest;
    }
  }
};

} // namespace
