// The host side of the GPU pipeline, translated to LLVM IR: the GPU runtime
// functions it calls, with the signatures runtime/cuda implements (a change
// of this ABI in MLIR shows up here), and the global constructors that load
// each kernel's PTX through the driver's JIT.
// RUN: theon-opt %S/gpu-kernels.mlir --theon-gpu-pipeline | mlir-translate --mlir-to-llvmir | FileCheck %s
// RUN: theon-opt %S/gpu-kernels.mlir --theon-gpu-pipeline | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=DECL

// CHECK: @llvm.global_ctors = appending global [24 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 123, ptr @layer_kernel_load, ptr null }
// CHECK: define void @layer(
// CHECK: call ptr @mgpuStreamCreate()
// CHECK: call ptr @mgpuModuleGetFunction(
// CHECK: call void @mgpuLaunchKernel(ptr %{{.*}}, i64 128, i64 2, i64 1, i64 1, i64 256, i64 1, i32 0, ptr %{{.*}}, ptr %{{.*}}, ptr null, i64 {{[0-9]+}})
// CHECK: call void @mgpuStreamSynchronize(
// CHECK: call void @mgpuStreamDestroy(
// CHECK: define void @temporaries(
// CHECK: call ptr @mgpuMemAlloc(i64 12, ptr %{{.*}}, i8 0)
// CHECK: call void @mgpuMemcpy(ptr %{{.*}}, ptr @__constant_3xf32, i64 12, ptr %{{.*}})
// Frees are stream-ordered: they come before the synchronization.
// CHECK: call void @mgpuMemFree(
// CHECK: call void @mgpuStreamSynchronize(
// CHECK: define internal void @layer_kernel_load()
// CHECK: call ptr @mgpuModuleLoadJIT(ptr @layer_kernel_binary, i32 2)
// DECL-DAG: declare ptr @mgpuMemAlloc(i64, ptr, i8)
// DECL-DAG: declare ptr @mgpuModuleGetFunction(ptr, ptr)
// DECL-DAG: declare ptr @mgpuModuleLoadJIT(ptr, i32)
// DECL-DAG: declare ptr @mgpuStreamCreate()
// DECL-DAG: declare void @mgpuLaunchKernel(ptr, i64, i64, i64, i64, i64, i64, i32, ptr, ptr, ptr, i64)
// DECL-DAG: declare void @mgpuMemFree(ptr, ptr)
// DECL-DAG: declare void @mgpuMemcpy(ptr, ptr, i64, ptr)
// DECL-DAG: declare void @mgpuModuleUnload(ptr)
// DECL-DAG: declare void @mgpuStreamDestroy(ptr)
// DECL-DAG: declare void @mgpuStreamSynchronize(ptr)
