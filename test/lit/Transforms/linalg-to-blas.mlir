// RUN: theon-opt %s --theon-linalg-to-blas --cse --split-input-file | FileCheck %s
// RUN: theon-opt %s --theon-linalg-to-blas=gpu=1 --cse --split-input-file | FileCheck %s --check-prefix=GPU

// With gpu, the calls are the GPU runtime's (cuBLAS), with the same
// arguments and the same beta = 0 for a zero-filled output.
// GPU: func.func private @theon_gpu_gemm_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32) attributes {llvm.emit_c_interface}
// GPU-LABEL: func.func @plain
// GPU-NOT: linalg.fill
// GPU: call @theon_gpu_gemm_f32(
// GPU-LABEL: func.func @transposed
// GPU: call @theon_gpu_gemm_f64(

// A float matmul on memrefs becomes a gemm call; the zero fill of its output
// becomes beta = 0.
// CHECK: func.func private @theon_gemm_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i32, i32, f32) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @plain
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[BETA:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[NO:.*]] = arith.constant 0 : i32
// CHECK: %[[A:.*]] = memref.cast %arg0
// CHECK: %[[B:.*]] = memref.cast %arg1
// CHECK: %[[C:.*]] = memref.cast %arg2
// CHECK: call @theon_gemm_f32(%[[A]], %[[B]], %[[C]], %[[NO]], %[[NO]], %[[BETA]])
// CHECK-NOT: linalg.matmul
func.func @plain(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %c: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x5xf32>)
  linalg.matmul ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>)
  return
}

// -----

// Transposed operands (through indexing maps) become transpose flags;
// accumulating into C keeps beta = 1.
// CHECK-LABEL: func.func @transposed
// CHECK-DAG: %[[BETA:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-DAG: %[[YES:.*]] = arith.constant 1 : i32
// CHECK: call @theon_gemm_f64(%{{.*}}, %{{.*}}, %{{.*}}, %[[YES]], %[[YES]], %[[BETA]])
func.func @transposed(%a: memref<3x4xf64>, %b: memref<5x3xf64>, %c: memref<4x5xf64>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                                 affine_map<(m, n, k) -> (n, k)>,
                                 affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : memref<3x4xf64>, memref<5x3xf64>) outs(%c : memref<4x5xf64>)
  return
}

// -----

// A copy into C of a zero-filled buffer (cse shared one zero tensor between
// products and bufferization copied it) is beta = 0 too; the shared buffer
// is written later, after the product, which does not matter.
// CHECK-LABEL: func.func @copied_zeros
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[Z:.*]] = memref.alloca
// CHECK-NOT: memref.copy
// CHECK: call @theon_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]])
// CHECK: linalg.matmul ins(%arg0, %arg1 : memref<4x3xi32>
// The last product writes z in place; z was zero-filled and since then only
// copied out, by the copy the first product dropped: beta = 0 as well, and
// the fill is dead.
// CHECK: call @theon_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]])
// CHECK-NOT: arith.constant 1.0
// CHECK-NOT: linalg.fill
func.func @copied_zeros(%ai: memref<4x3xi32>, %bi: memref<3x5xi32>, %a: memref<4x3xf32>, %b: memref<3x5xf32>, %c: memref<4x5xf32>, %ci: memref<4x5xi32>) {
  %zero = arith.constant 0.0 : f32
  %z = memref.alloca() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%z : memref<4x5xf32>)
  memref.copy %z, %c : memref<4x5xf32> to memref<4x5xf32>
  linalg.matmul ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>)
  linalg.matmul ins(%ai, %bi : memref<4x3xi32>, memref<3x5xi32>) outs(%ci : memref<4x5xi32>)
  linalg.matmul ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%z : memref<4x5xf32>)
  return
}

// -----

// The fill of the product's output is not right before it (the buffers
// were packed, the fills moved up): beta = 0 still overwrites it whole, so
// the fill goes.
// CHECK-LABEL: func.func @fill_far_before
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: call @theon_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]])
// CHECK-NOT: linalg.fill
func.func @fill_far_before(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %d: memref<4x5xf32>, %e: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %arena = memref.alloc() : memref<80xi8>
  %c0 = arith.constant 0 : index
  %z = memref.view %arena[%c0][] : memref<80xi8> to memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%z : memref<4x5xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%d : memref<4x5xf32>) outs(%e : memref<4x5xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.matmul ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%z : memref<4x5xf32>)
  memref.copy %z, %d : memref<4x5xf32> to memref<4x5xf32>
  memref.dealloc %arena : memref<80xi8>
  return
}

// -----

// A copy out of the zeros between the fill and the product still reads
// them: beta = 0, and the fill stays.
// CHECK-LABEL: func.func @zeros_read_before
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.fill
// CHECK: memref.copy
// CHECK: call @theon_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]])
func.func @zeros_read_before(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %d: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %z = memref.alloca() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%z : memref<4x5xf32>)
  memref.copy %z, %d : memref<4x5xf32> to memref<4x5xf32>
  linalg.matmul ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%z : memref<4x5xf32>)
  return
}

// -----

// The zero-filled buffer is written between the fill and the product: the
// product accumulates onto what is there, beta = 1.
// CHECK-LABEL: func.func @written_after_fill
// CHECK: linalg.fill
// CHECK: linalg.generic
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: call @theon_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ONE]])
func.func @written_after_fill(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %d: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %z = memref.alloca() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%z : memref<4x5xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%d : memref<4x5xf32>) outs(%z : memref<4x5xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.matmul ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%z : memref<4x5xf32>)
  return
}

// -----

// Integer products and products on tensors stay linalg.
// CHECK-LABEL: func.func @integer
// CHECK: linalg.matmul
func.func @integer(%a: memref<4x3xi32>, %b: memref<3x5xi32>, %c: memref<4x5xi32>) {
  linalg.matmul ins(%a, %b : memref<4x3xi32>, memref<3x5xi32>) outs(%c : memref<4x5xi32>)
  return
}

// -----

// A batch of products: a loop over the batch of gemm calls on views of each
// matrix (a rank-3 view, its unit batch axis collapsed).
// CHECK-LABEL: func.func @batch
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: memref.subview %arg0[%[[I]], 0, 0] [1, 2, 3] [1, 1, 1]
// CHECK: memref.collapse_shape
// CHECK: call @theon_gemm_f32
// CHECK-NOT: linalg.batch_matmul
func.func @batch(%a: memref<5x2x3xf32>, %b: memref<5x3x4xf32>, %c: memref<5x2x4xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<5x2x3xf32>, memref<5x3x4xf32>) outs(%c : memref<5x2x4xf32>)
  return
}

// -----

// A matrix whose rows are not contiguous (a strided view) has no cuBLAS
// layout: on the GPU it stays a linalg.matmul (a kernel); on the CPU the
// runtime's gemm checks strides at run time.
// CHECK-LABEL: func.func @strided_rows
// CHECK: call @theon_gemm_f32
// GPU-LABEL: func.func @strided_rows
// GPU-NOT: theon_gpu_gemm
// GPU: linalg.matmul
func.func @strided_rows(%a: memref<4x3xf32, strided<[6, 2]>>, %b: memref<3x5xf32>, %c: memref<4x5xf32>) {
  linalg.matmul ins(%a, %b : memref<4x3xf32, strided<[6, 2]>>, memref<3x5xf32>) outs(%c : memref<4x5xf32>)
  return
}
