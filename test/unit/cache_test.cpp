// The disk cache, across processes: a second process hits it, a corrupted
// or truncated entry is compiled again, concurrent compiles both succeed,
// and cache=0 turns it off.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <sys/stat.h>
#include <chrono>

#ifndef THEON_CACHE_PROBE
#error "THEON_CACHE_PROBE must name the probe executable"
#endif

namespace fs = std::filesystem;

namespace {

struct ProbeResult {
  bool ok = false;
  bool hit = false;
  double value = 0;
  std::string output;
};

ProbeResult runProbe(const std::string &flags) {
  std::string command = "THEON_FLAGS='" + flags + "' '" THEON_CACHE_PROBE "' 2>&1";
  ProbeResult result;
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return result;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe))
    result.output += buffer;
  result.ok = pclose(pipe) == 0;
  int hit = 0;
  std::size_t at = result.output.find("hit=");
  if (at != std::string::npos &&
      std::sscanf(result.output.c_str() + at, "hit=%d value=%lf", &hit, &result.value) == 2)
    result.hit = hit != 0;
  else
    result.ok = false;
  return result;
}

double expected() { return (2 * (1 + std::exp(1.0) + std::exp(2.0))) + 3; }

class DiskCache : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::path(::testing::TempDir()) /
          ("theon-cache-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string flags() const { return "cache_dir=" + dir.string(); }
  std::vector<fs::path> entries() const {
    std::vector<fs::path> out;
    if (fs::exists(dir))
      for (auto &e : fs::directory_iterator(dir))
        out.push_back(e.path());
    return out;
  }
  fs::path dir;
};

TEST_F(DiskCache, SecondProcessHits) {
  ProbeResult first = runProbe(flags());
  ASSERT_TRUE(first.ok) << first.output;
  EXPECT_FALSE(first.hit);
  EXPECT_NEAR(first.value, expected(), 1e-4);
  ASSERT_EQ(entries().size(), 1u);
  EXPECT_EQ(entries()[0].extension(), ".o");
  ProbeResult second = runProbe(flags());
  ASSERT_TRUE(second.ok) << second.output;
  EXPECT_TRUE(second.hit);
  EXPECT_NEAR(second.value, expected(), 1e-4);
}

TEST_F(DiskCache, CorruptEntryIsCompiledAgain) {
  ASSERT_TRUE(runProbe(flags()).ok);
  fs::path entry = entries().at(0);
  {
    std::fstream f(entry, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(entry) / 2));
    f.put('\x5a').put('\xa5').put('\x00');
  }
  ProbeResult again = runProbe(flags());
  ASSERT_TRUE(again.ok) << again.output;
  EXPECT_FALSE(again.hit);
  EXPECT_NEAR(again.value, expected(), 1e-4);
  EXPECT_TRUE(runProbe(flags()).hit); // the entry was rewritten
}

TEST_F(DiskCache, TruncatedEntryIsCompiledAgain) {
  ASSERT_TRUE(runProbe(flags()).ok);
  fs::path entry = entries().at(0);
  fs::resize_file(entry, fs::file_size(entry) / 3);
  ProbeResult again = runProbe(flags());
  ASSERT_TRUE(again.ok) << again.output;
  EXPECT_FALSE(again.hit);
  EXPECT_NEAR(again.value, expected(), 1e-4);
  fs::resize_file(entries().at(0), 4); // shorter than the header
  EXPECT_FALSE(runProbe(flags()).hit);
}

TEST_F(DiskCache, ConcurrentProcessesBothSucceed) {
  std::vector<std::future<ProbeResult>> runs;
  for (int i = 0; i < 4; ++i)
    runs.push_back(std::async(std::launch::async, [&] { return runProbe(flags()); }));
  for (auto &r : runs) {
    ProbeResult p = r.get();
    ASSERT_TRUE(p.ok) << p.output;
    EXPECT_NEAR(p.value, expected(), 1e-4);
  }
  // One complete entry, no temporary files left behind.
  ASSERT_EQ(entries().size(), 1u);
  EXPECT_TRUE(runProbe(flags()).hit);
}

TEST_F(DiskCache, CanBeTurnedOff) {
  ProbeResult off = runProbe(flags() + ",cache=0");
  ASSERT_TRUE(off.ok) << off.output;
  EXPECT_FALSE(off.hit);
  EXPECT_TRUE(entries().empty());
}

TEST_F(DiskCache, UnwritableDirectoryStillRuns) {
  ProbeResult p = runProbe("cache_dir=/proc/theon-cannot-write-here");
  ASSERT_TRUE(p.ok) << p.output;
  EXPECT_NEAR(p.value, expected(), 1e-4);
  EXPECT_NE(p.output.find("cannot write the compile cache"), std::string::npos) << p.output;
}

TEST_F(DiskCache, BadFlagsAreReported) {
  ProbeResult p = runProbe("cache=maybe");
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.output.find("cache must be a non-negative integer"), std::string::npos) << p.output;
  ProbeResult log = runProbe("log=chatty");
  EXPECT_FALSE(log.ok);
  EXPECT_NE(log.output.find("unknown log level 'chatty'"), std::string::npos) << log.output;
  ProbeResult unknown = runProbe("floatX=float32,devise=cuda");
  EXPECT_FALSE(unknown.ok);
  EXPECT_NE(unknown.output.find("unknown setting 'devise'"), std::string::npos) << unknown.output;
  ProbeResult device = runProbe("device=tpu");
  EXPECT_FALSE(device.ok);
  EXPECT_NE(device.output.find("device must be cpu or cuda, got 'tpu'"), std::string::npos)
      << device.output;
}

TEST_F(DiskCache, DebugLogReportsStages) {
  ProbeResult p = runProbe(flags() + ",log=debug");
  ASSERT_TRUE(p.ok) << p.output;
  for (const char *stage : {"compiled 'probe'", "theon-to-linalg", "linalg-to-loops",
                            "loops-to-llvm", "llvm-opt", "llvm-codegen"})
    EXPECT_NE(p.output.find(stage), std::string::npos) << stage << "\n" << p.output;
  ProbeResult quiet = runProbe(flags());
  EXPECT_EQ(quiet.output.find("[theon"), std::string::npos) << quiet.output;
}

// #11: the cache holds code this process will run. Its directory is
// created 0700 and its entries 0600 whatever the umask.
TEST_F(DiskCache, EntriesArePrivateWhateverTheUmask) {
  mode_t saved = ::umask(0);
  ProbeResult p = runProbe(flags());
  ::umask(saved);
  ASSERT_TRUE(p.ok) << p.output;
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  ASSERT_EQ(entries().size(), 1u);
  EXPECT_EQ(fs::status(entries()[0]).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

// #11: a directory others can write to (or owned by another user) could
// hand this process code to run: it is refused with a warning, and the
// function is compiled without it.
TEST_F(DiskCache, DirectoryOthersCanWriteIsNotUsed) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::all);
  ProbeResult p = runProbe(flags());
  ASSERT_TRUE(p.ok) << p.output;
  EXPECT_FALSE(p.hit);
  EXPECT_NE(p.output.find("others can write to it"), std::string::npos) << p.output;
  EXPECT_TRUE(entries().empty());
}

namespace {
std::string runTool(const std::string &flags, const std::string &command) {
  std::string line = "THEON_FLAGS='" + flags + "' '" THEON_CACHE_TOOL "' " + command + " 2>&1";
  std::string output;
  FILE *pipe = popen(line.c_str(), "r");
  char buffer[512];
  while (pipe && fgets(buffer, sizeof buffer, pipe))
    output += buffer;
  if (pipe)
    pclose(pipe);
  return output;
}

/// A stand-in entry of `bytes`, last used `age` seconds ago.
fs::path fakeEntry(const fs::path &dir, const std::string &name, std::size_t bytes, int age) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all);
  fs::path path = dir / (name + ".o");
  std::ofstream(path) << std::string(bytes, 'x');
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(age));
  return path;
}
} // namespace

// #11: the cache was never pruned. Beyond cache_max_mb the least recently
// used entries go: after a store, and with theon-cache --prune.
TEST_F(DiskCache, LeastRecentlyUsedEntriesArePrunedBeyondTheLimit) {
  fs::path oldest = fakeEntry(dir, "a", 600 << 10, 300);
  fs::path older = fakeEntry(dir, "b", 600 << 10, 200);
  fs::path newest = fakeEntry(dir, "c", 600 << 10, 100);
  std::string show = runTool(flags(), "--show");
  EXPECT_NE(show.find("entries    3"), std::string::npos) << show;
  EXPECT_NE(show.find("1.8 MB"), std::string::npos) << show;
  std::string pruned = runTool(flags() + ",cache_max_mb=1", "--prune");
  EXPECT_NE(pruned.find("removed 2 entries"), std::string::npos) << pruned;
  EXPECT_FALSE(fs::exists(oldest));
  EXPECT_FALSE(fs::exists(older));
  EXPECT_TRUE(fs::exists(newest));
  // A store prunes too: the new entry stays, the old one goes.
  fs::path big = fakeEntry(dir, "d", 2 << 20, 50);
  ProbeResult p = runProbe(flags() + ",cache_max_mb=1");
  ASSERT_TRUE(p.ok) << p.output;
  EXPECT_FALSE(fs::exists(big));
  EXPECT_EQ(entries().size(), 1u); // the probe's own; the 600 KB one went too
  std::string cleared = runTool(flags(), "--clear");
  EXPECT_NE(cleared.find("removed 1 entries"), std::string::npos) << cleared;
  EXPECT_TRUE(entries().empty());
  EXPECT_NE(runTool(flags(), "--bogus").find("usage"), std::string::npos);
}

} // namespace
