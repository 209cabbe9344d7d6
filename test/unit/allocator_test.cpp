// The caching allocator behind compiled code's heap intermediates.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <thread>

extern "C" {
void *_mlir_memref_to_llvm_alloc(std::uint64_t size);
void _mlir_memref_to_llvm_free(void *ptr);
}

TEST(Allocator, FreedBlocksAreReusedBySize) {
  void *a = _mlir_memref_to_llvm_alloc(1 << 20);
  ASSERT_NE(a, nullptr);
  std::memset(a, 1, 1 << 20); // the whole block is usable
  _mlir_memref_to_llvm_free(a);
  void *b = _mlir_memref_to_llvm_alloc(1 << 20);
  EXPECT_EQ(a, b);
  void *c = _mlir_memref_to_llvm_alloc(1 << 20); // the cache is empty again
  EXPECT_NE(c, b);
  void *d = _mlir_memref_to_llvm_alloc(4096); // another size: another block
  EXPECT_NE(d, b);
  _mlir_memref_to_llvm_free(b);
  _mlir_memref_to_llvm_free(c);
  _mlir_memref_to_llvm_free(d);
  _mlir_memref_to_llvm_free(nullptr);
}

TEST(Allocator, ThreadsKeepTheirOwnCache) {
  void *mine = _mlir_memref_to_llvm_alloc(777);
  _mlir_memref_to_llvm_free(mine);
  void *theirs = nullptr;
  std::thread([&] {
    theirs = _mlir_memref_to_llvm_alloc(777);
    std::memset(theirs, 0, 777);
    _mlir_memref_to_llvm_free(theirs);
  }).join();
  EXPECT_NE(mine, theirs);
  void *again = _mlir_memref_to_llvm_alloc(777);
  EXPECT_EQ(again, mine);
  _mlir_memref_to_llvm_free(again);
}
