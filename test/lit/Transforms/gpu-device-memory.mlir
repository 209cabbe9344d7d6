// RUN: theon-opt %s --split-input-file --theon-gpu-device-memory --verify-diagnostics | FileCheck %s

// Temporaries on the device, copies between device buffers, constants
// copied in, and a host read moved into the kernel that uses it.
// CHECK-LABEL: func.func @memory
// CHECK-DAG: %[[T:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-DAG: %[[G:.*]] = memref.get_global @weights
// CHECK-DAG: %[[C:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-DAG: gpu.memcpy %[[C]], %[[G]]
// CHECK: gpu.launch
// CHECK-NEXT: memref.load %arg1[%{{.*}}] : memref<2xi64>
// CHECK: gpu.memcpy %arg0, %[[T]]
// CHECK: gpu.dealloc %[[T]]
// CHECK: gpu.dealloc %[[C]]
// CHECK-NEXT: return
memref.global "private" constant @weights : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @memory(%out: memref<4xf32>, %state: memref<2xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = memref.alloc() : memref<4xf32>
  %w = memref.get_global @weights : memref<4xf32>
  %key = memref.load %state[%c0] : memref<2xi64>
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %q = %c1) {
    %k = arith.sitofp %key : i64 to f32
    %e = memref.load %w[%tx] : memref<4xf32>
    %s = arith.addf %k, %e : f32
    memref.store %s, %t[%tx] : memref<4xf32>
    gpu.terminator
  }
  memref.copy %t, %out : memref<4xf32> to memref<4xf32>
  memref.dealloc %t : memref<4xf32>
  return
}

// -----

// Inside a kernel: a copy becomes loops. The entry point gets the index
// error record as its last argument, and an index check's report becomes a
// compare-and-swap of site + 1 into the record's first word (from 0); the
// thread that swapped writes the index and the size.
// CHECK-LABEL: func.func @in_kernel(
// CHECK-SAME: %[[REC:[a-z0-9]+]]: memref<3xi64> {theon.index_errors})
// CHECK: gpu.launch
// CHECK-NOT: call @theon_index_error
// CHECK: %[[TAG:.*]] = arith.addi %[[SITE:.*]], %c1_i64
// CHECK: %[[OLD:.*]] = memref.generic_atomic_rmw %[[REC]][%c0{{.*}}] : memref<3xi64> {
// CHECK: ^bb0(%[[CUR:.*]]: i64):
// CHECK: %[[EMPTY:.*]] = arith.cmpi eq, %[[CUR]], %c0_i64
// CHECK: %[[NEW:.*]] = arith.select %[[EMPTY]], %[[TAG]], %[[CUR]]
// CHECK: memref.atomic_yield %[[NEW]]
// CHECK: %[[WON:.*]] = arith.cmpi eq, %[[OLD]], %c0_i64
// CHECK: scf.if %[[WON]] {
// CHECK: memref.store %{{.*}}, %[[REC]][%c1{{.*}}]
// CHECK: memref.store %{{.*}}, %[[REC]][%c2{{.*}}]
// CHECK-NOT: memref.copy
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.load %arg0[
// CHECK: memref.store
func.func private @theon_index_error(i64, i64, i64)
func.func @in_kernel(%a: memref<2x3xf32, strided<[4, 1]>>, %b: memref<2x3xf32>) {
  %c1 = arith.constant 1 : index
  %i = arith.constant 7 : i64
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %q = %c1) {
    func.call @theon_index_error(%i, %i, %i) : (i64, i64, i64) -> ()
    memref.copy %a, %b : memref<2x3xf32, strided<[4, 1]>> to memref<2x3xf32>
    gpu.terminator
  }
  return
}

// -----

// A function another one calls keeps its signature (no record): its
// reports are dropped; the caller, an entry point, gets the record.
// CHECK-LABEL: func.func @callee(%{{.*}}: memref<4xf32>) {
// CHECK-NOT: theon_index_error
// CHECK-NOT: generic_atomic_rmw
// CHECK-LABEL: func.func @caller(%{{.*}}: memref<4xf32>, %{{.*}}: memref<3xi64> {theon.index_errors})
// CHECK: call @callee(
func.func private @theon_index_error(i64, i64, i64)
func.func @callee(%a: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  %i = arith.constant 7 : i64
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %q = %c1) {
    func.call @theon_index_error(%i, %i, %i) : (i64, i64, i64) -> ()
    gpu.terminator
  }
  return
}
func.func @caller(%a: memref<4xf32>) {
  call @callee(%a) : (memref<4xf32>) -> ()
  return
}

// -----

func.func @host_store(%out: memref<f32>) {
  %one = arith.constant 1.0 : f32
  // expected-error @+1 {{writes device memory in host code, outside a kernel}}
  memref.store %one, %out[] : memref<f32>
  return
}

// -----

// A value the host returns is read on the host.
// CHECK-LABEL: func.func @host_use(
// CHECK: gpu.launch
// CHECK: memref.load %arg0[] : memref<f32>
// CHECK: memref.store
// CHECK: gpu.terminator
// CHECK: memref.alloca() : memref<1xf32>
// CHECK: gpu.memcpy
// CHECK: %[[V:.*]] = memref.load %alloca
// CHECK: return %[[V]]
func.func @host_use(%x: memref<f32>) -> f32 {
  %v = memref.load %x[] : memref<f32>
  return %v : f32
}

// -----

// A host load the host needs (a row index placing a view): the element is
// copied to a host buffer after the kernels before it, and read there.
// A one-thread kernel moves the element to a one-element device buffer
// (the runtime copies whole row-major buffers).
// CHECK-LABEL: func.func @row_index(
// CHECK: gpu.launch
// CHECK: %[[ONE:.*]] = gpu.alloc () : memref<1xi64>
// CHECK: gpu.launch
// CHECK: %[[E:.*]] = memref.load %arg1[%c0] : memref<2xi64>
// CHECK: memref.store %[[E]], %[[ONE]]
// CHECK: %[[HOST:.*]] = memref.alloca() : memref<1xi64>
// CHECK: gpu.memcpy %[[HOST]], %[[ONE]]
// CHECK: gpu.dealloc %[[ONE]]
// CHECK: %[[ROW:.*]] = memref.load %[[HOST]][%c0{{.*}}] : memref<1xi64>
// CHECK: arith.index_cast %[[ROW]]
// CHECK: memref.subview
func.func @row_index(%x: memref<4x3xf32>, %i: memref<2xi64>, %out: memref<1x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %seven = arith.constant 7 : i64
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %seven, %i[%c0] : memref<2xi64>
    gpu.terminator
  }
  %0 = memref.load %i[%c0] : memref<2xi64>
  %1 = arith.index_cast %0 : i64 to index
  %row = memref.subview %x[%1, 0] [1, 3] [1, 1] : memref<4x3xf32> to memref<1x3xf32, strided<[3, 1], offset: ?>>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %row[%c0, %c0] : memref<1x3xf32, strided<[3, 1], offset: ?>>
    memref.store %v, %out[%c0, %c0] : memref<1x3xf32>
    gpu.terminator
  }
  return
}
