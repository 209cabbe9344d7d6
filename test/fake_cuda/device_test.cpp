// theon::function with device=cuda on the fake driver (test/fake_cuda): the
// function compiles through the GPU pipeline and runs through runtime/cuda;
// the fake driver does not run kernels, so these check what the host side
// does: modules loaded once per compilation, the copies in and out and the
// launches of each call, and errors that leave shared variables as they
// were.
#include <gtest/gtest.h>

#include "FakeDriver.h"

#include <dlfcn.h>
#include <cstdlib>
#include <sstream>
#include <string>

#ifndef THEON_NO_LEARNER
#include "learner.h"
#endif
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Variable;

namespace {

/// Fresh compilations: the disk cache would skip the driver's JIT. And the
/// fake cuBLAS, before anything loads a real one (which would need a real
/// driver).
struct Setup {
  Setup() {
    theon::config().cache = false;
    setenv("THEON_CUBLAS", THEON_FAKE_CUBLAS, 1);
  }
} setup;

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

// The fake cuBLAS computes on the fake driver's memory (host memory), so
// products on the GPU path give real numbers: each layout's flags and
// leading dimensions are checked against the CPU. (One product per
// function: products of one shape share a zero-filled buffer, and the fill
// is a kernel, which the fake driver does not run.)
TEST(DeviceCuda, ProductsCallCublas) {
  auto a = T::matrix("a");
  auto b = T::matrix("b");
  Array av = Array::uniform({5, 7}, -1.0, 1.0), bv = Array::uniform({7, 3}, -1.0, 1.0);
  Array atv = Array::uniform({7, 5}, -1.0, 1.0), btv = Array::uniform({3, 7}, -1.0, 1.0);
  struct Layout {
    Variable product;
    Array x, y;
    const char *call; // row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T:
                      // the operands swap (n x m x k = 3 x 5 x 7), the flags stay with them
  };
  std::vector<Layout> layouts{{T::dot(a, b), av, bv, "cublasSgemm_v2 NN 3x5x7"},
                              {T::dot(a.T(), b), atv, bv, "cublasSgemm_v2 NT 3x5x7"},
                              {T::dot(a, b.T()), av, btv, "cublasSgemm_v2 TN 3x5x7"},
                              {T::dot(a.T(), b.T()), atv, btv, "cublasSgemm_v2 TT 3x5x7"}};
  Fake fake;
  for (const Layout &layout : layouts) {
    auto cpu = theon::function({a, b}, {layout.product}, theon::FunctionOptions{}.named("mm_cpu"));
    auto gpu = theon::function({a, b}, {layout.product},
                               theon::FunctionOptions{}.named("mm").on_device("cuda"));
    fake.clear();
    Array got = gpu(layout.x, layout.y)[0], expected = cpu(layout.x, layout.y)[0];
    EXPECT_TRUE(theon::allclose(got, expected, 1e-5, 1e-6))
        << layout.call << ": " << got << " vs " << expected;
    EXPECT_EQ(Count(fake.log(), layout.call), 1u) << fake.log();
  }
  auto x = T::dmatrix("x");
  auto y = T::dmatrix("y");
  auto f64 = theon::function({x, y}, {T::dot(x, y)}, theon::FunctionOptions{}.named("dmm").on_device("cuda"));
  Array xv = Array::uniform({4, 6}, -1.0, 1.0, DType::Float64);
  Array yv = Array::uniform({6, 2}, -1.0, 1.0, DType::Float64);
  auto reference = theon::function({x, y}, {T::dot(x, y)})(xv, yv)[0];
  fake.clear();
  EXPECT_TRUE(theon::allclose(f64(xv, yv)[0], reference, 1e-12, 1e-12));
  EXPECT_EQ(Count(fake.log(), "cublasDgemm_v2 NN 2x4x6"), 1u) << fake.log();
}

TEST(DeviceCuda, AFailedProductIsADeviceErrorAndChangesNothing) {
  auto x = T::matrix("x");
  auto v = T::matrix("v");
  auto w = theon::shared(Array::full({3, 2}, 1.0, DType::Float32), "w");
  auto f = theon::function({x, v}, {T::dot(x, w)}, theon::Updates{{w, v}},
                           theon::FunctionOptions{}.named("layer").on_device("cuda"));
  Array first = Array::full({2, 3}, 2.0, DType::Float32);
  Array twos = Array::full({3, 2}, 2.0, DType::Float32);
  EXPECT_EQ(f(first, twos)[0].to_vector<float>(), std::vector<float>(4, 6.0f));
  Fake fake;
  fake.set("gemm_fails", 1);
  try {
    f(first, Array::full({3, 2}, 5.0, DType::Float32));
    FAIL() << "no error";
  } catch (const theon::DeviceError &e) {
    EXPECT_NE(std::string(e.what()).find("function 'layer': on the GPU, running the compiled code: "
                                         "cublasSgemm_v2: CUBLAS_STATUS_EXECUTION_FAILED"),
              std::string::npos) << e.what();
  }
  fake.set("gemm_fails", 0);
  EXPECT_EQ(w.get_value().to_vector<float>(), twos.to_vector<float>()); // not 5s
  EXPECT_EQ(f(first, twos)[0].to_vector<float>(), std::vector<float>(4, 12.0f));
}

// An index computed on the device (here from a shared variable) is
// checked in the kernel, which records the first one out of range; the
// call then raises IndexError and takes none of its updates. (The fake
// driver runs no kernel: its record_index_error setting leaves the record
// as such a kernel would.)
TEST(DeviceCuda, AnIndexOutOfRangeOnTheDeviceIsAnIndexError) {
  auto x = T::matrix("x");
  auto i = theon::shared(Array::from_vector<std::int32_t>({0, 1}, {2}), "i");
  auto w = theon::shared(Array::full({2}, 1.0, DType::Float32), "w");
  auto f = theon::function({x}, {x[i + 0]}, theon::Updates{{w, w + 1.0f}},
                           theon::FunctionOptions{}.named("rows").on_device("cuda"));
  Array input = Array::full({5, 4}, 1.0, DType::Float32); // rows of 16 bytes
  Fake fake;
  f(input);
  fake.clear();
  f(input);
  std::string log = fake.log();
  // The record is zeroed before and read after (24 bytes).
  EXPECT_EQ(Count(log, "cuMemsetD32Async 6\n"), 1u) << log;
  EXPECT_EQ(Count(log, "cuMemcpyAsync 24\n"), 1u) << log;
  Array before = w.get_value();
  fake.set("record_index_error", 1); // site 0
  try {
    f(input);
    FAIL() << "no error";
  } catch (const theon::IndexError &e) {
    EXPECT_NE(std::string(e.what()).find("function 'rows': index 7 is out of bounds for axis 0 "
                                         "of 'x' (indices the result of add) with size 5 (valid: "
                                         "-5 to 4); shared variables are unchanged"),
              std::string::npos) << e.what();
  }
  fake.set("record_index_error", 0);
  EXPECT_EQ(w.get_value().to_vector<float>(), before.to_vector<float>());
  // A function without index checks reads no record.
  auto g = theon::function({x}, {x * 2.0f}, theon::FunctionOptions{}.named("twice").on_device("cuda"));
  g(input);
  fake.clear();
  g(input);
  EXPECT_EQ(Count(fake.log(), "cuMemcpyAsync 24\n"), 0u) << fake.log();
  EXPECT_EQ(Count(fake.log(), "cuMemsetD32Async 6\n"), 0u) << fake.log();
}

// Arrays in GPU memory: copies there and back are real on the fake
// driver (its memory is host memory).
TEST(DeviceCuda, ArraysMoveToTheDeviceAndBack) {
  Array a = Array::uniform({4, 3}, -1.0, 1.0);
  Array d = a.to("cuda");
  EXPECT_EQ(d.device(), "cuda");
  EXPECT_TRUE(d.on_device());
  EXPECT_EQ(d.shape(), a.shape());
  EXPECT_EQ(d.to_vector<float>(), a.to_vector<float>());
  EXPECT_TRUE(theon::array_equal(d, a));
  EXPECT_EQ(d.to_string(), a.to_string());
  EXPECT_EQ(d.to("cuda").shares_memory(d), true); // already there
  Array back = d.to("cpu");
  EXPECT_EQ(back.device(), "cpu");
  EXPECT_EQ(back.to_vector<float>(), a.to_vector<float>());
  Array copy = d.copy();
  EXPECT_TRUE(copy.on_device());
  EXPECT_FALSE(copy.shares_memory(d));
  EXPECT_EQ(copy.to_vector<float>(), a.to_vector<float>());
  EXPECT_EQ(d.T().to("cpu").to_vector<float>(), a.T().copy().to_vector<float>());
  EXPECT_EQ(Array::full({}, 2.5, DType::Float32).to("cuda").item<double>(), 2.5);
  // Shared variables keep a host value: one made from, or set to, a device
  // array copies it.
  auto w = theon::shared(d, "w");
  EXPECT_EQ(w.get_value(true).device(), "cpu");
  EXPECT_EQ(w.get_value().to_vector<float>(), a.to_vector<float>());
  w.set_value(Array::zeros({4, 3}, DType::Float32).to("cuda"));
  EXPECT_EQ(w.get_value().to_vector<float>(), std::vector<float>(12, 0.0f));
  try {
    (void)d.data<float>();
    FAIL() << "no error";
  } catch (const theon::DeviceError &e) {
    EXPECT_NE(std::string(e.what()).find("is in GPU memory"), std::string::npos) << e.what();
  }
}

TEST(DeviceCuda, FunctionsTakeAndGiveArraysInGpuMemory) {
  auto x = T::matrix("x");
  Array a = Array::uniform({4, 3}, -1.0, 1.0); // 48 bytes
  Array d = a.to("cuda");
  auto f = theon::function({x}, {T::sum(x)}, theon::FunctionOptions{}.named("total").on_device("cuda"));
  Fake fake;
  f(a);
  fake.clear();
  f(a);
  EXPECT_EQ(Count(fake.log(), "cuMemcpyAsync 48\n"), 1u) << fake.log(); // a host input goes in
  fake.clear();
  f(d);
  EXPECT_EQ(Count(fake.log(), "cuMemcpyAsync 48\n"), 0u) << fake.log(); // a device one does not
  // Outputs left on the device: no copy out either; they feed the next call.
  auto g = theon::function({x}, {x}, theon::FunctionOptions{}.named("same").on_device("cuda")
                                         .with_outputs_on_device());
  Array out = g(d)[0];
  fake.clear();
  out = g(d)[0];
  EXPECT_TRUE(out.on_device());
  EXPECT_EQ(out.to_vector<float>(), a.to_vector<float>()); // the fake copies memory for real
  fake.clear();
  f(out);
  EXPECT_EQ(Count(fake.log(), "cuMemcpyAsync 48\n"), 0u) << fake.log();
  // A CPU function copies a device array to the host.
  auto h = theon::function({x}, {x * 2.0f}, theon::FunctionOptions{}.named("twice").on_device("cpu"));
  EXPECT_EQ(h(d)[0].to_vector<float>(), h(a)[0].to_vector<float>());
  // A device array of another dtype is not converted.
  try {
    f(Array::uniform({4, 3}, -1.0, 1.0, DType::Float64).to("cuda"));
    FAIL() << "no error";
  } catch (const theon::TypeError &e) {
    EXPECT_NE(std::string(e.what()).find("float64 array in GPU memory, expected float32"),
              std::string::npos) << e.what();
  }
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
