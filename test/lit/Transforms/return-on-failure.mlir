// RUN: theon-opt %s --split-input-file --allow-unregistered-dialect --theon-return-on-failure | FileCheck %s

// Static heap allocations move to the top of the function and one check
// of the runtime's failure record follows them, before any code runs: a
// failed allocation returns before a buffer is used, and before the first
// write into an argument marked theon.updated_in_place (a shared
// variable). The marker goes.
// CHECK:       func.func private @theon_call_failed() -> i32
// CHECK-LABEL: func.func @checked
// CHECK-SAME:    (%[[W:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>) {
// CHECK-NEXT:    %[[A:.*]] = memref.alloc() : memref<1024xf32>
// CHECK-NEXT:    %[[B:.*]] = memref.alloc() : memref<2048xf32>
// CHECK-NEXT:    %[[S:.*]] = call @theon_call_failed() : () -> i32
// CHECK-NEXT:    %[[Z:.*]] = arith.constant 0 : i32
// CHECK-NEXT:    %[[F:.*]] = arith.cmpi ne, %[[S]], %[[Z]] : i32
// CHECK-NEXT:    cf.cond_br %[[F]], ^[[EXIT:.*]], ^[[BODY:.*]]
// CHECK:       ^[[BODY]]:
// CHECK-NEXT:    "test.use"(%[[A]])
// CHECK-NEXT:    memref.copy %[[OUT]], %[[W]]
// CHECK-NEXT:    "test.use"(%[[B]])
// CHECK-NEXT:    return
// CHECK:       ^[[EXIT]]:
// CHECK-NEXT:    return
func.func @checked(%w: memref<4xf32> {theon.updated_in_place}, %out: memref<4xf32>) {
  %a = memref.alloc() : memref<1024xf32>
  "test.use"(%a) : (memref<1024xf32>) -> ()
  memref.copy %out, %w : memref<4xf32> to memref<4xf32>
  %b = memref.alloc() : memref<2048xf32>
  "test.use"(%b) : (memref<2048xf32>) -> ()
  return
}

// -----

// A buffer sized by an argument's extent (a stack of a scan's runtime
// number of steps) moves to the top as well, with the memref.dim that
// sizes it: one check covers it, and it is allocated before any return.
// One sized by anything else keeps its place and its own check.
// CHECK-LABEL: func.func @sized_by_an_argument
// CHECK-SAME:    (%[[X:.*]]: memref<?x4xf32>, %[[N:.*]]: index)
// CHECK-NEXT:    %[[A:.*]] = memref.alloc() : memref<64xf32>
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[D:.*]] = memref.dim %[[X]], %[[C0]] : memref<?x4xf32>
// CHECK-NEXT:    %[[B:.*]] = memref.alloc(%[[D]]) : memref<?x4xf32>
// CHECK-NEXT:    call @theon_call_failed()
// CHECK:         cf.cond_br %{{.*}}, ^[[EXIT:.*]], ^[[BODY:.*]]
// CHECK:       ^[[BODY]]:
// CHECK-NEXT:    "test.use"(%[[A]])
// CHECK-NEXT:    "test.use"(%[[A]], %[[B]])
// CHECK-NEXT:    %[[E:.*]] = memref.alloc(%[[N]]) : memref<?xf32>
// CHECK-NEXT:    call @theon_call_failed()
// CHECK:         cf.cond_br %{{.*}}, ^[[EXIT]], ^[[REST:.*]]
// CHECK:       ^[[REST]]:
// CHECK-NEXT:    "test.use"(%[[E]])
func.func @sized_by_an_argument(%x: memref<?x4xf32>, %n: index) {
  %a = memref.alloc() : memref<64xf32>
  %c0 = arith.constant 0 : index
  %d = memref.dim %x, %c0 : memref<?x4xf32>
  "test.use"(%a) : (memref<64xf32>) -> ()
  %b = memref.alloc(%d) : memref<?x4xf32>
  "test.use"(%a, %b) : (memref<64xf32>, memref<?x4xf32>) -> ()
  %e = memref.alloc(%n) : memref<?xf32>
  "test.use"(%e) : (memref<?xf32>) -> ()
  return
}

// -----

// A function that checks indices also checks before its first write into a
// shared variable: an index out of range found before it leaves the
// variable unchanged. Writes into out-params (fresh outputs) need no check.
// CHECK-LABEL: func.func @index_checks
// CHECK:         scf.for
// CHECK:           func.call @theon_index_error
// CHECK:         memref.copy %{{.*}}, %[[OUTPARAM:.*]] :
// CHECK:         %[[S:.*]] = call @theon_call_failed() : () -> i32
// CHECK:         cf.cond_br %{{.*}}, ^[[EXIT:.*]], ^[[WRITE:.*]]
// CHECK:       ^[[WRITE]]:
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    return
// CHECK:       ^[[EXIT]]:
// CHECK-NEXT:    return
func.func private @theon_index_error(i64, i64, i64)
func.func @index_checks(%i: memref<2xi64>, %w: memref<4xf32> {theon.updated_in_place},
                        %tmp: memref<4xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  %site = arith.constant 0 : i64
  %size = arith.constant 4 : i64
  scf.for %k = %c0 to %c2 step %c1 {
    %v = memref.load %i[%k] : memref<2xi64>
    %bad = arith.cmpi sge, %v, %size : i64
    scf.if %bad {
      func.call @theon_index_error(%site, %v, %size) : (i64, i64, i64) -> ()
    }
  }
  memref.copy %tmp, %out : memref<4xf32> to memref<4xf32>
  %f = arith.constant 1.0 : f32
  memref.store %f, %w[%c0] : memref<4xf32>
  return
}

// -----

// Nothing on the heap, nothing to check; a function with results (before
// buffer-results-to-out-params) cannot return early and is left alone.
// CHECK-LABEL: func.func @stack_only
// CHECK-NOT:     theon_call_failed
// CHECK-LABEL: func.func @with_result
// CHECK-NOT:     theon_call_failed
func.func @stack_only() {
  %a = memref.alloca() : memref<4xf32>
  "test.use"(%a) : (memref<4xf32>) -> ()
  return
}
func.func @with_result() -> memref<4xf32> {
  %a = memref.alloc() : memref<4xf32>
  return %a : memref<4xf32>
}

