// RUN: theon-opt %s --theon-drop-update-results --split-input-file --verify-diagnostics | FileCheck %s

// After bufferization an update written in place returns its argument: the
// result goes, and the attribute becomes theon.updated_in_place (for
// theon-return-on-failure). Other results stay, including an argument
// returned as an output.
// CHECK-LABEL: func.func @drop
// CHECK-SAME: (%[[W:.*]]: memref<4xf32> {theon.updated_in_place}, %[[X:.*]]: memref<2xf32>) -> (memref<f32>, memref<2xf32>)
// CHECK-NOT: theon.update_result
// CHECK: return %{{.*}}, %[[X]] : memref<f32>, memref<2xf32>
func.func @drop(%w: memref<4xf32> {theon.update_result = 1 : i64}, %x: memref<2xf32>) -> (memref<f32>, memref<4xf32>, memref<2xf32>) {
  %c = memref.alloc() : memref<f32>
  return %c, %w, %x : memref<f32>, memref<4xf32>, memref<2xf32>
}

// -----

// expected-error @below {{argument 0 is updated in place by result 0, but that result is not the argument's buffer}}
func.func @not_in_place(%w: memref<4xf32> {theon.update_result = 0 : i64}) -> memref<4xf32> {
  %c = memref.alloc() : memref<4xf32>
  return %c : memref<4xf32>
}

// -----

// A loop that yields its iteration argument back returns the buffer it
// started with: the argument's, written in place.
// CHECK-LABEL: func.func @loop
// CHECK-SAME: theon.updated_in_place
// CHECK-NOT: return %
func.func @loop(%w: memref<4xf32> {theon.update_result = 0 : i64}) -> memref<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %c1 step %c1 iter_args(%acc = %w) -> (memref<4xf32>) {
    scf.yield %acc : memref<4xf32>
  }
  return %r : memref<4xf32>
}

// -----

// expected-error @below {{theon-drop-update-results expects a function of one block, got 2}}
func.func @branch(%w: memref<4xf32> {theon.update_result = 0 : i64}) -> memref<4xf32> {
  cf.br ^bb1
^bb1:
  return %w : memref<4xf32>
}
