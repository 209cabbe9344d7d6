// RUN: theon-opt %s --theon-cpu-pipeline | \
// RUN:   mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | \
// RUN:   FileCheck %s

// Numerics of the unary ops, including the edge cases the dialect documents:
// round is half-to-even, sign keeps NaN, softplus neither overflows nor
// loses small values, log1p keeps its precision near 0.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefF64(tensor<*xf64>)

func.func @rounding(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %0 = theon.round %x : tensor<8xf32>
  %1 = theon.floor %x : tensor<8xf32>
  %2 = theon.ceil %x : tensor<8xf32>
  return %0, %1, %2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

func.func @sign(%x: tensor<7xf32>) -> (tensor<7xf32>, tensor<7xf32>, tensor<7xf32>) {
  %0 = theon.sign %x : tensor<7xf32>
  %1 = theon.abs %x : tensor<7xf32>
  %2 = theon.neg %x : tensor<7xf32>
  return %0, %1, %2 : tensor<7xf32>, tensor<7xf32>, tensor<7xf32>
}

func.func @error_function(%x: tensor<5xf32>, %y: tensor<5xf64>) -> (tensor<5xf32>, tensor<5xf64>) {
  %0 = theon.erf %x : tensor<5xf32>
  %1 = theon.erf %y : tensor<5xf64>
  return %0, %1 : tensor<5xf32>, tensor<5xf64>
}

func.func @logistic(%x: tensor<7xf64>) -> (tensor<7xf64>, tensor<7xf64>) {
  %0 = theon.sigmoid %x : tensor<7xf64>
  %1 = theon.softplus %x : tensor<7xf64>
  return %0, %1 : tensor<7xf64>, tensor<7xf64>
}

func.func @softplus_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = theon.softplus %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

func.func @transcendental(%x: tensor<5xf32>)
    -> (tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>,
        tensor<5xf32>, tensor<5xf32>) {
  %0 = theon.exp %x : tensor<5xf32>
  %1 = theon.log %x : tensor<5xf32>
  %2 = theon.log1p %x : tensor<5xf32>
  %3 = theon.sqrt %x : tensor<5xf32>
  %4 = theon.sin %x : tensor<5xf32>
  %5 = theon.cos %x : tensor<5xf32>
  %6 = theon.tanh %x : tensor<5xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<5xf32>, tensor<5xf32>, tensor<5xf32>,
      tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>
}

func.func @main() {
  %r = arith.constant dense<[0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 3.7]> : tensor<8xf32>
  %rr:3 = call @rounding(%r) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
  // round: ties go to the even neighbour.
  // CHECK:      data =
  // CHECK-NEXT: [0, 2, 2, -0, -2, -2, 2, 4]
  %r0 = tensor.cast %rr#0 : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%r0) : (tensor<*xf32>) -> ()
  // floor
  // CHECK:      data =
  // CHECK-NEXT: [0, 1, 2, -1, -2, -3, 2, 3]
  %r1 = tensor.cast %rr#1 : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%r1) : (tensor<*xf32>) -> ()
  // ceil
  // CHECK:      data =
  // CHECK-NEXT: [1, 2, 3, -0, -1, -2, 3, 4]
  %r2 = tensor.cast %rr#2 : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%r2) : (tensor<*xf32>) -> ()

  %s = arith.constant dense<[0x7FC00000, -2.5, 0.0, -0.0, 3.0, 0xFF800000, 1.0e-30]> : tensor<7xf32>
  %ss:3 = call @sign(%s) : (tensor<7xf32>) -> (tensor<7xf32>, tensor<7xf32>, tensor<7xf32>)
  // sign: NaN stays NaN; both zeros give 0.
  // CHECK:      data =
  // CHECK-NEXT: [nan, -1, 0, 0, 1, -1, 1]
  %s0 = tensor.cast %ss#0 : tensor<7xf32> to tensor<*xf32>
  call @printMemrefF32(%s0) : (tensor<*xf32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [nan, 2.5, 0, 0, 3, inf, 1e-30]
  %s1 = tensor.cast %ss#1 : tensor<7xf32> to tensor<*xf32>
  call @printMemrefF32(%s1) : (tensor<*xf32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [-nan, 2.5, -0, 0, -3, inf, -1e-30]
  %s2 = tensor.cast %ss#2 : tensor<7xf32> to tensor<*xf32>
  call @printMemrefF32(%s2) : (tensor<*xf32>) -> ()

  %l = arith.constant dense<[0.0, 1.0, -1.0, 1000.0, -1000.0, -50.0, 0x7FF8000000000000]> : tensor<7xf64>
  %ll:2 = call @logistic(%l) : (tensor<7xf64>) -> (tensor<7xf64>, tensor<7xf64>)
  // sigmoid saturates to exactly 1 and 0 without producing NaN.
  // CHECK:      data =
  // CHECK-NEXT: [0.5, 0.731059, 0.268941, 1, 0, 1.92875e-22, {{-?}}nan]
  %l0 = tensor.cast %ll#0 : tensor<7xf64> to tensor<*xf64>
  call @printMemrefF64(%l0) : (tensor<*xf64>) -> ()
  // softplus(1000) does not overflow; softplus(-50) is not rounded to 0.
  // CHECK:      data =
  // CHECK-NEXT: [0.693147, 1.31326, 0.313262, 1000, 0, 1.92875e-22, {{-?}}nan]
  %l1 = tensor.cast %ll#1 : tensor<7xf64> to tensor<*xf64>
  call @printMemrefF64(%l1) : (tensor<*xf64>) -> ()

  %p = arith.constant dense<[100.0, -20.0, 0xFF800000, 0x7F800000]> : tensor<4xf32>
  %pp = call @softplus_f32(%p) : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK:      data =
  // CHECK-NEXT: [100, 2.06115e-09, 0, inf]
  %p0 = tensor.cast %pp : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()

  %t = arith.constant dense<[1.0e-10, 1.0, 0.0, -1.0, 4.0]> : tensor<5xf32>
  %tt:7 = call @transcendental(%t) : (tensor<5xf32>)
      -> (tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>,
          tensor<5xf32>, tensor<5xf32>)
  // exp
  // CHECK:      data =
  // CHECK-NEXT: [1, 2.71828, 1, 0.367879, 54.598{{[12]}}]
  %t0 = tensor.cast %tt#0 : tensor<5xf32> to tensor<*xf32>
  call @printMemrefF32(%t0) : (tensor<*xf32>) -> ()
  // log
  // CHECK:      data =
  // CHECK-NEXT: [-23.0259, 0, -inf, {{-?}}nan, 1.38629]
  %t1 = tensor.cast %tt#1 : tensor<5xf32> to tensor<*xf32>
  call @printMemrefF32(%t1) : (tensor<*xf32>) -> ()
  // log1p: 1e-10 survives (log(1 + 1e-10) would be 0 in f32).
  // CHECK:      data =
  // CHECK-NEXT: [1e-10, 0.693147, 0, -inf, 1.60944]
  %t2 = tensor.cast %tt#2 : tensor<5xf32> to tensor<*xf32>
  call @printMemrefF32(%t2) : (tensor<*xf32>) -> ()
  // sqrt
  // CHECK:      data =
  // CHECK-NEXT: [1e-05, 1, 0, {{-?}}nan, 2]
  %t3 = tensor.cast %tt#3 : tensor<5xf32> to tensor<*xf32>
  call @printMemrefF32(%t3) : (tensor<*xf32>) -> ()
  // sin
  // CHECK:      data =
  // CHECK-NEXT: [1e-10, 0.841471, 0, -0.841471, -0.756802]
  %t4 = tensor.cast %tt#4 : tensor<5xf32> to tensor<*xf32>
  call @printMemrefF32(%t4) : (tensor<*xf32>) -> ()
  // cos
  // CHECK:      data =
  // CHECK-NEXT: [1, 0.540302, 1, 0.540302, -0.653644]
  %t5 = tensor.cast %tt#5 : tensor<5xf32> to tensor<*xf32>
  call @printMemrefF32(%t5) : (tensor<*xf32>) -> ()
  // tanh
  // CHECK:      data =
  // CHECK-NEXT: [1e-10, 0.761594, 0, -0.761594, 0.999329]
  %t6 = tensor.cast %tt#6 : tensor<5xf32> to tensor<*xf32>
  call @printMemrefF32(%t6) : (tensor<*xf32>) -> ()
  // erf: a polynomial in f32 (theon-math-approximation), libm in f64; odd,
  // and saturating at +-1.
  %ef = arith.constant dense<[0.0, 0.5, -1.0, 3.0, -10.0]> : tensor<5xf32>
  %ed = arith.constant dense<[0.0, 0.5, -1.0, 3.0, -10.0]> : tensor<5xf64>
  %ee:2 = call @error_function(%ef, %ed) : (tensor<5xf32>, tensor<5xf64>) -> (tensor<5xf32>, tensor<5xf64>)
  // CHECK:      data =
  // CHECK-NEXT: [0, 0.5205, -0.842701, 0.999978, -1]
  %e0 = tensor.cast %ee#0 : tensor<5xf32> to tensor<*xf32>
  call @printMemrefF32(%e0) : (tensor<*xf32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [0, 0.5205, -0.842701, 0.999978, -1]
  %e1 = tensor.cast %ee#1 : tensor<5xf64> to tensor<*xf64>
  call @printMemrefF64(%e1) : (tensor<*xf64>) -> ()
  return
}
