// RUN: theon-opt %s --theon-cpu-pipeline | \
// RUN:   mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | \
// RUN:   FileCheck %s

// theon.cast: float to integer truncates toward zero, to bool is x != 0 (NaN
// is true), bool to number is 0/1, integers sign-extend and wrap.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefF64(tensor<*xf64>)
func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefI64(tensor<*xi64>)

func.func @float_to_int(%x: tensor<6xf32>, %y: tensor<2xf64>) -> (tensor<6xi32>, tensor<2xi64>) {
  %0 = theon.cast %x : tensor<6xf32> to tensor<6xi32>
  %1 = theon.cast %y : tensor<2xf64> to tensor<2xi64>
  return %0, %1 : tensor<6xi32>, tensor<2xi64>
}

func.func @to_bool(%x: tensor<5xf32>, %i: tensor<3xi64>) -> (tensor<5xi32>, tensor<3xf32>) {
  %0 = theon.cast %x : tensor<5xf32> to tensor<5xi1>
  %1 = theon.cast %0 : tensor<5xi1> to tensor<5xi32>
  %2 = theon.cast %i : tensor<3xi64> to tensor<3xi1>
  %3 = theon.cast %2 : tensor<3xi1> to tensor<3xf32>
  return %1, %3 : tensor<5xi32>, tensor<3xf32>
}

func.func @int_to_int(%x: tensor<4xi64>) -> (tensor<4xi32>, tensor<4xf64>) {
  // i64 -> i8 wraps, i8 -> i32 sign-extends.
  %0 = theon.cast %x : tensor<4xi64> to tensor<4xi8>
  %1 = theon.cast %0 : tensor<4xi8> to tensor<4xi32>
  %2 = theon.cast %x : tensor<4xi64> to tensor<4xf64>
  return %1, %2 : tensor<4xi32>, tensor<4xf64>
}

func.func @float_to_float(%x: tensor<3xf64>) -> (tensor<3xf32>, tensor<3xf64>) {
  %0 = theon.cast %x : tensor<3xf64> to tensor<3xf32>
  %1 = theon.cast %0 : tensor<3xf32> to tensor<3xf64>
  %2 = theon.sub %x, %1 : tensor<3xf64>, tensor<3xf64> -> tensor<3xf64>
  return %0, %2 : tensor<3xf32>, tensor<3xf64>
}

func.func @main() {
  %f = arith.constant dense<[2.7, -2.7, 0.5, -0.9, 1.0e9, -1.0e9]> : tensor<6xf32>
  %d = arith.constant dense<[3.99, -1.0e15]> : tensor<2xf64>
  %a:2 = call @float_to_int(%f, %d) : (tensor<6xf32>, tensor<2xf64>) -> (tensor<6xi32>, tensor<2xi64>)
  // CHECK:      data =
  // CHECK-NEXT: [2, -2, 0, 0, 1000000000, -1000000000]
  %a0 = tensor.cast %a#0 : tensor<6xi32> to tensor<*xi32>
  call @printMemrefI32(%a0) : (tensor<*xi32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [3, -1000000000000000]
  %a1 = tensor.cast %a#1 : tensor<2xi64> to tensor<*xi64>
  call @printMemrefI64(%a1) : (tensor<*xi64>) -> ()

  %b = arith.constant dense<[0.0, -0.0, 0.1, 0x7FC00000, -2.0]> : tensor<5xf32>
  %bi = arith.constant dense<[0, -1, 4294967296]> : tensor<3xi64>
  %c:2 = call @to_bool(%b, %bi) : (tensor<5xf32>, tensor<3xi64>) -> (tensor<5xi32>, tensor<3xf32>)
  // CHECK:      data =
  // CHECK-NEXT: [0, 0, 1, 1, 1]
  %c0 = tensor.cast %c#0 : tensor<5xi32> to tensor<*xi32>
  call @printMemrefI32(%c0) : (tensor<*xi32>) -> ()
  // true converts to 1.0, not -1.0; a value with only high bits set is true.
  // CHECK:      data =
  // CHECK-NEXT: [0, 1, 1]
  %c1 = tensor.cast %c#1 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%c1) : (tensor<*xf32>) -> ()

  %i = arith.constant dense<[300, 200, -129, -7]> : tensor<4xi64>
  %e:2 = call @int_to_int(%i) : (tensor<4xi64>) -> (tensor<4xi32>, tensor<4xf64>)
  // CHECK:      data =
  // CHECK-NEXT: [44, -56, 127, -7]
  %e0 = tensor.cast %e#0 : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%e0) : (tensor<*xi32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [300, 200, -129, -7]
  %e1 = tensor.cast %e#1 : tensor<4xf64> to tensor<*xf64>
  call @printMemrefF64(%e1) : (tensor<*xf64>) -> ()

  %g = arith.constant dense<[0.1, 1.0e300, -16777217.0]> : tensor<3xf64>
  %h:2 = call @float_to_float(%g) : (tensor<3xf64>) -> (tensor<3xf32>, tensor<3xf64>)
  // CHECK:      data =
  // CHECK-NEXT: [0.1, inf, -1.67772e+07]
  %h0 = tensor.cast %h#0 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%h0) : (tensor<*xf32>) -> ()
  // x - f64(f32(x)): the rounding error of the narrowing.
  // CHECK:      data =
  // CHECK-NEXT: [-1.49012e-09, -inf, -1]
  %h1 = tensor.cast %h#1 : tensor<3xf64> to tensor<*xf64>
  call @printMemrefF64(%h1) : (tensor<*xf64>) -> ()
  return
}
