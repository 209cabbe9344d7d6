//===- theon-cache.cpp - list, measure, prune and clear the disk cache ----===//
//
//   theon-cache            directory, entries, size and limit (like ccache -s)
//   theon-cache --list     every entry, least recently used first
//   theon-cache --prune    remove least recently used entries beyond the limit
//   theon-cache --clear    remove every entry (like ccache -C)
//
// The directory and the limit are THEON_FLAGS' (cache_dir, cache_max_mb).
//===----------------------------------------------------------------------===//
#include "compiler/DiskCache.h"
#include "theon/config.h"
#include "theon/error.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  if (bytes < (1 << 20))
    std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1024);
  else
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

int usage() {
  std::fprintf(stderr, "usage: theon-cache [--show | --list | --prune | --clear]\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  std::string command = argc > 1 ? argv[1] : "--show";
  if (argc > 2)
    return usage();
  try {
    const theon::Config &config = theon::config();
    if (config.cache_dir.empty()) {
      std::fprintf(stderr, "theon-cache: no cache directory (set THEON_FLAGS=cache_dir=DIR, "
                           "XDG_CACHE_HOME or HOME)\n");
      return 1;
    }
    theon::runtime::DiskCache cache(config.cache_dir);
    std::uint64_t limit = static_cast<std::uint64_t>(config.cache_max_mb) << 20;
    if (command == "--clear" || command == "-C") {
      std::printf("removed %zu entries from %s\n", cache.clear(), cache.directory().c_str());
      return 0;
    }
    if (command == "--prune") {
      std::size_t removed = config.cache_max_mb > 0 ? cache.prune(limit) : 0;
      std::printf("removed %zu entries from %s\n", removed, cache.directory().c_str());
      return 0;
    }
    auto entries = cache.entries();
    if (command == "--list") {
      for (const auto &e : entries)
        std::printf("%10llu  %s\n", static_cast<unsigned long long>(e.bytes), e.path.c_str());
      return 0;
    }
    if (command != "--show" && command != "-s")
      return usage();
    std::uint64_t total = 0;
    for (const auto &e : entries)
      total += e.bytes;
    std::string why;
    std::printf("directory  %s%s\n", cache.directory().c_str(),
                cache.isSafe(why) ? "" : ("  (not used: " + why + ")").c_str());
    std::printf("entries    %zu\n", entries.size());
    std::printf("size       %s\n", megabytes(total).c_str());
    std::printf("limit      %s\n",
                config.cache_max_mb > 0 ? megabytes(limit).c_str() : "none");
    return 0;
  } catch (const theon::Error &e) {
    std::fprintf(stderr, "theon-cache: %s\n", e.what());
    return 1;
  }
}
