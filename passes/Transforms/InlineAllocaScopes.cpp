//===- InlineAllocaScopes.cpp - drop alloca scopes without allocas --------===//
#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONINLINEALLOCASCOPES
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

struct InlineAllocaScopesPass
    : theon::impl::TheonInlineAllocaScopesBase<InlineAllocaScopesPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocaScopeOp> scopes;
    getOperation().walk([&](memref::AllocaScopeOp scope) {
      bool allocates = scope->walk([](memref::AllocaOp) { return WalkResult::interrupt(); })
                           .wasInterrupted();
      if (!allocates)
        scopes.push_back(scope);
    });
    IRRewriter rewriter(&getContext());
    for (memref::AllocaScopeOp scope : scopes) {
      Block *body = &scope.getBodyRegion().front();
      Operation *terminator = body->getTerminator();
      SmallVector<Value> results(terminator->getOperands());
      rewriter.eraseOp(terminator);
      rewriter.inlineBlockBefore(body, scope);
      rewriter.replaceOp(scope, results);
    }
  }
};

} // namespace
