// RUN: theon-opt %s --split-input-file --allow-unregistered-dialect --theon-deallocate-buffers | FileCheck %s

// Heap buffers of the entry block, used in place and through views, are
// freed before every return, the early one included; stack buffers are not.
// CHECK-LABEL: func.func @at_returns
// CHECK:         %[[A:.*]] = memref.alloc() : memref<16xf32>
// CHECK:         %[[B:.*]] = memref.alloc() : memref<4xf32>
// CHECK:         cf.cond_br
// CHECK:         memref.dealloc %[[B]]
// CHECK-NEXT:    memref.dealloc %[[A]]
// CHECK-NEXT:    return
// CHECK:         memref.dealloc %[[B]]
// CHECK-NEXT:    memref.dealloc %[[A]]
// CHECK-NEXT:    return
// CHECK-NOT:     bufferization.dealloc
func.func @at_returns(%failed: i1) {
  %a = memref.alloc() : memref<16xf32>
  %b = memref.alloc() : memref<4xf32>
  %s = memref.alloca() : memref<4xf32>
  cf.cond_br %failed, ^exit, ^body
^body:
  %view = memref.expand_shape %a [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  "test.use"(%view, %b, %s) : (memref<4x4xf32>, memref<4xf32>, memref<4xf32>) -> ()
  return
^exit:
  return
}

// -----

// A buffer passed to a call could outlive the function: the module goes
// through upstream's ownership-based pipeline instead.
// CHECK-LABEL: func.func @escapes
// CHECK:         %[[A:.*]] = memref.alloc() : memref<4xf32>
// CHECK:         call @keep(%[[A]])
// CHECK:         memref.dealloc %[[A]]
func.func private @keep(memref<4xf32>)
func.func @escapes() {
  %a = memref.alloc() : memref<4xf32>
  call @keep(%a) : (memref<4xf32>) -> ()
  return
}

// -----

// A memref result: upstream's pipeline too, which hands the buffer to the
// caller.
// CHECK-LABEL: func.func @returns_buffer
// CHECK-NOT:     memref.dealloc
// CHECK:         return
func.func @returns_buffer(%v: f32) -> memref<4xf32> {
  %a = memref.alloc() : memref<4xf32>
  %c0 = arith.constant 0 : index
  memref.store %v, %a[%c0] : memref<4xf32>
  return %a : memref<4xf32>
}
