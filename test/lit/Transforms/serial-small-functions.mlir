// RUN: theon-opt %s --theon-serial-small-functions=min-threaded-work=1000 --split-input-file | FileCheck %s

// Work in loop points: a linalg op's iteration space, and a product's
// multiply-adds / 32. 10x10 points and 8x8x8 multiply-adds (16 points) are
// below 1000: serial.
// CHECK-LABEL: func.func @small
// CHECK-SAME: attributes {theon.serial}
func.func private @theon_gemm_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32)
func.func @small(%x: memref<10x10xf32>, %a: memref<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %no = arith.constant 0 : i32
  linalg.fill ins(%zero : f32) outs(%x : memref<10x10xf32>)
  %m = memref.cast %a : memref<8x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
  func.call @theon_gemm_f32(%m, %m, %m, %no, %no, %zero) : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32) -> ()
  return
}

// -----

// The same fill inside a loop of 10 steps (a scan's) is 1000 points:
// threads.
// CHECK-LABEL: func.func @in_a_loop
// CHECK-NOT: theon.serial
func.func @in_a_loop(%x: memref<10x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  scf.for %i = %c0 to %c10 step %c1 {
    linalg.fill ins(%zero : f32) outs(%x : memref<10x10xf32>)
  }
  return
}

// -----

// A product of 16x16x128 multiply-adds is 1024 points: threads.
// CHECK-LABEL: func.func @product
// CHECK-NOT: theon.serial
func.func private @theon_gemm_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32)
func.func @product(%a: memref<128x16xf32>, %c: memref<16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %yes = arith.constant 1 : i32
  %no = arith.constant 0 : i32
  %ma = memref.cast %a : memref<128x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
  %mc = memref.cast %c : memref<16x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
  func.call @theon_gemm_f32(%ma, %ma, %mc, %yes, %no, %zero) : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32) -> ()
  return
}

// -----

// Unknown extents count as enough work.
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: theon.serial
func.func @dynamic(%x: memref<?x10xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%x : memref<?x10xf32>)
  return
}

// -----

// A parallel loop already there (a convolution's images) was chosen for its
// own work: the function is left alone.
// CHECK-LABEL: func.func @images
// CHECK-NOT: theon.serial
func.func @images(%x: memref<4x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%n) = (%c0) to (%c4) step (%c1) {
    %row = memref.subview %x[%n, 0] [1, 10] [1, 1] : memref<4x10xf32> to memref<10xf32, strided<[1], offset: ?>>
    linalg.fill ins(%zero : f32) outs(%row : memref<10xf32, strided<[1], offset: ?>>)
    scf.reduce
  }
  return
}
