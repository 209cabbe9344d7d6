//===- VerifyLinalgOnTensors.cpp - the first stage's output contract ------===//
#include "passes/Passes.h"

#include "mlir/IR/BuiltinDialect.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONVERIFYLINALGONTENSORS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

bool isContractDialect(Dialect *dialect) {
  return isa<BuiltinDialect, func::FuncDialect, arith::ArithDialect, math::MathDialect,
             linalg::LinalgDialect, tensor::TensorDialect, scf::SCFDialect>(dialect);
}

/// A type the next stage can bufferize: scalars and index, or a tensor of
/// Theon's element types (ranked, with dynamic extents where a scan's
/// number of steps is known at run time; unranked ones only pass values to
/// printing helpers, as in the lit tests' harnesses).
bool isContractType(Type type) {
  auto isElement = [](Type t) {
    return t.isF32() || t.isF64() || t.isInteger(1) || t.isInteger(8) || t.isInteger(16) ||
           t.isInteger(32) || t.isInteger(64);
  };
  if (auto tensor = dyn_cast<TensorType>(type))
    return isElement(tensor.getElementType());
  return type.isIndex() || isElement(type) || isa<FunctionType>(type);
}

struct VerifyLinalgOnTensorsPass
    : theon::impl::TheonVerifyLinalgOnTensorsBase<VerifyLinalgOnTensorsPass> {
  void runOnOperation() override {
    WalkResult result = getOperation()->walk([](Operation *op) {
      if (!op->getDialect() || !isContractDialect(op->getDialect())) {
        op->emitOpError("is not in the linalg-on-tensors form the bufferization stage "
                        "expects (func, arith, math, linalg, tensor, scf)");
        return WalkResult::interrupt();
      }
      auto check = [&](Type type, StringRef what) {
        if (isContractType(type))
          return true;
        op->emitOpError() << "has " << what << " of type " << type
                          << "; the bufferization stage expects tensors of i1, i8-i64, "
                             "f32 or f64";
        return false;
      };
      for (Type t : op->getResultTypes())
        if (!check(t, "a result"))
          return WalkResult::interrupt();
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            if (!check(arg.getType(), "a block argument"))
              return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
