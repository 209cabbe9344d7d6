//===- Passes.td - Theon passes ------------------------------*- tablegen -*-===//
#ifndef THEON_PASSES_TD
#define THEON_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTheonToLinalg : Pass<"convert-theon-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower theon ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Elementwise ops (including broadcasting, dimshuffle and broadcast_to)
    become `linalg.generic` ops with broadcasting indexing maps so that
    `linalg-fuse-elementwise-ops` can fuse them; `dot` becomes a named
    contraction (`linalg.matmul`, `matvec`, `vecmat`, `dot`); reductions become
    `linalg.generic` reductions; `reshape` becomes `tensor.collapse_shape` /
    `tensor.expand_shape`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // THEON_PASSES_TD
