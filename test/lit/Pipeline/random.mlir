// RUN: theon-opt %s --theon-cpu-pipeline | \
// RUN:   mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | \
// RUN:   FileCheck %s

// theon.random against Random123's Philox4x32-10: with key 0 and counter 0,
// element 0's block is the published answer 6627e8d5 e169c58d bc57ac4c
// 9b00dbd8, so its f32 uniform is 0x6627e8 / 2^24 = 0.399046. The other
// values come from a reference implementation checked against the three
// published vectors (test/unit/random_test.cpp has the same in C++).

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefF64(tensor<*xf64>)

func.func @main() {
  %zero = arith.constant dense<[0, 0]> : tensor<2xi64>
  %u = theon.random uniform %zero : tensor<2xi64> -> tensor<2x2xf32>
  %uu = tensor.cast %u : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%uu) : (tensor<*xf32>) -> ()
  %d = theon.random uniform %zero : tensor<2xi64> -> tensor<4xf64>
  %du = tensor.cast %d : tensor<4xf64> to tensor<*xf64>
  call @printMemrefF64(%du) : (tensor<*xf64>) -> ()
  %s = arith.constant dense<[7, 3]> : tensor<2xi64>
  %v = theon.random uniform %s : tensor<2xi64> -> tensor<4xf32>
  %vu = tensor.cast %v : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%vu) : (tensor<*xf32>) -> ()
  %n = theon.random normal %zero : tensor<2xi64> -> tensor<4xf64>
  %nu = tensor.cast %n : tensor<4xf64> to tensor<*xf64>
  call @printMemrefF64(%nu) : (tensor<*xf64>) -> ()
  return
}
// CHECK: rank = 2
// CHECK-NEXT: [0.399046, 0.972241]
// CHECK-NEXT: [0.0194494, 0.787368]
// CHECK: rank = 1
// CHECK-NEXT: [0.399046, 0.972241, 0.0194494, 0.787368]
// Key 7, counter 3.
// CHECK: rank = 1
// CHECK-NEXT: [0.59258, 0.587395, 0.372895, 0.395669]
// CHECK: rank = 1
// CHECK-NEXT: [-0.121518, -0.0818742, 1.77642, -0.547344]
