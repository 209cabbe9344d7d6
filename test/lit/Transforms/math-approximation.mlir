// RUN: theon-opt %s --theon-math-approximation --split-input-file | FileCheck %s

// f32 exp becomes vectorizable polynomial arithmetic; f64 keeps libm.
// CHECK-LABEL: func.func @exp_f32
// CHECK-NOT: math.exp
// CHECK: math.fma
// CHECK-NOT: math.exp
func.func @exp_f32(%x: f32) -> f32 {
  %e = math.exp %x : f32
  return %e : f32
}

// CHECK-LABEL: func.func @exp_f64
// CHECK: math.exp %{{.*}} : f64
func.func @exp_f64(%x: f64) -> f64 {
  %e = math.exp %x : f64
  return %e : f64
}

// -----

// x / sqrt(y) in f32: an approximate rsqrt and a product, with the special
// cases fixed by selects (subnormals scaled, 0 -> copysign(inf, y),
// inf -> 0).
// CHECK-LABEL: func.func @divide_by_sqrt
// CHECK-SAME: (%[[X:.*]]: f32, %[[Y:.*]]: f32)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK-DAG: %[[TWO12:.*]] = arith.constant 4.096000e+03 : f32
// CHECK-DAG: %[[TWO24:.*]] = arith.constant 0x4B800000 : f32
// CHECK-DAG: %[[MIN:.*]] = arith.constant 1.17549435E-38 : f32
// CHECK: %[[TINY:.*]] = arith.cmpf olt, %[[Y]], %[[MIN]]
// CHECK: %[[SCALED:.*]] = arith.mulf %[[Y]], %[[TWO24]]
// CHECK: %[[IN:.*]] = arith.select %[[TINY]], %[[SCALED]], %[[Y]]
// CHECK: %[[EST:.*]] = math.rsqrt %[[IN]] fastmath<arcp,afn> : f32
// CHECK: %[[UNSCALED:.*]] = arith.mulf %[[EST]], %[[TWO12]]
// CHECK: %[[R1:.*]] = arith.select %[[TINY]], %[[UNSCALED]], %[[EST]]
// CHECK: %[[SINF:.*]] = math.copysign %[[INF]], %[[Y]]
// CHECK: %[[ISZERO:.*]] = arith.cmpf oeq, %[[Y]], %[[ZERO]]
// CHECK: %[[R2:.*]] = arith.select %[[ISZERO]], %[[SINF]], %[[R1]]
// CHECK: %[[ISINF:.*]] = arith.cmpf oeq, %[[Y]], %[[INF]]
// CHECK: %[[R3:.*]] = arith.select %[[ISINF]], %[[ZERO]], %[[R2]]
// CHECK: %[[Q:.*]] = arith.mulf %[[X]], %[[R3]]
// CHECK-NOT: math.sqrt
// CHECK-NOT: arith.divf
// CHECK: return %[[Q]]
func.func @divide_by_sqrt(%x: f32, %y: f32) -> f32 {
  %s = math.sqrt %y : f32
  %d = arith.divf %x, %s : f32
  return %d : f32
}

// Vectors too.
// CHECK-LABEL: func.func @divide_by_sqrt_vector
// CHECK: math.rsqrt %{{.*}} fastmath<arcp,afn> : vector<8xf32>
// CHECK-NOT: arith.divf
func.func @divide_by_sqrt_vector(%x: vector<8xf32>, %y: vector<8xf32>) -> vector<8xf32> {
  %s = math.sqrt %y : vector<8xf32>
  %d = arith.divf %x, %s : vector<8xf32>
  return %d : vector<8xf32>
}

// f64 has no fast estimate: unchanged.
// CHECK-LABEL: func.func @divide_by_sqrt_f64
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK-NOT: math.rsqrt
func.func @divide_by_sqrt_f64(%x: f64, %y: f64) -> f64 {
  %s = math.sqrt %y : f64
  %d = arith.divf %x, %s : f64
  return %d : f64
}

// The square root is used elsewhere too: keeping it and adding an estimate
// would do more work, not less.
// CHECK-LABEL: func.func @sqrt_used_twice
// CHECK: %[[S:.*]] = math.sqrt
// CHECK: arith.divf %{{.*}}, %[[S]]
// CHECK-NOT: math.rsqrt
func.func @sqrt_used_twice(%x: f32, %y: f32) -> (f32, f32) {
  %s = math.sqrt %y : f32
  %d = arith.divf %x, %s : f32
  return %d, %s : f32, f32
}

// A quotient by something else stays a division.
// CHECK-LABEL: func.func @plain_division
// CHECK: arith.divf
// CHECK-NOT: math.rsqrt
func.func @plain_division(%x: f32, %y: f32) -> f32 {
  %d = arith.divf %x, %y : f32
  return %d : f32
}
