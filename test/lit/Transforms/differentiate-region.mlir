// RUN: theon-opt %s --theon-test-differentiate-region --canonicalize --cse | FileCheck %s

// differentiateRegion, as the rule of an op with a body uses it: the body
// is cloned with its arguments bound to the given values and swept from
// the gradients of what it yields; an argument it does not use gets zeros,
// a non-float one none.

// f(x, y, i) = (sin(x) * y, y): d/dx = g0 * y * cos(x), d/dy = g0 * sin(x) + g1.
// CHECK-LABEL: func.func @body_grad
// CHECK-SAME:    (%[[X:.*]]: tensor<3xf32>, %[[Y:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<3xi32>, %[[G0:.*]]: tensor<3xf32>, %[[G1:.*]]: tensor<3xf32>)
// CHECK-DAG:     %[[ZEROS:.*]] = arith.constant dense<0> : tensor<3xi32>
// CHECK-DAG:     %[[SIN:.*]] = theon.sin %[[X]]
// CHECK-DAG:     %[[GY:.*]] = theon.mul %[[G0]], %[[SIN]]
// CHECK-DAG:     %[[GX0:.*]] = theon.mul %[[G0]], %[[Y]]
// CHECK-DAG:     %[[COS:.*]] = theon.cos %[[X]]
// CHECK-DAG:     %[[GX:.*]] = theon.mul %[[GX0]], %[[COS]]
// CHECK-DAG:     %[[GYS:.*]] = theon.add %[[G1]], %[[GY]]
// CHECK:         return %[[GX]], %[[GYS]], %[[ZEROS]]
func.func @body(%x: tensor<3xf32>, %y: tensor<3xf32>, %i: tensor<3xi32>) -> (tensor<3xf32>, tensor<3xf32>)
    attributes {theon.test_grad} {
  %s = theon.sin %x : tensor<3xf32>
  %p = theon.mul %s, %y : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %p, %y : tensor<3xf32>, tensor<3xf32>
}

// An argument the body does not use gets zeros.
// CHECK-LABEL: func.func @unused_grad
// CHECK-SAME:    (%[[A:.*]]: tensor<2xf64>, %[[B:.*]]: tensor<2xf64>, %[[G:.*]]: tensor<2xf64>)
// CHECK:         %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK:         %[[E:.*]] = theon.exp %[[A]]
// CHECK:         %[[GA:.*]] = theon.mul %[[G]], %[[E]]
// CHECK:         return %[[GA]], %[[Z]]
func.func @unused(%a: tensor<2xf64>, %b: tensor<2xf64>) -> tensor<2xf64> attributes {theon.test_grad} {
  %e = theon.exp %a : tensor<2xf64>
  return %e : tensor<2xf64>
}
