// THEON_FLAGS=profile=1: calls, their time and the time in compiled code,
// compilations and disk cache hits, per function.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;

namespace {

const theon::FunctionProfile *Find(const std::vector<theon::FunctionProfile> &stats,
                                   const std::string &name) {
  auto it = std::find_if(stats.begin(), stats.end(),
                         [&](const theon::FunctionProfile &p) { return p.name == name; });
  return it == stats.end() ? nullptr : &*it;
}

TEST(Profile, CountsCallsTimesAndCompilations) {
  bool saved = theon::config().profile;
  auto x = T::dvector("x");
  auto f = theon::function({x}, {T::sum(T::exp(x))}, theon::FunctionOptions{}.named("profiled_f"));
  auto quiet = theon::function({x}, {x * 2.0}, theon::FunctionOptions{}.named("unprofiled_g"));
  theon::config().profile = false;
  quiet(Array::zeros({3}, theon::DType::Float64));
  theon::config().profile = true;
  theon::reset_profile();
  for (int i = 0; i < 5; ++i)
    f(Array::zeros({100}, theon::DType::Float64));
  f(Array::zeros({7}, theon::DType::Float64)); // a second specialization
  EXPECT_THROW(f(Array::zeros({2, 2}, theon::DType::Float64)), theon::TypeError); // not counted
  theon::config().profile = false;
  f(Array::zeros({100}, theon::DType::Float64)); // not profiled
  auto stats = theon::profile_stats();
  const theon::FunctionProfile *p = Find(stats, "profiled_f");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->calls, 6u);
  EXPECT_EQ(p->compiles, 2u);
  EXPECT_EQ(p->disk_cache_hits, 0u); // the unit tests run with cache=0
  EXPECT_GT(p->compile_ms, 0);
  EXPECT_GT(p->code_seconds, 0);
  EXPECT_GE(p->call_seconds, p->code_seconds);
  EXPECT_LT(p->call_seconds * 1000, p->compile_ms); // compilation is counted apart
  EXPECT_EQ(Find(stats, "unprofiled_g"), nullptr);
  std::ostringstream out;
  theon::print_profile(out);
  EXPECT_NE(out.str().find("Theon profile:"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("profiled_f"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("mean us"), std::string::npos) << out.str();
  theon::reset_profile();
  stats = theon::profile_stats();
  p = Find(stats, "profiled_f");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->calls, 0u);
  theon::config().profile = saved;
}

} // namespace
