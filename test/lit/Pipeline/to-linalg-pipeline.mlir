// RUN: theon-opt %s --theon-to-linalg-pipeline --split-input-file | \
// RUN:   FileCheck %s --implicit-check-not=theon.

// First stage of theon-cpu-pipeline: theon -> linalg on tensors, with
// elementwise fusion and canonicalization. No theon op survives.

// A chain of broadcasting elementwise ops fuses into one generic.
// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @fused_chain
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>, %[[S:.*]]: tensor<f32>)
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$SCALAR]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]], %[[B]], %[[S]] : tensor<2x3xf32>, tensor<3xf32>, tensor<f32>)
// CHECK-NEXT:    ^bb0(%[[IX:.*]]: f32, %[[IB:.*]]: f32, %[[IS:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[A:.*]] = arith.addf %[[IX]], %[[IB]] : f32
// CHECK-NEXT:      %[[T:.*]] = math.tanh %[[A]] : f32
// CHECK-NEXT:      %[[M:.*]] = arith.mulf %[[T]], %[[T]] : f32
// CHECK-NEXT:      %[[D:.*]] = arith.subf %[[M]], %[[IS]] : f32
// CHECK-NEXT:      linalg.yield %[[D]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[R]] : tensor<2x3xf32>
func.func @fused_chain(%x: tensor<2x3xf32>, %b: tensor<3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %0 = theon.add %x, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %1 = theon.tanh %0 : tensor<2x3xf32>
  %2 = theon.mul %1, %1 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = theon.sub %2, %s : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}

// -----

// Identity casts, reshapes and dimshuffles fold away; a double transpose
// fuses away, leaving the exp reading x through identity maps.
// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @folded
// CHECK-SAME:    (%[[X:.*]]: tensor<3x4xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<3x4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[E]] : f32
// CHECK-NOT:     linalg.generic
func.func @folded(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = theon.cast %x : tensor<3x4xf32> to tensor<3x4xf32>
  %1 = theon.reshape %0 : tensor<3x4xf32> to tensor<3x4xf32>
  %2 = theon.dimshuffle %1 [1, 0] : tensor<3x4xf32> -> tensor<4x3xf32>
  %3 = theon.dimshuffle %2 [1, 0] : tensor<4x3xf32> -> tensor<3x4xf32>
  %4 = theon.exp %3 : tensor<3x4xf32>
  return %4 : tensor<3x4xf32>
}

// -----

// softmax: the reductions stay separate generics, the exp fuses into the
// subtraction of the row maximum, and the division consumes both.
// CHECK-LABEL: func.func @softmax
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:           arith.maximumf
// CHECK:         %[[E:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK:           arith.subf
// CHECK-NEXT:      math.exp
// CHECK:         %[[S:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:           arith.addf
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[E]], %[[S]] :
// CHECK:           arith.divf
// CHECK-NOT:     linalg.generic
func.func @softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %m = theon.max %x axes = [1] keepdims : tensor<2x3xf32> -> tensor<2x1xf32>
  %d = theon.sub %x, %m : tensor<2x3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  %e = theon.exp %d : tensor<2x3xf32>
  %s = theon.sum %e axes = [1] keepdims : tensor<2x3xf32> -> tensor<2x1xf32>
  %r = theon.div %e, %s : tensor<2x3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// -----

// dot stays a named contraction; the bias add and relu after it fuse.
// CHECK-LABEL: func.func @dense
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK:         %[[F:.*]] = linalg.fill
// CHECK:         %[[MM:.*]] = linalg.matmul ins(%[[X]], %[[W]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[F]] : tensor<2x4xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[MM]], %[[B]] : tensor<2x4xf32>, tensor<4xf32>)
// CHECK:           arith.addf
// CHECK-NEXT:      arith.maximumf
// CHECK-NOT:     linalg.generic
func.func @dense(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = theon.dot %x, %w : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  %1 = theon.add %0, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  %z = arith.constant dense<0.0> : tensor<f32>
  %2 = theon.maximum %1, %z : tensor<2x4xf32>, tensor<f32> -> tensor<2x4xf32>
  return %2 : tensor<2x4xf32>
}
