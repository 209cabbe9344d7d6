//===- GpuTileParallelLoops.cpp - scf.parallel into blocks and threads ---===//
#include "passes/Passes.h"

#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONGPUTILEPARALLELLOOPS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// A loop or branch nest that touches memory outside any parallel loop it
/// contains (a reduction's loop, scatter_add's loop over rows reading each
/// row's index): host code could not run it.
bool isSerialNest(Operation *op) {
  if (!isa<scf::ForOp, scf::IfOp>(op) || op->getNumResults() != 0)
    return false;
  bool memory = false;
  op->walk([&](Operation *inner) {
    if (isa<memref::LoadOp, memref::StoreOp, memref::CopyOp>(inner) &&
        !inner->getParentOfType<scf::ParallelOp>())
      memory = true;
  });
  return memory;
}

/// What a run of serial host code may hold: memory accesses, serial nests,
/// and the pure scalar ops between them.
bool mayJoinRun(Operation *op) {
  return isa<memref::LoadOp, memref::StoreOp>(op) || isSerialNest(op) ||
         (op->getNumRegions() == 0 && isPure(op) && !op->hasTrait<OpTrait::IsTerminator>());
}

bool escapes(Operation *op, const llvm::SmallPtrSetImpl<Operation *> &kept) {
  return llvm::any_of(op->getUsers(), [&](Operation *user) {
    Operation *top = user;
    while (top && !kept.count(top))
      top = top->getParentOp();
    return top == nullptr;
  });
}

/// Wraps serial host code that touches memory (a 0-d op, a reduction to a
/// scalar) in a unit scf.parallel, so that it runs in a kernel. In a run of
/// consecutive candidates, the memory accesses and serial nests go in, with
/// the pure ops computing on loaded values; views and constants stay on the
/// host, and so do loads whose values the host needs (theon-gpu-device-
/// memory moves them into the kernels that use them).
void wrapSerialCode(Block &block) {
  SmallVector<SmallVector<Operation *>> runs(1);
  for (Operation &op : block) {
    if (mayJoinRun(&op))
      runs.back().push_back(&op);
    else if (!runs.back().empty())
      runs.emplace_back();
  }
  for (auto &run : runs) {
    llvm::SmallPtrSet<Operation *, 16> kept;
    SmallVector<Operation *> order;
    for (Operation *op : run) {
      bool memory = isa<memref::LoadOp, memref::StoreOp>(op) || isSerialNest(op);
      bool computesOnKept = llvm::any_of(op->getOperands(), [&](Value v) {
        return v.getDefiningOp() && kept.count(v.getDefiningOp());
      });
      if (memory || computesOnKept) {
        kept.insert(op);
        order.push_back(op);
      }
    }
    // Values the host needs: the loads producing them stay outside.
    for (bool changed = true; changed;) {
      changed = false;
      for (Operation *op : llvm::make_early_inc_range(order)) {
        if (!kept.count(op) || !escapes(op, kept))
          continue;
        bool leaf = isa<memref::LoadOp>(op) && llvm::none_of(op->getOperands(), [&](Value v) {
          return v.getDefiningOp() && kept.count(v.getDefiningOp());
        });
        if (!leaf) {
          kept.clear(); // a computed value escapes: leave the run alone
          break;
        }
        kept.erase(op);
        changed = true;
      }
    }
    SmallVector<Operation *> wrapped;
    for (Operation *op : order)
      if (kept.count(op))
        wrapped.push_back(op);
    bool writes = llvm::any_of(wrapped, [](Operation *op) {
      return isa<memref::StoreOp>(op) || isSerialNest(op);
    });
    if (!writes)
      continue;
    OpBuilder b(wrapped.back()->getBlock(), std::next(Block::iterator(wrapped.back())));
    Location loc = wrapped.front()->getLoc();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto unit = scf::ParallelOp::create(b, loc, ValueRange{zero}, ValueRange{one}, ValueRange{one});
    for (Operation *op : wrapped)
      op->moveBefore(unit.getBody()->getTerminator());
  }
}

struct TheonGpuTileParallelLoopsPass
    : theon::impl::TheonGpuTileParallelLoopsBase<TheonGpuTileParallelLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize < 1) {
      getOperation().emitError("theon-gpu-tile-parallel-loops: block-size must be positive");
      return signalPassFailure();
    }
    getOperation().walk([&](func::FuncOp f) {
      for (Block &block : f.getBody())
        wrapSerialCode(block);
    });
    SmallVector<scf::ParallelOp> outermost;
    getOperation().walk([&](scf::ParallelOp op) {
      if (!op->getParentOfType<scf::ParallelOp>())
        outermost.push_back(op);
    });
    for (scf::ParallelOp op : outermost) {
      // A single iteration (wrapped serial code) is one thread as it is.
      auto lb = getConstantIntValue(op.getLowerBound().back());
      auto ub = getConstantIntValue(op.getUpperBound().back());
      if (op.getNumLoops() == 1 && lb && ub && *ub - *lb == 1)
        continue;
      SmallVector<int64_t> sizes(op.getNumLoops(), 1);
      sizes.back() = blockSize;
      // No min bounds: the inner loop guards its index, so the mapped
      // loops keep constant bounds and become a gpu.launch.
      scf::tileParallelLoop(op, sizes, /*noMinMaxBounds=*/true);
    }
  }
};

} // namespace
