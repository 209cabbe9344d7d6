// RUN: theon-opt %s --theon-to-linalg-pipeline --theon-linalg-to-loops-pipeline=target=gpu | FileCheck %s
// RUN: theon-opt %s --theon-to-linalg-pipeline --theon-linalg-to-loops-pipeline="target=gpu blas=false" | FileCheck %s --check-prefix=NOBLAS

// The GPU pipeline's kernel stage: every loop nest is one gpu.launch_func of
// 256-thread blocks over device memory, outlined into its own gpu.module;
// launches, allocations and copies are ordered on one stream (async tokens).

// A fused elementwise chain is one kernel, 2-d: rows on blocks, 256 columns
// per block on threads. The column sum is two: its init, then one block of
// 128 threads per column (500 outputs, 128 rows deep: a tree across the
// rows), not one launch per row.
// CHECK-LABEL: func.func @layer(
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch_func async [%{{.*}}] @layer_kernel::@layer_kernel blocks in (%c128, %c2, %c1) threads in (%c1, %c256, %c1)
// CHECK: gpu.launch_func async [%{{.*}}] @layer_kernel_0::@layer_kernel blocks in (%c2, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK: gpu.launch_func async [%{{.*}}] @layer_kernel_1::@layer_kernel blocks in (%c500, %c1, %c1) threads in (%c128, %c1, %c1)
// CHECK-NOT: gpu.launch_func
// CHECK: return
func.func @layer(%x: tensor<128x500xf32>, %b: tensor<500xf32>) -> (tensor<128x500xf32>, tensor<500xf32>) {
  %0 = theon.add %x, %b : tensor<128x500xf32>, tensor<500xf32> -> tensor<128x500xf32>
  %1 = theon.exp %0 : tensor<128x500xf32>
  %2 = theon.sum %1 axes = [0] : tensor<128x500xf32> -> tensor<500xf32>
  return %1, %2 : tensor<128x500xf32>, tensor<500xf32>
}

// A short reduction to a scalar is serial code: it runs in one
// single-thread kernel instead of on the host (which cannot read device
// memory).
// CHECK-LABEL: func.func @total(
// CHECK: gpu.launch_func async [%{{.*}}] @total_kernel::@total_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%arg1 : memref<f64>, %arg0 : memref<7xf64>)
// CHECK: gpu.func @total_kernel(%{{.*}}: memref<f64>, %{{.*}}: memref<7xf64>) kernel
// CHECK: scf.for
func.func @total(%x: tensor<7xf64>) -> tensor<f64> {
  %0 = theon.max %x axes = [0] : tensor<7xf64> -> tensor<f64>
  return %0 : tensor<f64>
}

// A random draw fuses into its consumer; the key and counter are read
// inside the kernel, not by the host.
// CHECK-LABEL: func.func @noise(
// CHECK-NOT: memref.load
// CHECK: gpu.launch_func async [%{{.*}}] @noise_kernel::@noise_kernel blocks in (%c4, %c1, %c1) threads in (%c256, %c1, %c1) args(%arg0 : memref<2xi64>, %c256 : index, %arg1 : memref<1000xf32>, %arg2 : memref<1000xf32>)
// CHECK-NOT: gpu.launch_func
// CHECK: gpu.func @noise_kernel(
// CHECK: memref.load %{{.*}} : memref<2xi64>
// CHECK: arith.mului_extended
// CHECK: arith.mulf
func.func @noise(%state: tensor<2xi64>, %x: tensor<1000xf32>) -> tensor<1000xf32> {
  %u = theon.random uniform %state : tensor<2xi64> -> tensor<1000xf32>
  %y = theon.mul %x, %u : tensor<1000xf32>, tensor<1000xf32> -> tensor<1000xf32>
  return %y : tensor<1000xf32>
}

// Temporaries are device allocations; constants are copied to the device.
// CHECK-LABEL: func.func @temporaries(
// CHECK: gpu.alloc async [%{{.*}}] () : memref<3xf32>
// CHECK: gpu.memcpy async
// CHECK: gpu.dealloc async
func.func @temporaries(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %c = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %s = theon.sum %x axes = [0] : tensor<4x3xf32> -> tensor<3xf32>
  %t = theon.mul %s, %c : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %y = theon.add %x, %t : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
  %z = theon.tanh %y : tensor<4x3xf32>
  return %z : tensor<4x3xf32>
}

// Long reductions into few outputs are trees: a block per output whose
// threads stride over the reduced axis, then gpu.all_reduce. A softmax over
// 16 rows of 4096: the max and the sum are each 16 blocks of 256 threads.
// CHECK-LABEL: func.func @softmax_rows(
// CHECK: gpu.launch_func async [%{{.*}}] @softmax_rows_kernel_{{[0-9]+}}::@softmax_rows_kernel blocks in (%c16, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK: gpu.launch_func async [%{{.*}}] @softmax_rows_kernel_{{[0-9]+}}::@softmax_rows_kernel blocks in (%c16, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK: gpu.all_reduce maximumf
// CHECK: gpu.all_reduce add
func.func @softmax_rows(%x: tensor<16x4096xf32>) -> tensor<16x4096xf32> {
  %m = theon.max %x axes = [1] keepdims : tensor<16x4096xf32> -> tensor<16x1xf32>
  %d = theon.sub %x, %m : tensor<16x4096xf32>, tensor<16x1xf32> -> tensor<16x4096xf32>
  %e = theon.exp %d : tensor<16x4096xf32>
  %s = theon.sum %e axes = [1] keepdims : tensor<16x4096xf32> -> tensor<16x1xf32>
  %y = theon.div %e, %s : tensor<16x4096xf32>, tensor<16x1xf32> -> tensor<16x4096xf32>
  return %y : tensor<16x4096xf32>
}

// A mean of 100000 doubles: 13 blocks of 256 threads, then one block
// combining their totals, not one thread; the partials on the device.
// CHECK-LABEL: func.func @mean_all(
// CHECK: gpu.alloc async [%{{.*}}] () : memref<13xf64>
// CHECK: gpu.launch_func async [%{{.*}}] @mean_all_kernel_{{[0-9]+}}::@mean_all_kernel blocks in (%c13, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK: gpu.launch_func async [%{{.*}}] @mean_all_kernel_{{[0-9]+}}::@mean_all_kernel blocks in (%c1, %c1, %c1) threads in (%c32, %c1, %c1)
// CHECK: gpu.all_reduce add
func.func @mean_all(%x: tensor<100000xf64>) -> tensor<f64> {
  %0 = theon.mean %x axes = [0] : tensor<100000xf64> -> tensor<f64>
  return %0 : tensor<f64>
}

// A product is a cuBLAS call on device buffers, after the stream's work
// before it (the exp: gpu-async-region waits before a host call), with no
// zero fill (beta = 0). Without cuBLAS (blas=false), a small batch (4x100 outputs,
// 784 deep) is a block per output. Many short rows (10000 sums of 64): a
// thread per row.
// CHECK-LABEL: func.func @small_batch(
// CHECK: gpu.launch_func async
// CHECK: gpu.wait [
// CHECK-NEXT: call @theon_gpu_gemm_f32(
// CHECK-NOT: gpu.launch_func
// CHECK: return
// NOBLAS-LABEL: func.func @small_batch(
// NOBLAS: blocks in (%c400, %c1, %c1) threads in (%c256, %c1, %c1)
// NOBLAS: gpu.all_reduce add
// CHECK-LABEL: func.func @many_rows(
// CHECK: gpu.launch_func async [%{{.*}}] @many_rows_kernel_{{[0-9]+}}::@many_rows_kernel blocks in (%c40, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK-NOT: gpu.all_reduce
// CHECK: return
func.func @small_batch(%x: tensor<4x784xf32>, %b: tensor<784x100xf32>) -> tensor<4x100xf32> {
  %a = theon.exp %x : tensor<4x784xf32>
  %0 = theon.dot %a, %b : tensor<4x784xf32>, tensor<784x100xf32> -> tensor<4x100xf32>
  return %0 : tensor<4x100xf32>
}
func.func @many_rows(%x: tensor<10000x64xf32>) -> tensor<10000xf32> {
  %0 = theon.sum %x axes = [1] : tensor<10000x64xf32> -> tensor<10000xf32>
  return %0 : tensor<10000xf32>
}

// scatter_add: a thread per element of the update (rows and 256-column
// tiles on blocks), each added atomically into the row its index names;
// not a one-thread loop.
// CHECK-LABEL: func.func @scatter(
// CHECK: gpu.launch_func async [%{{.*}}] @scatter_kernel::@scatter_kernel blocks in (%c6, %c2, %c1) threads in (%c1, %c256, %c1)
// CHECK: gpu.func @scatter_kernel(
// CHECK: memref.atomic_rmw addf
func.func @scatter(%x: tensor<5x300xf32>, %i: tensor<6xi64>, %u: tensor<6x300xf32>) -> tensor<5x300xf32> {
  %s = theon.scatter_add %x[%i], %u : tensor<5x300xf32>, tensor<6xi64>, tensor<6x300xf32> -> tensor<5x300xf32>
  return %s : tensor<5x300xf32>
}

// cumsum along the long axis: a thread per line (64 of them), each running
// its loop along the 1000 columns; not the whole loop on one thread.
// CHECK-LABEL: func.func @running(
// CHECK: gpu.launch_func async [%{{.*}}] @running_kernel_{{[0-9]+}}::@running_kernel blocks in (%c1, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK: gpu.func @running_kernel(
// CHECK: scf.for %{{.*}} = %c1 to %c1000 step %c1
func.func @running(%x: tensor<64x1000xf32>) -> tensor<64x1000xf32> {
  %c = theon.cumsum %x axis = 1 : tensor<64x1000xf32>
  return %c : tensor<64x1000xf32>
}
