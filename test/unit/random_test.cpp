// RandomStreams: the compiled Philox4x32-10 against a host reference that
// is itself checked against Random123's published answers; the state and
// its default update; reproducibility across threads; the distributions
// by Kolmogorov-Smirnov and chi-square tests on large draws; fusion; bad
// parameters.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;

namespace {

using Words = std::array<std::uint32_t, 4>;

Words HostPhilox(Words c, std::array<std::uint32_t, 2> k) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k[0] += 0x9E3779B9u;
      k[1] += 0xBB67AE85u;
    }
    std::uint64_t p0 = std::uint64_t{0xD2511F53u} * c[0];
    std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * c[2];
    c = {static_cast<std::uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<std::uint32_t>(p1),
         static_cast<std::uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<std::uint32_t>(p0)};
  }
  return c;
}

/// The words of element `i` for a state [key, counter] (theon.random's rule).
Words ElementWords(std::uint64_t i, std::uint64_t key, std::uint64_t counter) {
  return HostPhilox({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i >> 32),
                     static_cast<std::uint32_t>(counter), static_cast<std::uint32_t>(counter >> 32)},
                    {static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)});
}

TEST(Random, HostPhiloxMatchesRandom123) {
  EXPECT_EQ(HostPhilox({0, 0, 0, 0}, {0, 0}), (Words{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(HostPhilox({~0u, ~0u, ~0u, ~0u}, {~0u, ~0u}),
            (Words{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(HostPhilox({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
            (Words{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

/// The state of a stream's only draw, as [key, counter].
std::pair<std::uint64_t, std::uint64_t> StateOf(const theon::RandomStreams &srng, std::size_t i = 0) {
  Array s = srng.states().at(i).get_value();
  return {static_cast<std::uint64_t>(s.data<std::int64_t>()[0]),
          static_cast<std::uint64_t>(s.data<std::int64_t>()[1])};
}

TEST(Random, CompiledUniformIsPhiloxBitForBit) {
  theon::RandomStreams srng(2026);
  auto u32 = srng.uniform({7, 9}, 0.0, 1.0, DType::Float32);
  auto u64 = srng.uniform({5, 3}, 0.0, 1.0, DType::Float64);
  auto f = theon::function({}, {u32, u64});
  for (int call = 0; call < 3; ++call) {
    auto [key32, counter32] = StateOf(srng, 0);
    auto [key64, counter64] = StateOf(srng, 1);
    EXPECT_EQ(counter32, static_cast<std::uint64_t>(call));
    auto out = f();
    for (std::int64_t i = 0; i < 63; ++i) {
      Words w = ElementWords(static_cast<std::uint64_t>(i), key32, counter32);
      float expected = static_cast<float>(w[0] >> 8) * 0x1p-24f;
      ASSERT_EQ(out[0].data<float>()[i], expected) << "call " << call << " element " << i;
    }
    for (std::int64_t i = 0; i < 15; ++i) {
      Words w = ElementWords(static_cast<std::uint64_t>(i), key64, counter64);
      double expected =
          static_cast<double>(((std::uint64_t{w[0]} << 32) | w[1]) >> 11) * 0x1p-53;
      ASSERT_EQ(out[1].data<double>()[i], expected) << "call " << call << " element " << i;
    }
  }
  EXPECT_EQ(StateOf(srng, 0).second, 3u);
}

TEST(Random, CallsAdvanceSeedRepeatsStateRestores) {
  theon::RandomStreams srng(7);
  auto x = T::dvector("x");
  auto noisy = x + srng.normal(x.shape(), 0.0, 1.0, DType::Float64);
  auto f = theon::function({x}, {noisy});
  Array zeros = Array::zeros({100}, DType::Float64);
  Array first = f(zeros)[0], second = f(zeros)[0];
  EXPECT_NE(first.to_vector<double>(), second.to_vector<double>());
  srng.seed(7);
  EXPECT_EQ(f(zeros)[0].to_vector<double>(), first.to_vector<double>());
  Array saved = srng.states()[0].get_value();
  Array third = f(zeros)[0];
  srng.states()[0].set_value(saved);
  EXPECT_EQ(f(zeros)[0].to_vector<double>(), third.to_vector<double>());
  srng.seed(8);
  EXPECT_NE(f(zeros)[0].to_vector<double>(), first.to_vector<double>());
  // Without default updates the counter stays.
  auto g = theon::function({x}, {noisy}, theon::FunctionOptions{}.without_default_updates());
  EXPECT_EQ(g(zeros)[0].to_vector<double>(), g(zeros)[0].to_vector<double>());
  // A function's own update of the state wins over the default one.
  auto state = srng.states()[0];
  auto h = theon::function({x}, {noisy}, theon::Updates{{state, state}});
  EXPECT_EQ(h(zeros)[0].to_vector<double>(), h(zeros)[0].to_vector<double>());
  EXPECT_EQ(f.updates().size(), 1u);
}

TEST(Random, DistinctDrawsAndStreamsDiffer) {
  theon::RandomStreams a(1), b(1), c(2);
  auto f = theon::function({}, {a.uniform({50}), a.uniform({50}), b.uniform({50}), c.uniform({50})});
  auto out = f();
  EXPECT_NE(out[0].to_vector<float>(), out[1].to_vector<float>());
  EXPECT_EQ(out[0].to_vector<float>(), out[2].to_vector<float>()); // same seed, same draw
  EXPECT_NE(out[0].to_vector<float>(), out[3].to_vector<float>());
}

TEST(Random, SameNumbersWithOneOrTwoThreads) {
  int saved = theon::config().threads;
  auto run = [](int threads) {
    theon::config().threads = threads;
    theon::RandomStreams srng(99);
    auto x = T::matrix("x");
    auto f = theon::function({x}, {x * srng.binomial(x.shape(), 0.3, DType::Float32),
                                   srng.normal({x.shape(0), 64}), srng.uniform({512, 512})});
    Array ones = Array::full({512, 256}, 1.0, DType::Float32);
    f(ones);
    return f(ones);
  };
  auto one = run(1), two = run(2);
  theon::config().threads = saved;
  for (std::size_t i = 0; i < one.size(); ++i)
    EXPECT_EQ(one[i].to_vector<float>(), two[i].to_vector<float>()) << "output " << i;
}

/// The Kolmogorov-Smirnov statistic of `sample` against `cdf`.
template <class Cdf> double KolmogorovSmirnov(std::vector<double> sample, Cdf cdf) {
  std::sort(sample.begin(), sample.end());
  double n = static_cast<double>(sample.size()), d = 0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    double f = cdf(sample[i]);
    d = std::max({d, static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n});
  }
  return d;
}
/// The KS statistic's critical value at significance 1e-3.
double KsCritical(std::size_t n) { return 1.95 / std::sqrt(static_cast<double>(n)); }

/// Pearson's chi-square of `counts` against expected probabilities.
double ChiSquare(const std::vector<double> &counts, const std::vector<double> &probs) {
  double n = std::accumulate(counts.begin(), counts.end(), 0.0), chi = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    double e = n * probs[k];
    chi += (counts[k] - e) * (counts[k] - e) / e;
  }
  return chi;
}
/// A bound the chi-square of `bins` bins exceeds with probability ~1e-4.
double ChiBound(std::size_t bins) {
  double df = static_cast<double>(bins - 1);
  return df + 5.5 * std::sqrt(2 * df) + 6;
}

std::vector<double> AsDoubles(const Array &a) { return a.astype(DType::Float64).to_vector<double>(); }

TEST(Random, UniformAndNormalPassKolmogorovSmirnov) {
  theon::RandomStreams srng(12345);
  const std::size_t n = 200000;
  auto f = theon::function({}, {srng.uniform({200, 1000}, -2.0, 3.0, DType::Float32),
                                srng.uniform({n}, 0.0, 1.0, DType::Float64),
                                srng.normal({n}, 1.5, 2.0, DType::Float32),
                                srng.normal({400, 500}, 0.0, 1.0, DType::Float64)});
  auto out = f();
  auto uniformCdf = [](double lo, double hi) {
    return [=](double x) { return std::clamp((x - lo) / (hi - lo), 0.0, 1.0); };
  };
  auto normalCdf = [](double mean, double sd) {
    return [=](double x) { return 0.5 * std::erfc(-(x - mean) / (sd * std::sqrt(2.0))); };
  };
  std::vector<double> s0 = AsDoubles(out[0]), s1 = AsDoubles(out[1]);
  EXPECT_LT(KolmogorovSmirnov(s0, uniformCdf(-2, 3)), KsCritical(n));
  EXPECT_LT(KolmogorovSmirnov(s1, uniformCdf(0, 1)), KsCritical(n));
  EXPECT_GE(*std::min_element(s0.begin(), s0.end()), -2.0);
  EXPECT_LT(*std::max_element(s1.begin(), s1.end()), 1.0);
  std::vector<double> z0 = AsDoubles(out[2]), z1 = AsDoubles(out[3]);
  EXPECT_LT(KolmogorovSmirnov(z0, normalCdf(1.5, 2)), KsCritical(n));
  EXPECT_LT(KolmogorovSmirnov(z1, normalCdf(0, 1)), KsCritical(n));
  double mean = std::accumulate(z1.begin(), z1.end(), 0.0) / n, var = 0;
  for (double z : z1)
    var += (z - mean) * (z - mean);
  var /= n;
  EXPECT_NEAR(mean, 0, 5 / std::sqrt(static_cast<double>(n)));
  EXPECT_NEAR(var, 1, 5 * std::sqrt(2.0 / n));
  for (double z : z0)
    ASSERT_TRUE(std::isfinite(z));
}

TEST(Random, DiscreteDistributionsPassChiSquare) {
  theon::RandomStreams srng(4242);
  auto weights = T::dvector("w");
  auto f = theon::function(
      {weights}, {srng.binomial({100000}, 0.3), srng.binomial({50000}, 10, 0.25),
                  srng.integers({60000}, -3, 3), srng.random_integers({60000}, 1, 6, DType::Int32),
                  srng.choice({80000}, theon::Size(4), true, weights),
                  srng.choice({60000}, theon::Size(5))});
  auto out = f(Array::from_vector(std::vector<double>{1, 2, 3, 4}));
  auto histogram = [](const Array &a, std::int64_t lo, std::int64_t bins) {
    std::vector<double> counts(static_cast<std::size_t>(bins), 0);
    for (double v : AsDoubles(a)) {
      auto k = static_cast<std::int64_t>(v) - lo;
      EXPECT_TRUE(k >= 0 && k < bins) << v;
      if (k >= 0 && k < bins)
        counts[static_cast<std::size_t>(k)]++;
    }
    return counts;
  };
  EXPECT_EQ(out[0].dtype(), DType::Int64);
  EXPECT_LT(ChiSquare(histogram(out[0], 0, 2), {0.7, 0.3}), ChiBound(2));
  std::vector<double> pmf;
  for (int k = 0; k <= 10; ++k)
    pmf.push_back(std::tgamma(11) / (std::tgamma(k + 1) * std::tgamma(11 - k)) *
                  std::pow(0.25, k) * std::pow(0.75, 10 - k));
  // Merge the far tail (k >= 7) so every bin expects enough counts.
  std::vector<double> counts = histogram(out[1], 0, 11), merged(8, 0), probs(8, 0);
  for (int k = 0; k <= 10; ++k) {
    merged[static_cast<std::size_t>(std::min(k, 7))] += counts[static_cast<std::size_t>(k)];
    probs[static_cast<std::size_t>(std::min(k, 7))] += pmf[static_cast<std::size_t>(k)];
  }
  EXPECT_LT(ChiSquare(merged, probs), ChiBound(8));
  EXPECT_LT(ChiSquare(histogram(out[2], -3, 6), std::vector<double>(6, 1.0 / 6)), ChiBound(6));
  EXPECT_EQ(out[3].dtype(), DType::Int32);
  EXPECT_LT(ChiSquare(histogram(out[3], 1, 6), std::vector<double>(6, 1.0 / 6)), ChiBound(6));
  EXPECT_LT(ChiSquare(histogram(out[4], 0, 4), {0.1, 0.2, 0.3, 0.4}), ChiBound(4));
  EXPECT_LT(ChiSquare(histogram(out[5], 0, 5), std::vector<double>(5, 0.2)), ChiBound(5));
}

TEST(Random, PermutationsShufflesAndChoiceWithoutReplacement) {
  theon::RandomStreams srng(5);
  auto x = T::dmatrix("x");
  auto f = theon::function({x}, {srng.permutation(10), srng.shuffle_row_elements(x),
                                 srng.choice({2, 3}, theon::Size(x.shape(0)), false),
                                 srng.choice({4}, T::arange(100, 110), true)});
  Array data = theon_test::Iota({12, 3});
  std::vector<double> firsts(10, 0);
  for (int call = 0; call < 2000; ++call) {
    auto out = f(data);
    std::vector<std::int64_t> perm = out[0].to_vector<std::int64_t>();
    firsts[static_cast<std::size_t>(perm[0])]++;
    std::sort(perm.begin(), perm.end());
    std::vector<std::int64_t> expected(10);
    std::iota(expected.begin(), expected.end(), 0);
    ASSERT_EQ(perm, expected);
    if (call < 20) {
      // The shuffled rows are the rows of x in some order.
      std::vector<double> rows = out[1].to_vector<double>();
      std::vector<double> keys;
      for (std::size_t r = 0; r < 12; ++r) {
        ASSERT_EQ(rows[3 * r + 1], rows[3 * r] + 1);
        keys.push_back(rows[3 * r] / 3);
      }
      std::sort(keys.begin(), keys.end());
      for (std::size_t r = 0; r < 12; ++r)
        ASSERT_EQ(keys[r], static_cast<double>(r));
      std::vector<std::int64_t> chosen = out[2].to_vector<std::int64_t>();
      EXPECT_EQ(out[2].shape(), (theon::Shape{2, 3}));
      std::sort(chosen.begin(), chosen.end());
      EXPECT_EQ(std::adjacent_find(chosen.begin(), chosen.end()), chosen.end());
      EXPECT_TRUE(chosen.front() >= 0 && chosen.back() < 12);
      for (double v : AsDoubles(out[3]))
        EXPECT_TRUE(v >= 100 && v < 110);
    }
  }
  EXPECT_LT(ChiSquare(firsts, std::vector<double>(10, 0.1)), ChiBound(10));
}

TEST(Random, CheatSheetBinomialAndDropoutFuse) {
  theon::RandomStreams srng;
  // srng.binomial((10,5), p=0.5, dtype=theano.config.floatX)
  auto mask = srng.binomial({10, 5}, 0.5, theon::config().floatX);
  EXPECT_EQ(mask.dtype(), DType::Float32);
  auto f = theon::function({}, {mask});
  auto m = f()[0];
  EXPECT_EQ(m.shape(), (theon::Shape{10, 5}));
  for (float v : m.to_vector<float>())
    EXPECT_TRUE(v == 0 || v == 1);
  // Dropout: the mask is computed inside the loop that uses it, with no
  // buffer of its own.
  auto h = T::matrix("h");
  auto dropped = h * srng.binomial(h.shape(), 0.5, theon::config().floatX) / 0.5f;
  auto g = theon::function({h}, {T::sum(dropped)});
  g(Array::full({64, 100}, 1.0, DType::Float32));
  std::string loops = g.ir("loops");
  EXPECT_EQ(loops.find("memref.alloc"), std::string::npos) << loops;
}

TEST(Random, GradientsReachTheParameters) {
  theon::RandomStreams srng(3);
  auto mu = T::dscalar("mu"), sigma = T::dscalar("sigma");
  auto sample = srng.normal({1000}, mu, sigma, DType::Float64);
  auto cost = T::sum(sample);
  auto f = theon::function({mu, sigma}, {cost, theon::grad(cost, mu), theon::grad(cost, sigma)});
  auto out = f(0.0, 1.0);
  // cost = 1000 mu + sigma * sum(z): d/dmu = 1000, d/dsigma = sum(z) = cost here.
  EXPECT_EQ(out[1].item<double>(), 1000);
  srng.seed(3);
  auto again = f(0.0, 2.0);
  EXPECT_NEAR(again[2].item<double>(), out[0].item<double>(), 1e-9);
  EXPECT_NEAR(again[0].item<double>(), 2 * out[0].item<double>(), 1e-9);
}

TEST(Random, BadParametersAreClearErrors) {
  theon::RandomStreams srng;
  EXPECT_THROW(srng.binomial({3}, 1.5), theon::ValueError);
  EXPECT_THROW(srng.binomial({3}, -0.1), theon::ValueError);
  EXPECT_THROW(srng.binomial({3}, -1, 0.5), theon::ValueError);
  EXPECT_THROW(srng.normal({3}, 0.0, -1.0), theon::ValueError);
  EXPECT_THROW(srng.uniform({3}, 0.0, 1.0, DType::Int32), theon::TypeError);
  EXPECT_THROW(srng.integers({3}, 5, 5), theon::ValueError);
  EXPECT_THROW(srng.integers({3}, 0.5, 2), theon::TypeError);
  EXPECT_THROW(srng.random_integers({3}, 2, 1), theon::ValueError);
  auto lo = T::lscalar("lo");
  auto ranged = theon::function({lo}, {srng.integers({3}, lo, T::arange(3).shape(0))});
  EXPECT_NO_THROW(ranged(0));
  EXPECT_THROW(srng.choice({3}, theon::Size(0)), theon::ValueError);
  EXPECT_THROW(srng.choice({3}, theon::Size(4), false, T::dvector()), theon::ValueError);
  try {
    srng.binomial({3}, 2.0);
    FAIL();
  } catch (const theon::ValueError &e) {
    EXPECT_STREQ(e.what(), "binomial: p must be in [0, 1], got 2.000000");
  }
  // Known only when the function is compiled: sizes from shapes.
  auto x = T::dvector("x");
  auto f = theon::function({x}, {srng.choice({x.shape(0)}, theon::Size(3), false)});
  EXPECT_NO_THROW(f(Array::zeros({3}, DType::Float64)));
  try {
    f(Array::zeros({4}, DType::Float64));
    FAIL();
  } catch (const theon::ValueError &e) {
    EXPECT_NE(std::string(e.what()).find("cannot take 4 distinct elements of 3"), std::string::npos)
        << e.what();
  }
  auto empty = theon::function({x}, {srng.choice({2}, x)});
  EXPECT_THROW(empty(Array::zeros({0}, DType::Float64)), theon::ValueError);
  auto negative = theon::function({x}, {srng.uniform({x.shape(0) - 5})});
  EXPECT_THROW(negative(Array::zeros({3}, DType::Float64)), theon::ValueError);
  // A state given a wrong shape: a clear error, and nothing changes.
  theon::RandomStreams s2;
  auto g = theon::function({}, {s2.uniform({2})});
  auto state = s2.states()[0];
  Array bad = Array::from_vector(std::vector<std::int64_t>{1, 2, 3}, {3});
  state.set_value(bad);
  EXPECT_THROW(g(), theon::ValueError);
  EXPECT_EQ(state.get_value().to_vector<std::int64_t>(), (std::vector<std::int64_t>{1, 2, 3}));
}

} // namespace
