// RUN: theon-opt %s --theon-serial-blas --split-input-file | FileCheck %s

// A function with a parallel loop that calls the products: OpenBLAS runs
// one thread per calling thread from its start to each of its returns.
// CHECK-LABEL: func.func private @theon_blas_serial_end()
// CHECK-LABEL: func.func private @theon_blas_serial_begin()
// CHECK-LABEL: func.func @images
// CHECK-NEXT: call @theon_blas_serial_begin()
// CHECK: scf.parallel
// CHECK:   func.call @theon_gemm_f32
// CHECK: call @theon_blas_serial_end()
// CHECK-NEXT: return
func.func private @theon_gemm_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32)
func.func @images(%a: memref<?x?xf32, strided<[?, ?], offset: ?>>, %c: memref<?x?xf32, strided<[?, ?], offset: ?>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %f = arith.constant 0 : i32
  %beta = arith.constant 0.0 : f32
  scf.parallel (%n) = (%c0) to (%c4) step (%c1) {
    func.call @theon_gemm_f32(%a, %a, %c, %f, %f, %beta) : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32) -> ()
    scf.reduce
  }
  return
}

// -----

// Products outside parallel loops, and parallel loops without products,
// keep OpenBLAS's threads: nothing is inserted.
// CHECK-LABEL: func.func @serial_product
// CHECK-NOT: call @theon_blas_serial
func.func private @theon_gemm_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32)
func.func @serial_product(%a: memref<?x?xf32, strided<[?, ?], offset: ?>>, %c: memref<?x?xf32, strided<[?, ?], offset: ?>>, %m: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %f = arith.constant 0 : i32
  %beta = arith.constant 0.0 : f32
  func.call @theon_gemm_f32(%a, %a, %c, %f, %f, %beta) : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32) -> ()
  scf.parallel (%n) = (%c0) to (%c4) step (%c1) {
    memref.store %beta, %m[%n] : memref<4xf32>
    scf.reduce
  }
  return
}

// -----

// A function marked serial (theon-serial-small-functions) runs its products
// on one BLAS thread too, loop or not.
// CHECK-LABEL: func.func @small_function
// CHECK-NEXT: call @theon_blas_serial_begin()
// CHECK-NEXT: call @theon_gemm_f32
// CHECK-NEXT: call @theon_blas_serial_end()
// CHECK-NEXT: return
func.func private @theon_gemm_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32)
func.func @small_function(%a: memref<?x?xf32, strided<[?, ?], offset: ?>>, %c: memref<?x?xf32, strided<[?, ?], offset: ?>>, %f: i32, %beta: f32) attributes {theon.serial} {
  func.call @theon_gemm_f32(%a, %a, %c, %f, %f, %beta) : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32) -> ()
  return
}
