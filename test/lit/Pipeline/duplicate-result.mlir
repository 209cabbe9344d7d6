// A function that returns the same computed tensor twice: theon-distinct-results
// gives the second result its own copy, so that bufferization with results as
// out-params (which crashed on this upstream) sees distinct values.
// RUN: theon-opt %s --theon-cpu-pipeline | \
// RUN:   mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | \
// RUN:   FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @twice(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0 = theon.neg %x : tensor<3xf32>
  return %0, %0 : tensor<3xf32>, tensor<3xf32>
}

func.func @main() {
  %x = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %r:2 = call @twice(%x) : (tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  // CHECK:      data =
  // CHECK-NEXT: [-1, -2, -3]
  %u0 = tensor.cast %r#0 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [-1, -2, -3]
  %u1 = tensor.cast %r#1 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  return
}
