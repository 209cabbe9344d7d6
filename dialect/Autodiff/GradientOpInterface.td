//===- GradientOpInterface.td - reverse-mode rules of theon ops -*- tablegen -*-===//
#ifndef THEON_GRADIENT_OP_INTERFACE_TD
#define THEON_GRADIENT_OP_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Theon_GradientOpInterface : OpInterface<"GradientOpInterface"> {
  let cppNamespace = "::mlir::theon";
  let description = [{
    Reverse-mode derivative rule of an op, used by `theon-autodiff`. Given the
    gradients of the op's results (zeros for a result no gradient reached),
    the rule builds what flows to each operand at the context's insertion
    point: a value of the operand's own type (contributions over broadcast
    dimensions summed back), or one of three answers that are not values:
    the derivative is zero (floor, sign), the operand is disconnected (an
    index, a condition), or the gradient is undefined (autodiff reports it
    when a `wrt` depends on that operand). Elementwise ops get their rule
    generated from the derivatives their ODS declaration lists
    (Derivatives.td); the others write it in GradientRules.cpp.
  }];
  let methods = [
    InterfaceMethod<
      "Builds what flows to each operand from the result gradients.",
      "::mlir::LogicalResult", "buildGradients",
      (ins "::mlir::theon::GradientContext &":$ctx,
           "::mlir::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::SmallVectorImpl<::mlir::theon::OperandGradient> &":$operandGrads)>,
  ];
}

#endif // THEON_GRADIENT_OP_INTERFACE_TD
