// RUN: theon-opt %s --theon-hoist-loop-buffers --split-input-file | FileCheck %s

// A buffer of a serial loop's body (a scan's step, an image's columns) is
// shared by the iterations: it moves before the loop, out of both loops.
// CHECK-LABEL: func.func @serial
// CHECK: %[[BUF:.*]] = memref.alloc() {theon.loop_buffer} : memref<16xf32>
// CHECK-NEXT: scf.for
// CHECK-NEXT: scf.for
// CHECK-NEXT: func.call @use(%[[BUF]])
func.func private @use(memref<16xf32>)
func.func @serial(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %n step %c1 {
      %a = memref.alloc() : memref<16xf32>
      func.call @use(%a) : (memref<16xf32>) -> ()
    }
  }
  return
}

// -----

// A parallel loop's iterations (chunks of a convolution's images on the
// threads) each get a 64-byte aligned slot of one byte buffer, viewed at
// the induction variable's offset with the buffer's own type: from 16 MiB
// on. A smaller buffer stays in the body.
// CHECK-LABEL: func.func @parallel
// CHECK: %[[SLOTS:.*]] = memref.alloc() {alignment = 64 : i64, theon.loop_buffer} : memref<134217728xi8>
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK:   memref.alloc() : memref<10xf32>
// CHECK:   %[[OFFSET:.*]] = arith.muli %[[I]], %{{.*}} : index
// CHECK:   %[[VIEW:.*]] = memref.view %[[SLOTS]][%[[OFFSET]]][] : memref<134217728xi8> to memref<4194304xf32>
// CHECK:   func.call @useBig(%[[VIEW]])
func.func private @use10(memref<10xf32>)
func.func private @useBig(memref<4194304xf32>)
func.func @parallel() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %a = memref.alloc() : memref<10xf32>
    func.call @use10(%a) : (memref<10xf32>) -> ()
    %b = memref.alloc() : memref<4194304xf32>
    func.call @useBig(%b) : (memref<4194304xf32>) -> ()
    scf.reduce
  }
  return
}

// -----

// What stays: a buffer yielded to the next iteration, one of a dynamic
// size, and one in a parallel loop of unknown trip count.
// CHECK-LABEL: func.func @stays
// CHECK: scf.for
// CHECK-NEXT: memref.alloc() : memref<4xf32>
// CHECK: scf.for
// CHECK-NEXT: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: scf.parallel
// CHECK-NEXT: memref.alloc() : memref<4xf32>
func.func private @use4(memref<4xf32>)
func.func private @useN(memref<?xf32>)
func.func @stays(%n: index, %init: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%prev = %init) -> (memref<4xf32>) {
    %a = memref.alloc() : memref<4xf32>
    memref.copy %prev, %a : memref<4xf32> to memref<4xf32>
    scf.yield %a : memref<4xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    %b = memref.alloc(%i) : memref<?xf32>
    func.call @useN(%b) : (memref<?xf32>) -> ()
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %c = memref.alloc() : memref<4xf32>
    func.call @use4(%c) : (memref<4xf32>) -> ()
    scf.reduce
  }
  return
}
