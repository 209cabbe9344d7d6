// RUN: theon-opt %s --theon-loops-to-llvm-pipeline | \
// RUN:   FileCheck %s --implicit-check-not='{{(arith|math|memref|scf|cf|func|affine|index)\.}}' \
// RUN:     --implicit-check-not=unrealized_conversion_cast

// Last stage of theon-cpu-pipeline: loops on memrefs to the LLVM dialect.
// Nothing but llvm.* ops may remain. f32 log1p becomes theon-math-approximation's
// polynomial (vectorizable, no call); f64 log1p calls libm's log1p (not the
// imprecise log(1 + x)).

// CHECK-NOT:   llvm.func @log1pf
// CHECK-NOT:   llvm.intr.tanh
// CHECK-DAG:   llvm.func @log1p(f64) -> f64
// CHECK-DAG:   llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
// CHECK-DAG:   llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)

// Memref arguments are expanded into descriptors (ptr, ptr, offset, size, stride).
// CHECK-LABEL: llvm.func @kernel
// CHECK-SAME:    (%{{[a-z0-9]+}}: !llvm.ptr, %[[XA:[a-z0-9]+]]: !llvm.ptr, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64,
// CHECK-SAME:     %{{[a-z0-9]+}}: !llvm.ptr, %[[YA:[a-z0-9]+]]: !llvm.ptr, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64,
// CHECK-SAME:     %{{[a-z0-9]+}}: !llvm.ptr, %[[OA:[a-z0-9]+]]: !llvm.ptr, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64)
// The scf.for becomes a branch loop.
// CHECK:         llvm.br ^[[HEAD:.*]](%{{.*}} : i64)
// CHECK:       ^[[HEAD]](%[[IV:.*]]: i64):
// CHECK-NEXT:    %[[C:.*]] = llvm.icmp "slt" %[[IV]], %{{.*}} : i64
// CHECK-NEXT:    llvm.cond_br %[[C]], ^[[BODY:.*]], ^[[EXIT:.*]]
// CHECK:       ^[[BODY]]:
// CHECK:         %[[PX:.*]] = llvm.getelementptr {{.*}}%[[XA]][%[[IV]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT:    %[[X:.*]] = llvm.load %[[PX]] : !llvm.ptr -> f32
// CHECK:         %[[PY:.*]] = llvm.getelementptr {{.*}}%[[YA]][%[[IV]]] : (!llvm.ptr, i64) -> !llvm.ptr, f64
// CHECK-NEXT:    %[[Y:.*]] = llvm.load %[[PY]] : !llvm.ptr -> f64
// CHECK-NOT:     llvm.call @log1pf
// CHECK:         llvm.intr.fma
// CHECK:         %[[LD:.*]] = llvm.call @log1p(%[[Y]]) : (f64) -> f64
// f32 tanh is a polynomial too: no llvm.intr.tanh.
// CHECK:         llvm.intr.roundeven
// CHECK:         llvm.intr.pow
// CHECK:         llvm.intr.exp
// CHECK:         llvm.intr.fabs
// CHECK:         llvm.fptosi
// CHECK:         llvm.getelementptr {{.*}}%[[OA]]
// CHECK:         llvm.store
// CHECK:         llvm.br ^[[HEAD]]
// CHECK:       ^[[EXIT]]:
// CHECK-NEXT:    llvm.return
func.func @kernel(%x: memref<4xf32>, %y: memref<4xf64>, %out: memref<4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %a = memref.load %x[%i] : memref<4xf32>
    %b = memref.load %y[%i] : memref<4xf64>
    %l = math.log1p %a : f32
    %ld = math.log1p %b : f64
    %t = math.tanh %l : f32
    %r = math.roundeven %t : f32
    %p = math.powf %ld, %ld : f64
    %e = math.exp %p : f64
    %f = arith.truncf %e : f64 to f32
    %s = arith.addf %r, %f : f32
    %abs = math.absf %s : f32
    %n = arith.fptosi %abs : f32 to i32
    memref.store %n, %out[%i] : memref<4xi32>
  }
  return
}

// memref.alloc/dealloc call the runtime's caching allocator (runtime/Allocator.cpp).
// CHECK-LABEL: llvm.func @caller
// CHECK:         %[[P:.*]] = llvm.call @_mlir_memref_to_llvm_alloc(%{{.*}}) : (i64) -> !llvm.ptr
// CHECK:         llvm.call @kernel({{.*}}, %[[P]], %[[P]], {{.*}})
// CHECK-NEXT:    llvm.call @_mlir_memref_to_llvm_free(%[[P]]) : (!llvm.ptr) -> ()
func.func @caller(%x: memref<4xf32>, %y: memref<4xf64>) {
  %a = memref.alloc() : memref<4xi32>
  call @kernel(%x, %y, %a) : (memref<4xf32>, memref<4xf64>, memref<4xi32>) -> ()
  memref.dealloc %a : memref<4xi32>
  return
}
