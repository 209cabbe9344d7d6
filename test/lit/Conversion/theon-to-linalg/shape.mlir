// RUN: theon-opt %s --convert-theon-to-linalg --split-input-file | FileCheck %s

// reshape goes through a 1-D collapse_shape / expand_shape; dimshuffle is a
// copy whose input map permutes, drops (index 0) and inserts dimensions.

// CHECK-LABEL: func.func @reshape
// CHECK-SAME:    (%[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<24xi32>)
// CHECK-NEXT:    %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK-NEXT:    %[[R0:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// To 1-D: only the collapse.
// CHECK-NEXT:    %[[R1:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// From 1-D: only the expand.
// CHECK-NEXT:    %[[R2:.*]] = tensor.expand_shape %[[B]] {{\[}}[0, 1]] output_shape [2, 12] : tensor<24xi32> into tensor<2x12xi32>
// CHECK-NEXT:    return %[[R0]], %[[R1]], %[[R2]]
func.func @reshape(%a: tensor<2x3x4xf32>, %b: tensor<24xi32>)
    -> (tensor<4x6xf32>, tensor<24xf32>, tensor<2x12xi32>) {
  %0 = theon.reshape %a : tensor<2x3x4xf32> to tensor<4x6xf32>
  %1 = theon.reshape %a : tensor<2x3x4xf32> to tensor<24xf32>
  %2 = theon.reshape %b : tensor<24xi32> to tensor<2x12xi32>
  return %0, %1, %2 : tensor<4x6xf32>, tensor<24xf32>, tensor<2x12xi32>
}

// -----

// Rank 0 goes through tensor<1x...> with an empty reassociation.
// CHECK-LABEL: func.func @reshape_rank0
// CHECK-SAME:    (%[[S:.*]]: tensor<i1>, %[[M:.*]]: tensor<1x1xf64>)
// CHECK-NEXT:    %[[S1:.*]] = tensor.expand_shape %[[S]] [] output_shape [1] : tensor<i1> into tensor<1xi1>
// CHECK-NEXT:    %[[R0:.*]] = tensor.expand_shape %[[S1]] {{\[}}[0, 1, 2]] output_shape [1, 1, 1] : tensor<1xi1> into tensor<1x1x1xi1>
// CHECK-NEXT:    %[[M1:.*]] = tensor.collapse_shape %[[M]] {{\[}}[0, 1]] : tensor<1x1xf64> into tensor<1xf64>
// CHECK-NEXT:    %[[R1:.*]] = tensor.collapse_shape %[[M1]] [] : tensor<1xf64> into tensor<f64>
// CHECK-NEXT:    return %[[R0]], %[[R1]]
func.func @reshape_rank0(%s: tensor<i1>, %m: tensor<1x1xf64>) -> (tensor<1x1x1xi1>, tensor<f64>) {
  %0 = theon.reshape %s : tensor<i1> to tensor<1x1x1xi1>
  %1 = theon.reshape %m : tensor<1x1xf64> to tensor<f64>
  return %0, %1 : tensor<1x1x1xi1>, tensor<f64>
}

// -----

// An identity reshape folds away during the conversion.
// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<6xi1>)
// CHECK-NEXT:    return %[[X]] : tensor<6xi1>
func.func @reshape_identity(%x: tensor<6xi1>) -> tensor<6xi1> {
  %0 = theon.reshape %x : tensor<6xi1> to tensor<6xi1>
  return %0 : tensor<6xi1>
}

// -----

// CHECK-DAG:   #[[$T:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @transpose
// CHECK-SAME:    (%[[X:.*]]: tensor<3x4xf32>) -> tensor<4x3xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$T]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<3x4xf32>) outs(%[[E]] : tensor<4x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[IN]] : f32
// CHECK-NEXT:    } -> tensor<4x3xf32>
// CHECK-NEXT:    return %[[R]]
func.func @transpose(%x: tensor<3x4xf32>) -> tensor<4x3xf32> {
  %0 = theon.dimshuffle %x [1, 0] : tensor<3x4xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// 'x' adds a result dimension that the input map does not read.
// CHECK-DAG:   #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG:   #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @new_axes
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi32>) -> tensor<1x4x1xi32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<1x4x1xi32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xi32>) outs(%[[E]] : tensor<1x4x1xi32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: i32, %{{.*}}: i32):
// CHECK-NEXT:      linalg.yield %[[IN]] : i32
// CHECK-NEXT:    } -> tensor<1x4x1xi32>
func.func @new_axes(%x: tensor<4xi32>) -> tensor<1x4x1xi32> {
  %0 = theon.dimshuffle %x [x, 0, x] : tensor<4xi32> -> tensor<1x4x1xi32>
  return %0 : tensor<1x4x1xi32>
}

// -----

// Dropped size-1 dimensions read index 0.
// CHECK-DAG:   #[[$DROP:.*]] = affine_map<(d0) -> (0, d0, 0)>
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @drop
// CHECK-SAME:    (%[[X:.*]]: tensor<1x5x1xf64>) -> tensor<5xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<5xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$DROP]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<1x5x1xf64>) outs(%[[E]] : tensor<5xf64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      linalg.yield %[[IN]] : f64
func.func @drop(%x: tensor<1x5x1xf64>) -> tensor<5xf64> {
  %0 = theon.dimshuffle %x [1] : tensor<1x5x1xf64> -> tensor<5xf64>
  return %0 : tensor<5xf64>
}

// -----

// Permute, drop and insert at once: result (d0, d1, d2) takes input dims
// (2, x, 1); input dim 0 is dropped.
// CHECK-DAG:   #[[$MIX:.*]] = affine_map<(d0, d1, d2) -> (0, d2, d0)>
// CHECK-DAG:   #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @mixed
// CHECK-SAME:    (%[[X:.*]]: tensor<1x5x3xf32>) -> tensor<3x1x5xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<3x1x5xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MIX]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<1x5x3xf32>) outs(%[[E]] : tensor<3x1x5xf32>)
func.func @mixed(%x: tensor<1x5x3xf32>) -> tensor<3x1x5xf32> {
  %0 = theon.dimshuffle %x [2, x, 1] : tensor<1x5x3xf32> -> tensor<3x1x5xf32>
  return %0 : tensor<3x1x5xf32>
}

// -----

// CHECK-DAG:   #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @from_rank0
// CHECK-SAME:    (%[[X:.*]]: tensor<i64>) -> tensor<1x1xi64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<1x1xi64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$SCALAR]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<i64>) outs(%[[E]] : tensor<1x1xi64>)
func.func @from_rank0(%x: tensor<i64>) -> tensor<1x1xi64> {
  %0 = theon.dimshuffle %x [x, x] : tensor<i64> -> tensor<1x1xi64>
  return %0 : tensor<1x1xi64>
}
