// The allocator compiled code uses for intermediates too large for the stack
// (finalize-memref-to-llvm with use-generic-functions calls these). Freed
// blocks are kept per size and thread and handed out again, so a training
// step that allocates the same buffers every call stops calling malloc
// (and, for large buffers, mmap and the page faults that follow) after the
// first call.
#include "runtime/Allocator.h"

#include <cstdint>
#include <cstdlib>
#include <unordered_map>
#include <vector>

namespace {

// A header before each block remembers its size for free().
constexpr std::size_t kHeader = 16;
// Cached bytes per thread beyond which freed blocks go back to the system.
constexpr std::size_t kCacheLimit = std::size_t(512) << 20;

struct BlockCache {
  std::unordered_map<std::uint64_t, std::vector<void *>> free;
  std::size_t cachedBytes = 0;
  ~BlockCache() {
    for (auto &[size, blocks] : free)
      for (void *b : blocks)
        std::free(b);
  }
};

BlockCache &cache() {
  thread_local BlockCache instance;
  return instance;
}

/// The first failure of compiled code on this thread.
thread_local theon::runtime::CallFailure failure;

void *fail(std::uint64_t size) {
  if (failure.kind == theon::runtime::CallFailure::Kind::None) {
    failure.kind = theon::runtime::CallFailure::Kind::Allocation;
    failure.bytes = size;
  }
  return nullptr;
}

} // namespace

extern "C" void *_mlir_memref_to_llvm_alloc(std::uint64_t size) {
  BlockCache &c = cache();
  auto it = c.free.find(size);
  if (it != c.free.end() && !it->second.empty()) {
    void *block = it->second.back();
    it->second.pop_back();
    c.cachedBytes -= size;
    return static_cast<char *>(block) + kHeader;
  }
  if (size > SIZE_MAX - kHeader)
    return fail(size);
  void *block = std::malloc(size + kHeader);
  if (!block)
    return fail(size);
  *static_cast<std::uint64_t *>(block) = size;
  return static_cast<char *>(block) + kHeader;
}

extern "C" void _mlir_memref_to_llvm_free(void *ptr) {
  if (!ptr)
    return;
  void *block = static_cast<char *>(ptr) - kHeader;
  std::uint64_t size = *static_cast<std::uint64_t *>(block);
  BlockCache &c = cache();
  if (c.cachedBytes + size > kCacheLimit) {
    std::free(block);
    return;
  }
  c.free[size].push_back(block);
  c.cachedBytes += size;
}

extern "C" void theon_index_error(std::int64_t site, std::int64_t value, std::int64_t size) {
  if (failure.kind == theon::runtime::CallFailure::Kind::None)
    failure = {theon::runtime::CallFailure::Kind::Index, 0, site, value, size};
}

extern "C" std::int32_t theon_call_failed(void) {
  return failure.kind != theon::runtime::CallFailure::Kind::None;
}

theon::runtime::CallFailure theon::runtime::takeCallFailure() {
  CallFailure taken = failure;
  failure = CallFailure();
  return taken;
}
