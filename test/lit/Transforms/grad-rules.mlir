// RUN: theon-opt %s --theon-autodiff --canonicalize --split-input-file | FileCheck %s
// One function per gradient rule: the backward ops each rule builds.

// CHECK-LABEL: func.func @log
// CHECK: theon.div %{{.*}}, %arg0
func.func @log(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.log %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @tanh
// CHECK: %[[T:.*]] = theon.tanh %arg0
// CHECK: %[[SQ:.*]] = theon.mul %[[T]], %[[T]]
// CHECK: theon.sub %{{.*}}, %[[SQ]]
func.func @tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.tanh %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// matrix . matrix: g . B^T and A^T . g
// CHECK-LABEL: func.func @dot
// CHECK-DAG: %[[BT:.*]] = theon.dimshuffle %arg1 [1, 0] : tensor<3x5xf32> -> tensor<5x3xf32>
// CHECK-DAG: theon.dot %{{.*}}, %[[BT]] : tensor<2x5xf32>, tensor<5x3xf32> -> tensor<2x3xf32>
// CHECK-DAG: %[[AT:.*]] = theon.dimshuffle %arg0 [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-DAG: theon.dot %[[AT]], %{{.*}} : tensor<3x2xf32>, tensor<2x5xf32> -> tensor<3x5xf32>
func.func @dot(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) -> (tensor<2x3xf32>, tensor<3x5xf32>) {
  %d = theon.dot %a, %b : tensor<2x3xf32>, tensor<3x5xf32> -> tensor<2x5xf32>
  %s = theon.sum %d axes = [0, 1] : tensor<2x5xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<3x5xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3x5xf32>
}

// -----

// max over an axis: the gradient goes where x equals the maximum.
// CHECK-LABEL: func.func @max
// CHECK: %[[M:.*]] = theon.max %arg0 axes = [1]
// CHECK: %[[MR:.*]] = theon.reshape %[[M]] : tensor<2xf32> to tensor<2x1xf32>
// CHECK: %[[MB:.*]] = theon.broadcast_to %[[MR]] : tensor<2x1xf32> -> tensor<2x3xf32>
// CHECK: %[[EQ:.*]] = theon.eq %arg0, %[[MB]]
// CHECK: %[[MASK:.*]] = theon.cast %[[EQ]] : tensor<2x3xi1> to tensor<2x3xf32>
// CHECK: theon.mul %{{.*}}, %[[MASK]]
func.func @max(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %m = theon.max %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %s = theon.sum %m axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// -----

// take: the gradient scatters back with scatter_add into zeros.
// CHECK-LABEL: func.func @take
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<5x3xf32>
// CHECK: theon.scatter_add %[[Z]][%arg1], %{{.*}} : tensor<5x3xf32>, tensor<4xi32>, tensor<4x3xf32> -> tensor<5x3xf32>
func.func @take(%x: tensor<5x3xf32>, %i: tensor<4xi32>) -> tensor<5x3xf32> {
  %t = theon.take %x[%i] : tensor<5x3xf32>, tensor<4xi32> -> tensor<4x3xf32>
  %s = theon.sum %t axes = [0, 1] : tensor<4x3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<5x3xf32>
  return %g : tensor<5x3xf32>
}

// -----

// extract_diag and alloc_diag are each other's gradient.
// CHECK-LABEL: func.func @diag
// CHECK: theon.alloc_diag %{{.*}} : tensor<3xf32> -> tensor<3x4xf32>
func.func @diag(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %d = theon.extract_diag %x : tensor<3x4xf32> -> tensor<3xf32>
  %s = theon.sum %d axes = [0] : tensor<3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<3x4xf32>
  return %g : tensor<3x4xf32>
}

// -----

// dimshuffle: the inverse pattern, with inserted axes dropped.
// CHECK-LABEL: func.func @dimshuffle
// CHECK: theon.dimshuffle %{{.*}} [2, 0] : tensor<4x1x3xf32> -> tensor<3x4xf32>
func.func @dimshuffle(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %d = theon.dimshuffle %x [1, x, 0] : tensor<3x4xf32> -> tensor<4x1x3xf32>
  %s = theon.sum %d axes = [0, 1, 2] : tensor<4x1x3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<3x4xf32>
  return %g : tensor<3x4xf32>
}

// -----

// maximum (relu): an eq mask against the result.
// CHECK-LABEL: func.func @relu
// CHECK: %[[R:.*]] = theon.maximum %arg0, %{{.*}}
// CHECK: theon.eq %[[R]], %arg0
func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %r = theon.maximum %x, %zero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %s = theon.sum %r axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// take_per_row: the gradient is put back in place with put_per_row.
// CHECK-LABEL: func.func @take_per_row
// CHECK: theon.put_per_row %{{.*}}[%arg1] : tensor<4xf32>, tensor<4xi32> -> tensor<4x3xf32>
func.func @take_per_row(%x: tensor<4x3xf32>, %i: tensor<4xi32>) -> tensor<4x3xf32> {
  %t = theon.take_per_row %x[%i] : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
  %s = theon.sum %t axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4x3xf32>
  return %g : tensor<4x3xf32>
}

// -----

// log_softmax: the closed form g - exp(result) * sum(g, axis).
// CHECK-LABEL: func.func @log_softmax
// CHECK: %[[LS:.*]] = theon.log_softmax %arg0 axis = 1
// CHECK: %[[S:.*]] = theon.sum %{{.*}} axes = [1] keepdims
// CHECK: %[[P:.*]] = theon.exp %[[LS]]
// CHECK: %[[M:.*]] = theon.mul %[[P]], %[[S]]
// CHECK: theon.sub %{{.*}}, %[[M]]
func.func @log_softmax(%x: tensor<4x3xf32>, %i: tensor<4xi32>) -> tensor<4x3xf32> {
  %l = theon.log_softmax %x axis = 1 : tensor<4x3xf32>
  %t = theon.take_per_row %l[%i] : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
  %s = theon.sum %t axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4x3xf32>
  return %g : tensor<4x3xf32>
}
