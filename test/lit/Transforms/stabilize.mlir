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

// The cheat sheet's cost: log(diag(softmax(z).T[y])) becomes a per-row gather
// of log_softmax(z); no division, no n-by-n matrix.
// CHECK-LABEL: func.func @log_softmax_nll
// CHECK-NEXT: %[[LS:.*]] = theon.log_softmax %arg0 axis = 1 : tensor<4x3xf32>
// CHECK-NEXT: %[[P:.*]] = theon.take_per_row %[[LS]][%arg1]
// CHECK-NEXT: %[[N:.*]] = theon.neg %[[P]]
// CHECK-NEXT: theon.mean %[[N]] axes = [0]
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

// T::nnet::softmax's form (keepdims reductions) over axis 0 is matched too.
// CHECK-LABEL: func.func @keepdims_softmax
// CHECK-NEXT: %[[LS:.*]] = theon.log_softmax %arg0 axis = 0 : tensor<5x2xf64>
// CHECK-NEXT: return %[[LS]]
func.func @keepdims_softmax(%z: tensor<5x2xf64>) -> tensor<5x2xf64> {
  %m = theon.max %z axes = [0] keepdims : tensor<5x2xf64> -> tensor<1x2xf64>
  %s = theon.sub %z, %m : tensor<5x2xf64>, tensor<1x2xf64> -> tensor<5x2xf64>
  %e = theon.exp %s : tensor<5x2xf64>
  %sum = theon.sum %e axes = [0] keepdims : tensor<5x2xf64> -> tensor<1x2xf64>
  %p = theon.div %e, %sum : tensor<5x2xf64>, tensor<1x2xf64> -> tensor<5x2xf64>
  %l = theon.log %p : tensor<5x2xf64>
  return %l : tensor<5x2xf64>
}

// -----

// Not a softmax (the max is of another tensor): the generic log(exp(s) / d)
// rule applies instead.
// CHECK-LABEL: func.func @not_a_softmax
// CHECK-NOT: theon.log_softmax
// CHECK: %[[LD:.*]] = theon.log %{{.*}} : tensor<4x1xf32>
// CHECK: theon.sub %{{.*}}, %[[LD]]
func.func @not_a_softmax(%z: tensor<4x3xf32>, %w: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %m = theon.max %w axes = [1] keepdims : tensor<4x3xf32> -> tensor<4x1xf32>
  %s = theon.sub %z, %m : tensor<4x3xf32>, tensor<4x1xf32> -> tensor<4x3xf32>
  %e = theon.exp %s : tensor<4x3xf32>
  %sum = theon.sum %e axes = [1] keepdims : tensor<4x3xf32> -> tensor<4x1xf32>
  %p = theon.div %e, %sum : tensor<4x3xf32>, tensor<4x1xf32> -> tensor<4x3xf32>
  %l = theon.log %p : tensor<4x3xf32>
  return %l : tensor<4x3xf32>
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
