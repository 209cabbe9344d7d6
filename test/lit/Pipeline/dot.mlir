// RUN: theon-opt %s --theon-cpu-pipeline | \
// RUN:   mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | \
// RUN:   FileCheck %s

// theon.dot for all four 1-D/2-D combinations, float and integer.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI64(tensor<*xi64>)

func.func @dots(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>, %v: tensor<3xf32>, %w: tensor<2xf32>)
    -> (tensor<2x2xf32>, tensor<2xf32>, tensor<3xf32>, tensor<f32>) {
  %0 = theon.dot %a, %b : tensor<2x3xf32>, tensor<3x2xf32> -> tensor<2x2xf32>
  %1 = theon.dot %a, %v : tensor<2x3xf32>, tensor<3xf32> -> tensor<2xf32>
  %2 = theon.dot %w, %a : tensor<2xf32>, tensor<2x3xf32> -> tensor<3xf32>
  %3 = theon.dot %v, %v : tensor<3xf32>, tensor<3xf32> -> tensor<f32>
  return %0, %1, %2, %3 : tensor<2x2xf32>, tensor<2xf32>, tensor<3xf32>, tensor<f32>
}

// A dot feeding elementwise ops: a dense layer, relu(x . W + b).
func.func @dense(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>, %b: tensor<2xf32>) -> tensor<2x2xf32> {
  %0 = theon.dot %x, %w : tensor<2x3xf32>, tensor<3x2xf32> -> tensor<2x2xf32>
  %1 = theon.add %0, %b : tensor<2x2xf32>, tensor<2xf32> -> tensor<2x2xf32>
  %z = arith.constant dense<0.0> : tensor<f32>
  %2 = theon.maximum %1, %z : tensor<2x2xf32>, tensor<f32> -> tensor<2x2xf32>
  return %2 : tensor<2x2xf32>
}

func.func @int_dot(%a: tensor<2x2xi64>, %v: tensor<2xi64>) -> (tensor<2x2xi64>, tensor<i64>) {
  %0 = theon.dot %a, %a : tensor<2x2xi64>, tensor<2x2xi64> -> tensor<2x2xi64>
  %1 = theon.dot %v, %v : tensor<2xi64>, tensor<2xi64> -> tensor<i64>
  return %0, %1 : tensor<2x2xi64>, tensor<i64>
}

func.func @main() {
  %a = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]]> : tensor<3x2xf32>
  %v = arith.constant dense<[1.0, -1.0, 2.0]> : tensor<3xf32>
  %w = arith.constant dense<[10.0, 1.0]> : tensor<2xf32>
  %d:4 = call @dots(%a, %b, %v, %w) : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<3xf32>, tensor<2xf32>)
      -> (tensor<2x2xf32>, tensor<2xf32>, tensor<3xf32>, tensor<f32>)
  // matrix . matrix
  // CHECK:      rank = 2 offset = 0 sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[}}[7, -1],
  // CHECK-NEXT:  [16, -1]]
  %d0 = tensor.cast %d#0 : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%d0) : (tensor<*xf32>) -> ()
  // matrix . vector
  // CHECK:      rank = 1 offset = 0 sizes = [2] strides = [1] data =
  // CHECK-NEXT: [5, 11]
  %d1 = tensor.cast %d#1 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%d1) : (tensor<*xf32>) -> ()
  // vector . matrix
  // CHECK:      rank = 1 offset = 0 sizes = [3] strides = [1] data =
  // CHECK-NEXT: [14, 25, 36]
  %d2 = tensor.cast %d#2 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%d2) : (tensor<*xf32>) -> ()
  // vector . vector
  // CHECK:      rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [6]
  %d3 = tensor.cast %d#3 : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%d3) : (tensor<*xf32>) -> ()

  %bias = arith.constant dense<[-10.0, 2.0]> : tensor<2xf32>
  %l = call @dense(%a, %b, %bias) : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  // CHECK:      sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[}}[0, 1],
  // CHECK-NEXT:  [6, 1]]
  %lu = tensor.cast %l : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%lu) : (tensor<*xf32>) -> ()

  %ia = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %iv = arith.constant dense<[3000000000, -2]> : tensor<2xi64>
  %i:2 = call @int_dot(%ia, %iv) : (tensor<2x2xi64>, tensor<2xi64>) -> (tensor<2x2xi64>, tensor<i64>)
  // CHECK:      sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[}}[7, 10],
  // CHECK-NEXT:  [15, 22]]
  %i0 = tensor.cast %i#0 : tensor<2x2xi64> to tensor<*xi64>
  call @printMemrefI64(%i0) : (tensor<*xi64>) -> ()
  // 64-bit accumulation: 9e18 + 4 does not fit 32 bits.
  // CHECK:      rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [9000000000000000004]
  %i1 = tensor.cast %i#1 : tensor<i64> to tensor<*xi64>
  call @printMemrefI64(%i1) : (tensor<*xi64>) -> ()
  return
}
