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

TEST(DeviceCuda, ATrainingStepCopiesNoSharedVariable) {
  auto x = T::vector("x");
  auto w = theon::shared(Array::full({1000}, 2.0, DType::Float32), "w");
  auto y = T::exp(x) * w;
  auto f = theon::function({x}, {T::sum(y)}, theon::Updates{{w, w * 0.5f}},
                           theon::FunctionOptions{}.named("step").on_device("cuda"));
  Array input = Array::full({1000}, 1.0, DType::Float32);
  Fake fake;
  ASSERT_NE(fake.library, nullptr);
  f(input); // compiles, and copies w to the device
  for (int step = 0; step < 2; ++step) {
    fake.clear();
    f(input);
    std::string log = fake.log();
    // No module loads; x goes in and the cost comes out; w stays on the
    // device, and its new value reuses its previous buffer.
    EXPECT_EQ(Count(log, "cuModuleLoadDataEx"), 0u) << log;
    EXPECT_GE(Count(log, "cuLaunchKernel"), 1u) << log;
    EXPECT_EQ(Count(log, "cuMemcpyAsync 4000\n"), 1u) << log; // x
    EXPECT_EQ(Count(log, "cuMemcpyAsync 4\n"), 1u) << log;    // the cost
    EXPECT_EQ(Count(log, "cuMemAllocAsync"), Count(log, "cuMemFreeAsync")) << log;
  }
  fake.clear();
  (void)w.get_value(); // copied to the host once
  (void)w.get_value(true);
  EXPECT_EQ(Count(fake.log(), "cuMemcpyAsync 4000\n"), 1u) << fake.log();
  w.set_value(Array::full({1000}, 1.0, DType::Float32));
  fake.clear();
  f(input); // the new value goes to the device
  EXPECT_EQ(Count(fake.log(), "cuMemcpyAsync 4000\n"), 2u) << fake.log();
}

// The fake driver runs no kernel but does copy memory: an update that is
// a copy of an input moves real values through device memory.
TEST(DeviceCuda, UpdatedValuesAreReadFromTheDevice) {
  auto x = T::vector("x");
  auto w = theon::shared(Array::full({4}, 0.0, DType::Float32), "w");
  auto f = theon::function({x}, {}, theon::Updates{{w, x}},
                           theon::FunctionOptions{}.named("assign").on_device("cuda"));
  Array borrowed = w.get_value(true);
  f(Array::from_vector<float>({1, 2, 3, 4}, {4}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(borrowed.to_vector<float>(), (std::vector<float>{0, 0, 0, 0})); // not written into
  // A new shape: the host value follows it.
  f(Array::from_vector<float>({5, 6}, {2}));
  EXPECT_EQ(w.get_value().shape(), (theon::Shape{2}));
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{5, 6}));
  // A CPU function reads the GPU's value, and its update reaches the GPU.
  auto g = theon::function({}, {w * 2.0f}, theon::Updates{{w, w + 1.0f}},
                           theon::FunctionOptions{}.named("bump").on_device("cpu"));
  f(Array::from_vector<float>({7, 8}, {2}));
  EXPECT_EQ(g()[0].to_vector<float>(), (std::vector<float>{14, 16}));
  auto copy = theon::function({}, {}, theon::Updates{{w, w}},
                              theon::FunctionOptions{}.named("keep").on_device("cuda"));
  copy();
  EXPECT_EQ(w.get_value().to_vector<float>(), (std::vector<float>{8, 9}));
}

TEST(DeviceCuda, OutOfMemoryLeavesSharedVariablesAsTheyWere) {
  auto x = T::vector("x");
  auto w = theon::shared(Array::full({256}, 3.0, DType::Float32), "w");
  auto f = theon::function({x}, {x * 2.0f}, theon::Updates{{w, x}},
                           theon::FunctionOptions{}.named("grow").on_device("cuda"));
  Array first = Array::full({256}, 1.0, DType::Float32);
  f(first); // w is now `first`, on the device only
  Fake fake;
  fake.set("oom", 1);
  try {
    f(Array::full({256}, 5.0, DType::Float32));
    FAIL() << "no error";
  } catch (const theon::MemoryError &e) {
    EXPECT_NE(std::string(e.what()).find("function 'grow': on the GPU, allocating"),
              std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("CUDA_ERROR_OUT_OF_MEMORY"), std::string::npos);
  }
  fake.set("oom", 0);
  EXPECT_EQ(w.get_value().to_vector<float>(), first.to_vector<float>());
  EXPECT_NO_THROW(f(first)); // and the function still works
  // Out of memory while a variable goes to the device: it keeps its value.
  w.set_value(Array::full({256}, 4.0, DType::Float32));
  fake.set("oom", 1);
  EXPECT_THROW(f(first), theon::MemoryError);
  fake.set("oom", 0);
  EXPECT_EQ(w.get_value().to_vector<float>(), Array::full({256}, 4.0, DType::Float32).to_vector<float>());
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
  // checks what the host does, not the numbers.
  std::string saved = theon::config().device;
  theon::config().device = "cuda";
  mlp::DataSet data = mlp::synthetic(64, 8, 3, 1);
  Fake fake;
  fake.clear();
  {
    mlp::Learner learner(16, 0.1, 10, 0.5);
    std::ostringstream costs; // meaningless: no kernel ran
    EXPECT_NO_THROW(learner.fit(data, 3, 3, -1, nullptr, costs));
    std::string first = fake.log();
    EXPECT_GE(Count(first, "cuModuleLoadDataEx"), 5u) << first;
    EXPECT_GE(Count(first, "cuLaunchKernel"), 30u);
    // Steps of a training function (batch 16, 8 features, 10 hidden, 3
    // classes): after the first, no module loads, no copies of W1 (320
    // bytes), B1 (40), W2 (120) or their Adagrad sums, and no allocation
    // kept; the batch goes in (512 + 64 bytes) and the cost comes out.
    theon::Function &train = learner.build_training(8, 3);
    Array x = Array::full({16, 8}, 0.5, DType::Float32);
    Array y = Array::full({16}, 1.0, DType::Int32);
    train(x, y);
    std::string before = fake.log();
    for (int step = 0; step < 3; ++step)
      train(x, y);
    std::string steps = fake.log().substr(before.size());
    EXPECT_EQ(Count(steps, "cuModuleLoadDataEx"), 0u) << steps;
    EXPECT_GE(Count(steps, "cuLaunchKernel"), 30u);
    for (const char *bytes : {"320", "40", "120"})
      EXPECT_EQ(Count(steps, std::string("cuMemcpyAsync ") + bytes + "\n"), 0u) << bytes;
    EXPECT_EQ(Count(steps, "cuMemcpyAsync 512\n"), 3u) << steps;
    EXPECT_EQ(Count(steps, "cuMemcpyAsync 4\n"), 3u) << steps;
    EXPECT_EQ(Count(steps, "cuMemAllocAsync"), Count(steps, "cuMemFreeAsync")) << steps;
    EXPECT_NO_THROW(learner.classification_accuracy(data));
  }
  theon::config().device = saved;
  // The learner is gone, and with it every device copy of its variables.
  std::string log = fake.log();
  EXPECT_EQ(Count(log, "cuMemAllocAsync"), Count(log, "cuMemFreeAsync")) << log;
}

#endif

} // namespace
