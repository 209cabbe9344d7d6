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
