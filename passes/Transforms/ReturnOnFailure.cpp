//===- ReturnOnFailure.cpp - early return when compiled code failed -------===//
#include "dialect/IR/TheonDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONRETURNONFAILURE
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// Whether `v` is (a view of) an argument that the function writes in
/// place: a shared variable's buffer (marked by theon-drop-update-results;
/// out-params, also written, hold only fresh outputs).
bool isUpdatedArgument(func::FuncOp func, Value v) {
  while (Operation *def = v.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view)
      return false;
    v = view.getViewSource();
  }
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg || arg.getOwner() != &func.getBody().front())
    return false;
  return static_cast<bool>(
      func.getArgAttr(arg.getArgNumber(), theon::TheonDialect::kUpdatedInPlaceAttrName));
}

/// Whether `op`, or an op nested in it, writes into an updated argument.
bool writesArgument(func::FuncOp func, Operation *op) {
  WalkResult result = op->walk([&](Operation *nested) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(nested);
    if (!effects)
      return WalkResult::advance();
    SmallVector<MemoryEffects::EffectInstance> list;
    effects.getEffects(list);
    for (auto &effect : list)
      if (isa<MemoryEffects::Write>(effect.getEffect()) && effect.getValue() &&
          isUpdatedArgument(func, effect.getValue()))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

func::FuncOp failedDeclaration(ModuleOp module) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(theon::TheonDialect::kCallFailedFunctionName))
    return existing;
  OpBuilder b(module.getBodyRegion());
  auto decl = func::FuncOp::create(b, module.getLoc(), theon::TheonDialect::kCallFailedFunctionName,
                                   b.getFunctionType({}, {b.getI32Type()}));
  decl.setPrivate();
  return decl;
}

struct ReturnOnFailurePass : theon::impl::TheonReturnOnFailureBase<ReturnOnFailurePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    addChecks(func);
    // The marker has done its work; later lowering does not know it.
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      func.removeArgAttr(i, theon::TheonDialect::kUpdatedInPlaceAttrName);
  }

  void addChecks(func::FuncOp func) {
    if (!func.getBody().hasOneBlock() || func.getNumResults() != 0)
      return;
    Block *block = &func.getBody().front();
    SmallVector<memref::AllocOp> allocs(block->getOps<memref::AllocOp>());
    auto module = func->getParentOfType<ModuleOp>();
    if (!module)
      return;
    // The first write into a shared variable's buffer.
    Operation *firstWrite = nullptr;
    for (Operation &op : *block)
      if (writesArgument(func, &op)) {
        firstWrite = &op;
        break;
      }
    // Static allocations move to the top of the function, in order, so that
    // one check covers them all before any code runs: a check after each
    // one split the function into a block per allocation, which made the
    // deallocation pipeline slow on deep graphs (and a buffer allocated
    // after an early return cannot be freed at the returns). So do those
    // sized by the arguments' extents (a scan's runtime number of steps),
    // with the memref.dim ops that size them. Other ones stay where they
    // are, each with its own check.
    SmallVector<memref::AllocOp> dynamic;
    Operation *top = nullptr;
    llvm::SmallPtrSet<Operation *, 8> atTop;
    auto moveToTop = [&](Operation *op) {
      if (!atTop.insert(op).second)
        return;
      if (top)
        op->moveAfter(top);
      else
        op->moveBefore(block, block->begin());
      top = op;
    };
    auto sizedByArguments = [&](memref::AllocOp alloc) {
      return llvm::all_of(alloc.getDynamicSizes(), [&](Value size) {
        auto dim = size.getDefiningOp<memref::DimOp>();
        auto arg = dim ? dyn_cast<BlockArgument>(dim.getSource()) : BlockArgument();
        return arg && arg.getOwner() == block && dim.getIndex().getDefiningOp<arith::ConstantOp>();
      });
    };
    for (memref::AllocOp alloc : allocs) {
      if (alloc->getNumOperands() != 0 && !sizedByArguments(alloc)) {
        dynamic.push_back(alloc);
        continue;
      }
      for (Value size : alloc.getDynamicSizes()) {
        auto dim = size.getDefiningOp<memref::DimOp>();
        moveToTop(dim.getIndex().getDefiningOp());
        moveToTop(dim);
      }
      moveToTop(alloc);
    }

    // Only index checks record failures without an allocation.
    bool checksIndices = func.walk([](func::CallOp call) {
                               return call.getCallee() == theon::TheonDialect::kIndexErrorFunctionName
                                          ? WalkResult::interrupt()
                                          : WalkResult::advance();
                             }).wasInterrupted();
    bool checkWrite = firstWrite && checksIndices;
    if (!top && dynamic.empty() && !checkWrite)
      return;
    func::FuncOp failed = failedDeclaration(module);
    Location loc = func.getLoc();
    Block *exit = new Block();
    func.getBody().push_back(exit);
    OpBuilder b(exit, exit->end());
    func::ReturnOp::create(b, loc);
    // Splits `block` before `next`, returning when a failure is recorded.
    auto checkBefore = [&](Operation *next) {
      Block *rest = block->splitBlock(next);
      b.setInsertionPointToEnd(block);
      Location at = next->getLoc();
      Value status = func::CallOp::create(b, at, failed).getResult(0);
      Value zero = arith::ConstantIntOp::create(b, at, 0, 32);
      Value isFailed = arith::CmpIOp::create(b, at, arith::CmpIPredicate::ne, status, zero);
      cf::CondBranchOp::create(b, at, isFailed, exit, rest);
      block = rest;
    };
    if (top) {
      if (top->getNextNode() == firstWrite)
        checkWrite = false; // this check comes right before the write
      checkBefore(top->getNextNode());
    }
    for (memref::AllocOp alloc : dynamic) {
      if (alloc->getNextNode() == firstWrite)
        checkWrite = false;
      checkBefore(alloc->getNextNode());
    }
    // Failures the computation recorded so far (an index out of range).
    if (checkWrite)
      checkBefore(firstWrite);
  }
};

} // namespace
