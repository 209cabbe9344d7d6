// RUN: theon-opt %s --convert-theon-to-linalg --split-input-file | FileCheck %s

// theon.dot becomes the named contraction for its operand ranks, accumulating
// into a zero-filled tensor.

// CHECK-LABEL: func.func @matrix_matrix
// CHECK-SAME:    (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT:    %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[F]] : tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x4xf32>
func.func @matrix_matrix(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = theon.dot %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @matrix_vector
// CHECK-SAME:    (%[[A:.*]]: tensor<2x3xf64>, %[[V:.*]]: tensor<3xf64>) -> tensor<2xf64>
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2xf64>
// CHECK-NEXT:    %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[E]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.matvec ins(%[[A]], %[[V]] : tensor<2x3xf64>, tensor<3xf64>) outs(%[[F]] : tensor<2xf64>) -> tensor<2xf64>
// CHECK-NEXT:    return %[[R]] : tensor<2xf64>
func.func @matrix_vector(%a: tensor<2x3xf64>, %v: tensor<3xf64>) -> tensor<2xf64> {
  %0 = theon.dot %a, %v : tensor<2x3xf64>, tensor<3xf64> -> tensor<2xf64>
  return %0 : tensor<2xf64>
}

// -----

// CHECK-LABEL: func.func @vector_matrix
// CHECK-SAME:    (%[[V:.*]]: tensor<2xf32>, %[[A:.*]]: tensor<2x3xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<3xf32>
// CHECK-NEXT:    %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.vecmat ins(%[[V]], %[[A]] : tensor<2xf32>, tensor<2x3xf32>) outs(%[[F]] : tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<3xf32>
func.func @vector_matrix(%v: tensor<2xf32>, %a: tensor<2x3xf32>) -> tensor<3xf32> {
  %0 = theon.dot %v, %a : tensor<2xf32>, tensor<2x3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// vector . vector accumulates into a rank-0 tensor.
// CHECK-LABEL: func.func @vector_vector
// CHECK-SAME:    (%[[U:.*]]: tensor<5xf32>, %[[V:.*]]: tensor<5xf32>) -> tensor<f32>
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<f32>
// CHECK-NEXT:    %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<f32>) -> tensor<f32>
// CHECK-NEXT:    %[[R:.*]] = linalg.dot ins(%[[U]], %[[V]] : tensor<5xf32>, tensor<5xf32>) outs(%[[F]] : tensor<f32>) -> tensor<f32>
// CHECK-NEXT:    return %[[R]] : tensor<f32>
func.func @vector_vector(%u: tensor<5xf32>, %v: tensor<5xf32>) -> tensor<f32> {
  %0 = theon.dot %u, %v : tensor<5xf32>, tensor<5xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Integer contractions start from an integer zero.
// CHECK-LABEL: func.func @integer
// CHECK-SAME:    (%[[A:.*]]: tensor<2x3xi64>, %[[B:.*]]: tensor<3x2xi64>, %[[V:.*]]: tensor<3xi32>)
// CHECK-NEXT:    %[[Z64:.*]] = arith.constant 0 : i64
// CHECK-NEXT:    %[[E0:.*]] = tensor.empty() : tensor<2x2xi64>
// CHECK-NEXT:    %[[F0:.*]] = linalg.fill ins(%[[Z64]] : i64) outs(%[[E0]] : tensor<2x2xi64>) -> tensor<2x2xi64>
// CHECK-NEXT:    %[[R0:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xi64>, tensor<3x2xi64>) outs(%[[F0]] : tensor<2x2xi64>) -> tensor<2x2xi64>
// CHECK-NEXT:    %[[Z32:.*]] = arith.constant 0 : i32
// CHECK-NEXT:    %[[E1:.*]] = tensor.empty() : tensor<i32>
// CHECK-NEXT:    %[[F1:.*]] = linalg.fill ins(%[[Z32]] : i32) outs(%[[E1]] : tensor<i32>) -> tensor<i32>
// CHECK-NEXT:    %[[R1:.*]] = linalg.dot ins(%[[V]], %[[V]] : tensor<3xi32>, tensor<3xi32>) outs(%[[F1]] : tensor<i32>) -> tensor<i32>
// CHECK-NEXT:    return %[[R0]], %[[R1]]
func.func @integer(%a: tensor<2x3xi64>, %b: tensor<3x2xi64>, %v: tensor<3xi32>)
    -> (tensor<2x2xi64>, tensor<i32>) {
  %0 = theon.dot %a, %b : tensor<2x3xi64>, tensor<3x2xi64> -> tensor<2x2xi64>
  %1 = theon.dot %v, %v : tensor<3xi32>, tensor<3xi32> -> tensor<i32>
  return %0, %1 : tensor<2x2xi64>, tensor<i32>
}

// -----

// A batch of matrix products: linalg.batch_matmul.
// CHECK-LABEL: func.func @batch
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: linalg.batch_matmul ins(%arg0, %arg1 : tensor<5x2x3xf32>, tensor<5x3x4xf32>) outs(%[[F]] : tensor<5x2x4xf32>)
func.func @batch(%a: tensor<5x2x3xf32>, %b: tensor<5x3x4xf32>) -> tensor<5x2x4xf32> {
  %0 = theon.dot %a, %b : tensor<5x2x3xf32>, tensor<5x3x4xf32> -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}
