// RUN: theon-opt %s --allow-unregistered-dialect --theon-promote-buffers-to-stack="max-alloc-bytes=4096 budget-bytes=6000" | FileCheck %s
// RUN: theon-opt %s --allow-unregistered-dialect --theon-promote-buffers-to-stack | FileCheck %s --check-prefix=DEFAULT

// Smallest first, within the per-allocation limit and the budget for the
// whole function: 400 + 4000 bytes fit in 6000; the second 4000-byte buffer
// would exceed the budget and the 8000-byte one the limit, so both stay on
// the heap. An allocation inside a loop stays on the heap too.
// CHECK-LABEL: func.func @budget
// CHECK-DAG:     memref.alloca() {alignment = 64 : i64} : memref<100xf32>
// CHECK-DAG:     memref.alloca() {alignment = 64 : i64} : memref<1000xf32>
// CHECK-DAG:     memref.alloc() {alignment = 64 : i64} : memref<1000xi32>
// CHECK-DAG:     memref.alloc() {alignment = 64 : i64} : memref<2000xf32>
// CHECK:         scf.for
// CHECK:           memref.alloc() : memref<4xf32>
// DEFAULT-LABEL: func.func @budget
// DEFAULT-COUNT-4: memref.alloca()
// DEFAULT:         scf.for
// DEFAULT:           memref.alloc() : memref<4xf32>
func.func @budget(%out: memref<4xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<1000xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<100xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<1000xi32>
  %d = memref.alloc() {alignment = 64 : i64} : memref<2000xf32>
  "test.use"(%a, %b, %c, %d) : (memref<1000xf32>, memref<100xf32>, memref<1000xi32>, memref<2000xf32>) -> ()
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c2 step %c1 {
    %t = memref.alloc() : memref<4xf32>
    "test.use"(%t) : (memref<4xf32>) -> ()
  }
  return
}
