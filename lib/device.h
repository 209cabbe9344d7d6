// Running compiled functions on a CUDA GPU (device=cuda): choosing the
// device, and a call's copies in and out of device memory.
#pragma once

#include <string>
#include <vector>

#include "theon/array.h"

namespace theon::runtime {
class CompiledFunction;
}

namespace theon::detail {

enum class Device { Cpu, Cuda };

/// Where a function (`who`, for messages) runs when `requested` ("cpu",
/// "cuda"; empty: config().device) is asked for: Cuda needs a driver and a
/// device, else DeviceError naming why, or Cpu with a warning under
/// THEON_FLAGS=fallback=cpu. For Cuda, `architecture` gets what to compile
/// for (config().gpu_arch, else the device's).
Device resolveDevice(const std::string &requested, const std::string &who,
                     std::string *architecture);

/// Throws the error loading GPU code recorded (its PTX the driver's JIT
/// rejected, say) as a DeviceError naming `who`.
void checkKernelsLoaded(const std::string &who);

/// Calls `code` (compiled for the GPU) on host arrays: each of `arguments`
/// is copied to device memory, the code runs, then `results` and the
/// arguments marked in `writtenBack` (updates written in place) are copied
/// back. A failure is a DeviceError (MemoryError when the device is out of
/// memory) and leaves every host array as it was.
void callOnDevice(const runtime::CompiledFunction &code, const std::vector<const Array *> &arguments,
                  const std::vector<bool> &writtenBack, const std::vector<Array *> &results,
                  const std::string &who);

} // namespace theon::detail
