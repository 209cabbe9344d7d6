// REQUIRES: ptxas, libdevice
// The whole GPU pipeline: kernels to NVVM and PTX (a gpu.binary per kernel,
// math from libdevice), the host code to the LLVM dialect. Every kernel is
// assembled by CUDA's ptxas for the architecture it was built for; a kernel
// ptxas rejects fails the test.
// RUN: theon-opt %S/gpu-kernels.mlir --theon-gpu-pipeline | FileCheck %s --check-prefix=HOST
// RUN: theon-opt %S/gpu-kernels.mlir --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=SM90
// RUN: theon-opt %S/gpu-kernels.mlir --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=SM80
// Each input is assembled for sm_90 and, compiled with chip=sm_80, for
// sm_80.
// The seed's training step (relu layer, softmax, cost, four gradients,
// Adagrad updates): 22 kernels after fusion, its four products on cuBLAS.
// RUN: theon-opt %S/seed-train-fusion.mlir --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=SEED
// RUN: theon-opt %S/seed-train-fusion.mlir --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=SEED80
// The ops of the conversion tests (elementwise, reductions, products,
// shapes, joins, slices, random draws, take, scatter_add, cumulative sums,
// convolution and pooling, scans)
// and of the end-to-end pipeline tests.
// RUN: theon-opt %S/../Conversion/theon-to-linalg/unary.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Conversion/theon-to-linalg/unary.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/../Conversion/theon-to-linalg/binary.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Conversion/theon-to-linalg/binary.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/../Conversion/theon-to-linalg/reduce.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Conversion/theon-to-linalg/reduce.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/../Conversion/theon-to-linalg/dot.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Conversion/theon-to-linalg/dot.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/../Conversion/theon-to-linalg/shape.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Conversion/theon-to-linalg/shape.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/../Conversion/theon-to-linalg/concatenate.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Conversion/theon-to-linalg/concatenate.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/../Conversion/theon-to-linalg/subtensor.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Conversion/theon-to-linalg/subtensor.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/../Conversion/theon-to-linalg/random.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Conversion/theon-to-linalg/random.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/../Conversion/theon-to-linalg/indexing.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefixes=OPS,INDEX
// RUN: theon-opt %S/../Conversion/theon-to-linalg/indexing.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefixes=OPS80,INDEX
// RUN: theon-opt %S/../Conversion/theon-to-linalg/convolution.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Conversion/theon-to-linalg/convolution.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/../Transforms/scan-to-loops.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/../Transforms/scan-to-loops.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/composite.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/composite.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/unary-numerics.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/unary-numerics.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80
// RUN: theon-opt %S/reduce.mlir --split-input-file --theon-gpu-pipeline | %ptx --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=OPS
// RUN: theon-opt %S/reduce.mlir --split-input-file --theon-gpu-pipeline=chip=sm_80 | %ptx --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=OPS80

// HOST-NOT: memref.
// HOST: llvm.func @_mlir_ciface_theon_gpu_gemm_f32(
// HOST: llvm.func @layer(
// HOST: gpu.launch_func <%{{.*}} : !llvm.ptr> @layer_kernel::@layer_kernel
// HOST: gpu.binary @layer_kernel  [#gpu.object<#nvvm.target<chip = "sm_90"
// HOST-NOT: memref.

// SM90: .target sm_90
// SM90: .visible .entry layer_kernel(
// The trees: warp shuffles, then the warps' results through shared memory.
// SM90: .visible .entry softmax_rows_kernel
// SM90: .shared .align 4 .b8 __wg_softmax_rows_kernel
// SM90: shfl.sync.bfly.b32
// SM90: bar.sync
// SM90: .visible .entry mean_all_kernel
// SM90: .shared .align 8 .b8 __wg_mean_all_kernel
// SM90: ptx.py: 24 kernels, assembled for sm_90
// SM80: .target sm_80
// SM80: ptx.py: 24 kernels, assembled for sm_80

// SEED: ptx.py: 21 kernels, assembled for sm_90
// SEED80: ptx.py: 21 kernels, assembled for sm_80

// A computed index out of range is recorded by compare-and-swap.
// INDEX: atom.{{.*}}global.cas.b64
// OPS: ptx.py: {{[0-9]+}} kernels{{(, assembled for sm_90)?$}}
// OPS80: ptx.py: {{[0-9]+}} kernels{{(, assembled for sm_80)?$}}
