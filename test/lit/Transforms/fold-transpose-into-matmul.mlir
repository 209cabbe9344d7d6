// RUN: theon-opt %s --convert-theon-to-linalg --theon-fold-transpose-into-matmul --canonicalize | FileCheck %s

// dot(a, b.T): the transposing copy disappears; the matmul reads b through a
// transposed map.
// CHECK-LABEL: func.func @dot_transposed
// CHECK-NOT: linalg.generic
// CHECK: linalg.matmul indexing_maps = [#{{.*}}, #[[BT:.*]], #{{.*}}] ins(%arg0, %arg1 : tensor<4x3xf32>, tensor<5x3xf32>)
func.func @dot_transposed(%a: tensor<4x3xf32>, %b: tensor<5x3xf32>) -> tensor<4x5xf32> {
  %bt = theon.dimshuffle %b [1, 0] : tensor<5x3xf32> -> tensor<3x5xf32>
  %d = theon.dot %a, %bt : tensor<4x3xf32>, tensor<3x5xf32> -> tensor<4x5xf32>
  return %d : tensor<4x5xf32>
}
