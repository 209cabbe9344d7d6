// Loading the driver (runtime/cuda/CudaDriver.h).
#include "runtime/cuda/CudaDriver.h"

#include <atomic>
#include <cstdlib>
#include <dlfcn.h>
#include <memory>
#include <mutex>

namespace theon::runtime::cuda {

namespace {
#define THEON_CUDA_STRINGIFY_EXPANDED(name) THEON_CUDA_STRINGIFY(name)
#define THEON_CUDA_STRINGIFY(name) #name
} // namespace

std::string describe(const Driver &d, const char *call, CUresult result) {
  const char *name = nullptr, *text = nullptr;
  if (d.cuGetErrorName)
    d.cuGetErrorName(result, &name);
  if (d.cuGetErrorString)
    d.cuGetErrorString(result, &text);
  return std::string(call) + ": " + (name ? name : "error " + std::to_string(result)) +
         (text ? std::string(" (") + text + ")" : std::string());
}

std::string architecture(const Driver &d) {
  int major = 0, minor = 0;
  d.cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d.device);
  d.cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d.device);
  return "sm_" + std::to_string(major) + std::to_string(minor);
}

const Driver *loadDriver(const std::string &path, std::string *why) {
  auto fail = [&](const std::string &reason) -> const Driver * {
    if (why)
      *why = reason;
    return nullptr;
  };
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *error = dlerror();
    return fail(error ? error : path + ": cannot be opened");
  }
  auto owned = std::make_unique<Driver>();
  Driver *d = owned.get();
#define THEON_CUDA_ENTRY(name)                                                                   \
  d->name = reinterpret_cast<decltype(d->name)>(                                                 \
      dlsym(library, THEON_CUDA_STRINGIFY_EXPANDED(name)));                                      \
  if (!d->name)                                                                                  \
    return fail(path + " has no " THEON_CUDA_STRINGIFY_EXPANDED(name) " (a driver older than "    \
                "Theon needs?)");
#define THEON_CUDA_OPTIONAL_ENTRY(name)                                                          \
  d->name = reinterpret_cast<decltype(d->name)>(                                                 \
      dlsym(library, THEON_CUDA_STRINGIFY_EXPANDED(name)));
#include "runtime/cuda/DriverEntries.def"
  d->streamOrderedAllocation = d->cuMemAllocAsync && d->cuMemFreeAsync;
  if (CUresult r = d->cuInit(0); r != CUDA_SUCCESS)
    return fail(describe(*d, "cuInit", r));
  int count = 0;
  if (CUresult r = d->cuDeviceGetCount(&count); r != CUDA_SUCCESS)
    return fail(describe(*d, "cuDeviceGetCount", r));
  if (count == 0)
    return fail("the driver sees no CUDA device");
  if (CUresult r = d->cuDeviceGet(&d->device, 0); r != CUDA_SUCCESS)
    return fail(describe(*d, "cuDeviceGet", r));
  if (CUresult r = d->cuDevicePrimaryCtxRetain(&d->context, d->device); r != CUDA_SUCCESS)
    return fail(describe(*d, "cuDevicePrimaryCtxRetain", r));
  return owned.release(); // lives as long as the process, as the library does
}

namespace {
std::atomic<bool> exiting{false};
} // namespace

bool shuttingDown() { return exiting.load(std::memory_order_relaxed); }

const Driver *driver(std::string *why) {
  static std::once_flag once;
  static const Driver *loaded = nullptr;
  static std::string reason;
  std::call_once(once, [] {
    const char *path = std::getenv("THEON_CUDA_DRIVER");
    loaded = loadDriver(path && *path ? path : "libcuda.so.1", &reason);
    // Exit handlers run in reverse order: this one runs before any the
    // driver registered while loading, and before the destructors of
    // objects built earlier. Device memory they still hold is left to the
    // process's end rather than freed through a driver shutting down.
    if (loaded)
      std::atexit([] { exiting.store(true); });
  });
  if (!loaded && why)
    *why = reason;
  return loaded;
}

} // namespace theon::runtime::cuda
