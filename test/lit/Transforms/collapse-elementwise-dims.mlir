// RUN: theon-opt %s --theon-collapse-elementwise-dims --split-input-file | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>

// An elementwise op with identity maps runs over one flat loop; its output's
// tensor.empty is made flat directly.
// CHECK-LABEL: func.func @identity
// CHECK-DAG: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<100x10xf32> into tensor<1000xf32>
// CHECK-DAG: %[[B:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1]] : tensor<100x10xf32> into tensor<1000xf32>
// CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<1000xf32>
// CHECK: %[[R:.*]] = linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%[[A]], %[[B]] : tensor<1000xf32>, tensor<1000xf32>) outs(%[[E]] : tensor<1000xf32>)
// CHECK: %[[X:.*]] = tensor.expand_shape %[[R]] {{\[\[}}0, 1]] output_shape [100, 10] : tensor<1000xf32> into tensor<100x10xf32>
// CHECK: return %[[X]]
func.func @identity(%a: tensor<100x10xf32>, %b: tensor<100x10xf32>) -> tensor<100x10xf32> {
  %e = tensor.empty() : tensor<100x10xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<100x10xf32>, tensor<100x10xf32>) outs(%e : tensor<100x10xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<100x10xf32>
  return %r : tensor<100x10xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// Rank 3: all three loops become one.
// CHECK-LABEL: func.func @rank3
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]}
func.func @rank3(%a: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %e = tensor.empty() : tensor<2x3x4xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : tensor<2x3x4xf32>) outs(%e : tensor<2x3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<2x3x4xf32>
  return %r : tensor<2x3x4xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// A broadcast operand (a bias added to every row) needs both loops: unchanged.
// CHECK-LABEL: func.func @broadcast
// CHECK-NOT: tensor.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel"]
func.func @broadcast(%a: tensor<32x100xf32>, %b: tensor<100xf32>) -> tensor<32x100xf32> {
  %e = tensor.empty() : tensor<32x100xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<32x100xf32>, tensor<100xf32>) outs(%e : tensor<32x100xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<32x100xf32>
  return %r : tensor<32x100xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>

// A transposed read: unchanged.
// CHECK-LABEL: func.func @transposed
// CHECK-NOT: tensor.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel"]
func.func @transposed(%a: tensor<4x3xf32>) -> tensor<3x4xf32> {
  %e = tensor.empty() : tensor<3x4xf32>
  %r = linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x3xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}

// -----

// A reduction: unchanged.
// CHECK-LABEL: func.func @row_sum
// CHECK-NOT: tensor.collapse_shape
// CHECK: iterator_types = ["parallel", "reduction"]
func.func @row_sum(%a: tensor<32x10xf32>, %init: tensor<32xf32>) -> tensor<32xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<32x10xf32>) outs(%init : tensor<32xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  return %r : tensor<32xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#scalar = affine_map<(d0, d1) -> ()>

// A rank-0 operand (upstream's collapsing crashed on its map): unchanged.
// CHECK-LABEL: func.func @scalar_operand
// CHECK-NOT: tensor.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel"]
func.func @scalar_operand(%a: tensor<4x3xf32>, %s: tensor<f32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #scalar, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %s : tensor<4x3xf32>, tensor<f32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}
