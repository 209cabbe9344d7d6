//===- DeallocateBuffers.cpp - free heap buffers at the returns ----------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONDEALLOCATEBUFFERS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// Whether the buffer, and every view of it, is only read and written in
/// place: not returned, yielded, branched with, called with, freed or
/// turned into another value that could outlive the function.
bool staysLocal(Value buffer) {
  SmallVector<Value> worklist{buffer};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (user->hasTrait<OpTrait::IsTerminator>() || isa<CallOpInterface>(user) ||
          isa<memref::DeallocOp, bufferization::DeallocOp>(user))
        return false;
      auto view = dyn_cast<ViewLikeOpInterface>(user);
      if (view && view.getViewSource() == v) {
        worklist.append(user->result_begin(), user->result_end());
        continue;
      }
      // Any other op that makes a buffer or tensor of it may alias it.
      for (Type type : user->getResultTypes())
        if (isa<BaseMemRefType, TensorType>(type))
          return false;
    }
  }
  return true;
}

/// The function's heap buffers, when freeing them at its returns is exact.
std::optional<SmallVector<memref::AllocOp>> freeableAtReturns(func::FuncOp func) {
  SmallVector<memref::AllocOp> allocs;
  if (func.isExternal())
    return allocs;
  for (Type type : func.getResultTypes())
    if (isa<BaseMemRefType>(type))
      return std::nullopt;
  Block *entry = &func.getBody().front();
  WalkResult walk = func.walk([&](Operation *op) {
    if (isa<memref::DeallocOp, bufferization::DeallocOp, memref::ReallocOp,
            bufferization::CloneOp>(op))
      return WalkResult::interrupt();
    auto alloc = dyn_cast<memref::AllocOp>(op);
    if (!alloc)
      return WalkResult::advance();
    if (alloc->getBlock() != entry || !staysLocal(alloc))
      return WalkResult::interrupt();
    allocs.push_back(alloc);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return std::nullopt;
  return allocs;
}

struct DeallocateBuffersPass
    : theon::impl::TheonDeallocateBuffersBase<DeallocateBuffersPass> {
  void getDependentDialects(DialectRegistry &registry) const override {
    TheonDeallocateBuffersBase::getDependentDialects(registry);
    upstreamPipeline().getDependentDialects(registry);
  }

  static OpPassManager upstreamPipeline() {
    OpPassManager pm(ModuleOp::getOperationName());
    bufferization::buildBufferDeallocationPipeline(pm, {});
    return pm;
  }

  void runOnOperation() override {
    SmallVector<std::pair<func::FuncOp, SmallVector<memref::AllocOp>>> plan;
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      std::optional<SmallVector<memref::AllocOp>> allocs = freeableAtReturns(func);
      if (!allocs) {
        OpPassManager pm = upstreamPipeline();
        if (failed(runPipeline(pm, getOperation())))
          signalPassFailure();
        return;
      }
      plan.emplace_back(func, std::move(*allocs));
    }
    for (auto &[func, allocs] : plan)
      func.walk([&](func::ReturnOp ret) {
        OpBuilder b(ret);
        for (memref::AllocOp alloc : llvm::reverse(allocs))
          memref::DeallocOp::create(b, ret.getLoc(), alloc);
      });
  }
};

} // namespace
