// RUN: theon-opt %s --convert-theon-to-linalg --canonicalize | FileCheck %s

// concatenate: each operand inserted at its offset along the axis.
// CHECK-LABEL: func.func @join
// CHECK: %[[E:.*]] = tensor.empty() : tensor<6x3xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<6x3xf32>
// CHECK: %[[B:.*]] = tensor.insert_slice %arg1 into %[[A]][2, 0] [4, 3] [1, 1] : tensor<4x3xf32> into tensor<6x3xf32>
// CHECK: return %[[B]]
func.func @join(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<6x3xf32> {
  %r = theon.concatenate %a, %b axis = 0 : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<6x3xf32>
  return %r : tensor<6x3xf32>
}
