// Large Array buffers are recycled by size (no fresh pages per output).
#include <gtest/gtest.h>

#include "theon/theon.h"

using theon::Array;

TEST(ArrayPool, DroppedLargeBuffersAreReused) {
  const void *first = nullptr;
  {
    Array a({1024, 1024}, theon::DType::Float32); // 4 MiB
    first = a.raw_data();
  }
  Array b({2048, 512}, theon::DType::Float32); // same size, other shape
  EXPECT_EQ(b.raw_data(), first);
  Array c({1024, 1024}, theon::DType::Float32); // b still holds the block
  EXPECT_NE(c.raw_data(), first);
}

TEST(ArrayPool, SmallAndHeldBuffersAreNotShared) {
  Array held({512, 1024}, theon::DType::Float32);
  Array copy = held; // same buffer, still referenced
  Array other({512, 1024}, theon::DType::Float32);
  EXPECT_NE(other.raw_data(), held.raw_data());
  EXPECT_TRUE(copy.shares_memory(held));
}

TEST(ArrayPool, FunctionOutputsReuseDroppedOutputs) {
  namespace T = theon::tensor;
  auto x = T::vector("x");
  auto f = theon::function({x}, {T::exp(x)});
  Array in = Array::zeros({1 << 20});
  const void *first = f(in)[0].raw_data(); // dropped right away
  Array second = f(in)[0];
  EXPECT_EQ(second.raw_data(), first);
  EXPECT_EQ(second.to_vector<float>()[12345], 1.0f);
}
