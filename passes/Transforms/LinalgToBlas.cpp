//===- LinalgToBlas.cpp - linalg.matmul on memrefs to BLAS gemm -----------===//
// (and linalg.batch_matmul to a loop of them)
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONLINALGTOBLAS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// A fully dynamic strided 2-D memref: what the runtime's descriptor takes.
MemRefType dynamicMatrix(Type element) {
  MLIRContext *ctx = element.getContext();
  auto layout = StridedLayoutAttr::get(ctx, ShapedType::kDynamic,
                                       {ShapedType::kDynamic, ShapedType::kDynamic});
  return MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic}, element, layout);
}

/// Declares `@name(A, B, C, transA, transB, beta)` once per module.
func::FuncOp gemmDeclaration(ModuleOp module, StringRef name, Type element) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  Type matrix = dynamicMatrix(element);
  auto type = b.getFunctionType({matrix, matrix, matrix, b.getI32Type(), b.getI32Type(), element}, {});
  auto decl = func::FuncOp::create(b, module.getLoc(), name, type);
  decl.setPrivate();
  decl->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), b.getUnitAttr());
  return decl;
}

/// Whether an operand map reads its matrix transposed, for the (m, n, k)
/// iteration space of a matmul; nullopt when it is neither layout.
std::optional<bool> transposed(AffineMap map, unsigned row, unsigned col) {
  if (map.getNumResults() != 2)
    return std::nullopt;
  auto dim = [&](unsigned i) { return dyn_cast<AffineDimExpr>(map.getResult(i)); };
  if (!dim(0) || !dim(1))
    return std::nullopt;
  if (dim(0).getPosition() == row && dim(1).getPosition() == col)
    return false;
  if (dim(0).getPosition() == col && dim(1).getPosition() == row)
    return true;
  return std::nullopt;
}

bool isZero(Value v) {
  Attribute attr;
  return matchPattern(v, m_Constant(&attr)) &&
         ((isa<FloatAttr>(attr) && cast<FloatAttr>(attr).getValue().isZero()));
}

/// Whether `v` is a buffer of the function's own: an allocation, or a view
/// into an arena of theon-pack-buffers (whose bytes no other temporary uses
/// while this one is live).
bool isLocalBuffer(Value v) {
  Operation *def = v.getDefiningOp();
  if (auto view = dyn_cast_or_null<memref::ViewOp>(def))
    def = view.getSource().getDefiningOp();
  return isa_and_nonnull<memref::AllocOp, memref::AllocaOp>(def);
}

/// The zero fill that `buffer` holds when `user` runs: a local buffer
/// filled with zeros earlier in the block and, before `user`, only read.
/// Null when there is none.
linalg::FillOp zeroFillBefore(Value buffer, Operation *user) {
  if (!isLocalBuffer(buffer))
    return {};
  linalg::FillOp zeroFill;
  for (Operation *other : buffer.getUsers()) {
    if (other == user || isa<memref::DeallocOp>(other))
      continue;
    auto fill = dyn_cast<linalg::FillOp>(other);
    if (fill && fill.getDpsInits()[0] == buffer && isZero(fill.getDpsInputs()[0]) && !zeroFill) {
      zeroFill = fill;
      continue;
    }
    // Anything else may write it, unless it only reads (another copy out)
    // or comes after `user`.
    auto copy = dyn_cast<memref::CopyOp>(other);
    bool onlyReads = copy && copy.getSource() == buffer;
    bool later = other->getBlock() == user->getBlock() && user->isBeforeInBlock(other);
    if (!onlyReads && !later)
      return {};
  }
  if (zeroFill && zeroFill->getBlock() == user->getBlock() && zeroFill->isBeforeInBlock(user))
    return zeroFill;
  return {};
}

bool isZeroFilled(Value buffer, Operation *user) { return bool(zeroFillBefore(buffer, user)); }

/// Whether something other than `fill` reads `buffer` before `user` (both
/// in one block, as zeroFillBefore found them).
bool readBetween(Value buffer, linalg::FillOp fill, Operation *user) {
  return llvm::any_of(buffer.getUsers(), [&](Operation *other) {
    return other != fill && other != user && other->getBlock() == user->getBlock() &&
           fill->isBeforeInBlock(other) && other->isBeforeInBlock(user);
  });
}

/// Whether rows of `v` are contiguous (unit stride along its last axis),
/// as cuBLAS needs; known when compiling, since the GPU cannot take
/// another path at run time.
bool hasContiguousRows(Value v) {
  auto type = cast<MemRefType>(v.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return strides.empty() || strides.back() == 1 || type.getShape().back() == 1;
}

struct MatmulToGemm : OpRewritePattern<linalg::MatmulOp> {
  MatmulToGemm(MLIRContext *ctx, bool gpu) : OpRewritePattern(ctx), gpu(gpu) {}
  bool gpu;

  LogicalResult matchAndRewrite(linalg::MatmulOp op, PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics())
      return rewriter.notifyMatchFailure(op, "not on memrefs");
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1], c = op.getDpsInits()[0];
    auto cType = cast<MemRefType>(c.getType());
    Type element = cType.getElementType();
    if (!element.isF32() && !element.isF64())
      return rewriter.notifyMatchFailure(op, "not a float product");
    if (cast<MemRefType>(a.getType()).getElementType() != element ||
        cast<MemRefType>(b.getType()).getElementType() != element)
      return rewriter.notifyMatchFailure(op, "mixed element types");
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    auto transA = transposed(maps[0], 0, 2), transB = transposed(maps[1], 2, 1);
    auto outNormal = transposed(maps[2], 0, 1);
    if (!transA || !transB || !outNormal || *outNormal)
      return rewriter.notifyMatchFailure(op, "indexing maps are not a (transposed) gemm");
    if (gpu && !(hasContiguousRows(a) && hasContiguousRows(b) && hasContiguousRows(c)))
      return rewriter.notifyMatchFailure(op, "cuBLAS needs contiguous rows");

    Location loc = op.getLoc();
    // A zero fill of C right before the product is beta = 0. So is a copy
    // into C of a buffer that was zero-filled (cse shares one zero tensor
    // between products; bufferization then copies it for all but the last).
    double beta = 1.0;
    Operation *prev = op->getPrevNode();
    if (auto fill = dyn_cast_or_null<linalg::FillOp>(prev)) {
      if (fill.hasPureBufferSemantics() && fill.getDpsInits()[0] == c &&
          isZero(fill.getDpsInputs()[0])) {
        rewriter.eraseOp(fill);
        beta = 0.0;
      }
    } else if (auto copy = dyn_cast_or_null<memref::CopyOp>(prev)) {
      if (copy.getTarget() == c && isZeroFilled(copy.getSource(), copy)) {
        rewriter.eraseOp(copy);
        beta = 0.0;
      }
    }
    // Or C is a zero-filled buffer itself, product in place. The fill stays
    // only for reads of it in between (cse's shared zero buffer); else the
    // product's beta = 0 overwrites it whole and the fill is dead.
    if (beta != 0.0) {
      if (linalg::FillOp fill = zeroFillBefore(c, op)) {
        beta = 0.0;
        if (!readBetween(c, fill, op))
          rewriter.eraseOp(fill);
      }
    }
    auto module = op->getParentOfType<ModuleOp>();
    StringRef name = gpu ? (element.isF32() ? "theon_gpu_gemm_f32" : "theon_gpu_gemm_f64")
                         : (element.isF32() ? "theon_gemm_f32" : "theon_gemm_f64");
    func::FuncOp callee = gemmDeclaration(module, name, element);
    Type matrix = dynamicMatrix(element);
    auto cast = [&](Value v) { return memref::CastOp::create(rewriter, loc, matrix, v).getResult(); };
    Value flagA = arith::ConstantIntOp::create(rewriter, loc, *transA ? 1 : 0, 32);
    Value flagB = arith::ConstantIntOp::create(rewriter, loc, *transB ? 1 : 0, 32);
    Value betaValue = arith::ConstantOp::create(rewriter, loc, element,
                                                rewriter.getFloatAttr(element, beta));
    func::CallOp::create(rewriter, loc, callee,
                         ValueRange{cast(a), cast(b), cast(c), flagA, flagB, betaValue});
    rewriter.eraseOp(op);
    return success();
  }
};

/// A batch of products as a loop over the batch of 2-d linalg.matmul on
/// views of each matrix, which MatmulToGemm then turns into gemm calls (one
/// OpenBLAS call per batch element; compile time does not grow with it).
void batchMatmulToLoop(linalg::BatchMatmulOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value a = op.getDpsInputs()[0], bm = op.getDpsInputs()[1], c = op.getDpsInits()[0];
  int64_t batch = cast<MemRefType>(c.getType()).getDimSize(0);
  Value lb = arith::ConstantIndexOp::create(b, loc, 0);
  Value ub = arith::ConstantIndexOp::create(b, loc, batch);
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  scf::ForOp::create(b, loc, lb, ub, step, ValueRange{},
                     [&](OpBuilder &nb, Location l, Value i, ValueRange) {
                       // The batch element's matrix: a view of rank 3 (a
                       // rank-reducing view is ambiguous with unit axes),
                       // its unit batch axis collapsed.
                       auto matrix = [&](Value m) {
                         auto type = cast<MemRefType>(m.getType());
                         SmallVector<OpFoldResult> offsets{i, nb.getIndexAttr(0), nb.getIndexAttr(0)};
                         SmallVector<OpFoldResult> sizes{nb.getIndexAttr(1),
                                                         nb.getIndexAttr(type.getDimSize(1)),
                                                         nb.getIndexAttr(type.getDimSize(2))};
                         SmallVector<OpFoldResult> strides(3, nb.getIndexAttr(1));
                         Value view = memref::SubViewOp::create(nb, l, m, offsets, sizes, strides);
                         return memref::CollapseShapeOp::create(
                                    nb, l, view, SmallVector<ReassociationIndices>{{0, 1}, {2}})
                             .getResult();
                       };
                       linalg::MatmulOp::create(nb, l, ValueRange{matrix(a), matrix(bm)},
                                                ValueRange{matrix(c)});
                       scf::YieldOp::create(nb, l);
                     });
  op->erase();
}

struct TheonLinalgToBlasPass : theon::impl::TheonLinalgToBlasBase<TheonLinalgToBlasPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::BatchMatmulOp> batches;
    getOperation().walk([&](linalg::BatchMatmulOp op) {
      Type element = cast<ShapedType>(op.getDpsInits()[0].getType()).getElementType();
      if (op.hasPureBufferSemantics() && (element.isF32() || element.isF64()))
        batches.push_back(op);
    });
    for (linalg::BatchMatmulOp op : batches)
      batchMatmulToLoop(op);
    RewritePatternSet patterns(&getContext());
    patterns.add<MatmulToGemm>(&getContext(), gpu);
    // Only the matched ops change; no folding of anything else.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingOps);
    SmallVector<Operation *> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    if (failed(applyOpPatternsGreedily(matmuls, std::move(patterns), config)))
      return signalPassFailure();
    // A zero buffer whose copies the products replaced by beta = 0 may
    // now be filled for nobody.
    getOperation().walk([](linalg::FillOp fill) {
      if (!fill.hasPureBufferSemantics())
        return;
      Value buffer = fill.getDpsInits()[0];
      if (isLocalBuffer(buffer) && llvm::all_of(buffer.getUsers(), [&](Operation *user) {
            return user == fill || isa<memref::DeallocOp>(user);
          }))
        fill->erase();
    });
  }
};

} // namespace
