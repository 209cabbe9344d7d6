//===- Convolution.cpp - theon.conv2d and pooling to linalg ---------------===//
//
// conv2d runs as im2col plus products, which theon-linalg-to-blas hands to
// OpenBLAS or cuBLAS: without groups, an image at a time (its columns
// (C*KH*KW, OH*OW) times the filters); otherwise the whole batch's columns
// in one product per group. Pooling is a linalg.generic with the window as
// reduction loops; its gradient gathers from the windows that hold each
// element, so it needs no atomics on the GPU.
//
//===----------------------------------------------------------------------===//
#include "dialect/IR/TheonOps.h"
#include "passes/Conversion/TheonToLinalg/PatternUtils.h"
#include "passes/Conversion/TheonToLinalg/PopulatePatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <numeric>

using namespace mlir;
using namespace mlir::theon;

namespace {
/// `x` (NCHW) inside a tensor filled with `fill`, `pads` (top, bottom,
/// left, right) rows and columns around it.
Value padImage(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> pads, Value fill) {
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return x;
  RankedTensorType t = typeOf(x);
  SmallVector<int64_t> shape(t.getShape());
  shape[2] += pads[0] + pads[1];
  shape[3] += pads[2] + pads[3];
  auto paddedType = RankedTensorType::get(shape, t.getElementType());
  Value filled = linalg::FillOp::create(b, loc, fill, emptyLike(b, loc, paddedType)).getResult(0);
  // Nothing to insert (tensor.insert_slice rejects offsets into empty axes).
  if (t.getNumElements() == 0)
    return filled;
  SmallVector<OpFoldResult> offsets{b.getIndexAttr(0), b.getIndexAttr(0), b.getIndexAttr(pads[0]),
                                    b.getIndexAttr(pads[2])};
  SmallVector<OpFoldResult> sizes, strides(4, b.getIndexAttr(1));
  for (int64_t d : t.getShape())
    sizes.push_back(b.getIndexAttr(d));
  return tensor::InsertSliceOp::create(b, loc, x, filled, offsets, sizes, strides);
}

RankedTensorType withShape(RankedTensorType t, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, t.getElementType());
}

/// One image's windows as columns (im2col): `pixels` (C, H, W), already
/// padded, to (C*KH*KW, OH*OW) with
/// `cols[c, a, b, i, j] = pixels[c, i*sh + a*dh, j*sw + b*dw]`, or, with
/// `positionsFirst`, its transpose (OH*OW, C*KH*KW).
Value imageColumns(OpBuilder &b, Location loc, Value pixels, std::array<int64_t, 2> kernel,
                   std::array<int64_t, 2> out, ArrayRef<int64_t> s, ArrayRef<int64_t> d,
                   bool positionsFirst = false) {
  RankedTensorType pt = typeOf(pixels);
  int64_t c = pt.getDimSize(0);
  MLIRContext *ctx = b.getContext();
  unsigned first = positionsFirst ? 2 : 0, last = positionsFirst ? 0 : 3;
  AffineExpr ch = getAffineDimExpr(first, ctx), a = getAffineDimExpr(first + 1, ctx),
             bb = getAffineDimExpr(first + 2, ctx), i = getAffineDimExpr(last, ctx),
             j = getAffineDimExpr(last + 1, ctx);
  AffineMap gather = AffineMap::get(5, 0, {ch, i * s[0] + a * d[0], j * s[1] + bb * d[1]}, ctx);
  SmallVector<int64_t> taps{c, kernel[0], kernel[1]}, positions{out[0], out[1]};
  SmallVector<int64_t> shape = positionsFirst ? positions : taps;
  shape.append(positionsFirst ? taps : positions);
  Value cols = buildParallel(b, loc, withShape(pt, shape), pixels, gather,
                             [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  int64_t depth = c * kernel[0] * kernel[1], count = out[0] * out[1];
  return tensor::CollapseShapeOp::create(
      b, loc,
      withShape(pt, positionsFirst ? SmallVector<int64_t>{count, depth}
                                   : SmallVector<int64_t>{depth, count}),
      cols,
      positionsFirst ? SmallVector<ReassociationIndices>{{0, 1}, {2, 3, 4}}
                     : SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4}});
}

/// conv2d of the whole batch at once: its columns (groups, Cg*KH*KW,
/// N*OH*OW) times the filters, one product per group, the (F, N, OH, OW)
/// result then transposed to NCHW. For groups, for one image, and for a
/// filter wider than the output.
Value wholeBatch(Conv2dOp op, Value padded, OpBuilder &b) {
  Location loc = op.getLoc();
  RankedTensorType xt = typeOf(op.getX()), wt = typeOf(op.getFilters()), yt = op.getType();
  int64_t groups = op.getGroups();
  int64_t n = xt.getDimSize(0), cg = wt.getDimSize(1), f = wt.getDimSize(0), fg = f / groups;
  int64_t kh = wt.getDimSize(2), kw = wt.getDimSize(3);
  int64_t oh = yt.getDimSize(2), ow = yt.getDimSize(3);
  ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations();
  // cols[g, c, a, b, n, i, j] = xpad[n, g*Cg + c, i*sh + a*dh, j*sw + b*dw]
  // The gather's innermost loop should run along a row of the image: over
  // j (the output's columns) when they outnumber the filter's, else over b.
  // Without groups, the second case (a filter wider than the output, such
  // as a convolution whose "filter" is an image) stores the columns
  // transposed, positions first, and the product reads them transposed.
  bool positionsFirst = groups == 1 && ow < kw;
  MLIRContext *ctx = b.getContext();
  AffineExpr g = getAffineDimExpr(0, ctx), c, a, bb, nn, i, j;
  if (positionsFirst) {
    nn = getAffineDimExpr(1, ctx), i = getAffineDimExpr(2, ctx), j = getAffineDimExpr(3, ctx);
    c = getAffineDimExpr(4, ctx), a = getAffineDimExpr(5, ctx), bb = getAffineDimExpr(6, ctx);
  } else {
    c = getAffineDimExpr(1, ctx), a = getAffineDimExpr(2, ctx), bb = getAffineDimExpr(3, ctx);
    nn = getAffineDimExpr(4, ctx), i = getAffineDimExpr(5, ctx), j = getAffineDimExpr(6, ctx);
  }
  AffineMap gather = AffineMap::get(
      7, 0, {nn, g * cg + c, i * s[0] + a * d[0], j * s[1] + bb * d[1]}, ctx);
  SmallVector<int64_t> colsShape =
      positionsFirst ? SmallVector<int64_t>{1, n, oh, ow, cg, kh, kw}
                     : SmallVector<int64_t>{groups, cg, kh, kw, n, oh, ow};
  Value cols = buildParallel(b, loc, withShape(yt, colsShape), padded, gather,
                             [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  int64_t depth = cg * kh * kw, positions = n * oh * ow;
  cols = tensor::CollapseShapeOp::create(
      b, loc,
      withShape(yt, positionsFirst ? SmallVector<int64_t>{groups, positions, depth}
                                   : SmallVector<int64_t>{groups, depth, positions}),
      cols, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5, 6}});
  Value filters = tensor::ExpandShapeOp::create(
      b, loc, withShape(wt, {groups, fg, cg, kh, kw}), op.getFilters(),
      SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
  filters = tensor::CollapseShapeOp::create(b, loc, withShape(wt, {groups, fg, depth}),
                                            filters,
                                            SmallVector<ReassociationIndices>{{0}, {1}, {2, 3, 4}});

  Value zero = zeroInit(b, loc, yt.getElementType());
  Value product;
  if (groups == 1) { // one product: (F, depth) x (depth, N*OH*OW)
    auto matrix = SmallVector<ReassociationIndices>{{0, 1}, {2}};
    Value lhs = tensor::CollapseShapeOp::create(b, loc, withShape(wt, {f, depth}), filters,
                                                matrix);
    Value rhs = tensor::CollapseShapeOp::create(
        b, loc,
        withShape(yt, positionsFirst ? SmallVector<int64_t>{positions, depth}
                                     : SmallVector<int64_t>{depth, positions}),
        cols, matrix);
    RankedTensorType outType = withShape(yt, {f, positions});
    Value init = linalg::FillOp::create(b, loc, zero, emptyLike(b, loc, outType))
                     .getResult(0);
    SmallVector<NamedAttribute> attributes;
    if (positionsFirst) { // out[m, p] = sum over k of w[m, k] * colsT[p, k]
      AffineExpr m = getAffineDimExpr(0, ctx), q = getAffineDimExpr(1, ctx),
                 k = getAffineDimExpr(2, ctx);
      attributes.push_back(b.getNamedAttr(
          "indexing_maps", b.getAffineMapArrayAttr({AffineMap::get(3, 0, {m, k}, ctx),
                                                           AffineMap::get(3, 0, {q, k}, ctx),
                                                           AffineMap::get(3, 0, {m, q}, ctx)})));
    }
    product = linalg::MatmulOp::create(b, loc, TypeRange{outType}, ValueRange{lhs, rhs},
                                       ValueRange{init}, attributes)
                  .getResult(0);
    product = tensor::ExpandShapeOp::create(b, loc, withShape(yt, {1, fg, n, oh, ow}),
                                            product,
                                            SmallVector<ReassociationIndices>{{0, 1}, {2, 3, 4}});
  } else {
    RankedTensorType outType = withShape(yt, {groups, fg, positions});
    Value init = linalg::FillOp::create(b, loc, zero, emptyLike(b, loc, outType))
                     .getResult(0);
    product = linalg::BatchMatmulOp::create(b, loc, ValueRange{filters, cols}, init)
                  .getResult(0);
    product = tensor::ExpandShapeOp::create(b, loc, withShape(yt, {groups, fg, n, oh, ow}),
                                            product,
                                            SmallVector<ReassociationIndices>{{0}, {1}, {2, 3, 4}});
  }
  // (G, Fg, N, OH, OW) -> (N, G, Fg, OH, OW) -> NCHW
  Value result = buildDimShuffle(b, loc, product, {2, 0, 1, 3, 4},
                                 withShape(yt, {n, groups, fg, oh, ow}));
  return tensor::CollapseShapeOp::create(b, loc, yt, result,
                                         SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
}


SmallVector<OpFoldResult> indexAttrs(OpBuilder &b, ArrayRef<int64_t> values) {
  return llvm::map_to_vector(values, [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); });
}

/// `v * factor` as an index value.
Value scaled(OpBuilder &b, Location loc, Value v, int64_t factor) {
  if (factor == 1)
    return v;
  return arith::MulIOp::create(b, loc, v, arith::ConstantIndexOp::create(b, loc, factor));
}

/// `source[offsets][sizes][strides]` as a tensor of shape `kept` (the
/// sizes without unit axes that the slice drops).
Value slice(OpBuilder &b, Location loc, Value source, ArrayRef<OpFoldResult> offsets,
            ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides, ArrayRef<int64_t> kept) {
  return tensor::ExtractSliceOp::create(b, loc, withShape(typeOf(source), kept), source, offsets,
                                        indexAttrs(b, sizes), indexAttrs(b, strides));
}

Value zeroFilled(OpBuilder &b, Location loc, Value tensor) {
  return linalg::FillOp::create(b, loc, zeroInit(b, loc, typeOf(tensor).getElementType()), tensor)
      .getResult(0);
}

/// out[m, q] += a[m, k] * b[k, q], reading a as a[k, m] with `transposeA`
/// and b as b[q, k] with `transposeB` (a zero-filled `out` is beta = 0).
Value matmul(OpBuilder &b, Location loc, Value a, Value bb, Value out, bool transposeA,
             bool transposeB) {
  MLIRContext *ctx = b.getContext();
  AffineExpr m = getAffineDimExpr(0, ctx), q = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  SmallVector<NamedAttribute> attributes{b.getNamedAttr(
      "indexing_maps",
      b.getAffineMapArrayAttr({AffineMap::get(3, 0, {transposeA ? k : m, transposeA ? m : k}, ctx),
                               AffineMap::get(3, 0, {transposeB ? q : k, transposeB ? k : q}, ctx),
                               AffineMap::get(3, 0, {m, q}, ctx)}))};
  return linalg::MatmulOp::create(b, loc, TypeRange{out.getType()}, ValueRange{a, bb},
                                  ValueRange{out}, attributes)
      .getResult(0);
}

/// Multiply-adds a convolution needs before its images run in parallel:
/// below it, waking the threads costs more than they save (the example's
/// 8x8 convnet step took 1.2 ms on two threads, 0.5 ms on one).
constexpr int64_t kMinParallelMultiplyAdds = int64_t(1) << 22;

/// A serial `scf.for` from `lb` to `ub` threading `init`; `body` returns
/// the next value from the index and the current one.
using SerialBody = function_ref<Value(OpBuilder &, Location, Value index, Value acc)>;
Value forEach(OpBuilder &b, Location loc, Value lb, Value ub, Value init, SerialBody body) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  return scf::ForOp::create(b, loc, lb, ub, one, ValueRange{init},
                            [&](OpBuilder &nb, Location l, Value index, ValueRange args) {
                              scf::YieldOp::create(nb, l, body(nb, l, index, args[0]));
                            })
      .getResult(0);
}
Value forEach(OpBuilder &b, Location loc, int64_t count, Value init, SerialBody body) {
  return forEach(b, loc, arith::ConstantIndexOp::create(b, loc, 0),
                 arith::ConstantIndexOp::create(b, loc, count), init, body);
}

/// How many chunks a batch runs in on the threads: as many threads as it
/// can keep busy. A buffer of 16 MiB or more that theon-hoist-loop-buffers
/// moves out of the parallel loop takes one slot per chunk, not per image,
/// and each chunk reuses its temporaries from one image to the next.
constexpr int64_t kChunks = 8;

/// Builds index `index`'s slice of `dest`, in place into dest[slot].
using SliceBody =
    function_ref<Value(OpBuilder &, Location, Value index, Value slot, Value dest)>;

/// Fills each slice of `init` along its first axis (an image of a batch;
/// a chunk's partial sum) through `body`. Serial, one loop; with
/// `parallel`, an `scf.forall` over gcd(N, 8) chunks of the axis (over
/// every index when that is 1), each looping over its indices. The CPU
/// pipeline runs the forall on OpenMP threads whose products take one
/// thread each (theon-serial-blas).
Value fillSlices(OpBuilder &b, Location loc, Value init, bool parallel, SliceBody body) {
  RankedTensorType type = typeOf(init);
  int64_t n = type.getDimSize(0);
  SmallVector<int64_t> rest(type.getShape().drop_front());
  // Indices [first, first + count) into dest[0, count).
  auto serial = [&](OpBuilder &sb, Location sl, Value dest, Value first, int64_t count) {
    return forEach(sb, sl, count, dest, [&](OpBuilder &ib, Location il, Value slot, Value acc) {
      Value index = arith::AddIOp::create(ib, il, first, slot);
      Value written = body(ib, il, index, slot, acc);
      SmallVector<OpFoldResult> offsets(type.getRank(), ib.getIndexAttr(0));
      offsets[0] = slot;
      SmallVector<int64_t> sizes{1};
      sizes.append(rest);
      return tensor::InsertSliceOp::create(ib, il, written, acc, offsets, indexAttrs(ib, sizes),
                                           indexAttrs(ib, SmallVector<int64_t>(sizes.size(), 1)))
          .getResult();
    });
  };
  if (!parallel)
    return serial(b, loc, init, arith::ConstantIndexOp::create(b, loc, 0), n);
  int64_t chunks = std::gcd(n, kChunks);
  if (chunks == 1)
    chunks = n;
  int64_t perChunk = n / chunks;
  SmallVector<int64_t> chunkShape{perChunk};
  chunkShape.append(rest);
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(chunks)}, ValueRange{init}, std::nullopt,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value first = scaled(nb, l, args[0], perChunk);
        SmallVector<OpFoldResult> offsets(type.getRank(), nb.getIndexAttr(0));
        offsets[0] = first;
        SmallVector<int64_t> ones(type.getRank(), 1);
        Value chunk = slice(nb, l, args[1], offsets, chunkShape, ones, chunkShape);
        chunk = serial(nb, l, chunk, first, perChunk);
        auto inParallel = scf::InParallelOp::create(nb, l);
        OpBuilder::InsertionGuard guard(nb);
        nb.setInsertionPointToStart(inParallel.getBody());
        tensor::ParallelInsertSliceOp::create(nb, l, chunk, args[1], offsets,
                                              indexAttrs(nb, chunkShape), indexAttrs(nb, ones));
      });
  return forall.getResult(0);
}

/// conv2d without groups, one image at a time: the image's columns
/// (C*KH*KW, OH*OW), small enough to stay in cache, times the filters
/// (F, C*KH*KW), written straight into the image's (F, OH*OW) slice of the
/// result, which is already NCHW (no transpose of the whole result).
Value imageByImage(Conv2dOp op, Value padded, OpBuilder &builder) {
  Location loc = op.getLoc();
  RankedTensorType pt = typeOf(padded), wt = typeOf(op.getFilters()), yt = op.getType();
  int64_t n = pt.getDimSize(0), c = pt.getDimSize(1), f = wt.getDimSize(0);
  int64_t kh = wt.getDimSize(2), kw = wt.getDimSize(3), oh = yt.getDimSize(2), ow = yt.getDimSize(3);
  int64_t depth = c * kh * kw, positions = oh * ow;
  ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations();
  Value filters = tensor::CollapseShapeOp::create(builder, loc, withShape(wt, {f, depth}),
                                                  op.getFilters(),
                                                  SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  bool parallel = n * f * depth * positions >= kMinParallelMultiplyAdds;
  Value result = fillSlices(
      builder, loc, emptyLike(builder, loc, withShape(yt, {n, f, positions})), parallel,
      [&](OpBuilder &b, Location l, Value image, Value slot, Value out) -> Value {
        OpFoldResult z = b.getIndexAttr(0);
        Value pixels = slice(b, l, padded, {image, z, z, z},
                             {1, c, pt.getDimSize(2), pt.getDimSize(3)}, {1, 1, 1, 1},
                             {c, pt.getDimSize(2), pt.getDimSize(3)});
        Value cols = imageColumns(b, l, pixels, {kh, kw}, {oh, ow}, s, d);
        Value target = zeroFilled(b, l, slice(b, l, out, {slot, z, z}, {1, f, positions},
                                              {1, 1, 1}, {f, positions}));
        return linalg::MatmulOp::create(b, l, ValueRange{filters, cols}, target).getResult(0);
      });
  return tensor::ExpandShapeOp::create(builder, loc, yt, result,
                                       SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
}

struct Conv2dLowering : OpRewritePattern<Conv2dOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dOp op, PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(op, rewriter))
      return success();
    Value padded = padImage(rewriter, op.getLoc(), op.getX(), op.getPadding(),
                            zeroInit(rewriter, op.getLoc(), op.getType().getElementType()));
    int64_t batch = typeOf(op.getX()).getDimSize(0);
    bool filterFitsOutput = op.getType().getDimSize(3) >= typeOf(op.getFilters()).getDimSize(3);
    rewriter.replaceOp(op, op.getGroups() == 1 && batch > 1 && filterFitsOutput
                               ? imageByImage(op, padded, rewriter)
                               : wholeBatch(op, padded, rewriter));
    return success();
  }
};

/// dw[f, c, a, b] = sum over n, i, j of g[n, f, i, j] * xpad[n, ..., c, i*sh + a*dh, j*sw + b*dw]:
/// per image and group, g's (Fg, OH*OW) times the image's columns
/// (Cg*KH*KW, OH*OW) transposed, added into dw's (Fg, Cg*KH*KW) rows. The
/// batch is split into chunks, each summed serially into a partial of its
/// own in parallel; the partials are added up at the end.
struct Conv2dGradFiltersLowering : OpRewritePattern<Conv2dGradFiltersOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dGradFiltersOp op, PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(op, rewriter))
      return success();
    Location loc = op.getLoc();
    RankedTensorType wt = op.getType(), gt = typeOf(op.getG());
    if (typeOf(op.getX()).getNumElements() == 0 || gt.getNumElements() == 0) {
      // No image or no position: nothing adds to the zeros.
      rewriter.replaceOp(op, zeroFilled(rewriter, loc, emptyLike(rewriter, loc, wt)));
      return success();
    }
    Value padded = padImage(rewriter, loc, op.getX(), op.getPadding(),
                            zeroInit(rewriter, loc, wt.getElementType()));
    RankedTensorType pt = typeOf(padded);
    int64_t n = gt.getDimSize(0), f = wt.getDimSize(0), cg = wt.getDimSize(1);
    int64_t groups = op.getGroups(), fg = f / groups;
    std::array<int64_t, 2> kernel{wt.getDimSize(2), wt.getDimSize(3)},
        out{gt.getDimSize(2), gt.getDimSize(3)};
    int64_t depth = cg * kernel[0] * kernel[1], positions = out[0] * out[1];
    ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations();
    Value g = tensor::CollapseShapeOp::create(rewriter, loc, withShape(gt, {n, f, positions}),
                                              op.getG(),
                                              SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    // As in wholeBatch: the gather's innermost loop runs along the longer
    // of the output's and the filter's rows (positions first: B not
    // transposed; measured slower on the bench's 3x3 layers).
    bool positionsFirst = out[1] < kernel[1];
    auto addImage = [&](OpBuilder &b, Location l, Value image, Value acc) {
      return forEach(b, l, groups, acc, [&](OpBuilder &gb, Location gl, Value group, Value sum) {
        Value channel = scaled(gb, gl, group, cg), filter = scaled(gb, gl, group, fg);
        OpFoldResult z = gb.getIndexAttr(0);
        Value pixels = slice(gb, gl, padded, {image, channel, z, z},
                             {1, cg, pt.getDimSize(2), pt.getDimSize(3)}, {1, 1, 1, 1},
                             {cg, pt.getDimSize(2), pt.getDimSize(3)});
        Value cols = imageColumns(gb, gl, pixels, kernel, out, s, d, positionsFirst);
        Value rows = slice(gb, gl, g, {image, filter, z}, {1, fg, positions}, {1, 1, 1},
                           {fg, positions});
        SmallVector<OpFoldResult> offsets{filter, z};
        Value slot = slice(gb, gl, sum, offsets, {fg, depth}, {1, 1}, {fg, depth});
        Value product = matmul(gb, gl, rows, cols, slot, /*transposeA=*/false, !positionsFirst);
        return tensor::InsertSliceOp::create(gb, gl, product, sum, offsets,
                                             indexAttrs(gb, {fg, depth}), indexAttrs(gb, {1, 1}))
            .getResult();
      });
    };
    // In parallel, the batch in kChunks chunks, each summed in order into a
    // partial of its own; serial, one partial.
    bool parallel = n * f * depth * positions >= kMinParallelMultiplyAdds;
    int64_t chunks = parallel ? std::min(n, kChunks) : 1;
    Value partials = fillSlices(
        rewriter, loc, emptyLike(rewriter, loc, withShape(wt, {chunks, f, depth})), parallel,
        [&](OpBuilder &b, Location l, Value chunk, Value slot, Value all) -> Value {
          OpFoldResult z = b.getIndexAttr(0);
          Value acc = zeroFilled(b, l, slice(b, l, all, {slot, z, z}, {1, f, depth}, {1, 1, 1},
                                             {f, depth}));
          // Images [chunk * n / chunks, (chunk + 1) * n / chunks).
          auto bound = [&](Value k) {
            return arith::DivUIOp::create(b, l, scaled(b, l, k, n),
                                          arith::ConstantIndexOp::create(b, l, chunks));
          };
          Value next = arith::AddIOp::create(b, l, chunk, arith::ConstantIndexOp::create(b, l, 1));
          return forEach(b, l, bound(chunk), bound(next), acc, addImage);
        });
    RankedTensorType flatType = withShape(wt, {f, depth});
    Value dw;
    if (chunks == 1) {
      dw = tensor::CollapseShapeOp::create(rewriter, loc, flatType, partials,
                                           SmallVector<ReassociationIndices>{{0, 1}, {2}});
    } else {
      MLIRContext *ctx = rewriter.getContext();
      AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx),
                 k = getAffineDimExpr(2, ctx);
      dw = linalg::GenericOp::create(
               rewriter, loc, flatType, ValueRange{partials},
               ValueRange{zeroFilled(rewriter, loc, emptyLike(rewriter, loc, flatType))},
               SmallVector<AffineMap>{AffineMap::get(3, 0, {k, i, j}, ctx),
                                      AffineMap::get(3, 0, {i, j}, ctx)},
               SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                                utils::IteratorType::parallel,
                                                utils::IteratorType::reduction},
               [](OpBuilder &b, Location l, ValueRange v) {
                 linalg::YieldOp::create(b, l, Value(arith::AddFOp::create(b, l, v[1], v[0])));
               })
               .getResult(0);
    }
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, wt, dw, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    return success();
  }
};

/// dx: per image (in parallel) and group, the filters' (Fg, Cg*KH*KW)
/// transposed times g's (Fg, OH*OW); each of the KH*KW planes of that
/// product is then added back where its window taps read (col2im) in the
/// image's zero, padded dx, whose inside is the image's slice of the result.
struct Conv2dGradInputLowering : OpRewritePattern<Conv2dGradInputOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dGradInputOp op, PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(op, rewriter))
      return success();
    Location loc = op.getLoc();
    RankedTensorType xt = op.getType(), wt = typeOf(op.getFilters()), gt = typeOf(op.getG());
    if (gt.getNumElements() == 0 || wt.getNumElements() == 0) {
      rewriter.replaceOp(op, zeroFilled(rewriter, loc, emptyLike(rewriter, loc, xt)));
      return success();
    }
    ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations(), p = op.getPadding();
    int64_t n = xt.getDimSize(0), c = xt.getDimSize(1), h = xt.getDimSize(2), w = xt.getDimSize(3);
    int64_t f = wt.getDimSize(0), cg = wt.getDimSize(1);
    int64_t groups = op.getGroups(), fg = f / groups;
    int64_t kh = wt.getDimSize(2), kw = wt.getDimSize(3), oh = gt.getDimSize(2),
            ow = gt.getDimSize(3);
    int64_t depth = cg * kh * kw, positions = oh * ow;
    bool isPadded = llvm::any_of(p, [](int64_t v) { return v != 0; });
    SmallVector<int64_t> paddedShape{c, h + p[0] + p[1], w + p[2] + p[3]};
    Value filters = tensor::CollapseShapeOp::create(
        rewriter, loc, withShape(wt, {f, depth}), op.getFilters(),
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    Value g = tensor::CollapseShapeOp::create(
        rewriter, loc, withShape(gt, {n, f, positions}), op.getG(),
        SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    bool parallel = n * f * depth * positions >= kMinParallelMultiplyAdds;
    Value dx = fillSlices(
        rewriter, loc, emptyLike(rewriter, loc, xt), parallel,
        [&](OpBuilder &b, Location l, Value image, Value slot, Value out) -> Value {
          OpFoldResult z = b.getIndexAttr(0);
          SmallVector<OpFoldResult> offsets{slot, z, z, z};
          // Without padding the image's slice of the result is the target.
          Value local = isPadded ? emptyLike(b, l, withShape(xt, paddedShape))
                                 : slice(b, l, out, offsets, {1, c, h, w}, {1, 1, 1, 1}, {c, h, w});
          local = zeroFilled(b, l, local);
          local = forEach(b, l, groups, local, [&](OpBuilder &gb, Location gl, Value group, Value acc) {
            Value channel = scaled(gb, gl, group, cg), filter = scaled(gb, gl, group, fg);
            OpFoldResult gz = gb.getIndexAttr(0);
            Value rows = slice(gb, gl, g, {image, filter, gz}, {1, fg, positions}, {1, 1, 1},
                               {fg, positions});
            Value taps = slice(gb, gl, filters, {filter, gz}, {fg, depth}, {1, 1}, {fg, depth});
            Value cols = zeroFilled(gb, gl, emptyLike(gb, gl, withShape(xt, {depth, positions})));
            cols = matmul(gb, gl, taps, rows, cols, /*transposeA=*/true, /*transposeB=*/false);
            cols = tensor::ExpandShapeOp::create(gb, gl, withShape(xt, {cg, kh, kw, oh, ow}), cols,
                                                 SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4}});
            return addBackOverWindows(gb, gl, cols, acc, channel, s, d);
          });
          if (!isPadded)
            return local;
          // A linalg.copy into the image's slice: on the GPU a kernel (a
          // memref.copy between views has no device lowering there).
          Value inside = slice(b, l, local, {z, b.getIndexAttr(p[0]), b.getIndexAttr(p[2])},
                               {c, h, w}, {1, 1, 1}, {c, h, w});
          Value target = slice(b, l, out, offsets, {1, c, h, w}, {1, 1, 1, 1}, {c, h, w});
          return linalg::CopyOp::create(b, l, inside, target).getResult(0);
        });
    rewriter.replaceOp(op, dx);
    return success();
  }

  /// For each tap (a, b): acc[channel + c, i*sh + a*dh, j*sw + b*dw] +=
  /// cols[c, a, b, i, j], one strided slice of the padded image per tap, in
  /// loops over the taps so the IR does not grow with the filter.
  static Value addBackOverWindows(OpBuilder &b, Location loc, Value cols, Value acc, Value channel,
                                 ArrayRef<int64_t> s, ArrayRef<int64_t> d) {
    RankedTensorType ct = typeOf(cols);
    int64_t cg = ct.getDimSize(0), kh = ct.getDimSize(1), kw = ct.getDimSize(2),
            oh = ct.getDimSize(3), ow = ct.getDimSize(4);
    RankedTensorType planeType = withShape(ct, {cg, oh, ow});
    return forEach(b, loc, kh, acc, [&](OpBuilder &rb, Location rl, Value a, Value rowAcc) {
      return forEach(rb, rl, kw, rowAcc, [&](OpBuilder &cb, Location cl, Value tap, Value image) {
        OpFoldResult z = cb.getIndexAttr(0);
        Value plane = slice(cb, cl, cols, {z, a, tap, z, z}, {cg, 1, 1, oh, ow}, {1, 1, 1, 1, 1},
                            {cg, oh, ow});
        SmallVector<OpFoldResult> offsets{channel, scaled(cb, cl, a, d[0]),
                                          scaled(cb, cl, tap, d[1])};
        Value target = slice(cb, cl, image, offsets, {cg, oh, ow}, {1, s[0], s[1]}, {cg, oh, ow});
        AffineMap identity = cb.getMultiDimIdentityMap(3);
        Value sum = linalg::GenericOp::create(
                        cb, cl, planeType, ValueRange{plane}, ValueRange{target},
                        SmallVector<AffineMap>{identity, identity},
                        SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
                        [](OpBuilder &eb, Location el, ValueRange v) {
                          linalg::YieldOp::create(
                              eb, el, Value(arith::AddFOp::create(eb, el, v[1], v[0])));
                        })
                        .getResult(0);
        return tensor::InsertSliceOp::create(cb, cl, sum, image, offsets,
                                             indexAttrs(cb, {cg, oh, ow}),
                                             indexAttrs(cb, {1, s[0], s[1]}))
            .getResult();
      });
    });
  }
};

/// Where pooling window k of an axis starts and ends (clipped as the mode
/// says), for the averages' counts.
struct WindowAxis {
  int64_t size, window, stride, pad;
  bool includePad;
  int64_t count(int64_t k) const {
    int64_t start = k * stride - pad, end = start + window;
    int64_t lo = includePad ? -pad : 0, hi = includePad ? size + pad : size;
    return std::min(end, hi) - std::max(start, lo);
  }
};

template <typename PoolOp> std::array<WindowAxis, 2> windowAxes(PoolOp op) {
  RankedTensorType xt = typeOf(op.getX());
  bool includePad = op.getMode() == PoolMode::average_inc_pad;
  std::array<WindowAxis, 2> axes;
  for (int k = 0; k < 2; ++k)
    axes[k] = {xt.getDimSize(2 + k), op.getWindow()[k], op.getStrides()[k], op.getPadding()[k],
               includePad};
  return axes;
}

/// The averages' divisors, one per output position: a constant (OH, OW).
Value windowCounts(OpBuilder &b, Location loc, std::array<WindowAxis, 2> axes,
                   RankedTensorType pooled) {
  int64_t oh = pooled.getDimSize(2), ow = pooled.getDimSize(3);
  auto type = RankedTensorType::get({oh, ow}, pooled.getElementType());
  auto floatType = cast<FloatType>(pooled.getElementType());
  SmallVector<APFloat> counts;
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j) {
      APFloat v(double(axes[0].count(i) * axes[1].count(j)));
      bool lost;
      v.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      counts.push_back(v);
    }
  return arith::ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, counts));
}

bool isAverage(PoolMode mode) {
  return mode == PoolMode::average_inc_pad || mode == PoolMode::average_exc_pad;
}

struct Pool2dLowering : OpRewritePattern<Pool2dOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Pool2dOp op, PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(op, rewriter))
      return success();
    Location loc = op.getLoc();
    RankedTensorType xt = typeOf(op.getX()), yt = op.getType();
    Type element = yt.getElementType();
    ArrayRef<int64_t> window = op.getWindow(), s = op.getStrides(), p = op.getPadding();
    bool isMax = op.getMode() == PoolMode::max;
    // Max ignores the pads (-inf); sums and averages add zeros. Partial
    // windows (without ignore_border) read pads at the bottom and right.
    Value fill = isMax ? extremeConstant(rewriter, loc, element, /*lowest=*/true)
                       : zeroInit(rewriter, loc, element);
    SmallVector<int64_t> pads;
    for (int k = 0; k < 2; ++k) {
      int64_t reach = (yt.getDimSize(2 + k) - 1) * s[k] + window[k];
      pads.push_back(p[k]);
      pads.push_back(std::max<int64_t>(reach - xt.getDimSize(2 + k) - p[k], 0));
    }
    Value padded = padImage(rewriter, loc, op.getX(), pads, fill);

    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
               i = getAffineDimExpr(2, ctx), j = getAffineDimExpr(3, ctx),
               a = getAffineDimExpr(4, ctx), b = getAffineDimExpr(5, ctx);
    SmallVector<AffineMap> maps{AffineMap::get(6, 0, {a, b}, ctx),
                                AffineMap::get(6, 0, {n, c, i * s[0] + a, j * s[1] + b}, ctx),
                                AffineMap::get(6, 0, {n, c, i, j}, ctx)};
    SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
    iterators.append(2, utils::IteratorType::reduction);
    Value shape = tensor::EmptyOp::create(rewriter, loc, window, element);
    Value init = linalg::FillOp::create(rewriter, loc, fill, emptyLike(rewriter, loc, yt)).getResult(0);
    Value pooled =
        linalg::GenericOp::create(
            rewriter, loc, yt, ValueRange{shape, padded}, ValueRange{init}, maps, iterators,
            [&](OpBuilder &nb, Location l, ValueRange args) {
              Value next = isMax ? Value(arith::MaximumFOp::create(nb, l, args[2], args[1]))
                                 : Value(arith::AddFOp::create(nb, l, args[2], args[1]));
              linalg::YieldOp::create(nb, l, next);
            })
            .getResult(0);
    if (isAverage(op.getMode())) {
      Value counts = windowCounts(rewriter, loc, windowAxes(op), yt);
      AffineMap byPosition = AffineMap::get(4, 0, {i, j}, ctx);
      pooled = buildParallel(rewriter, loc, yt, ValueRange{pooled, counts},
                             {rewriter.getMultiDimIdentityMap(4), byPosition},
                             [](OpBuilder &nb, Location l, ValueRange args) {
                               return arith::DivFOp::create(nb, l, args[0], args[1]);
                             });
    }
    rewriter.replaceOp(op, pooled);
    return success();
  }
};

struct Pool2dGradLowering : OpRewritePattern<Pool2dGradOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Pool2dGradOp op, PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(op, rewriter))
      return success();
    Location loc = op.getLoc();
    RankedTensorType xt = op.getType();
    ArrayRef<int64_t> window = op.getWindow(), s = op.getStrides();
    // Windows that do not overlap (stride >= window, the usual 2x2/2) give
    // each element at most one window: a parallel generic with no window
    // loops. Overlapping ones loop over the window offsets.
    bool disjoint = s[0] >= window[0] && s[1] >= window[1];
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps;
    SmallVector<Value> inputs;
    SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
    int64_t loops = 4;
    if (!disjoint) {
      loops = 6;
      iterators.append(2, utils::IteratorType::reduction);
      maps.push_back(AffineMap::get(6, 0, {getAffineDimExpr(4, ctx), getAffineDimExpr(5, ctx)}, ctx));
      inputs.push_back(tensor::EmptyOp::create(rewriter, loc, window, xt.getElementType()));
    }
    AffineMap elementMap = AffineMap::getMultiDimIdentityMap(loops, ctx).getMajorSubMap(4);
    maps.append({elementMap, elementMap});
    inputs.push_back(op.getX());
    // Disjoint windows write every element once: no zero fill to add to.
    Value zero = zeroInit(rewriter, loc, xt.getElementType());
    Value init = emptyLike(rewriter, loc, xt);
    if (!disjoint)
      init = linalg::FillOp::create(rewriter, loc, zero, init).getResult(0);
    Value counts =
        isAverage(op.getMode()) ? windowCounts(rewriter, loc, windowAxes(op), typeOf(op.getG())) : Value();
    Value result = linalg::GenericOp::create(
                       rewriter, loc, xt, inputs, ValueRange{init}, maps, iterators,
                       [&](OpBuilder &nb, Location l, ValueRange args) {
                         Value acc = disjoint ? Value() : args[args.size() - 1];
                         Value sum = gather(op, nb, l, args[args.size() - 2], acc, zero, counts);
                         linalg::YieldOp::create(nb, l, sum);
                       })
                       .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }

  /// The body: what input element `x` (at the generic's indices 0..3)
  /// gets from one window, added to `acc`: the window that holds it at
  /// offset (a, b) (indices 4, 5), or, for disjoint windows (no `acc`), the
  /// only one.
  static Value gather(Pool2dGradOp op, OpBuilder &b, Location l, Value x, Value acc,
                      Value zeroElement, Value counts) {
    bool disjoint = !acc;
    auto index = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
    auto pooledType = typeOf(op.getG());
    ArrayRef<int64_t> window = op.getWindow(), s = op.getStrides(), p = op.getPadding();
    Value zero = index(0), valid;
    SmallVector<Value> at{linalg::IndexOp::create(b, l, 0), linalg::IndexOp::create(b, l, 1)};
    for (int k = 0; k < 2; ++k) {
      // In padded coordinates t = y + p, window i starts at i * s.
      Value t = arith::AddIOp::create(b, l, linalg::IndexOp::create(b, l, 2 + k), index(p[k]));
      Value stride = index(s[k]), w, ok;
      if (disjoint) { // i = t / s, at offset t % s < window
        w = arith::DivUIOp::create(b, l, t, stride);
        ok = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                   arith::RemUIOp::create(b, l, t, stride), index(window[k]));
      } else { // offset a: i = (t - a) / s when t - a >= 0 divides exactly
        Value shifted = arith::SubIOp::create(b, l, t, linalg::IndexOp::create(b, l, 4 + k));
        Value nonNegative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, shifted, zero);
        Value safe = arith::SelectOp::create(b, l, nonNegative, shifted, zero);
        Value exact = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            arith::RemUIOp::create(b, l, safe, stride), zero);
        w = arith::DivUIOp::create(b, l, safe, stride);
        ok = arith::AndIOp::create(b, l, nonNegative, exact);
      }
      Value inside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, w,
                                           index(pooledType.getDimSize(2 + k)));
      ok = arith::AndIOp::create(b, l, ok, inside);
      valid = valid ? Value(arith::AndIOp::create(b, l, valid, ok)) : ok;
      at.push_back(w);
    }
    // An element outside every window reads element 0 and adds nothing.
    for (int k = 2; k < 4; ++k)
      at[k] = arith::SelectOp::create(b, l, valid, at[k], zero);
    Value contribution = tensor::ExtractOp::create(b, l, op.getG(), at);
    if (op.getMode() == PoolMode::max) {
      Value extreme = tensor::ExtractOp::create(b, l, op.getPooled(), at);
      Value isMax = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x, extreme);
      valid = arith::AndIOp::create(b, l, valid, isMax);
    } else if (counts) {
      Value count = tensor::ExtractOp::create(b, l, counts, ValueRange{at[2], at[3]});
      contribution = arith::DivFOp::create(b, l, contribution, count);
    }
    if (disjoint)
      return arith::SelectOp::create(b, l, valid, contribution, zeroElement);
    Value added = arith::AddFOp::create(b, l, acc, contribution);
    return arith::SelectOp::create(b, l, valid, added, acc);
  }
};
} // namespace

void theon::populateTheonConvolutionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2dLowering, Conv2dGradInputLowering, Conv2dGradFiltersLowering, Pool2dLowering,
               Pool2dGradLowering>(patterns.getContext());
}
