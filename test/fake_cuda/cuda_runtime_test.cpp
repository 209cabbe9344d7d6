// runtime/cuda without a GPU: the driver is the fake one (test/fake_cuda),
// loaded through THEON_CUDA_DRIVER by the same dlopen path as libcuda.so.1.
// Checked: the clear errors when there is no driver or no device, the
// sequence of driver calls the mgpu* functions make for a step as the GPU
// pipeline's host code calls them, and the recorded errors (out of memory,
// PTX the JIT rejects). One test uses the real driver and skips without one.
#include <gtest/gtest.h>

#include <thread>

#include "FakeDriver.h"

#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <dlfcn.h>
#include <string>
#include <vector>

#include "runtime/cuda/CudaDriver.h"

#include "runtime/cuda/GpuRuntime.h"

namespace cuda = theon::runtime::cuda;

namespace {

/// The fake driver's controls, from the copy the runtime loaded.
using Fake = FakeDriver;

Fake &fake() {
  std::string why;
  EXPECT_NE(cuda::driver(&why), nullptr) << why;
  static Fake instance;
  EXPECT_NE(instance.library, nullptr);
  return instance;
}

const char kPtx[] = "//\n.version 7.8\n.target sm_90\n.visible .entry step_kernel(\n.param .u64 p)\n{ ret; }\n";

TEST(CudaRuntime, MissingDriverIsAClearError) {
  std::string why;
  EXPECT_EQ(cuda::loadDriver("/nonexistent/libcuda.so.1", &why), nullptr);
  EXPECT_NE(why.find("/nonexistent/libcuda.so.1"), std::string::npos) << why;
  EXPECT_EQ(cuda::loadDriver("libm.so.6", &why), nullptr);
  EXPECT_NE(why.find("has no cuInit"), std::string::npos) << why;
}

TEST(CudaRuntime, NoDeviceIsAClearError) {
  fake();
  fake().set("fail_init", 1);
  std::string why;
  EXPECT_EQ(cuda::loadDriver(THEON_FAKE_CUDA, &why), nullptr);
  EXPECT_EQ(why, "cuInit: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)");
  fake().set("fail_init", 0);
  fake().set("devices", 0);
  EXPECT_EQ(cuda::loadDriver(THEON_FAKE_CUDA, &why), nullptr);
  EXPECT_EQ(why, "the driver sees no CUDA device");
  fake().set("devices", 1);
}

TEST(CudaRuntime, OneStepMakesTheExpectedDriverCalls) {
  Fake &f = fake();
  f.clear();
  // What the global constructor does once, then what one call does.
  void *module = mgpuModuleLoadJIT(const_cast<char *>(kPtx), 2);
  ASSERT_NE(module, nullptr);
  void *stream = mgpuStreamCreate();
  std::vector<float> host{1, 2, 3, 4}, back(4, 0);
  void *device = mgpuMemAlloc(16, stream, false);
  mgpuMemcpy(device, host.data(), 16, stream);
  void *function = mgpuModuleGetFunction(module, "step_kernel");
  void *arg = device;
  void *params[] = {&arg};
  mgpuLaunchKernel(function, 2, 1, 1, 256, 1, 1, 0, stream, params, nullptr, 1);
  mgpuMemset32(device, 0, 2, stream);
  mgpuMemcpy(back.data(), device, 16, stream);
  mgpuMemFree(device, stream);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  EXPECT_EQ(cuda::takeDeviceError(), "");
  EXPECT_EQ(back, (std::vector<float>{0, 0, 3, 4}));
  // (Whether the stream is created here depends on the streams this
  // thread was given back before: StreamsAreKeptPerThread checks that.)
  std::string log = f.log();
  if (log.find("cuStreamCreate\n") != std::string::npos)
    log.erase(log.find("cuStreamCreate\n"), std::string("cuStreamCreate\n").size());
  EXPECT_EQ(log, "cuModuleLoadDataEx step_kernel\n"
                     "cuMemAllocAsync 16\n"
                     "cuMemcpyAsync 16\n"
                     "cuModuleGetFunction step_kernel\n"
                     "cuLaunchKernel grid 2x1x1 block 256x1x1\n"
                     "cuMemsetD32Async 2\n"
                     "cuMemcpyAsync 16\n"
                     "cuMemFreeAsync\n"
                     "cuStreamSynchronize\n");
  mgpuModuleUnload(module);
}

TEST(CudaRuntime, StreamsAreKeptPerThread) {
  // Each call of compiled code creates and destroys a stream: the runtime
  // keeps destroyed streams per thread and hands them out again.
  Fake &f = fake();
  std::thread([&] {
    f.clear();
    void *first = mgpuStreamCreate();
    mgpuStreamDestroy(first);
    void *second = mgpuStreamCreate();
    EXPECT_EQ(second, first);
    std::vector<void *> many;
    for (int i = 0; i < 12; ++i)
      many.push_back(mgpuStreamCreate());
    for (void *s : many)
      mgpuStreamDestroy(s);
    mgpuStreamDestroy(second);
    EXPECT_EQ(cuda::takeDeviceError(), "");
  }).join();
  std::string log = f.log();
  std::size_t creates = 0, destroys = 0;
  for (std::size_t at = log.find("cuStreamCreate"); at != std::string::npos; at = log.find("cuStreamCreate", at + 1))
    ++creates;
  for (std::size_t at = log.find("cuStreamDestroy"); at != std::string::npos; at = log.find("cuStreamDestroy", at + 1))
    ++destroys;
  EXPECT_EQ(creates, 13u) << log; // one, handed out twice, then twelve more
  EXPECT_EQ(destroys, 5u) << log; // eight of the thirteen are kept
}

TEST(CudaRuntime, ErrorsAreRecordedAndLaterCallsDoNothing) {
  Fake &f = fake();
  f.clear();
  f.set("oom", 1);
  void *stream = mgpuStreamCreate();
  EXPECT_EQ(mgpuMemAlloc(1 << 20, stream, false), nullptr);
  f.set("oom", 0);
  mgpuLaunchKernel(reinterpret_cast<void *>(0x3000), 1, 1, 1, 1, 1, 1, 0, stream, nullptr,
                   nullptr, 0);
  // Nothing after the failure (the stream may be one kept from before).
  EXPECT_TRUE(f.log() == "cuStreamCreate\n" || f.log().empty()) << f.log();
  EXPECT_EQ(cuda::takeDeviceError(), "cuMemAllocAsync: CUDA_ERROR_OUT_OF_MEMORY (out of memory)");
  EXPECT_EQ(cuda::takeDeviceError(), "");
  mgpuStreamDestroy(stream);

  f.set("bad_ptx", 1);
  EXPECT_EQ(mgpuModuleLoadJIT(const_cast<char *>(kPtx), 2), nullptr);
  f.set("bad_ptx", 0);
  EXPECT_EQ(cuda::takeDeviceError(),
            "cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX (a PTX JIT compilation failed); the JIT "
            "said: ptxas fatal: fake syntax error");
}

/// The real driver, or a reason to skip: these run with libcuda.so.1 and a
/// GPU (scripts/gpu-check.sh runs them without THEON_CUDA_DRIVER).
const char *RealDriverMissing() {
  static std::string why;
  if (const char *fake = std::getenv("THEON_CUDA_DRIVER"); fake && *fake)
    return "the driver is THEON_CUDA_DRIVER's (the fake one); scripts/gpu-check.sh runs this";
  if (!cuda::driver(&why))
    return why.c_str();
  return nullptr;
}

std::string ReadFile(const char *path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CudaRuntimeOnGpu, PipelineKernelComputesOnTheDevice) {
  if (const char *why = RealDriverMissing())
    GTEST_SKIP() << "no GPU: " << why;
  // test/fake_cuda/smoke_kernel.mlir through --theon-gpu-pipeline: exp(a + b).
  std::string ptx = ReadFile(THEON_SMOKE_PTX);
  ASSERT_NE(ptx.find(".entry smoke_kernel"), std::string::npos) << THEON_SMOKE_PTX;
  void *module = mgpuModuleLoadJIT(ptx.data(), 2);
  ASSERT_EQ(cuda::takeDeviceError(), "");
  void *function = mgpuModuleGetFunction(module, "smoke_kernel");
  void *stream = mgpuStreamCreate();
  const std::int64_t n = 1000;
  std::vector<float> a(n), b(n), out(n, -1);
  for (std::int64_t i = 0; i < n; ++i) {
    a[static_cast<std::size_t>(i)] = 0.001f * static_cast<float>(i);
    b[static_cast<std::size_t>(i)] = -0.5f;
  }
  void *da = mgpuMemAlloc(n * 4, stream, false), *db = mgpuMemAlloc(n * 4, stream, false),
       *dout = mgpuMemAlloc(n * 4, stream, false);
  mgpuMemcpy(da, a.data(), n * 4, stream);
  mgpuMemcpy(db, b.data(), n * 4, stream);
  // The kernel's parameters: the block size, then each memref as
  // (allocated, aligned, offset, size, stride).
  std::int64_t block = 256, zero = 0, size = n, one = 1;
  void *pa = da, *pb = db, *po = dout;
  void *params[] = {&block, &pa, &pa, &zero, &size, &one, &pb, &pb, &zero, &size, &one,
                    &po, &po, &zero, &size, &one};
  mgpuLaunchKernel(function, 4, 1, 1, 256, 1, 1, 0, stream, params, nullptr, 16);
  mgpuMemcpy(out.data(), dout, n * 4, stream);
  mgpuStreamSynchronize(stream);
  ASSERT_EQ(cuda::takeDeviceError(), "");
  for (std::int64_t i = 0; i < n; ++i) {
    auto k = static_cast<std::size_t>(i);
    ASSERT_NEAR(out[k], std::exp(a[k] + b[k]), 1e-6f * std::exp(a[k] + b[k])) << "element " << i;
  }
  for (void *p : {da, db, dout})
    mgpuMemFree(p, stream);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  EXPECT_EQ(cuda::takeDeviceError(), "");
}

TEST(CudaRuntimeOnGpu, OutOfMemoryIsAnError) {
  if (const char *why = RealDriverMissing())
    GTEST_SKIP() << "no GPU: " << why;
  void *stream = mgpuStreamCreate();
  EXPECT_EQ(mgpuMemAlloc(std::uint64_t{1} << 50, stream, false), nullptr); // a petabyte
  EXPECT_NE(cuda::takeDeviceError().find("CUDA_ERROR_OUT_OF_MEMORY"), std::string::npos);
  mgpuStreamDestroy(stream);
}

} // namespace
