// RUN: theon-opt %s | theon-opt | FileCheck %s
// Round trip of the indexing ops and theon.grad.

// CHECK-LABEL: func.func @indexing
func.func @indexing(%x: tensor<5x3xf32>, %i: tensor<4xi32>, %u: tensor<4x3xf32>, %v: tensor<3xi64>)
    -> (tensor<4x3xf32>, tensor<5x3xf32>, tensor<3xf32>, tensor<3x5xi64>) {
  // CHECK: theon.take %{{.*}}[%{{.*}}] : tensor<5x3xf32>, tensor<4xi32> -> tensor<4x3xf32>
  %t = theon.take %x[%i] : tensor<5x3xf32>, tensor<4xi32> -> tensor<4x3xf32>
  // CHECK: theon.scatter_add %{{.*}}[%{{.*}}], %{{.*}} : tensor<5x3xf32>, tensor<4xi32>, tensor<4x3xf32> -> tensor<5x3xf32>
  %s = theon.scatter_add %x[%i], %u : tensor<5x3xf32>, tensor<4xi32>, tensor<4x3xf32> -> tensor<5x3xf32>
  // CHECK: theon.extract_diag %{{.*}} : tensor<5x3xf32> -> tensor<3xf32>
  %d = theon.extract_diag %x : tensor<5x3xf32> -> tensor<3xf32>
  // CHECK: theon.alloc_diag %{{.*}} : tensor<3xi64> -> tensor<3x5xi64>
  %a = theon.alloc_diag %v : tensor<3xi64> -> tensor<3x5xi64>
  return %t, %s, %d, %a : tensor<4x3xf32>, tensor<5x3xf32>, tensor<3xf32>, tensor<3x5xi64>
}

// CHECK-LABEL: func.func @log_softmax_roundtrip
func.func @log_softmax_roundtrip(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // CHECK: theon.log_softmax %{{.*}} axis = 1 : tensor<4x3xf32>
  %l = theon.log_softmax %x axis = 1 : tensor<4x3xf32>
  return %l : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @per_row
func.func @per_row(%x: tensor<4x3xf32>, %i: tensor<4xi32>, %v: tensor<4xf32>) -> (tensor<4xf32>, tensor<4x3xf32>) {
  // CHECK: theon.take_per_row %{{.*}}[%{{.*}}] : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
  %t = theon.take_per_row %x[%i] : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
  // CHECK: theon.put_per_row %{{.*}}[%{{.*}}] : tensor<4xf32>, tensor<4xi32> -> tensor<4x3xf32>
  %p = theon.put_per_row %v[%i] : tensor<4xf32>, tensor<4xi32> -> tensor<4x3xf32>
  return %t, %p : tensor<4xf32>, tensor<4x3xf32>
}

// CHECK-LABEL: func.func @grad
func.func @grad(%c: tensor<f32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<4xf32>) {
  // CHECK: %{{.*}}:2 = theon.grad %{{.*}} wrt %{{.*}}, %{{.*}} : tensor<f32>, tensor<3x4xf32>, tensor<4xf32>
  %g:2 = theon.grad %c wrt %w, %b : tensor<f32>, tensor<3x4xf32>, tensor<4xf32>
  return %g#0, %g#1 : tensor<3x4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @cumulative
func.func @cumulative(%x: tensor<2x5xf32>, %i: tensor<4xi64>, %b: tensor<4xi64>, %u: tensor<4xi64>) -> (tensor<2x5xf32>, tensor<4xi64>, tensor<4xi64>) {
  // CHECK: theon.cumsum %{{.*}} axis = 1 : tensor<2x5xf32>
  %c = theon.cumsum %x axis = 1 : tensor<2x5xf32>
  // CHECK: theon.cumprod %{{.*}} axis = 0 reverse : tensor<4xi64>
  %p = theon.cumprod %i axis = 0 reverse : tensor<4xi64>
  // CHECK: theon.scatter_add %{{.*}}[%{{.*}}], %{{.*}} {set} : tensor<4xi64>, tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  %s = theon.scatter_add %b[%i], %u {set} : tensor<4xi64>, tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  return %c, %p, %s : tensor<2x5xf32>, tensor<4xi64>, tensor<4xi64>
}

// CHECK-LABEL: func.func @gradient_control
func.func @gradient_control(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  // CHECK: theon.zero_grad %{{.*}} : tensor<3xf32>
  %z = theon.zero_grad %x : tensor<3xf32>
  // CHECK: theon.grad_clip %{{.*}} lo = -1.000000e+00, hi = 2.500000e+00 : tensor<3xf32>
  %c = theon.grad_clip %x lo = -1.0, hi = 2.5 : tensor<3xf32>
  return %z, %c : tensor<3xf32>, tensor<3xf32>
}
