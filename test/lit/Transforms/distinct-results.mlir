// RUN: theon-opt %s --theon-distinct-results | FileCheck %s

// CHECK-LABEL: func.func @twice
// CHECK: %[[N:.*]] = theon.neg
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3xf32>
// CHECK: %[[C:.*]] = linalg.copy ins(%[[N]] : tensor<3xf32>) outs(%[[E]] : tensor<3xf32>)
// CHECK: return %[[N]], %[[C]], %arg0
func.func @twice(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0 = theon.neg %x : tensor<3xf32>
  return %0, %0, %x : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}
