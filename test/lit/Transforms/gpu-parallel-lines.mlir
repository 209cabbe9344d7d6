// RUN: theon-opt %s --split-input-file --theon-gpu-parallel-lines | FileCheck %s

// cumsum along axis 1 of a 64x1000 buffer: a serial loop over columns,
// each adding the previous result column to the next input column. It
// becomes one parallel loop over the column's 64 elements (the lines),
// each running the loop along its own line with scalar loads and stores.
// CHECK-LABEL: func.func @cumsum(
// CHECK-SAME: %[[X:.*]]: memref<64x1000xf32>, %[[OUT:.*]]: memref<64x1000xf32>
// CHECK-NOT: memref.alloc
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%c0{{.*}}, %c0{{.*}}) to (%c64{{.*}}, %c1{{.*}})
// CHECK: scf.for %[[K:.*]] = %c1 to %c1000 step %c1 {
// CHECK: %[[PREV:.*]] = arith.subi %[[K]], %c1
// CHECK: %[[IN:.*]] = memref.subview %[[X]][0, %[[K]]] [64, 1] [1, 1]
// CHECK: %[[LAST:.*]] = memref.subview %[[OUT]][0, %[[PREV]]] [64, 1] [1, 1]
// CHECK: %[[NEXT:.*]] = memref.subview %[[OUT]][0, %[[K]]] [64, 1] [1, 1]
// CHECK: %[[A:.*]] = memref.load %[[LAST]][%[[I]], %[[J]]]
// CHECK: %[[B:.*]] = memref.load %[[IN]][%[[I]], %[[J]]]
// CHECK: %[[S:.*]] = arith.addf %[[A]], %[[B]] : f32
// CHECK: memref.store %[[S]], %[[NEXT]][%[[I]], %[[J]]]
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.copy
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @cumsum(%x: memref<64x1000xf32>, %out: memref<64x1000xf32>) {
  %c1000 = arith.constant 1000 : index
  %c1 = arith.constant 1 : index
  scf.for %k = %c1 to %c1000 step %c1 {
    %0 = arith.subi %k, %c1 : index
    %in = memref.subview %x[0, %k] [64, 1] [1, 1] : memref<64x1000xf32> to memref<64x1xf32, strided<[1000, 1], offset: ?>>
    %last = memref.subview %out[0, %0] [64, 1] [1, 1] : memref<64x1000xf32> to memref<64x1xf32, strided<[1000, 1], offset: ?>>
    %tmp = memref.alloc() : memref<64x1xf32>
    linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%last, %in : memref<64x1xf32, strided<[1000, 1], offset: ?>>, memref<64x1xf32, strided<[1000, 1], offset: ?>>)
        outs(%tmp : memref<64x1xf32>) {
    ^bb0(%a: f32, %b: f32, %o: f32):
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }
    %next = memref.subview %out[0, %k] [64, 1] [1, 1] : memref<64x1000xf32> to memref<64x1xf32, strided<[1000, 1], offset: ?>>
    memref.copy %tmp, %next : memref<64x1xf32> to memref<64x1xf32, strided<[1000, 1], offset: ?>>
    memref.dealloc %tmp : memref<64x1xf32>
  }
  return
}

// -----

// Not independent lines: a slice read at another row offset (a shifted
// window), so it stays serial.
// CHECK-LABEL: func.func @shifted(
// CHECK-NOT: scf.parallel
// CHECK: scf.for
// CHECK: linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @shifted(%x: memref<65x1000xf32>, %out: memref<65x1000xf32>) {
  %c1000 = arith.constant 1000 : index
  %c1 = arith.constant 1 : index
  scf.for %k = %c1 to %c1000 step %c1 {
    %0 = arith.subi %k, %c1 : index
    %in = memref.subview %x[1, %k] [64, 1] [1, 1] : memref<65x1000xf32> to memref<64x1xf32, strided<[1000, 1], offset: ?>>
    %last = memref.subview %out[0, %0] [64, 1] [1, 1] : memref<65x1000xf32> to memref<64x1xf32, strided<[1000, 1], offset: ?>>
    %tmp = memref.alloc() : memref<64x1xf32>
    linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%last, %in : memref<64x1xf32, strided<[1000, 1], offset: ?>>, memref<64x1xf32, strided<[1000, 1], offset: ?>>)
        outs(%tmp : memref<64x1xf32>) {
    ^bb0(%a: f32, %b: f32, %o: f32):
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }
    %next = memref.subview %out[0, %k] [64, 1] [1, 1] : memref<65x1000xf32> to memref<64x1xf32, strided<[1000, 1], offset: ?>>
    memref.copy %tmp, %next : memref<64x1xf32> to memref<64x1xf32, strided<[1000, 1], offset: ?>>
    memref.dealloc %tmp : memref<64x1xf32>
  }
  return
}
