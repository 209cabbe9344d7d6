// RUN: theon-opt %s --theon-to-linalg-pipeline --theon-linalg-to-loops-pipeline | FileCheck %s

// A scan step's outputs are computed in their rows of the stacks
// (eliminate-empty-tensors before bufferization), not in buffers of their
// own copied into the stacks at every step: the product writes its row
// directly, and no copy is left in the loop.
// CHECK-LABEL: func.func @rnn
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NOT: memref.copy
// CHECK: memref.subview %arg0[%[[T]], 0, 0]
// CHECK-NOT: memref.copy
// CHECK: memref.subview %{{.*}}[%[[T]], 0, 0]
// CHECK-NOT: memref.copy
// CHECK: %[[ROW:.*]] = memref.subview %[[MS:[a-z_0-9]+]][%[[T]], 0, 0] [1, 4, 8] [1, 1, 1] : memref<6x4x8xf32> to memref<4x8xf32, strided<[8, 1], offset: ?>>
// CHECK-NOT: memref.copy
// CHECK: %[[OUT:.*]] = memref.cast %[[ROW]] : memref<4x8xf32, strided<[8, 1], offset: ?>> to memref<?x?xf32
// CHECK: call @theon_gemm_f32(%{{.*}}, %{{.*}}, %[[OUT]],
// CHECK-NOT: memref.copy
// After the loop, the results go to the caller's buffers.
// CHECK: memref.copy %{{.*}}, %arg3 : memref<4x8xf32> to memref<4x8xf32>
func.func @rnn(%x: tensor<6x4x8xf32>, %h0: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<6x4x8xf32>, tensor<6x4x8xf32>) {
  %h, %hs, %ms = theon.scan length = 6 sequences(%x : tensor<6x4x8xf32>) init(%h0 : tensor<4x8xf32>)
      params(%w : tensor<8x8xf32>) {
  ^bb0(%xt: tensor<4x8xf32>, %hp: tensor<4x8xf32>, %wp: tensor<8x8xf32>):
    %m = theon.dot %hp, %wp : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
    %a = theon.add %m, %xt : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
    %n = theon.tanh %a : tensor<4x8xf32>
    theon.yield %n, %n, %m : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  } -> tensor<4x8xf32>, tensor<6x4x8xf32>, tensor<6x4x8xf32>
  return %h, %hs, %ms : tensor<4x8xf32>, tensor<6x4x8xf32>, tensor<6x4x8xf32>
}
