// RUN: theon-opt %s --allow-unregistered-dialect --theon-outline-kernel-chunks="max-kernels=2" | FileCheck %s
// RUN: theon-opt %s --allow-unregistered-dialect --theon-outline-kernel-chunks | FileCheck %s --check-prefix=DEFAULT

// Four kernels, two per run: the function calls two private, noinline
// functions. The stack arena and the view both runs use stay in the
// caller; the view and the constants are rebuilt in each callee rather
// than passed (a memref argument is five scalars or more); the stack
// buffer only the second run uses moves into it. What follows the last
// kernel stays in the caller.
// CHECK-LABEL: func.func @long
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>)
// CHECK:         %[[ARENA:.*]] = memref.alloca() {alignment = 64 : i64} : memref<64xi8>
// CHECK:         call @long.kernels(%[[X]], %[[ARENA]]) : (memref<4xf32>, memref<64xi8>) -> ()
// CHECK-NEXT:    call @long.kernels_0(%[[ARENA]], %[[X]]) : (memref<64xi8>, memref<4xf32>) -> ()
// CHECK-NEXT:    memref.load %[[X]]
// CHECK-NEXT:    "test.sink"
// CHECK-NEXT:    return
// CHECK:       func.func private @long.kernels_0(%[[A2:.*]]: memref<64xi8>, %{{.*}}: memref<4xf32>) attributes {no_inline}
// CHECK:         memref.view %[[A2]]
// CHECK:         memref.alloca() : memref<4xf32>
// CHECK:         scf.for
// CHECK:         scf.for
// CHECK-NOT:     scf.for
// CHECK:         return{{$}}
// CHECK:       func.func private @long.kernels(%{{.*}}: memref<4xf32>, %[[A1:.*]]: memref<64xi8>) attributes {no_inline}
// CHECK:         memref.view %[[A1]]
// CHECK:         scf.for
// CHECK:         scf.for
// CHECK-NOT:     scf.for
// CHECK:         return{{$}}
// DEFAULT-LABEL: func.func @long
// DEFAULT-NOT:     call
// DEFAULT-COUNT-4: scf.for
// DEFAULT-NOT:     func.func private
func.func @long(%x: memref<4xf32>) {
  %arena = memref.alloca() {alignment = 64 : i64} : memref<64xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %shared = memref.view %arena[%c0][] : memref<64xi8> to memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %shared[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %shared[%i] : memref<4xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %shared[%i] : memref<4xf32>
  }
  %own = memref.alloca() : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %shared[%i] : memref<4xf32>
    memref.store %v, %own[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %own[%i] : memref<4xf32>
    memref.store %v, %x[%i] : memref<4xf32>
  }
  %r = memref.load %x[%c0] : memref<4xf32>
  "test.sink"(%r) : (f32) -> ()
  return
}

// A stack buffer that a later run needs cannot come back from a callee: it
// moves to the caller before the first run.
// CHECK-LABEL: func.func @stack_shared
// CHECK:         %[[S:.*]] = memref.alloca() : memref<4xf32>
// CHECK-NEXT:    call @stack_shared.kernels(%{{.*}}, %[[S]])
// CHECK-NEXT:    call @stack_shared.kernels_{{.*}}(%[[S]], %{{.*}})
func.func @stack_shared(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %s = memref.alloca() : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %s[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %s[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %s[%i] : memref<4xf32>
    memref.store %v, %x[%i] : memref<4xf32>
  }
  return
}
