//===- GpuParallelScatter.cpp - scatter_add's row loop in parallel -------===//
//
// scatter_add (and inc_subtensor with an integer-array index) lowers to a
// serial loop over the update's rows, each adding its row into the row of
// the target its index names. Rows may repeat, so the loop cannot simply
// run in parallel; with atomic adds it can: on the GPU this pass makes it
// one scf.parallel over the rows and the row's elements, each element
// added with memref.atomic_rmw.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/Transforms/GpuLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONGPUPARALLELSCATTER
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using mlir::theon::applyIndexingMap;
using mlir::theon::buildParallelLoop;

namespace {

/// The atomic kind of an accumulation `out = out + in` of a supported
/// element type, if `op`'s body is one.
std::optional<arith::AtomicRMWKind> accumulation(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  Operation *add = yield.getValues()[0].getDefiningOp();
  if (!add || add->getBlock() != &body || &body.front() != add ||
      add->getNextNode() != yield.getOperation())
    return std::nullopt;
  Value in = body.getArgument(0), out = body.getArgument(1);
  bool operandsMatch = (add->getOperand(0) == in && add->getOperand(1) == out) ||
                       (add->getOperand(0) == out && add->getOperand(1) == in);
  if (!operandsMatch)
    return std::nullopt;
  Type type = out.getType();
  if (isa<arith::AddFOp>(add) && (type.isF32() || type.isF64()))
    return arith::AtomicRMWKind::addf;
  if (isa<arith::AddIOp>(add) && (type.isInteger(32) || type.isInteger(64)))
    return arith::AtomicRMWKind::addi;
  return std::nullopt;
}

/// The one elementwise accumulation of a row loop whose other ops only
/// compute indices and views (no writes, no nested regions).
linalg::GenericOp rowAccumulation(scf::ForOp loop) {
  if (loop.getNumResults() != 0)
    return nullptr;
  linalg::GenericOp found;
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
      if (found)
        return nullptr;
      found = generic;
      continue;
    }
    if (op.getNumRegions() != 0)
      return nullptr;
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects || effects.hasEffect<MemoryEffects::Write>() ||
        effects.hasEffect<MemoryEffects::Allocate>() || effects.hasEffect<MemoryEffects::Free>())
      return nullptr;
  }
  if (!found || !found.hasPureBufferSemantics() || found.getNumDpsInputs() != 1 ||
      found.getNumDpsInits() != 1 || found.getNumLoops() != found.getNumParallelLoops() ||
      !accumulation(found))
    return nullptr;
  for (int64_t extent : found.getStaticLoopRanges())
    if (ShapedType::isDynamic(extent))
      return nullptr;
  return found;
}

struct TheonGpuParallelScatterPass
    : theon::impl::TheonGpuParallelScatterBase<TheonGpuParallelScatterPass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (rowAccumulation(loop))
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops)
      rewrite(loop, rowAccumulation(loop));
  }

  void rewrite(scf::ForOp loop, linalg::GenericOp accumulate) {
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    SmallVector<Value> ivs;
    buildParallelLoop(b, loc, accumulate.getStaticLoopRanges(), ivs, {loop.getLowerBound()},
                      {loop.getUpperBound()}, {loop.getStep()});
    IRMapping mapping;
    mapping.map(loop.getInductionVar(), ivs.front());
    for (Operation &op : loop.getBody()->without_terminator())
      if (&op != accumulate.getOperation())
        b.clone(op, mapping);
    // Each element: load the update, add it atomically into the target.
    SmallVector<Value> point(ivs.begin() + 1, ivs.end());
    auto indices = [&](OpOperand &operand) {
      return applyIndexingMap(b, loc, accumulate.getMatchingIndexingMap(&operand), point);
    };
    OpOperand &input = *accumulate.getDpsInputOperand(0);
    OpOperand &init = *accumulate.getDpsInitOperand(0);
    Value element = mapping.lookupOrDefault(input.get());
    if (isa<MemRefType>(element.getType()))
      element = memref::LoadOp::create(b, loc, element, indices(input));
    memref::AtomicRMWOp::create(b, loc, *accumulation(accumulate), element,
                                mapping.lookupOrDefault(init.get()), indices(init));
    loop->erase();
  }
};

} // namespace
