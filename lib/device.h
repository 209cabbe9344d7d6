// Running compiled functions on a CUDA GPU (device=cuda): choosing the
// device, a call's copies in and out of device memory, and the device copies
// of shared variables, which stay there between calls.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/Allocator.h"
#include "theon/array.h"

namespace theon::runtime {
class CompiledFunction;
}

namespace theon::detail {

enum class Device { Cpu, Cuda };

/// What code for the GPU is compiled for.
struct GpuTarget {
  std::string architecture; // config().gpu_arch, else the device's ("sm_90")
  bool cublas = false;      // float products call cuBLAS (it can be loaded)
};

/// Where a function (`who`, for messages) runs when `requested` ("cpu",
/// "cuda"; empty: config().device) is asked for: Cuda needs a driver and a
/// device, else DeviceError naming why, or Cpu with a warning under
/// THEON_FLAGS=fallback=cpu. For Cuda, `target` gets what to compile for.
Device resolveDevice(const std::string &requested, const std::string &who, GpuTarget *target);

/// Throws the error loading GPU code recorded (its PTX the driver's JIT
/// rejected, say) as a DeviceError naming `who`.
void checkKernelsLoaded(const std::string &who);

struct Node;

/// What one call of a function compiled for the GPU reads and writes, in
/// the order of the compiled code's arguments and results.
struct DeviceCall {
  std::vector<const Array *> inputs; // host arrays, copied in for the call
  std::vector<Node *> shared;        // read from their device copies
  std::vector<Array *> outputs;      // host arrays, copied out
  /// Per update, the variable and its new value's shape: the new value
  /// stays in device memory and becomes the variable's device copy.
  std::vector<std::pair<Node *, Shape>> updates;
  /// Whether the code checks indices it computes: its index error record
  /// (theon-gpu-device-memory's last argument) is then read after the call.
  bool checksIndices = false;
};

/// Calls `code` (compiled for the GPU). A shared variable's device copy is
/// made at its first use and after its host value changed (set_value, an
/// update on the CPU), so a training step copies no parameters; new values
/// go into buffers of their own (a variable's previous buffer is reused),
/// and take effect together once everything succeeded. A failure is a
/// DeviceError (MemoryError when the device is out of memory), or an index
/// out of range the code recorded, returned (outputs not written, updates
/// not taken); either leaves every host array and shared variable as it
/// was.
runtime::CallFailure callOnDevice(const runtime::CompiledFunction &code, const DeviceCall &call,
                                  const std::string &who);

/// Arrays in GPU memory (Array::to, FunctionOptions::outputs_on_device):
/// a new uninitialized one, copies of a host array (contiguous) and of a
/// device array, and a device array's host copy. DeviceError when the GPU
/// cannot be used or a copy fails.
Array deviceArray(const Shape &shape, DType dtype);
Array copyToDevice(const Array &host);
Array copyOnDevice(const Array &device);
Array copyToHost(const Array &device);

/// What runtime code needs of an Array in GPU memory.
struct ArrayAccess {
  /// The device address of its first element.
  static void *devicePointer(const Array &a);
  /// A row-major array of `shape` in the GPU memory `buffer` (owning it).
  static Array make(std::shared_ptr<void> buffer, const Shape &shape, DType dtype);
};

/// Makes shared variable `node`'s host value (its `storage`) current after
/// a GPU call updated its device copy: a DeviceError when the copy fails.
/// Without a device copy, nothing to do.
void syncToHost(Node &node);

/// `node`'s host value was replaced or written: its device copy is stale.
void hostValueChanged(Node &node);

} // namespace theon::detail
