// RUN: theon-opt %s --canonicalize --split-input-file | FileCheck %s
// Folders of elementwise arithmetic: identities, constants (splat or not), -(-x).

// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @identities(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %a = theon.add %x, %zero : tensor<3xf32>, tensor<f32> -> tensor<3xf32>
  %b = theon.add %zero, %x : tensor<f32>, tensor<3xf32> -> tensor<3xf32>
  %c = theon.sub %x, %zero : tensor<3xf32>, tensor<f32> -> tensor<3xf32>
  %d = theon.mul %one, %x : tensor<f32>, tensor<3xf32> -> tensor<3xf32>
  %e = theon.div %x, %one : tensor<3xf32>, tensor<f32> -> tensor<3xf32>
  %n = theon.neg %x : tensor<3xf32>
  %f = theon.neg %n : tensor<3xf32>
  return %a, %b, %c, %d, %e, %f : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// An identity that would broadcast x keeps the op: the result has another
// shape than x.
// CHECK-LABEL: func.func @broadcasting_identity
// CHECK: theon.add
func.func @broadcasting_identity(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant dense<0.0> : tensor<2x3xf32>
  %a = theon.add %x, %zero : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

// 0 - x is not x; x * 0 is not folded (NaN and inf times 0).
// CHECK-LABEL: func.func @not_identities
// CHECK: theon.sub
// CHECK: theon.mul
func.func @not_identities(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %a = theon.sub %zero, %x : tensor<f32>, tensor<3xf32> -> tensor<3xf32>
  %b = theon.mul %x, %zero : tensor<3xf32>, tensor<f32> -> tensor<3xf32>
  return %a, %b : tensor<3xf32>, tensor<3xf32>
}

// -----

// Splat constants fold, rounded as the target type rounds; integers too.
// CHECK-LABEL: func.func @constants
// CHECK-DAG: arith.constant dense<1.100000e+00> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<2.500000e-01> : tensor<f64>
// CHECK-DAG: arith.constant dense<-7> : tensor<3xi32>
// CHECK-DAG: arith.constant dense<5> : tensor<i64>
// CHECK-NOT: theon.
func.func @constants() -> (tensor<2xf32>, tensor<f64>, tensor<3xi32>, tensor<i64>) {
  %a = arith.constant dense<1.0> : tensor<2xf32>
  %b = arith.constant dense<0.1> : tensor<f32>
  %s = theon.add %a, %b : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
  %c = arith.constant dense<1.0> : tensor<f64>
  %d = arith.constant dense<4.0> : tensor<f64>
  %q = theon.div %c, %d : tensor<f64>, tensor<f64> -> tensor<f64>
  %i = arith.constant dense<7> : tensor<3xi32>
  %n = theon.neg %i : tensor<3xi32>
  %j = arith.constant dense<5> : tensor<i64>
  %k = arith.constant dense<-2> : tensor<i64>
  %m = theon.maximum %j, %k : tensor<i64>, tensor<i64> -> tensor<i64>
  return %s, %q, %n, %m : tensor<2xf32>, tensor<f64>, tensor<3xi32>, tensor<i64>
}

// -----

// Casts of constants fold as the lowering converts: float to int truncates
// toward zero, anything to bool is `!= 0` (NaN is true), bool to int is 0/1,
// ints to float round to nearest. A float out of the int's range stays a cast.
// CHECK-LABEL: func.func @cast_constants
// CHECK-DAG: arith.constant dense<[2, -2, 0]> : tensor<3xi32>
// CHECK-DAG: arith.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-DAG: arith.constant dense<[1, 0]> : tensor<2xi8>
// CHECK-DAG: arith.constant dense<1.000000e+00> : tensor<f32>
// 16777217 rounds to 2^24 (0x4B800000).
// CHECK-DAG: arith.constant dense<0x4B800000> : tensor<f32>
// CHECK-DAG: %[[BIG:.*]] = arith.constant dense<3.000000e+10> : tensor<f32>
// CHECK: theon.cast %[[BIG]] : tensor<f32> to tensor<i32>
func.func @cast_constants() -> (tensor<3xi32>, tensor<3xi1>, tensor<2xi8>, tensor<f32>, tensor<f32>, tensor<i32>) {
  %f = arith.constant dense<[2.7, -2.7, 0.5]> : tensor<3xf32>
  %a = theon.cast %f : tensor<3xf32> to tensor<3xi32>
  %g = arith.constant dense<[0x7FC00000, 0.0, -1.0]> : tensor<3xf32>
  %b = theon.cast %g : tensor<3xf32> to tensor<3xi1>
  %t = arith.constant dense<[true, false]> : tensor<2xi1>
  %c = theon.cast %t : tensor<2xi1> to tensor<2xi8>
  %i = arith.constant dense<1> : tensor<i8>
  %d = theon.cast %i : tensor<i8> to tensor<f32>
  %l = arith.constant dense<16777217> : tensor<i64>
  %e = theon.cast %l : tensor<i64> to tensor<f32>
  %big = arith.constant dense<3.0e10> : tensor<f32>
  %h = theon.cast %big : tensor<f32> to tensor<i32>
  return %a, %b, %c, %d, %e, %h : tensor<3xi32>, tensor<3xi1>, tensor<2xi8>, tensor<f32>, tensor<f32>, tensor<i32>
}

// -----

// Constants that are not splats fold too, with a splat or with another
// constant of the result's shape; integers wrap as the lowering does.
// CHECK-LABEL: func.func @dense_constants
// CHECK-DAG: arith.constant dense<[1.500000e+00, 2.500000e+00, 3.500000e+00]> : tensor<3xf32>
// CHECK-DAG: arith.constant dense<[4.000000e+00, 1.000000e+01, 1.800000e+01]> : tensor<3xf32>
// CHECK-DAG: arith.constant dense<[-128, 0, 2]> : tensor<3xi8>
// CHECK-NOT: theon.
func.func @dense_constants() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xi8>) {
  %a = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %h = arith.constant dense<0.5> : tensor<f32>
  %s = theon.add %a, %h : tensor<3xf32>, tensor<f32> -> tensor<3xf32>
  %b = arith.constant dense<[4.0, 5.0, 6.0]> : tensor<3xf32>
  %c = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %p = theon.mul %b, %c : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %i = arith.constant dense<[127, 1, 3]> : tensor<3xi8>
  %j = arith.constant dense<[-1, 1, 1]> : tensor<3xi8>
  %d = theon.sub %i, %j : tensor<3xi8>, tensor<3xi8> -> tensor<3xi8>
  return %s, %p, %d : tensor<3xf32>, tensor<3xf32>, tensor<3xi8>
}

// -----

// A constant that would need a broadcast of a non-splat stays an op.
// CHECK-LABEL: func.func @dense_broadcast_kept
// CHECK: theon.add
func.func @dense_broadcast_kept() -> tensor<2x3xf32> {
  %a = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = arith.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %s = theon.add %a, %b : tensor<3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  return %s : tensor<2x3xf32>
}

// -----

// Unary functions of constants fold in double and round to the element
// type: exp(1) is e, log(0) is -inf, sqrt(-1) is NaN, round is half to
// even, sign keeps NaN; integer abs and sign fold too.
// CHECK-LABEL: func.func @unary_constants
// CHECK-DAG: arith.constant dense<[1.000000e+00, 2.71828175]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<0xFF800000> : tensor<f32>
// CHECK-DAG: arith.constant dense<0x{{[7F]}}FF8000000000000> : tensor<f64>
// CHECK-DAG: arith.constant dense<[2.000000e+00, -0.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK-DAG: arith.constant dense<[-1.000000e+00, 0.000000e+00, 0x7FC00000]> : tensor<3xf32>
// CHECK-DAG: arith.constant dense<[5, 0, 3]> : tensor<3xi32>
// CHECK-DAG: arith.constant dense<[-1, 0, 1]> : tensor<3xi32>
// CHECK-DAG: arith.constant dense<[5.000000e-01, 1.49265277]> : tensor<2xf32>
// CHECK-NOT: theon.
func.func @unary_constants() -> (tensor<2xf32>, tensor<f32>, tensor<f64>, tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>, tensor<2xf32>) {
  %x = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %e = theon.exp %x : tensor<2xf32>
  %z = arith.constant dense<0.0> : tensor<f32>
  %l = theon.log %z : tensor<f32>
  %m = arith.constant dense<-1.0> : tensor<f64>
  %r = theon.sqrt %m : tensor<f64>
  %h = arith.constant dense<[2.5, -0.5, 3.5]> : tensor<3xf32>
  %o = theon.round %h : tensor<3xf32>
  %n = arith.constant dense<[-3.0, 0.0, 0x7FC00000]> : tensor<3xf32>
  %s = theon.sign %n : tensor<3xf32>
  %i = arith.constant dense<[-5, 0, 3]> : tensor<3xi32>
  %a = theon.abs %i : tensor<3xi32>
  %g = theon.sign %i : tensor<3xi32>
  %t = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %sg = theon.sigmoid %t : tensor<2xf32>
  %th = theon.tanh %t : tensor<2xf32>
  %st = theon.add %sg, %th : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %e, %l, %r, %o, %s, %a, %g, %st : tensor<2xf32>, tensor<f32>, tensor<f64>, tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>, tensor<2xf32>
}

// -----

// erf folds through libm's erf in double: erf(0.5) = 0.5204998778, rounded to f32, and
// erf is odd.
// CHECK-LABEL: func.func @erf_constants
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<[0.000000e+00, 0.520499885, -0.520499885]> : tensor<3xf32>
// CHECK-NEXT: %[[D:.*]] = arith.constant dense<0.99532226501895271> : tensor<f64>
// CHECK-NEXT: return %[[C]], %[[D]]
func.func @erf_constants() -> (tensor<3xf32>, tensor<f64>) {
  %x = arith.constant dense<[0.0, 0.5, -0.5]> : tensor<3xf32>
  %e = theon.erf %x : tensor<3xf32>
  %two = arith.constant dense<2.0> : tensor<f64>
  %d = theon.erf %two : tensor<f64>
  return %e, %d : tensor<3xf32>, tensor<f64>
}

// -----

// erfc, expm1, exp2, log2 and log10 fold through libm in double, rounded to
// the element type: expm1(1e-10) is 1.00000000005e-10, where exp(x) - 1 in
// double gives 1.000000082740371e-10.
// CHECK-LABEL: func.func @libm_constants
// CHECK-DAG: arith.constant dense<1.00000000005E-10> : tensor<f64>
// CHECK-DAG: arith.constant dense<[0.157299206, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<[8.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<[3.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<[2.000000e+00, -3.000000e+00]> : tensor<2xf32>
// CHECK-NOT: theon.
func.func @libm_constants() -> (tensor<f64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %tiny = arith.constant dense<1.0e-10> : tensor<f64>
  %m = theon.expm1 %tiny : tensor<f64>
  %a = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %c = theon.erfc %a : tensor<2xf32>
  %b = arith.constant dense<[3.0, -1.0]> : tensor<2xf32>
  %e = theon.exp2 %b : tensor<2xf32>
  %p = arith.constant dense<[8.0, 0.5]> : tensor<2xf32>
  %l = theon.log2 %p : tensor<2xf32>
  %q = arith.constant dense<[100.0, 0.001]> : tensor<2xf32>
  %t = theon.log10 %q : tensor<2xf32>
  return %m, %c, %e, %l, %t : tensor<f64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// erfinv folds with the host's erfinv (Giles' approximation refined by
// Newton steps on libm's erf): erfinv(0.5) = 0.4769362762044699 and
// erfinv(1) = inf; outside [-1, 1] it is NaN.
// CHECK-LABEL: func.func @erfinv_constants
// CHECK: arith.constant dense<[0.476936281, 0x7F800000, 0x7FC00000]> : tensor<3xf32>
// CHECK-NOT: theon.
func.func @erfinv_constants() -> tensor<3xf32> {
  %a = arith.constant dense<[0.5, 1.0, 2.0]> : tensor<3xf32>
  %e = theon.erfinv %a : tensor<3xf32>
  return %e : tensor<3xf32>
}

// -----

// Python's // and % on integers fold with the runtime's rules (x // 0 and
// x % 0 are 0, INT_MIN // -1 wraps); bitwise ops and invert fold too.
// CHECK-LABEL: func.func @integer_constants
// CHECK-DAG: %[[Q:.*]] = arith.constant dense<[-4, 3, 0, -128]> : tensor<4xi8>
// CHECK-DAG: %[[R:.*]] = arith.constant dense<[1, -1, 0, 0]> : tensor<4xi8>
// CHECK-DAG: %[[AND:.*]] = arith.constant dense<[8, 0]> : tensor<2xi32>
// CHECK-DAG: %[[OR:.*]] = arith.constant dense<[14, 12]> : tensor<2xi32>
// CHECK-DAG: %[[XOR:.*]] = arith.constant dense<[6, 12]> : tensor<2xi32>
// CHECK-DAG: %[[INV:.*]] = arith.constant dense<-13> : tensor<2xi32>
// CHECK-DAG: %[[NOT:.*]] = arith.constant dense<[true, false]> : tensor<2xi1>
// CHECK: return %[[Q]], %[[R]], %[[AND]], %[[OR]], %[[XOR]], %[[INV]], %[[NOT]]
func.func @integer_constants() -> (tensor<4xi8>, tensor<4xi8>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi1>) {
  %a = arith.constant dense<[-7, -7, 5, -128]> : tensor<4xi8>
  %b = arith.constant dense<[2, -2, 0, -1]> : tensor<4xi8>
  %q = theon.floor_div %a, %b : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  %r = theon.mod %a, %b : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  %x = arith.constant dense<12> : tensor<2xi32>
  %y = arith.constant dense<[10, 0]> : tensor<2xi32>
  %and = theon.bitwise_and %x, %y : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  %or = theon.bitwise_or %x, %y : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  %xor = theon.bitwise_xor %x, %y : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  %inv = theon.invert %x : tensor<2xi32>
  %p = arith.constant dense<[false, true]> : tensor<2xi1>
  %np = theon.invert %p : tensor<2xi1>
  return %q, %r, %and, %or, %xor, %inv, %np : tensor<4xi8>, tensor<4xi8>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi1>
}
