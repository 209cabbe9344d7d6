//===- TestGradientModels.cpp - gradient rules for testing the sweep ------===//
//
// theon-opt only: attaches a GradientOpInterface model to math.copysign on
// tensors (an op Theon never emits) that answers "undefined" for its first operand and
// "disconnected" for its second, so that lit tests can pin down what the
// reverse sweep does with those answers before a real op gives them.
//
//===----------------------------------------------------------------------===//
#include "dialect/IR/TheonOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;

namespace {

struct UndefinedThenDisconnected
    : theon::GradientOpInterface::ExternalModel<UndefinedThenDisconnected, math::CopySignOp> {
  LogicalResult buildGradients(Operation *, theon::GradientContext &, ArrayRef<Value>,
                               SmallVectorImpl<theon::OperandGradient> &operandGrads) const {
    operandGrads.push_back(theon::OperandGradient::undefined("a test rule says so"));
    operandGrads.push_back(theon::OperandGradient::disconnected());
    return success();
  }
};

} // namespace

namespace mlir::theon::test {
void registerTestGradientModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, math::MathDialect *) {
    math::CopySignOp::attachInterface<UndefinedThenDisconnected>(*ctx);
  });
}
} // namespace mlir::theon::test
