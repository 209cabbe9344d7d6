//===- TheonInterfaces.td - theon op interfaces -------------*- tablegen -*-===//
#ifndef THEON_INTERFACES_TD
#define THEON_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Theon_ScalarBodyOpInterface : OpInterface<"ScalarBodyOpInterface"> {
  let cppNamespace = "::mlir::theon";
  let description = [{
    An elementwise op whose result element at each index is a scalar
    function of the operand elements at that index (after NumPy
    broadcasting). The function is the op's scalar body; ODS generates it
    from the `ScalarBody` an elementwise op declares, and one lowering
    pattern turns every such op into a `linalg.generic` around it.
  }];
  let methods = [
    InterfaceMethod<
      "Builds the result element from the operand elements.",
      "::mlir::Value", "buildScalarBody",
      (ins "::mlir::OpBuilder &":$b, "::mlir::Location":$loc,
           "::mlir::ValueRange":$operands, "::mlir::Type":$resultElement)>,
  ];
}

#endif // THEON_INTERFACES_TD
