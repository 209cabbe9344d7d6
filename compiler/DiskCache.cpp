#include "compiler/DiskCache.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
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
  // The entry's time is its last use: pruning keeps the recently used.
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0); // now
  return llvm::MemoryBuffer::getMemBufferCopy(data.substr(kHeader), path);
}

bool DiskCache::store(const std::string &key, llvm::StringRef object) const {
  // Only this user may read, write or enter it, whatever the umask.
  if (llvm::sys::fs::create_directories(directory_, /*IgnoreExisting=*/true,
                                        llvm::sys::fs::owner_all))
    return false;
  std::random_device random;
  std::string temporary = pathFor(key) + ".tmp." + std::to_string(llvm::sys::Process::getProcessId()) +
                          "." + std::to_string(random());
  {
    int fd;
    if (llvm::sys::fs::openFileForWrite(temporary, fd, llvm::sys::fs::CD_CreateNew,
                                        llvm::sys::fs::OF_None, 0600))
      return false;
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
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

bool DiskCache::isSafe(std::string &why) const {
  struct stat info;
  if (::lstat(directory_.c_str(), &info) != 0)
    return true; // created 0700 at the first store
  if (!S_ISDIR(info.st_mode)) {
    why = "it is not a directory";
    return false;
  }
  if (info.st_uid != ::geteuid()) {
    why = "it belongs to another user";
    return false;
  }
  if (info.st_mode & (S_IWGRP | S_IWOTH)) {
    why = "others can write to it";
    return false;
  }
  return true;
}

std::vector<DiskCache::Entry> DiskCache::entries() const {
  std::vector<Entry> found;
  std::error_code error;
  for (llvm::sys::fs::directory_iterator it(directory_, error), end; it != end && !error;
       it.increment(error)) {
    if (!llvm::StringRef(it->path()).ends_with(".o"))
      continue;
    llvm::sys::fs::file_status status;
    if (llvm::sys::fs::status(it->path(), status) || !llvm::sys::fs::is_regular_file(status))
      continue;
    found.push_back({it->path(), status.getSize(),
                     status.getLastModificationTime().time_since_epoch().count()});
  }
  std::sort(found.begin(), found.end(),
            [](const Entry &a, const Entry &b) { return a.lastUsed < b.lastUsed; });
  return found;
}

std::size_t DiskCache::prune(std::uint64_t maxBytes) const {
  std::vector<Entry> all = entries();
  std::uint64_t total = 0;
  for (const Entry &e : all)
    total += e.bytes;
  std::size_t removed = 0;
  for (const Entry &e : all) {
    if (total <= maxBytes)
      break;
    if (!llvm::sys::fs::remove(e.path)) {
      total -= e.bytes;
      ++removed;
    }
  }
  return removed;
}

std::size_t DiskCache::clear() const {
  std::size_t removed = 0;
  std::error_code error;
  std::vector<std::string> paths;
  for (llvm::sys::fs::directory_iterator it(directory_, error), end; it != end && !error;
       it.increment(error)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.ends_with(".o") || name.contains(".o.tmp."))
      paths.push_back(it->path());
  }
  for (const std::string &path : paths)
    if (!llvm::sys::fs::remove(path))
      ++removed;
  return removed;
}

} // namespace theon::runtime
