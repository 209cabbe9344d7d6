//===- GpuDeviceMemory.cpp - host code of a GPU function off device memory ===//
#include "passes/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONGPUDEVICEMEMORY
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

bool onHost(Operation *op) { return !op->getParentOfType<gpu::LaunchOp>(); }

Value deviceAlloc(OpBuilder &b, Location loc, MemRefType type, ValueRange dynamicSizes) {
  return gpu::AllocOp::create(b, loc, type, /*asyncToken=*/Type(), /*asyncDependencies=*/{},
                              dynamicSizes, /*symbolOperands=*/{}, /*hostShared=*/false)
      .getMemref();
}

/// Whether `launch` may write `buffer`: a write to `buffer` itself, to an
/// unknown value, or through any view (conservatively: views are not traced
/// back to their source).
bool mayWrite(gpu::LaunchOp launch, Value buffer) {
  bool writes = false;
  launch.getBody().walk([&](Operation *op) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects)
      return;
    SmallVector<MemoryEffects::EffectInstance> list;
    effects.getEffects(list);
    for (const auto &e : list)
      if (isa<MemoryEffects::Write>(e.getEffect()) &&
          (!e.getValue() || e.getValue() == buffer ||
           e.getValue().getDefiningOp<ViewLikeOpInterface>()))
        writes = true;
  });
  return writes;
}

/// A host load the host itself needs (a row index that places a view, a
/// bound): the element is copied to a host buffer, ordered after the
/// kernels before it, and read there. A synchronization, so only where the
/// value cannot move into the kernels.
void readOnHost(memref::LoadOp load, IRRewriter &rewriter) {
  rewriter.setInsertionPoint(load);
  Location loc = load.getLoc();
  // A one-thread kernel copies the element into a one-element device
  // buffer (the runtime's copies take whole row-major buffers), which is
  // copied to the host.
  auto type = MemRefType::get({1}, load.getMemRefType().getElementType());
  Value device = deviceAlloc(rewriter, loc, type, {});
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  auto kernel = gpu::LaunchOp::create(rewriter, loc, one, one, one, one, one, one);
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(&kernel.getBody().front());
    Value element = memref::LoadOp::create(rewriter, loc, load.getMemRef(), load.getIndices());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    memref::StoreOp::create(rewriter, loc, element, device, ValueRange{zero});
    gpu::TerminatorOp::create(rewriter, loc);
  }
  Value host = memref::AllocaOp::create(rewriter, loc, type);
  gpu::MemcpyOp::create(rewriter, loc, Type(), ValueRange{}, host, device);
  gpu::DeallocOp::create(rewriter, loc, Type(), ValueRange{}, device);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value value = memref::LoadOp::create(rewriter, loc, host, ValueRange{zero});
  rewriter.replaceOp(load, value);
}

/// Moves a host load whose users are all inside launches into each of them;
/// one the host needs is read on the host (readOnHost).
LogicalResult sinkLoad(memref::LoadOp load, IRRewriter &rewriter) {
  SmallVector<gpu::LaunchOp> launches;
  for (Operation *user : load->getUsers()) {
    auto launch = user->getParentOfType<gpu::LaunchOp>();
    if (!launch || launch->getBlock() != load->getBlock()) {
      readOnHost(load, rewriter);
      return success();
    }
    if (!llvm::is_contained(launches, launch))
      launches.push_back(launch);
  }
  for (gpu::LaunchOp launch : launches) {
    // Nothing between the load and the launch may change what it reads.
    for (Operation *op = load->getNextNode(); op != launch.getOperation(); op = op->getNextNode())
      if (auto other = dyn_cast<gpu::LaunchOp>(op); other && mayWrite(other, load.getMemRef())) {
        readOnHost(load, rewriter);
        return success();
      }
    rewriter.setInsertionPointToStart(&launch.getBody().front());
    Operation *copy = rewriter.clone(*load);
    rewriter.replaceUsesWithIf(load.getResult(), copy->getResult(0), [&](OpOperand &use) {
      return launch->isProperAncestor(use.getOwner());
    });
  }
  rewriter.eraseOp(load);
  return success();
}

/// A copy inside a kernel as loads and stores, one element at a time
/// (a library call is not available on the device).
void expandCopy(memref::CopyOp copy, IRRewriter &rewriter) {
  auto type = cast<MemRefType>(copy.getSource().getType());
  rewriter.setInsertionPoint(copy);
  Location loc = copy.getLoc();
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  SmallVector<Value> indices;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    Value size = memref::DimOp::create(rewriter, loc, copy.getSource(), d);
    auto loop = scf::ForOp::create(rewriter, loc, zero, size, one);
    rewriter.setInsertionPointToStart(loop.getBody());
    indices.push_back(loop.getInductionVar());
  }
  Value v = memref::LoadOp::create(rewriter, loc, copy.getSource(), indices);
  memref::StoreOp::create(rewriter, loc, v, copy.getTarget(), indices);
  rewriter.eraseOp(copy);
}

/// Appends the index error record argument (see the pass's description).
Value addErrorRecord(func::FuncOp func) {
  Builder b(func.getContext());
  auto type = MemRefType::get({3}, b.getI64Type());
  auto attrs = b.getDictionaryAttr(b.getNamedAttr("theon.index_errors", b.getUnitAttr()));
  unsigned index = func.getNumArguments();
  if (failed(func.insertArgument(index, type, attrs, func.getLoc())))
    return nullptr;
  return func.getArgument(index);
}

/// theon_index_error(site, index, size) in a kernel: the first failure
/// into `record` (its first word from 0 to site + 1 by compare-and-swap;
/// the winner writes the index and the size).
void recordIndexError(func::CallOp call, Value record, IRRewriter &rewriter) {
  rewriter.setInsertionPoint(call);
  Location loc = call.getLoc();
  auto constant = [&](int64_t v) { return arith::ConstantIndexOp::create(rewriter, loc, v); };
  Value zero = arith::ConstantIntOp::create(rewriter, loc, 0, 64);
  Value one = arith::ConstantIntOp::create(rewriter, loc, 1, 64);
  Value tag = arith::AddIOp::create(rewriter, loc, call.getOperand(0), one);
  auto swap = memref::GenericAtomicRMWOp::create(rewriter, loc, record, ValueRange{constant(0)});
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(swap.getBody());
    Value current = swap.getCurrentValue();
    Value empty = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, current, zero);
    memref::AtomicYieldOp::create(rewriter, loc,
                                  arith::SelectOp::create(rewriter, loc, empty, tag, current));
  }
  Value won = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, swap.getResult(), zero);
  auto first = scf::IfOp::create(rewriter, loc, won, /*withElseRegion=*/false);
  rewriter.setInsertionPoint(first.thenBlock()->getTerminator());
  memref::StoreOp::create(rewriter, loc, call.getOperand(1), record, ValueRange{constant(1)});
  memref::StoreOp::create(rewriter, loc, call.getOperand(2), record, ValueRange{constant(2)});
  rewriter.eraseOp(call);
}

struct TheonGpuDeviceMemoryPass
    : theon::impl::TheonGpuDeviceMemoryBase<TheonGpuDeviceMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      if (func.isExternal())
        continue;
      // An entry point (public, called by no function of the module) gets
      // the index error record; a function called from the module keeps its
      // signature and drops its reports.
      Value record;
      bool entry = func.isPublic() && SymbolTable::symbolKnownUseEmpty(func, module);
      if (entry && !(record = addErrorRecord(func)))
        return signalPassFailure();
      if (failed(runOnFunction(func, record)))
        return signalPassFailure();
    }
  }

  LogicalResult runOnFunction(func::FuncOp func, Value record) {
    IRRewriter rewriter(&getContext());
    // Inside kernels: copies become loops; an index check's report (a call
    // into the host runtime) is dropped, the index stays clamped.
    SmallVector<Operation *> kernelOps;
    func.walk([&](Operation *op) {
      if (onHost(op))
        return;
      if (auto call = dyn_cast<func::CallOp>(op); call && call.getCallee() == "theon_index_error")
        kernelOps.push_back(op);
      else if (isa<memref::CopyOp>(op))
        kernelOps.push_back(op);
    });
    for (Operation *op : kernelOps) {
      if (auto copy = dyn_cast<memref::CopyOp>(op))
        expandCopy(copy, rewriter);
      else if (record)
        recordIndexError(cast<func::CallOp>(op), record, rewriter);
      else
        rewriter.eraseOp(op);
    }
    SmallVector<Operation *> hostOps;
    func.walk([&](Operation *op) {
      if (onHost(op) && isa<memref::AllocOp, memref::DeallocOp, memref::GetGlobalOp,
                            memref::CopyOp, memref::LoadOp, memref::StoreOp>(op))
        hostOps.push_back(op);
    });
    SmallVector<Value> constantCopies;
    for (Operation *op : hostOps) {
      rewriter.setInsertionPoint(op);
      Location loc = op->getLoc();
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        rewriter.replaceOp(op, deviceAlloc(rewriter, loc, alloc.getType(), alloc.getDynamicSizes()));
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        gpu::DeallocOp::create(rewriter, loc, /*asyncToken=*/Type(), ValueRange{},
                               dealloc.getMemref());
        rewriter.eraseOp(op);
      } else if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
        // A constant: its bytes copied to the device once per call.
        rewriter.setInsertionPointAfter(op);
        Value device = deviceAlloc(rewriter, loc, global.getType(), {});
        auto copy = gpu::MemcpyOp::create(rewriter, loc, Type(), ValueRange{}, device, global);
        rewriter.replaceAllUsesExcept(global.getResult(), device, copy);
        constantCopies.push_back(device);
      } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        gpu::MemcpyOp::create(rewriter, loc, Type(), ValueRange{}, copy.getTarget(),
                              copy.getSource());
        rewriter.eraseOp(op);
      } else if (auto load = dyn_cast<memref::LoadOp>(op)) {
        if (failed(sinkLoad(load, rewriter)))
          return failure();
      } else {
        op->emitOpError("writes device memory in host code, outside a kernel");
        return failure();
      }
    }
    // The constants' device copies live until the function returns.
    func.walk([&](func::ReturnOp ret) {
      rewriter.setInsertionPoint(ret);
      for (Value device : constantCopies)
        gpu::DeallocOp::create(rewriter, ret.getLoc(), Type(), ValueRange{}, device);
    });
    return success();
  }
};

} // namespace
