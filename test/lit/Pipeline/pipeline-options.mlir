// The stage pipelines take TheonPipelineOptions.
// RUN: theon-opt %s --theon-pipeline -o %t.all.mlir
// RUN: theon-opt %s --theon-cpu-pipeline -o %t.cpu.mlir
// RUN: diff %t.all.mlir %t.cpu.mlir
// RUN: theon-opt %s --theon-to-linalg-pipeline | theon-opt --theon-linalg-to-loops-pipeline | FileCheck %s --check-prefix=BLAS
// RUN: theon-opt %s --theon-to-linalg-pipeline | theon-opt --theon-linalg-to-loops-pipeline="blas=false" | FileCheck %s --check-prefix=NOBLAS
// RUN: theon-opt %s --theon-to-linalg-pipeline | theon-opt --theon-linalg-to-loops-pipeline="min-parallel-work=1 min-threaded-work=0" | FileCheck %s --check-prefix=PARALLEL
// RUN: theon-opt %s --theon-to-linalg-pipeline="target=gpu" | FileCheck %s --check-prefix=GPU-LINALG
// RUN: theon-opt %s --theon-to-linalg-pipeline | theon-opt --theon-linalg-to-loops-pipeline="target=gpu gpu-block-size=128" | FileCheck %s --check-prefix=GPU
// RUN: theon-opt %s --theon-to-linalg-pipeline | theon-opt --theon-linalg-to-loops-pipeline="target=gpu blas=false" | FileCheck %s --check-prefix=GPU-NOBLAS
// RUN: not theon-opt %s --theon-pipeline="target=gpu gpu-block-size=0" 2>&1 | FileCheck %s --check-prefix=GPU-BAD
// RUN: not theon-opt %s --theon-pipeline="target=tpu" 2>&1 | FileCheck %s --check-prefix=BAD

// A function this small runs on one thread, its product on one BLAS thread.
// BLAS: func.func @product({{.*}}theon.serial
// BLAS: call @theon_blas_serial_begin()
// BLAS: call @theon_gemm_f32
// BLAS-NOT: scf.parallel
// NOBLAS-NOT: theon_gemm
// NOBLAS: scf.for
// PARALLEL-NOT: theon.serial
// PARALLEL: scf.parallel
// The first stage is target-independent.
// GPU-LINALG: linalg.matmul
// With target=gpu, blas is cuBLAS: the product is a call on device
// buffers, the exp a kernel of 128-thread blocks.
// GPU: call @theon_gpu_gemm_f32
// GPU: gpu.launch_func
// GPU-SAME: threads in (%c128, %c1, %c1)
// GPU-NOBLAS-NOT: theon_gpu_gemm
// GPU-NOBLAS: gpu.launch_func
// GPU-BAD: target=gpu: gpu-block-size must be positive
// BAD: cannot parse the options
func.func @product(%a: tensor<8x16xf32>, %b: tensor<16x4xf32>) -> tensor<8x4xf32> {
  %0 = theon.dot %a, %b : tensor<8x16xf32>, tensor<16x4xf32> -> tensor<8x4xf32>
  %1 = theon.exp %0 : tensor<8x4xf32>
  return %1 : tensor<8x4xf32>
}
