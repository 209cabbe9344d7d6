// device=cuda (lib/device.h). The copies go through the same mgpu* runtime
// functions as the compiled host code, on a stream of their own that is
// synchronized around the call.
#include "lib/device.h"

#include <cstdint>
#include <cstring>
#include <mutex>
#include <set>

#include "compiler/Jit.h"
#include "lib/graph.h"
#include "lib/log.h"
#include "theon/config.h"
#include "theon/error.h"

#ifdef THEON_HAVE_CUDA_RUNTIME
#include "runtime/cuda/CuBlas.h"
#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/GpuRuntime.h"

#endif

namespace theon::detail {

Device resolveDevice(const std::string &requested, const std::string &who, GpuTarget *target) {
  std::string device = requested.empty() ? config().device : requested;
  if (device == "cpu")
    return Device::Cpu;
  if (device != "cuda")
    throw ValueError(who + ": device must be cpu or cuda, got '" + device + "'");
  std::string why;
#ifdef THEON_HAVE_CUDA_RUNTIME
  if (const runtime::cuda::Driver *driver = runtime::cuda::driver(&why)) {
    target->architecture = config().gpu_arch.empty() ? runtime::cuda::architecture(*driver)
                                                     : config().gpu_arch;
    std::string noBlas;
    target->cublas = runtime::cuda::cublasAvailable(&noBlas);
    if (!target->cublas) {
      static std::once_flag warned;
      std::call_once(warned, [&] {
        logger().warn("device=cuda: cuBLAS not found ({}); matrix products run as Theon's own "
                      "kernels", noBlas);
      });
    }
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

void *ArrayAccess::devicePointer(const Array &a) {
  return static_cast<char *>(a.buffer_.get()) +
         a.offset_ * static_cast<std::int64_t>(dtype_size(a.dtype_));
}

Array ArrayAccess::make(std::shared_ptr<void> buffer, const Shape &shape, DType dtype) {
  Array a = Array::borrow_raw(buffer.get(), shape, dtype); // row-major layout, checked
  a.buffer_ = std::move(buffer);
  a.on_device_ = true;
  return a;
}

#ifdef THEON_HAVE_CUDA_RUNTIME
namespace {

std::size_t bytesOf(const Shape &shape, DType dtype) {
  std::size_t n = dtype_size(dtype);
  for (std::int64_t d : shape)
    n *= static_cast<std::size_t>(d);
  return n;
}
std::size_t bytesOf(const Array &a) { return bytesOf(a.shape(), a.dtype()); }

/// The device buffers of one call, freed on every way out.
class CallBuffers {
public:
  /// `unchanged` ends each error message ("; shared variables are
  /// unchanged" for a call).
  explicit CallBuffers(const std::string &who,
                       std::string unchanged = "; shared variables are unchanged")
      : who_(who), unchanged_(std::move(unchanged)), stream_(mgpuStreamCreate()) {
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
                          unchanged_;
    if (error.find("CUDA_ERROR_OUT_OF_MEMORY") != std::string::npos)
      throw MemoryError(message);
    throw DeviceError(message);
  }

private:
  std::string who_, unchanged_;
  void *stream_;
  std::vector<void *> buffers_;
};

} // namespace

/// A shared variable's device copy. Its mutex orders the copies between
/// host and device: calls that only read the variable hold its value lock
/// shared, and may each find the copy stale.
struct DeviceValue {
  std::mutex mutex;
  void *buffer = nullptr; // the device copy, `bytes` long
  std::size_t bytes = 0;
  void *spare = nullptr; // the previous buffer, reused for the next new value
  std::size_t spareBytes = 0;
  bool deviceCurrent = false; // `buffer` holds the variable's value
  bool hostCurrent = true;    // the node's `storage` holds it

  ~DeviceValue() {
    std::string why;
    if (!runtime::cuda::driver(&why))
      return;
    mgpuMemFree(buffer, nullptr);
    mgpuMemFree(spare, nullptr);
    runtime::cuda::takeDeviceError(); // nobody left to tell
  }
};

namespace {

DeviceValue &deviceValueOf(Node &node) {
  static std::mutex creation; // readers of one variable may meet here
  std::lock_guard<std::mutex> lock(creation);
  if (!node.deviceValue)
    node.deviceValue = std::make_shared<DeviceValue>();
  return *node.deviceValue;
}

/// Makes `node`'s device copy current (uploading its host value) and
/// returns it; synchronous, so that the copy is complete before any call
/// sees it current.
void *onDevice(Node &node, CallBuffers &buffers) {
  DeviceValue &value = deviceValueOf(node);
  std::lock_guard<std::mutex> lock(value.mutex);
  if (value.deviceCurrent)
    return value.buffer;
  const Array &host = *node.storage;
  std::size_t bytes = bytesOf(host);
  if (value.bytes != bytes) {
    mgpuMemFree(value.buffer, buffers.stream());
    value.buffer = nullptr;
    value.bytes = 0;
    buffers.check("freeing the device copy of " + node.describe());
    value.buffer = mgpuMemAlloc(bytes, buffers.stream(), false);
    buffers.check("allocating " + std::to_string(bytes) + " bytes for " + node.describe());
    value.bytes = bytes;
  }
  mgpuMemcpy(value.buffer, const_cast<void *>(host.raw_data()), bytes, buffers.stream());
  mgpuStreamSynchronize(buffers.stream());
  buffers.check("copying " + node.describe() + " to the device");
  value.deviceCurrent = true;
  return value.buffer;
}

/// The buffers of a call's new values until they take effect: freed when
/// the call fails, except a variable's spare, which stays its spare.
struct NewValueBuffers {
  std::vector<void *> buffers;
  std::vector<bool> fromSpare;
  bool committed = false;
  void *stream = nullptr;
  ~NewValueBuffers() {
    if (committed)
      return;
    for (std::size_t i = 0; i < buffers.size(); ++i)
      if (!fromSpare[i])
        mgpuMemFree(buffers[i], stream);
  }
};

} // namespace

void checkKernelsLoaded(const std::string &who) {
  std::string error = runtime::cuda::takeDeviceError();
  if (!error.empty())
    throw DeviceError(who + ": loading its kernels on the GPU: " + error);
}

runtime::CallFailure callOnDevice(const runtime::CompiledFunction &code, const DeviceCall &call,
                                  const std::string &who) {
  CallBuffers buffers(who);
  runtime::PackedArguments descriptors;
  for (const Array *a : call.inputs) {
    if (a->on_device()) { // already there: no copy
      descriptors.add(ArrayAccess::devicePointer(*a), a->shape());
      continue;
    }
    void *device = buffers.allocate(bytesOf(*a));
    mgpuMemcpy(device, const_cast<void *>(a->raw_data()), bytesOf(*a), buffers.stream());
    descriptors.add(device, a->shape());
  }
  for (Node *node : call.shared)
    descriptors.add(onDevice(*node, buffers), node->storage->shape());
  std::vector<void *> outputBuffers; // null for an output in GPU memory, written in place
  for (Array *r : call.outputs) {
    outputBuffers.push_back(r->on_device() ? nullptr : buffers.allocate(bytesOf(*r)));
    descriptors.add(r->on_device() ? ArrayAccess::devicePointer(*r) : outputBuffers.back(),
                    r->shape());
  }
  NewValueBuffers newValues;
  newValues.stream = buffers.stream();
  for (const auto &[node, shape] : call.updates) {
    DeviceValue &value = deviceValueOf(*node);
    std::size_t bytes = bytesOf(shape, node->dtype);
    // The caller holds the variable's value lock exclusively: no other
    // call touches its spare.
    bool reuse = value.spare && value.spareBytes == bytes;
    newValues.buffers.push_back(reuse ? value.spare : mgpuMemAlloc(bytes, buffers.stream(), false));
    newValues.fromSpare.push_back(reuse);
    buffers.check("allocating " + std::to_string(bytes) + " bytes for the new value of " +
                  node->describe());
    descriptors.add(newValues.buffers.back(), shape);
  }
  // The index error record: zeroed when the code may write it.
  constexpr std::size_t kRecordWords = 3;
  void *record = buffers.allocate(kRecordWords * sizeof(std::int64_t));
  static const Shape recordShape{static_cast<std::int64_t>(kRecordWords)}; // add() keeps a pointer
  descriptors.add(record, recordShape);
  if (call.checksIndices)
    mgpuMemset32(record, 0, kRecordWords * 2, buffers.stream());
  mgpuStreamSynchronize(buffers.stream()); // inputs in place before the code's stream runs
  buffers.check("copying the arguments in");
  code.call(descriptors.pack());
  buffers.check("running the compiled code");
  // Copied to host staging first: a failure part way leaves the host as it was.
  std::vector<Array> staged;
  std::vector<Array *> stagedFor;
  for (std::size_t i = 0; i < call.outputs.size(); ++i) {
    if (!outputBuffers[i])
      continue;
    staged.emplace_back(call.outputs[i]->shape(), call.outputs[i]->dtype());
    stagedFor.push_back(call.outputs[i]);
    mgpuMemcpy(staged.back().raw_data(), outputBuffers[i], bytesOf(staged.back()),
               buffers.stream());
  }
  std::int64_t recorded[kRecordWords] = {0, 0, 0};
  if (call.checksIndices)
    mgpuMemcpy(recorded, record, sizeof(recorded), buffers.stream());
  mgpuStreamSynchronize(buffers.stream());
  buffers.check("copying the results out");
  if (recorded[0] != 0) { // an index out of range: nothing takes effect
    runtime::CallFailure failure;
    failure.kind = runtime::CallFailure::Kind::Index;
    failure.site = recorded[0] - 1;
    failure.value = recorded[1];
    failure.size = recorded[2];
    return failure;
  }
  for (std::size_t i = 0; i < staged.size(); ++i)
    std::memcpy(stagedFor[i]->raw_data(), staged[i].raw_data(), bytesOf(staged[i]));
  // Everything succeeded: the new values take effect, together.
  newValues.committed = true;
  for (std::size_t u = 0; u < call.updates.size(); ++u) {
    auto &[node, shape] = call.updates[u];
    DeviceValue &value = *node->deviceValue;
    std::lock_guard<std::mutex> lock(value.mutex);
    if (!newValues.fromSpare[u])
      mgpuMemFree(value.spare, buffers.stream());
    value.spare = value.buffer;
    value.spareBytes = value.bytes;
    value.buffer = newValues.buffers[u];
    value.bytes = bytesOf(shape, node->dtype);
    value.deviceCurrent = true;
    value.hostCurrent = false;
    if (node->storage->shape() != shape) // the host value keeps the shape
      *node->storage = Array(shape, node->dtype);
  }
  return {};
}

namespace {

/// The device must be usable for arrays to live there.
void requireDriver(const std::string &who) {
  std::string why;
  if (!runtime::cuda::driver(&why))
    throw DeviceError(who + ": no CUDA driver found: " + why);
}

/// How many elements a view spans in its buffer (strides are not negative).
std::int64_t span(const Array &a) {
  std::int64_t last = 0;
  for (std::size_t i = 0; i < a.shape().size(); ++i) {
    if (a.shape()[i] == 0)
      return 0;
    last += (a.shape()[i] - 1) * a.strides()[i];
  }
  return last + 1;
}

} // namespace

Array deviceArray(const Shape &shape, DType dtype) {
  const std::string who = "an array in GPU memory";
  requireDriver(who);
  CallBuffers buffers(who, "");
  std::size_t bytes = bytesOf(shape, dtype);
  void *pointer = mgpuMemAlloc(bytes, buffers.stream(), false);
  buffers.check("allocating " + std::to_string(bytes) + " bytes");
  std::shared_ptr<void> buffer(pointer, [](void *p) {
    bool pending = runtime::cuda::hasDeviceError();
    mgpuMemFree(p, nullptr);
    if (!pending) // a failure to free has nobody to tell
      runtime::cuda::takeDeviceError();
  });
  mgpuStreamSynchronize(buffers.stream()); // allocated before any other stream uses it
  buffers.check("allocating " + std::to_string(bytes) + " bytes");
  return ArrayAccess::make(std::move(buffer), shape, dtype);
}

Array copyToDevice(const Array &host) {
  Array device = deviceArray(host.shape(), host.dtype());
  CallBuffers buffers("Array::to(\"cuda\")", "");
  mgpuMemcpy(ArrayAccess::devicePointer(device), host.raw_data(), bytesOf(host), buffers.stream());
  mgpuStreamSynchronize(buffers.stream());
  buffers.check("copying " + std::to_string(bytesOf(host)) + " bytes in");
  return device;
}

Array copyOnDevice(const Array &device) {
  if (!device.is_contiguous())
    return copyToDevice(copyToHost(device));
  Array copy = deviceArray(device.shape(), device.dtype());
  CallBuffers buffers("Array::copy", "");
  mgpuMemcpy(ArrayAccess::devicePointer(copy), ArrayAccess::devicePointer(device),
             bytesOf(device), buffers.stream());
  mgpuStreamSynchronize(buffers.stream());
  buffers.check("copying " + std::to_string(bytesOf(device)) + " bytes");
  return copy;
}

Array copyToHost(const Array &device) {
  // The span the view covers, then the view of it on the host (a
  // transposed array is strided).
  std::int64_t elements = span(device);
  Array whole({elements}, device.dtype());
  std::size_t bytes = static_cast<std::size_t>(elements) * dtype_size(device.dtype());
  CallBuffers buffers("Array::to(\"cpu\")", "");
  mgpuMemcpy(whole.raw_data(), ArrayAccess::devicePointer(device), bytes, buffers.stream());
  mgpuStreamSynchronize(buffers.stream());
  buffers.check("copying " + std::to_string(bytes) + " bytes out");
  if (device.is_contiguous())
    return whole.reshape(device.shape());
  return Array::borrow_raw(whole.raw_data(), device.shape(), device.dtype(), device.strides()).copy();
}

void syncToHost(Node &node) {
  if (!node.deviceValue)
    return;
  DeviceValue &value = *node.deviceValue;
  std::lock_guard<std::mutex> lock(value.mutex);
  if (value.hostCurrent)
    return;
  Array &host = *node.storage;
  if (host.use_count() > 1) // a borrowed value keeps what it had
    host = Array(host.shape(), host.dtype());
  CallBuffers buffers("reading shared variable " + node.describe());
  mgpuMemcpy(host.raw_data(), value.buffer, bytesOf(host), buffers.stream());
  mgpuStreamSynchronize(buffers.stream());
  buffers.check("copying it from the device");
  value.hostCurrent = true;
}

void hostValueChanged(Node &node) {
  if (!node.deviceValue)
    return;
  std::lock_guard<std::mutex> lock(node.deviceValue->mutex);
  node.deviceValue->deviceCurrent = false;
  node.deviceValue->hostCurrent = true;
}
#else
struct DeviceValue {};

Array deviceArray(const Shape &, DType) {
  throw DeviceError("an array in GPU memory: this Theon was built without the CUDA runtime");
}
Array copyToDevice(const Array &) {
  throw DeviceError("Array::to(\"cuda\"): this Theon was built without the CUDA runtime");
}
Array copyOnDevice(const Array &) {
  throw DeviceError("Array::copy: this Theon was built without the CUDA runtime");
}
Array copyToHost(const Array &) {
  throw DeviceError("Array::to(\"cpu\"): this Theon was built without the CUDA runtime");
}

void checkKernelsLoaded(const std::string &) {}

runtime::CallFailure callOnDevice(const runtime::CompiledFunction &, const DeviceCall &,
                                  const std::string &who) {
  throw DeviceError(who + ": this Theon was built without the CUDA runtime");
}

void syncToHost(Node &) {}
void hostValueChanged(Node &) {}
#endif

} // namespace theon::detail
