//===- MemrefCopy.cpp - memref.copy between strided buffers ---------------===//
#include "runtime/MemrefCopy.h"

#include <cstring>
#include <vector>

namespace {

struct View {
  char *data;
  const std::int64_t *sizes;
  const std::int64_t *strides;
};

// The ranked descriptor: {allocated, aligned, offset, sizes[rank], strides[rank]}.
View viewOf(const UnrankedMemRefType<char> &m, std::int64_t elementSize) {
  auto *fields = static_cast<char *>(m.descriptor);
  char *aligned = *reinterpret_cast<char **>(fields + sizeof(void *));
  std::int64_t offset = *reinterpret_cast<std::int64_t *>(fields + 2 * sizeof(void *));
  auto *sizes = reinterpret_cast<const std::int64_t *>(fields + 2 * sizeof(void *) +
                                                      sizeof(std::int64_t));
  return {aligned + offset * elementSize, sizes, sizes + m.rank};
}

/// Copies `count` elements `fromStride` and `toStride` elements apart.
template <class T>
void copyStrided(char *to, const char *from, std::int64_t count, std::int64_t toStride,
                 std::int64_t fromStride) {
  for (std::int64_t i = 0; i < count; ++i)
    std::memcpy(to + i * toStride * std::int64_t(sizeof(T)),
                from + i * fromStride * std::int64_t(sizeof(T)), sizeof(T));
}

} // namespace

extern "C" void memrefCopy(std::int64_t elementSize, UnrankedMemRefType<char> *source,
                           UnrankedMemRefType<char> *target) {
  std::int64_t rank = source->rank;
  View from = viewOf(*source, elementSize), to = viewOf(*target, elementSize);
  std::int64_t count = 1;
  for (std::int64_t d = 0; d < rank; ++d)
    count *= from.sizes[d];
  if (count == 0)
    return;
  if (rank == 0) {
    std::memcpy(to.data, from.data, static_cast<std::size_t>(elementSize));
    return;
  }
  // The innermost run both sides store contiguously (axes merged while
  // they stay so) is one memcpy: a padded image's rows, a slice's rows.
  // Element by element, the 4-byte memcpy calls cost more than the bytes.
  // run = 0: no contiguous run, the innermost axis is copied strided.
  std::int64_t inner = rank - 1, run = 0;
  if (from.strides[inner] == 1 && to.strides[inner] == 1) {
    run = from.sizes[inner];
    while (inner > 0 && from.strides[inner - 1] == run && to.strides[inner - 1] == run)
      run *= from.sizes[--inner];
  }
  std::int64_t outerRank = run ? inner : rank - 1;
  std::int64_t lineLength = run ? run : from.sizes[rank - 1];
  std::int64_t lines = count / lineLength;
  auto copyLine = [&](char *dst, const char *src) {
    if (run) {
      std::memcpy(dst, src, static_cast<std::size_t>(run * elementSize));
      return;
    }
    std::int64_t ts = to.strides[rank - 1], fs = from.strides[rank - 1];
    switch (elementSize) {
    case 1: return copyStrided<std::uint8_t>(dst, src, lineLength, ts, fs);
    case 2: return copyStrided<std::uint16_t>(dst, src, lineLength, ts, fs);
    case 4: return copyStrided<std::uint32_t>(dst, src, lineLength, ts, fs);
    case 8: return copyStrided<std::uint64_t>(dst, src, lineLength, ts, fs);
    default:
      for (std::int64_t i = 0; i < lineLength; ++i)
        std::memcpy(dst + i * ts * elementSize, src + i * fs * elementSize,
                    static_cast<std::size_t>(elementSize));
    }
  };
  // An odometer over the axes outside the line; the innermost moves fastest.
  std::vector<std::int64_t> index(static_cast<std::size_t>(outerRank), 0);
  std::int64_t fromOffset = 0, toOffset = 0;
  for (std::int64_t n = 0; n < lines; ++n) {
    copyLine(to.data + toOffset * elementSize, from.data + fromOffset * elementSize);
    for (std::int64_t d = outerRank - 1; d >= 0; --d) {
      std::size_t k = static_cast<std::size_t>(d);
      fromOffset += from.strides[d];
      toOffset += to.strides[d];
      if (++index[k] < from.sizes[d])
        break;
      fromOffset -= from.strides[d] * from.sizes[d];
      toOffset -= to.strides[d] * to.sizes[d];
      index[k] = 0;
    }
  }
}
