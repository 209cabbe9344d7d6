// The GPU smoke test's kernel: exp(a + b) over 1000 floats, one kernel.
func.func @smoke(%a: tensor<1000xf32>, %b: tensor<1000xf32>) -> tensor<1000xf32> {
  %0 = theon.add %a, %b : tensor<1000xf32>, tensor<1000xf32> -> tensor<1000xf32>
  %1 = theon.exp %0 : tensor<1000xf32>
  return %1 : tensor<1000xf32>
}
