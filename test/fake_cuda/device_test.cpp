// theon::function with device=cuda on the fake driver (test/fake_cuda): the
// function compiles through the GPU pipeline and runs through runtime/cuda;
// the fake driver does not run kernels, so these check what the host side
// does: modules loaded once per compilation, the copies in and out and the
// launches of each call, and errors that leave shared variables as they
// were.
#include <gtest/gtest.h>

#include "FakeDriver.h"

#include <dlfcn.h>
#include <sstream>
#include <string>

#ifndef THEON_NO_LEARNER
#include "learner.h"
#endif
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;

namespace {

/// Fresh compilations: the disk cache would skip the driver's JIT.
struct NoDiskCache {
  NoDiskCache() { theon::config().cache = false; }
} noDiskCache;

using Fake = FakeDriver;

std::size_t Count(const std::string &text, const std::string &what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

TEST(DeviceCuda, CallsLoadKernelsOnceAndCopyEachCall) {
  auto x = T::vector("x");
  auto w = theon::shared(Array::full({1000}, 2.0, DType::Float32), "w");
  auto y = T::exp(x) * w;
  auto f = theon::function({x}, {T::sum(y)}, theon::Updates{{w, w * 0.5f}},
                           theon::FunctionOptions{}.named("step").on_device("cuda"));
  Array input = Array::full({1000}, 1.0, DType::Float32);
  f(input); // compiles: the fake driver is loaded now
  Fake fake;
  ASSERT_NE(fake.library, nullptr);
  fake.clear();
  f(input);
  std::string second = fake.log();
  // No module loads after the first call; the arguments (x, w) and the
  // result go in and out; w's update comes back.
  EXPECT_EQ(Count(second, "cuModuleLoadDataEx"), 0u) << second;
  EXPECT_GE(Count(second, "cuLaunchKernel"), 1u) << second;
  EXPECT_EQ(Count(second, "cuMemcpyAsync 4000\n"), 3u) << second; // x and w in, w back
  EXPECT_EQ(Count(second, "cuMemcpyAsync 4\n"), 1u) << second;    // the cost out
  EXPECT_EQ(Count(second, "cuMemAllocAsync"), Count(second, "cuMemFreeAsync")) << second;
}

TEST(DeviceCuda, OutOfMemoryLeavesSharedVariablesAsTheyWere) {
  auto x = T::vector("x");
  auto w = theon::shared(Array::full({256}, 3.0, DType::Float32), "w");
  auto f = theon::function({x}, {x + w}, theon::Updates{{w, w + 1.0f}},
                           theon::FunctionOptions{}.named("grow").on_device("cuda"));
  Array input = Array::full({256}, 1.0, DType::Float32);
  f(input);
  Fake fake;
  fake.set("oom", 1);
  Array before = w.get_value();
  try {
    f(input);
    FAIL() << "no error";
  } catch (const theon::MemoryError &e) {
    EXPECT_NE(std::string(e.what()).find("function 'grow': on the GPU, allocating"),
              std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("CUDA_ERROR_OUT_OF_MEMORY"), std::string::npos);
  }
  fake.set("oom", 0);
  EXPECT_EQ(w.get_value().to_vector<float>(), before.to_vector<float>());
  EXPECT_NO_THROW(f(input)); // and the function still works
}

TEST(DeviceCuda, PtxTheJitRejectsIsADeviceError) {
  Fake fake;
  fake.set("bad_ptx", 1);
  auto x = T::vector("x");
  auto f = theon::function({x}, {T::tanh(x)}, theon::FunctionOptions{}.named("bad").on_device("cuda"));
  try {
    f(Array::full({8}, 1.0, DType::Float32));
    FAIL() << "no error";
  } catch (const theon::DeviceError &e) {
    EXPECT_NE(std::string(e.what()).find("function 'bad': loading its kernels on the GPU: "
                                         "cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX"),
              std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ptxas fatal: fake syntax error"), std::string::npos);
  }
  fake.set("bad_ptx", 0);
}


#ifndef THEON_NO_LEARNER
TEST(DeviceCuda, TheSeedLearnerCompilesAndRunsOnTheGpuPath) {
  // Every function of the cheat sheet's Learner (the training step with
  // its gradients and Adagrad updates, and prediction) through the GPU
  // pipeline and the runtime. The fake driver runs no kernel, so this
  // checks that everything compiles, loads and is called, not the numbers.
  std::string saved = theon::config().device;
  theon::config().device = "cuda";
  mlp::DataSet data = mlp::synthetic(64, 8, 3, 1);
  mlp::Learner learner(16, 0.1, 10, 0.5);
  Fake fake;
  fake.clear();
  std::ostringstream costs; // meaningless: no kernel ran
  EXPECT_NO_THROW(learner.fit(data, 3, 3, -1, nullptr, costs));
  EXPECT_NO_THROW(learner.classification_accuracy(data));
  theon::config().device = saved;
  std::string log = fake.log();
  EXPECT_GE(Count(log, "cuModuleLoadDataEx"), 10u) << log;
  EXPECT_GE(Count(log, "cuLaunchKernel"), 30u);
  EXPECT_EQ(Count(log, "cuMemAllocAsync"), Count(log, "cuMemFreeAsync"));
}

#endif

} // namespace
