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
/// result then transposed to NCHW. For groups, for one image, and for the
/// filter gradient's convolutions (a filter wider than the output).
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
  // Without groups, the second case (the filter gradient's convolutions,
  // whose "filter" is an image) stores the columns transposed, positions
  // first, and the product reads them transposed.
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
  Value zero = zeroInit(builder, loc, yt.getElementType());
  RankedTensorType flatType = withShape(yt, {n, f, positions}), sliceType = withShape(yt, {f, positions});
  Value lb = arith::ConstantIndexOp::create(builder, loc, 0);
  Value ub = arith::ConstantIndexOp::create(builder, loc, n);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  auto loop = scf::ForOp::create(
      builder, loc, lb, ub, one, ValueRange{emptyLike(builder, loc, flatType)},
      [&](OpBuilder &nb, Location l, Value image, ValueRange iterArgs) {
        auto index = [&](int64_t v) -> OpFoldResult { return nb.getIndexAttr(v); };
        SmallVector<OpFoldResult> ones(4, index(1));
        Value pixels = tensor::ExtractSliceOp::create(
            nb, l, withShape(pt, {c, pt.getDimSize(2), pt.getDimSize(3)}), padded,
            SmallVector<OpFoldResult>{image, index(0), index(0), index(0)},
            SmallVector<OpFoldResult>{index(1), index(c), index(pt.getDimSize(2)), index(pt.getDimSize(3))},
            ones);
        Value cols = imageColumns(nb, l, pixels, {kh, kw}, {oh, ow}, s, d);
        SmallVector<OpFoldResult> offsets{image, index(0), index(0)},
            sizes{index(1), index(f), index(positions)}, strides(3, index(1));
        Value slot = tensor::ExtractSliceOp::create(nb, l, sliceType, iterArgs[0], offsets, sizes, strides);
        slot = linalg::FillOp::create(nb, l, zero, slot).getResult(0);
        Value product =
            linalg::MatmulOp::create(nb, l, ValueRange{filters, cols}, slot).getResult(0);
        Value next = tensor::InsertSliceOp::create(nb, l, product, iterArgs[0], offsets, sizes, strides);
        scf::YieldOp::create(nb, l, next);
      });
  return tensor::ExpandShapeOp::create(builder, loc, yt, loop.getResult(0),
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

/// Loops `for image in [0, N): for group in [0, G)` threading `init`
/// through both; `body` returns the next value from the current one.
using ImageGroupBody = function_ref<Value(OpBuilder &, Location, Value image, Value group, Value acc)>;
Value forEachImageAndGroup(OpBuilder &b, Location loc, int64_t images, int64_t groups, Value init,
                           ImageGroupBody body) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value n = arith::ConstantIndexOp::create(b, loc, images);
  Value g = arith::ConstantIndexOp::create(b, loc, groups);
  auto outer = scf::ForOp::create(
      b, loc, zero, n, one, ValueRange{init},
      [&](OpBuilder &ob, Location ol, Value image, ValueRange outerArgs) {
        auto inner = scf::ForOp::create(
            ob, ol, zero, g, one, outerArgs,
            [&](OpBuilder &ib, Location il, Value group, ValueRange innerArgs) {
              scf::YieldOp::create(ib, il, body(ib, il, image, group, innerArgs[0]));
            });
        scf::YieldOp::create(ob, ol, inner.getResult(0));
      });
  return outer.getResult(0);
}

/// `v * factor` as an index value.
Value scaled(OpBuilder &b, Location loc, Value v, int64_t factor) {
  if (factor == 1)
    return v;
  return arith::MulIOp::create(b, loc, v, arith::ConstantIndexOp::create(b, loc, factor));
}

/// `source[offsets][sizes][strides]` with the axes listed in `dropped`
/// (all of size 1) left out of the result type.
Value slice(OpBuilder &b, Location loc, Value source, ArrayRef<OpFoldResult> offsets,
            ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides, ArrayRef<int64_t> kept) {
  SmallVector<OpFoldResult> sizeAttrs, strideAttrs;
  for (int64_t v : sizes)
    sizeAttrs.push_back(b.getIndexAttr(v));
  for (int64_t v : strides)
    strideAttrs.push_back(b.getIndexAttr(v));
  return tensor::ExtractSliceOp::create(b, loc, withShape(typeOf(source), kept), source, offsets,
                                        sizeAttrs, strideAttrs);
}

/// out[m, q] += a[m, k] * bT[q, k] (or a fresh zero-filled `out`).
/// `transposeA` reads a as a[k, m] instead.
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

/// dw[f, c, a, b] = sum over n, i, j of g[n, f, i, j] * xpad[n, ..., c, i*sh + a*dh, j*sw + b*dw]:
/// per image and group, g's (Fg, OH*OW) times the image's columns
/// (Cg*KH*KW, OH*OW) transposed, added into dw's (Fg, Cg*KH*KW) rows.
struct Conv2dGradFiltersLowering : OpRewritePattern<Conv2dGradFiltersOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dGradFiltersOp op, PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(op, rewriter))
      return success();
    Location loc = op.getLoc();
    RankedTensorType wt = op.getType(), gt = typeOf(op.getG());
    Type element = wt.getElementType();
    Value zero = zeroInit(rewriter, loc, element);
    Value padded = padImage(rewriter, loc, op.getX(), op.getPadding(), zero);
    RankedTensorType pt = typeOf(padded);
    int64_t n = gt.getDimSize(0), f = wt.getDimSize(0), cg = wt.getDimSize(1);
    int64_t groups = op.getGroups(), fg = f / groups;
    std::array<int64_t, 2> kernel{wt.getDimSize(2), wt.getDimSize(3)},
        out{gt.getDimSize(2), gt.getDimSize(3)};
    int64_t depth = cg * kernel[0] * kernel[1], positions = out[0] * out[1];
    ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations();
    if (typeOf(op.getX()).getNumElements() == 0 || gt.getNumElements() == 0) {
      // No image or no position: nothing adds to the zeros.
      rewriter.replaceOp(op, linalg::FillOp::create(rewriter, loc, zero, emptyLike(rewriter, loc, wt))
                                 .getResult(0));
      return success();
    }
    Value g = tensor::CollapseShapeOp::create(rewriter, loc, withShape(gt, {n, f, positions}),
                                              op.getG(),
                                              SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    RankedTensorType flatType = withShape(wt, {f, depth});
    Value init = linalg::FillOp::create(rewriter, loc, zero, emptyLike(rewriter, loc, flatType))
                     .getResult(0);
    // As in wholeBatch: the gather's innermost loop runs along the longer
    // of the output's and the filter's rows (positions first: B not
    // transposed; measured slower on the bench's 3x3 layers).
    bool positionsFirst = out[1] < kernel[1];
    Value dw = forEachImageAndGroup(
        rewriter, loc, n, groups, init,
        [&](OpBuilder &b, Location l, Value image, Value group, Value acc) -> Value {
          Value channel = scaled(b, l, group, cg), filter = scaled(b, l, group, fg);
          OpFoldResult z = b.getIndexAttr(0);
          Value pixels = slice(b, l, padded, {image, channel, z, z},
                               {1, cg, pt.getDimSize(2), pt.getDimSize(3)}, {1, 1, 1, 1},
                               {cg, pt.getDimSize(2), pt.getDimSize(3)});
          Value cols = imageColumns(b, l, pixels, kernel, out, s, d, positionsFirst);
          Value rows = slice(b, l, g, {image, filter, z}, {1, fg, positions}, {1, 1, 1},
                             {fg, positions});
          SmallVector<OpFoldResult> offsets{filter, z};
          Value slot = slice(b, l, acc, offsets, {fg, depth}, {1, 1}, {fg, depth});
          Value sum = matmul(b, l, rows, cols, slot, /*transposeA=*/false, !positionsFirst);
          return tensor::InsertSliceOp::create(
              b, l, sum, acc, offsets,
              SmallVector<OpFoldResult>{b.getIndexAttr(fg), b.getIndexAttr(depth)},
              SmallVector<OpFoldResult>(2, b.getIndexAttr(1)));
        });
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, wt, dw, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    return success();
  }
};

/// dx: per image and group, the filters' (Fg, Cg*KH*KW) transposed times
/// g's (Fg, OH*OW), each of the KH*KW planes of that product then added
/// back where its window taps read (col2im) in a zero, padded dx, whose
/// padding is cut off at the end.
struct Conv2dGradInputLowering : OpRewritePattern<Conv2dGradInputOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dGradInputOp op, PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(op, rewriter))
      return success();
    Location loc = op.getLoc();
    RankedTensorType xt = op.getType(), wt = typeOf(op.getFilters()), gt = typeOf(op.getG());
    Type element = xt.getElementType();
    Value zero = zeroInit(rewriter, loc, element);
    ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations(), p = op.getPadding();
    int64_t n = xt.getDimSize(0), f = wt.getDimSize(0), cg = wt.getDimSize(1);
    int64_t groups = op.getGroups(), fg = f / groups;
    int64_t kh = wt.getDimSize(2), kw = wt.getDimSize(3), oh = gt.getDimSize(2),
            ow = gt.getDimSize(3);
    int64_t depth = cg * kh * kw, positions = oh * ow;
    SmallVector<int64_t> paddedShape{n, xt.getDimSize(1), xt.getDimSize(2) + p[0] + p[1],
                                     xt.getDimSize(3) + p[2] + p[3]};
    Value init = linalg::FillOp::create(rewriter, loc, zero,
                                        emptyLike(rewriter, loc, withShape(xt, paddedShape)))
                     .getResult(0);
    Value dxPadded = init;
    if (gt.getNumElements() != 0 && wt.getNumElements() != 0) {
      Value filters = tensor::CollapseShapeOp::create(
          rewriter, loc, withShape(wt, {f, depth}), op.getFilters(),
          SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
      Value g = tensor::CollapseShapeOp::create(
          rewriter, loc, withShape(gt, {n, f, positions}), op.getG(),
          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
      dxPadded = forEachImageAndGroup(
          rewriter, loc, n, groups, init,
          [&](OpBuilder &b, Location l, Value image, Value group, Value acc) -> Value {
            Value channel = scaled(b, l, group, cg), filter = scaled(b, l, group, fg);
            OpFoldResult z = b.getIndexAttr(0);
            Value rows = slice(b, l, g, {image, filter, z}, {1, fg, positions}, {1, 1, 1},
                               {fg, positions});
            Value taps = slice(b, l, filters, {filter, z}, {fg, depth}, {1, 1}, {fg, depth});
            RankedTensorType colsType = withShape(xt, {depth, positions});
            Value cols = linalg::FillOp::create(b, l, zero, emptyLike(b, l, colsType)).getResult(0);
            cols = matmul(b, l, taps, rows, cols, /*transposeA=*/true, /*transposeB=*/false);
            cols = tensor::ExpandShapeOp::create(b, l, withShape(xt, {cg, kh, kw, oh, ow}), cols,
                                                 SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4}});
            return addBackOverWindows(b, l, cols, acc, image, channel, s, d);
          });
    }
    if (llvm::all_of(p, [](int64_t v) { return v == 0; })) {
      rewriter.replaceOp(op, dxPadded);
      return success();
    }
    rewriter.replaceOp(op, slice(rewriter, loc, dxPadded,
                                 {rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
                                  rewriter.getIndexAttr(p[0]), rewriter.getIndexAttr(p[2])},
                                 xt.getShape(), {1, 1, 1, 1}, xt.getShape()));
    return success();
  }

  /// For each tap (a, b): acc[image, channel + c, i*sh + a*dh, j*sw + b*dw]
  /// += cols[c, a, b, i, j], one strided slice of the padded image per tap,
  /// in loops over the taps so the IR does not grow with the filter.
  static Value addBackOverWindows(OpBuilder &b, Location loc, Value cols, Value acc, Value image,
                                 Value channel, ArrayRef<int64_t> s, ArrayRef<int64_t> d) {
    RankedTensorType ct = typeOf(cols);
    int64_t cg = ct.getDimSize(0), kh = ct.getDimSize(1), kw = ct.getDimSize(2),
            oh = ct.getDimSize(3), ow = ct.getDimSize(4);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value rows = arith::ConstantIndexOp::create(b, loc, kh);
    Value columns = arith::ConstantIndexOp::create(b, loc, kw);
    RankedTensorType planeType = withShape(ct, {cg, oh, ow});
    auto overRows = scf::ForOp::create(
        b, loc, zero, rows, one, ValueRange{acc},
        [&](OpBuilder &rb, Location rl, Value a, ValueRange rowArgs) {
          auto overColumns = scf::ForOp::create(
              rb, rl, zero, columns, one, rowArgs,
              [&](OpBuilder &cb, Location cl, Value tap, ValueRange args) {
                OpFoldResult z = cb.getIndexAttr(0);
                Value plane = slice(cb, cl, cols, {z, a, tap, z, z}, {cg, 1, 1, oh, ow},
                                    {1, 1, 1, 1, 1}, {cg, oh, ow});
                SmallVector<OpFoldResult> offsets{image, channel, scaled(cb, cl, a, d[0]),
                                                  scaled(cb, cl, tap, d[1])};
                Value target =
                    slice(cb, cl, args[0], offsets, {1, cg, oh, ow}, {1, 1, s[0], s[1]}, {cg, oh, ow});
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
                SmallVector<OpFoldResult> sizes{cb.getIndexAttr(1), cb.getIndexAttr(cg),
                                                cb.getIndexAttr(oh), cb.getIndexAttr(ow)};
                SmallVector<OpFoldResult> strides{cb.getIndexAttr(1), cb.getIndexAttr(1),
                                                  cb.getIndexAttr(s[0]), cb.getIndexAttr(s[1])};
                Value next =
                    tensor::InsertSliceOp::create(cb, cl, sum, args[0], offsets, sizes, strides);
                scf::YieldOp::create(cb, cl, next);
              });
          scf::YieldOp::create(rb, rl, overColumns.getResult(0));
        });
    return overRows.getResult(0);
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
