//===- GpuBlockReductions.cpp - reductions as one thread block per output ===//
//
// A linalg.generic on buffers that reduces a long innermost dimension into
// few outputs would run, through scf.parallel, one thread per output with a
// serial loop: a full reduction on one thread, a row sum on a handful of
// blocks. This pass gives each output a block instead: its threads stride
// over the reduced dimension, then gpu.all_reduce combines their partial
// results (convert-gpu-to-nvvm lowers it to warp shuffles and a shared
// memory array), and thread 0 folds the result into the output.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/Transforms/GpuLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONGPUBLOCKREDUCTIONS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using mlir::theon::applyIndexingMap;

namespace {

/// The gpu.all_reduce operation of a combining op, if it has one.
std::optional<gpu::AllReduceOperation> allReduceKind(Operation *combiner) {
  using K = gpu::AllReduceOperation;
  return llvm::TypeSwitch<Operation *, std::optional<K>>(combiner)
      .Case<arith::AddFOp, arith::AddIOp>([](auto) { return K::ADD; })
      .Case<arith::MulFOp, arith::MulIOp>([](auto) { return K::MUL; })
      .Case<arith::MaximumFOp>([](auto) { return K::MAXIMUMF; })
      .Case<arith::MinimumFOp>([](auto) { return K::MINIMUMF; })
      .Case<arith::MaxNumFOp>([](auto) { return K::MAXNUMF; })
      .Case<arith::MinNumFOp>([](auto) { return K::MINNUMF; })
      .Case<arith::MaxSIOp>([](auto) { return K::MAXSI; })
      .Case<arith::MinSIOp>([](auto) { return K::MINSI; })
      .Case<arith::MaxUIOp>([](auto) { return K::MAXUI; })
      .Case<arith::MinUIOp>([](auto) { return K::MINUI; })
      .Case<arith::AndIOp>([](auto) { return K::AND; })
      .Case<arith::OrIOp>([](auto) { return K::OR; })
      .Case<arith::XOrIOp>([](auto) { return K::XOR; })
      .Default([](Operation *) { return std::nullopt; });
}

/// What the rewrite needs of a reduction it can take: the op that combines
/// each element into the output, and the operand that is the element.
struct Reduction {
  Operation *combiner;
  unsigned elementOperand;
  gpu::AllReduceOperation kind;
  TypedAttr neutral;
};

/// A generic on buffers with one output, parallel loops then one reduction
/// loop, whose body yields combiner(element, output) with the element
/// computed without the output.
std::optional<Reduction> matchReduction(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 1)
    return std::nullopt;
  auto iterators = op.getIteratorTypesArray();
  if (iterators.back() != utils::IteratorType::reduction)
    return std::nullopt;
  Block &body = op.getRegion().front();
  BlockArgument out = body.getArguments().back();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  Operation *combiner = yield.getValues()[0].getDefiningOp();
  if (!combiner || combiner->getBlock() != &body || combiner->getNumOperands() != 2 ||
      !out.hasOneUse() || out.getUses().begin()->getOwner() != combiner ||
      !combiner->hasOneUse())
    return std::nullopt;
  unsigned element = combiner->getOperand(0) == out ? 1 : 0;
  if (combiner->getOperand(element) == out)
    return std::nullopt;
  std::optional<gpu::AllReduceOperation> kind = allReduceKind(combiner);
  std::optional<TypedAttr> neutral = arith::getNeutralElement(combiner);
  if (!kind || !neutral)
    return std::nullopt;
  return Reduction{combiner, element, *kind, *neutral};
}

struct TheonGpuBlockReductionsPass
    : theon::impl::TheonGpuBlockReductionsBase<TheonGpuBlockReductionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize < 1 || minExtent < 1 || maxOutputs < 1) {
      getOperation().emitError(
          "theon-gpu-block-reductions: block-size, min-extent and max-outputs must be positive");
      return signalPassFailure();
    }
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) {
      if (!op->getParentOfType<gpu::LaunchOp>())
        generics.push_back(op);
    });
    for (linalg::GenericOp op : generics)
      if (std::optional<Reduction> reduction = matchReduction(op))
        rewrite(op, *reduction);
  }

  /// A gpu.launch of `grid` x `threads` before `op`; the builder is left at
  /// the start of its body.
  static gpu::LaunchOp launch(OpBuilder &b, Location loc, int64_t grid, int64_t threads) {
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto op = gpu::LaunchOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, grid), one, one,
                                    arith::ConstantIndexOp::create(b, loc, threads), one, one);
    b.setInsertionPointToStart(&op.getBody().front());
    gpu::TerminatorOp::create(b, loc);
    b.setInsertionPointToStart(&op.getBody().front());
    return op;
  }

  /// gpu.all_reduce of each thread's `partial`, then thread 0 runs `store`
  /// with the block's total.
  static void combineBlock(OpBuilder &b, Location loc, const Reduction &reduction, Value partial,
                           Value thread, llvm::function_ref<void(Value)> store) {
    Value total = gpu::AllReduceOp::create(
        b, loc, partial, gpu::AllReduceOperationAttr::get(b.getContext(), reduction.kind),
        /*uniform=*/true);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, thread, zero);
    auto then = scf::IfOp::create(b, loc, first, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(then.thenBlock()->getTerminator());
    store(total);
  }

  /// Rewrites `op` when it has few outputs (static parallel extents, at
  /// most max-outputs of them) and a long reduced dimension (dynamic, or at
  /// least min-extent): there a thread per output would leave the device
  /// idle. When the outputs are fewer than the blocks the device runs at
  /// once and the reduced extent is long, each output's range is split
  /// over several blocks, whose totals a second launch combines.
  void rewrite(linalg::GenericOp op, const Reduction &reduction) {
    SmallVector<int64_t> extents = op.getStaticLoopRanges();
    int64_t outputs = 1;
    for (int64_t e : ArrayRef(extents).drop_back()) {
      if (ShapedType::isDynamic(e))
        return;
      outputs *= e;
    }
    int64_t reduced = extents.back();
    if (outputs < 1 || outputs > maxOutputs ||
        (!ShapedType::isDynamic(reduced) && reduced < minExtent))
      return;
    // Threads: enough for the reduced extent, in whole warps.
    int64_t threads = blockSize;
    if (!ShapedType::isDynamic(reduced))
      threads = std::min<int64_t>(blockSize, std::max<int64_t>(32, llvm::PowerOf2Ceil(reduced)));
    // Blocks per output: each thread folds at least kPerThread elements,
    // and all of them together fill about kBlocks blocks.
    constexpr int64_t kPerThread = 32, kBlocks = 1024;
    int64_t chunks = 1;
    if (!ShapedType::isDynamic(reduced))
      chunks = std::clamp<int64_t>(std::min<int64_t>(llvm::divideCeilSigned(reduced, threads * kPerThread),
                                            kBlocks / outputs),
                                   1, kBlocks);

    OpBuilder b(op);
    Location loc = op.getLoc();
    SmallVector<Range, 4> ranges = cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
    Value reducedExtent = getValueOrCreateConstantIndexOp(b, loc, ranges.back().size);
    Type type = reduction.neutral.getType();
    OpOperand *init = op.getDpsInitOperand(0);
    // Folds `total` into the output at the parallel indices `ivs`.
    auto foldIntoOutput = [&](OpBuilder &b, SmallVector<Value> ivs, Value total) {
      ivs.back() = arith::ConstantIndexOp::create(b, loc, 0); // the output's map does not use it
      SmallVector<Value> outIndices =
          applyIndexingMap(b, loc, op.getMatchingIndexingMap(init), ivs);
      Value old = memref::LoadOp::create(b, loc, init->get(), outIndices);
      Operation *combined = b.clone(*reduction.combiner);
      combined->setOperands({total, old});
      memref::StoreOp::create(b, loc, combined->getResult(0), init->get(), outIndices);
    };
    // The output's parallel indices, row-major from `output`.
    auto parallelIndices = [&](OpBuilder &b, Value output) {
      SmallVector<Value> ivs(extents.size());
      Value rest = output;
      for (int64_t d = static_cast<int64_t>(extents.size()) - 2; d >= 0; --d) {
        Value extent = arith::ConstantIndexOp::create(b, loc, extents[d]);
        ivs[d] = arith::RemUIOp::create(b, loc, rest, extent);
        rest = arith::DivUIOp::create(b, loc, rest, extent);
      }
      return ivs;
    };
    Value partials;
    if (chunks > 1)
      partials = memref::AllocOp::create(b, loc, MemRefType::get({outputs * chunks}, type));

    // Stage 1: block (output, chunk); its threads fold the chunk's elements
    // chunk * threads + thread, then every threads * chunks-th.
    OpBuilder::InsertionGuard afterOp(b);
    auto first = launch(b, loc, outputs * chunks, threads);
    Value block = first.getBlockIds().x;
    Value thread = first.getThreadIds().x;
    Value output = block, start = thread;
    if (chunks > 1) {
      Value chunkCount = arith::ConstantIndexOp::create(b, loc, chunks);
      output = arith::DivUIOp::create(b, loc, block, chunkCount);
      Value chunk = arith::RemUIOp::create(b, loc, block, chunkCount);
      Value offset =
          arith::MulIOp::create(b, loc, chunk, arith::ConstantIndexOp::create(b, loc, threads));
      start = arith::AddIOp::create(b, loc, offset, thread);
    }
    SmallVector<Value> ivs = parallelIndices(b, output);
    Block &body = op.getRegion().front();
    Value neutral = arith::ConstantOp::create(b, loc, type, reduction.neutral);
    auto loop = scf::ForOp::create(b, loc, start, reducedExtent,
                                   arith::ConstantIndexOp::create(b, loc, threads * chunks),
                                   ValueRange{neutral});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      ivs.back() = loop.getInductionVar();
      IRMapping mapping;
      for (OpOperand *input : op.getDpsInputOperands()) {
        BlockArgument arg = body.getArgument(input->getOperandNumber());
        Value operand = input->get();
        if (!isa<MemRefType>(operand.getType())) { // a scalar input
          mapping.map(arg, operand);
          continue;
        }
        mapping.map(arg, memref::LoadOp::create(
                             b, loc, operand,
                             applyIndexingMap(b, loc, op.getMatchingIndexingMap(input), ivs)));
      }
      for (Operation &inner : body.without_terminator()) {
        if (&inner == reduction.combiner)
          continue;
        if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
          mapping.map(index.getResult(), ivs[index.getDim()]);
          continue;
        }
        b.clone(inner, mapping);
      }
      Value element = mapping.lookup(reduction.combiner->getOperand(reduction.elementOperand));
      Operation *combined = b.clone(*reduction.combiner);
      combined->setOperands({loop.getRegionIterArgs()[0], element});
      scf::YieldOp::create(b, loc, combined->getResults());
    }
    combineBlock(b, loc, reduction, loop.getResult(0), thread, [&](Value total) {
      if (chunks == 1)
        foldIntoOutput(b, ivs, total);
      else
        memref::StoreOp::create(b, loc, total, partials, ValueRange{block});
    });
    if (chunks == 1)
      return op->erase();

    // Stage 2: a block per output combines its chunks' totals.
    b.setInsertionPoint(op);
    int64_t secondThreads = std::min<int64_t>(blockSize, std::max<int64_t>(32, llvm::PowerOf2Ceil(chunks)));
    auto second = launch(b, loc, outputs, secondThreads);
    Value out = second.getBlockIds().x;
    Value t = second.getThreadIds().x;
    Value base = arith::MulIOp::create(b, loc, out, arith::ConstantIndexOp::create(b, loc, chunks));
    auto gather = scf::ForOp::create(b, loc, t, arith::ConstantIndexOp::create(b, loc, chunks),
                                     arith::ConstantIndexOp::create(b, loc, secondThreads),
                                     ValueRange{arith::ConstantOp::create(b, loc, type, reduction.neutral)});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(gather.getBody());
      Value at = arith::AddIOp::create(b, loc, base, gather.getInductionVar());
      Value partial = memref::LoadOp::create(b, loc, partials, ValueRange{at});
      Operation *combined = b.clone(*reduction.combiner);
      combined->setOperands({gather.getRegionIterArgs()[0], partial});
      scf::YieldOp::create(b, loc, combined->getResults());
    }
    combineBlock(b, loc, reduction, gather.getResult(0), t,
                 [&](Value total) { foldIntoOutput(b, parallelIndices(b, out), total); });
    b.setInsertionPoint(op);
    memref::DeallocOp::create(b, loc, partials);
    op->erase();
  }
};

} // namespace
