// RUN: theon-opt %s --convert-theon-to-linalg --split-input-file | FileCheck %s

// Unary elementwise theon ops become one parallel linalg.generic over the
// operand's shape with an arith/math body.

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @neg_f32
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.negf %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf32>
func.func @neg_f32(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = theon.neg %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Integers negate as 0 - x.
// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @neg_i32
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi32>) -> tensor<4xi32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xi32>) outs(%[[E]] : tensor<4xi32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: i32, %{{.*}}: i32):
// CHECK-NEXT:      %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK-NEXT:      %[[V:.*]] = arith.subi %[[ZERO]], %[[IN]] : i32
// CHECK-NEXT:      linalg.yield %[[V]] : i32
// CHECK-NEXT:    } -> tensor<4xi32>
// CHECK-NEXT:    return %[[R]] : tensor<4xi32>
func.func @neg_i32(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = theon.neg %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Rank 0: no loops.
// CHECK-DAG:   #[[$MAP:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @abs_f64
// CHECK-SAME:    (%[[X:.*]]: tensor<f64>) -> tensor<f64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<f64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = []}
// CHECK-SAME:      ins(%[[X]] : tensor<f64>) outs(%[[E]] : tensor<f64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = math.absf %[[IN]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<f64>
// CHECK-NEXT:    return %[[R]] : tensor<f64>
func.func @abs_f64(%x: tensor<f64>) -> tensor<f64> {
  %0 = theon.abs %x : tensor<f64>
  return %0 : tensor<f64>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @abs_i16
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi16>) -> tensor<4xi16>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi16>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xi16>) outs(%[[E]] : tensor<4xi16>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: i16, %{{.*}}: i16):
// CHECK-NEXT:      %[[V:.*]] = math.absi %[[IN]] : i16
// CHECK-NEXT:      linalg.yield %[[V]] : i16
// CHECK-NEXT:    } -> tensor<4xi16>
// CHECK-NEXT:    return %[[R]] : tensor<4xi16>
func.func @abs_i16(%x: tensor<4xi16>) -> tensor<4xi16> {
  %0 = theon.abs %x : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

// sign(x) = (x > 0) - (x < 0); NaN is passed through.
// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @sign_f32
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      %[[GT:.*]] = arith.cmpf ogt, %[[IN]], %[[ZERO]] : f32
// CHECK-NEXT:      %[[POS:.*]] = arith.uitofp %[[GT]] : i1 to f32
// CHECK-NEXT:      %[[LT:.*]] = arith.cmpf olt, %[[IN]], %[[ZERO]] : f32
// CHECK-NEXT:      %[[NEG:.*]] = arith.uitofp %[[LT]] : i1 to f32
// CHECK-NEXT:      %[[S:.*]] = arith.subf %[[POS]], %[[NEG]] : f32
// CHECK-NEXT:      %[[NAN:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK-NEXT:      %[[V:.*]] = arith.select %[[NAN]], %[[IN]], %[[S]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf32>
func.func @sign_f32(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = theon.sign %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @sign_i8
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xi8>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xi8>) outs(%[[E]] : tensor<4xi8>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT:      %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK-NEXT:      %[[GT:.*]] = arith.cmpi sgt, %[[IN]], %[[ZERO]] : i8
// CHECK-NEXT:      %[[POS:.*]] = arith.extui %[[GT]] : i1 to i8
// CHECK-NEXT:      %[[LT:.*]] = arith.cmpi slt, %[[IN]], %[[ZERO]] : i8
// CHECK-NEXT:      %[[NEG:.*]] = arith.extui %[[LT]] : i1 to i8
// CHECK-NEXT:      %[[V:.*]] = arith.subi %[[POS]], %[[NEG]] : i8
// CHECK-NEXT:      linalg.yield %[[V]] : i8
// CHECK-NEXT:    } -> tensor<4xi8>
// CHECK-NEXT:    return %[[R]] : tensor<4xi8>
func.func @sign_i8(%x: tensor<4xi8>) -> tensor<4xi8> {
  %0 = theon.sign %x : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @exp
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = math.exp %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4xf32>
func.func @exp(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = theon.exp %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @log
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf64>) -> tensor<4xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xf64>) outs(%[[E]] : tensor<4xf64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = math.log %[[IN]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<4xf64>
// CHECK-NEXT:    return %[[R]] : tensor<4xf64>
func.func @log(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = theon.log %x : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @log1p
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = math.log1p %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf32>
func.func @log1p(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = theon.log1p %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @sqrt
// CHECK-SAME:    (%[[X:.*]]: tensor<f32>) -> tensor<f32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<f32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = []}
// CHECK-SAME:      ins(%[[X]] : tensor<f32>) outs(%[[E]] : tensor<f32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = math.sqrt %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<f32>
// CHECK-NEXT:    return %[[R]] : tensor<f32>
func.func @sqrt(%x: tensor<f32>) -> tensor<f32> {
  %0 = theon.sqrt %x : tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @sin
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf64>) -> tensor<4xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xf64>) outs(%[[E]] : tensor<4xf64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = math.sin %[[IN]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<4xf64>
// CHECK-NEXT:    return %[[R]] : tensor<4xf64>
func.func @sin(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = theon.sin %x : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @cos
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = math.cos %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4xf32>
func.func @cos(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = theon.cos %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @tanh
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3xf64>) outs(%[[E]] : tensor<2x3xf64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = math.tanh %[[IN]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<2x3xf64>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf64>
func.func @tanh(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = theon.tanh %x : tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// -----

// sigmoid(x) = 1 / (1 + exp(-x)).
// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @sigmoid
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:      %[[N:.*]] = arith.negf %[[IN]] : f32
// CHECK-NEXT:      %[[EXP:.*]] = math.exp %[[N]] : f32
// CHECK-NEXT:      %[[DEN:.*]] = arith.addf %[[ONE]], %[[EXP]] : f32
// CHECK-NEXT:      %[[V:.*]] = arith.divf %[[ONE]], %[[DEN]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4xf32>
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = theon.sigmoid %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Stable softplus: max(x, 0) + log1p(exp(-|x|)).
// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @softplus
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf64>) -> tensor<4xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xf64>) outs(%[[E]] : tensor<4xf64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT:      %[[RELU:.*]] = arith.maxnumf %[[IN]], %[[ZERO]] : f64
// CHECK-NEXT:      %[[ABS:.*]] = math.absf %[[IN]] : f64
// CHECK-NEXT:      %[[NABS:.*]] = arith.negf %[[ABS]] : f64
// CHECK-NEXT:      %[[EXP:.*]] = math.exp %[[NABS]] : f64
// CHECK-NEXT:      %[[TAIL:.*]] = math.log1p %[[EXP]] : f64
// CHECK-NEXT:      %[[V:.*]] = arith.addf %[[RELU]], %[[TAIL]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<4xf64>
// CHECK-NEXT:    return %[[R]] : tensor<4xf64>
func.func @softplus(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = theon.softplus %x : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @floor
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = math.floor %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4xf32>
func.func @floor(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = theon.floor %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @ceil
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf64>) -> tensor<4xf64>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<4xf64>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xf64>) outs(%[[E]] : tensor<4xf64>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = math.ceil %[[IN]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
// CHECK-NEXT:    } -> tensor<4xf64>
// CHECK-NEXT:    return %[[R]] : tensor<4xf64>
func.func @ceil(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = theon.ceil %x : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// Round half to even.
// CHECK-DAG:   #[[$MAP:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @round
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic
// CHECK-SAME:      {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[V:.*]] = math.roundeven %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf32>
func.func @round(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = theon.round %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// erf: the math dialect's erf (a polynomial for f32 in the CPU pipeline,
// libm's erf for f64).
// CHECK-LABEL: func.func @erf
// CHECK:         linalg.generic
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:      %[[V:.*]] = math.erf %[[IN]] : f64
// CHECK-NEXT:      linalg.yield %[[V]] : f64
func.func @erf(%x: tensor<5xf64>) -> tensor<5xf64> {
  %0 = theon.erf %x : tensor<5xf64>
  return %0 : tensor<5xf64>
}

// -----

// erfinv: Giles' polynomials in w = -log((1 - x)(1 + x)), two Newton steps
// on math.erf, and +-inf at +-1.
// CHECK-LABEL: func.func @erfinv
// CHECK: linalg.generic
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.fma
// CHECK: math.erf
// CHECK: math.erf
// CHECK: math.absf
// CHECK: arith.select
func.func @erfinv(%x: tensor<4xf64>) -> tensor<4xf64> {
  %y = theon.erfinv %x : tensor<4xf64>
  return %y : tensor<4xf64>
}
