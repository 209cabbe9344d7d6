// RUN: theon-opt %s --split-input-file --theon-gpu-parallel-scatter | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>

// scatter_add's loop over the update's rows: one parallel loop over rows
// and the row's elements; the index arithmetic and views are computed per
// element, and each element is added atomically (rows may repeat).
// CHECK-LABEL: func.func @scatter_add(
// CHECK-SAME: %[[X:.*]]: memref<5x3xf32>, %[[I:.*]]: memref<4xi64>, %[[U:.*]]: memref<4x3xf32>
// CHECK-NOT: scf.for
// CHECK: scf.parallel (%[[R:.*]], %[[A:.*]], %[[B:.*]]) = (%c0{{.*}}, %c0{{.*}}, %c0{{.*}}) to (%c4{{.*}}, %c1{{.*}}, %c3{{.*}}) step (%c1{{.*}}, %c1{{.*}}, %c1{{.*}})
// CHECK: %[[ROW:.*]] = memref.load %[[I]][%[[R]]]
// CHECK: %[[T:.*]] = memref.subview %[[X]]
// CHECK: %[[S:.*]] = memref.subview %[[U]][%[[R]], 0]
// CHECK: %[[V:.*]] = memref.load %[[S]][
// CHECK: memref.atomic_rmw addf %[[V]], %[[T]][
// CHECK-NOT: linalg.generic
func.func @scatter_add(%x: memref<5x3xf32>, %i: memref<4xi64>, %u: memref<4x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %r = %c0 to %c4 step %c1 {
    %0 = memref.load %i[%r] : memref<4xi64>
    %1 = arith.index_cast %0 : i64 to index
    %t = memref.subview %x[%1, 0] [1, 3] [1, 1] : memref<5x3xf32> to memref<1x3xf32, strided<[3, 1], offset: ?>>
    %s = memref.subview %u[%r, 0] [1, 3] [1, 1] : memref<4x3xf32> to memref<1x3xf32, strided<[3, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%s : memref<1x3xf32, strided<[3, 1], offset: ?>>) outs(%t : memref<1x3xf32, strided<[3, 1], offset: ?>>) {
    ^bb0(%in: f32, %out: f32):
      %2 = arith.addf %out, %in : f32
      linalg.yield %2 : f32
    }
  }
  return
}

// -----

#id = affine_map<(d0) -> (d0)>

// Integers add with addi.
// CHECK-LABEL: func.func @counts(
// CHECK: scf.parallel
// CHECK: memref.atomic_rmw addi
func.func @counts(%x: memref<5x2xi64>, %i: memref<4xi64>, %u: memref<4x2xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %r = %c0 to %c4 step %c1 {
    %0 = memref.load %i[%r] : memref<4xi64>
    %1 = arith.index_cast %0 : i64 to index
    %t = memref.subview %x[%1, 0] [1, 2] [1, 1] : memref<5x2xi64> to memref<2xi64, strided<[1], offset: ?>>
    %s = memref.subview %u[%r, 0] [1, 2] [1, 1] : memref<4x2xi64> to memref<2xi64, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%s : memref<2xi64, strided<[1], offset: ?>>) outs(%t : memref<2xi64, strided<[1], offset: ?>>) {
    ^bb0(%in: i64, %out: i64):
      %2 = arith.addi %in, %out : i64
      linalg.yield %2 : i64
    }
  }
  return
}

// -----

#id = affine_map<(d0) -> (d0)>

// Stay serial: a set scatter (a copy, the last write wins), a loop that
// writes besides its accumulation, an element type without atomic adds,
// and a body that is not out + in.
// CHECK-LABEL: func.func @stays(
// CHECK-NOT: scf.parallel
// CHECK-NOT: atomic_rmw
// CHECK-COUNT-4: scf.for
func.func @stays(%x: memref<5x2xf32>, %h: memref<5x2xf16>, %i: memref<4xi64>, %u: memref<4x2xf32>,
                 %v: memref<4x2xf16>, %log: memref<4xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %r = %c0 to %c4 step %c1 {
    %0 = memref.load %i[%r] : memref<4xi64>
    %1 = arith.index_cast %0 : i64 to index
    %t = memref.subview %x[%1, 0] [1, 2] [1, 1] : memref<5x2xf32> to memref<2xf32, strided<[1], offset: ?>>
    %s = memref.subview %u[%r, 0] [1, 2] [1, 1] : memref<4x2xf32> to memref<2xf32, strided<[1], offset: ?>>
    memref.copy %s, %t : memref<2xf32, strided<[1], offset: ?>> to memref<2xf32, strided<[1], offset: ?>>
  }
  scf.for %r = %c0 to %c4 step %c1 {
    %0 = memref.load %i[%r] : memref<4xi64>
    memref.store %0, %log[%r] : memref<4xi64>
    %1 = arith.index_cast %0 : i64 to index
    %t = memref.subview %x[%1, 0] [1, 2] [1, 1] : memref<5x2xf32> to memref<2xf32, strided<[1], offset: ?>>
    %s = memref.subview %u[%r, 0] [1, 2] [1, 1] : memref<4x2xf32> to memref<2xf32, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%s : memref<2xf32, strided<[1], offset: ?>>) outs(%t : memref<2xf32, strided<[1], offset: ?>>) {
    ^bb0(%in: f32, %out: f32):
      %2 = arith.addf %out, %in : f32
      linalg.yield %2 : f32
    }
  }
  scf.for %r = %c0 to %c4 step %c1 {
    %0 = memref.load %i[%r] : memref<4xi64>
    %1 = arith.index_cast %0 : i64 to index
    %t = memref.subview %h[%1, 0] [1, 2] [1, 1] : memref<5x2xf16> to memref<2xf16, strided<[1], offset: ?>>
    %s = memref.subview %v[%r, 0] [1, 2] [1, 1] : memref<4x2xf16> to memref<2xf16, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%s : memref<2xf16, strided<[1], offset: ?>>) outs(%t : memref<2xf16, strided<[1], offset: ?>>) {
    ^bb0(%in: f16, %out: f16):
      %2 = arith.addf %out, %in : f16
      linalg.yield %2 : f16
    }
  }
  scf.for %r = %c0 to %c4 step %c1 {
    %0 = memref.load %i[%r] : memref<4xi64>
    %1 = arith.index_cast %0 : i64 to index
    %t = memref.subview %x[%1, 0] [1, 2] [1, 1] : memref<5x2xf32> to memref<2xf32, strided<[1], offset: ?>>
    %s = memref.subview %u[%r, 0] [1, 2] [1, 1] : memref<4x2xf32> to memref<2xf32, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%s : memref<2xf32, strided<[1], offset: ?>>) outs(%t : memref<2xf32, strided<[1], offset: ?>>) {
    ^bb0(%in: f32, %out: f32):
      %2 = arith.maximumf %out, %in : f32
      linalg.yield %2 : f32
    }
  }
  return
}
