// RUN: theon-opt %s --convert-theon-to-linalg -verify-diagnostics

func.func @grad_not_lowered(%c: tensor<f32>, %w: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{must be expanded by theon-autodiff before convert-theon-to-linalg}}
  %g = theon.grad %c wrt %w : tensor<f32>, tensor<2xf32>
  return %g : tensor<2xf32>
}
