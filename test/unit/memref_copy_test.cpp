// The runtime's memrefCopy (what memref.copy between strided buffers lowers
// to): every element lands where the strides say, whatever runs of it are
// contiguous, for each element size.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "runtime/MemrefCopy.h"

namespace {

/// Copies a `sizes` view of buffers laid out by the given strides and
/// offsets, and checks every element of the target buffer: copied ones
/// hold the source's value, the others are untouched.
template <class T, int Rank>
void expectCopy(const std::vector<std::int64_t> &sizes, const std::vector<std::int64_t> &fromStrides,
                std::int64_t fromOffset, const std::vector<std::int64_t> &toStrides,
                std::int64_t toOffset) {
  auto extent = [&](const std::vector<std::int64_t> &strides, std::int64_t offset) {
    std::int64_t last = offset;
    for (int d = 0; d < Rank; ++d)
      last += (sizes[d] - 1) * strides[d];
    return last + 1;
  };
  std::vector<T> from(static_cast<std::size_t>(extent(fromStrides, fromOffset)));
  std::iota(from.begin(), from.end(), T(1));
  std::vector<T> to(static_cast<std::size_t>(extent(toStrides, toOffset)), T(0));
  StridedMemRefType<T, Rank> a{from.data(), from.data(), fromOffset, {}, {}};
  StridedMemRefType<T, Rank> b{to.data(), to.data(), toOffset, {}, {}};
  for (int d = 0; d < Rank; ++d) {
    a.sizes[d] = b.sizes[d] = sizes[d];
    a.strides[d] = fromStrides[d];
    b.strides[d] = toStrides[d];
  }
  UnrankedMemRefType<char> source{Rank, &a}, target{Rank, &b};
  memrefCopy(sizeof(T), &source, &target);

  std::vector<T> expected(to.size(), T(0));
  std::int64_t count = 1;
  for (std::int64_t s : sizes)
    count *= s;
  for (std::int64_t flat = 0; flat < count; ++flat) {
    std::int64_t rest = flat, f = fromOffset, t = toOffset;
    for (int d = Rank - 1; d >= 0; --d) {
      std::int64_t i = rest % sizes[d];
      rest /= sizes[d];
      f += i * fromStrides[d];
      t += i * toStrides[d];
    }
    expected[static_cast<std::size_t>(t)] = from[static_cast<std::size_t>(f)];
  }
  EXPECT_EQ(to, expected);
}

TEST(MemrefCopy, AnImageIntoItsPaddedBuffer) {
  // (2, 3, 4, 5) into the middle of a (2, 3, 6, 7) buffer: rows of 5.
  expectCopy<float, 4>({2, 3, 4, 5}, {60, 20, 5, 1}, 0, {126, 42, 7, 1}, 8);
  expectCopy<double, 4>({2, 3, 4, 5}, {60, 20, 5, 1}, 0, {126, 42, 7, 1}, 8);
}

TEST(MemrefCopy, ContiguousAxesMergeIntoOneRun) {
  // Both sides contiguous over the last two axes, then a gap.
  expectCopy<float, 3>({3, 4, 5}, {20, 5, 1}, 0, {30, 5, 1}, 2);
  // Wholly contiguous.
  expectCopy<std::int64_t, 2>({6, 7}, {7, 1}, 0, {7, 1}, 0);
}

TEST(MemrefCopy, StridedInnermostAxesForEveryElementSize) {
  // A transposed source: the innermost axis is not contiguous.
  expectCopy<float, 2>({4, 3}, {1, 4}, 0, {3, 1}, 0);
  expectCopy<double, 2>({4, 3}, {1, 4}, 1, {3, 1}, 0);
  expectCopy<std::int8_t, 2>({5, 3}, {1, 5}, 0, {3, 1}, 0);
  expectCopy<std::int16_t, 3>({2, 3, 4}, {12, 1, 3}, 0, {12, 4, 1}, 0);
  // A contiguous source into a strided target (every other element).
  expectCopy<std::int32_t, 2>({3, 4}, {4, 1}, 0, {8, 2}, 1);
}

TEST(MemrefCopy, UnitAxesAndEmptyAndScalarViews) {
  expectCopy<float, 3>({1, 4, 1}, {99, 1, 7}, 0, {4, 1, 1}, 0);
  expectCopy<float, 2>({0, 3}, {3, 1}, 0, {3, 1}, 0); // nothing to copy
  float x = 3, y = 0;
  StridedMemRefType<float, 0> a{&x, &x, 0}, b{&y, &y, 0};
  UnrankedMemRefType<char> source{0, &a}, target{0, &b};
  memrefCopy(sizeof(float), &source, &target);
  EXPECT_EQ(y, 3);
}

} // namespace
