// RUN: theon-opt %s --theon-cpu-pipeline | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// The seed's cost, mean(-log(diag(Yhat.T[Y]))), and its gradient, run end
// to end: autodiff, take/scatter_add/diag lowering, bufferization, JIT.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  // Probabilities (already normalized) for 3 samples, 2 classes.
  %p = arith.constant dense<[[0.5, 0.5], [0.25, 0.75], [0.8, 0.2]]> : tensor<3x2xf32>
  %y = arith.constant dense<[1, 1, 0]> : tensor<3xi32>
  %t = theon.dimshuffle %p [1, 0] : tensor<3x2xf32> -> tensor<2x3xf32>
  %r = theon.take %t[%y] : tensor<2x3xf32>, tensor<3xi32> -> tensor<3x3xf32>
  %d = theon.extract_diag %r : tensor<3x3xf32> -> tensor<3xf32>
  %l = theon.log %d : tensor<3xf32>
  %n = theon.neg %l : tensor<3xf32>
  %c = theon.mean %n axes = [0] : tensor<3xf32> -> tensor<f32>
  %g = theon.grad %c wrt %p : tensor<f32>, tensor<3x2xf32>
  %cu = tensor.cast %c : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%cu) : (tensor<*xf32>) -> ()
  %gu = tensor.cast %g : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%gu) : (tensor<*xf32>) -> ()
  return
}
// -(log 0.5 + log 0.75 + log 0.8) / 3 = 0.401324
// CHECK: rank = 0
// CHECK-NEXT: [0.401324]
// d/dp[i, y_i] = -1 / (3 p[i, y_i]); zero elsewhere.
// CHECK: rank = 2
// CHECK-NEXT: [0,   -0.666667]
// CHECK-NEXT: [0,   -0.444444]
// CHECK-NEXT: [-0.416667,   0]
