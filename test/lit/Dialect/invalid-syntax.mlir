// RUN: not theon-opt %s 2>&1 | FileCheck %s --check-prefix=GARBAGE --implicit-check-not=func.func
// RUN: not theon-opt %s -split-input-file 2>&1 | FileCheck %s --implicit-check-not=func.func

// Garbage and malformed theon IR: theon-opt exits non-zero, prints a
// diagnostic and no module.

// CHECK: invalid-syntax.mlir:[[@LINE+2]]:1: error: custom op 'this' is unknown
// GARBAGE: invalid-syntax.mlir:[[@LINE+1]]:1: error: custom op 'this' is unknown
this is not IR

// -----

// CHECK: invalid-syntax.mlir:[[@LINE+2]]:21: error: expected SSA operand
func.func @missing_operand(%a: tensor<2xf32>) {
  %0 = theon.add %a, : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

// CHECK: invalid-syntax.mlir:[[@LINE+2]]:8: error: custom op 'theon.frob' is unknown
func.func @unknown_op(%a: tensor<2xf32>) {
  %0 = theon.frob %a : tensor<2xf32>
  return
}

// -----

// CHECK: invalid-syntax.mlir:[[@LINE+2]]:21: error: custom op 'theon.sum' expected 'axes'
func.func @missing_axes(%a: tensor<2xf32>) {
  %0 = theon.sum %a : tensor<2xf32> -> tensor<f32>
  return
}

// -----

// CHECK: invalid-syntax.mlir:[[@LINE+2]]:27: error: expected '['
func.func @missing_pattern(%a: tensor<2xf32>) {
  %0 = theon.dimshuffle %a : tensor<2xf32> -> tensor<2xf32>
  return
}
