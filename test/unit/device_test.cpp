// device=cuda where there is no CUDA driver (THEON_CUDA_DRIVER points
// nowhere before the first use of the driver, so also on a machine with a
// GPU): a clear DeviceError, or with fallback=cpu a warning and the CPU's
// result. The GPU path itself is tested on a fake driver (test/fake_cuda).
#include <gtest/gtest.h>

#include <cstdlib>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;

namespace {

/// Before the driver's first use in the process (it is loaded once).
void NoDriver() { setenv("THEON_CUDA_DRIVER", "/nonexistent/libcuda.so.1", 1); }

TEST(Device, CudaWithoutADriverIsAClearError) {
  NoDriver();
  auto x = T::dvector("x");
  auto f = theon::function({x}, {x * 2.0}, theon::FunctionOptions{}.named("double").on_device("cuda"));
  try {
    f(Array::from_vector(std::vector<double>{1, 2}));
    FAIL() << "no error";
  } catch (const theon::DeviceError &e) {
    std::string what = e.what();
    EXPECT_EQ(what.rfind("function 'double': device=cuda: ", 0), 0u) << what;
    EXPECT_NE(what.find("THEON_FLAGS=fallback=cpu runs on the CPU instead"), std::string::npos)
        << what;
  }
  EXPECT_THROW(theon::function({x}, {x}, theon::FunctionOptions{}.on_device("tpu")),
               theon::ValueError);
}

TEST(Device, ArraysCannotGoToAGpuWithoutADriver) {
  NoDriver();
  Array a = Array::from_vector(std::vector<float>{1, 2});
  try {
    (void)a.to("cuda");
    FAIL() << "no error";
  } catch (const theon::DeviceError &e) {
    EXPECT_NE(std::string(e.what()).find("an array in GPU memory: no CUDA driver found"),
              std::string::npos) << e.what();
  }
  EXPECT_THROW((void)a.to("tpu"), theon::ValueError);
  EXPECT_EQ(a.to("cpu").device(), "cpu");
  EXPECT_TRUE(a.to("cpu").shares_memory(a)); // already there: no copy
}

TEST(Device, FallbackRunsOnTheCpu) {
  NoDriver();
  std::string saved = theon::config().fallback;
  theon::config().fallback = "cpu";
  auto x = T::dvector("x");
  auto w = theon::shared(Array::from_vector(std::vector<double>{1, 1}), "w");
  auto f = theon::function({x}, {x * w}, theon::Updates{{w, w + 1.0}},
                           theon::FunctionOptions{}.on_device("cuda"));
  EXPECT_EQ(f(Array::from_vector(std::vector<double>{3, 4}))[0].to_vector<double>(),
            (std::vector<double>{3, 4}));
  EXPECT_EQ(w.get_value().to_vector<double>(), (std::vector<double>{2, 2}));
  theon::config().fallback = saved;
}

} // namespace
