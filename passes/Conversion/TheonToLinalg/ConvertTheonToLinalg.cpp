//===- ConvertTheonToLinalg.cpp - theon to linalg on tensors --------------===//
#include "dialect/IR/TheonOps.h"
#include "passes/Passes.h"
#include "passes/Conversion/TheonToLinalg/PatternUtils.h"
#include "passes/Conversion/TheonToLinalg/PopulatePatterns.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

namespace mlir::theon {
#define GEN_PASS_DEF_CONVERTTHEONTOLINALG
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;
using namespace mlir::theon;

namespace {
struct ConvertTheonToLinalgPass
    : theon::impl::ConvertTheonToLinalgBase<ConvertTheonToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    populateTheonToLinalgPatterns(patterns);
    ConversionTarget target(*ctx);
    target.addIllegalDialect<TheonDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect, func::FuncDialect>();
    // theon.grad has no lowering: theon-autodiff must expand it first.
    WalkResult unexpanded = getOperation()->walk([](GradOp op) {
      op.emitOpError("must be expanded by theon-autodiff before "
                     "convert-theon-to-linalg");
      return WalkResult::interrupt();
    });
    if (unexpanded.wasInterrupted())
      return signalPassFailure();
    declareIndexErrorFunction();
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }

  /// `func.func private @theon_index_error(i64, i64, i64)` when an op checks
  /// its indices (see checkedIndex).
  void declareIndexErrorFunction() {
    ModuleOp module = getOperation();
    bool checks = module
                      .walk([](Operation *op) {
                        return op->hasAttr(TheonDialect::kIndexSiteAttrName)
                                   ? WalkResult::interrupt()
                                   : WalkResult::advance();
                      })
                      .wasInterrupted();
    if (!checks || module.lookupSymbol(TheonDialect::kIndexErrorFunctionName))
      return;
    OpBuilder b(module.getBodyRegion());
    Type i64 = b.getI64Type();
    auto decl = func::FuncOp::create(b, module.getLoc(), TheonDialect::kIndexErrorFunctionName,
                                     b.getFunctionType({i64, i64, i64}, {}));
    decl.setPrivate();
  }
};

} // namespace

void theon::populateTheonToLinalgPatterns(RewritePatternSet &patterns) {
  populateTheonElementwiseToLinalgPatterns(patterns);
  populateTheonReductionsToLinalgPatterns(patterns);
  populateTheonContractionsToLinalgPatterns(patterns);
  populateTheonShapeAndIndexingToLinalgPatterns(patterns);
  populateTheonRandomToLinalgPatterns(patterns);
  populateTheonConvolutionToLinalgPatterns(patterns);
}
