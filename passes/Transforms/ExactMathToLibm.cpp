//===- ExactMathToLibm.cpp - libm where LLVM's math lowering is inexact ---===//
#include "passes/Passes.h"

#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONEXACTMATHTOLIBM
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

struct ExactMathToLibmPass : theon::impl::TheonExactMathToLibmBase<ExactMathToLibmPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathToLibmConversionPatterns(patterns);
    // Only what LLVM's lowering gets wrong is illegal; upstream's patterns
    // for the rest then do not apply.
    ConversionTarget target(getContext());
    target.addLegalDialect<arith::ArithDialect, func::FuncDialect, LLVM::LLVMDialect,
                           math::MathDialect, vector::VectorDialect>();
    target.addIllegalOp<math::ExpM1Op>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
