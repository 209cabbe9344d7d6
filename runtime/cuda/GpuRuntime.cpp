// The GPU runtime functions that code lowered by MLIR's gpu-to-llvm calls
// (mgpuModuleLoadJIT, mgpuLaunchKernel, mgpuMemAlloc...), on the CUDA driver
// API. Their signatures are the ones MLIR 22 emits (test/lit/Pipeline/
// gpu-host.mlir checks them). Compiled code cannot handle errors: the first
// one is recorded for takeDeviceError(), and the calls after it do nothing.
#include "runtime/cuda/GpuRuntime.h"

#include "runtime/cuda/CudaDriver.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace theon::runtime::cuda {

namespace {

thread_local std::string pendingError;

} // namespace

const Driver *ready() {
  if (!pendingError.empty())
    return nullptr;
  std::string why;
  const Driver *d = driver(&why);
  if (!d) {
    pendingError = "no CUDA driver found: " + why;
    return nullptr;
  }
  if (CUresult r = d->cuCtxSetCurrent(d->context); r != CUDA_SUCCESS) {
    pendingError = describe(*d, "cuCtxSetCurrent", r);
    return nullptr;
  }
  return d;
}

namespace {

/// Records the first failure; true when the call succeeded.
bool check(const Driver &d, const char *call, CUresult result) {
  if (result == CUDA_SUCCESS)
    return true;
  if (pendingError.empty())
    pendingError = describe(d, call, result);
  return false;
}

} // namespace

std::string takeDeviceError() {
  std::string error;
  error.swap(pendingError);
  return error;
}

void recordDeviceError(const std::string &error) {
  if (pendingError.empty())
    pendingError = error;
}

bool hasDeviceError() { return !pendingError.empty(); }

} // namespace theon::runtime::cuda

using namespace theon::runtime::cuda;

extern "C" {

void *mgpuModuleLoad(void *data, std::size_t /*size*/) {
  const Driver *d = ready();
  CUmodule module = nullptr;
  if (d)
    check(*d, "cuModuleLoadData", d->cuModuleLoadData(&module, data));
  return module;
}

/// PTX text (NUL-terminated), compiled by the driver's JIT for the device.
void *mgpuModuleLoadJIT(void *data, std::int32_t optLevel) {
  const Driver *d = ready();
  if (!d)
    return nullptr;
  char log[4096] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {log, reinterpret_cast<void *>(static_cast<std::uintptr_t>(sizeof(log))),
                    reinterpret_cast<void *>(static_cast<std::intptr_t>(optLevel))};
  CUmodule module = nullptr;
  CUresult r = d->cuModuleLoadDataEx(&module, data, 3, options, values);
  if (!check(*d, "cuModuleLoadDataEx", r) && log[0] != 0)
    pendingError += std::string("; the JIT said: ") + log;
  return module;
}

void mgpuModuleUnload(void *module) {
  // From a global destructor, maybe after a failure: only with a driver.
  if (shuttingDown())
    return;
  std::string why;
  if (const Driver *d = driver(&why); d && module)
    d->cuModuleUnload(static_cast<CUmodule>(module));
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  const Driver *d = ready();
  CUfunction function = nullptr;
  if (d && module)
    check(*d, "cuModuleGetFunction",
          d->cuModuleGetFunction(&function, static_cast<CUmodule>(module), name));
  return function;
}

void mgpuLaunchKernel(void *function, std::intptr_t gridX, std::intptr_t gridY,
                      std::intptr_t gridZ, std::intptr_t blockX, std::intptr_t blockY,
                      std::intptr_t blockZ, std::int32_t sharedBytes, void *stream, void **params,
                      void **extra, std::size_t /*paramsCount*/) {
  const Driver *d = ready();
  if (!d || !function)
    return;
  check(*d, "cuLaunchKernel",
        d->cuLaunchKernel(static_cast<CUfunction>(function), static_cast<unsigned>(gridX),
                          static_cast<unsigned>(gridY), static_cast<unsigned>(gridZ),
                          static_cast<unsigned>(blockX), static_cast<unsigned>(blockY),
                          static_cast<unsigned>(blockZ), static_cast<unsigned>(sharedBytes),
                          static_cast<CUstream>(stream), params, extra));
}

// Every call of compiled code creates a stream and destroys it when done:
// streams are kept per thread and handed out again instead (a driver call
// less per call each way). A stream given back may still have
// work queued; whoever gets it next queues after that work, as on a new
// stream after the old one's work. Streams left at exit are not destroyed
// (the driver may be shutting down).
namespace {
constexpr std::size_t kKeptStreams = 8;
thread_local std::vector<CUstream> keptStreams;
} // namespace

void *mgpuStreamCreate() {
  const Driver *d = ready();
  CUstream stream = nullptr;
  if (!d)
    return nullptr;
  if (!keptStreams.empty()) {
    stream = keptStreams.back();
    keptStreams.pop_back();
    return stream;
  }
  check(*d, "cuStreamCreate", d->cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  std::string why;
  const Driver *d = driver(&why);
  if (!d || !stream || shuttingDown())
    return;
  if (keptStreams.size() < kKeptStreams) {
    keptStreams.push_back(static_cast<CUstream>(stream));
    return;
  }
  d->cuStreamDestroy(static_cast<CUstream>(stream));
}

void mgpuStreamSynchronize(void *stream) {
  const Driver *d = ready();
  if (d && stream)
    check(*d, "cuStreamSynchronize", d->cuStreamSynchronize(static_cast<CUstream>(stream)));
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  const Driver *d = ready();
  if (d)
    check(*d, "cuStreamWaitEvent",
          d->cuStreamWaitEvent(static_cast<CUstream>(stream), static_cast<CUevent>(event), 0));
}

void *mgpuEventCreate() {
  const Driver *d = ready();
  CUevent event = nullptr;
  if (d)
    check(*d, "cuEventCreate", d->cuEventCreate(&event, CU_EVENT_DISABLE_TIMING));
  return event;
}

void mgpuEventDestroy(void *event) {
  std::string why;
  if (const Driver *d = driver(&why); d && event)
    d->cuEventDestroy(static_cast<CUevent>(event));
}

void mgpuEventSynchronize(void *event) {
  const Driver *d = ready();
  if (d)
    check(*d, "cuEventSynchronize", d->cuEventSynchronize(static_cast<CUevent>(event)));
}

void mgpuEventRecord(void *event, void *stream) {
  const Driver *d = ready();
  if (d)
    check(*d, "cuEventRecord",
          d->cuEventRecord(static_cast<CUevent>(event), static_cast<CUstream>(stream)));
}

/// Stream-ordered where the driver can (freed memory is reused without a
/// synchronization), else a plain allocation.
void *mgpuMemAlloc(std::uint64_t bytes, void *stream, bool hostShared) {
  const Driver *d = ready();
  CUdeviceptr pointer = 0;
  if (!d || bytes == 0)
    return nullptr;
  if (hostShared)
    check(*d, "cuMemAllocManaged", d->cuMemAllocManaged(&pointer, bytes, CU_MEM_ATTACH_GLOBAL));
  else if (d->streamOrderedAllocation)
    check(*d, "cuMemAllocAsync", d->cuMemAllocAsync(&pointer, bytes, static_cast<CUstream>(stream)));
  else
    check(*d, "cuMemAlloc", d->cuMemAlloc(&pointer, bytes));
  return reinterpret_cast<void *>(pointer);
}

void mgpuMemFree(void *pointer, void *stream) {
  if (shuttingDown()) // a buffer held by an object destroyed at exit
    return;
  const Driver *d = ready();
  if (!d || !pointer)
    return;
  auto device = reinterpret_cast<CUdeviceptr>(pointer);
  if (d->streamOrderedAllocation) {
    check(*d, "cuMemFreeAsync", d->cuMemFreeAsync(device, static_cast<CUstream>(stream)));
    return;
  }
  // Not stream-ordered: the kernels that use it must be done first.
  if (check(*d, "cuStreamSynchronize", d->cuStreamSynchronize(static_cast<CUstream>(stream))))
    check(*d, "cuMemFree", d->cuMemFree(device));
}

/// Unified addressing: the driver tells host from device pointers.
void mgpuMemcpy(void *dst, void *src, std::size_t bytes, void *stream) {
  const Driver *d = ready();
  if (d && bytes != 0)
    check(*d, "cuMemcpyAsync",
          d->cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst), reinterpret_cast<CUdeviceptr>(src),
                           bytes, static_cast<CUstream>(stream)));
}

void mgpuMemset32(void *dst, std::uint32_t value, std::size_t count, void *stream) {
  const Driver *d = ready();
  if (d && count != 0)
    check(*d, "cuMemsetD32Async",
          d->cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                              static_cast<CUstream>(stream)));
}

} // extern "C"
