//===- HoistLoopBuffers.cpp - loop-body buffers to the top level ----------===//
#include "dialect/IR/TheonUtils.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONHOISTLOOPBUFFERS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

constexpr int64_t kSlotAlignment = 64;
/// The smallest buffer that leaves a parallel loop's body. Smaller ones
/// stay there: each iteration's own allocation tells LLVM that it aliases
/// nothing, where views of one shared buffer, captured by the OpenMP
/// region, do not (the mid-size convnet step took 39 ms instead of 36 on
/// one thread with its 295 KB columns in slots). A failed allocation is a
/// large one's risk: a 38 GB image's columns crashed the process before.
constexpr int64_t kMinParallelSlotBytes = int64_t(16) << 20;

/// Whether every use of `buffer` (through views) is inside `body` and none
/// leaves it: not yielded, not returned, not freed.
bool staysInBody(Value buffer, Region &body) {
  SmallVector<Value> worklist{buffer};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (!body.isAncestor(user->getParentRegion()) || user->hasTrait<OpTrait::IsTerminator>() ||
          isa<memref::DeallocOp>(user))
        return false;
      if (auto view = dyn_cast<ViewLikeOpInterface>(user); view && view.getViewSource() == v)
        worklist.append(user->result_begin(), user->result_end());
    }
  }
  return true;
}

/// The constant trip count of a one-dimensional scf.parallel from 0 by 1.
std::optional<int64_t> tripCount(scf::ParallelOp loop) {
  if (loop.getNumLoops() != 1)
    return std::nullopt;
  auto lb = getConstantIntValue(loop.getLowerBound()[0]);
  auto ub = getConstantIntValue(loop.getUpperBound()[0]);
  auto step = getConstantIntValue(loop.getStep()[0]);
  if (!lb || !ub || !step || *lb != 0 || *step != 1 || *ub < 1)
    return std::nullopt;
  return *ub;
}


/// Moves `alloc` out of its loop when it may; true when it did.
bool hoist(memref::AllocOp alloc, IRRewriter &rewriter) {
  MemRefType type = alloc.getType();
  Operation *loop = alloc->getParentOp();
  if (alloc->getNumOperands() != 0 || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
      !isa<scf::ForOp, scf::ParallelOp>(loop) || !staysInBody(alloc, loop->getRegion(0)))
    return false;
  if (isa<scf::ForOp>(loop)) {
    alloc->moveBefore(loop);
    alloc->setAttr(theon::kLoopBufferAttr, rewriter.getUnitAttr());
    return true;
  }
  auto parallel = cast<scf::ParallelOp>(loop);
  std::optional<int64_t> trips = tripCount(parallel);
  if (!trips || !type.getElementType().isIntOrFloat())
    return false;
  std::optional<int64_t> size = theon::byteSize(type);
  if (!size || *size < kMinParallelSlotBytes)
    return false;
  int64_t bytes = llvm::alignTo(*size, kSlotAlignment);
  std::optional<int64_t> total = llvm::checkedMul(*trips, bytes);
  if (!total)
    return false;
  rewriter.setInsertionPoint(parallel);
  auto slots = memref::AllocOp::create(
      rewriter, alloc.getLoc(), MemRefType::get({*total}, rewriter.getI8Type()),
      alloc.getAlignmentAttr() ? alloc.getAlignmentAttr() : rewriter.getI64IntegerAttr(kSlotAlignment));
  slots->setAttr(theon::kLoopBufferAttr, rewriter.getUnitAttr());
  rewriter.setInsertionPoint(alloc);
  Value offset = arith::MulIOp::create(rewriter, alloc.getLoc(), parallel.getInductionVars()[0],
                                       arith::ConstantIndexOp::create(rewriter, alloc.getLoc(), bytes));
  rewriter.replaceOpWithNewOp<memref::ViewOp>(alloc, type, slots, offset, ValueRange{});
  return true;
}

struct HoistLoopBuffersPass : theon::impl::TheonHoistLoopBuffersBase<HoistLoopBuffersPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Innermost first; a moved buffer may leave the next loop out too.
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<memref::AllocOp> allocs;
      getOperation().walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
      for (memref::AllocOp alloc : allocs)
        changed |= hoist(alloc, rewriter);
    }
  }
};

} // namespace
