//===- TheonOps.cpp - theon dialect operations ----------------------------===//
#include "dialect/IR/TheonOps.h"
#include "dialect/IR/ElementwiseFolds.h"
#include "dialect/IR/ScalarBodies.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Support/DebugStringHelper.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <string>

using namespace mlir;
using namespace mlir::theon;

namespace {
RankedTensorType staticTensor(Type t) {
  auto ranked = dyn_cast<RankedTensorType>(t);
  return ranked && ranked.hasStaticShape() ? ranked : RankedTensorType();
}
} // namespace

LogicalResult theon::inferBroadcastType(std::optional<Location> loc, ValueRange operands,
                                        Type resultElement, SmallVectorImpl<Type> &inferred) {
  SmallVector<int64_t> shape;
  Type element;
  for (Value v : operands) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (!t)
      return emitOptionalError(loc, "expected ranked tensors, got ", v.getType());
    if (element && element != t.getElementType())
      return emitOptionalError(loc, "operands have different element types ", element, " and ",
                               t.getElementType());
    element = t.getElementType();
    SmallVector<int64_t> next;
    if (failed(broadcastShapes(shape, t.getShape(), next)))
      return emitOptionalError(loc, "shapes ", shapeString(shape), " and ",
                               shapeString(t.getShape()), " cannot be broadcast together");
    shape = std::move(next);
  }
  inferred.push_back(RankedTensorType::get(shape, resultElement ? resultElement : element));
  return success();
}

LogicalResult theon::inferReductionType(std::optional<Location> loc, Type inputType,
                                        ArrayRef<int64_t> axes, bool keepdims,
                                        StringRef mnemonic, bool hasIdentity,
                                        std::optional<Type> resultElement,
                                        SmallVectorImpl<Type> &inferred) {
  auto in = dyn_cast<RankedTensorType>(inputType);
  if (!in)
    return emitOptionalError(loc, "expected a ranked tensor");
  int64_t rank = in.getRank();
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (axis < 0 || axis >= rank)
      return emitOptionalError(loc, "axis ", axis, " is out of range for a tensor of rank ", rank);
    if (i > 0 && axes[i - 1] >= axis)
      return emitOptionalError(loc, "axes must be sorted and unique");
    if (!hasIdentity && in.getDimSize(axis) == 0)
      return emitOptionalError(loc, "axis ", axis, " has size 0, and ", mnemonic,
                               " of nothing is not defined");
  }
  // A dynamic extent (a scan's number of steps) may be 0 at run time, and
  // a kept one would make the result's shape dynamic.
  for (int64_t d = 0; d < rank; ++d) {
    if (!in.isDynamicDim(d))
      continue;
    if (!llvm::is_contained(axes, d))
      return emitOptionalError(loc, "axis ", d, " has a dynamic extent and must be reduced");
    if (!hasIdentity)
      return emitOptionalError(loc, "axis ", d, " has a dynamic extent, which may be 0, and ",
                               mnemonic, " of nothing is not defined");
  }
  inferred.push_back(RankedTensorType::get(reducedShape(in.getShape(), axes, keepdims),
                                           resultElement ? *resultElement : in.getElementType()));
  return success();
}


//===----------------------------------------------------------------------===//
// Broadcasting elementwise ops.
//===----------------------------------------------------------------------===//

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  // The condition broadcasts with the values but keeps its own element type.
  SmallVector<Type> valueType, condType;
  if (failed(inferBroadcastType(loc, {adaptor.getLhs(), adaptor.getRhs()}, Type(), valueType)) ||
      failed(inferBroadcastType(loc, adaptor.getCond(), Type(), condType)))
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

Value CastOp::buildScalarBody(OpBuilder &b, Location loc, ValueRange operands,
                             Type resultElement) {
  return buildCast(b, loc, operands[0], resultElement);
}

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
  if (a.getRank() == 3 && b.getRank() == 3) {
    // A batch of matrix products: (B, n, m) . (B, m, k) -> (B, n, k).
    if (a.getDimSize(0) != b.getDimSize(0) || a.getDimSize(2) != b.getDimSize(1))
      return emitOptionalError(loc, "batched shapes ", shapeString(a.getShape()), " and ",
                               shapeString(b.getShape()),
                               " are not aligned: expected (B, n, m) and (B, m, k)");
    inferred.push_back(RankedTensorType::get(
        {a.getDimSize(0), a.getDimSize(1), b.getDimSize(2)}, a.getElementType()));
    return success();
  }
  if (a.getRank() < 1 || a.getRank() > 2 || b.getRank() < 1 ||
      b.getRank() > 2)
    return emitOptionalError(loc, "dot takes 1-D or 2-D operands, or two 3-D batches, got ranks ",
                             a.getRank(), " and ", b.getRank());
  int64_t contractA = a.getShape().back();
  int64_t contractB = b.getDimSize(0);
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

/// A scan's length: a number, or `?` when it is known at run time.
static ParseResult parseScanLength(OpAsmParser &parser, IntegerAttr &length) {
  int64_t n = ShapedType::kDynamic;
  if (failed(parser.parseOptionalQuestion()) && parser.parseInteger(n))
    return failure();
  length = parser.getBuilder().getI64IntegerAttr(n);
  return success();
}

static void printScanLength(OpAsmPrinter &printer, Operation *, IntegerAttr length) {
  if (ShapedType::isDynamic(length.getInt()))
    printer << "?";
  else
    printer << length.getInt();
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

static LogicalResult verifyCumulative(Operation *op, Value x, uint64_t rawAxis) {
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  int64_t axis = static_cast<int64_t>(rawAxis);
  if (axis < 0 || axis >= rank)
    return op->emitOpError("axis ") << axis << " is out of range for a tensor of rank " << rank;
  return success();
}
LogicalResult GradClipOp::verify() {
  double lo = getLo().convertToDouble(), hi = getHi().convertToDouble();
  if (!(lo <= hi))
    return emitOpError("lo (") << lo << ") must not be above hi (" << hi << ")";
  return success();
}

LogicalResult CumsumOp::verify() { return verifyCumulative(*this, getX(), getAxis()); }
LogicalResult CumprodOp::verify() { return verifyCumulative(*this, getX(), getAxis()); }

LogicalResult RandomOp::verify() {
  auto state = cast<RankedTensorType>(getState().getType());
  if (state.getRank() != 1 || state.getDimSize(0) != 2 || !state.getElementType().isInteger(64))
    return emitOpError("expects a state of type tensor<2xi64> ([key, counter]), got ") << state;
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
  SmallVector<int64_t> expected(TakeOp::inferResultType(source, indices).getShape());
  if (ArrayRef<int64_t>(expected) != gathered.getShape())
    return op->emitOpError("expects ")
           << what << " of shape " << shapeString(expected) << ", got "
           << shapeString(gathered.getShape());
  return success();
}
} // namespace

RankedTensorType TakeOp::inferResultType(RankedTensorType x, RankedTensorType indices) {
  SmallVector<int64_t> shape{indices.getDimSize(0)};
  llvm::append_range(shape, x.getShape().drop_front());
  return RankedTensorType::get(shape, x.getElementType());
}

LogicalResult TakeOp::verify() {
  return checkTakeShape(*this, cast<RankedTensorType>(getX().getType()),
                        cast<RankedTensorType>(getIndices().getType()),
                        cast<RankedTensorType>(getType()), "the result");
}

//===----------------------------------------------------------------------===//
// SubtensorOp, UpdateSubtensorOp
//===----------------------------------------------------------------------===//

FailureOr<RankedTensorType> SubtensorOp::inferResultType(RankedTensorType x,
                                                         ArrayRef<int64_t> starts,
                                                         ArrayRef<int64_t> steps,
                                                         ArrayRef<int64_t> sizes,
                                                         ArrayRef<int64_t> dropped,
                                                         std::string *why) {
  auto fail = [&](const Twine &message) -> FailureOr<RankedTensorType> {
    if (why)
      *why = message.str();
    return failure();
  };
  int64_t rank = x.getRank();
  for (auto [name, list] : {std::pair<const char *, ArrayRef<int64_t>>{"starts", starts},
                            {"steps", steps},
                            {"sizes", sizes}})
    if (static_cast<int64_t>(list.size()) != rank)
      return fail(Twine(name) + " has " + Twine(list.size()) + " entries for a rank-" +
                  Twine(rank) + " operand");
  for (auto [k, d] : llvm::enumerate(dropped)) {
    if (d < 0 || d >= rank || (k > 0 && dropped[k - 1] >= d))
      return fail("dropped axes must be increasing axes of the operand, got " +
                  Twine(d) + " at position " + Twine(k));
    if (sizes[d] != 1)
      return fail("dropped axis " + Twine(d) + " must have size 1, got " + Twine(sizes[d]));
  }
  SmallVector<int64_t> shape;
  for (int64_t k = 0; k < rank; ++k) {
    int64_t dim = x.getDimSize(k);
    if (ShapedType::isDynamic(dim)) {
      // Its extent is known at run time: an index (from either end), or
      // all of it.
      bool index = llvm::is_contained(dropped, k) && steps[k] == 1;
      bool whole = starts[k] == 0 && steps[k] == 1 && ShapedType::isDynamic(sizes[k]);
      if (!index && !whole)
        return fail("axis " + Twine(k) + " has a dynamic extent: it takes an index or the "
                    "whole axis, not " + Twine(sizes[k]) + " elements from " + Twine(starts[k]) +
                    " in steps of " + Twine(steps[k]));
      if (whole)
        shape.push_back(ShapedType::kDynamic);
      continue;
    }
    if (steps[k] == 0)
      return fail("step of axis " + Twine(k) + " is 0");
    if (sizes[k] < 0)
      return fail("size of axis " + Twine(k) + " is negative (" + Twine(sizes[k]) + ")");
    if (sizes[k] > 0) {
      // The last element, computed without overflow: size - 1 < 2^63 / |step|.
      int64_t last;
      if (starts[k] < 0 || starts[k] >= dim ||
          llvm::MulOverflow(sizes[k] - 1, steps[k], last) ||
          llvm::AddOverflow(last, starts[k], last) || last < 0 || last >= dim)
        return fail("axis " + Twine(k) + ": " + Twine(sizes[k]) + " elements from " +
                    Twine(starts[k]) + " in steps of " + Twine(steps[k]) +
                    " leave the dimension of size " + Twine(dim));
    }
    if (!llvm::is_contained(dropped, k))
      shape.push_back(sizes[k]);
  }
  return RankedTensorType::get(shape, x.getElementType());
}

LogicalResult SubtensorOp::verify() {
  std::string why;
  FailureOr<RankedTensorType> type =
      inferResultType(cast<RankedTensorType>(getX().getType()), getStarts(), getSteps(),
                      getSizes(), getDropped(), &why);
  if (failed(type))
    return emitOpError(why);
  if (*type != getType())
    return emitOpError("result type ") << getType() << " differs from the slice's " << *type;
  return success();
}

FailureOr<RankedTensorType> ConcatenateOp::inferResultType(TypeRange inputs, int64_t axis,
                                                           std::string *why) {
  auto fail = [&](const Twine &message) -> FailureOr<RankedTensorType> {
    if (why)
      *why = message.str();
    return failure();
  };
  if (inputs.empty())
    return fail("needs at least one operand");
  auto first = cast<RankedTensorType>(inputs.front());
  int64_t rank = first.getRank();
  if (axis < 0 || axis >= rank)
    return fail("axis " + Twine(axis) + " is out of range for rank " + Twine(rank));
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (auto [i, type] : llvm::enumerate(inputs)) {
    auto t = cast<RankedTensorType>(type);
    if (t.getElementType() != first.getElementType() || t.getRank() != rank)
      return fail("operand " + Twine(i) + " is " + shapeString(t.getShape()) + " of another " +
                  "element type or rank than operand 0's " + shapeString(first.getShape()));
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && t.getDimSize(d) != first.getDimSize(d))
        return fail("operand " + Twine(i) + " has shape " + shapeString(t.getShape()) +
                    "; every axis but " + Twine(axis) + " must match operand 0's " +
                    shapeString(first.getShape()));
    if (llvm::AddOverflow(shape[axis], t.getDimSize(axis), shape[axis]))
      return fail("the joined axis overflows 64 bits");
  }
  return RankedTensorType::get(shape, first.getElementType());
}

LogicalResult ConcatenateOp::verify() {
  std::string why;
  FailureOr<RankedTensorType> type = inferResultType(getInputs().getTypes(), getAxis(), &why);
  if (failed(type))
    return emitOpError(why);
  if (*type != getType())
    return emitOpError("result type ") << getType() << " differs from the joined " << *type;
  return success();
}

LogicalResult UpdateSubtensorOp::verify() {
  if (getX().getType() != getType())
    return emitOpError("result type ") << getType() << " differs from the operand type "
                                       << getX().getType();
  std::string why;
  FailureOr<RankedTensorType> slice = SubtensorOp::inferResultType(
      cast<RankedTensorType>(getX().getType()), getStarts(), getSteps(), getSizes(),
      getDropped(), &why);
  if (failed(slice))
    return emitOpError(why);
  if (*slice != getV().getType())
    return emitOpError("the values ") << getV().getType() << " must have the slice's type "
                                      << *slice;
  return success();
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
  int64_t length = ExtractDiagOp::inferResultType(matrix).getDimSize(0);
  if (diagonal.getDimSize(0) != length)
    return op->emitOpError("the diagonal of a matrix of shape ")
           << shapeString(matrix.getShape()) << " has " << length
           << " elements, not " << diagonal.getDimSize(0);
  return success();
}
} // namespace

RankedTensorType ExtractDiagOp::inferResultType(RankedTensorType x) {
  return RankedTensorType::get({std::min(x.getDimSize(0), x.getDimSize(1))}, x.getElementType());
}

LogicalResult ExtractDiagOp::verify() {
  return checkDiagShapes(*this, cast<RankedTensorType>(getX().getType()),
                         cast<RankedTensorType>(getType()), /*matrixIsOperand=*/true);
}

LogicalResult AllocDiagOp::verify() {
  return checkDiagShapes(*this, cast<RankedTensorType>(getType()),
                         cast<RankedTensorType>(getV().getType()), /*matrixIsOperand=*/false);
}

//===----------------------------------------------------------------------===//
// Conv2dOp and its gradients, Pool2dOp, Pool2dGradOp
//===----------------------------------------------------------------------===//

namespace {
using ResultOrWhy = FailureOr<RankedTensorType>;

ResultOrWhy failWith(std::string *why, const Twine &message) {
  if (why)
    *why = message.str();
  return failure();
}

/// Checks that `list` has `count` entries, each at least `least`.
LogicalResult checkSpatialList(StringRef name, ArrayRef<int64_t> list, size_t count,
                               int64_t least, std::string *why) {
  if (list.size() != count)
    return failWith(why, Twine(name) + " needs " + Twine(count) + " entries, got " +
                             Twine(list.size()));
  for (int64_t v : list)
    if (v < least)
      return failWith(why, Twine(name) + " must be at least " + Twine(least) + ", got " + Twine(v));
  return success();
}

/// An NCHW operand: rank 4 and a static shape.
LogicalResult checkImage(StringRef name, RankedTensorType t, std::string *why) {
  if (t.getRank() != 4)
    return failWith(why, Twine(name) + " must have rank 4 (NCHW), got rank " + Twine(t.getRank()));
  if (!t.hasStaticShape())
    return failWith(why, Twine(name) + " needs a static shape");
  return success();
}
} // namespace

ResultOrWhy Conv2dOp::inferResultType(RankedTensorType x, RankedTensorType filters,
                                      ArrayRef<int64_t> strides, ArrayRef<int64_t> padding,
                                      ArrayRef<int64_t> dilations, int64_t groups,
                                      std::string *why) {
  if (failed(checkImage("the input", x, why)) || failed(checkImage("the filters", filters, why)) ||
      failed(checkSpatialList("strides", strides, 2, 1, why)) ||
      failed(checkSpatialList("padding", padding, 4, 0, why)) ||
      failed(checkSpatialList("dilations", dilations, 2, 1, why)))
    return failure();
  if (x.getElementType() != filters.getElementType())
    return failWith(why, "the input's element type " + debugString(x.getElementType()) +
                             " differs from the filters' " +
                             debugString(filters.getElementType()));
  if (groups < 1)
    return failWith(why, "groups must be at least 1, got " + Twine(groups));
  int64_t channels = x.getDimSize(1), outChannels = filters.getDimSize(0);
  if (channels % groups != 0 || outChannels % groups != 0)
    return failWith(why, "groups (" + Twine(groups) + ") must divide the input's " +
                             Twine(channels) + " channels and the " + Twine(outChannels) +
                             " filters");
  if (filters.getDimSize(1) * groups != channels)
    return failWith(why, "filters of shape " + shapeString(filters.getShape()) + " take " +
                             Twine(filters.getDimSize(1) * groups) +
                             " input channels, but the input " +
                             shapeString(x.getShape()) + " has " + Twine(channels));
  SmallVector<int64_t> shape{x.getDimSize(0), outChannels};
  for (int k = 0; k < 2; ++k) {
    int64_t padded = x.getDimSize(2 + k) + padding[2 * k] + padding[2 * k + 1];
    int64_t extent = (filters.getDimSize(2 + k) - 1) * dilations[k] + 1;
    if (filters.getDimSize(2 + k) < 1 || extent > padded)
      return failWith(why, "a filter of extent " + Twine(extent) + " (dilated) does not fit the " +
                               Twine(padded) + " padded " + (k == 0 ? "rows" : "columns") +
                               " of the input " + shapeString(x.getShape()));
    shape.push_back((padded - extent) / strides[k] + 1);
  }
  return RankedTensorType::get(shape, x.getElementType());
}

LogicalResult Conv2dOp::verify() {
  std::string why;
  ResultOrWhy type = inferResultType(cast<RankedTensorType>(getX().getType()),
                                     cast<RankedTensorType>(getFilters().getType()), getStrides(),
                                     getPadding(), getDilations(), getGroups(), &why);
  if (failed(type))
    return emitOpError(why);
  if (*type != getType())
    return emitOpError("result type ") << getType() << " should be " << *type;
  return success();
}

namespace {
/// A conv2d gradient op is valid when conv2d of an input of type `x` with
/// filters of type `w` makes a result of `g`'s type.
LogicalResult verifyConvGradient(Operation *op, RankedTensorType x, RankedTensorType w,
                                 RankedTensorType g, ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> padding, ArrayRef<int64_t> dilations,
                                 int64_t groups) {
  std::string why;
  ResultOrWhy type = Conv2dOp::inferResultType(x, w, strides, padding, dilations, groups, &why);
  if (failed(type))
    return op->emitOpError(why);
  if (*type != g)
    return op->emitOpError("the gradient ") << g << " should have the convolution's type " << *type;
  return success();
}
} // namespace

LogicalResult Conv2dGradInputOp::verify() {
  return verifyConvGradient(*this, getType(), typeOf(getFilters()), typeOf(getG()), getStrides(),
                            getPadding(), getDilations(), getGroups());
}

LogicalResult Conv2dGradFiltersOp::verify() {
  return verifyConvGradient(*this, typeOf(getX()), getType(), typeOf(getG()), getStrides(),
                            getPadding(), getDilations(), getGroups());
}

ResultOrWhy Pool2dOp::inferResultType(RankedTensorType x, ArrayRef<int64_t> window,
                                      ArrayRef<int64_t> strides, ArrayRef<int64_t> padding,
                                      bool ignoreBorder, std::string *why) {
  if (failed(checkImage("the input", x, why)) ||
      failed(checkSpatialList("window", window, 2, 1, why)) ||
      failed(checkSpatialList("strides", strides, 2, 1, why)) ||
      failed(checkSpatialList("padding", padding, 2, 0, why)))
    return failure();
  SmallVector<int64_t> shape(x.getShape().take_front(2));
  for (int k = 0; k < 2; ++k) {
    // Theano's rules: a pad smaller than the window, and none without
    // ignore_border (its partial windows would be ambiguous).
    if (padding[k] >= window[k])
      return failWith(why, "padding (" + Twine(padding[k]) + ") must be smaller than the window (" +
                               Twine(window[k]) + ")");
    if (padding[k] != 0 && !ignoreBorder)
      return failWith(why, "padding needs ignore_border");
    int64_t size = x.getDimSize(2 + k) + 2 * padding[k];
    int64_t out;
    if (ignoreBorder)
      out = size < window[k] ? 0 : (size - window[k]) / strides[k] + 1;
    else if (strides[k] >= window[k])
      out = (size - 1) / strides[k] + 1;
    else
      out = std::max<int64_t>(0, (size - 1 - window[k] + strides[k]) / strides[k]) + 1;
    if (out < 1)
      return failWith(why, "a window of " + Twine(window[k]) + " does not fit the " + Twine(size) +
                               " padded " + (k == 0 ? "rows" : "columns") + " of the input " +
                               shapeString(x.getShape()));
    shape.push_back(out);
  }
  return RankedTensorType::get(shape, x.getElementType());
}

LogicalResult Pool2dOp::verify() {
  std::string why;
  ResultOrWhy type = inferResultType(cast<RankedTensorType>(getX().getType()), getWindow(),
                                     getStrides(), getPadding(), getIgnoreBorder(), &why);
  if (failed(type))
    return emitOpError(why);
  if (*type != getType())
    return emitOpError("result type ") << getType() << " should be " << *type;
  return success();
}

LogicalResult Pool2dGradOp::verify() {
  std::string why;
  ResultOrWhy type =
      Pool2dOp::inferResultType(cast<RankedTensorType>(getX().getType()), getWindow(),
                                getStrides(), getPadding(), getIgnoreBorder(), &why);
  if (failed(type))
    return emitOpError(why);
  if (getPooled().getType() != *type || getG().getType() != *type)
    return emitOpError("the pooled value and its gradient must have the pooling's type ")
           << *type << ", got " << getPooled().getType() << " and " << getG().getType();
  if (getType() != getX().getType())
    return emitOpError("result type ") << getType() << " differs from the input's "
                                       << getX().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// ScanOp
//===----------------------------------------------------------------------===//

LogicalResult ScanOp::verify() {
  int64_t length = static_cast<int64_t>(getLength());
  bool dynamicLength = hasDynamicLength();
  if (length < 0 && !dynamicLength)
    return emitOpError("length must not be negative, got ") << length;
  if (dynamicLength && getSequences().empty())
    return emitOpError("a dynamic length is the sequences' number of rows, but there is no "
                       "sequence");
  Block &body = getBody().front();
  size_t expected = getSequences().size() + getInits().size() + getParams().size();
  if (body.getNumArguments() != expected)
    return emitOpError("body has ") << body.getNumArguments() << " arguments, expected "
                                    << expected << " (a row of each sequence, the states, the params)";
  auto checkArgument = [&](BlockArgument arg, Type expectedType, StringRef what,
                           size_t index) -> LogicalResult {
    if (arg.getType() != expectedType)
      return emitOpError("body argument #") << arg.getArgNumber() << " (" << what << " #" << index
                                            << ") has type " << arg.getType() << ", expected "
                                            << expectedType;
    return success();
  };
  for (auto [i, seq] : llvm::enumerate(getSequences())) {
    auto t = cast<RankedTensorType>(seq.getType());
    if (t.getRank() < 1)
      return emitOpError("sequence #") << i << " must have at least one axis, got " << t;
    if (ShapedType::isDynamic(t.getDimSize(0)) != dynamicLength)
      return emitOpError("sequence #")
             << i << " has " << (dynamicLength ? "a static" : "a dynamic")
             << " number of rows, but the length is " << (dynamicLength ? "dynamic" : "static")
             << ": " << t;
    if (!dynamicLength && t.getDimSize(0) < length)
      return emitOpError("sequence #") << i << " has " << t.getDimSize(0)
                                       << " rows, fewer than the length " << length;
    auto row = RankedTensorType::get(t.getShape().drop_front(), t.getElementType());
    if (!row.hasStaticShape())
      return emitOpError("sequence #") << i << " has dynamic extents after its first axis: " << t;
    if (failed(checkArgument(getSequenceArguments()[i], row, "a row of sequence", i)))
      return failure();
  }
  for (auto [i, init] : llvm::enumerate(getInits()))
    if (failed(checkArgument(getStateArguments()[i], init.getType(), "state", i)))
      return failure();
  for (auto [i, param] : llvm::enumerate(getParams()))
    if (failed(checkArgument(getParamArguments()[i], param.getType(), "param", i)))
      return failure();
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("body must end with theon.yield");
  size_t states = getInits().size();
  if (yield.getValues().size() != getNumResults())
    return emitOpError("body yields ") << yield.getValues().size() << " values for "
                                       << getNumResults() << " results";
  if (yield.getValues().size() < states)
    return emitOpError("body yields ") << yield.getValues().size() << " values, fewer than its "
                                       << states << " states";
  for (auto [i, v] : llvm::enumerate(yield.getValues())) {
    Type resultType = getResult(i).getType();
    if (i < states) {
      if (v.getType() != getInits()[i].getType())
        return emitOpError("the new value of state #")
               << i << " has type " << v.getType() << ", its init " << getInits()[i].getType();
      if (resultType != v.getType())
        return emitOpError("result #") << i << " (the final state) has type " << resultType
                                       << ", expected " << v.getType();
      continue;
    }
    RankedTensorType expectedType = getStackedType(v.getType());
    if (resultType != expectedType)
      return emitOpError("result #") << i << " (output #" << i - states << " stacked) has type "
                                     << resultType << ", expected " << expectedType;
  }
  return success();
}

RankedTensorType ScanOp::getStackedType(Type bodyType) {
  auto t = cast<RankedTensorType>(bodyType);
  SmallVector<int64_t> shape{static_cast<int64_t>(getLength())};
  shape.append(t.getShape().begin(), t.getShape().end());
  return RankedTensorType::get(shape, t.getElementType());
}

std::optional<size_t> ScanOp::getOutputYielding(Value bodyValue) {
  auto yield = cast<YieldOp>(getBody().front().getTerminator());
  auto outputs = yield.getValues().drop_front(getInits().size());
  auto it = llvm::find(outputs, bodyValue);
  if (it == outputs.end())
    return std::nullopt;
  return static_cast<size_t>(std::distance(outputs.begin(), it));
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

#include "dialect/IR/TheonInterfaces.cpp.inc"

#include "dialect/IR/TheonEnums.cpp.inc"

#define GET_OP_CLASSES
#include "dialect/IR/TheonOps.cpp.inc"
