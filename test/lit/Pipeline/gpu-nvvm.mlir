// The NVVM stage of the GPU pipeline, as the LLVM stage runs it on each
// kernel module before gpu-module-to-binary: the target attached, block and
// thread ids read from PTX special registers, math through libdevice.
// RUN: theon-opt %S/gpu-kernels.mlir --theon-to-linalg-pipeline --theon-linalg-to-loops-pipeline=target=gpu \
// RUN:   | theon-opt --pass-pipeline="builtin.module(nvvm-attach-target{chip=sm_90},gpu.module(convert-scf-to-cf,convert-gpu-to-nvvm,convert-math-to-llvm,reconcile-unrealized-casts))" \
// RUN:   | FileCheck %s

// CHECK: gpu.module @layer_kernel [#nvvm.target<chip = "sm_90">]
// CHECK: llvm.func @__nv_expf(f32) -> f32
// CHECK: llvm.func @layer_kernel(
// CHECK-SAME: nvvm.kernel
// CHECK-DAG: nvvm.read.ptx.sreg.ctaid.x
// CHECK-DAG: nvvm.read.ptx.sreg.ctaid.y
// CHECK-DAG: nvvm.read.ptx.sreg.tid.y
// CHECK: llvm.call @__nv_expf(
// CHECK-NOT: gpu.thread_id
