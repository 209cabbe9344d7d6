// The CUDA driver API, opened with dlopen at first use: Theon builds, links
// and runs where there is no driver, and says why when a GPU is asked for.
#pragma once

#include <string>

#include <cuda.h>

namespace theon::runtime::cuda {

/// The driver entry points Theon uses, each resolved by its exported name.
struct Driver {
#define THEON_CUDA_ENTRY(name) decltype(&::name) name = nullptr;
#define THEON_CUDA_OPTIONAL_ENTRY(name) THEON_CUDA_ENTRY(name)
#include "runtime/cuda/DriverEntries.def"
  CUdevice device = 0;
  CUcontext context = nullptr; // device 0's primary context
  /// Whether cuMemAllocAsync/cuMemFreeAsync exist (driver 11.2 and later).
  bool streamOrderedAllocation = false;
};

/// The process's driver: `THEON_CUDA_DRIVER` when set (the tests' fake
/// driver), else libcuda.so.1, loaded and initialized once. Null when that
/// fails, with the reason in `why` ("libcuda.so.1: cannot open shared
/// object file", "cuInit: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is
/// detected)").
const Driver *driver(std::string *why = nullptr);

/// Whether the process is exiting (after main returned): releasing device
/// resources then is skipped, the driver may be shutting down.
bool shuttingDown();

/// Loads the driver library at `path` and initializes device 0 (what
/// driver() does once); for tests. Null and `why` on failure.
const Driver *loadDriver(const std::string &path, std::string *why);

/// The device's architecture as PTX names it ("sm_90"), from its compute
/// capability.
std::string architecture(const Driver &d);

/// "cuName: CUDA_ERROR_X (description)" for a failed call.
std::string describe(const Driver &d, const char *call, CUresult result);

/// The first error a runtime call (mgpu*) recorded on this thread since the
/// last call of this function, and a fresh start; empty when none. Compiled
/// code cannot throw: the caller checks after it returns. After an error
/// the runtime functions do nothing until it is taken.
std::string takeDeviceError();

/// The driver with device 0's context current, for a runtime function about
/// to call it; null, with the error recorded, when there is none or an error
/// is pending (the calls after an error do nothing).
const Driver *ready();

/// Records `error` for takeDeviceError() unless one is pending.
void recordDeviceError(const std::string &error);

/// Whether an error is pending on this thread.
bool hasDeviceError();

} // namespace theon::runtime::cuda
