//===- TheonGradients.cpp - derivative rules of theon ops -----------------===//
//
// GradientOpInterface implementations. Each rule builds, at the builder's
// insertion point, the gradient of every operand from the gradient `g` of
// the result, reduced to the operand's shape where broadcasting stretched it.
//
//===----------------------------------------------------------------------===//
#include "dialect/IR/TheonOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::theon;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// A rank-0 constant `value` of element type `element`.
Value scalar(OpBuilder &b, Location loc, Type element, double value) {
  auto type = RankedTensorType::get({}, element);
  Attribute attr = isa<FloatType>(element)
                       ? Attribute(b.getFloatAttr(element, value))
                       : Attribute(b.getIntegerAttr(element, (int64_t)value));
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, attr));
}

/// `Op(x, y)` with the broadcast result type computed here; its element type
/// is x's unless `element` is given (comparisons).
template <typename Op>
Value binary(OpBuilder &b, Location loc, Value x, Value y, Type element = {}) {
  SmallVector<int64_t> shape;
  (void)broadcastShapes(typeOf(x).getShape(), typeOf(y).getShape(), shape);
  auto type = RankedTensorType::get(shape, element ? element : typeOf(x).getElementType());
  return Op::create(b, loc, type, x, y);
}

/// Sums `g` over the dimensions broadcasting added or stretched so that it
/// has `target`'s shape.
Value unbroadcast(OpBuilder &b, Location loc, Value g, RankedTensorType target) {
  RankedTensorType type = typeOf(g);
  if (type.getShape() == target.getShape())
    return g;
  int64_t offset = type.getRank() - target.getRank();
  SmallVector<int64_t> axes, kept;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    bool stretched = d < offset || (target.getDimSize(d - offset) == 1 &&
                                    type.getDimSize(d) != 1);
    if (stretched)
      axes.push_back(d);
    else
      kept.push_back(type.getDimSize(d));
  }
  Value summed = g;
  if (!axes.empty())
    summed = SumOp::create(b, loc, RankedTensorType::get(kept, type.getElementType()),
                           g, b.getDenseI64ArrayAttr(axes), UnitAttr());
  if (typeOf(summed) != target)
    summed = ReshapeOp::create(b, loc, target, summed);
  return summed;
}

/// Brings the gradient of a reduction back to the input's shape: size-1
/// dimensions where the axes were, then broadcast.
Value expandReduced(OpBuilder &b, Location loc, Value g, RankedTensorType input,
                    ArrayRef<int64_t> axes) {
  SmallVector<int64_t> keptShape(input.getShape());
  for (int64_t a : axes)
    keptShape[a] = 1;
  Type element = typeOf(g).getElementType();
  auto kept = RankedTensorType::get(keptShape, element);
  if (typeOf(g) != kept)
    g = ReshapeOp::create(b, loc, kept, g);
  auto full = RankedTensorType::get(input.getShape(), element);
  if (kept != full)
    g = BroadcastToOp::create(b, loc, full, g);
  return g;
}

/// 1 where x == y and 0 elsewhere (broadcast), in x's float type.
Value equalMask(OpBuilder &b, Location loc, Value x, Value y) {
  Value equal = binary<EqOp>(b, loc, x, y, b.getI1Type());
  auto type = RankedTensorType::get(typeOf(equal).getShape(), typeOf(x).getElementType());
  return CastOp::create(b, loc, type, equal);
}

/// The gradient flowing to one operand of an elementwise op: `local` times
/// `g`, reduced to the operand's shape.
Value chain(OpBuilder &b, Location loc, Value g, Value local, Value operand) {
  return unbroadcast(b, loc, binary<MulOp>(b, loc, g, local), typeOf(operand));
}

} // namespace

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

#define THEON_GRADIENT(Op)                                                     \
  LogicalResult Op::buildGradients(OpBuilder &b, ArrayRef<Value> resultGrads,  \
                                   SmallVectorImpl<Value> &operandGrads)

/// Rules of the form d/dx f(x) = local(x, f(x)).
#define THEON_UNARY_GRADIENT(Op, localExpr)                                    \
  THEON_GRADIENT(Op) {                                                         \
    Location loc = getLoc();                                                   \
    Value g = resultGrads[0], x = getX(), r = getResult();                     \
    Type el = typeOf(x).getElementType();                                      \
    (void)r;                                                                   \
    (void)el;                                                                  \
    operandGrads.push_back(localExpr);                                         \
    return success();                                                          \
  }

THEON_UNARY_GRADIENT(NegOp, (NegOp::create(b, loc, g)))
THEON_UNARY_GRADIENT(AbsOp, (binary<MulOp>(b, loc, g, SignOp::create(b, loc, x))))
THEON_UNARY_GRADIENT(ExpOp, (binary<MulOp>(b, loc, g, r)))
THEON_UNARY_GRADIENT(LogOp, (binary<DivOp>(b, loc, g, x)))
THEON_UNARY_GRADIENT(Log1pOp,
                     (binary<DivOp>(b, loc, g,
                                    binary<AddOp>(b, loc, x, scalar(b, loc, el, 1)))))
THEON_UNARY_GRADIENT(SqrtOp,
                     (binary<DivOp>(b, loc, g,
                                    binary<MulOp>(b, loc, r, scalar(b, loc, el, 2)))))
THEON_UNARY_GRADIENT(SinOp, (binary<MulOp>(b, loc, g, CosOp::create(b, loc, x))))
THEON_UNARY_GRADIENT(CosOp, (NegOp::create(b, loc, binary<MulOp>(b, loc, g,
                                                               SinOp::create(b, loc, x)))))
// d tanh = 1 - tanh^2
THEON_UNARY_GRADIENT(TanhOp,
                     (binary<MulOp>(b, loc, g,
                                    binary<SubOp>(b, loc, scalar(b, loc, el, 1),
                                                  binary<MulOp>(b, loc, r, r)))))
// d sigmoid = s (1 - s)
THEON_UNARY_GRADIENT(SigmoidOp,
                     (binary<MulOp>(b, loc, g,
                                    binary<MulOp>(b, loc, r,
                                                  binary<SubOp>(b, loc, scalar(b, loc, el, 1),
                                                                r)))))
THEON_UNARY_GRADIENT(SoftplusOp, (binary<MulOp>(b, loc, g, SigmoidOp::create(b, loc, x))))
// Piecewise constant: zero gradient almost everywhere, as in Theano.
THEON_UNARY_GRADIENT(SignOp, (Value()))
THEON_UNARY_GRADIENT(FloorOp, (Value()))
THEON_UNARY_GRADIENT(CeilOp, (Value()))
THEON_UNARY_GRADIENT(RoundOp, (Value()))
#undef THEON_UNARY_GRADIENT

THEON_GRADIENT(CastOp) {
  auto from = typeOf(getX());
  // Only float-to-float casts carry a gradient; integers have none.
  if (!isa<FloatType>(from.getElementType()) ||
      !isa<FloatType>(typeOf(getResult()).getElementType())) {
    operandGrads.push_back(Value());
    return success();
  }
  operandGrads.push_back(CastOp::create(b, getLoc(), from, resultGrads[0]));
  return success();
}

//===----------------------------------------------------------------------===//
// Binary
//===----------------------------------------------------------------------===//

THEON_GRADIENT(AddOp) {
  Value g = resultGrads[0];
  operandGrads.push_back(unbroadcast(b, getLoc(), g, typeOf(getLhs())));
  operandGrads.push_back(unbroadcast(b, getLoc(), g, typeOf(getRhs())));
  return success();
}

THEON_GRADIENT(SubOp) {
  Value g = resultGrads[0];
  operandGrads.push_back(unbroadcast(b, getLoc(), g, typeOf(getLhs())));
  operandGrads.push_back(
      unbroadcast(b, getLoc(), NegOp::create(b, getLoc(), g), typeOf(getRhs())));
  return success();
}

THEON_GRADIENT(MulOp) {
  Location loc = getLoc();
  Value g = resultGrads[0];
  operandGrads.push_back(chain(b, loc, g, getRhs(), getLhs()));
  operandGrads.push_back(chain(b, loc, g, getLhs(), getRhs()));
  return success();
}

THEON_GRADIENT(DivOp) {
  // d(a/b) = g / b and -g * a / b^2 = -(g / b) * (a / b)
  Location loc = getLoc();
  Value ga = binary<DivOp>(b, loc, resultGrads[0], getRhs());
  Value gb = NegOp::create(b, loc, binary<MulOp>(b, loc, ga, getResult()));
  operandGrads.push_back(unbroadcast(b, loc, ga, typeOf(getLhs())));
  operandGrads.push_back(unbroadcast(b, loc, gb, typeOf(getRhs())));
  return success();
}

THEON_GRADIENT(PowOp) {
  // d(a^b) = g * b * a^(b-1), g * a^b * log(a)
  Location loc = getLoc();
  Value g = resultGrads[0], a = getLhs(), e = getRhs();
  Type el = typeOf(a).getElementType();
  Value aPow = binary<PowOp>(b, loc, a, binary<SubOp>(b, loc, e, scalar(b, loc, el, 1)));
  operandGrads.push_back(chain(b, loc, g, binary<MulOp>(b, loc, e, aPow), a));
  operandGrads.push_back(
      chain(b, loc, g, binary<MulOp>(b, loc, getResult(), LogOp::create(b, loc, a)), e));
  return success();
}

/// maximum/minimum: the gradient goes to every operand equal to the result
/// (both on ties), as Theano does.
template <typename Op> static void extremumGradients(Op op, OpBuilder &b, Value g,
                                                     SmallVectorImpl<Value> &grads) {
  Location loc = op.getLoc();
  for (Value operand : {op.getLhs(), op.getRhs()}) {
    Value mask = equalMask(b, loc, op.getResult(), operand);
    grads.push_back(chain(b, loc, g, mask, operand));
  }
}

THEON_GRADIENT(MaximumOp) {
  extremumGradients(*this, b, resultGrads[0], operandGrads);
  return success();
}

THEON_GRADIENT(MinimumOp) {
  extremumGradients(*this, b, resultGrads[0], operandGrads);
  return success();
}

THEON_GRADIENT(SelectOp) {
  Location loc = getLoc();
  Value g = resultGrads[0];
  Value zero = scalar(b, loc, typeOf(g).getElementType(), 0);
  auto selectType = typeOf(g);
  operandGrads.push_back(Value()); // the condition
  operandGrads.push_back(unbroadcast(
      b, loc, SelectOp::create(b, loc, selectType, getCond(), g, zero), typeOf(getLhs())));
  operandGrads.push_back(unbroadcast(
      b, loc, SelectOp::create(b, loc, selectType, getCond(), zero, g), typeOf(getRhs())));
  return success();
}

// Comparisons have boolean results and no gradient interface: theon-autodiff
// only follows float values.

//===----------------------------------------------------------------------===//
// dot
//===----------------------------------------------------------------------===//

THEON_GRADIENT(DotOp) {
  Location loc = getLoc();
  Value g = resultGrads[0], x = getLhs(), y = getRhs();
  RankedTensorType xt = typeOf(x), yt = typeOf(y);
  Type el = xt.getElementType();
  auto transpose = [&](Value m) {
    auto t = typeOf(m);
    return DimShuffleOp::create(
        b, loc, RankedTensorType::get({t.getDimSize(1), t.getDimSize(0)}, el), m,
        b.getDenseI64ArrayAttr({1, 0}));
  };
  auto dot = [&](Value l, Value r) {
    SmallVector<int64_t> shape;
    if (typeOf(l).getRank() == 2)
      shape.push_back(typeOf(l).getDimSize(0));
    if (typeOf(r).getRank() == 2)
      shape.push_back(typeOf(r).getDimSize(1));
    return DotOp::create(b, loc, RankedTensorType::get(shape, el), l, r);
  };
  // outer(u, v) = u[:, None] * v[None, :]
  auto outer = [&](Value u, Value v) {
    int64_t m = typeOf(u).getDimSize(0), n = typeOf(v).getDimSize(0);
    Value col = DimShuffleOp::create(b, loc, RankedTensorType::get({m, 1}, el), u,
                                     b.getDenseI64ArrayAttr({0, DimShuffleOp::kNewAxis}));
    Value row = DimShuffleOp::create(b, loc, RankedTensorType::get({1, n}, el), v,
                                     b.getDenseI64ArrayAttr({DimShuffleOp::kNewAxis, 0}));
    return binary<MulOp>(b, loc, col, row);
  };
  if (xt.getRank() == 2 && yt.getRank() == 2) {
    operandGrads.push_back(dot(g, transpose(y)));
    operandGrads.push_back(dot(transpose(x), g));
  } else if (xt.getRank() == 2) { // matrix . vector
    operandGrads.push_back(outer(g, y));
    operandGrads.push_back(dot(transpose(x), g));
  } else if (yt.getRank() == 2) { // vector . matrix
    operandGrads.push_back(dot(y, g));
    operandGrads.push_back(outer(x, g));
  } else { // vector . vector, g is rank 0
    operandGrads.push_back(binary<MulOp>(b, loc, y, g));
    operandGrads.push_back(binary<MulOp>(b, loc, x, g));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

THEON_GRADIENT(SumOp) {
  operandGrads.push_back(
      expandReduced(b, getLoc(), resultGrads[0], typeOf(getInput()), getAxes()));
  return success();
}

THEON_GRADIENT(MeanOp) {
  Location loc = getLoc();
  RankedTensorType in = typeOf(getInput());
  int64_t count = 1;
  for (int64_t a : getAxes())
    count *= in.getDimSize(a);
  Value g = binary<DivOp>(b, loc, resultGrads[0],
                          scalar(b, loc, in.getElementType(), double(count)));
  operandGrads.push_back(expandReduced(b, loc, g, in, getAxes()));
  return success();
}

THEON_GRADIENT(ProdOp) {
  // d prod / dx_i = prod / x_i (undefined where x_i = 0, as Theano's default).
  Location loc = getLoc();
  RankedTensorType in = typeOf(getInput());
  Value g = expandReduced(b, loc, resultGrads[0], in, getAxes());
  Value r = expandReduced(b, loc, getResult(), in, getAxes());
  operandGrads.push_back(binary<DivOp>(b, loc, binary<MulOp>(b, loc, g, r), getInput()));
  return success();
}

/// max/min over axes: the gradient goes to the elements equal to the extreme.
template <typename Op> static Value extremeReductionGradient(Op op, OpBuilder &b, Value g) {
  Location loc = op.getLoc();
  RankedTensorType in = typeOf(op.getInput());
  Value expandedG = expandReduced(b, loc, g, in, op.getAxes());
  Value expandedR = expandReduced(b, loc, op.getResult(), in, op.getAxes());
  Value mask = equalMask(b, loc, op.getInput(), expandedR);
  return binary<MulOp>(b, loc, expandedG, mask);
}

THEON_GRADIENT(MaxOp) {
  operandGrads.push_back(extremeReductionGradient(*this, b, resultGrads[0]));
  return success();
}

THEON_GRADIENT(MinOp) {
  operandGrads.push_back(extremeReductionGradient(*this, b, resultGrads[0]));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops and indexing
//===----------------------------------------------------------------------===//

THEON_GRADIENT(ReshapeOp) {
  operandGrads.push_back(ReshapeOp::create(b, getLoc(), typeOf(getX()), resultGrads[0]));
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
  operandGrads.push_back(DimShuffleOp::create(b, getLoc(), in, resultGrads[0],
                                              b.getDenseI64ArrayAttr(inverse)));
  return success();
}

THEON_GRADIENT(BroadcastToOp) {
  operandGrads.push_back(unbroadcast(b, getLoc(), resultGrads[0], typeOf(getX())));
  return success();
}

THEON_GRADIENT(TakeOp) {
  Location loc = getLoc();
  RankedTensorType xt = typeOf(getX());
  Value zeros = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(xt, b.getZeroAttr(xt.getElementType())));
  operandGrads.push_back(
      ScatterAddOp::create(b, loc, xt, zeros, getIndices(), resultGrads[0]));
  operandGrads.push_back(Value());
  return success();
}

THEON_GRADIENT(ScatterAddOp) {
  Location loc = getLoc();
  Value g = resultGrads[0];
  operandGrads.push_back(g);
  operandGrads.push_back(Value());
  operandGrads.push_back(TakeOp::create(b, loc, typeOf(getUpdates()), g, getIndices()));
  return success();
}

THEON_GRADIENT(LogSoftmaxOp) {
  // d/dx: g - softmax(x) * sum(g, axis)
  Location loc = getLoc();
  Value g = resultGrads[0];
  RankedTensorType type = typeOf(getX());
  SmallVector<int64_t> keptShape(type.getShape());
  int64_t axis = static_cast<int64_t>(getAxis());
  keptShape[axis] = 1;
  auto kept = RankedTensorType::get(keptShape, type.getElementType());
  Value total = SumOp::create(b, loc, kept, g, b.getDenseI64ArrayAttr({axis}), b.getUnitAttr());
  Value softmax = ExpOp::create(b, loc, getResult());
  operandGrads.push_back(binary<SubOp>(b, loc, g, binary<MulOp>(b, loc, softmax, total)));
  return success();
}

THEON_GRADIENT(TakePerRowOp) {
  operandGrads.push_back(
      PutPerRowOp::create(b, getLoc(), typeOf(getX()), resultGrads[0], getIndices()));
  operandGrads.push_back(Value());
  return success();
}

THEON_GRADIENT(PutPerRowOp) {
  operandGrads.push_back(
      TakePerRowOp::create(b, getLoc(), typeOf(getValues()), resultGrads[0], getIndices()));
  operandGrads.push_back(Value());
  return success();
}

THEON_GRADIENT(ExtractDiagOp) {
  operandGrads.push_back(AllocDiagOp::create(b, getLoc(), typeOf(getX()), resultGrads[0]));
  return success();
}

THEON_GRADIENT(AllocDiagOp) {
  operandGrads.push_back(ExtractDiagOp::create(b, getLoc(), typeOf(getV()), resultGrads[0]));
  return success();
}
