//===- GpuTileParallelLoops.cpp - scf.parallel into blocks and threads ---===//
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
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

/// An index check's report (theon_index_error): in a kernel it records the
/// failure in device memory, so it goes where the check's load goes.
bool isIndexReport(Operation *op) {
  auto call = dyn_cast<func::CallOp>(op);
  return call && call.getCallee() == "theon_index_error";
}

/// A loop or branch nest that touches memory outside any parallel loop it
/// contains (a reduction's loop, scatter_add's loop over rows reading each
/// row's index, an index check's report): host code could not run it.
bool isSerialNest(Operation *op) {
  if (!isa<scf::ForOp, scf::IfOp>(op) || op->getNumResults() != 0)
    return false;
  bool memory = false;
  op->walk([&](Operation *inner) {
    if ((isa<memref::LoadOp, memref::StoreOp, memref::CopyOp>(inner) || isIndexReport(inner)) &&
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

/// Wraps the memory accesses and serial nests of a run of serial host code,
/// with the pure ops computing on loaded values, in a unit scf.parallel (a
/// one-thread kernel). Views and constants stay on the host, and so do
/// loads whose values the host needs (theon-gpu-device-memory moves them
/// into the kernels that use them, or reads them on the host). A value
/// computed from loads that the host needs (a row index that places a
/// view) splits the run: the code before it is one kernel, the chain that
/// computes it stays on the host (read after that kernel), and the rest of
/// the run is wrapped on its own.
void wrapRun(ArrayRef<Operation *> run) {
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
  for (bool changed = true; changed;) {
    changed = false;
    for (Operation *op : llvm::make_early_inc_range(order)) {
      if (!kept.count(op) || !escapes(op, kept))
        continue;
      bool leaf = isa<memref::LoadOp>(op) && llvm::none_of(op->getOperands(), [&](Value v) {
        return v.getDefiningOp() && kept.count(v.getDefiningOp());
      });
      if (leaf) { // a load the host needs: it stays outside
        kept.erase(op);
        changed = true;
        continue;
      }
      // A computed value escapes: its chain within the run stays on the
      // host, the code before it and the rest are wrapped apart.
      llvm::SmallPtrSet<Operation *, 16> chain;
      SmallVector<Operation *> work{op};
      while (!work.empty()) {
        Operation *next = work.pop_back_val();
        if (!chain.insert(next).second)
          continue;
        for (Value v : next->getOperands())
          if (Operation *def = v.getDefiningOp(); def && kept.count(def))
            work.push_back(def);
      }
      bool pureChain = llvm::all_of(chain, [](Operation *c) {
        return isa<memref::LoadOp>(c) || (c->getNumRegions() == 0 && isPure(c));
      });
      if (!pureChain)
        return; // the host cannot compute it: leave the run alone
      auto first = llvm::find_if(run, [&](Operation *r) { return chain.count(r); });
      SmallVector<Operation *> before(run.begin(), first), after;
      for (auto it = first; it != run.end(); ++it)
        if (!chain.count(*it))
          after.push_back(*it);
      wrapRun(before);
      wrapRun(after);
      return;
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
    return;
  OpBuilder b(wrapped.back()->getBlock(), std::next(Block::iterator(wrapped.back())));
  Location loc = wrapped.front()->getLoc();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto unit = scf::ParallelOp::create(b, loc, ValueRange{zero}, ValueRange{one}, ValueRange{one});
  for (Operation *op : wrapped)
    op->moveBefore(unit.getBody()->getTerminator());
}

/// A host copy between views that are not plain row-major buffers (a row
/// picked by an index, a slice) as a parallel loop of loads and stores: a
/// kernel, since the runtime's copy takes whole contiguous buffers.
void copyViewsInParallel(memref::CopyOp copy) {
  auto plain = [](Value v) { return cast<MemRefType>(v.getType()).getLayout().isIdentity(); };
  if (plain(copy.getSource()) && plain(copy.getTarget()))
    return;
  auto type = cast<MemRefType>(copy.getSource().getType());
  OpBuilder b(copy);
  Location loc = copy.getLoc();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  if (type.getRank() == 0) {
    auto unit = scf::ParallelOp::create(b, loc, ValueRange{zero}, ValueRange{one}, ValueRange{one});
    b.setInsertionPoint(unit.getBody()->getTerminator());
    Value v = memref::LoadOp::create(b, loc, copy.getSource(), ValueRange{});
    memref::StoreOp::create(b, loc, v, copy.getTarget(), ValueRange{});
    copy->erase();
    return;
  }
  SmallVector<Value> lower, upper, steps;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    lower.push_back(zero);
    upper.push_back(memref::DimOp::create(b, loc, copy.getSource(), d));
    steps.push_back(one);
  }
  auto loop = scf::ParallelOp::create(b, loc, lower, upper, steps);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  Value v = memref::LoadOp::create(b, loc, copy.getSource(), loop.getInductionVars());
  memref::StoreOp::create(b, loc, v, copy.getTarget(), loop.getInductionVars());
  copy->erase();
}

/// Serial host code that touches memory (a 0-d op, a reduction to a
/// scalar, a one-element take) in runs of consecutive candidates, each
/// wrapped by wrapRun.
void wrapSerialCode(Block &block) {
  SmallVector<SmallVector<Operation *>> runs(1);
  for (Operation &op : block) {
    if (mayJoinRun(&op))
      runs.back().push_back(&op);
    else if (!runs.back().empty())
      runs.emplace_back();
  }
  for (auto &run : runs)
    if (!run.empty())
      wrapRun(run);
}

struct TheonGpuTileParallelLoopsPass
    : theon::impl::TheonGpuTileParallelLoopsBase<TheonGpuTileParallelLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize < 1) {
      getOperation().emitError("theon-gpu-tile-parallel-loops: block-size must be positive");
      return signalPassFailure();
    }
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!copy->getParentOfType<scf::ParallelOp>() && !copy->getParentOfType<scf::ForOp>())
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies)
      copyViewsInParallel(copy);
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
