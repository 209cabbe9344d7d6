// RUN: theon-opt %s --convert-theon-to-linalg | FileCheck %s

// random: the key and counter are read once; each element's Philox block is
// computed in a parallel generic from its position (ten rounds of two
// 32x32->64 multiplications), so the draw has no inputs to fuse around.
// CHECK-LABEL: func.func @uniform
// CHECK-DAG: %[[KEY:.*]] = tensor.extract %arg0[%{{.*}}] : tensor<2xi64>
// CHECK-DAG: %[[CTR:.*]] = tensor.extract %arg0[%{{.*}}] : tensor<2xi64>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: outs(%{{.*}} : tensor<10x5xf32>)
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// CHECK-COUNT-20: arith.mului_extended
// CHECK: arith.uitofp
// CHECK: linalg.yield
func.func @uniform(%state: tensor<2xi64>) -> tensor<10x5xf32> {
  %0 = theon.random uniform %state : tensor<2xi64> -> tensor<10x5xf32>
  return %0 : tensor<10x5xf32>
}

// normal: Box-Muller from two uniforms, the first in (0, 1] so log is finite.
// CHECK-LABEL: func.func @normal
// CHECK: linalg.generic
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.cos
func.func @normal(%state: tensor<2xi64>) -> tensor<3xf64> {
  %0 = theon.random normal %state : tensor<2xi64> -> tensor<3xf64>
  return %0 : tensor<3xf64>
}
