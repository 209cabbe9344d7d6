// RUN: theon-opt %s --split-input-file --allow-unregistered-dialect --theon-check-allocations | FileCheck %s

// After each heap allocation, a failure reported by the runtime returns
// before the buffer is used; an allocation after the first write into an
// argument (a shared variable written in place) moves before that write, so
// a failed call changes no argument.
// CHECK:       func.func private @theon_allocation_failed() -> i32
// CHECK-LABEL: func.func @checked
// CHECK-SAME:    (%[[W:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>)
// CHECK:         %[[A:.*]] = memref.alloc() : memref<1024xf32>
// CHECK-NEXT:    %[[S1:.*]] = call @theon_allocation_failed() : () -> i32
// CHECK-NEXT:    %[[Z1:.*]] = arith.constant 0 : i32
// CHECK-NEXT:    %[[F1:.*]] = arith.cmpi ne, %[[S1]], %[[Z1]] : i32
// CHECK-NEXT:    cf.cond_br %[[F1]], ^[[EXIT:.*]], ^[[NEXT:.*]]
// CHECK:       ^[[NEXT]]:
// CHECK-NEXT:    "test.use"(%[[A]])
// CHECK-NEXT:    %[[B:.*]] = memref.alloc() : memref<2048xf32>
// CHECK-NEXT:    call @theon_allocation_failed()
// CHECK:         cf.cond_br %{{.*}}, ^[[EXIT]], ^[[REST:.*]]
// CHECK:       ^[[REST]]:
// CHECK-NEXT:    memref.copy %[[OUT]], %[[W]]
// CHECK-NEXT:    "test.use"(%[[B]])
// CHECK-NEXT:    return
// CHECK:       ^[[EXIT]]:
// CHECK-NEXT:    return
func.func @checked(%w: memref<4xf32>, %out: memref<4xf32>) {
  %a = memref.alloc() : memref<1024xf32>
  "test.use"(%a) : (memref<1024xf32>) -> ()
  memref.copy %out, %w : memref<4xf32> to memref<4xf32>
  %b = memref.alloc() : memref<2048xf32>
  "test.use"(%b) : (memref<2048xf32>) -> ()
  return
}

// -----

// Nothing on the heap, nothing to check; a function with results (before
// buffer-results-to-out-params) cannot return early and is left alone.
// CHECK-LABEL: func.func @stack_only
// CHECK-NOT:     theon_allocation_failed
// CHECK-LABEL: func.func @with_result
// CHECK-NOT:     theon_allocation_failed
func.func @stack_only() {
  %a = memref.alloca() : memref<4xf32>
  "test.use"(%a) : (memref<4xf32>) -> ()
  return
}
func.func @with_result() -> memref<4xf32> {
  %a = memref.alloc() : memref<4xf32>
  return %a : memref<4xf32>
}
