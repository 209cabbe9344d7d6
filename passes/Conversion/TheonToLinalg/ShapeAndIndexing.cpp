//===- ShapeAndIndexing.cpp - theon shape and indexing ops to linalg -- ===//
#include "dialect/IR/TheonOps.h"
#include "passes/Conversion/TheonToLinalg/PatternUtils.h"
#include "passes/Conversion/TheonToLinalg/PopulatePatterns.h"
#include "dialect/IR/ScalarBodies.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::theon;

namespace {

/// reshape: collapse to 1-D, then expand to the target shape.
struct ReshapeLowering : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getX().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    auto allDims = [](int64_t rank) {
      SmallVector<ReassociationIndices> r;
      if (rank == 0)
        return r;
      r.emplace_back(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
      return r;
    };
    Value flat = op.getX();
    auto flatType =
        RankedTensorType::get({inType.getNumElements()}, inType.getElementType());
    if (inType.getRank() != 1)
      flat = inType.getRank() == 0
                 ? Value(tensor::ExpandShapeOp::create(rewriter, loc, flatType,
                                                       flat, allDims(0)))
                 : Value(tensor::CollapseShapeOp::create(rewriter, loc, flat,
                                                         allDims(inType.getRank())));
    Value result = flat;
    if (outType.getRank() == 0)
      result = tensor::CollapseShapeOp::create(rewriter, loc, outType, flat,
                                               allDims(0));
    else if (outType.getRank() != 1)
      result = tensor::ExpandShapeOp::create(rewriter, loc, outType, flat,
                                             allDims(outType.getRank()));
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// dimshuffle: a copy whose input map reads the permuted dimensions and index 0
/// of the dropped ones.
struct DimShuffleLowering : OpRewritePattern<DimShuffleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DimShuffleOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildDimShuffle(rewriter, op.getLoc(), op.getX(), op.getPattern(),
                                           cast<RankedTensorType>(op.getType()),
                                           DimShuffleOp::kNewAxis));
    return success();
  }
};

/// A slice in tensor.extract_slice/insert_slice terms: positive strides
/// (an axis walked backwards is the same elements from its other end,
/// reversed), and the map that reverses those axes of the slice's values.
struct PositiveSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  AffineMap reverse; // null when no axis is reversed
};

template <typename OpTy>
PositiveSlice positiveSlice(OpTy op, PatternRewriter &rewriter, int64_t resultRank) {
  MLIRContext *ctx = rewriter.getContext();
  PositiveSlice s;
  SmallVector<AffineExpr> exprs;
  bool reversed = false;
  unsigned dim = 0;
  auto xType = cast<RankedTensorType>(op.getX().getType());
  for (auto [k, start] : llvm::enumerate(op.getStarts())) {
    int64_t step = op.getSteps()[k], size = op.getSizes()[k];
    if (xType.isDynamicDim(k)) {
      // An index (a negative one from the end) or the whole axis.
      Location loc = op.getLoc();
      Value extent = tensor::DimOp::create(rewriter, loc, op.getX(), k);
      Value offset = arith::ConstantIndexOp::create(rewriter, loc, start);
      if (start < 0)
        offset = arith::AddIOp::create(rewriter, loc, extent, offset);
      s.offsets.push_back(ShapedType::isDynamic(size) ? rewriter.getIndexAttr(0)
                                                      : OpFoldResult(offset));
      s.sizes.push_back(ShapedType::isDynamic(size) ? OpFoldResult(extent)
                                                    : rewriter.getIndexAttr(size));
      s.strides.push_back(rewriter.getIndexAttr(1));
    } else {
      int64_t first = step < 0 && size > 0 ? start + (size - 1) * step : start;
      s.offsets.push_back(rewriter.getIndexAttr(size == 0 ? 0 : first));
      s.sizes.push_back(rewriter.getIndexAttr(size));
      s.strides.push_back(rewriter.getIndexAttr(step < 0 ? -step : step));
    }
    if (llvm::is_contained(op.getDropped(), static_cast<int64_t>(k)))
      continue;
    AffineExpr d = getAffineDimExpr(dim++, ctx);
    reversed |= step < 0;
    exprs.push_back(step < 0 ? getAffineConstantExpr(size - 1, ctx) - d : d);
  }
  if (reversed)
    s.reverse = AffineMap::get(resultRank, 0, exprs, ctx);
  return s;
}

/// How a full-rank slice's axes collapse into the result's when `dropped`
/// (unit) axes go: each dropped axis joins the next kept one (the last kept
/// one at the end). Explicit rather than a rank-reducing slice: with several
/// unit axes that choice is ambiguous, and upstream's
/// SubViewOp::getDroppedDims crashed on such views.
SmallVector<ReassociationIndices> droppedAxesGrouping(int64_t rank, ArrayRef<int64_t> dropped) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t d = 0; d < rank; ++d) {
    pending.push_back(d);
    if (!llvm::is_contained(dropped, d)) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!pending.empty() && !groups.empty())
    groups.back().append(pending.begin(), pending.end());
  return groups;
}

/// The slice's type with its dropped axes kept (as size 1).
RankedTensorType fullRankSliceType(RankedTensorType x, ArrayRef<int64_t> sizes) {
  return RankedTensorType::get(sizes, x.getElementType());
}

Value reversedAlong(PatternRewriter &rewriter, Location loc, Value v, AffineMap reverse) {
  if (!reverse)
    return v;
  return buildParallel(rewriter, loc, cast<RankedTensorType>(v.getType()), v, reverse,
                       [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

/// subtensor: a tensor.extract_slice (a view once bufferized) whose dropped
/// axes a collapse_shape removes, reversed along the axes walked backwards.
struct SubtensorLowering : OpRewritePattern<SubtensorOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SubtensorOp op, PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(op, rewriter))
      return success();
    auto outType = cast<RankedTensorType>(op.getType());
    PositiveSlice s = positiveSlice(op, rewriter, outType.getRank());
    auto xType = cast<RankedTensorType>(op.getX().getType());
    Value slice = tensor::ExtractSliceOp::create(
        rewriter, op.getLoc(), fullRankSliceType(xType, op.getSizes()), op.getX(), s.offsets,
        s.sizes, s.strides);
    if (!op.getDropped().empty())
      slice = tensor::CollapseShapeOp::create(
          rewriter, op.getLoc(), outType, slice,
          droppedAxesGrouping(xType.getRank(), op.getDropped()));
    rewriter.replaceOp(op, reversedAlong(rewriter, op.getLoc(), slice, s.reverse));
    return success();
  }
};

/// concatenate: each operand inserted at its offset along the axis of one
/// fresh tensor (bufferized, one copy per operand).
struct ConcatenateLowering : OpRewritePattern<ConcatenateOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConcatenateOp op, PatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t axis = static_cast<int64_t>(op.getAxis()), offset = 0;
    Value result = emptyLike(rewriter, op.getLoc(), outType);
    for (Value input : op.getInputs()) {
      auto t = cast<RankedTensorType>(input.getType());
      if (t.getNumElements() == 0) // nothing to insert (nor a valid offset)
        continue;
      SmallVector<OpFoldResult> offsets(t.getRank(), rewriter.getIndexAttr(0)), sizes, strides;
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t d : t.getShape()) {
        sizes.push_back(rewriter.getIndexAttr(d));
        strides.push_back(rewriter.getIndexAttr(1));
      }
      result = tensor::InsertSliceOp::create(rewriter, op.getLoc(), input, result, offsets, sizes,
                                             strides);
      offset += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// update_subtensor: the slice as a positive-stride tensor.insert_slice (of
/// v, or of the slice plus v), v reversed along the axes whose step was
/// negative. Bufferized, the insert writes into x's buffer when x is dead.
struct UpdateSubtensorLowering : OpRewritePattern<UpdateSubtensorOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(UpdateSubtensorOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto vType = cast<RankedTensorType>(op.getV().getType());
    if (vType.getNumElements() == 0) { // nothing to write
      rewriter.replaceOp(op, op.getX());
      return success();
    }
    PositiveSlice slice = positiveSlice(op, rewriter, vType.getRank());
    SmallVector<OpFoldResult> &offsets = slice.offsets, &sizes = slice.sizes,
                              &strides = slice.strides;
    Value v = reversedAlong(rewriter, loc, op.getV(), slice.reverse);
    // v with the dropped axes back (size 1), so that the insert is not rank
    // reducing (see droppedAxesGrouping).
    auto xType = cast<RankedTensorType>(op.getX().getType());
    RankedTensorType fullType = fullRankSliceType(xType, op.getSizes());
    if (!op.getDropped().empty())
      v = tensor::ExpandShapeOp::create(rewriter, loc, fullType, v,
                                        droppedAxesGrouping(xType.getRank(), op.getDropped()));
    if (!op.getSet()) {
      Value current = tensor::ExtractSliceOp::create(rewriter, loc, fullType, op.getX(), offsets,
                                                     sizes, strides);
      AffineMap id = rewriter.getMultiDimIdentityMap(fullType.getRank());
      v = buildParallel(rewriter, loc, fullType, ValueRange{current, v}, {id, id},
                        [](OpBuilder &b, Location l, ValueRange args) -> Value {
                          Type t = args[0].getType();
                          if (isa<FloatType>(t))
                            return arith::AddFOp::create(b, l, args[0], args[1]);
                          if (t.isInteger(1))
                            return arith::OrIOp::create(b, l, args[0], args[1]);
                          return arith::AddIOp::create(b, l, args[0], args[1]);
                        });
    }
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(op, v, op.getX(), offsets, sizes,
                                                       strides);
    return success();
  }
};

/// take: a parallel generic over the result that reads the index vector and
/// gathers from x with tensor.extract.
struct TakeLowering : OpRewritePattern<TakeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TakeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t rank = outType.getRank();
    AffineMap perRow = AffineMap::get(rank, 0, rewriter.getAffineDimExpr(0));
    Value x = op.getX();
    rewriter.replaceOp(
        op, buildParallel(rewriter, loc, outType, op.getIndices(), perRow,
                          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                            SmallVector<Value> at{
                                checkedIndex(b, l, op, args[0], xType.getDimSize(0))};
                            // Every index into an empty axis is out of range
                            // (reported above); nothing may be read.
                            if (xType.getDimSize(0) == 0)
                              return zeroInit(b, l, xType.getElementType());
                            for (int64_t d = 1; d < rank; ++d)
                              at.push_back(linalg::IndexOp::create(b, l, d));
                            return tensor::ExtractOp::create(b, l, x, at);
                          }));
    return success();
  }
};

/// scatter_add into a base of one row: the base plus the updates summed
/// over axis 0 (with `set`, the last update).
Value singleRowScatter(PatternRewriter &rewriter, Location loc, ScatterAddOp op,
                       RankedTensorType baseType, RankedTensorType updType) {
  int64_t rank = baseType.getRank(), count = updType.getDimSize(0);
  SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes,
      strides(rank, rewriter.getIndexAttr(1));
  for (int64_t d : baseType.getShape())
    sizes.push_back(rewriter.getIndexAttr(d));
  if (op.getSet()) {
    offsets[0] = rewriter.getIndexAttr(count - 1);
    return tensor::ExtractSliceOp::create(rewriter, loc, baseType, op.getUpdates(), offsets, sizes,
                                          strides);
  }
  // updates (m, rest...) reduced into base, seen as (rest...).
  auto restType = RankedTensorType::get(baseType.getShape().drop_front(), baseType.getElementType());
  SmallVector<ReassociationIndices> grouping;
  if (rank > 1) {
    grouping.push_back({0, 1});
    for (int64_t d = 2; d < rank; ++d)
      grouping.push_back({d});
  }
  Value acc = tensor::CollapseShapeOp::create(rewriter, loc, restType, op.getBase(), grouping);
  SmallVector<AffineExpr> restDims;
  for (int64_t d = 1; d < rank; ++d)
    restDims.push_back(rewriter.getAffineDimExpr(static_cast<unsigned>(d)));
  AffineMap maps[] = {rewriter.getMultiDimIdentityMap(rank),
                      AffineMap::get(rank, 0, restDims, rewriter.getContext())};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  iterators[0] = utils::IteratorType::reduction;
  Value summed =
      linalg::GenericOp::create(
          rewriter, loc, restType, ValueRange{op.getUpdates()}, ValueRange{acc}, maps, iterators,
          [](OpBuilder &b, Location l, ValueRange args) {
            linalg::YieldOp::create(b, l, buildArith<arith::AddFOp, arith::AddIOp>(b, l, args));
          })
          .getResult(0);
  return tensor::ExpandShapeOp::create(rewriter, loc, baseType, summed, grouping);
}

/// scatter_add: a sequential loop over the updates (indices may repeat), each
/// iteration adding one row slice into the accumulator (or, with `set`,
/// writing it: the last one wins).
struct ScatterAddLowering : OpRewritePattern<ScatterAddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScatterAddOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto baseType = cast<RankedTensorType>(op.getBase().getType());
    auto updType = cast<RankedTensorType>(op.getUpdates().getType());
    int64_t rank = baseType.getRank();
    // No row to write: any index is out of range, and the front end's
    // checked take has reported it.
    // Nothing to add either when the updates are empty.
    if (baseType.getDimSize(0) == 0 || updType.getNumElements() == 0) {
      rewriter.replaceOp(op, op.getBase());
      return success();
    }
    Type element = baseType.getElementType();
    // One row: every update lands on it. A loop would write the whole
    // tensor each step, which canonicalization folds into a loop that no
    // longer updates its iteration argument (not bufferizable in place).
    if (baseType.getDimSize(0) == 1) {
      rewriter.replaceOp(op, singleRowScatter(rewriter, loc, op, baseType, updType));
      return success();
    }
    SmallVector<int64_t> rowShape{1};
    llvm::append_range(rowShape, baseType.getShape().drop_front());
    auto rowType = RankedTensorType::get(rowShape, element);
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value ub = arith::ConstantIndexOp::create(rewriter, loc, updType.getDimSize(0));
    Value step = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value indices = op.getIndices(), updates = op.getUpdates();
    auto loop = scf::ForOp::create(
        rewriter, loc, lb, ub, step, ValueRange{op.getBase()},
        [&](OpBuilder &b, Location l, Value i, ValueRange iterArgs) {
          Value acc = iterArgs[0];
          Value raw = tensor::ExtractOp::create(b, l, indices, ValueRange{i});
          Value row = normalizedIndex(b, l, raw, baseType.getDimSize(0));
          SmallVector<OpFoldResult> sizes{b.getIndexAttr(1)}, strides(rank, b.getIndexAttr(1));
          for (int64_t d = 1; d < rank; ++d)
            sizes.push_back(b.getIndexAttr(baseType.getDimSize(d)));
          SmallVector<OpFoldResult> accOffsets(rank, b.getIndexAttr(0)), updOffsets = accOffsets;
          accOffsets[0] = row;
          updOffsets[0] = i;
          Value current = tensor::ExtractSliceOp::create(b, l, rowType, acc, accOffsets, sizes, strides);
          Value update = tensor::ExtractSliceOp::create(b, l, rowType, updates, updOffsets, sizes, strides);
          // The sum is computed into the row itself (its slice as the
          // generic's output), so that the loop needs no temporary per row.
          AffineMap id = b.getMultiDimIdentityMap(rank);
          Value sum = op.getSet()
                          ? update
                          : linalg::GenericOp::create(
                                b, l, rowType, ValueRange{update}, ValueRange{current},
                                ArrayRef<AffineMap>{id, id},
                                SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
                                [](OpBuilder &nb, Location nl, ValueRange args) {
                                  linalg::YieldOp::create(
                                      nb, nl,
                                      buildArith<arith::AddFOp, arith::AddIOp>(
                                          nb, nl, ValueRange{args[1], args[0]}));
                                })
                                .getResult(0);
          Value next = tensor::InsertSliceOp::create(b, l, sum, acc, accOffsets, sizes, strides);
          scf::YieldOp::create(b, l, next);
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};
/// cumsum / cumprod: a sequential loop along the axis; each step combines
/// the previous total's slice with x's (elementwise over the other axes)
/// and inserts it into the result.
template <class CumulativeOp, class FloatOp, class IntOp>
struct CumulativeLowering : OpRewritePattern<CumulativeOp> {
  using OpRewritePattern<CumulativeOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(CumulativeOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = static_cast<int64_t>(op.getAxis()), rank = type.getRank();
    int64_t n = type.getDimSize(axis);
    if (type.getNumElements() == 0 || n == 1) {
      rewriter.replaceOp(op, op.getX());
      return success();
    }
    SmallVector<int64_t> sliceShape(type.getShape());
    sliceShape[axis] = 1;
    auto sliceType = RankedTensorType::get(sliceShape, type.getElementType());
    bool reverse = op.getReverse();
    auto sliceAt = [&](OpBuilder &b, OpFoldResult position) {
      SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), sizes, strides(rank, b.getIndexAttr(1));
      offsets[axis] = position;
      for (int64_t d : sliceShape)
        sizes.push_back(b.getIndexAttr(d));
      return std::make_tuple(offsets, sizes, strides);
    };
    auto [firstOffsets, sizes, strides] = sliceAt(rewriter, rewriter.getIndexAttr(reverse ? n - 1 : 0));
    Value first = tensor::ExtractSliceOp::create(rewriter, loc, sliceType, op.getX(), firstOffsets,
                                                 sizes, strides);
    Value init = tensor::InsertSliceOp::create(rewriter, loc, first,
                                               emptyLike(rewriter, loc, type), firstOffsets,
                                               sizes, strides);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value ub = arith::ConstantIndexOp::create(rewriter, loc, n);
    Value step = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value last = arith::ConstantIndexOp::create(rewriter, loc, n - 1);
    Value x = op.getX();
    auto loop = scf::ForOp::create(
        rewriter, loc, lb, ub, step, ValueRange{init},
        [&](OpBuilder &b, Location l, Value i, ValueRange iterArgs) {
          // The previous total is read back from the result: a carried
          // slice would be a new tensor each step, which bufferization
          // cannot keep in one buffer.
          Value position = reverse ? Value(arith::SubIOp::create(b, l, last, i)) : i;
          Value previous = reverse ? Value(arith::AddIOp::create(b, l, position, one))
                                   : Value(arith::SubIOp::create(b, l, position, one));
          auto [offsets, sz, st] = sliceAt(b, position);
          auto [prevOffsets, psz, pst] = sliceAt(b, previous);
          Value xi = tensor::ExtractSliceOp::create(b, l, sliceType, x, offsets, sz, st);
          Value total = tensor::ExtractSliceOp::create(b, l, sliceType, iterArgs[0], prevOffsets,
                                                       psz, pst);
          Value running = buildElementwise(
              b, l, sliceType, ValueRange{total, xi},
              [](OpBuilder &nb, Location nl, ValueRange operands, Type) {
                return buildArith<FloatOp, IntOp>(nb, nl, operands);
              });
          Value next = tensor::InsertSliceOp::create(b, l, running, iterArgs[0], offsets, sz, st);
          scf::YieldOp::create(b, l, next);
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

/// zero_grad and grad_clip: after theon-autodiff, only their value is left.
template <class OpTy> struct IdentityLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getX());
    return success();
  }
};

/// take_per_row: result[i] = x[i, idx[i]], reading idx through the generic.
struct TakePerRowLowering : OpRewritePattern<TakePerRowOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TakePerRowOp op,
                                PatternRewriter &rewriter) const override {
    int64_t columns = cast<RankedTensorType>(op.getX().getType()).getDimSize(1);
    Value x = op.getX();
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
                          op.getIndices(), rewriter.getMultiDimIdentityMap(1),
                          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                            Value i = linalg::IndexOp::create(b, l, 0);
                            Value j = checkedIndex(b, l, op, args[0], columns);
                            if (columns == 0)
                              return zeroInit(b, l, cast<RankedTensorType>(x.getType()).getElementType());
                            return tensor::ExtractOp::create(b, l, x, ValueRange{i, j});
                          }));
    return success();
  }
};

/// put_per_row: result[i, j] = j == idx[i] ? values[i] : 0.
struct PutPerRowLowering : OpRewritePattern<PutPerRowOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PutPerRowOp op,
                                PatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    AffineMap perRow = AffineMap::get(2, 0, rewriter.getAffineDimExpr(0));
    AffineMap maps[] = {perRow, perRow};
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), outType,
                          ValueRange{op.getValues(), op.getIndices()}, maps,
                          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                            Value j = linalg::IndexOp::create(b, l, 1);
                            Value target = normalizedIndex(b, l, args[1], outType.getDimSize(1));
                            Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, j, target);
                            return arith::SelectOp::create(
                                b, l, hit, args[0], zeroInit(b, l, outType.getElementType()));
                          }));
    return success();
  }
};

/// extract_diag: result[i] = x[i, i].
struct ExtractDiagLowering : OpRewritePattern<ExtractDiagOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ExtractDiagOp op,
                                PatternRewriter &rewriter) const override {
    Value x = op.getX();
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
                          ValueRange{}, {},
                          [&](OpBuilder &b, Location l, ValueRange) -> Value {
                            Value i = linalg::IndexOp::create(b, l, 0);
                            return tensor::ExtractOp::create(b, l, x, ValueRange{i, i});
                          }));
    return success();
  }
};

/// alloc_diag: result[i, j] = i == j ? v[i] : 0.
struct AllocDiagLowering : OpRewritePattern<AllocDiagOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AllocDiagOp op,
                                PatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    Value v = op.getV();
    int64_t length = cast<RankedTensorType>(v.getType()).getDimSize(0);
    rewriter.replaceOp(
        op, buildParallel(rewriter, op.getLoc(), outType, ValueRange{}, {},
                          [&](OpBuilder &b, Location l, ValueRange) -> Value {
                            Value i = linalg::IndexOp::create(b, l, 0);
                            Value j = linalg::IndexOp::create(b, l, 1);
                            Value onDiagonal =
                                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i, j);
                            // Off the diagonal i may exceed v's length: read a safe index.
                            Value last = arith::ConstantIndexOp::create(
                                b, l, std::max<int64_t>(length - 1, 0));
                            Value safe = arith::MinSIOp::create(b, l, i, last);
                            Value d = tensor::ExtractOp::create(b, l, v, ValueRange{safe});
                            return arith::SelectOp::create(
                                b, l, onDiagonal, d, zeroInit(b, l, outType.getElementType()));
                          }));
    return success();
  }
};

} // namespace

void theon::populateTheonShapeAndIndexingToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<IdentityLowering<ZeroGradOp>, IdentityLowering<GradClipOp>>(patterns.getContext());
  patterns.add<CumulativeLowering<CumsumOp, arith::AddFOp, arith::AddIOp>,
               CumulativeLowering<CumprodOp, arith::MulFOp, arith::MulIOp>>(patterns.getContext());
  patterns.add<ReshapeLowering, DimShuffleLowering, SubtensorLowering, UpdateSubtensorLowering,
               ConcatenateLowering,
               TakeLowering, ScatterAddLowering,
               ExtractDiagLowering, AllocDiagLowering, TakePerRowLowering, PutPerRowLowering>(
      patterns.getContext());
}
