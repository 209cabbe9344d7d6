//===- ScanToLoops.cpp - theon.scan as an scf.for over its steps ----------===//
#include "dialect/IR/TheonOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONSCANTOLOOPS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using namespace mlir::theon;

namespace {

/// Offsets, sizes and strides of row `row` of a tensor of type `t`.
struct RowSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  RowSlice(OpBuilder &b, RankedTensorType t, Value row) {
    offsets.push_back(row);
    sizes.push_back(b.getIndexAttr(1));
    for (int64_t d : t.getShape().drop_front()) {
      offsets.push_back(b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(d));
    }
    strides.assign(t.getRank(), b.getIndexAttr(1));
  }
};

/// The number of steps: the length, or at run time the least number of
/// rows of the sequences.
Value stepCount(OpBuilder &b, Location loc, ScanOp scan) {
  if (!scan.hasDynamicLength())
    return arith::ConstantIndexOp::create(b, loc, static_cast<int64_t>(scan.getLength()));
  Value count;
  for (Value seq : scan.getSequences()) {
    Value rows = tensor::DimOp::create(b, loc, seq, 0);
    count = count ? arith::MinSIOp::create(b, loc, count, rows).getResult() : rows;
  }
  return count;
}

void lower(ScanOp scan) {
  OpBuilder b(scan);
  Location loc = scan.getLoc();
  size_t numStates = scan.getInits().size();
  Value ub = stepCount(b, loc, scan);
  SmallVector<Value> carried(scan.getInits());
  for (Value out : scan.getOutputs()) {
    auto t = cast<RankedTensorType>(out.getType());
    SmallVector<Value> dynamicSizes;
    if (t.isDynamicDim(0))
      dynamicSizes.push_back(ub);
    carried.push_back(
        tensor::EmptyOp::create(b, loc, t.getShape(), t.getElementType(), dynamicSizes));
  }
  Value lb = arith::ConstantIndexOp::create(b, loc, 0);
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  Block &body = scan.getBody().front();
  Value last;
  if (scan.getReverse())
    last = scan.hasDynamicLength()
               ? arith::SubIOp::create(b, loc, ub, step).getResult()
               : arith::ConstantIndexOp::create(b, loc, static_cast<int64_t>(scan.getLength()) - 1)
                     .getResult();
  auto loop = scf::ForOp::create(
      b, loc, lb, ub, step, carried, [&](OpBuilder &nb, Location l, Value t, ValueRange iterArgs) {
        // The row step t reads and writes: t, or from the last row back.
        Value row = scan.getReverse() ? arith::SubIOp::create(nb, l, last, t).getResult() : t;
        IRMapping mapping;
        for (auto [seq, arg] : llvm::zip(scan.getSequences(), scan.getSequenceArguments())) {
          auto seqType = cast<RankedTensorType>(seq.getType());
          auto rowType = cast<RankedTensorType>(arg.getType());
          // An empty row has nothing to read (and extract_slice rejects
          // offsets into empty axes).
          if (rowType.getNumElements() == 0) {
            mapping.map(arg, tensor::EmptyOp::create(nb, l, rowType.getShape(),
                                                     rowType.getElementType()));
            continue;
          }
          RowSlice slice(nb, seqType, row);
          mapping.map(arg, tensor::ExtractSliceOp::create(nb, l, rowType, seq, slice.offsets,
                                                          slice.sizes, slice.strides));
        }
        mapping.map(scan.getStateArguments(), iterArgs.take_front(numStates));
        mapping.map(scan.getParamArguments(), scan.getParams());
        for (Operation &op : body.without_terminator())
          nb.clone(op, mapping);
        auto yield = cast<YieldOp>(body.getTerminator());
        // The outputs go into their stacks first: an output may be a
        // state's current value, which the states' copies below overwrite.
        SmallVector<Value> stacks;
        for (auto [v, stack] : llvm::zip(yield.getValues().drop_front(numStates),
                                         iterArgs.drop_front(numStates))) {
          auto stackType = cast<RankedTensorType>(stack.getType());
          if (cast<RankedTensorType>(v.getType()).getNumElements() == 0) {
            stacks.push_back(stack);
            continue;
          }
          RowSlice slice(nb, stackType, row);
          stacks.push_back(tensor::InsertSliceOp::create(nb, l, mapping.lookupOrDefault(v), stack,
                                                         slice.offsets, slice.sizes,
                                                         slice.strides));
        }
        // Each new state is written into the buffer of the one it replaces,
        // so the loop carries one buffer per state (bufferization wants the
        // yielded value equivalent to the carried one).
        // A state whose new value is another state's current one (Theano's
        // taps shift states along) is first copied aside, so that no write
        // into a state's buffer comes before a read of its old value.
        SmallVector<Value> newStates;
        for (Value v : yield.getValues().take_front(numStates)) {
          Value mapped = mapping.lookupOrDefault(v);
          if (llvm::is_contained(iterArgs.take_front(numStates), mapped)) {
            auto t = cast<RankedTensorType>(mapped.getType());
            Value aside = tensor::EmptyOp::create(nb, l, t.getShape(), t.getElementType());
            mapped = linalg::CopyOp::create(nb, l, mapped, aside).getResult(0);
          }
          newStates.push_back(mapped);
        }
        SmallVector<Value> next;
        for (auto [v, current] : llvm::zip(newStates, iterArgs.take_front(numStates)))
          next.push_back(linalg::CopyOp::create(nb, l, v, current).getResult(0));
        llvm::append_range(next, stacks);
        scf::YieldOp::create(nb, l, next);
      });
  scan.replaceAllUsesWith(loop.getResults());
  scan.erase();
}

struct TheonScanToLoopsPass : theon::impl::TheonScanToLoopsBase<TheonScanToLoopsPass> {
  void runOnOperation() override {
    // Post-order: an inner scan is lowered before the scan whose body holds it.
    SmallVector<ScanOp> scans;
    getOperation()->walk([&](ScanOp op) { scans.push_back(op); });
    for (ScanOp scan : scans)
      lower(scan);
  }
};

} // namespace
