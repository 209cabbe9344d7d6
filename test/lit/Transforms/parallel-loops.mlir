// RUN: theon-opt %s --theon-parallel-loops --canonicalize --split-input-file | FileCheck %s
// RUN: theon-opt %s --theon-parallel-loops=min-work=16 --canonicalize --split-input-file | FileCheck %s --check-prefix=LOW

#map = affine_map<(d0, d1) -> (d0, d1)>

// A large elementwise op (131072 points, the default min-work): the outer
// loop is parallel, the inner one serial (contiguous for each thread, so
// it vectorizes).
// CHECK-LABEL: func.func @large
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c512) step (%c1)
// CHECK-NEXT: scf.for %[[J:.*]] = %c0 to %c256 step %c1
// CHECK-NEXT: memref.load %arg0[%[[I]], %[[J]]]
// CHECK-NEXT: math.exp
// CHECK-NEXT: memref.store
// CHECK-NOT: linalg.generic
func.func @large(%a: memref<512x256xf32>, %b: memref<512x256xf32>) {
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<512x256xf32>) outs(%b : memref<512x256xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}

// -----

#map = affine_map<(d0, d1) -> (d0, d1)>

// The same op in a function marked serial (theon-serial-small-functions:
// too little work in all for threads) stays serial.
// CHECK-LABEL: func.func @serial_function
// CHECK: linalg.generic
// CHECK-NOT: scf.parallel
// LOW-LABEL: func.func @serial_function
// LOW-NOT: scf.parallel
func.func @serial_function(%a: memref<512x256xf32>, %b: memref<512x256xf32>) attributes {theon.serial} {
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<512x256xf32>) outs(%b : memref<512x256xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}

// -----

#map = affine_map<(d0, d1) -> (d0, d1)>

// Small ops stay linalg (serial loops later) unless min-work is lowered.
// CHECK-LABEL: func.func @small
// CHECK: linalg.generic
// CHECK-NOT: scf.parallel
// LOW-LABEL: func.func @small
// LOW: scf.parallel
func.func @small(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<8x8xf32>) outs(%b : memref<8x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// A row sum over a large matrix: rows are parallel, the reduction runs
// inside each thread's rows.
// CHECK-LABEL: func.func @row_sum
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c512) step (%c1)
// CHECK-NEXT: scf.for %[[J:.*]] = %c0 to %c256 step %c1
// CHECK: arith.addf
func.func @row_sum(%a: memref<512x256xf32>, %s: memref<512xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<512x256xf32>) outs(%s : memref<512xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %r = arith.addf %x, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A column sum's outer loop is the reduction: left serial.
// CHECK-LABEL: func.func @column_sum
// CHECK: linalg.generic
// CHECK-NOT: scf.parallel
func.func @column_sum(%a: memref<512x256xf32>, %s: memref<256xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>],
                  iterator_types = ["reduction", "parallel"]}
      ins(%a : memref<512x256xf32>) outs(%s : memref<256xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %r = arith.addf %x, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Dynamic shapes: the work is unknown at compile time, so serial.
// CHECK-LABEL: func.func @dynamic
// CHECK: linalg.fill
// CHECK-NOT: scf.parallel
func.func @dynamic(%b: memref<?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%b : memref<?x?xf32>)
  return
}

// -----

// Tensor semantics are not this pass's business.
// CHECK-LABEL: func.func @tensors
// CHECK: linalg.fill
// CHECK-NOT: scf.parallel
func.func @tensors(%t: tensor<512x512xf32>) -> tensor<512x512xf32> {
  %zero = arith.constant 0.0 : f32
  %r = linalg.fill ins(%zero : f32) outs(%t : tensor<512x512xf32>) -> tensor<512x512xf32>
  return %r : tensor<512x512xf32>
}

// -----

#map = affine_map<(d0, d1) -> (d0, d1)>

// Inside a parallel loop (a convolution's images) the threads are busy:
// a large op there stays serial.
// CHECK-LABEL: func.func @inside_parallel
// CHECK: scf.parallel
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
func.func @inside_parallel(%a: memref<4x256x256xf32>, %b: memref<4x256x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%n) = (%c0) to (%c4) step (%c1) {
    %x = memref.subview %a[%n, 0, 0] [1, 256, 256] [1, 1, 1] : memref<4x256x256xf32> to memref<256x256xf32, strided<[256, 1], offset: ?>>
    %y = memref.subview %b[%n, 0, 0] [1, 256, 256] [1, 1, 1] : memref<4x256x256xf32> to memref<256x256xf32, strided<[256, 1], offset: ?>>
    linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
        ins(%x : memref<256x256xf32, strided<[256, 1], offset: ?>>) outs(%y : memref<256x256xf32, strided<[256, 1], offset: ?>>) {
    ^bb0(%in: f32, %out: f32):
      %e = math.exp %in : f32
      linalg.yield %e : f32
    }
    scf.reduce
  }
  return
}
