// RUN: theon-opt %s --theon-cpu-pipeline -o %t.full.mlir
// RUN: theon-opt %s --theon-to-linalg-pipeline | theon-opt --theon-linalg-to-loops-pipeline | \
// RUN:   theon-opt --theon-loops-to-llvm-pipeline -o %t.staged.mlir
// RUN: diff %t.full.mlir %t.staged.mlir
// RUN: FileCheck %s --input-file=%t.full.mlir \
// RUN:   --implicit-check-not='{{(theon|linalg|tensor|bufferization|arith|math|memref|scf|cf|func)\.}}'

// theon-cpu-pipeline is exactly its three named stages in sequence, and it
// leaves only the LLVM dialect.

// Memref descriptors: x (7 fields), w (5), b (3), then the result as an
// out-param (5); the function returns nothing.
// CHECK-LABEL: llvm.func @predict
// CHECK-SAME:    %arg12: !llvm.ptr, %arg13: !llvm.ptr, %arg14: i64,
// CHECK-SAME:    %arg15: !llvm.ptr, %arg16: !llvm.ptr, %arg17: i64, %arg18: i64, %arg19: i64)
// So small a function runs on the calling thread (theon-serial-small-functions).
// CHECK-SAME:    attributes {theon.serial} {
// f32 exp is a polynomial (theon-math-approximation), not a libm call.
// CHECK-NOT:     llvm.call @expf
// CHECK:         llvm.intr.fma
// CHECK:         llvm.return{{$}}
func.func @predict(%x: tensor<4x3xf32>, %w: tensor<3xf32>, %b: tensor<f32>) -> tensor<4xf32> {
  %0 = theon.dot %x, %w : tensor<4x3xf32>, tensor<3xf32> -> tensor<4xf32>
  %1 = theon.add %0, %b : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %2 = theon.sigmoid %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}
