// RUN: theon-opt %s --convert-theon-to-linalg --split-input-file | FileCheck %s

// Broadcasting theon ops (arithmetic, comparisons, select, cast and
// broadcast_to) become one parallel linalg.generic over the result's shape.
// Each operand is read through a NumPy broadcasting map: right-aligned, and a
// stretched size-1 dimension reads index 0.

// A vector broadcasts along the leading dimension.
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_row
// CHECK-SAME:    (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.addf %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf32>
func.func @add_row(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = theon.add %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A rank-0 operand reads no index.
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @sub_scalar
// CHECK-SAME:    (%[[A:.*]]: tensor<f32>, %[[B:.*]]: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$SCALAR]], #[[$ID2]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<f32>, tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.subf %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf32>
func.func @sub_scalar(%a: tensor<f32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = theon.sub %a, %b : tensor<f32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Size-1 dimensions on both sides stretch: an outer product.
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG:   #[[$ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @mul_outer
// CHECK-SAME:    (%[[A:.*]]: tensor<2x1xf32>, %[[B:.*]]: tensor<1x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$COL]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2x1xf32>, tensor<1x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.mulf %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf32>
func.func @mul_outer(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = theon.mul %a, %b : tensor<2x1xf32>, tensor<1x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @div_f64
// CHECK-SAME:    (%[[A:.*]]: tensor<4xf64>, %[[B:.*]]: tensor<4xf64>) -> tensor<4xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<4xf64>, tensor<4xf64>) outs(%[[E]] : tensor<4xf64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f64, %[[IN1:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = arith.divf %[[IN0]], %[[IN1]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<4xf64>
// CHECK-NEXT:    return %[[R]] : tensor<4xf64>
func.func @div_f64(%a: tensor<4xf64>, %b: tensor<4xf64>) -> tensor<4xf64> {
  %0 = theon.div %a, %b : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// CHECK-DAG:   #[[$S:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @pow_rank0
// CHECK-SAME:    (%[[A:.*]]: tensor<f32>, %[[B:.*]]: tensor<f32>) -> tensor<f32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<f32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$S]], #[[$S]], #[[$S]]], iterator_types = []}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<f32>, tensor<f32>) outs(%[[E]] : tensor<f32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = math.powf %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<f32>
// CHECK-NEXT:    return %[[R]] : tensor<f32>
func.func @pow_rank0(%a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
  %0 = theon.pow %a, %b : tensor<f32>, tensor<f32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// maximum and minimum propagate NaN: arith.maximumf / minimumf.
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG:   #[[$ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @maximum_f32
// CHECK-SAME:    (%[[A:.*]]: tensor<1x3xf32>, %[[B:.*]]: tensor<2x1xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ROW]], #[[$COL]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<1x3xf32>, tensor<2x1xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.maximumf %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf32>
func.func @maximum_f32(%a: tensor<1x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xf32> {
  %0 = theon.maximum %a, %b : tensor<1x3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Rank 3 with rank 2; a size-1 dimension that meets size 1 is not stretched.
// CHECK-DAG:   #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$A:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG:   #[[$B:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @maximum_i32
// CHECK-SAME:    (%[[A:.*]]: tensor<4x1x5xi32>, %[[B:.*]]: tensor<3x1xi32>) -> tensor<4x3x5xi32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4x3x5xi32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$A]], #[[$B]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<4x1x5xi32>, tensor<3x1xi32>) outs(%[[E]] : tensor<4x3x5xi32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i32, %[[IN1:.*]]: i32, %{{.*}}: i32):
// CHECK-NEXT:      %[[V:.*]] = arith.maxsi %[[IN0]], %[[IN1]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i32
// CHECK-NEXT:    } -> tensor<4x3x5xi32>
// CHECK-NEXT:    return %[[R]] : tensor<4x3x5xi32>
func.func @maximum_i32(%a: tensor<4x1x5xi32>, %b: tensor<3x1xi32>) -> tensor<4x3x5xi32> {
  %0 = theon.maximum %a, %b : tensor<4x1x5xi32>, tensor<3x1xi32> -> tensor<4x3x5xi32>
  return %0 : tensor<4x3x5xi32>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG:   #[[$S:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @minimum_f64
// CHECK-SAME:    (%[[A:.*]]: tensor<3xf64>, %[[B:.*]]: tensor<f64>) -> tensor<3xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<3xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$S]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<3xf64>, tensor<f64>) outs(%[[E]] : tensor<3xf64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f64, %[[IN1:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = arith.minimumf %[[IN0]], %[[IN1]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<3xf64>
// CHECK-NEXT:    return %[[R]] : tensor<3xf64>
func.func @minimum_f64(%a: tensor<3xf64>, %b: tensor<f64>) -> tensor<3xf64> {
  %0 = theon.minimum %a, %b : tensor<3xf64>, tensor<f64> -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @minimum_i64
// CHECK-SAME:    (%[[A:.*]]: tensor<2xi64>, %[[B:.*]]: tensor<2xi64>) -> tensor<2xi64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2xi64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2xi64>, tensor<2xi64>) outs(%[[E]] : tensor<2xi64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i64, %[[IN1:.*]]: i64, %{{.*}}: i64):
// CHECK-NEXT:      %[[V:.*]] = arith.minsi %[[IN0]], %[[IN1]] : i64
// CHECK-NEXT:      linalg.yield %[[V]] : i64
// CHECK-NEXT:    } -> tensor<2xi64>
// CHECK-NEXT:    return %[[R]] : tensor<2xi64>
func.func @minimum_i64(%a: tensor<2xi64>, %b: tensor<2xi64>) -> tensor<2xi64> {
  %0 = theon.minimum %a, %b : tensor<2xi64>, tensor<2xi64> -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @add_i64
// CHECK-SAME:    (%[[A:.*]]: tensor<2x1xi64>, %[[B:.*]]: tensor<2x4xi64>) -> tensor<2x4xi64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x4xi64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$COL]], #[[$ID2]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2x1xi64>, tensor<2x4xi64>) outs(%[[E]] : tensor<2x4xi64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i64, %[[IN1:.*]]: i64, %{{.*}}: i64):
// CHECK-NEXT:      %[[V:.*]] = arith.addi %[[IN0]], %[[IN1]] : i64
// CHECK-NEXT:      linalg.yield %[[V]] : i64
// CHECK-NEXT:    } -> tensor<2x4xi64>
// CHECK-NEXT:    return %[[R]] : tensor<2x4xi64>
func.func @add_i64(%a: tensor<2x1xi64>, %b: tensor<2x4xi64>) -> tensor<2x4xi64> {
  %0 = theon.add %a, %b : tensor<2x1xi64>, tensor<2x4xi64> -> tensor<2x4xi64>
  return %0 : tensor<2x4xi64>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG:   #[[$ZERO:.*]] = affine_map<(d0) -> (0)>
// CHECK-LABEL: func.func @sub_i16
// CHECK-SAME:    (%[[A:.*]]: tensor<4xi16>, %[[B:.*]]: tensor<1xi16>) -> tensor<4xi16>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi16>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ZERO]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<4xi16>, tensor<1xi16>) outs(%[[E]] : tensor<4xi16>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i16, %[[IN1:.*]]: i16, %{{.*}}: i16):
// CHECK-NEXT:      %[[V:.*]] = arith.subi %[[IN0]], %[[IN1]] : i16
// CHECK-NEXT:      linalg.yield %[[V]] : i16
// CHECK-NEXT:    } -> tensor<4xi16>
// CHECK-NEXT:    return %[[R]] : tensor<4xi16>
func.func @sub_i16(%a: tensor<4xi16>, %b: tensor<1xi16>) -> tensor<4xi16> {
  %0 = theon.sub %a, %b : tensor<4xi16>, tensor<1xi16> -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

// Size 1 against size 1 is not a broadcast: identity maps.
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @mul_i8
// CHECK-SAME:    (%[[A:.*]]: tensor<1xi8>, %[[B:.*]]: tensor<1xi8>) -> tensor<1xi8>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<1xi8>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<1xi8>, tensor<1xi8>) outs(%[[E]] : tensor<1xi8>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i8, %[[IN1:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT:      %[[V:.*]] = arith.muli %[[IN0]], %[[IN1]] : i8
// CHECK-NEXT:      linalg.yield %[[V]] : i8
// CHECK-NEXT:    } -> tensor<1xi8>
// CHECK-NEXT:    return %[[R]] : tensor<1xi8>
func.func @mul_i8(%a: tensor<1xi8>, %b: tensor<1xi8>) -> tensor<1xi8> {
  %0 = theon.mul %a, %b : tensor<1xi8>, tensor<1xi8> -> tensor<1xi8>
  return %0 : tensor<1xi8>
}

// -----

// Floats use ordered predicates except ne (unordered); integers compare
// signed, booleans unsigned.
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @eq
// CHECK-SAME:    (%[[F:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<3xi32>, %[[B:.*]]: tensor<3xi1>)
// CHECK-NEXT:    %[[EF:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RF:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[F]], %[[F]] : tensor<3xf32>, tensor<3xf32>) outs(%[[EF]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpf oeq, %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EI:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RI:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[I]], %[[I]] : tensor<3xi32>, tensor<3xi32>) outs(%[[EI]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i32, %[[IN1:.*]]: i32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi eq, %[[IN0]], %[[IN1]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EB:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RB:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[B]], %[[B]] : tensor<3xi1>, tensor<3xi1>) outs(%[[EB]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %[[IN1:.*]]: i1, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi eq, %[[IN0]], %[[IN1]] : i1
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    return %[[RF]], %[[RI]], %[[RB]]
func.func @eq(%f: tensor<3xf32>, %i: tensor<3xi32>, %b: tensor<3xi1>)
    -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %0 = theon.eq %f, %f : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  %1 = theon.eq %i, %i : tensor<3xi32>, tensor<3xi32> -> tensor<3xi1>
  %2 = theon.eq %b, %b : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @ne
// CHECK-SAME:    (%[[F:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<3xi32>, %[[B:.*]]: tensor<3xi1>)
// CHECK-NEXT:    %[[EF:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RF:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[F]], %[[F]] : tensor<3xf32>, tensor<3xf32>) outs(%[[EF]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpf une, %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EI:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RI:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[I]], %[[I]] : tensor<3xi32>, tensor<3xi32>) outs(%[[EI]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i32, %[[IN1:.*]]: i32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi ne, %[[IN0]], %[[IN1]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EB:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RB:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[B]], %[[B]] : tensor<3xi1>, tensor<3xi1>) outs(%[[EB]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %[[IN1:.*]]: i1, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi ne, %[[IN0]], %[[IN1]] : i1
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    return %[[RF]], %[[RI]], %[[RB]]
func.func @ne(%f: tensor<3xf32>, %i: tensor<3xi32>, %b: tensor<3xi1>)
    -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %0 = theon.ne %f, %f : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  %1 = theon.ne %i, %i : tensor<3xi32>, tensor<3xi32> -> tensor<3xi1>
  %2 = theon.ne %b, %b : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @lt
// CHECK-SAME:    (%[[F:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<3xi32>, %[[B:.*]]: tensor<3xi1>)
// CHECK-NEXT:    %[[EF:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RF:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[F]], %[[F]] : tensor<3xf32>, tensor<3xf32>) outs(%[[EF]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpf olt, %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EI:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RI:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[I]], %[[I]] : tensor<3xi32>, tensor<3xi32>) outs(%[[EI]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i32, %[[IN1:.*]]: i32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi slt, %[[IN0]], %[[IN1]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EB:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RB:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[B]], %[[B]] : tensor<3xi1>, tensor<3xi1>) outs(%[[EB]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %[[IN1:.*]]: i1, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi ult, %[[IN0]], %[[IN1]] : i1
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    return %[[RF]], %[[RI]], %[[RB]]
func.func @lt(%f: tensor<3xf32>, %i: tensor<3xi32>, %b: tensor<3xi1>)
    -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %0 = theon.lt %f, %f : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  %1 = theon.lt %i, %i : tensor<3xi32>, tensor<3xi32> -> tensor<3xi1>
  %2 = theon.lt %b, %b : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @le
// CHECK-SAME:    (%[[F:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<3xi32>, %[[B:.*]]: tensor<3xi1>)
// CHECK-NEXT:    %[[EF:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RF:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[F]], %[[F]] : tensor<3xf32>, tensor<3xf32>) outs(%[[EF]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpf ole, %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EI:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RI:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[I]], %[[I]] : tensor<3xi32>, tensor<3xi32>) outs(%[[EI]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i32, %[[IN1:.*]]: i32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi sle, %[[IN0]], %[[IN1]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EB:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RB:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[B]], %[[B]] : tensor<3xi1>, tensor<3xi1>) outs(%[[EB]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %[[IN1:.*]]: i1, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi ule, %[[IN0]], %[[IN1]] : i1
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    return %[[RF]], %[[RI]], %[[RB]]
func.func @le(%f: tensor<3xf32>, %i: tensor<3xi32>, %b: tensor<3xi1>)
    -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %0 = theon.le %f, %f : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  %1 = theon.le %i, %i : tensor<3xi32>, tensor<3xi32> -> tensor<3xi1>
  %2 = theon.le %b, %b : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @gt
// CHECK-SAME:    (%[[F:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<3xi32>, %[[B:.*]]: tensor<3xi1>)
// CHECK-NEXT:    %[[EF:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RF:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[F]], %[[F]] : tensor<3xf32>, tensor<3xf32>) outs(%[[EF]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpf ogt, %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EI:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RI:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[I]], %[[I]] : tensor<3xi32>, tensor<3xi32>) outs(%[[EI]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i32, %[[IN1:.*]]: i32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi sgt, %[[IN0]], %[[IN1]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EB:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RB:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[B]], %[[B]] : tensor<3xi1>, tensor<3xi1>) outs(%[[EB]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %[[IN1:.*]]: i1, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi ugt, %[[IN0]], %[[IN1]] : i1
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    return %[[RF]], %[[RI]], %[[RB]]
func.func @gt(%f: tensor<3xf32>, %i: tensor<3xi32>, %b: tensor<3xi1>)
    -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %0 = theon.gt %f, %f : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  %1 = theon.gt %i, %i : tensor<3xi32>, tensor<3xi32> -> tensor<3xi1>
  %2 = theon.gt %b, %b : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @ge
// CHECK-SAME:    (%[[F:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<3xi32>, %[[B:.*]]: tensor<3xi1>)
// CHECK-NEXT:    %[[EF:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RF:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[F]], %[[F]] : tensor<3xf32>, tensor<3xf32>) outs(%[[EF]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[IN1:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpf oge, %[[IN0]], %[[IN1]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EI:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RI:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[I]], %[[I]] : tensor<3xi32>, tensor<3xi32>) outs(%[[EI]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i32, %[[IN1:.*]]: i32, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi sge, %[[IN0]], %[[IN1]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    %[[EB:.*]] = tensor.empty() : tensor<3xi1>
// CHECK-NEXT:    %[[RB:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[B]], %[[B]] : tensor<3xi1>, tensor<3xi1>) outs(%[[EB]] : tensor<3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %[[IN1:.*]]: i1, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi uge, %[[IN0]], %[[IN1]] : i1
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<3xi1>
// CHECK-NEXT:    return %[[RF]], %[[RI]], %[[RB]]
func.func @ge(%f: tensor<3xf32>, %i: tensor<3xi32>, %b: tensor<3xi1>)
    -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %0 = theon.ge %f, %f : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  %1 = theon.ge %i, %i : tensor<3xi32>, tensor<3xi32> -> tensor<3xi1>
  %2 = theon.ge %b, %b : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// Comparisons broadcast too and yield i1.
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG:   #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @lt_broadcast
// CHECK-SAME:    (%[[A:.*]]: tensor<2x1xf64>, %[[B:.*]]: tensor<3xf64>) -> tensor<2x3xi1>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xi1>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$COL]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2x1xf64>, tensor<3xf64>) outs(%[[E]] : tensor<2x3xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f64, %[[IN1:.*]]: f64, %{{.*}}: i1):
// CHECK-NEXT:      %[[V:.*]] = arith.cmpf olt, %[[IN0]], %[[IN1]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<2x3xi1>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xi1>
func.func @lt_broadcast(%a: tensor<2x1xf64>, %b: tensor<3xf64>) -> tensor<2x3xi1> {
  %0 = theon.lt %a, %b : tensor<2x1xf64>, tensor<3xf64> -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// -----

// The condition broadcasts with both values.
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG:   #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @select
// CHECK-SAME:    (%[[C:.*]]: tensor<2x1xi1>, %[[A:.*]]: tensor<3xf64>, %[[S:.*]]: tensor<f64>)
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$COL]], #[[$ROW]], #[[$SCALAR]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[C]], %[[A]], %[[S]] : tensor<2x1xi1>, tensor<3xf64>, tensor<f64>) outs(%[[E]] : tensor<2x3xf64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %[[IN1:.*]]: f64, %[[IN2:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = arith.select %[[IN0]], %[[IN1]], %[[IN2]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<2x3xf64>
// CHECK-NEXT:    return %[[R]]
func.func @select(%c: tensor<2x1xi1>, %a: tensor<3xf64>, %s: tensor<f64>) -> tensor<2x3xf64> {
  %0 = theon.select %c, %a, %s : tensor<2x1xi1>, tensor<3xf64>, tensor<f64> -> tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// -----

// Float to integer truncates toward zero; NaN and values out of range give
// the type's minimum (not LLVM's poison), as NumPy on x86.
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_f32_to_i32
// CHECK-SAME:    (%[[A:.*]]: tensor<4xf32>) -> tensor<4xi32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xf32>) outs(%[[E]] : tensor<4xi32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %{{.*}}: i32):
// CHECK-DAG:       %[[HI:.*]] = arith.constant 2.14748365E+9 : f32
// CHECK-DAG:       %[[LO:.*]] = arith.constant -2.14748365E+9 : f32
// CHECK-DAG:       %[[LT:.*]] = arith.cmpf olt, %[[IN0]], %[[HI]] : f32
// CHECK-DAG:       %[[GE:.*]] = arith.cmpf oge, %[[IN0]], %[[LO]] : f32
// CHECK:           %[[OK:.*]] = arith.andi %[[GE]], %[[LT]] : i1
// CHECK-NEXT:      %[[MIN:.*]] = arith.constant -2147483648 : i32
// CHECK-NEXT:      %[[T:.*]] = arith.fptosi %[[IN0]] : f32 to i32
// CHECK-NEXT:      %[[V:.*]] = arith.select %[[OK]], %[[T]], %[[MIN]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i32
// CHECK-NEXT:    } -> tensor<4xi32>
// CHECK-NEXT:    return %[[R]] : tensor<4xi32>
func.func @cast_f32_to_i32(%a: tensor<4xf32>) -> tensor<4xi32> {
  %0 = theon.cast %a : tensor<4xf32> to tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_f32_to_f64
// CHECK-SAME:    (%[[A:.*]]: tensor<4xf32>) -> tensor<4xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xf32>) outs(%[[E]] : tensor<4xf64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = arith.extf %[[IN0]] : f32 to f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<4xf64>
// CHECK-NEXT:    return %[[R]] : tensor<4xf64>
func.func @cast_f32_to_f64(%a: tensor<4xf32>) -> tensor<4xf64> {
  %0 = theon.cast %a : tensor<4xf32> to tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_f64_to_f32
// CHECK-SAME:    (%[[A:.*]]: tensor<4xf64>) -> tensor<4xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xf64>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f64, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.truncf %[[IN0]] : f64 to f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4xf32>
func.func @cast_f64_to_f32(%a: tensor<4xf64>) -> tensor<4xf32> {
  %0 = theon.cast %a : tensor<4xf64> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_i32_to_f64
// CHECK-SAME:    (%[[A:.*]]: tensor<4xi32>) -> tensor<4xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xi32>) outs(%[[E]] : tensor<4xf64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i32, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = arith.sitofp %[[IN0]] : i32 to f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<4xf64>
// CHECK-NEXT:    return %[[R]] : tensor<4xf64>
func.func @cast_i32_to_f64(%a: tensor<4xi32>) -> tensor<4xf64> {
  %0 = theon.cast %a : tensor<4xi32> to tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// Booleans are unsigned: true is 1, not -1.
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_i1_to_f32
// CHECK-SAME:    (%[[A:.*]]: tensor<4xi1>) -> tensor<4xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xi1>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.uitofp %[[IN0]] : i1 to f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4xf32>
func.func @cast_i1_to_f32(%a: tensor<4xi1>) -> tensor<4xf32> {
  %0 = theon.cast %a : tensor<4xi1> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_i1_to_i64
// CHECK-SAME:    (%[[A:.*]]: tensor<4xi1>) -> tensor<4xi64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xi1>) outs(%[[E]] : tensor<4xi64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %{{.*}}: i64):
// CHECK-NEXT:      %[[V:.*]] = arith.extui %[[IN0]] : i1 to i64
// CHECK-NEXT:      linalg.yield %[[V]] : i64
// CHECK-NEXT:    } -> tensor<4xi64>
// CHECK-NEXT:    return %[[R]] : tensor<4xi64>
func.func @cast_i1_to_i64(%a: tensor<4xi1>) -> tensor<4xi64> {
  %0 = theon.cast %a : tensor<4xi1> to tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_i8_to_i64
// CHECK-SAME:    (%[[A:.*]]: tensor<4xi8>) -> tensor<4xi64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xi8>) outs(%[[E]] : tensor<4xi64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i8, %{{.*}}: i64):
// CHECK-NEXT:      %[[V:.*]] = arith.extsi %[[IN0]] : i8 to i64
// CHECK-NEXT:      linalg.yield %[[V]] : i64
// CHECK-NEXT:    } -> tensor<4xi64>
// CHECK-NEXT:    return %[[R]] : tensor<4xi64>
func.func @cast_i8_to_i64(%a: tensor<4xi8>) -> tensor<4xi64> {
  %0 = theon.cast %a : tensor<4xi8> to tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_i64_to_i16
// CHECK-SAME:    (%[[A:.*]]: tensor<4xi64>) -> tensor<4xi16>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi16>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xi64>) outs(%[[E]] : tensor<4xi16>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i64, %{{.*}}: i16):
// CHECK-NEXT:      %[[V:.*]] = arith.trunci %[[IN0]] : i64 to i16
// CHECK-NEXT:      linalg.yield %[[V]] : i16
// CHECK-NEXT:    } -> tensor<4xi16>
// CHECK-NEXT:    return %[[R]] : tensor<4xi16>
func.func @cast_i64_to_i16(%a: tensor<4xi64>) -> tensor<4xi16> {
  %0 = theon.cast %a : tensor<4xi64> to tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

// To bool is x != 0; NaN is true.
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_f32_to_i1
// CHECK-SAME:    (%[[A:.*]]: tensor<4xf32>) -> tensor<4xi1>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi1>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xf32>) outs(%[[E]] : tensor<4xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT:      %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      %[[V:.*]] = arith.cmpf une, %[[IN0]], %[[Z]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<4xi1>
// CHECK-NEXT:    return %[[R]] : tensor<4xi1>
func.func @cast_f32_to_i1(%a: tensor<4xf32>) -> tensor<4xi1> {
  %0 = theon.cast %a : tensor<4xf32> to tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cast_i32_to_i1
// CHECK-SAME:    (%[[A:.*]]: tensor<4xi32>) -> tensor<4xi1>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi1>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<4xi32>) outs(%[[E]] : tensor<4xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i32, %{{.*}}: i1):
// CHECK-NEXT:      %[[Z:.*]] = arith.constant 0 : i32
// CHECK-NEXT:      %[[V:.*]] = arith.cmpi ne, %[[IN0]], %[[Z]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i1
// CHECK-NEXT:    } -> tensor<4xi1>
// CHECK-NEXT:    return %[[R]] : tensor<4xi1>
func.func @cast_i32_to_i1(%a: tensor<4xi32>) -> tensor<4xi1> {
  %0 = theon.cast %a : tensor<4xi32> to tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// broadcast_to copies through a broadcasting map.
// CHECK-DAG:   #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$LAST:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG:   #[[$SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @broadcast_to
// CHECK-SAME:    (%[[V:.*]]: tensor<3xf32>, %[[C:.*]]: tensor<2x1xi1>, %[[S:.*]]: tensor<i64>)
// CHECK-NEXT:    %[[E0:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK-NEXT:    %[[R0:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$LAST]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[V]] : tensor<3xf32>) outs(%[[E0]] : tensor<4x2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[IN0]] : f32
// CHECK-NEXT:    } -> tensor<4x2x3xf32>
// CHECK-NEXT:    %[[E1:.*]] = tensor.empty() : tensor<2x5xi1>
// CHECK-NEXT:    %[[R1:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$COL]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[C]] : tensor<2x1xi1>) outs(%[[E1]] : tensor<2x5xi1>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i1, %{{.*}}: i1):
// CHECK-NEXT:      linalg.yield %[[IN0]] : i1
// CHECK-NEXT:    } -> tensor<2x5xi1>
// CHECK-NEXT:    %[[E2:.*]] = tensor.empty() : tensor<1xi64>
// CHECK-NEXT:    %[[R2:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$SCALAR]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[S]] : tensor<i64>) outs(%[[E2]] : tensor<1xi64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: i64, %{{.*}}: i64):
// CHECK-NEXT:      linalg.yield %[[IN0]] : i64
// CHECK-NEXT:    } -> tensor<1xi64>
// CHECK-NEXT:    return %[[R0]], %[[R1]], %[[R2]]
func.func @broadcast_to(%v: tensor<3xf32>, %c: tensor<2x1xi1>, %s: tensor<i64>)
    -> (tensor<4x2x3xf32>, tensor<2x5xi1>, tensor<1xi64>) {
  %0 = theon.broadcast_to %v : tensor<3xf32> -> tensor<4x2x3xf32>
  %1 = theon.broadcast_to %c : tensor<2x1xi1> -> tensor<2x5xi1>
  %2 = theon.broadcast_to %s : tensor<i64> -> tensor<1xi64>
  return %0, %1, %2 : tensor<4x2x3xf32>, tensor<2x5xi1>, tensor<1xi64>
}

// -----

// A dynamic extent (a scan's number of steps): the result's tensor.empty
// takes it from the operand that has it along the same loop; a row
// broadcasts along it.
// CHECK-LABEL: func.func @add_dynamic
// CHECK-SAME:    (%[[A:.*]]: tensor<?x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x3xf32>
// CHECK:         %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x3xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<?x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<?x3xf32>)
func.func @add_dynamic(%a: tensor<?x3xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  %0 = theon.add %a, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}
