//===- PassPreconditions.cpp - checks passes make before rewriting --------===//
#include "passes/Transforms/PassPreconditions.h"
#include "dialect/IR/TheonDialect.h"

using namespace mlir;

FailureOr<func::ReturnOp> theon::getSingleReturn(func::FuncOp func, StringRef pass) {
  if (!func.getBody().hasOneBlock())
    return func.emitError() << pass << " expects a function of one block, got "
                            << func.getBody().getBlocks().size();
  auto ret = dyn_cast<func::ReturnOp>(func.getBody().front().getTerminator());
  if (!ret)
    return func.emitError() << pass << " expects the function's block to end in func.return, not "
                            << func.getBody().front().getTerminator()->getName();
  return ret;
}

bool theon::hasUpdateResults(func::FuncOp func) {
  return !func.isExternal() && llvm::any_of(func.getArguments(), [&](BlockArgument arg) {
    return func.getArgAttr(arg.getArgNumber(), TheonDialect::kUpdateResultAttrName);
  });
}
