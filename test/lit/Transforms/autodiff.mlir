// RUN: theon-opt %s --theon-autodiff --split-input-file | FileCheck %s

// d/dx sum(exp(x)) = exp(x): the seed of the sweep is 1, broadcast back over
// the reduced axis, times the exp result.
// CHECK-LABEL: func.func @sum_exp
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK-NOT: theon.grad
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[E:.*]] = theon.exp %[[X]]
// CHECK: %[[R:.*]] = theon.reshape %[[ONE]] : tensor<f32> to tensor<1xf32>
// CHECK: %[[B:.*]] = theon.broadcast_to %[[R]] : tensor<1xf32> -> tensor<3xf32>
// CHECK: %[[G:.*]] = theon.mul %[[B]], %[[E]]
// CHECK: return %[[G]]
func.func @sum_exp(%x: tensor<3xf32>) -> tensor<3xf32> {
  %e = theon.exp %x : tensor<3xf32>
  %s = theon.sum %e axes = [0] : tensor<3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<3xf32>
  return %g : tensor<3xf32>
}

// -----

// Two wrt values, one sweep: x * y feeds both gradients.
// CHECK-LABEL: func.func @two_wrt
// CHECK-SAME: (%[[X:.*]]: tensor<f64>, %[[Y:.*]]: tensor<f64>)
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f64>
// CHECK: %[[GX:.*]] = theon.mul %[[ONE]], %[[Y]]
// CHECK: %[[GY:.*]] = theon.mul %[[ONE]], %[[X]]
// CHECK: return %[[GX]], %[[GY]]
func.func @two_wrt(%x: tensor<f64>, %y: tensor<f64>) -> (tensor<f64>, tensor<f64>) {
  %p = theon.mul %x, %y : tensor<f64>, tensor<f64> -> tensor<f64>
  %g:2 = theon.grad %p wrt %x, %y : tensor<f64>, tensor<f64>, tensor<f64>
  return %g#0, %g#1 : tensor<f64>, tensor<f64>
}

// -----

// A value used twice accumulates both contributions with theon.add.
// CHECK-LABEL: func.func @fan_out
// CHECK: %[[A:.*]] = theon.mul
// CHECK: %[[B:.*]] = theon.mul
// CHECK: %[[SUM:.*]] = theon.add %{{.*}}, %{{.*}} : tensor<f32>, tensor<f32> -> tensor<f32>
// CHECK: return %[[SUM]]
func.func @fan_out(%x: tensor<f32>) -> tensor<f32> {
  %p = theon.mul %x, %x : tensor<f32>, tensor<f32> -> tensor<f32>
  %g = theon.grad %p wrt %x : tensor<f32>, tensor<f32>
  return %g : tensor<f32>
}

// -----

// A wrt the cost does not depend on gets zeros; integer paths carry nothing.
// CHECK-LABEL: func.func @disconnected
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK: return %[[Z]]
func.func @disconnected(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  %i = theon.cast %y : tensor<2xf32> to tensor<2xi32>
  %f = theon.cast %i : tensor<2xi32> to tensor<2xf32>
  %s = theon.sum %f axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %y : tensor<f32>, tensor<2xf32>
  return %g : tensor<2xf32>
}

// -----

// Broadcasting: the gradient of the stretched operand is summed back.
// CHECK-LABEL: func.func @broadcast_add
// CHECK: %[[S:.*]] = theon.sum %{{.*}} axes = [0] : tensor<4x3xf32> -> tensor<3xf32>
// CHECK: return %{{.*}}, %[[S]]
func.func @broadcast_add(%m: tensor<4x3xf32>, %v: tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>) {
  %a = theon.add %m, %v : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
  %s = theon.sum %a axes = [0, 1] : tensor<4x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %m, %v : tensor<f32>, tensor<4x3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<4x3xf32>, tensor<3xf32>
}

// -----

// grad of grad: the inner grad is expanded first, then differentiated.
// CHECK-LABEL: func.func @second_order
// CHECK-NOT: theon.grad
// CHECK: return
func.func @second_order(%x: tensor<f64>) -> tensor<f64> {
  %c = theon.mul %x, %x : tensor<f64>, tensor<f64> -> tensor<f64>
  %c3 = theon.mul %c, %x : tensor<f64>, tensor<f64> -> tensor<f64>
  %g = theon.grad %c3 wrt %x : tensor<f64>, tensor<f64>
  %gg = theon.grad %g wrt %x : tensor<f64>, tensor<f64>
  return %gg : tensor<f64>
}

// -----

// The cost may be computed across blocks: theon.grad inside a region
// differentiates through the sin of the enclosing block (the gradient ops
// are built where the grad was).
// CHECK-LABEL: func.func @grad_in_nested_block
// CHECK:         scf.if
// CHECK:           %[[COS:.*]] = theon.cos %arg0
// CHECK:           %[[G:.*]] = theon.mul %{{.*}}, %[[COS]]
// CHECK:           scf.yield %[[G]]
func.func @grad_in_nested_block(%x: tensor<3xf32>, %c: i1) -> tensor<3xf32> {
  %y = theon.sin %x : tensor<3xf32>
  %r = scf.if %c -> tensor<3xf32> {
    %s = theon.sum %y axes = [0] : tensor<3xf32> -> tensor<f32>
    %g = theon.grad %s wrt %x : tensor<f32>, tensor<3xf32>
    scf.yield %g : tensor<3xf32>
  } else {
    scf.yield %x : tensor<3xf32>
  }
  return %r : tensor<3xf32>
}

// -----

// A disconnected operand gets nothing from the op: with the test rule of
// math.copysign (undefined, disconnected), the wrt %y, reached only through
// the second operand, gets zeros, and the undefined first operand is no
// error because no wrt depends on it.
// CHECK-LABEL: func.func @disconnected
// CHECK:         %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-NOT:     theon.
// CHECK:         return %[[Z]]
func.func @disconnected(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  %d = math.copysign %x, %y : tensor<2xf32>
  %s = theon.sum %d axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %y : tensor<f32>, tensor<2xf32>
  return %g : tensor<2xf32>
}

// -----

// Two theon.grad ops of one cost, as a Theano program asks for each
// parameter's gradient in a call of its own: one sweep serves both, so the
// backward graph (here tanh's derivative) is built once.
// CHECK-LABEL: func.func @grads_of_one_cost
// CHECK-NOT: theon.grad
// CHECK: %[[T:.*]] = theon.tanh
// CHECK: theon.mul %[[T]], %[[T]]
// CHECK-NOT: theon.mul %[[T]], %[[T]]
// CHECK: return
func.func @grads_of_one_cost(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<4xf32>) {
  %y = theon.dot %x, %w : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  %z = theon.add %y, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  %t = theon.tanh %z : tensor<2x4xf32>
  %c = theon.sum %t axes = [0, 1] : tensor<2x4xf32> -> tensor<f32>
  %gw = theon.grad %c wrt %w : tensor<f32>, tensor<3x4xf32>
  %gb = theon.grad %c wrt %b : tensor<f32>, tensor<4xf32>
  return %gw, %gb : tensor<3x4xf32>, tensor<4xf32>
}
