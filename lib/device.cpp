// device=cuda (lib/device.h). The copies go through the same mgpu* runtime
// functions as the compiled host code, on a stream of their own that is
// synchronized around the call.
#include "lib/device.h"

#include <cstdint>
#include <cstring>
#include <mutex>
#include <set>

#include "compiler/Jit.h"
#include "lib/log.h"
#include "theon/config.h"
#include "theon/error.h"

#ifdef THEON_HAVE_CUDA_RUNTIME
#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/GpuRuntime.h"

#endif

namespace theon::detail {

Device resolveDevice(const std::string &requested, const std::string &who,
                     std::string *architecture) {
  std::string device = requested.empty() ? config().device : requested;
  if (device == "cpu")
    return Device::Cpu;
  if (device != "cuda")
    throw ValueError(who + ": device must be cpu or cuda, got '" + device + "'");
  std::string why;
#ifdef THEON_HAVE_CUDA_RUNTIME
  if (const runtime::cuda::Driver *driver = runtime::cuda::driver(&why)) {
    *architecture = config().gpu_arch.empty() ? runtime::cuda::architecture(*driver)
                                              : config().gpu_arch;
    return Device::Cuda;
  }
  why = "no CUDA driver found: " + why;
#else
  why = "this Theon was built without the CUDA runtime (cuda.h was not found)";
#endif
  if (config().fallback != "cpu")
    throw DeviceError(who + ": device=cuda: " + why +
                      " (THEON_FLAGS=fallback=cpu runs on the CPU instead)");
  static std::mutex mutex;
  static std::set<std::string> warned;
  std::lock_guard<std::mutex> lock(mutex);
  if (warned.insert(why).second)
    logger().warn("device=cuda: {}; running on the CPU (fallback=cpu)", why);
  return Device::Cpu;
}

#ifdef THEON_HAVE_CUDA_RUNTIME
namespace {

std::size_t bytesOf(const Array &a) { return static_cast<std::size_t>(a.size()) * dtype_size(a.dtype()); }

/// The device buffers of one call, freed on every way out.
class CallBuffers {
public:
  explicit CallBuffers(const std::string &who) : who_(who), stream_(mgpuStreamCreate()) {
    check("creating a stream");
  }
  ~CallBuffers() {
    for (void *p : buffers_)
      mgpuMemFree(p, stream_);
    if (stream_) {
      mgpuStreamSynchronize(stream_);
      mgpuStreamDestroy(stream_);
    }
    // An error here (unwinding from a reported one, or freeing after a
    // call that succeeded) has nothing left to protect: it is dropped.
    runtime::cuda::takeDeviceError();
  }
  void *allocate(std::size_t bytes) {
    void *p = mgpuMemAlloc(bytes, stream_, false);
    if (p)
      buffers_.push_back(p);
    check("allocating " + std::to_string(bytes) + " bytes");
    return p;
  }
  void *stream() const { return stream_; }
  /// Throws the recorded driver error, if any.
  void check(const std::string &what) {
    std::string error = runtime::cuda::takeDeviceError();
    if (error.empty())
      return;
    std::string message = who_ + ": on the GPU, " + what + ": " + error +
                          "; shared variables are unchanged";
    if (error.find("CUDA_ERROR_OUT_OF_MEMORY") != std::string::npos)
      throw MemoryError(message);
    throw DeviceError(message);
  }

private:
  std::string who_;
  void *stream_;
  std::vector<void *> buffers_;
};

} // namespace

void checkKernelsLoaded(const std::string &who) {
  std::string error = runtime::cuda::takeDeviceError();
  if (!error.empty())
    throw DeviceError(who + ": loading its kernels on the GPU: " + error);
}

void callOnDevice(const runtime::CompiledFunction &code, const std::vector<const Array *> &arguments,
                  const std::vector<bool> &writtenBack, const std::vector<Array *> &results,
                  const std::string &who) {
  CallBuffers buffers(who);
  runtime::PackedArguments descriptors;
  std::vector<void *> argumentBuffers;
  for (const Array *a : arguments) {
    void *device = buffers.allocate(bytesOf(*a));
    mgpuMemcpy(device, const_cast<void *>(a->raw_data()), bytesOf(*a), buffers.stream());
    argumentBuffers.push_back(device);
    descriptors.add(device, a->shape());
  }
  std::vector<void *> resultBuffers;
  for (Array *r : results) {
    resultBuffers.push_back(buffers.allocate(bytesOf(*r)));
    descriptors.add(resultBuffers.back(), r->shape());
  }
  mgpuStreamSynchronize(buffers.stream()); // inputs in place before the code's stream runs
  buffers.check("copying the arguments in");
  code.call(descriptors.pack());
  buffers.check("running the compiled code");
  // Copied to host staging first: a failure part way leaves the host as it was.
  std::vector<Array> staged;
  std::vector<Array *> targets;
  for (std::size_t i = 0; i < results.size(); ++i) {
    staged.emplace_back(results[i]->shape(), results[i]->dtype());
    targets.push_back(results[i]);
    mgpuMemcpy(staged.back().raw_data(), resultBuffers[i], bytesOf(*results[i]), buffers.stream());
  }
  for (std::size_t k = 0; k < arguments.size(); ++k) {
    if (!writtenBack[k])
      continue;
    staged.emplace_back(arguments[k]->shape(), arguments[k]->dtype());
    targets.push_back(const_cast<Array *>(arguments[k]));
    mgpuMemcpy(staged.back().raw_data(), argumentBuffers[k], bytesOf(*arguments[k]),
               buffers.stream());
  }
  mgpuStreamSynchronize(buffers.stream());
  buffers.check("copying the results out");
  for (std::size_t i = 0; i < targets.size(); ++i)
    std::memcpy(targets[i]->raw_data(), staged[i].raw_data(), bytesOf(staged[i]));
}
#else
void checkKernelsLoaded(const std::string &) {}

void callOnDevice(const runtime::CompiledFunction &, const std::vector<const Array *> &,
                  const std::vector<bool> &, const std::vector<Array *> &, const std::string &who) {
  throw DeviceError(who + ": this Theon was built without the CUDA runtime");
}
#endif

} // namespace theon::detail
