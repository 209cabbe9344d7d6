//===- TheonInterfaces.td - theon op interfaces -------------*- tablegen -*-===//
#ifndef THEON_INTERFACES_TD
#define THEON_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Theon_GradientOpInterface : OpInterface<"GradientOpInterface"> {
  let cppNamespace = "::mlir::theon";
  let description = [{
    Reverse-mode derivative rule of an op, used by `theon-autodiff`. Given the
    gradients of the op's results (zeros for a result no gradient reached),
    build the gradient of each operand at the builder's insertion
    point, with the operand's own type: contributions over broadcast
    dimensions are summed back to the operand's shape. A null operand gradient
    means none flows to that operand (integer operands, indices, or a
    derivative that is zero almost everywhere).
  }];
  let methods = [
    InterfaceMethod<
      "Builds the operand gradients from the result gradients.",
      "::mlir::LogicalResult", "buildGradients",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>,
  ];
}

#endif // THEON_INTERFACES_TD
