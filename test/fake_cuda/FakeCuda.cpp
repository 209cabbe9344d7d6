// A fake CUDA driver for tests on machines without a GPU: runtime/cuda
// loads it through THEON_CUDA_DRIVER instead of libcuda.so.1, by the same
// dlopen path. "Device" memory is host memory; kernels do not run, their
// launches are logged. Tests steer it with fakeCudaSet and read the log
// with fakeCudaLog.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include <cuda.h>

namespace {
std::mutex mutex;
std::string log;
std::map<std::string, int> settings; // fail_init, devices, oom, bad_ptx, gemm_fails,
                                     // record_index_error
int setting(const char *key, int otherwise = 0) {
  auto it = settings.find(key);
  return it == settings.end() ? otherwise : it->second;
}
void record(const std::string &line) {
  std::lock_guard<std::mutex> lock(mutex);
  log += line + "\n";
}
} // namespace

extern "C" {
__attribute__((visibility("default"))) void fakeCudaSet(const char *key, int value) {
  settings[key] = value;
}
__attribute__((visibility("default"))) const char *fakeCudaLog() { return log.c_str(); }
__attribute__((visibility("default"))) void fakeCudaClear() {
  std::lock_guard<std::mutex> lock(mutex);
  log.clear();
}
// For the fake cuBLAS (FakeCublas.cpp): one log and one set of settings.
__attribute__((visibility("default"))) void fakeCudaRecord(const char *line) { record(line); }
__attribute__((visibility("default"))) int fakeCudaSetting(const char *key) {
  return setting(key);
}
}

CUresult CUDAAPI cuInit(unsigned int) {
  return setting("fail_init") ? CUDA_ERROR_NO_DEVICE : CUDA_SUCCESS;
}
CUresult CUDAAPI cuGetErrorName(CUresult error, const char **name) {
  switch (error) {
  case CUDA_ERROR_NO_DEVICE: *name = "CUDA_ERROR_NO_DEVICE"; return CUDA_SUCCESS;
  case CUDA_ERROR_OUT_OF_MEMORY: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_PTX: *name = "CUDA_ERROR_INVALID_PTX"; return CUDA_SUCCESS;
  default: *name = nullptr; return CUDA_ERROR_INVALID_VALUE;
  }
}
CUresult CUDAAPI cuGetErrorString(CUresult error, const char **text) {
  switch (error) {
  case CUDA_ERROR_NO_DEVICE: *text = "no CUDA-capable device is detected"; return CUDA_SUCCESS;
  case CUDA_ERROR_OUT_OF_MEMORY: *text = "out of memory"; return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_PTX: *text = "a PTX JIT compilation failed"; return CUDA_SUCCESS;
  default: *text = nullptr; return CUDA_ERROR_INVALID_VALUE;
  }
}
CUresult CUDAAPI cuDeviceGetCount(int *count) {
  *count = setting("devices", 1);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGetAttribute(int *value, CUdevice_attribute attribute, CUdevice) {
  *value = attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR ? 9 : 0;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGet(CUdevice *device, int ordinal) {
  *device = ordinal;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice) {
  *context = reinterpret_cast<CUcontext>(std::uintptr_t{0x1000});
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuCtxSetCurrent(CUcontext) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuModuleLoadData(CUmodule *module, const void *image) {
  record("cuModuleLoadData " + std::to_string(std::strlen(static_cast<const char *>(image))));
  *module = reinterpret_cast<CUmodule>(std::uintptr_t{0x2000});
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int count,
                                    CUjit_option *options, void **values) {
  const char *ptx = static_cast<const char *>(image);
  const char *entry = std::strstr(ptx, ".entry ");
  std::string name = entry ? std::string(entry + 7, std::strcspn(entry + 7, "( \n")) : "?";
  record("cuModuleLoadDataEx " + name);
  if (setting("bad_ptx")) {
    for (unsigned i = 0; i < count; ++i)
      if (options[i] == CU_JIT_ERROR_LOG_BUFFER)
        std::strcpy(static_cast<char *>(values[i]), "ptxas fatal: fake syntax error");
    return CUDA_ERROR_INVALID_PTX;
  }
  *module = reinterpret_cast<CUmodule>(std::uintptr_t{0x2000});
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuModuleUnload(CUmodule) {
  record("cuModuleUnload");
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuModuleGetFunction(CUfunction *function, CUmodule, const char *name) {
  record(std::string("cuModuleGetFunction ") + name);
  *function = reinterpret_cast<CUfunction>(std::uintptr_t{0x3000});
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuLaunchKernel(CUfunction, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                                unsigned by, unsigned bz, unsigned, CUstream, void **, void **) {
  record("cuLaunchKernel grid " + std::to_string(gx) + "x" + std::to_string(gy) + "x" +
         std::to_string(gz) + " block " + std::to_string(bx) + "x" + std::to_string(by) + "x" +
         std::to_string(bz));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuStreamCreate(CUstream *stream, unsigned int) {
  record("cuStreamCreate");
  *stream = reinterpret_cast<CUstream>(std::uintptr_t{0x4000});
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuStreamDestroy(CUstream) {
  record("cuStreamDestroy");
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuStreamSynchronize(CUstream) {
  record("cuStreamSynchronize");
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuStreamWaitEvent(CUstream, CUevent, unsigned int) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuEventCreate(CUevent *event, unsigned int) {
  *event = reinterpret_cast<CUevent>(std::uintptr_t{0x5000});
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuEventDestroy(CUevent) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuEventRecord(CUevent, CUstream) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuEventSynchronize(CUevent) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuMemAlloc(CUdeviceptr *pointer, size_t bytes) {
  record("cuMemAlloc " + std::to_string(bytes));
  *pointer = reinterpret_cast<CUdeviceptr>(std::malloc(bytes));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemAllocManaged(CUdeviceptr *pointer, size_t bytes, unsigned int) {
  return cuMemAlloc(pointer, bytes);
}
CUresult CUDAAPI cuMemAllocAsync(CUdeviceptr *pointer, size_t bytes, CUstream) {
  if (setting("oom"))
    return CUDA_ERROR_OUT_OF_MEMORY;
  record("cuMemAllocAsync " + std::to_string(bytes));
  *pointer = reinterpret_cast<CUdeviceptr>(std::malloc(bytes));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemFree(CUdeviceptr pointer) {
  record("cuMemFree");
  std::free(reinterpret_cast<void *>(pointer));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemFreeAsync(CUdeviceptr pointer, CUstream) {
  record("cuMemFreeAsync");
  std::free(reinterpret_cast<void *>(pointer));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream) {
  record("cuMemcpyAsync " + std::to_string(bytes));
  std::memcpy(reinterpret_cast<void *>(dst), reinterpret_cast<void *>(src), bytes);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t count, CUstream) {
  record("cuMemsetD32Async " + std::to_string(count));
  auto *p = reinterpret_cast<std::uint32_t *>(dst);
  for (size_t i = 0; i < count; ++i)
    p[i] = value;
  // Kernels do not run here: with record_index_error = site + 1, the index
  // error record (3 int64, zeroed before each call) is left as a kernel
  // that found index 7 out of range for size 5 at that site would leave it.
  if (int tag = setting("record_index_error"); tag && count == 6) {
    auto *words = reinterpret_cast<std::int64_t *>(dst);
    words[0] = tag;
    words[1] = 7;
    words[2] = 5;
  }
  return CUDA_SUCCESS;
}
