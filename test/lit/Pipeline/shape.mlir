// RUN: theon-opt %s --theon-cpu-pipeline | \
// RUN:   mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | \
// RUN:   FileCheck %s

// reshape, dimshuffle and broadcast_to move the right elements, also when the
// result is a view of an argument.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @shapes(%x: tensor<2x3xf32>)
    -> (tensor<3x2xf32>, tensor<3x1x2xf32>, tensor<6xf32>, tensor<2x2x3xf32>, tensor<3x2xf32>) {
  %0 = theon.dimshuffle %x [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = theon.dimshuffle %x [1, x, 0] : tensor<2x3xf32> -> tensor<3x1x2xf32>
  %2 = theon.reshape %x : tensor<2x3xf32> to tensor<6xf32>
  %3 = theon.broadcast_to %x : tensor<2x3xf32> -> tensor<2x2x3xf32>
  %4 = theon.reshape %x : tensor<2x3xf32> to tensor<3x2xf32>
  return %0, %1, %2, %3, %4
      : tensor<3x2xf32>, tensor<3x1x2xf32>, tensor<6xf32>, tensor<2x2x3xf32>, tensor<3x2xf32>
}

// Dropping size-1 dimensions, a 3-D permutation, and broadcasting a column.
func.func @shapes3(%u: tensor<1x3x1xi32>, %t: tensor<2x3x2xi32>, %c: tensor<2x1xi32>)
    -> (tensor<3xi32>, tensor<2x2x3xi32>, tensor<2x4xi32>) {
  %0 = theon.dimshuffle %u [1] : tensor<1x3x1xi32> -> tensor<3xi32>
  %1 = theon.dimshuffle %t [2, 0, 1] : tensor<2x3x2xi32> -> tensor<2x2x3xi32>
  %2 = theon.broadcast_to %c : tensor<2x1xi32> -> tensor<2x4xi32>
  return %0, %1, %2 : tensor<3xi32>, tensor<2x2x3xi32>, tensor<2x4xi32>
}

// m = x . x^T for x = reshape(v) is symmetric: m - m^T is zero, and adding
// the row sums of x as a column gives them back broadcast along rows.
func.func @mix(%v: tensor<6xf32>) -> (tensor<3x3xf32>, tensor<3x3xf32>) {
  %x = theon.reshape %v : tensor<6xf32> to tensor<3x2xf32>
  %xt = theon.dimshuffle %x [1, 0] : tensor<3x2xf32> -> tensor<2x3xf32>
  %m = theon.dot %x, %xt : tensor<3x2xf32>, tensor<2x3xf32> -> tensor<3x3xf32>
  %mt = theon.dimshuffle %m [1, 0] : tensor<3x3xf32> -> tensor<3x3xf32>
  %d = theon.sub %m, %mt : tensor<3x3xf32>, tensor<3x3xf32> -> tensor<3x3xf32>
  %s = theon.sum %x axes = [1] : tensor<3x2xf32> -> tensor<3xf32>
  %col = theon.dimshuffle %s [0, x] : tensor<3xf32> -> tensor<3x1xf32>
  %r = theon.add %d, %col : tensor<3x3xf32>, tensor<3x1xf32> -> tensor<3x3xf32>
  return %m, %r : tensor<3x3xf32>, tensor<3x3xf32>
}

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %s:5 = call @shapes(%x) : (tensor<2x3xf32>)
      -> (tensor<3x2xf32>, tensor<3x1x2xf32>, tensor<6xf32>, tensor<2x2x3xf32>, tensor<3x2xf32>)
  // CHECK:      sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[}}[1, 4],
  // CHECK-NEXT:  [2, 5],
  // CHECK-NEXT:  [3, 6]]
  %s0 = tensor.cast %s#0 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%s0) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [3, 1, 2] strides = [2, 2, 1] data =
  // CHECK-NEXT: {{\[\[\[}}1, 4]],
  // CHECK-NEXT:  {{\[\[}}2, 5]],
  // CHECK-NEXT:  {{\[\[}}3, 6]]]
  %s1 = tensor.cast %s#1 : tensor<3x1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%s1) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [6] strides = [1] data =
  // CHECK-NEXT: [1, 2, 3, 4, 5, 6]
  %s2 = tensor.cast %s#2 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%s2) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [2, 2, 3] strides = [6, 3, 1] data =
  // CHECK-NEXT: {{\[\[\[}}1, 2, 3],
  // CHECK-NEXT:   [4, 5, 6]],
  // CHECK-NEXT:  {{\[\[}}1, 2, 3],
  // CHECK-NEXT:   [4, 5, 6]]]
  %s3 = tensor.cast %s#3 : tensor<2x2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%s3) : (tensor<*xf32>) -> ()
  // reshape keeps row-major order (it is not a transpose).
  // CHECK:      sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[}}[1, 2],
  // CHECK-NEXT:  [3, 4],
  // CHECK-NEXT:  [5, 6]]
  %s4 = tensor.cast %s#4 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%s4) : (tensor<*xf32>) -> ()

  %u = arith.constant dense<[[[7], [8], [9]]]> : tensor<1x3x1xi32>
  %t = arith.constant dense<[[[0, 1], [2, 3], [4, 5]], [[6, 7], [8, 9], [10, 11]]]> : tensor<2x3x2xi32>
  %c = arith.constant dense<[[1], [-1]]> : tensor<2x1xi32>
  %r:3 = call @shapes3(%u, %t, %c) : (tensor<1x3x1xi32>, tensor<2x3x2xi32>, tensor<2x1xi32>)
      -> (tensor<3xi32>, tensor<2x2x3xi32>, tensor<2x4xi32>)
  // CHECK:      sizes = [3] strides = [1] data =
  // CHECK-NEXT: [7, 8, 9]
  %r0 = tensor.cast %r#0 : tensor<3xi32> to tensor<*xi32>
  call @printMemrefI32(%r0) : (tensor<*xi32>) -> ()
  // result[k][i][j] = t[i][j][k]
  // CHECK:      sizes = [2, 2, 3] strides = [6, 3, 1] data =
  // CHECK-NEXT: {{\[\[\[}}0, 2, 4],
  // CHECK-NEXT:   [6, 8, 10]],
  // CHECK-NEXT:  {{\[\[}}1, 3, 5],
  // CHECK-NEXT:   [7, 9, 11]]]
  %r1 = tensor.cast %r#1 : tensor<2x2x3xi32> to tensor<*xi32>
  call @printMemrefI32(%r1) : (tensor<*xi32>) -> ()
  // CHECK:      sizes = [2, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[}}[1, 1, 1, 1],
  // CHECK-NEXT:  [-1, -1, -1, -1]]
  %r2 = tensor.cast %r#2 : tensor<2x4xi32> to tensor<*xi32>
  call @printMemrefI32(%r2) : (tensor<*xi32>) -> ()

  %v = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>
  %m:2 = call @mix(%v) : (tensor<6xf32>) -> (tensor<3x3xf32>, tensor<3x3xf32>)
  // CHECK:      sizes = [3, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[}}[5, 11, 17],
  // CHECK-NEXT:  [11, 25, 39],
  // CHECK-NEXT:  [17, 39, 61]]
  %m0 = tensor.cast %m#0 : tensor<3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%m0) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [3, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[}}[3, 3, 3],
  // CHECK-NEXT:  [7, 7, 7],
  // CHECK-NEXT:  [11, 11, 11]]
  %m1 = tensor.cast %m#1 : tensor<3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%m1) : (tensor<*xf32>) -> ()
  return
}
