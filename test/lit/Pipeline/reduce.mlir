// RUN: theon-opt %s --theon-cpu-pipeline | \
// RUN:   mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | \
// RUN:   FileCheck %s

// Reductions over axes with and without keepdims, NaN propagation in max/min,
// and argmax/argmin (first extreme wins; the first NaN counts as extreme).

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefI64(tensor<*xi64>)

func.func @reduce(%x: tensor<2x3x4xf32>)
    -> (tensor<1x3x1xf32>, tensor<2x3x1xf32>, tensor<1x1x1xf32>, tensor<2x4xf32>, tensor<3xf32>) {
  %0 = theon.sum %x axes = [0, 2] keepdims : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  %1 = theon.mean %x axes = [2] keepdims : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
  %2 = theon.max %x axes = [0, 1, 2] keepdims : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  %3 = theon.min %x axes = [1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %4 = theon.prod %x axes = [0, 2] : tensor<2x3x4xf32> -> tensor<3xf32>
  return %0, %1, %2, %3, %4
      : tensor<1x3x1xf32>, tensor<2x3x1xf32>, tensor<1x1x1xf32>, tensor<2x4xf32>, tensor<3xf32>
}

func.func @reduce_int(%x: tensor<2x3xi32>) -> (tensor<2xi32>, tensor<3xi32>, tensor<1x3xi32>, tensor<i32>) {
  %0 = theon.sum %x axes = [1] : tensor<2x3xi32> -> tensor<2xi32>
  %1 = theon.prod %x axes = [0] : tensor<2x3xi32> -> tensor<3xi32>
  %2 = theon.max %x axes = [0] keepdims : tensor<2x3xi32> -> tensor<1x3xi32>
  %3 = theon.min %x axes = [0, 1] : tensor<2x3xi32> -> tensor<i32>
  return %0, %1, %2, %3 : tensor<2xi32>, tensor<3xi32>, tensor<1x3xi32>, tensor<i32>
}

func.func @reduce_nan(%x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %0 = theon.max %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %1 = theon.min %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %2 = theon.sum %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

func.func @arg(%x: tensor<3x4xf32>, %i: tensor<5xi32>)
    -> (tensor<3xi64>, tensor<1x4xi64>, tensor<i64>, tensor<1xi64>) {
  %0 = theon.argmax %x axis = 1 : tensor<3x4xf32> -> tensor<3xi64>
  %1 = theon.argmin %x axis = 0 keepdims : tensor<3x4xf32> -> tensor<1x4xi64>
  %2 = theon.argmax %i axis = 0 : tensor<5xi32> -> tensor<i64>
  %3 = theon.argmin %i axis = 0 keepdims : tensor<5xi32> -> tensor<1xi64>
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<1x4xi64>, tensor<i64>, tensor<1xi64>
}

func.func @main() {
  %x = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]],
                             [[-1.0, -2.0, -3.0, -4.0], [0.5, 0.5, 0.5, 0.5], [2.0, 2.0, 2.0, 2.0]]]>
      : tensor<2x3x4xf32>
  %r:5 = call @reduce(%x) : (tensor<2x3x4xf32>)
      -> (tensor<1x3x1xf32>, tensor<2x3x1xf32>, tensor<1x1x1xf32>, tensor<2x4xf32>, tensor<3xf32>)
  // sum over axes 0 and 2, keepdims.
  // CHECK:      rank = 3 offset = 0 sizes = [1, 3, 1] strides = [3, 1, 1] data =
  // CHECK-NEXT: {{\[\[\[}}0],
  // CHECK-NEXT:   [28],
  // CHECK-NEXT:   [50]]]
  %r0 = tensor.cast %r#0 : tensor<1x3x1xf32> to tensor<*xf32>
  call @printMemrefF32(%r0) : (tensor<*xf32>) -> ()
  // mean over the last axis, keepdims.
  // CHECK:      rank = 3 offset = 0 sizes = [2, 3, 1] strides = [3, 1, 1] data =
  // CHECK-NEXT: {{\[\[\[}}2.5],
  // CHECK-NEXT:   [6.5],
  // CHECK-NEXT:   [10.5]],
  // CHECK-NEXT:  {{\[\[}}-2.5],
  // CHECK-NEXT:   [0.5],
  // CHECK-NEXT:   [2]]]
  %r1 = tensor.cast %r#1 : tensor<2x3x1xf32> to tensor<*xf32>
  call @printMemrefF32(%r1) : (tensor<*xf32>) -> ()
  // max over everything, keepdims.
  // CHECK:      rank = 3 offset = 0 sizes = [1, 1, 1] strides = [1, 1, 1] data =
  // CHECK-NEXT: {{\[\[\[}}12]]]
  %r2 = tensor.cast %r#2 : tensor<1x1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%r2) : (tensor<*xf32>) -> ()
  // min over the middle axis.
  // CHECK:      rank = 2 offset = 0 sizes = [2, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[}}[1, 2, 3, 4],
  // CHECK-NEXT:  [-1, -2, -3, -4]]
  %r3 = tensor.cast %r#3 : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%r3) : (tensor<*xf32>) -> ()
  // prod over axes 0 and 2.
  // CHECK:      rank = 1 offset = 0 sizes = [3] strides = [1] data =
  // CHECK-NEXT: [576, 105, 190080]
  %r4 = tensor.cast %r#4 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%r4) : (tensor<*xf32>) -> ()

  %xi = arith.constant dense<[[3, -4, 5], [-2147483648, 2, 7]]> : tensor<2x3xi32>
  %ri:4 = call @reduce_int(%xi) : (tensor<2x3xi32>)
      -> (tensor<2xi32>, tensor<3xi32>, tensor<1x3xi32>, tensor<i32>)
  // CHECK:      data =
  // CHECK-NEXT: [4, -2147483639]
  %ri0 = tensor.cast %ri#0 : tensor<2xi32> to tensor<*xi32>
  call @printMemrefI32(%ri0) : (tensor<*xi32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [-2147483648, -8, 35]
  %ri1 = tensor.cast %ri#1 : tensor<3xi32> to tensor<*xi32>
  call @printMemrefI32(%ri1) : (tensor<*xi32>) -> ()
  // CHECK:      sizes = [1, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[}}[3, 2, 7]]
  %ri2 = tensor.cast %ri#2 : tensor<1x3xi32> to tensor<*xi32>
  call @printMemrefI32(%ri2) : (tensor<*xi32>) -> ()
  // CHECK:      rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [-2147483648]
  %ri3 = tensor.cast %ri#3 : tensor<i32> to tensor<*xi32>
  call @printMemrefI32(%ri3) : (tensor<*xi32>) -> ()

  %xn = arith.constant dense<[[1.0, 0x7FC00000, 3.0], [0xFF800000, 0xFF800000, 0xFF800000]]> : tensor<2x3xf32>
  %rn:3 = call @reduce_nan(%xn) : (tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
  // A NaN anywhere in the row makes max and min NaN; an all -inf row stays -inf.
  // CHECK:      data =
  // CHECK-NEXT: [{{-?}}nan, -inf]
  %rn0 = tensor.cast %rn#0 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%rn0) : (tensor<*xf32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [{{-?}}nan, -inf]
  %rn1 = tensor.cast %rn#1 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%rn1) : (tensor<*xf32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [{{-?}}nan, -inf]
  %rn2 = tensor.cast %rn#2 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%rn2) : (tensor<*xf32>) -> ()

  %m = arith.constant dense<[[1.0, 7.0, 7.0, 0.0],
                             [0x7FC00000, 3.0, 0x7FC00000, -5.0],
                             [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000]]> : tensor<3x4xf32>
  %iv = arith.constant dense<[-2147483648, 3, 9, 9, -2147483648]> : tensor<5xi32>
  %a:4 = call @arg(%m, %iv) : (tensor<3x4xf32>, tensor<5xi32>)
      -> (tensor<3xi64>, tensor<1x4xi64>, tensor<i64>, tensor<1xi64>)
  // argmax along rows: the first of two 7s, the first NaN, and 0 for a row
  // of -inf (equal to the initial value).
  // CHECK:      sizes = [3] strides = [1] data =
  // CHECK-NEXT: [1, 0, 0]
  %a0 = tensor.cast %a#0 : tensor<3xi64> to tensor<*xi64>
  call @printMemrefI64(%a0) : (tensor<*xi64>) -> ()
  // argmin down columns, keepdims: NaN beats -inf in columns 0 and 2.
  // CHECK:      sizes = [1, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[}}[1, 2, 1, 2]]
  %a1 = tensor.cast %a#1 : tensor<1x4xi64> to tensor<*xi64>
  call @printMemrefI64(%a1) : (tensor<*xi64>) -> ()
  // Integers: the first 9, and the first minimum integer.
  // CHECK:      rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [2]
  %a2 = tensor.cast %a#2 : tensor<i64> to tensor<*xi64>
  call @printMemrefI64(%a2) : (tensor<*xi64>) -> ()
  // CHECK:      sizes = [1] strides = [1] data =
  // CHECK-NEXT: [0]
  %a3 = tensor.cast %a#3 : tensor<1xi64> to tensor<*xi64>
  call @printMemrefI64(%a3) : (tensor<*xi64>) -> ()
  return
}
