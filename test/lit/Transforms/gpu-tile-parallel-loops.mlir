// RUN: theon-opt %s --theon-gpu-tile-parallel-loops=block-size=128 | FileCheck %s

// The innermost dimension in blocks of 128 threads, the others by 1, with
// no min bounds: the inner loop guards its index.
// CHECK-LABEL: func.func @scale
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[ROWS:.*]] = arith.muli %c1, %c1{{.*}} : index
// CHECK: %[[COLS:.*]] = arith.muli %c1, %[[C128]] : index
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%c0, %c0) to (%c64, %c1000) step (%[[ROWS]], %[[COLS]])
// CHECK-NEXT: scf.parallel (%{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}) to (%[[ROWS]], %[[COLS]]) step (%c1, %c1)
// CHECK-NOT: affine.min
// CHECK: arith.cmpi ult, %{{.*}}, %c1000
// CHECK: scf.if
func.func @scale(%x: memref<64x1000xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c1000 = arith.constant 1000 : index
  %two = arith.constant 2.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c1000) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<64x1000xf32>
    %w = arith.mulf %v, %two : f32
    memref.store %w, %x[%i, %j] : memref<64x1000xf32>
    scf.reduce
  }
  return
}

// Serial code on memory (a 0-d update) runs in a unit parallel loop: one
// thread of one block, not tiled.
// CHECK-LABEL: func.func @scalar
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// CHECK-NEXT: memref.load %arg0[]
// CHECK-NEXT: arith.addf
// CHECK-NEXT: memref.store
// CHECK-NEXT: scf.reduce
func.func @scalar(%x: memref<f32>) {
  %one = arith.constant 1.0 : f32
  %v = memref.load %x[] : memref<f32>
  %w = arith.addf %v, %one : f32
  memref.store %w, %x[] : memref<f32>
  return
}

// A serial loop that reads memory outside the parallel loop it holds (an
// index per row, as scatter_add's) runs in a kernel too; the inner parallel
// loop stays inside it.
// CHECK-LABEL: func.func @rows
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// CHECK-NEXT: scf.for
// CHECK-NEXT: memref.load %arg1
// CHECK: scf.parallel
func.func @rows(%a: memref<5x3xf32>, %i: memref<4xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.for %k = %c0 to %c4 step %c1 {
    %x = memref.load %i[%k] : memref<4xi64>
    %r = arith.index_cast %x : i64 to index
    scf.parallel (%j) = (%c0) to (%c3) step (%c1) {
      %v = memref.load %a[%r, %j] : memref<5x3xf32>
      %w = arith.addf %v, %one : f32
      memref.store %w, %a[%r, %j] : memref<5x3xf32>
      scf.reduce
    }
  }
  return
}

// -----

// A one-element take, then a row picked by the value it wrote: the serial
// code before the escaping index is one kernel; the load and arithmetic
// that place the view stay on the host (theon-gpu-device-memory reads the
// value after that kernel); the copy of the picked row, a view, is a
// parallel loop (a kernel), as is the store after it.
// CHECK-LABEL: func.func @picked_row(
// CHECK: scf.parallel (%{{.*}}) = (%c0{{.*}}) to (%c1{{.*}}) step (%c1{{.*}}) {
// CHECK: memref.load %arg1[%c0]
// CHECK: memref.store %{{.*}}, %[[TMP:.*]][%c0]
// CHECK: scf.reduce
// CHECK: %[[INDEX:.*]] = memref.load %[[TMP]][%c0]
// CHECK: %[[ROW:.*]] = arith.index_cast %[[INDEX]]
// CHECK: %[[VIEW:.*]] = memref.subview %arg0[%[[ROW]], 0]
// CHECK-NOT: memref.copy
// CHECK: scf.parallel
// CHECK: memref.load %[[VIEW]]
// CHECK: memref.store %{{.*}}, %arg2
func.func @picked_row(%x: memref<4x3xf32>, %i: memref<1xi64>, %out: memref<1x3xf32>) {
  %c0 = arith.constant 0 : index
  %tmp = memref.alloc() : memref<1xi64>
  %0 = memref.load %i[%c0] : memref<1xi64>
  memref.store %0, %tmp[%c0] : memref<1xi64>
  %1 = memref.load %tmp[%c0] : memref<1xi64>
  %2 = arith.index_cast %1 : i64 to index
  %row = memref.subview %x[%2, 0] [1, 3] [1, 1] : memref<4x3xf32> to memref<1x3xf32, strided<[3, 1], offset: ?>>
  memref.copy %row, %out : memref<1x3xf32, strided<[3, 1], offset: ?>> to memref<1x3xf32>
  return
}
