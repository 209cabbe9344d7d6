// RUN: theon-opt %s --theon-cpu-pipeline | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// A scan of dynamic length (`length = ?`), compiled once, runs as many
// steps as its sequence has rows: 3, then 5. Its stacked output has a
// dynamic first axis and `x[-1]` reads that axis from its end.

// CHECK: sizes = [3, 2]
// CHECK-NEXT: {{\[}}[1,   12],
// CHECK-NEXT:  [4,   16],
// CHECK-NEXT:  [9,   22]]
// CHECK: sizes = [5, 2]
// CHECK-NEXT: {{\[}}[1,   11],
// CHECK-NEXT:  [3,   13],
// CHECK-NEXT:  [6,   16],
// CHECK-NEXT:  [10,   20],
// CHECK-NEXT:  [15,   25]]
// CHECK: sizes = [2]
// CHECK-NEXT: [9,  22]
// CHECK: sizes = [2]
// CHECK-NEXT: [15,  25]

func.func private @printMemrefF32(tensor<*xf32>)

func.func @running_sums(%x: tensor<?x2xf32>, %h0: tensor<2xf32>) -> tensor<2xf32> {
  %h, %hs = theon.scan length = ? sequences(%x : tensor<?x2xf32>) init(%h0 : tensor<2xf32>) {
  ^bb0(%xt: tensor<2xf32>, %hp: tensor<2xf32>):
    %n = theon.add %hp, %xt : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
    theon.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  } -> tensor<2xf32>, tensor<?x2xf32>
  %last = theon.subtensor %hs starts = [-1, 0], steps = [1, 1], sizes = [1, 2], dropped = [0] : tensor<?x2xf32> -> tensor<2xf32>
  %u = tensor.cast %hs : tensor<?x2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return %last : tensor<2xf32>
}

func.func @main() {
  %h0 = arith.constant dense<[0.0, 10.0]> : tensor<2xf32>
  %a = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b = arith.constant dense<[[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0], [5.0, 5.0]]> : tensor<5x2xf32>
  %a1 = tensor.cast %a : tensor<3x2xf32> to tensor<?x2xf32>
  %b1 = tensor.cast %b : tensor<5x2xf32> to tensor<?x2xf32>
  %la = func.call @running_sums(%a1, %h0) : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %lb = func.call @running_sums(%b1, %h0) : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %u1 = tensor.cast %la : tensor<2xf32> to tensor<*xf32>
  %u3 = tensor.cast %lb : tensor<2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  func.call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  return
}
