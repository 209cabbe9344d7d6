//===- FoldTransposeIntoMatmul.cpp - transposes as matmul maps ------------===//
#include "passes/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONFOLDTRANSPOSEINTOMATMUL
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// The input of a generic that only copies a matrix transposed.
Value transposeSource(Value v) {
  auto generic = v.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getNumReductionLoops() != 0 || !generic.hasPureTensorSemantics())
    return {};
  auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
  if (yield.getNumOperands() != 1 || yield.getOperand(0) != generic.getBody()->getArgument(0))
    return {};
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  MLIRContext *ctx = v.getContext();
  AffineMap transpose = AffineMap::getPermutationMap(ArrayRef<unsigned>{1, 0}, ctx);
  if (maps[0] != transpose || !maps[1].isIdentity())
    return {};
  return generic.getDpsInputs()[0];
}

struct FoldTranspose : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp op, PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return failure();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<Value> inputs(op.getDpsInputs());
    bool changed = false;
    for (unsigned i = 0; i < 2; ++i) {
      Value source = transposeSource(inputs[i]);
      if (!source)
        continue;
      AffineMap m = maps[i];
      maps[i] = AffineMap::get(m.getNumDims(), 0, {m.getResult(1), m.getResult(0)},
                               op.getContext());
      inputs[i] = source;
      changed = true;
    }
    if (!changed)
      return failure();
    auto replacement = linalg::MatmulOp::create(
        rewriter, op.getLoc(), op.getResultTypes(), inputs, op.getDpsInits(),
        {rewriter.getNamedAttr("indexing_maps", rewriter.getAffineMapArrayAttr(maps))});
    rewriter.replaceOp(op, replacement->getResults());
    return success();
  }
};

struct TheonFoldTransposeIntoMatmulPass
    : theon::impl::TheonFoldTransposeIntoMatmulBase<TheonFoldTransposeIntoMatmulPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldTranspose>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
