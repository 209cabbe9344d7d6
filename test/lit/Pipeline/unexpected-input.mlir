// Regression (#11): the CPU pipeline on IR it does not expect (here the
// memref input of drop-update-results.mlir's @drop) reports it instead of
// crashing.
// RUN: not theon-opt %s --theon-cpu-pipeline 2>&1 | FileCheck %s
// RUN: not theon-opt %s --theon-linalg-to-loops-pipeline 2>&1 | FileCheck %s --check-prefix=LOOPS
// CHECK: error: 'memref.alloc' op is not in the linalg-on-tensors form the bufferization stage expects
// LOOPS: error: argument 0 has type 'memref<4xf32>': theon-update-in-place runs on tensors, before bufferization
func.func @drop(%w: memref<4xf32> {theon.update_result = 1 : i64}, %x: memref<2xf32>) -> (memref<f32>, memref<4xf32>, memref<2xf32>) {
  %c = memref.alloc() : memref<f32>
  return %c, %w, %x : memref<f32>, memref<4xf32>, memref<2xf32>
}
