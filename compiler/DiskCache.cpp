#include "compiler/DiskCache.h"

#include <cstdint>
#include <cstring>
#include <random>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

namespace theon::runtime {
namespace {

// Entry layout: magic, payload size (u64), xxh3 of the payload (u64), payload.
constexpr char kMagic[8] = {'T', 'H', 'E', 'O', 'N', 'O', 'B', '1'};
constexpr std::size_t kHeader = sizeof(kMagic) + 2 * sizeof(std::uint64_t);

} // namespace

std::string DiskCache::keyFor(llvm::StringRef module, llvm::StringRef fingerprint) {
  llvm::SHA256 hash;
  hash.update(fingerprint);
  hash.update(llvm::StringRef("\n--\n"));
  hash.update(module);
  auto digest = hash.final();
  return llvm::toHex(llvm::ArrayRef<std::uint8_t>(digest.data(), digest.size()), /*LowerCase=*/true);
}

std::string DiskCache::pathFor(const std::string &key) const {
  llvm::SmallString<256> path(directory_);
  llvm::sys::path::append(path, key + ".o");
  return std::string(path);
}

std::unique_ptr<llvm::MemoryBuffer> DiskCache::load(const std::string &key) const {
  std::string path = pathFor(key);
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!file)
    return nullptr;
  llvm::StringRef data = (*file)->getBuffer();
  std::uint64_t size = 0, checksum = 0;
  bool valid = data.size() >= kHeader && std::memcmp(data.data(), kMagic, sizeof(kMagic)) == 0;
  if (valid) {
    std::memcpy(&size, data.data() + sizeof(kMagic), sizeof(size));
    std::memcpy(&checksum, data.data() + sizeof(kMagic) + sizeof(size), sizeof(checksum));
    valid = data.size() - kHeader == size &&
            llvm::xxh3_64bits(data.substr(kHeader)) == checksum;
  }
  if (!valid) {
    llvm::sys::fs::remove(path); // damaged: compile again and replace it
    return nullptr;
  }
  return llvm::MemoryBuffer::getMemBufferCopy(data.substr(kHeader), path);
}

bool DiskCache::store(const std::string &key, llvm::StringRef object) const {
  if (llvm::sys::fs::create_directories(directory_))
    return false;
  std::random_device random;
  std::string temporary = pathFor(key) + ".tmp." + std::to_string(llvm::sys::Process::getProcessId()) +
                          "." + std::to_string(random());
  {
    std::error_code error;
    llvm::raw_fd_ostream out(temporary, error, llvm::sys::fs::OF_None);
    if (error)
      return false;
    std::uint64_t size = object.size(), checksum = llvm::xxh3_64bits(object);
    out.write(kMagic, sizeof(kMagic));
    out.write(reinterpret_cast<const char *>(&size), sizeof(size));
    out.write(reinterpret_cast<const char *>(&checksum), sizeof(checksum));
    out << object;
    out.close();
    if (out.has_error()) {
      out.clear_error();
      llvm::sys::fs::remove(temporary);
      return false;
    }
  }
  // rename() is atomic: readers see the old entry, no entry, or the new one.
  if (llvm::sys::fs::rename(temporary, pathFor(key))) {
    llvm::sys::fs::remove(temporary);
    return false;
  }
  return true;
}

} // namespace theon::runtime
