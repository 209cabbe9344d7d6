// RUN: theon-opt %s --theon-fuse-elementwise="max-inputs=3" | FileCheck %s
// RUN: theon-opt %s --theon-fuse-elementwise | FileCheck %s --check-prefix=DEFAULT

// A sum of five values (a weight's gradient from five layers). Bounded to
// three inputs, the chain becomes two ops; unbounded (the default bound,
// 32, is not reached) it becomes one op of five inputs, as upstream's
// linalg-fuse-elementwise-ops makes it.
// CHECK-LABEL: func.func @sum
// CHECK:         %[[P:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1, %arg2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK:         %[[S:.*]] = linalg.generic {{.*}} ins(%[[P]], %arg3, %arg4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[S]]
// DEFAULT-LABEL: func.func @sum
// DEFAULT:         linalg.generic {{.*}} ins(%arg0, %arg1, %arg2, %arg3, %arg4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// DEFAULT-NOT:     linalg.generic
#id = affine_map<(d0) -> (d0)>
func.func @sum(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>, %d: tensor<4xf32>, %e: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tensor.empty() : tensor<4xf32>
  %t1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<4xf32>, tensor<4xf32>) outs(%0 : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %t2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%t1, %c : tensor<4xf32>, tensor<4xf32>) outs(%0 : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %t3 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%t2, %d : tensor<4xf32>, tensor<4xf32>) outs(%0 : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %t4 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%t3, %e : tensor<4xf32>, tensor<4xf32>) outs(%0 : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %t4 : tensor<4xf32>
}

// A product keeps its reshapes (tensordot's operands as matrices): folded
// into it, it would become a rank-3 generic that is not a BLAS call.
// CHECK-LABEL: func.func @product_keeps_reshape
// DEFAULT-LABEL: func.func @product_keeps_reshape
// CHECK: tensor.collapse_shape
// CHECK: linalg.matmul
// CHECK: tensor.expand_shape
func.func @product_keeps_reshape(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x3x5xf32> {
  %cst = arith.constant 0.0 : f32
  %c = tensor.collapse_shape %a [[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
  %e = tensor.empty() : tensor<6x5xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<6x5xf32>) -> tensor<6x5xf32>
  %m = linalg.matmul ins(%c, %b : tensor<6x4xf32>, tensor<4x5xf32>) outs(%f : tensor<6x5xf32>) -> tensor<6x5xf32>
  %r = tensor.expand_shape %m [[0, 1], [2]] output_shape [2, 3, 5] : tensor<6x5xf32> into tensor<2x3x5xf32>
  return %r : tensor<2x3x5xf32>
}

// A producer that reads its indices, fused through a reversal: its
// linalg.index is remapped, and the affine.apply that upstream's fusion
// writes for that is lowered to arith (the next stages take no affine).
// CHECK-LABEL: func.func @index_through_reversal
// DEFAULT-LABEL: func.func @index_through_reversal
// CHECK-NOT: affine.apply
// CHECK: linalg.index 0
// CHECK: arith.muli
// CHECK: arith.addi
func.func @index_through_reversal() -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %iota = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%e : tensor<4xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %c = arith.index_cast %i : index to i64
    %f = arith.sitofp %c : i64 to f32
    linalg.yield %f : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4xf32>
  %rev = linalg.generic {indexing_maps = [affine_map<(d0) -> (-d0 + 3)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%iota : tensor<4xf32>) outs(%e2 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<4xf32>
  return %rev : tensor<4xf32>
}
