// RUN: theon-opt %s --theon-inline-alloca-scopes --split-input-file | FileCheck %s

// convert-scf-to-openmp's scope around a loop body that calls the runtime:
// no alloca in it, so it is inlined (canonicalization keeps it, since a
// call could allocate on the stack as far as it knows).
// CHECK-LABEL: func.func @call_in_scope
// CHECK-NOT: memref.alloca_scope
// CHECK: call @work(%arg0)
// CHECK-NEXT: %[[R:.*]] = arith.addi %arg0, %arg0
// CHECK-NEXT: return %[[R]]
func.func private @work(index)
func.func @call_in_scope(%i: index) -> index {
  %r = memref.alloca_scope -> index {
    func.call @work(%i) : (index) -> ()
    %s = arith.addi %i, %i : index
    memref.alloca_scope.return %s : index
  }
  return %r : index
}

// -----

// A scope with an alloca keeps it: its memory is freed at each iteration.
// CHECK-LABEL: func.func @alloca_in_scope
// CHECK: memref.alloca_scope
// CHECK:   memref.alloca
func.func private @use(memref<4xf32>)
func.func @alloca_in_scope() {
  memref.alloca_scope {
    %a = memref.alloca() : memref<4xf32>
    func.call @use(%a) : (memref<4xf32>) -> ()
  }
  return
}
