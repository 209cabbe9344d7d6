// Compiled code on disk, keyed by everything it depends on. Entries are
// written atomically (temporary file, then rename), so concurrent processes
// never see half an entry and never wait on a lock; a corrupt or truncated
// entry is detected by its checksum, removed, and compiled again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"

namespace llvm {
class MemoryBuffer;
}

namespace theon::runtime {

class DiskCache {
public:
  explicit DiskCache(std::string directory) : directory_(std::move(directory)) {}

  /// The key of a module: SHA-256 of its text and the compilation
  /// fingerprint (pipelines, CPU, versions), in hex.
  static std::string keyFor(llvm::StringRef module, llvm::StringRef fingerprint);

  /// The object stored under `key`, or null when absent or damaged.
  std::unique_ptr<llvm::MemoryBuffer> load(const std::string &key) const;
  /// Stores `object` under `key`; returns false (and leaves no partial
  /// entry) when the directory cannot be written.
  bool store(const std::string &key, llvm::StringRef object) const;

  std::string pathFor(const std::string &key) const;
  const std::string &directory() const { return directory_; }

  /// Whether the directory may hold compiled code that this process will
  /// run: absent (it is then created 0700), or a directory owned by this
  /// user that no one else can write. Otherwise says why in `why`.
  bool isSafe(std::string &why) const;

  struct Entry {
    std::string path;
    std::uint64_t bytes = 0;
    std::int64_t lastUsed = 0; // modification time, refreshed by load()
  };
  /// The entries, least recently used first.
  std::vector<Entry> entries() const;
  /// Removes least recently used entries until the total is at most
  /// `maxBytes`; returns how many went.
  std::size_t prune(std::uint64_t maxBytes) const;
  /// Removes every entry (and leftover temporaries); returns how many went.
  std::size_t clear() const;

private:
  std::string directory_;
};

} // namespace theon::runtime
