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
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def TheonAutodiff : Pass<"theon-autodiff", "::mlir::func::FuncOp"> {
  let summary = "Expand theon.grad into the reverse-mode backward graph";
  let description = [{
    For each `theon.grad %cost wrt %x, %y, ...`, in program order (so that a
    gradient used inside another cost is expanded first), walks the ops
    between the `wrt` values and the cost in reverse, asks each op's
    `GradientOpInterface` for the gradients of its operands, and sums the
    contributions to each value. One sweep serves every `wrt` of the op. Only
    float values carry gradients; a `wrt` the cost does not depend on gets
    zeros. An op on the path without a gradient rule is an error.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TheonDistinctResults : Pass<"theon-distinct-results", "::mlir::func::FuncOp"> {
  let summary = "Give every returned tensor its own value before bufferization";
  let description = [{
    A function that returns the same tensor twice (an output that is also an
    update, or a repeated output) would need two out-params for one buffer;
    upstream `buffer-results-to-out-params` crashes on it. This pass returns a
    `linalg.copy` of the value for every repetition after the first.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

#endif // THEON_PASSES_TD
