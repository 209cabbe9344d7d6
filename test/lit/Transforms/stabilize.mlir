// RUN: theon-opt %s --theon-stabilize --canonicalize --split-input-file | FileCheck %s

// The cheat sheet's diag(Yhat.T[Y]) with one index per row: a per-row gather.
// CHECK-LABEL: func.func @diag_of_take_of_transpose
// CHECK-NOT: theon.extract_diag
// CHECK-NOT: theon.take %
// CHECK: %[[R:.*]] = theon.take_per_row %arg0[%arg1] : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
// CHECK: return %[[R]]
func.func @diag_of_take_of_transpose(%p: tensor<4x3xf32>, %y: tensor<4xi32>) -> tensor<4xf32> {
  %t = theon.dimshuffle %p [1, 0] : tensor<4x3xf32> -> tensor<3x4xf32>
  %r = theon.take %t[%y] : tensor<3x4xf32>, tensor<4xi32> -> tensor<4x4xf32>
  %d = theon.extract_diag %r : tensor<4x4xf32> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Fewer indices than rows: the diagonal is not one element per row; no rewrite.
// CHECK-LABEL: func.func @not_square
// CHECK: theon.extract_diag
func.func @not_square(%p: tensor<4x3xf32>, %y: tensor<2xi32>) -> tensor<2xf32> {
  %t = theon.dimshuffle %p [1, 0] : tensor<4x3xf32> -> tensor<3x4xf32>
  %r = theon.take %t[%y] : tensor<3x4xf32>, tensor<2xi32> -> tensor<2x4xf32>
  %d = theon.extract_diag %r : tensor<2x4xf32> -> tensor<2xf32>
  return %d : tensor<2xf32>
}

// -----

// log(softmax): log(exp(s) / d) = s - log(d), and the log moves through the
// per-row gather onto the matrix.
// CHECK-LABEL: func.func @log_softmax_nll
// CHECK: %[[M:.*]] = theon.max %arg0 axes = [1]
// CHECK: %[[MB:.*]] = theon.dimshuffle %[[M]] [0, x]
// CHECK: %[[S:.*]] = theon.sub %arg0, %[[MB]]
// CHECK: %[[E:.*]] = theon.exp %[[S]]
// CHECK: %[[SUM:.*]] = theon.sum %[[E]] axes = [1]
// CHECK: %[[D:.*]] = theon.dimshuffle %[[SUM]] [0, x]
// CHECK: %[[LD:.*]] = theon.log %[[D]] : tensor<4x1xf32>
// CHECK: %[[LS:.*]] = theon.sub %[[S]], %[[LD]] : tensor<4x3xf32>, tensor<4x1xf32> -> tensor<4x3xf32>
// CHECK: %[[P:.*]] = theon.take_per_row %[[LS]][%arg1]
// CHECK-NOT: theon.div
// CHECK: theon.neg %[[P]]
func.func @log_softmax_nll(%z: tensor<4x3xf32>, %y: tensor<4xi32>) -> tensor<f32> {
  %m = theon.max %z axes = [1] : tensor<4x3xf32> -> tensor<4xf32>
  %mb = theon.dimshuffle %m [0, x] : tensor<4xf32> -> tensor<4x1xf32>
  %s = theon.sub %z, %mb : tensor<4x3xf32>, tensor<4x1xf32> -> tensor<4x3xf32>
  %e = theon.exp %s : tensor<4x3xf32>
  %sum = theon.sum %e axes = [1] : tensor<4x3xf32> -> tensor<4xf32>
  %d = theon.dimshuffle %sum [0, x] : tensor<4xf32> -> tensor<4x1xf32>
  %p = theon.div %e, %d : tensor<4x3xf32>, tensor<4x1xf32> -> tensor<4x3xf32>
  %t = theon.dimshuffle %p [1, 0] : tensor<4x3xf32> -> tensor<3x4xf32>
  %r = theon.take %t[%y] : tensor<3x4xf32>, tensor<4xi32> -> tensor<4x4xf32>
  %diag = theon.extract_diag %r : tensor<4x4xf32> -> tensor<4xf32>
  %l = theon.log %diag : tensor<4xf32>
  %n = theon.neg %l : tensor<4xf32>
  %c = theon.mean %n axes = [0] : tensor<4xf32> -> tensor<f32>
  return %c : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @log_exp
// CHECK-NEXT: return %arg0
func.func @log_exp(%x: tensor<5xf64>) -> tensor<5xf64> {
  %e = theon.exp %x : tensor<5xf64>
  %l = theon.log %e : tensor<5xf64>
  return %l : tensor<5xf64>
}

// -----

// A log of something else stays.
// CHECK-LABEL: func.func @plain_log
// CHECK: theon.log
func.func @plain_log(%x: tensor<5xf32>, %y: tensor<5xf32>) -> tensor<5xf32> {
  %d = theon.div %x, %y : tensor<5xf32>, tensor<5xf32> -> tensor<5xf32>
  %l = theon.log %d : tensor<5xf32>
  return %l : tensor<5xf32>
}
