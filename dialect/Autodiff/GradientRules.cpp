//===- GradientRules.cpp - derivative rules of non-elementwise theon ops --===//
//
// GradientOpInterface implementations written by hand: contractions,
// reductions, shape ops and indexing. Elementwise ops get theirs generated
// from their ODS `derivatives` (Derivatives.td).
//
//===----------------------------------------------------------------------===//
#include "dialect/IR/TheonOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <functional>

using namespace mlir;
using namespace mlir::theon;

#define THEON_GRADIENT(Op)                                                                      \
  LogicalResult Op::buildGradients(GradientContext &ctx, ArrayRef<Value> resultGrads,           \
                                   SmallVectorImpl<OperandGradient> &operandGrads)

THEON_GRADIENT(CastOp) {
  auto from = typeOf(getX());
  // Only float-to-float casts carry a gradient; integers have none.
  if (!isa<FloatType>(from.getElementType()) ||
      !isa<FloatType>(typeOf(getResult()).getElementType())) {
    operandGrads.push_back(OperandGradient::disconnected());
    return success();
  }
  operandGrads.push_back(
      OperandGradient::of(CastOp::create(ctx.builder(), ctx.loc(), from, resultGrads[0])));
  return success();
}

//===----------------------------------------------------------------------===//
// dot
//===----------------------------------------------------------------------===//

THEON_GRADIENT(DotOp) {
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  Value g = resultGrads[0], x = getLhs(), y = getRhs();
  RankedTensorType xt = typeOf(x), yt = typeOf(y);
  auto transpose = [&](Value m) {
    return DimShuffleOp::create(b, loc, m, b.getDenseI64ArrayAttr({1, 0}));
  };
  auto dot = [&](Value l, Value r) { return DotOp::create(b, loc, l, r); };
  // outer(u, v) = u[:, None] * v[None, :]
  auto outer = [&](Value u, Value v) {
    Value col = DimShuffleOp::create(b, loc, u, b.getDenseI64ArrayAttr({0, DimShuffleOp::kNewAxis}));
    Value row = DimShuffleOp::create(b, loc, v, b.getDenseI64ArrayAttr({DimShuffleOp::kNewAxis, 0}));
    return MulOp::create(b, loc, col, row);
  };
  Value gx, gy;
  if (xt.getRank() == 3) { // batches of matrix products
    auto batchTranspose = [&](Value m) {
      return DimShuffleOp::create(b, loc, m, b.getDenseI64ArrayAttr({0, 2, 1}));
    };
    gx = dot(g, batchTranspose(y));
    gy = dot(batchTranspose(x), g);
  } else if (xt.getRank() == 2 && yt.getRank() == 2) {
    gx = dot(g, transpose(y));
    gy = dot(transpose(x), g);
  } else if (xt.getRank() == 2) { // matrix . vector
    gx = outer(g, y);
    gy = dot(transpose(x), g);
  } else if (yt.getRank() == 2) { // vector . matrix
    gx = dot(y, g);
    gy = outer(x, g);
  } else { // vector . vector, g is rank 0
    gx = MulOp::create(b, loc, y, g);
    gy = MulOp::create(b, loc, x, g);
  }
  operandGrads.push_back(OperandGradient::of(gx));
  operandGrads.push_back(OperandGradient::of(gy));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

THEON_GRADIENT(SumOp) {
  operandGrads.push_back(
      OperandGradient::of(ctx.expandReduced(resultGrads[0], getInput(), getAxes())));
  return success();
}

THEON_GRADIENT(MeanOp) {
  RankedTensorType in = typeOf(getInput());
  Value count = elementCount(ctx.builder(), ctx.loc(), getInput(), getAxes(),
                             cast<FloatType>(in.getElementType()));
  Value g = DivOp::create(ctx.builder(), ctx.loc(), resultGrads[0], count);
  operandGrads.push_back(OperandGradient::of(ctx.expandReduced(g, getInput(), getAxes())));
  return success();
}

THEON_GRADIENT(ProdOp) {
  // d prod / dx_i = prod / x_i (undefined where x_i = 0, as Theano's default).
  OpBuilder &b = ctx.builder();
  Value g = ctx.expandReduced(resultGrads[0], getInput(), getAxes());
  Value r = ctx.expandReduced(getResult(), getInput(), getAxes());
  operandGrads.push_back(OperandGradient::of(
      DivOp::create(b, ctx.loc(), MulOp::create(b, ctx.loc(), g, r), getInput())));
  return success();
}

/// max/min over axes: the gradient goes to the elements equal to the
/// extreme, split evenly among them when several tie (as PyTorch and JAX),
/// so that it sums to the result's gradient. A NaN extreme matches no
/// element: the count is then clamped to 1 and the gradient is 0.
template <typename Op>
static OperandGradient extremeReductionGradient(Op op, GradientContext &ctx, Value g) {
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  RankedTensorType in = typeOf(op.getInput());
  Value expandedG = ctx.expandReduced(g, op.getInput(), op.getAxes());
  Value expandedR = ctx.expandReduced(op.getResult(), op.getInput(), op.getAxes());
  Value mask = ctx.equalMask(op.getInput(), expandedR);
  Value ties = SumOp::create(b, loc, mask, b.getDenseI64ArrayAttr(op.getAxes()), UnitAttr());
  Value atLeastOne = MaximumOp::create(b, loc, ties, ctx.scalar(in.getElementType(), 1.0));
  Value share =
      DivOp::create(b, loc, mask, ctx.expandReduced(atLeastOne, op.getInput(), op.getAxes()));
  return OperandGradient::of(MulOp::create(b, loc, expandedG, share));
}

THEON_GRADIENT(MaxOp) {
  operandGrads.push_back(extremeReductionGradient(*this, ctx, resultGrads[0]));
  return success();
}

THEON_GRADIENT(MinOp) {
  operandGrads.push_back(extremeReductionGradient(*this, ctx, resultGrads[0]));
  return success();
}

THEON_GRADIENT(LogSoftmaxOp) {
  // d/dx: g - softmax(x) * sum(g, axis)
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  Value g = resultGrads[0];
  int64_t axis = static_cast<int64_t>(getAxis());
  Value total = SumOp::create(b, loc, g, b.getDenseI64ArrayAttr({axis}), b.getUnitAttr());
  Value softmax = ExpOp::create(b, loc, getResult());
  operandGrads.push_back(
      OperandGradient::of(SubOp::create(b, loc, g, MulOp::create(b, loc, softmax, total))));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops and indexing
//===----------------------------------------------------------------------===//

THEON_GRADIENT(ReshapeOp) {
  operandGrads.push_back(OperandGradient::of(
      ReshapeOp::create(ctx.builder(), ctx.loc(), typeOf(getX()), resultGrads[0])));
  return success();
}

THEON_GRADIENT(DimShuffleOp) {
  // The inverse pattern: each input axis comes from where it went, dropped
  // (size-1) axes come back as 'x'; inserted 'x' axes are dropped.
  RankedTensorType in = typeOf(getX());
  SmallVector<int64_t> inverse(in.getRank(), kNewAxis);
  for (auto [position, axis] : llvm::enumerate(getPattern()))
    if (axis != kNewAxis)
      inverse[axis] = static_cast<int64_t>(position);
  operandGrads.push_back(OperandGradient::of(DimShuffleOp::create(
      ctx.builder(), ctx.loc(), in, resultGrads[0], ctx.builder().getDenseI64ArrayAttr(inverse))));
  return success();
}

THEON_GRADIENT(BroadcastToOp) {
  operandGrads.push_back(OperandGradient::of(ctx.unbroadcast(resultGrads[0], getX().getType())));
  return success();
}

THEON_GRADIENT(RandomOp) {
  // The numbers do not vary with the state continuously: its integer words
  // only pick them. (Asked for inside a scan, whose every state is active.)
  operandGrads.push_back(OperandGradient::disconnected());
  return success();
}

THEON_GRADIENT(TakeOp) {
  RankedTensorType xt = typeOf(getX());
  operandGrads.push_back(OperandGradient::of(ScatterAddOp::create(
      ctx.builder(), ctx.loc(), xt, ctx.splat(xt, 0), getIndices(), resultGrads[0])));
  operandGrads.push_back(OperandGradient::disconnected());
  return success();
}

THEON_GRADIENT(SubtensorOp) {
  // The slice's gradient, put back where the slice came from.
  RankedTensorType xt = typeOf(getX());
  operandGrads.push_back(OperandGradient::of(UpdateSubtensorOp::create(
      ctx.builder(), ctx.loc(), xt, ctx.zerosLike(getX()), resultGrads[0], getStarts(), getSteps(),
      getSizes(), getDropped(), /*set=*/false)));
  return success();
}

THEON_GRADIENT(ConcatenateOp) {
  // Each operand's part of the gradient: its slice along the axis.
  int64_t axis = static_cast<int64_t>(getAxis()), offset = 0;
  for (Value input : getInputs()) {
    RankedTensorType t = typeOf(input);
    SmallVector<int64_t> starts(t.getRank(), 0), steps(t.getRank(), 1);
    starts[axis] = offset;
    offset += t.getDimSize(axis);
    operandGrads.push_back(OperandGradient::of(SubtensorOp::create(
        ctx.builder(), ctx.loc(), t, resultGrads[0], starts, steps, t.getShape(), {})));
  }
  return success();
}

THEON_GRADIENT(UpdateSubtensorOp) {
  OpBuilder &b = ctx.builder();
  Value g = resultGrads[0];
  RankedTensorType vt = typeOf(getV());
  // x: everywhere but the slice when it is set; everywhere when increased.
  Value gx = getSet() ? Value(UpdateSubtensorOp::create(b, ctx.loc(), typeOf(getX()), g,
                                                         ctx.splat(vt, 0), getStarts(),
                                                         getSteps(), getSizes(), getDropped(),
                                                         /*set=*/true))
                      : g;
  operandGrads.push_back(OperandGradient::of(gx));
  operandGrads.push_back(OperandGradient::of(SubtensorOp::create(
      b, ctx.loc(), vt, g, getStarts(), getSteps(), getSizes(), getDropped())));
  return success();
}

THEON_GRADIENT(ScatterAddOp) {
  if (getSet())
    return emitOpError("with `set` is not differentiable (the front end uses it on integer "
                       "positions only)");
  Value g = resultGrads[0];
  operandGrads.push_back(OperandGradient::of(g));
  operandGrads.push_back(OperandGradient::disconnected());
  operandGrads.push_back(OperandGradient::of(
      TakeOp::create(ctx.builder(), ctx.loc(), typeOf(getUpdates()), g, getIndices())));
  return success();
}

THEON_GRADIENT(ZeroGradOp) {
  operandGrads.push_back(OperandGradient::zero());
  return success();
}

THEON_GRADIENT(GradClipOp) {
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  Type element = typeOf(getX()).getElementType();
  Value lo = ctx.scalar(element, getLo().convertToDouble());
  Value hi = ctx.scalar(element, getHi().convertToDouble());
  Value clipped = MinimumOp::create(b, loc, MaximumOp::create(b, loc, resultGrads[0], lo), hi);
  operandGrads.push_back(OperandGradient::of(clipped));
  return success();
}

THEON_GRADIENT(CumsumOp) {
  // Each element feeds every later total: the running sum of g from the
  // other end.
  operandGrads.push_back(OperandGradient::of(CumsumOp::create(
      ctx.builder(), ctx.loc(), resultGrads[0], getAxis(), !getReverse())));
  return success();
}

THEON_GRADIENT(CumprodOp) {
  // Theano's rule: the reverse running sum of g * result, divided by x
  // (not finite where x is 0, as in Theano).
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  Value weighted = MulOp::create(b, loc, resultGrads[0], getResult());
  Value total = CumsumOp::create(b, loc, weighted, getAxis(), !getReverse());
  operandGrads.push_back(OperandGradient::of(DivOp::create(b, loc, total, getX())));
  return success();
}

THEON_GRADIENT(TakePerRowOp) {
  operandGrads.push_back(OperandGradient::of(PutPerRowOp::create(
      ctx.builder(), ctx.loc(), typeOf(getX()), resultGrads[0], getIndices())));
  operandGrads.push_back(OperandGradient::disconnected());
  return success();
}

THEON_GRADIENT(PutPerRowOp) {
  operandGrads.push_back(OperandGradient::of(TakePerRowOp::create(
      ctx.builder(), ctx.loc(), typeOf(getValues()), resultGrads[0], getIndices())));
  operandGrads.push_back(OperandGradient::disconnected());
  return success();
}

THEON_GRADIENT(ExtractDiagOp) {
  operandGrads.push_back(OperandGradient::of(
      AllocDiagOp::create(ctx.builder(), ctx.loc(), typeOf(getX()), resultGrads[0])));
  return success();
}

THEON_GRADIENT(AllocDiagOp) {
  operandGrads.push_back(OperandGradient::of(
      ExtractDiagOp::create(ctx.builder(), ctx.loc(), typeOf(getV()), resultGrads[0])));
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// conv2d is bilinear: <conv2d(x, w), g> = <x, grad_input(w, g)>
// = <w, grad_filters(x, g)>. Each gradient op's own rule follows from the
// same identity, so second derivatives stay these three ops.

THEON_GRADIENT(Conv2dOp) {
  OpBuilder &b = ctx.builder();
  Value g = resultGrads[0];
  operandGrads.push_back(OperandGradient::of(
      Conv2dGradInputOp::create(b, ctx.loc(), typeOf(getX()), getFilters(), g, getStrides(),
                                getPadding(), getDilations(), getGroups())));
  operandGrads.push_back(OperandGradient::of(
      Conv2dGradFiltersOp::create(b, ctx.loc(), typeOf(getFilters()), getX(), g, getStrides(),
                                  getPadding(), getDilations(), getGroups())));
  return success();
}

THEON_GRADIENT(Conv2dGradInputOp) {
  // dx = grad_input(w, g), so <dxBar, dx> = <conv2d(dxBar, w), g>.
  OpBuilder &b = ctx.builder();
  Value dxBar = resultGrads[0];
  operandGrads.push_back(OperandGradient::of(
      Conv2dGradFiltersOp::create(b, ctx.loc(), typeOf(getFilters()), dxBar, getG(), getStrides(),
                                  getPadding(), getDilations(), getGroups())));
  operandGrads.push_back(OperandGradient::of(
      Conv2dOp::create(b, ctx.loc(), typeOf(getG()), dxBar, getFilters(), getStrides(),
                       getPadding(), getDilations(), getGroups())));
  return success();
}

THEON_GRADIENT(Conv2dGradFiltersOp) {
  // dw = grad_filters(x, g), so <dwBar, dw> = <conv2d(x, dwBar), g>.
  OpBuilder &b = ctx.builder();
  Value dwBar = resultGrads[0];
  operandGrads.push_back(OperandGradient::of(
      Conv2dGradInputOp::create(b, ctx.loc(), typeOf(getX()), dwBar, getG(), getStrides(),
                                getPadding(), getDilations(), getGroups())));
  operandGrads.push_back(OperandGradient::of(
      Conv2dOp::create(b, ctx.loc(), typeOf(getG()), getX(), dwBar, getStrides(), getPadding(),
                       getDilations(), getGroups())));
  return success();
}

THEON_GRADIENT(Pool2dOp) {
  operandGrads.push_back(OperandGradient::of(Pool2dGradOp::create(
      ctx.builder(), ctx.loc(), typeOf(getX()), getX(), getResult(), resultGrads[0], getMode(),
      getWindow(), getStrides(), getPadding(), getIgnoreBorder())));
  return success();
}

THEON_GRADIENT(Pool2dGradOp) {
  // Linear in g for the window sums and averages: its gradient with
  // respect to g is the pooling itself. The max form's is not built.
  operandGrads.push_back(OperandGradient::disconnected());
  operandGrads.push_back(OperandGradient::disconnected());
  if (getMode() == PoolMode::max) {
    operandGrads.push_back(
        OperandGradient::undefined("the gradient of max pooling's gradient is not implemented"));
    return success();
  }
  operandGrads.push_back(OperandGradient::of(Pool2dOp::create(
      ctx.builder(), ctx.loc(), typeOf(getG()), resultGrads[0], getMode(), getWindow(),
      getStrides(), getPadding(), getIgnoreBorder())));
  return success();
}

//===----------------------------------------------------------------------===//
// scan
//===----------------------------------------------------------------------===//

namespace {
/// Slices along the first axis of the tensors a scan steps over.
struct RowSlicer {
  OpBuilder &b;
  Location loc;

  /// Rows [start, start + count) of `x`.
  Value rows(Value x, int64_t start, int64_t count) {
    RankedTensorType t = typeOf(x);
    if (start == 0 && count == t.getDimSize(0)) // also a dynamic length's (equal) rows
      return x;
    SmallVector<int64_t> starts(t.getRank(), 0), steps(t.getRank(), 1), sizes(t.getShape());
    starts[0] = start;
    sizes[0] = count;
    auto type = RankedTensorType::get(sizes, t.getElementType());
    return SubtensorOp::create(b, loc, type, x, starts, steps, sizes, ArrayRef<int64_t>{});
  }
};

bool isFloatTensor(Value v) { return isa<FloatType>(typeOf(v).getElementType()); }

/// Whether `v` is all zeros by construction (a splat constant, or a
/// tensor.splat of one).
bool isZeros(Value v) {
  if (auto splat = v.getDefiningOp<tensor::SplatOp>())
    v = splat.getInput();
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return false;
  if (auto dense = dyn_cast<SplatElementsAttr>(attr))
    attr = dense.getSplatValue<Attribute>();
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValue().isZero();
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return i.getValue().isZero();
  return false;
}

/// The products of a scan body worth keeping for the gradient: those whose
/// value changes from step to step (it depends on a row or a state).
SmallVector<Operation *> productsToKeep(Block &body) {
  auto scan = cast<ScanOp>(body.getParentOp());
  llvm::SmallPtrSet<Value, 32> varying;
  for (Value arg : llvm::concat<Value>(scan.getSequenceArguments(), scan.getStateArguments()))
    varying.insert(arg);
  SmallVector<Operation *> products;
  for (Operation &op : body.without_terminator()) {
    bool dependsOnStep = false;
    op.walk([&](Operation *inner) {
      for (Value operand : inner->getOperands())
        dependsOnStep |= varying.contains(operand);
    });
    if (!dependsOnStep)
      continue;
    for (Value r : op.getResults())
      varying.insert(r);
    if (isa<DotOp, Conv2dOp>(op))
      products.push_back(&op);
  }
  return products;
}
} // namespace

THEON_GRADIENT(ScanOp) {
  // Backpropagation through time: a scan in the other direction whose body
  // is this body's gradient (the body cloned, then swept). Its step s is
  // this scan's step length - 1 - s, so it reads the very rows that step
  // read: the sequences' rows, the state the step started from, the
  // outputs' gradients and the step's kept products. It carries each
  // state's gradient (starting from the final state's) and sums the
  // params' gradients.
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  RowSlicer rs{b, loc};
  int64_t length = static_cast<int64_t>(getLength());
  bool reverse = getReverse();
  size_t numSeq = getSequences().size(), numStates = getInits().size(),
         numParams = getParams().size(), numOutputs = getOutputs().size();
  ArrayRef<Value> finalGrads = resultGrads.take_front(numStates);
  ArrayRef<Value> outputGrads = resultGrads.drop_front(numStates);

  if (length == 0) { // no step: the final states are the inits
    for (Value seq : getSequences())
      operandGrads.push_back(isFloatTensor(seq) ? OperandGradient::zero()
                                                : OperandGradient::disconnected());
    for (size_t j = 0; j < numStates; ++j)
      operandGrads.push_back(isFloatTensor(getInits()[j]) ? OperandGradient::of(finalGrads[j])
                                                          : OperandGradient::disconnected());
    for (Value p : getParams())
      operandGrads.push_back(isFloatTensor(p) ? OperandGradient::zero()
                                              : OperandGradient::disconnected());
    return success();
  }

  // The values the backward steps read from the forward ones, each from an
  // output: one that already yields it, or one added to this scan. The
  // state each step started from (the body's state argument, stacked at the
  // row the step reads, so that the backward step at that row reads it
  // without a shifted copy of the history), and the step's products, which
  // are kept rather than recomputed: the backward body reads their rows and
  // recomputes only the elementwise work around them.
  SmallVector<Value> added;
  auto outputYielding = [&](Value v) -> size_t {
    if (std::optional<size_t> m = getOutputYielding(v))
      return *m;
    auto known = llvm::find(added, v);
    if (known == added.end())
      known = added.insert(added.end(), v);
    return numOutputs + std::distance(added.begin(), known);
  };
  SmallVector<size_t> startStates;
  for (Value state : getStateArguments())
    startStates.push_back(outputYielding(state));
  SmallVector<Operation *> keptProducts = productsToKeep(getBody().front());
  SmallVector<size_t> productHistory;
  for (Operation *product : keptProducts)
    productHistory.push_back(outputYielding(product->getResult(0)));

  ScanOp forward = *this;
  if (!added.empty()) {
    SmallVector<Type> types(getResultTypes());
    for (Value v : added)
      types.push_back(getStackedType(v.getType()));
    OpBuilder atForward(getOperation()); // where its results' users can see them
    forward = ScanOp::create(atForward, getLoc(), types, getSequences(), getInits(), getParams(),
                             getLength(), reverse);
    IRMapping bodyMap;
    getBody().cloneInto(&forward.getBody(), bodyMap);
    auto newYield = cast<YieldOp>(forward.getBody().front().getTerminator());
    for (Value v : added)
      newYield->insertOperands(newYield->getNumOperands(), bodyMap.lookupOrDefault(v));
    ctx.replaceForward(getOperation(), forward);
  }

  SmallVector<Value> sequences, inits;
  for (Value seq : getSequences())
    sequences.push_back(rs.rows(seq, 0, length));
  for (size_t m : startStates)
    sequences.push_back(forward.getOutputs()[m]);
  // An output's gradient that is zeros (the output not used, such as an
  // output this rule added) is a zero row in the body, not a sequence of
  // zeros in memory.
  SmallVector<bool> zeroOutputGrad;
  size_t numOutputGrads = 0;
  for (Value g : outputGrads) {
    zeroOutputGrad.push_back(isZeros(g));
    if (!zeroOutputGrad.back()) {
      sequences.push_back(g);
      ++numOutputGrads;
    }
  }
  for (size_t m : productHistory)
    sequences.push_back(forward.getOutputs()[m]);
  for (Value g : finalGrads)
    inits.push_back(g);
  for (Value p : getParams())
    inits.push_back(ctx.splat(p.getType(), 0.0));

  SmallVector<Type> resultTypes;
  for (Value v : inits)
    resultTypes.push_back(v.getType());
  for (Value row : getSequenceArguments()) // each sequence's gradient, row by row
    resultTypes.push_back(getStackedType(row.getType()));
  auto backward = ScanOp::create(b, loc, resultTypes, sequences, inits, getParams(), getLength(),
                                 !reverse);
  Block *block = new Block();
  backward.getBody().push_back(block);
  for (Value v : llvm::concat<Value>(sequences, inits, getParams())) {
    RankedTensorType t = typeOf(v);
    bool isRow = block->getNumArguments() < sequences.size();
    block->addArgument(isRow ? RankedTensorType::get(t.getShape().drop_front(), t.getElementType())
                             : Type(t),
                       loc);
  }
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(block);
    auto args = block->getArguments();
    auto rowsOfSeq = args.take_front(numSeq);
    auto prevStates = args.slice(numSeq, numStates);
    auto gOutputRows = args.slice(numSeq + numStates, numOutputGrads);
    auto keptRows = args.slice(numSeq + numStates + numOutputGrads, keptProducts.size());
    auto gStates = args.slice(sequences.size(), numStates);
    auto gParamSums = args.slice(sequences.size() + numStates, numParams);
    auto params = args.take_back(numParams);
    SmallVector<Value> forwardArgs(rowsOfSeq.begin(), rowsOfSeq.end());
    forwardArgs.append(prevStates.begin(), prevStates.end());
    forwardArgs.append(params.begin(), params.end());
    SmallVector<Value> yieldedGrads(gStates.begin(), gStates.end());
    auto yield = cast<YieldOp>(getBody().front().getTerminator());
    auto nextRow = gOutputRows.begin();
    for (auto [j, zero] : llvm::enumerate(zeroOutputGrad))
      yieldedGrads.push_back(
          zero ? ctx.splat(yield.getValues()[numStates + j].getType(), 0.0) : Value(*nextRow++));
    IRMapping clones;
    auto grads = ctx.differentiateRegion(getBody(), forwardArgs, yieldedGrads, &clones);
    if (failed(grads))
      return failure();
    for (auto [product, row] : llvm::zip(keptProducts, keptRows)) {
      Value recomputed = clones.lookup(product->getResult(0));
      recomputed.replaceAllUsesWith(row);
      recomputed.getDefiningOp()->erase();
    }
    auto valueOr = [&](const OperandGradient &g, Value like) -> FailureOr<Value> {
      if (g.kind() == OperandGradient::Kind::Value)
        return g.value();
      if (g.kind() == OperandGradient::Kind::Undefined)
        return failure();
      return ctx.splat(like.getType(), 0.0);
    };
    SmallVector<Value> yields;
    for (size_t j = 0; j < numStates; ++j) {
      auto g = valueOr((*grads)[numSeq + j], prevStates[j]);
      if (failed(g))
        return emitOpError("has no gradient through state #") << j << ": " << (*grads)[numSeq + j].reason();
      yields.push_back(*g);
    }
    for (size_t k = 0; k < numParams; ++k) {
      auto g = valueOr((*grads)[numSeq + numStates + k], params[k]);
      if (failed(g))
        return emitOpError("has no gradient with respect to param #")
               << k << ": " << (*grads)[numSeq + numStates + k].reason();
      yields.push_back(isFloatTensor(params[k]) ? Value(AddOp::create(b, loc, params[k].getType(),
                                                                       gParamSums[k], *g))
                                                : gParamSums[k]);
    }
    for (size_t i = 0; i < numSeq; ++i) {
      auto g = valueOr((*grads)[i], rowsOfSeq[i]);
      if (failed(g))
        return emitOpError("has no gradient with respect to sequence #")
               << i << ": " << (*grads)[i].reason();
      yields.push_back(*g);
    }
    YieldOp::create(b, loc, yields);
  }

  // Each sequence's gradient: the backward scan stacks each row's where
  // the row was; zeros below `length`.
  for (size_t i = 0; i < numSeq; ++i) {
    Value seq = getSequences()[i];
    if (!isFloatTensor(seq)) {
      operandGrads.push_back(OperandGradient::disconnected());
      continue;
    }
    Value rowsGrad = backward.getResult(numStates + numParams + i);
    RankedTensorType t = typeOf(seq);
    if (t.getDimSize(0) != length) {
      SmallVector<int64_t> starts(t.getRank(), 0), steps(t.getRank(), 1), sizes(t.getShape());
      sizes[0] = length;
      rowsGrad = UpdateSubtensorOp::create(b, loc, t, ctx.splat(t, 0.0), rowsGrad, starts, steps,
                                           sizes, ArrayRef<int64_t>{}, /*set=*/true);
    }
    operandGrads.push_back(OperandGradient::of(rowsGrad));
  }
  for (size_t j = 0; j < numStates + numParams; ++j) {
    Value operand = j < numStates ? getInits()[j] : getParams()[j - numStates];
    operandGrads.push_back(isFloatTensor(operand) ? OperandGradient::of(backward.getResult(j))
                                                  : OperandGradient::disconnected());
  }
  return success();
}
