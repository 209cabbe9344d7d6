// The GPU runtime functions (runtime/cuda/GpuRuntime.cpp), with the
// signatures MLIR 22's gpu-to-llvm calls them by, for C++ callers: Theon's
// own copies for device=cuda, and the tests.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {
void *mgpuModuleLoad(void *data, std::size_t size);
void *mgpuModuleLoadJIT(void *data, std::int32_t optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, std::intptr_t gridX, std::intptr_t gridY,
                      std::intptr_t gridZ, std::intptr_t blockX, std::intptr_t blockY,
                      std::intptr_t blockZ, std::int32_t sharedBytes, void *stream, void **params,
                      void **extra, std::size_t paramsCount);
void *mgpuStreamCreate();
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate();
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(std::uint64_t bytes, void *stream, bool hostShared);
void mgpuMemFree(void *pointer, void *stream);
void mgpuMemcpy(void *dst, void *src, std::size_t bytes, void *stream);
void mgpuMemset32(void *dst, std::uint32_t value, std::size_t count, void *stream);
}
