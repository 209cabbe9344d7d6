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
  // An odometer over the index space; the innermost axis moves fastest.
  std::vector<std::int64_t> index(static_cast<std::size_t>(rank), 0);
  std::int64_t fromOffset = 0, toOffset = 0;
  for (std::int64_t n = 0; n < count; ++n) {
    std::memcpy(to.data + toOffset * elementSize, from.data + fromOffset * elementSize,
                static_cast<std::size_t>(elementSize));
    for (std::int64_t d = rank - 1; d >= 0; --d) {
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
