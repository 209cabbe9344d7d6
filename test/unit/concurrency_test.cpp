// The thread-safety contract of docs/user-guide.md, one test per promise:
// graphs built, functions compiled and called on several threads at once;
// one function called from several threads; set_value, get_value and calls
// of other functions on other threads while a function updates or reads the
// same shared variables. scripts/tsan.sh runs these under ThreadSanitizer
// with Theon itself instrumented; here they check the values.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;

namespace {

constexpr int kThreads = 4;

/// Runs `body(t)` on kThreads threads and joins them; a failure on a thread
/// is reported by the test through the values it records.
template <class F> void OnThreads(F body) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back(body, t);
  for (auto &thread : threads)
    thread.join();
}

/// Whether every element of a float32 array equals its first.
bool Uniform(const Array &a) {
  std::vector<float> v = a.to_vector<float>();
  for (float x : v)
    if (x != v.front())
      return false;
  return true;
}

// Each thread builds its own graph (with a gradient), compiles it and calls
// it: building, compiling and calling different functions run concurrently.
TEST(Concurrency, ThreadsBuildCompileAndCallTheirOwnFunctions) {
  std::vector<float> results(kThreads, -1);
  std::vector<float> expected(kThreads);
  OnThreads([&](int t) {
    auto x = T::fvector("x");
    auto w = theon::shared(Array::full({3}, t + 1, DType::Float32), "w" + std::to_string(t));
    auto cost = T::sum(T::sqr(x * w));
    auto g = theon::grad(cost, w);
    auto f = theon::function({x}, {cost + T::sum(g)});
    Array input = Array::full({3}, 2, DType::Float32);
    results[t] = f(input)[0].item<float>();
  });
  for (int t = 0; t < kThreads; ++t) {
    float w = t + 1, x = 2;
    // sum((x w)^2) + sum(2 x^2 w) over three elements.
    expected[t] = 3 * (x * w * x * w) + 3 * (2 * x * x * w);
    EXPECT_FLOAT_EQ(results[t], expected[t]) << "thread " << t;
  }
}

// The same, with the disk cache on: the threads compile the same module
// and write, or read, the same cache entry.
TEST(Concurrency, ThreadsCompileTheSameFunctionWithTheDiskCache) {
  auto dir = std::filesystem::temp_directory_path() /
             ("theon-concurrency-cache-" + std::to_string(::getpid()));
  theon::Config saved = theon::config();
  theon::config().cache = true;
  theon::config().cache_dir = dir.string();
  std::vector<float> results(kThreads, -1);
  OnThreads([&](int t) {
    auto x = T::fmatrix("x");
    auto f = theon::function({x}, {T::sum(T::tanh(x) * 2)});
    results[t] = f(Array::zeros({4, 4}, DType::Float32))[0].item<float>();
  });
  theon::config() = saved;
  std::filesystem::remove_all(dir);
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(results[t], 0.0f) << "thread " << t;
}

// One function from several threads: calls run one at a time, and every
// update is applied exactly once.
TEST(Concurrency, OneFunctionFromSeveralThreadsAppliesEveryUpdate) {
  constexpr int kCalls = 200;
  auto count = theon::shared(Array::zeros({2, 2}, DType::Float32), "count");
  auto x = T::fmatrix("x");
  auto step = theon::function({x}, {T::sum(count + x)}, theon::Updates{{count, count + x}});
  std::atomic<int> wrong{0};
  OnThreads([&](int) {
    Array one = Array::ones({2, 2}, DType::Float32);
    for (int i = 0; i < kCalls; ++i) {
      // Before this call the count was some whole number n in every element.
      float seen = step(one)[0].item<float>();
      if (seen != std::floor(seen) || static_cast<int>(seen) % 4 != 0)
        ++wrong;
    }
  });
  EXPECT_EQ(wrong.load(), 0);
  Array final = count.get_value();
  EXPECT_TRUE(Uniform(final));
  EXPECT_EQ(final.to_vector<float>().front(), kThreads * kCalls);
}

// set_value on one thread while another calls a function that reads the
// variable: each call sees one whole value, never a mixture of two.
TEST(Concurrency, SetValueDuringCallsSeesWholeValues) {
  constexpr int kRounds = 300;
  auto w = theon::shared(Array::full({64, 64}, 1, DType::Float32), "w");
  auto x = T::fmatrix("x");
  auto f = theon::function({x}, {T::dot(x, w)});
  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, calls{0};
  std::thread writer([&] {
    for (int k = 1; k <= kRounds; ++k)
      w.set_value(Array::full({64, 64}, k, DType::Float32));
    done = true;
  });
  std::thread reader([&] {
    Array ones = Array::ones({1, 64}, DType::Float32);
    while (!done || calls < 10) {
      if (!Uniform(f(ones)[0]))
        ++torn;
      ++calls;
    }
  });
  writer.join();
  reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(w.get_value().to_vector<float>().front(), kRounds);
}

// A training function updates a variable on one thread while another
// thread calls a prediction function that reads it and a third reads it
// with get_value: every value seen is one the updates produced whole.
TEST(Concurrency, UpdatesOnOneThreadReadsOnOthers) {
  constexpr int kSteps = 300;
  auto w = theon::shared(Array::zeros({32, 32}, DType::Float32), "w");
  auto lr = T::fscalar("lr");
  auto train = theon::function({lr}, {}, theon::Updates{{w, w + lr}});
  auto x = T::fmatrix("x");
  auto predict = theon::function({x}, {T::dot(x, w)});
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::thread trainer([&] {
    for (int i = 0; i < kSteps; ++i)
      train(Array::scalar<float>(1));
    done = true;
  });
  std::thread predictor([&] {
    Array ones = Array::ones({2, 32}, DType::Float32);
    while (!done)
      if (!Uniform(predict(ones)[0]))
        ++torn;
  });
  std::thread getter([&] {
    while (!done) {
      if (!Uniform(w.get_value()))
        ++torn;
      Array borrowed = w.get_value(/*borrow=*/true);
      if (!Uniform(borrowed))
        ++torn;
    }
  });
  trainer.join();
  predictor.join();
  getter.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(w.get_value().to_vector<float>().front(), kSteps);
}

// Two functions that update the same two variables in opposite orders in
// their Updates lists, on two threads: no deadlock, and every update lands.
TEST(Concurrency, FunctionsUpdatingTheSameVariablesDoNotDeadlock) {
  constexpr int kCalls = 300;
  auto a = theon::shared(Array::zeros({4}, DType::Float32), "a");
  auto b = theon::shared(Array::zeros({4}, DType::Float32), "b");
  auto ab = theon::function({}, {}, theon::Updates{{a, a + 1}, {b, b + 1}});
  auto ba = theon::function({}, {}, theon::Updates{{b, b + 2}, {a, a + 2}});
  std::thread first([&] {
    for (int i = 0; i < kCalls; ++i)
      ab();
  });
  std::thread second([&] {
    for (int i = 0; i < kCalls; ++i)
      ba();
  });
  first.join();
  second.join();
  EXPECT_EQ(a.get_value().to_vector<float>().front(), 3 * kCalls);
  EXPECT_EQ(b.get_value().to_vector<float>().front(), 3 * kCalls);
}

} // namespace
