// Large Array buffers are recycled by size (no fresh pages per output).
#include <gtest/gtest.h>

#include "theon/theon.h"

using theon::Array;
using theon::DType;
using theon::Shape;

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

// Copies share one immutable shape record; a moved-from array is still a
// valid empty array (a function's update buffers are moved around).
TEST(ArrayLayout, CopiesAndMovedFromArraysStayValid) {
  Array a = Array::zeros({3, 4});
  Array copy = a;
  Array t = a.T();
  EXPECT_EQ(copy.shape(), (Shape{3, 4}));
  EXPECT_EQ(t.shape(), (Shape{4, 3}));
  EXPECT_EQ(t.strides(), (Shape{1, 4}));
  EXPECT_EQ(a.shape(), (Shape{3, 4})); // T() made its own shape
  Array moved = std::move(a);
  EXPECT_EQ(moved.shape(), (Shape{3, 4}));
  EXPECT_EQ(a.shape(), (Shape{0})); // NOLINT(bugprone-use-after-move): the point
  EXPECT_EQ(a.size(), 0);
  EXPECT_EQ(a.dtype(), DType::Float32);
  a = Array::ones({2});
  EXPECT_EQ(a.to_vector<float>(), (std::vector<float>{1, 1}));
  Array b = Array::ones({5});
  b = std::move(b); // self-move leaves the value
  EXPECT_EQ(b.size(), 5);
}
