//===- GpuParallelLines.cpp - cumulative loops as one thread per line ----===//
//
// cumsum and cumprod lower to a serial loop along their axis whose body
// combines two slices across that axis (the previous result and the next
// input) elementwise into a temporary and copies it into the next result
// slice. On the GPU the whole loop would run on one thread. The lines
// along the axis are independent: this pass makes the loop one
// scf.parallel over the slice's elements, each running the serial loop
// along its own line.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/Transforms/GpuLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONGPUPARALLELLINES
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using mlir::theon::buildParallelLoop;

namespace {

/// The parts of a line loop's body.
struct LineLoop {
  linalg::GenericOp combine; // elementwise, into `temporary`
  memref::AllocOp temporary;
  memref::CopyOp store;      // temporary -> the result slice
  SmallVector<int64_t> slice; // the slices' shape
};

/// A slice across the loop's axis: a subview with unit strides, offset 0
/// in every dimension but (at most) one, and the slice's shape.
bool isSlice(Value v, ArrayRef<int64_t> shape, std::optional<unsigned> &axis) {
  auto view = v.getDefiningOp<memref::SubViewOp>();
  if (!view || view.getStaticSizes() != shape)
    return false;
  for (OpFoldResult stride : view.getMixedStrides())
    if (getConstantIntValue(stride) != 1)
      return false;
  SmallVector<OpFoldResult> offsets = view.getMixedOffsets();
  for (unsigned d = 0; d < offsets.size(); ++d) {
    if (getConstantIntValue(offsets[d]) == 0)
      continue;
    if (axis && *axis != d)
      return false;
    axis = d;
  }
  return true;
}

std::optional<LineLoop> matchLineLoop(scf::ForOp loop) {
  if (loop.getNumResults() != 0)
    return std::nullopt;
  LineLoop line;
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
      if (line.combine)
        return std::nullopt;
      line.combine = generic;
    } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      if (line.store)
        return std::nullopt;
      line.store = copy;
    } else if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      if (line.temporary)
        return std::nullopt;
      line.temporary = alloc;
    } else if (!isa<memref::DeallocOp, memref::SubViewOp>(op) &&
               !(op.getNumRegions() == 0 && isPure(&op))) {
      return std::nullopt;
    }
  }
  if (!line.combine || !line.store || !line.temporary)
    return std::nullopt;
  linalg::GenericOp g = line.combine;
  if (!g.hasPureBufferSemantics() || g.getNumDpsInits() != 1 ||
      g.getNumLoops() != g.getNumParallelLoops() ||
      g.getDpsInits()[0] != line.temporary.getResult() ||
      line.store.getSource() != line.temporary.getResult() ||
      !llvm::all_of(g.getIndexingMapsArray(), [](AffineMap m) { return m.isIdentity(); }) ||
      !line.temporary.getType().hasStaticShape() ||
      !g.getRegion().front().getArguments().back().use_empty()) // overwritten, not read
    return std::nullopt;
  // The temporary is only combined into, copied out and freed.
  for (Operation *user : line.temporary->getUsers())
    if (user != g.getOperation() && user != line.store.getOperation() && !isa<memref::DeallocOp>(user))
      return std::nullopt;
  line.slice = llvm::to_vector(line.temporary.getType().getShape());
  // Every slice read or written lies across the same axis.
  std::optional<unsigned> axis;
  if (!isSlice(line.store.getTarget(), line.slice, axis))
    return std::nullopt;
  for (Value input : g.getDpsInputs())
    if (!isSlice(input, line.slice, axis))
      return std::nullopt;
  return line;
}

struct TheonGpuParallelLinesPass
    : theon::impl::TheonGpuParallelLinesBase<TheonGpuParallelLinesPass> {
  void runOnOperation() override {
    SmallVector<std::pair<scf::ForOp, LineLoop>> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (std::optional<LineLoop> line = matchLineLoop(loop))
        loops.emplace_back(loop, *line);
    });
    for (auto &[loop, line] : loops)
      rewrite(loop, line);
  }

  /// scf.parallel over the slice { scf.for along the axis { the slices'
  /// elements at this point, combined, stored } }.
  void rewrite(scf::ForOp loop, LineLoop &line) {
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    SmallVector<Value> point;
    buildParallelLoop(b, loc, line.slice, point);
    auto serial = scf::ForOp::create(b, loc, loop.getLowerBound(), loop.getUpperBound(),
                                     loop.getStep());
    b.setInsertionPoint(serial.getBody()->getTerminator());
    IRMapping mapping;
    mapping.map(loop.getInductionVar(), serial.getInductionVar());
    for (Operation &op : loop.getBody()->without_terminator()) {
      if (&op == line.combine.getOperation() || &op == line.store.getOperation() ||
          &op == line.temporary.getOperation() || isa<memref::DeallocOp>(op))
        continue;
      b.clone(op, mapping);
    }
    Block &body = line.combine.getRegion().front();
    IRMapping scalar;
    for (OpOperand *input : line.combine.getDpsInputOperands()) {
      scalar.map(body.getArgument(input->getOperandNumber()),
                 memref::LoadOp::create(b, loc, mapping.lookup(input->get()), point));
    }
    for (Operation &op : body.without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(op)) {
        scalar.map(index.getResult(), point[index.getDim()]);
        continue;
      }
      b.clone(op, scalar);
    }
    Value result = scalar.lookupOrDefault(body.getTerminator()->getOperand(0));
    memref::StoreOp::create(b, loc, result, mapping.lookup(line.store.getTarget()), point);
    loop->erase();
  }
};

} // namespace
