//===- ScanBatchProducts.cpp - a scan's summed products as one product ----===//
//
// A reverse scan (backpropagation through time) sums each weight's gradient
// over the steps: state += dot(transpose(a_t), c_t), with a_t and c_t of
// `batch` rows. Each step's product then has k = batch, where packing costs
// as much as the arithmetic. The sum over the steps is one product of the
// steps' rows stacked: transpose(A) . C with A = [a_0; ...; a_T-1] and
// C = [c_0; ...; c_T-1], which this pass computes after the loop from
// stacked outputs of the scan (or from the sequence a_t is a row of).
//
//===----------------------------------------------------------------------===//
#include "dialect/IR/TheonOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONSCANBATCHPRODUCTS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using namespace mlir::theon;

namespace {

/// A state that only accumulates `dot(transpose(a), c)`: yields
/// `add(state, dot(dimshuffle(a, [1, 0]), c))` and is read nowhere else.
struct SummedProduct {
  size_t state;
  AddOp sum;
  DotOp product;
  Value a, c; // body values of `batch` rows each
};

/// Whether `v` changes from step to step: anything but a param argument.
bool variesPerStep(ScanOp scan, Value v) {
  auto arg = dyn_cast<BlockArgument>(v);
  return !arg || !llvm::is_contained(scan.getParamArguments(), arg);
}

std::optional<SummedProduct> summedProduct(ScanOp scan, size_t j) {
  auto yield = cast<YieldOp>(scan.getBody().front().getTerminator());
  BlockArgument state = scan.getStateArguments()[j];
  auto add = yield.getValues()[j].getDefiningOp<AddOp>();
  if (!add || !state.hasOneUse() || !add->hasOneUse())
    return std::nullopt;
  Value term = add.getLhs() == state ? add.getRhs() : add.getRhs() == state ? add.getLhs() : Value();
  auto dot = term ? term.getDefiningOp<DotOp>() : DotOp();
  if (!dot || dot.getType() != state.getType() || !isa<FloatType>(dot.getType().getElementType()))
    return std::nullopt;
  auto transposed = dot.getLhs().getDefiningOp<DimShuffleOp>();
  if (!transposed || transposed.getPattern() != ArrayRef<int64_t>{1, 0})
    return std::nullopt;
  Value a = transposed.getX(), c = dot.getRhs();
  auto aType = cast<RankedTensorType>(a.getType()), cType = cast<RankedTensorType>(c.getType());
  if (aType.getRank() != 2 || cType.getRank() != 2 || !aType.hasStaticShape() ||
      !cType.hasStaticShape() || !variesPerStep(scan, a) || !variesPerStep(scan, c))
    return std::nullopt;
  return SummedProduct{j, add, dot, a, c};
}

/// Where the stack of a body value over the steps comes from: the sequence
/// it is a row of, an output that already yields it, or a new output.
struct StackRef {
  enum Kind { Sequence, Output, NewOutput } kind;
  size_t index;
};

struct Stacks {
  ScanOp scan;
  SmallVector<Value> newOutputs; // body values to stack, in order

  StackRef of(Value v) {
    auto arg = dyn_cast<BlockArgument>(v);
    if (arg && llvm::is_contained(scan.getSequenceArguments(), arg))
      return {StackRef::Sequence, arg.getArgNumber()};
    if (std::optional<size_t> m = scan.getOutputYielding(v))
      return {StackRef::Output, *m};
    auto *it = llvm::find(newOutputs, v);
    if (it == newOutputs.end()) {
      newOutputs.push_back(v);
      it = newOutputs.end() - 1;
    }
    return {StackRef::NewOutput, static_cast<size_t>(it - newOutputs.begin())};
  }
};

/// transpose(A) . C over the rows of the stacks `a` and `c` (length x
/// rows x cols): one linalg.matmul of the stacks collapsed to (length *
/// rows) x cols, whose first operand's map transposes it, into zeros. Built
/// in linalg here rather than as theon.dot of a theon.dimshuffle: a
/// dynamic length is no theon.reshape's, and the transpose, once fused
/// with the collapse, was copied rather than read through the map.
Value productOfStacks(OpBuilder &b, Location loc, Value a, Value c) {
  SmallVector<ReassociationIndices> rowsTogether{{0, 1}, {2}};
  Value a2 = tensor::CollapseShapeOp::create(b, loc, a, rowsTogether);
  Value c2 = tensor::CollapseShapeOp::create(b, loc, c, rowsTogether);
  auto aType = cast<RankedTensorType>(a.getType()), cType = cast<RankedTensorType>(c.getType());
  Type element = aType.getElementType();
  SmallVector<int64_t> shape{aType.getDimSize(2), cType.getDimSize(2)};
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
  Value init = linalg::FillOp::create(b, loc, zero,
                                      tensor::EmptyOp::create(b, loc, shape, element).getResult())
                   .getResult(0);
  MLIRContext *ctx = b.getContext();
  AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {k, m}, ctx), AffineMap::get(3, 0, {k, n}, ctx),
                              AffineMap::get(3, 0, {m, n}, ctx)};
  auto matmul = linalg::MatmulOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{a2, c2}, ValueRange{init},
      {b.getNamedAttr("indexing_maps", b.getAffineMapArrayAttr(maps))});
  return matmul->getResult(0);
}

/// The first `length` rows of `seq`.
Value firstRows(OpBuilder &b, Location loc, Value seq, int64_t length) {
  auto t = cast<RankedTensorType>(seq.getType());
  if (t.getDimSize(0) == length)
    return seq;
  SmallVector<int64_t> starts(t.getRank(), 0), steps(t.getRank(), 1), sizes(t.getShape());
  sizes[0] = length;
  auto type = RankedTensorType::get(sizes, t.getElementType());
  return SubtensorOp::create(b, loc, type, seq, starts, steps, sizes, ArrayRef<int64_t>{});
}

void batchProducts(ScanOp scan) {
  int64_t length = static_cast<int64_t>(scan.getLength());
  bool dynamic = scan.hasDynamicLength();
  if (!dynamic && length < 2)
    return;
  SmallVector<SummedProduct> products;
  for (size_t j = 0; j < scan.getInits().size(); ++j)
    if (auto p = summedProduct(scan, j))
      products.push_back(*p);
  if (products.empty())
    return;

  Block &body = scan.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  size_t numStates = scan.getInits().size(), numSeq = scan.getSequences().size();
  llvm::SmallDenseSet<size_t> removed;
  for (const SummedProduct &p : products)
    removed.insert(p.state);
  Stacks stacks{scan, {}};
  SmallVector<std::pair<StackRef, StackRef>> operandsOf; // of a, of c
  for (const SummedProduct &p : products)
    operandsOf.push_back({stacks.of(p.a), stacks.of(p.c)});

  // The body without the summing states, with the stacked values as outputs.
  SmallVector<Value> yields, inits;
  for (size_t j = 0; j < numStates; ++j)
    if (!removed.contains(j)) {
      yields.push_back(yield.getValues()[j]);
      inits.push_back(scan.getInits()[j]);
    }
  auto outputs = yield.getValues().drop_front(numStates);
  yields.append(outputs.begin(), outputs.end());
  yields.append(stacks.newOutputs);
  OpBuilder b(yield);
  YieldOp::create(b, yield.getLoc(), yields);
  SmallVector<Operation *> dead; // each sum, then its product and transpose
  for (SummedProduct &p : products)
    dead.append({p.sum, p.product, p.product.getLhs().getDefiningOp()});
  yield.erase();
  for (Operation *op : dead)
    if (op->use_empty())
      op->erase();
  for (size_t j = numStates; j-- > 0;)
    if (removed.contains(j))
      body.eraseArgument(numSeq + j);

  SmallVector<Type> resultTypes;
  for (Value v : inits)
    resultTypes.push_back(v.getType());
  for (Value out : scan.getOutputs())
    resultTypes.push_back(out.getType());
  for (Value v : stacks.newOutputs)
    resultTypes.push_back(scan.getStackedType(v.getType()));
  b.setInsertionPoint(scan);
  Location loc = scan.getLoc();
  auto batched = ScanOp::create(b, loc, resultTypes, scan.getSequences(), inits, scan.getParams(),
                                scan.getLength(), scan.getReverse());
  batched.getBody().takeBody(scan.getBody());

  // Old results: kept states, then outputs, in the same order.
  size_t kept = 0;
  for (size_t j = 0; j < numStates; ++j)
    if (!removed.contains(j))
      scan.getResult(j).replaceAllUsesWith(batched.getResult(kept++));
  size_t numOutputs = scan.getOutputs().size();
  for (size_t m = 0; m < numOutputs; ++m)
    scan.getOutputs()[m].replaceAllUsesWith(batched.getResult(kept + m));
  auto stackOf = [&](StackRef ref) -> Value {
    switch (ref.kind) {
    case StackRef::Sequence: // a dynamic length is the sequences' rows
      return dynamic ? scan.getSequences()[ref.index]
                     : firstRows(b, loc, scan.getSequences()[ref.index], length);
    case StackRef::Output:
      return batched.getResult(kept + ref.index);
    case StackRef::NewOutput:
      break;
    }
    return batched.getResult(kept + numOutputs + ref.index);
  };
  for (auto [p, refs] : llvm::zip(products, operandsOf)) {
    Value total = productOfStacks(b, loc, stackOf(refs.first), stackOf(refs.second));
    Value init = scan.getInits()[p.state];
    if (!matchPattern(init, m_AnyZeroFloat()))
      total = AddOp::create(b, loc, init.getType(), init, total);
    scan.getResult(p.state).replaceAllUsesWith(total);
  }
  scan.erase();
}

struct ScanBatchProductsPass
    : theon::impl::TheonScanBatchProductsBase<ScanBatchProductsPass> {
  void runOnOperation() override {
    // Inner scans first: an outer body's values are then final.
    SmallVector<ScanOp> scans;
    getOperation().walk([&](ScanOp scan) { scans.push_back(scan); });
    for (ScanOp scan : scans)
      batchProducts(scan);
  }
};

} // namespace
