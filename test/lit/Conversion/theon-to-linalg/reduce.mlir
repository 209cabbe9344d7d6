// RUN: theon-opt %s --convert-theon-to-linalg --split-input-file | FileCheck %s

// Reductions become a linalg.generic with reduction iterators on `axes`, the
// identity map for the input and the kept dimensions for an accumulator
// filled with the identity of the combining op. keepdims re-inserts the
// reduced dimensions with tensor.expand_shape.

// CHECK-DAG:   #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @sum
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT:    %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[ACC]] : tensor<2x4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.addf %[[IN]], %[[OUT]] fastmath<reassoc> : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<2x4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x4xf32>
func.func @sum(%x: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %0 = theon.sum %x axes = [1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-DAG:   #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @sum_keepdims
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xi32>) -> tensor<1x3x1xi32>
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<3xi32>
// CHECK-NEXT:    %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : i32) outs(%[[E]] : tensor<3xi32>) -> tensor<3xi32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3x4xi32>) outs(%[[ACC]] : tensor<3xi32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: i32, %[[OUT:.*]]: i32):
// CHECK-NEXT:      %[[V:.*]] = arith.addi %[[IN]], %[[OUT]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i32
// CHECK-NEXT:    } -> tensor<3xi32>
// CHECK-NEXT:    %[[K:.*]] = tensor.expand_shape %[[R]] {{\[}}[0, 1, 2]] output_shape [1, 3, 1] : tensor<3xi32> into tensor<1x3x1xi32>
// CHECK-NEXT:    return %[[K]] : tensor<1x3x1xi32>
func.func @sum_keepdims(%x: tensor<2x3x4xi32>) -> tensor<1x3x1xi32> {
  %0 = theon.sum %x axes = [0, 2] keepdims : tensor<2x3x4xi32> -> tensor<1x3x1xi32>
  return %0 : tensor<1x3x1xi32>
}

// -----

// prod over every axis: a rank-0 accumulator starting at 1.
// CHECK-DAG:   #[[$IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$OUT:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @prod
// CHECK-SAME:    (%[[X:.*]]: tensor<5x6xi64>, %[[Y:.*]]: tensor<4xf64>)
// CHECK-NEXT:    %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<i64>
// CHECK-NEXT:    %[[ACC:.*]] = linalg.fill ins(%[[ONE]] : i64) outs(%[[E]] : tensor<i64>) -> tensor<i64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["reduction", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<5x6xi64>) outs(%[[ACC]] : tensor<i64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: i64, %[[OUT:.*]]: i64):
// CHECK-NEXT:      %[[V:.*]] = arith.muli %[[IN]], %[[OUT]] : i64
// CHECK-NEXT:      linalg.yield %[[V]] : i64
// CHECK:         %[[FONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK:           arith.mulf %{{.*}}, %{{.*}} fastmath<reassoc> : f64
func.func @prod(%x: tensor<5x6xi64>, %y: tensor<4xf64>) -> (tensor<i64>, tensor<f64>) {
  %0 = theon.prod %x axes = [0, 1] : tensor<5x6xi64> -> tensor<i64>
  %1 = theon.prod %y axes = [0] : tensor<4xf64> -> tensor<f64>
  return %0, %1 : tensor<i64>, tensor<f64>
}

// -----

// max starts from the lowest value: -inf for floats, the minimum integer.
// CHECK-DAG:   #[[$IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @max
// CHECK-SAME:    (%[[X:.*]]: tensor<5x6xf32>, %[[Y:.*]]: tensor<5x6xi8>)
// CHECK-NEXT:    %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT:    %[[E0:.*]] = tensor.empty() : tensor<5xf32>
// CHECK-NEXT:    %[[ACC0:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%[[E0]] : tensor<5xf32>) -> tensor<5xf32>
// CHECK-NEXT:    %[[R0:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<5x6xf32>) outs(%[[ACC0]] : tensor<5xf32>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f32, %[[OUT0:.*]]: f32):
// CHECK-NEXT:      %[[V0:.*]] = arith.maximumf %[[IN0]], %[[OUT0]] fastmath<reassoc> : f32
// CHECK-NEXT:      linalg.yield %[[V0]] : f32
// CHECK-NEXT:    } -> tensor<5xf32>
// CHECK-NEXT:    %[[IMIN:.*]] = arith.constant -128 : i8
// CHECK-NEXT:    %[[E1:.*]] = tensor.empty() : tensor<5xi8>
// CHECK-NEXT:    %[[ACC1:.*]] = linalg.fill ins(%[[IMIN]] : i8) outs(%[[E1]] : tensor<5xi8>) -> tensor<5xi8>
// CHECK-NEXT:    %[[R1:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[Y]] : tensor<5x6xi8>) outs(%[[ACC1]] : tensor<5xi8>)
// CHECK-NEXT:    ^bb0(%[[IN1:.*]]: i8, %[[OUT1:.*]]: i8):
// CHECK-NEXT:      %[[V1:.*]] = arith.maxsi %[[IN1]], %[[OUT1]] : i8
// CHECK-NEXT:      linalg.yield %[[V1]] : i8
// CHECK-NEXT:    } -> tensor<5xi8>
// CHECK-NEXT:    %[[K:.*]] = tensor.expand_shape %[[R1]] {{\[}}[0, 1]] output_shape [5, 1] : tensor<5xi8> into tensor<5x1xi8>
// CHECK-NEXT:    return %[[R0]], %[[K]]
func.func @max(%x: tensor<5x6xf32>, %y: tensor<5x6xi8>) -> (tensor<5xf32>, tensor<5x1xi8>) {
  %0 = theon.max %x axes = [1] : tensor<5x6xf32> -> tensor<5xf32>
  %1 = theon.max %y axes = [1] keepdims : tensor<5x6xi8> -> tensor<5x1xi8>
  return %0, %1 : tensor<5xf32>, tensor<5x1xi8>
}

// -----

// min starts from the highest value: +inf for floats, the maximum integer.
// CHECK-DAG:   #[[$IN:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG:   #[[$OUT:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @min
// CHECK-SAME:    (%[[X:.*]]: tensor<7xf64>, %[[Y:.*]]: tensor<7xi32>)
// CHECK-NEXT:    %[[INF:.*]] = arith.constant 0x7FF0000000000000 : f64
// CHECK-NEXT:    %[[E0:.*]] = tensor.empty() : tensor<f64>
// CHECK-NEXT:    %[[ACC0:.*]] = linalg.fill ins(%[[INF]] : f64) outs(%[[E0]] : tensor<f64>) -> tensor<f64>
// CHECK-NEXT:    %[[R0:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<7xf64>) outs(%[[ACC0]] : tensor<f64>)
// CHECK-NEXT:    ^bb0(%[[IN0:.*]]: f64, %[[OUT0:.*]]: f64):
// CHECK-NEXT:      %[[V0:.*]] = arith.minimumf %[[IN0]], %[[OUT0]] fastmath<reassoc> : f64
// CHECK-NEXT:      linalg.yield %[[V0]] : f64
// CHECK-NEXT:    } -> tensor<f64>
// CHECK-NEXT:    %[[IMAX:.*]] = arith.constant 2147483647 : i32
// CHECK-NEXT:    %[[E1:.*]] = tensor.empty() : tensor<i32>
// CHECK-NEXT:    %[[ACC1:.*]] = linalg.fill ins(%[[IMAX]] : i32) outs(%[[E1]] : tensor<i32>) -> tensor<i32>
// CHECK-NEXT:    %[[R1:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[Y]] : tensor<7xi32>) outs(%[[ACC1]] : tensor<i32>)
// CHECK-NEXT:    ^bb0(%[[IN1:.*]]: i32, %[[OUT1:.*]]: i32):
// CHECK-NEXT:      %[[V1:.*]] = arith.minsi %[[IN1]], %[[OUT1]] : i32
// CHECK-NEXT:      linalg.yield %[[V1]] : i32
// CHECK-NEXT:    } -> tensor<i32>
// CHECK-NEXT:    %[[K:.*]] = tensor.expand_shape %[[R1]] [] output_shape [1] : tensor<i32> into tensor<1xi32>
// CHECK-NEXT:    return %[[R0]], %[[K]]
func.func @min(%x: tensor<7xf64>, %y: tensor<7xi32>) -> (tensor<f64>, tensor<1xi32>) {
  %0 = theon.min %x axes = [0] : tensor<7xf64> -> tensor<f64>
  %1 = theon.min %y axes = [0] keepdims : tensor<7xi32> -> tensor<1xi32>
  return %0, %1 : tensor<f64>, tensor<1xi32>
}

// -----

// mean is a sum followed by an elementwise division by the reduced count.
// CHECK-DAG:   #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @mean
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<3xf32>
// CHECK-NEXT:    %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[ACC]] : tensor<3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.addf %[[IN]], %[[OUT]] fastmath<reassoc> : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<3xf32>
// CHECK-NEXT:    %[[N:.*]] = arith.constant 8.000000e+00 : f32
// CHECK-NEXT:    %[[E2:.*]] = tensor.empty() : tensor<3xf32>
// CHECK-NEXT:    %[[MEAN:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[SUM]] : tensor<3xf32>) outs(%[[E2]] : tensor<3xf32>)
// CHECK-NEXT:    ^bb0(%[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[D:.*]] = arith.divf %[[S]], %[[N]] : f32
// CHECK-NEXT:      linalg.yield %[[D]] : f32
// CHECK-NEXT:    } -> tensor<3xf32>
// CHECK-NEXT:    %[[K:.*]] = tensor.expand_shape %[[MEAN]] {{\[}}[0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
// CHECK-NEXT:    return %[[K]]
func.func @mean(%x: tensor<2x3x4xf32>) -> tensor<1x3x1xf32> {
  %0 = theon.mean %x axes = [0, 2] keepdims : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// With no axes nothing is reduced: all iterators are parallel and the mean
// divides by 1.
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @mean_no_axes
// CHECK:         linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK:           arith.addf
// CHECK:         %[[N:.*]] = arith.constant 1.000000e+00 : f64
// CHECK:           arith.divf %{{.*}}, %[[N]] : f64
func.func @mean_no_axes(%x: tensor<7xf64>) -> tensor<7xf64> {
  %0 = theon.mean %x axes = [] : tensor<7xf64> -> tensor<7xf64>
  return %0 : tensor<7xf64>
}

// -----

// argmax carries (best value, its index) through one generic with two
// accumulators. A float x replaces the best when x > best, or when x is NaN
// and the best is not: the first NaN wins, as in NumPy.
// CHECK-DAG:   #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @argmax
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>) -> tensor<2x4xi64>
// CHECK-NEXT:    %[[EV:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT:    %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT:    %[[V0:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%[[EV]] : tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %[[EI:.*]] = tensor.empty() : tensor<2x4xi64>
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-NEXT:    %[[I0:.*]] = linalg.fill ins(%[[ZERO]] : i64) outs(%[[EI]] : tensor<2x4xi64>) -> tensor<2x4xi64>
// CHECK-NEXT:    %[[R:.*]]:2 = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$OUT]], #[[$OUT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[V0]], %[[I0]] : tensor<2x4xf32>, tensor<2x4xi64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %[[BEST:.*]]: f32, %[[BESTI:.*]]: i64):
// CHECK-NEXT:      %[[GT:.*]] = arith.cmpf ogt, %[[IN]], %[[BEST]] : f32
// CHECK-NEXT:      %[[XNAN:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK-NEXT:      %[[BNUM:.*]] = arith.cmpf ord, %[[BEST]], %[[BEST]] : f32
// CHECK-NEXT:      %[[NANWINS:.*]] = arith.andi %[[XNAN]], %[[BNUM]] : i1
// CHECK-NEXT:      %[[BETTER:.*]] = arith.ori %[[GT]], %[[NANWINS]] : i1
// CHECK-NEXT:      %[[IDX:.*]] = linalg.index 1 : index
// CHECK-NEXT:      %[[IDX64:.*]] = arith.index_cast %[[IDX]] : index to i64
// CHECK-NEXT:      %[[NV:.*]] = arith.select %[[BETTER]], %[[IN]], %[[BEST]] : f32
// CHECK-NEXT:      %[[NI:.*]] = arith.select %[[BETTER]], %[[IDX64]], %[[BESTI]] : i64
// CHECK-NEXT:      linalg.yield %[[NV]], %[[NI]] : f32, i64
// CHECK-NEXT:    } -> (tensor<2x4xf32>, tensor<2x4xi64>)
// CHECK-NEXT:    return %[[R]]#1 : tensor<2x4xi64>
func.func @argmax(%x: tensor<2x3x4xf32>) -> tensor<2x4xi64> {
  %0 = theon.argmax %x axis = 1 : tensor<2x3x4xf32> -> tensor<2x4xi64>
  return %0 : tensor<2x4xi64>
}

// -----

// argmin on integers: a strict signed compare keeps the first minimum.
// CHECK-DAG:   #[[$IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @argmin_keepdims
// CHECK-SAME:    (%[[X:.*]]: tensor<3x5xi32>) -> tensor<3x1xi64>
// CHECK-NEXT:    %[[EV:.*]] = tensor.empty() : tensor<3xi32>
// CHECK-NEXT:    %[[IMAX:.*]] = arith.constant 2147483647 : i32
// CHECK-NEXT:    %[[V0:.*]] = linalg.fill ins(%[[IMAX]] : i32) outs(%[[EV]] : tensor<3xi32>) -> tensor<3xi32>
// CHECK-NEXT:    %[[EI:.*]] = tensor.empty() : tensor<3xi64>
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-NEXT:    %[[I0:.*]] = linalg.fill ins(%[[ZERO]] : i64) outs(%[[EI]] : tensor<3xi64>) -> tensor<3xi64>
// CHECK-NEXT:    %[[R:.*]]:2 = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$IN]], #[[$OUT]], #[[$OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<3x5xi32>) outs(%[[V0]], %[[I0]] : tensor<3xi32>, tensor<3xi64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: i32, %[[BEST:.*]]: i32, %[[BESTI:.*]]: i64):
// CHECK-NEXT:      %[[BETTER:.*]] = arith.cmpi slt, %[[IN]], %[[BEST]] : i32
// CHECK-NEXT:      %[[IDX:.*]] = linalg.index 1 : index
// CHECK-NEXT:      %[[IDX64:.*]] = arith.index_cast %[[IDX]] : index to i64
// CHECK-NEXT:      %[[NV:.*]] = arith.select %[[BETTER]], %[[IN]], %[[BEST]] : i32
// CHECK-NEXT:      %[[NI:.*]] = arith.select %[[BETTER]], %[[IDX64]], %[[BESTI]] : i64
// CHECK-NEXT:      linalg.yield %[[NV]], %[[NI]] : i32, i64
// CHECK-NEXT:    } -> (tensor<3xi32>, tensor<3xi64>)
// CHECK-NEXT:    %[[K:.*]] = tensor.expand_shape %[[R]]#1 {{\[}}[0, 1]] output_shape [3, 1] : tensor<3xi64> into tensor<3x1xi64>
// CHECK-NEXT:    return %[[K]] : tensor<3x1xi64>
func.func @argmin_keepdims(%x: tensor<3x5xi32>) -> tensor<3x1xi64> {
  %0 = theon.argmin %x axis = 1 keepdims : tensor<3x5xi32> -> tensor<3x1xi64>
  return %0 : tensor<3x1xi64>
}

// -----

// Float argmin uses olt; a 1-D input reduces to rank 0.
// CHECK-LABEL: func.func @argmin_f64
// CHECK:         %[[INF:.*]] = arith.constant 0x7FF0000000000000 : f64
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["reduction"]
// CHECK-SAME:      outs(%{{.*}}, %{{.*}} : tensor<f64>, tensor<i64>)
// CHECK:           arith.cmpf olt
// CHECK:           linalg.index 0 : index
func.func @argmin_f64(%x: tensor<6xf64>) -> tensor<i64> {
  %0 = theon.argmin %x axis = 0 : tensor<6xf64> -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// mean over a dynamic axis (a scan's number of steps): the count is the
// static extents' product times the runtime extent.
// CHECK-LABEL: func.func @mean_over_steps
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]{{.*}} ins(%arg0 : tensor<?x3xf32>)
// CHECK: %[[N:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3xf32>
// CHECK: %[[I:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK: %[[F:.*]] = arith.sitofp %[[I]] : i64 to f32
// CHECK: %[[COUNT:.*]] = arith.mulf %{{.*}}, %[[F]] : f32
// CHECK: arith.divf %{{.*}}, %[[COUNT]] : f32
func.func @mean_over_steps(%x: tensor<?x3xf32>) -> tensor<3xf32> {
  %0 = theon.mean %x axes = [0] : tensor<?x3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
