// RUN: theon-opt %s --theon-autodiff --split-input-file -verify-diagnostics

// An op without a gradient rule on a float path is an error.
func.func @no_rule(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = arith.constant dense<1.0> : tensor<2xf32>
  // expected-error @+1 {{has no gradient rule}}
  %y = arith.addf %x, %c : tensor<2xf32>
  %s = theon.sum %y axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2xf32>
  return %g : tensor<2xf32>
}

// -----

// An undefined gradient on the way to a wrt is an error. (theon-opt gives
// math.copysign on tensors a test rule: undefined for its first operand,
// disconnected for its second.)
func.func @undefined(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'math.copysign' op has no gradient with respect to operand #0 (a test rule says so), but the cost depends on it}}
  %d = math.copysign %x, %y : tensor<2xf32>
  %s = theon.sum %d axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2xf32>
  return %g : tensor<2xf32>
}
