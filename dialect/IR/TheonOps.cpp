//===- TheonOps.cpp - theon dialect operations ----------------------------===//
#include "dialect/IR/TheonOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <string>

using namespace mlir;
using namespace mlir::theon;

namespace {
std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "(";
  llvm::interleave(
      shape, [&](int64_t d) { s += std::to_string(d); }, [&] { s += ", "; });
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

RankedTensorType staticTensor(Type t) {
  auto ranked = dyn_cast<RankedTensorType>(t);
  return ranked && ranked.hasStaticShape() ? ranked : RankedTensorType();
}

/// Shape and element type of broadcasting `operands`; their element types must
/// agree. `resultElement`, when set, replaces the element type of the result.
LogicalResult inferBroadcast(std::optional<Location> loc, ValueRange operands,
                             Type resultElement,
                             SmallVectorImpl<Type> &inferred) {
  SmallVector<int64_t> shape;
  Type element;
  for (Value v : operands) {
    RankedTensorType t = staticTensor(v.getType());
    if (!t)
      return emitOptionalError(loc, "expected statically shaped tensors, got ",
                               v.getType());
    if (element && element != t.getElementType())
      return emitOptionalError(loc, "operands have different element types ",
                               element, " and ", t.getElementType());
    element = t.getElementType();
    SmallVector<int64_t> next;
    if (failed(broadcastShapes(shape, t.getShape(), next)))
      return emitOptionalError(loc, "shapes ", shapeString(shape), " and ",
                               shapeString(t.getShape()),
                               " cannot be broadcast together");
    shape = std::move(next);
  }
  inferred.push_back(RankedTensorType::get(shape, resultElement ? resultElement
                                                                : element));
  return success();
}

/// Checks reduction axes against `rank` and returns the reduced shape.
LogicalResult reducedShape(std::optional<Location> loc, ArrayRef<int64_t> shape,
                           ArrayRef<int64_t> axes, bool keepdims,
                           SmallVectorImpl<int64_t> &result) {
  int64_t rank = shape.size();
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (axis < 0 || axis >= rank)
      return emitOptionalError(loc, "axis ", axis,
                               " is out of range for a tensor of rank ", rank);
    if (i > 0 && axes[i - 1] >= axis)
      return emitOptionalError(loc, "axes must be sorted and unique");
  }
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(axes, d))
      result.push_back(shape[d]);
    else if (keepdims)
      result.push_back(1);
  }
  return success();
}
} // namespace

LogicalResult mlir::theon::broadcastShapes(ArrayRef<int64_t> a,
                                           ArrayRef<int64_t> b,
                                           SmallVectorImpl<int64_t> &result) {
  result.clear();
  return success(OpTrait::util::getBroadcastedShape(a, b, result));
}

//===----------------------------------------------------------------------===//
// Broadcasting elementwise ops.
//===----------------------------------------------------------------------===//

#define THEON_SAME_ELEMENT_BINARY(Op)                                          \
  LogicalResult Op::inferReturnTypes(MLIRContext *, std::optional<Location> l, \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    return inferBroadcast(l, adaptor.getOperands(), Type(), inferred);         \
  }
THEON_SAME_ELEMENT_BINARY(AddOp)
THEON_SAME_ELEMENT_BINARY(SubOp)
THEON_SAME_ELEMENT_BINARY(MulOp)
THEON_SAME_ELEMENT_BINARY(DivOp)
THEON_SAME_ELEMENT_BINARY(PowOp)
THEON_SAME_ELEMENT_BINARY(MaximumOp)
THEON_SAME_ELEMENT_BINARY(MinimumOp)
#undef THEON_SAME_ELEMENT_BINARY

#define THEON_COMPARE(Op)                                                      \
  LogicalResult Op::inferReturnTypes(MLIRContext *ctx,                         \
                                     std::optional<Location> l,                \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    return inferBroadcast(l, adaptor.getOperands(), IntegerType::get(ctx, 1),  \
                          inferred);                                           \
  }
THEON_COMPARE(EqOp)
THEON_COMPARE(NeOp)
THEON_COMPARE(LtOp)
THEON_COMPARE(LeOp)
THEON_COMPARE(GtOp)
THEON_COMPARE(GeOp)
#undef THEON_COMPARE

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  // The condition broadcasts with the values but keeps its own element type.
  SmallVector<Type> valueType, condType;
  if (failed(inferBroadcast(loc, {adaptor.getLhs(), adaptor.getRhs()}, Type(),
                            valueType)) ||
      failed(inferBroadcast(loc, adaptor.getCond(), Type(), condType)))
    return failure();
  auto values = cast<RankedTensorType>(valueType.front());
  auto cond = cast<RankedTensorType>(condType.front());
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(cond.getShape(), values.getShape(), shape)))
    return emitOptionalError(loc, "condition of shape ",
                             shapeString(cond.getShape()),
                             " cannot be broadcast with values of shape ",
                             shapeString(values.getShape()));
  inferred.push_back(RankedTensorType::get(shape, values.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// CastOp
//===----------------------------------------------------------------------===//

LogicalResult CastOp::verify() {
  auto in = cast<RankedTensorType>(getX().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getShape() != out.getShape())
    return emitOpError("changes the shape from ") << shapeString(in.getShape())
           << " to " << shapeString(out.getShape())
           << "; a cast only changes the element type";
  return success();
}

namespace {
/// One element converted as theon.cast's lowering converts it; nullopt where
/// that conversion has no defined value (a float out of an integer's range).
std::optional<APInt> castIntElement(const APInt &v, Type to) {
  bool isBool = v.getBitWidth() == 1; // bool converts unsigned: true is 1
  if (to.isInteger(1))
    return APInt(1, !v.isZero());
  if (auto f = dyn_cast<FloatType>(to)) {
    APFloat r(f.getFloatSemantics());
    r.convertFromAPInt(v, /*IsSigned=*/!isBool, APFloat::rmNearestTiesToEven);
    return r.bitcastToAPInt();
  }
  unsigned width = to.getIntOrFloatBitWidth();
  return isBool ? v.zextOrTrunc(width) : v.sextOrTrunc(width);
}

std::optional<APInt> castFloatElement(APFloat v, Type to) {
  if (to.isInteger(1))
    return APInt(1, !v.isZero()); // NaN is true, as NumPy's astype(bool)
  if (auto f = dyn_cast<FloatType>(to)) {
    bool lost;
    v.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    return v.bitcastToAPInt();
  }
  APSInt r(to.getIntOrFloatBitWidth(), /*isUnsigned=*/false);
  bool exact;
  if (v.convertToInteger(r, APFloat::rmTowardZero, &exact) & APFloat::opInvalidOp)
    return std::nullopt;
  return APInt(r);
}
} // namespace

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getX().getType() == getType())
    return getX();
  // Constants: convert element by element.
  auto input = dyn_cast_or_null<DenseIntOrFPElementsAttr>(adaptor.getX());
  if (!input)
    return {};
  auto resultType = cast<ShapedType>(getType());
  Type to = resultType.getElementType();
  SmallVector<APInt> bits;
  bits.reserve(input.getNumElements());
  if (isa<FloatType>(input.getElementType())) {
    for (const APFloat &v : input.getValues<APFloat>())
      if (auto r = castFloatElement(v, to))
        bits.push_back(*r);
      else
        return {};
  } else {
    for (const APInt &v : input.getValues<APInt>())
      bits.push_back(*castIntElement(v, to));
  }
  if (auto f = dyn_cast<FloatType>(to)) {
    SmallVector<APFloat> values;
    for (const APInt &b : bits)
      values.emplace_back(f.getFloatSemantics(), b);
    return DenseElementsAttr::get(resultType, values);
  }
  return DenseElementsAttr::get(resultType, bits);
}

//===----------------------------------------------------------------------===//
// DotOp
//===----------------------------------------------------------------------===//

LogicalResult DotOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  RankedTensorType a = staticTensor(adaptor.getLhs().getType());
  RankedTensorType b = staticTensor(adaptor.getRhs().getType());
  if (!a || !b)
    return emitOptionalError(loc, "expected statically shaped tensors");
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "operands have different element types ",
                             a.getElementType(), " and ",
                             b.getElementType());
  if (a.getRank() < 1 || a.getRank() > 2 || b.getRank() < 1 ||
      b.getRank() > 2)
    return emitOptionalError(loc, "dot takes 1-D or 2-D operands, got ranks ",
                             a.getRank(), " and ", b.getRank());
  int64_t contractA = a.getShape().back();
  int64_t contractB = b.getRank() == 1 ? b.getDimSize(0) : b.getDimSize(0);
  if (contractA != contractB)
    return emitOptionalError(loc, "shapes ", shapeString(a.getShape()), " and ",
                             shapeString(b.getShape()),
                             " are not aligned: ", contractA,
                             " (last dim of lhs) != ", contractB,
                             " (first dim of rhs)");
  SmallVector<int64_t> shape;
  if (a.getRank() == 2)
    shape.push_back(a.getDimSize(0));
  if (b.getRank() == 2)
    shape.push_back(b.getDimSize(1));
  inferred.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

#define THEON_REDUCE(Op)                                                       \
  LogicalResult Op::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    RankedTensorType in = staticTensor(adaptor.getInput().getType());          \
    if (!in)                                                                   \
      return emitOptionalError(loc, "expected a statically shaped tensor");    \
    SmallVector<int64_t> shape;                                                \
    if (failed(reducedShape(loc, in.getShape(), adaptor.getAxes(),             \
                            adaptor.getKeepdims(), shape)))                    \
      return failure();                                                        \
    inferred.push_back(RankedTensorType::get(shape, in.getElementType()));     \
    return success();                                                          \
  }
THEON_REDUCE(SumOp)
THEON_REDUCE(ProdOp)
THEON_REDUCE(MaxOp)
THEON_REDUCE(MinOp)
THEON_REDUCE(MeanOp)
#undef THEON_REDUCE

#define THEON_ARG_REDUCE(Op)                                                   \
  LogicalResult Op::inferReturnTypes(MLIRContext *ctx,                         \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    RankedTensorType in = staticTensor(adaptor.getInput().getType());          \
    if (!in)                                                                   \
      return emitOptionalError(loc, "expected a statically shaped tensor");    \
    SmallVector<int64_t> shape;                                                \
    int64_t axis = adaptor.getAxis();                                          \
    if (failed(reducedShape(loc, in.getShape(), axis, adaptor.getKeepdims(),   \
                            shape)))                                           \
      return failure();                                                        \
    if (in.getDimSize(axis) == 0)                                              \
      return emitOptionalError(loc, "attempt to get the index of an extreme "  \
                                    "of an empty axis");                       \
    inferred.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));\
    return success();                                                          \
  }
THEON_ARG_REDUCE(ArgmaxOp)
THEON_ARG_REDUCE(ArgminOp)
#undef THEON_ARG_REDUCE

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = cast<RankedTensorType>(getX().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getElementType() != out.getElementType())
    return emitOpError("changes the element type from ")
           << in.getElementType() << " to " << out.getElementType();
  if (in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ")
           << in.getNumElements() << " elements of shape "
           << shapeString(in.getShape()) << " into shape "
           << shapeString(out.getShape()) << " (" << out.getNumElements()
           << " elements)";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getX().getType() == getType())
    return getX();
  // reshape(reshape(x)) is one reshape.
  if (auto inner = getX().getDefiningOp<ReshapeOp>()) {
    getXMutable().assign(inner.getX());
    return getResult();
  }
  return {};
}

//===----------------------------------------------------------------------===//
// DimShuffleOp
//===----------------------------------------------------------------------===//

LogicalResult DimShuffleOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  RankedTensorType in = staticTensor(adaptor.getX().getType());
  if (!in)
    return emitOptionalError(loc, "expected a statically shaped tensor");
  int64_t rank = in.getRank();
  SmallVector<bool> used(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t d : adaptor.getPattern()) {
    if (d == kNewAxis) {
      shape.push_back(1);
      continue;
    }
    if (d < 0 || d >= rank)
      return emitOptionalError(loc, "pattern entry ", d,
                               " is out of range for a tensor of rank ", rank);
    if (used[d])
      return emitOptionalError(loc, "pattern uses dimension ", d, " twice");
    used[d] = true;
    shape.push_back(in.getDimSize(d));
  }
  for (int64_t d = 0; d < rank; ++d)
    if (!used[d] && in.getDimSize(d) != 1)
      return emitOptionalError(loc, "cannot drop dimension ", d, " of size ",
                               in.getDimSize(d),
                               ": only broadcastable (size 1) dimensions "
                               "can be dropped");
  inferred.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

OpFoldResult DimShuffleOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> pattern = getPattern();
  auto rank = cast<RankedTensorType>(getX().getType()).getRank();
  if ((int64_t)pattern.size() == rank &&
      llvm::all_of(llvm::enumerate(pattern),
                   [](auto p) { return (int64_t)p.index() == p.value(); }))
    return getX();
  return {};
}

static ParseResult parseDimPattern(OpAsmParser &parser,
                                   DenseI64ArrayAttr &pattern) {
  SmallVector<int64_t> dims;
  auto parseOne = [&]() -> ParseResult {
    if (succeeded(parser.parseOptionalKeyword("x"))) {
      dims.push_back(DimShuffleOp::kNewAxis);
      return success();
    }
    int64_t d;
    if (parser.parseInteger(d))
      return failure();
    if (d < 0)
      return parser.emitError(parser.getCurrentLocation(),
                              "pattern entries are dimensions or 'x'");
    dims.push_back(d);
    return success();
  };
  if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square, parseOne))
    return failure();
  pattern = parser.getBuilder().getDenseI64ArrayAttr(dims);
  return success();
}

static void printDimPattern(OpAsmPrinter &printer, Operation *,
                            DenseI64ArrayAttr pattern) {
  printer << "[";
  llvm::interleaveComma(pattern.asArrayRef(), printer, [&](int64_t d) {
    if (d == DimShuffleOp::kNewAxis)
      printer << "x";
    else
      printer << d;
  });
  printer << "]";
}

//===----------------------------------------------------------------------===//
// BroadcastToOp
//===----------------------------------------------------------------------===//

LogicalResult BroadcastToOp::verify() {
  auto in = cast<RankedTensorType>(getX().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getElementType() != out.getElementType())
    return emitOpError("changes the element type from ")
           << in.getElementType() << " to " << out.getElementType();
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(in.getShape(), out.getShape(), shape)) ||
      ArrayRef<int64_t>(shape) != out.getShape())
    return emitOpError("cannot broadcast shape ") << shapeString(in.getShape())
           << " to " << shapeString(out.getShape());
  return success();
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor) {
  return getX().getType() == getType() ? getX() : Value();
}

//===----------------------------------------------------------------------===//
// LogSoftmaxOp
//===----------------------------------------------------------------------===//

LogicalResult LogSoftmaxOp::verify() {
  int64_t rank = cast<RankedTensorType>(getX().getType()).getRank();
  // I64Attr reads back unsigned; a negative axis shows as a huge one.
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for a tensor of rank "
                                << rank;
  return success();
}

//===----------------------------------------------------------------------===//
// TakeOp, ScatterAddOp
//===----------------------------------------------------------------------===//

namespace {
/// `rows` indexed by a vector of `count` indices: (count, rest of rows...).
LogicalResult checkTakeShape(Operation *op, RankedTensorType source,
                             RankedTensorType indices,
                             RankedTensorType gathered, StringRef what) {
  if (indices.getRank() != 1)
    return op->emitOpError("expects a 1-d index tensor, got rank ")
           << indices.getRank();
  if (source.getRank() < 1)
    return op->emitOpError("cannot index a 0-d tensor");
  if (source.getElementType() != gathered.getElementType())
    return op->emitOpError("element types of the source and ")
           << what << " differ: " << source.getElementType() << " vs "
           << gathered.getElementType();
  SmallVector<int64_t> expected{indices.getDimSize(0)};
  llvm::append_range(expected, source.getShape().drop_front());
  if (ArrayRef<int64_t>(expected) != gathered.getShape())
    return op->emitOpError("expects ")
           << what << " of shape " << shapeString(expected) << ", got "
           << shapeString(gathered.getShape());
  return success();
}
} // namespace

LogicalResult TakeOp::verify() {
  return checkTakeShape(*this, cast<RankedTensorType>(getX().getType()),
                        cast<RankedTensorType>(getIndices().getType()),
                        cast<RankedTensorType>(getType()), "the result");
}

LogicalResult ScatterAddOp::verify() {
  if (getBase().getType() != getType())
    return emitOpError("result type ")
           << getType() << " differs from the base type " << getBase().getType();
  return checkTakeShape(*this, cast<RankedTensorType>(getBase().getType()),
                        cast<RankedTensorType>(getIndices().getType()),
                        cast<RankedTensorType>(getUpdates().getType()),
                        "updates");
}

//===----------------------------------------------------------------------===//
// TakePerRowOp, PutPerRowOp
//===----------------------------------------------------------------------===//

namespace {
LogicalResult checkPerRow(Operation *op, RankedTensorType matrix, RankedTensorType indices,
                          RankedTensorType row) {
  if (matrix.getRank() != 2)
    return op->emitOpError("expects a matrix, got rank ") << matrix.getRank();
  if (indices.getRank() != 1 || row.getRank() != 1)
    return op->emitOpError("expects 1-d indices and values");
  if (matrix.getElementType() != row.getElementType())
    return op->emitOpError("element types of the matrix and the values differ: ")
           << matrix.getElementType() << " vs " << row.getElementType();
  int64_t rows = matrix.getDimSize(0);
  if (indices.getDimSize(0) != rows || row.getDimSize(0) != rows)
    return op->emitOpError("expects one index and one value per row (")
           << rows << "), got " << indices.getDimSize(0) << " indices and "
           << row.getDimSize(0) << " values";
  return success();
}
} // namespace

LogicalResult TakePerRowOp::verify() {
  return checkPerRow(*this, cast<RankedTensorType>(getX().getType()),
                     cast<RankedTensorType>(getIndices().getType()),
                     cast<RankedTensorType>(getType()));
}

LogicalResult PutPerRowOp::verify() {
  return checkPerRow(*this, cast<RankedTensorType>(getType()),
                     cast<RankedTensorType>(getIndices().getType()),
                     cast<RankedTensorType>(getValues().getType()));
}

//===----------------------------------------------------------------------===//
// ExtractDiagOp, AllocDiagOp
//===----------------------------------------------------------------------===//

namespace {
LogicalResult checkDiagShapes(Operation *op, RankedTensorType matrix,
                              RankedTensorType diagonal, bool matrixIsOperand) {
  if (matrix.getRank() != 2)
    return op->emitOpError("expects a matrix, got rank ") << matrix.getRank();
  if (diagonal.getRank() != 1)
    return op->emitOpError("expects a vector diagonal, got rank ")
           << diagonal.getRank();
  if (matrix.getElementType() != diagonal.getElementType()) {
    Type from = matrixIsOperand ? matrix.getElementType() : diagonal.getElementType();
    Type to = matrixIsOperand ? diagonal.getElementType() : matrix.getElementType();
    return op->emitOpError("changes the element type from ") << from << " to " << to;
  }
  int64_t length = std::min(matrix.getDimSize(0), matrix.getDimSize(1));
  if (diagonal.getDimSize(0) != length)
    return op->emitOpError("the diagonal of a matrix of shape ")
           << shapeString(matrix.getShape()) << " has " << length
           << " elements, not " << diagonal.getDimSize(0);
  return success();
}
} // namespace

LogicalResult ExtractDiagOp::verify() {
  return checkDiagShapes(*this, cast<RankedTensorType>(getX().getType()),
                         cast<RankedTensorType>(getType()), /*matrixIsOperand=*/true);
}

LogicalResult AllocDiagOp::verify() {
  return checkDiagShapes(*this, cast<RankedTensorType>(getType()),
                         cast<RankedTensorType>(getV().getType()), /*matrixIsOperand=*/false);
}

//===----------------------------------------------------------------------===//
// GradOp
//===----------------------------------------------------------------------===//

LogicalResult GradOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location>,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  for (Value v : adaptor.getWrt())
    inferred.push_back(v.getType());
  return success();
}

LogicalResult GradOp::verify() {
  auto cost = cast<RankedTensorType>(getCost().getType());
  if (cost.getRank() != 0)
    return emitOpError("cost must be a scalar (rank 0), got shape ")
           << shapeString(cost.getShape());
  if (getWrt().empty())
    return emitOpError("needs at least one value to differentiate with respect to");
  return success();
}

//===----------------------------------------------------------------------===//
// Folders of elementwise arithmetic: identities and constants
//===----------------------------------------------------------------------===//

namespace {

/// The scalar of a splat constant operand, if it is one.
std::optional<APFloat> splatFloat(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat() || !isa<FloatType>(dense.getElementType()))
    return std::nullopt;
  return dense.getSplatValue<APFloat>();
}

std::optional<APInt> splatInt(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat() || !isa<IntegerType>(dense.getElementType()))
    return std::nullopt;
  return dense.getSplatValue<APInt>();
}

bool isSplatOf(Attribute attr, double value) {
  if (auto f = splatFloat(attr))
    return f->isExactlyValue(value);
  if (auto i = splatInt(attr))
    return i->getSExtValue() == static_cast<int64_t>(value) &&
           static_cast<double>(static_cast<int64_t>(value)) == value;
  return false;
}

/// Constants above this many elements stay computed at run time: folding
/// would only move the work into the compiler.
constexpr int64_t kMaxFoldedElements = int64_t(1) << 16;

/// A constant operand usable for an elementwise result of type `result`: a
/// splat, or a dense constant of the result's shape (no broadcast to do).
DenseElementsAttr foldableConstant(Attribute attr, ShapedType result) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || (!dense.isSplat() && (dense.getType().getShape() != result.getShape() ||
                                      result.getNumElements() > kMaxFoldedElements)))
    return {};
  return dense;
}

/// Element `i` of a foldable constant.
template <class T> T elementAt(DenseElementsAttr dense, int64_t i) {
  return dense.isSplat() ? dense.getSplatValue<T>() : dense.getValues<T>()[i];
}

/// Applies `fn` to every element: a splat stays a splat.
template <class T>
OpFoldResult foldElements(ShapedType result, DenseElementsAttr a, DenseElementsAttr b,
                          function_ref<std::optional<T>(T, T)> fn) {
  if (a.isSplat() && b.isSplat()) {
    if (auto r = fn(a.getSplatValue<T>(), b.getSplatValue<T>()))
      return DenseElementsAttr::get(result, *r);
    return {};
  }
  SmallVector<T> values;
  values.reserve(result.getNumElements());
  for (int64_t i = 0, n = result.getNumElements(); i < n; ++i) {
    auto r = fn(elementAt<T>(a, i), elementAt<T>(b, i));
    if (!r)
      return {};
    values.push_back(*r);
  }
  return DenseElementsAttr::get(result, values);
}

/// `x op c` -> `x` when c is the identity and x already has the result's
/// type (no broadcast to do); constant op constant -> constant (splats, or
/// constants of the result's shape). `floatOp`/`intOp` compute one element;
/// they return nullopt when they cannot (e.g. / 0).
OpFoldResult foldBinary(Operation *op, Attribute lhs, Attribute rhs,
                        std::optional<double> rightIdentity,
                        std::optional<double> leftIdentity,
                        function_ref<std::optional<APFloat>(APFloat, APFloat)> floatOp,
                        function_ref<std::optional<APInt>(APInt, APInt)> intOp) {
  Type resultType = op->getResult(0).getType();
  Value x = op->getOperand(0), y = op->getOperand(1);
  if (rightIdentity && isSplatOf(rhs, *rightIdentity) && x.getType() == resultType)
    return x;
  if (leftIdentity && isSplatOf(lhs, *leftIdentity) && y.getType() == resultType)
    return y;
  auto shaped = cast<ShapedType>(resultType);
  DenseElementsAttr a = foldableConstant(lhs, shaped), b = foldableConstant(rhs, shaped);
  if (!a || !b)
    return {};
  if (isa<FloatType>(shaped.getElementType()))
    return foldElements<APFloat>(shaped, a, b, floatOp);
  if (intOp)
    return foldElements<APInt>(shaped, a, b, intOp);
  return {};
}

/// Applies `fn` to every element of a constant: a splat stays a splat.
template <class T>
OpFoldResult foldEach(ShapedType result, DenseElementsAttr x,
                      function_ref<std::optional<T>(T)> fn) {
  if (x.isSplat()) {
    if (auto r = fn(x.getSplatValue<T>()))
      return DenseElementsAttr::get(result, *r);
    return {};
  }
  SmallVector<T> values;
  for (T v : x.getValues<T>()) {
    auto r = fn(v);
    if (!r)
      return {};
    values.push_back(*r);
  }
  return DenseElementsAttr::get(result, values);
}

/// A unary op of a constant: floats through `fn` in double, rounded to the
/// element type (f32 results are the correctly rounded double result, not
/// the run time's polynomial approximation); integers through `intFn`.
OpFoldResult foldUnary(Operation *op, Attribute operand, double (*fn)(double),
                       std::optional<APInt> (*intFn)(const APInt &) = nullptr) {
  auto shaped = cast<ShapedType>(op->getResult(0).getType());
  DenseElementsAttr x = foldableConstant(operand, shaped);
  if (!x)
    return {};
  if (auto floatType = dyn_cast<FloatType>(shaped.getElementType()))
    return foldEach<APFloat>(shaped, x, [&](APFloat v) -> std::optional<APFloat> {
      bool lost;
      v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      APFloat r(fn(v.convertToDouble()));
      r.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      return r;
    });
  if (!intFn)
    return {};
  return foldEach<APInt>(shaped, x, [&](APInt v) { return intFn(v); });
}

double sigmoidOf(double v) { return 1 / (1 + std::exp(-v)); }
double softplusOf(double v) { return std::max(v, 0.0) + std::log1p(std::exp(-std::fabs(v))); }
double signOf(double v) { return std::isnan(v) ? v : (v > 0) - (v < 0); }
double roundHalfEven(double v) { return std::nearbyint(v); } // the default mode: ties to even
std::optional<APInt> absInt(const APInt &v) { return v.abs(); }
std::optional<APInt> signInt(const APInt &v) {
  return APInt(v.getBitWidth(), v.isNegative() ? -1 : v.isZero() ? 0 : 1, /*isSigned=*/true);
}

} // namespace

OpFoldResult AddOp::fold(FoldAdaptor a) {
  return foldBinary(
      *this, a.getLhs(), a.getRhs(), 0.0, 0.0,
      [](APFloat x, APFloat y) -> std::optional<APFloat> {
        x.add(y, APFloat::rmNearestTiesToEven);
        return x;
      },
      [](APInt x, APInt y) -> std::optional<APInt> { return x + y; });
}

OpFoldResult SubOp::fold(FoldAdaptor a) {
  return foldBinary(
      *this, a.getLhs(), a.getRhs(), 0.0, std::nullopt,
      [](APFloat x, APFloat y) -> std::optional<APFloat> {
        x.subtract(y, APFloat::rmNearestTiesToEven);
        return x;
      },
      [](APInt x, APInt y) -> std::optional<APInt> { return x - y; });
}

OpFoldResult MulOp::fold(FoldAdaptor a) {
  return foldBinary(
      *this, a.getLhs(), a.getRhs(), 1.0, 1.0,
      [](APFloat x, APFloat y) -> std::optional<APFloat> {
        x.multiply(y, APFloat::rmNearestTiesToEven);
        return x;
      },
      [](APInt x, APInt y) -> std::optional<APInt> { return x * y; });
}

OpFoldResult DivOp::fold(FoldAdaptor a) {
  return foldBinary(
      *this, a.getLhs(), a.getRhs(), 1.0, std::nullopt,
      [](APFloat x, APFloat y) -> std::optional<APFloat> {
        x.divide(y, APFloat::rmNearestTiesToEven);
        return x;
      },
      nullptr);
}

OpFoldResult PowOp::fold(FoldAdaptor a) {
  // x ** 1 = x; other powers keep libm's rounding at run time.
  return foldBinary(
      *this, a.getLhs(), a.getRhs(), 1.0, std::nullopt,
      [](APFloat, APFloat) -> std::optional<APFloat> { return std::nullopt; }, nullptr);
}

OpFoldResult MaximumOp::fold(FoldAdaptor a) {
  return foldBinary(
      *this, a.getLhs(), a.getRhs(), std::nullopt, std::nullopt,
      [](APFloat x, APFloat y) -> std::optional<APFloat> { return llvm::maximum(x, y); },
      [](APInt x, APInt y) -> std::optional<APInt> { return x.sge(y) ? x : y; });
}

OpFoldResult MinimumOp::fold(FoldAdaptor a) {
  return foldBinary(
      *this, a.getLhs(), a.getRhs(), std::nullopt, std::nullopt,
      [](APFloat x, APFloat y) -> std::optional<APFloat> { return llvm::minimum(x, y); },
      [](APInt x, APInt y) -> std::optional<APInt> { return x.sle(y) ? x : y; });
}

OpFoldResult NegOp::fold(FoldAdaptor a) {
  if (auto inner = getX().getDefiningOp<NegOp>()) // -(-x) = x
    return inner.getX();
  return foldUnary(
      *this, a.getX(), [](double v) { return -v; },
      [](const APInt &v) -> std::optional<APInt> { return -v; });
}

OpFoldResult AbsOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::fabs(v); }, absInt);
}
OpFoldResult SignOp::fold(FoldAdaptor a) { return foldUnary(*this, a.getX(), signOf, signInt); }
OpFoldResult ExpOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::exp(v); });
}
OpFoldResult LogOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::log(v); });
}
OpFoldResult Log1pOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::log1p(v); });
}
OpFoldResult SqrtOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::sqrt(v); });
}
OpFoldResult SinOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::sin(v); });
}
OpFoldResult CosOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::cos(v); });
}
OpFoldResult TanhOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::tanh(v); });
}
OpFoldResult SigmoidOp::fold(FoldAdaptor a) { return foldUnary(*this, a.getX(), sigmoidOf); }
OpFoldResult SoftplusOp::fold(FoldAdaptor a) { return foldUnary(*this, a.getX(), softplusOf); }
OpFoldResult FloorOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::floor(v); });
}
OpFoldResult CeilOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getX(), [](double v) { return std::ceil(v); });
}
OpFoldResult RoundOp::fold(FoldAdaptor a) { return foldUnary(*this, a.getX(), roundHalfEven); }

#include "dialect/Autodiff/GradientOpInterface.cpp.inc"

#define GET_OP_CLASSES
#include "dialect/IR/TheonOps.cpp.inc"
