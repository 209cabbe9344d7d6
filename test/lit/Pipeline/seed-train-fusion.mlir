// The seed program's training function, as theon::function emits it for
// 64 features, 100 hidden units, 10 classes and batches of 32: relu layer,
// softmax written out, cost mean(-log(diag(Yhat.T[Y]))), one theon.grad per
// parameter, Adagrad updates of 4 parameters and 4 accumulators, each
// marked to be written into its own argument.
//
// After theon-to-linalg-pipeline (stabilize, autodiff, conversion, fusion)
// the loop nests left are counted: a change in fusion or in the rewrites
// shows up here. The five products are gemm calls after bufferization.
// RUN: theon-opt %s --theon-to-linalg-pipeline | FileCheck %s --check-prefix=LINALG
// RUN: theon-opt %s --theon-to-linalg-pipeline | grep -c "= linalg.generic" | FileCheck %s --check-prefix=GENERICS
// RUN: theon-opt %s --theon-cpu-pipeline | grep -c "llvm.call @theon_gemm_f32" | FileCheck %s --check-prefix=GEMMS
// RUN: theon-opt %s --theon-to-linalg-pipeline --theon-linalg-to-loops-pipeline | FileCheck %s --check-prefix=LOOPS

// LINALG-NOT: = theon.
// No batch-by-batch matrix: diag(Yhat.T[Y]) became a per-row gather.
// LINALG-NOT: tensor<32x32xf32>
// The cost's log is a log-softmax: one log, of the 32 row sums, none of the
// 32x10 probabilities.
// LINALG-COUNT-1: math.log
// LINALG-NOT: math.log
// GENERICS: {{^}}18{{$}}
// GEMMS: {{^}}5{{$}}

// All eight updates are written in place: the only out-param left is the
// cost, and no argument is filled by a copy.
// LOOPS: func.func @train(%arg0: memref<32x64xf32>, %arg1: memref<32xi32>, %arg2: memref<64x100xf32>, %arg3: memref<100xf32>, %arg4: memref<100x10xf32>, %arg5: memref<10xf32>, %arg6: memref<64x100xf32>, %arg7: memref<100xf32>, %arg8: memref<100x10xf32>, %arg9: memref<10xf32>, %arg10: memref<f32>) attributes {theon.serial} {
// LOOPS-NOT: memref.copy %{{.*}}, %arg{{[2-9]}} :
// LOOPS: return

module {
  func.func @train(%arg0: tensor<32x64xf32>, %arg1: tensor<32xi32>, %arg2: tensor<64x100xf32> {theon.update_result = 2 : i64}, %arg3: tensor<100xf32> {theon.update_result = 4 : i64}, %arg4: tensor<100x10xf32> {theon.update_result = 6 : i64}, %arg5: tensor<10xf32> {theon.update_result = 8 : i64}, %arg6: tensor<64x100xf32> {theon.update_result = 1 : i64}, %arg7: tensor<100xf32> {theon.update_result = 3 : i64}, %arg8: tensor<100x10xf32> {theon.update_result = 5 : i64}, %arg9: tensor<10xf32> {theon.update_result = 7 : i64}) -> (tensor<f32>, tensor<64x100xf32>, tensor<64x100xf32>, tensor<100xf32>, tensor<100xf32>, tensor<100x10xf32>, tensor<100x10xf32>, tensor<10xf32>, tensor<10xf32>) {
    %0 = theon.dot %arg0, %arg2 : tensor<32x64xf32>, tensor<64x100xf32> -> tensor<32x100xf32>
    %1 = theon.add %0, %arg3 : tensor<32x100xf32>, tensor<100xf32> -> tensor<32x100xf32>
    %cst = arith.constant dense<0.000000e+00> : tensor<f32>
    %2 = theon.maximum %1, %cst : tensor<32x100xf32>, tensor<f32> -> tensor<32x100xf32>
    %3 = theon.dot %2, %arg4 : tensor<32x100xf32>, tensor<100x10xf32> -> tensor<32x10xf32>
    %4 = theon.add %3, %arg5 : tensor<32x10xf32>, tensor<10xf32> -> tensor<32x10xf32>
    %5 = theon.max %4 axes = [1] : tensor<32x10xf32> -> tensor<32xf32>
    %6 = theon.dimshuffle %5 [0, x] : tensor<32xf32> -> tensor<32x1xf32>
    %7 = theon.sub %4, %6 : tensor<32x10xf32>, tensor<32x1xf32> -> tensor<32x10xf32>
    %8 = theon.exp %7 : tensor<32x10xf32>
    %9 = theon.sum %8 axes = [1] : tensor<32x10xf32> -> tensor<32xf32>
    %10 = theon.dimshuffle %9 [0, x] : tensor<32xf32> -> tensor<32x1xf32>
    %11 = theon.div %8, %10 : tensor<32x10xf32>, tensor<32x1xf32> -> tensor<32x10xf32>
    %12 = theon.dimshuffle %11 [1, 0] : tensor<32x10xf32> -> tensor<10x32xf32>
    %13 = theon.take %12[%arg1] : tensor<10x32xf32>, tensor<32xi32> -> tensor<32x32xf32>
    %14 = theon.extract_diag %13 : tensor<32x32xf32> -> tensor<32xf32>
    %15 = theon.log %14 : tensor<32xf32>
    %16 = theon.neg %15 : tensor<32xf32>
    %17 = theon.mean %16 axes = [0] : tensor<32xf32> -> tensor<f32>
    %18 = theon.grad %17 wrt %arg2 : tensor<f32>, tensor<64x100xf32>
    %19 = theon.mul %18, %18 : tensor<64x100xf32>, tensor<64x100xf32> -> tensor<64x100xf32>
    %20 = theon.add %arg6, %19 : tensor<64x100xf32>, tensor<64x100xf32> -> tensor<64x100xf32>
    %cst_0 = arith.constant dense<1.000000e-01> : tensor<f32>
    %21 = theon.mul %cst_0, %18 : tensor<f32>, tensor<64x100xf32> -> tensor<64x100xf32>
    %cst_1 = arith.constant dense<9.99999997E-7> : tensor<f32>
    %22 = theon.add %20, %cst_1 : tensor<64x100xf32>, tensor<f32> -> tensor<64x100xf32>
    %23 = theon.sqrt %22 : tensor<64x100xf32>
    %24 = theon.div %21, %23 : tensor<64x100xf32>, tensor<64x100xf32> -> tensor<64x100xf32>
    %25 = theon.sub %arg2, %24 : tensor<64x100xf32>, tensor<64x100xf32> -> tensor<64x100xf32>
    %26 = theon.grad %17 wrt %arg3 : tensor<f32>, tensor<100xf32>
    %27 = theon.mul %26, %26 : tensor<100xf32>, tensor<100xf32> -> tensor<100xf32>
    %28 = theon.add %arg7, %27 : tensor<100xf32>, tensor<100xf32> -> tensor<100xf32>
    %cst_2 = arith.constant dense<1.000000e-01> : tensor<f32>
    %29 = theon.mul %cst_2, %26 : tensor<f32>, tensor<100xf32> -> tensor<100xf32>
    %cst_3 = arith.constant dense<9.99999997E-7> : tensor<f32>
    %30 = theon.add %28, %cst_3 : tensor<100xf32>, tensor<f32> -> tensor<100xf32>
    %31 = theon.sqrt %30 : tensor<100xf32>
    %32 = theon.div %29, %31 : tensor<100xf32>, tensor<100xf32> -> tensor<100xf32>
    %33 = theon.sub %arg3, %32 : tensor<100xf32>, tensor<100xf32> -> tensor<100xf32>
    %34 = theon.grad %17 wrt %arg4 : tensor<f32>, tensor<100x10xf32>
    %35 = theon.mul %34, %34 : tensor<100x10xf32>, tensor<100x10xf32> -> tensor<100x10xf32>
    %36 = theon.add %arg8, %35 : tensor<100x10xf32>, tensor<100x10xf32> -> tensor<100x10xf32>
    %cst_4 = arith.constant dense<1.000000e-01> : tensor<f32>
    %37 = theon.mul %cst_4, %34 : tensor<f32>, tensor<100x10xf32> -> tensor<100x10xf32>
    %cst_5 = arith.constant dense<9.99999997E-7> : tensor<f32>
    %38 = theon.add %36, %cst_5 : tensor<100x10xf32>, tensor<f32> -> tensor<100x10xf32>
    %39 = theon.sqrt %38 : tensor<100x10xf32>
    %40 = theon.div %37, %39 : tensor<100x10xf32>, tensor<100x10xf32> -> tensor<100x10xf32>
    %41 = theon.sub %arg4, %40 : tensor<100x10xf32>, tensor<100x10xf32> -> tensor<100x10xf32>
    %42 = theon.grad %17 wrt %arg5 : tensor<f32>, tensor<10xf32>
    %43 = theon.mul %42, %42 : tensor<10xf32>, tensor<10xf32> -> tensor<10xf32>
    %44 = theon.add %arg9, %43 : tensor<10xf32>, tensor<10xf32> -> tensor<10xf32>
    %cst_6 = arith.constant dense<1.000000e-01> : tensor<f32>
    %45 = theon.mul %cst_6, %42 : tensor<f32>, tensor<10xf32> -> tensor<10xf32>
    %cst_7 = arith.constant dense<9.99999997E-7> : tensor<f32>
    %46 = theon.add %44, %cst_7 : tensor<10xf32>, tensor<f32> -> tensor<10xf32>
    %47 = theon.sqrt %46 : tensor<10xf32>
    %48 = theon.div %45, %47 : tensor<10xf32>, tensor<10xf32> -> tensor<10xf32>
    %49 = theon.sub %arg5, %48 : tensor<10xf32>, tensor<10xf32> -> tensor<10xf32>
    return %17, %20, %25, %28, %33, %36, %41, %44, %49 : tensor<f32>, tensor<64x100xf32>, tensor<64x100xf32>, tensor<100xf32>, tensor<100xf32>, tensor<100x10xf32>, tensor<100x10xf32>, tensor<10xf32>, tensor<10xf32>
  }
}
