// THEON_FLAGS=threads: large elementwise ops and row reductions run their
// outer loop on OpenMP threads, as do float32 products on oneDNN; OpenBLAS
// has its own. Results on two
// threads equal those on one (exactly where each element is computed by one
// thread in the same order, within rounding where BLAS splits sums).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"
#include "theon/theon.h"

// The runtimes' own view of their thread counts.
extern "C" {
int openblas_get_num_threads(void);
int omp_get_max_threads(void);
}

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Shape;
using namespace theon_test;

namespace {

/// Sets config().threads for one scope.
class ThreadCount {
public:
  explicit ThreadCount(int threads) : saved_(theon::config().threads) {
    theon::config().threads = threads;
  }
  ~ThreadCount() { theon::config().threads = saved_; }

private:
  int saved_;
};

std::vector<float> Floats(const Array &a) { return a.to_vector<float>(); }

/// `f`'s results on one thread and on two. A function that switches
/// OpenBLAS to one thread for its call gives it back its count of two.
std::pair<std::vector<Array>, std::vector<Array>>
OnOneAndTwoThreads(const theon::Function &f, const std::vector<theon::Argument> &args) {
  std::vector<Array> one, two;
  {
    ThreadCount threads(1);
    one = f(args);
  }
  {
    ThreadCount threads(2);
    two = f(args);
    EXPECT_EQ(openblas_get_num_threads(), 2);
  }
  return {one, two};
}

// Odd sizes: 601 rows of 517 (310717 elements, above the parallel loop
// threshold, 131072, and five such loops above the function's, 2^20), so
// the rows do not split evenly between threads.
const Shape kLarge{601, 517};

theon::Function ChainAndReductions() {
  auto x = T::matrix("x"), y = T::matrix("y"), z = T::matrix("z");
  auto chain = T::exp(x) * y + T::tanh(z);
  return theon::function({x, y, z}, {chain, T::sum(chain, 1), T::max(x, 1), T::sum(x, 0),
                                     T::nnet::relu(x - y)});
}

TEST(Threads, TheSettingReachesOpenBlasAndOpenMpAtTheNextCall) {
  auto x = T::vector("x");
  auto f = theon::function({x}, {x + 1});
  Array xv = Array::from_vector(std::vector<float>{1, 2});
  {
    ThreadCount threads(0);
    f(xv);
  }
  int blasDefault = openblas_get_num_threads(), ompDefault = omp_get_max_threads();
  for (int n : {1, 2, 3}) {
    ThreadCount threads(n);
    f(xv);
    EXPECT_EQ(openblas_get_num_threads(), n);
    EXPECT_EQ(omp_get_max_threads(), n);
  }
  ThreadCount threads(0); // back to the runtimes' defaults
  f(xv);
  EXPECT_EQ(openblas_get_num_threads(), blasDefault);
  EXPECT_EQ(omp_get_max_threads(), ompDefault);
  EXPECT_EQ(f.num_compiled(), 1u);
}

TEST(Threads, LargeOpsHaveAParallelOuterLoop) {
  auto f = ChainAndReductions();
  std::string loops = f.ir("loops", {kLarge, kLarge, kLarge});
  EXPECT_NE(loops.find("scf.parallel"), std::string::npos) << loops;
  std::string llvm = f.ir("llvm", {kLarge, kLarge, kLarge});
  EXPECT_NE(llvm.find("omp.parallel"), std::string::npos);
  EXPECT_NE(llvm.find("omp.wsloop"), std::string::npos);
}

TEST(Threads, SmallOpsStaySerial) {
  auto f = ChainAndReductions();
  std::string loops = f.ir("loops", {{7, 9}, {7, 9}, {7, 9}});
  EXPECT_EQ(loops.find("scf.parallel"), std::string::npos) << loops;
}

// A function whose whole work is too small for threads runs on one, even
// where one of its loops alone is large enough: waking the threads for it
// costs more than the second core gives back. Its products run on one
// BLAS thread, which gets its count back after the call.
TEST(Threads, FunctionsWithLittleWorkRunOnOneThread) {
  auto x = T::matrix("x"), a = T::matrix("a");
  auto f = theon::function({x, a}, {T::exp(x), T::dot(a, a)});
  const Shape xs{400, 400}, as{64, 64};
  std::string loops = f.ir("loops", {xs, as});
  EXPECT_EQ(loops.find("scf.parallel"), std::string::npos) << loops;
  EXPECT_NE(loops.find("theon.serial"), std::string::npos) << loops;
  EXPECT_NE(loops.find("call @theon_blas_serial_begin()"), std::string::npos) << loops;
  // The same loop with more work beside it is parallel.
  auto g = theon::function({x, a}, {T::exp(x), T::tanh(x), T::sin(x), T::cos(x), T::dot(a, a)});
  std::string more = g.ir("loops", {{601, 517}, as});
  EXPECT_NE(more.find("scf.parallel"), std::string::npos) << more;
  EXPECT_EQ(more.find("theon.serial"), std::string::npos) << more;
  std::mt19937 rng(3);
  auto [one, two] = OnOneAndTwoThreads(f, {Random(xs, DType::Float32, rng),
                                           Random(as, DType::Float32, rng)});
  for (std::size_t k = 0; k < one.size(); ++k)
    EXPECT_EQ(Floats(one[k]), Floats(two[k])) << "output " << k;
}

TEST(Threads, TwoThreadsEqualOneAndTheReference) {
  std::mt19937 rng(7);
  Array x = Random(kLarge, DType::Float32, rng, -2, 2);
  Array y = Random(kLarge, DType::Float32, rng, -2, 2);
  Array z = Random(kLarge, DType::Float32, rng, -2, 2);
  auto f = ChainAndReductions();
  std::vector<Array> one, two;
  {
    ThreadCount threads(1);
    one = f(x, y, z);
  }
  {
    ThreadCount threads(2);
    two = f(x, y, z);
  }
  EXPECT_EQ(f.num_compiled(), 1u) << "the thread count must not change the compiled code";
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i)
    EXPECT_EQ(Floats(one[i]), Floats(two[i])) << "output " << i;

  // And both against plain loops.
  std::int64_t rows = kLarge[0], cols = kLarge[1];
  std::vector<double> chain, chainScale, rowSum(rows, 0.0), rowAbs(rows, 0.0), rowMax(rows, -INFINITY),
      colSum(cols, 0.0), colAbs(cols, 0.0), relu;
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j) {
      std::int64_t k = i * cols + j;
      double xv = x.get_flat(k), yv = y.get_flat(k), zv = z.get_flat(k);
      double c = std::exp(xv) * yv + std::tanh(zv);
      chain.push_back(c);
      chainScale.push_back(std::fabs(std::exp(xv) * yv) + std::fabs(std::tanh(zv)));
      rowSum[i] += c;
      rowAbs[i] += std::fabs(c);
      rowMax[i] = std::max(rowMax[i], xv);
      colSum[j] += xv;
      colAbs[j] += std::fabs(xv);
      relu.push_back(std::max(xv - yv, 0.0));
    }
  // Rounding relative to the two terms (their sum may cancel).
  std::int64_t chainMisses = 0;
  for (std::int64_t k = 0; k < rows * cols; ++k)
    chainMisses += std::fabs(two[0].get_flat(k) - chain[k]) > 1e-6 * chainScale[k] + 1e-7;
  EXPECT_EQ(chainMisses, 0);
  // A float sum is off by rounding relative to the terms' size.
  for (std::int64_t i = 0; i < rows; ++i)
    EXPECT_NEAR(two[1].get_flat(i), rowSum[i], 1e-5 * rowAbs[i]) << "row " << i;
  EXPECT_TRUE(ArrayNear(two[2], DType::Float32, {rows}, rowMax, ElementwiseTol(DType::Float32)));
  for (std::int64_t j = 0; j < cols; ++j)
    EXPECT_NEAR(two[3].get_flat(j), colSum[j], 1e-5 * colAbs[j]) << "column " << j;
  EXPECT_TRUE(ArrayNear(two[4], DType::Float32, kLarge, relu, ElementwiseTol(DType::Float32)));
}

/// A few SGD steps of a one-hidden-layer regression big enough that the
/// parameter updates run in parallel (W1 has 200 x 300 elements).
std::vector<std::vector<float>> TrainSteps(int threads, const Array &xv, const Array &tv,
                                           const Array &w1v, const Array &w2v) {
  ThreadCount count(threads);
  auto w1 = theon::shared(w1v, "W1"), w2 = theon::shared(w2v, "W2");
  auto b1 = theon::shared(Array::zeros({300}, DType::Float32), "b1");
  auto x = T::matrix("x"), t = T::matrix("t");
  auto hidden = T::nnet::relu(T::dot(x, w1) + b1);
  auto cost = T::mean(T::sqr(T::dot(hidden, w2) - t));
  auto grads = theon::grad(cost, std::vector<theon::Variable>{w1, b1, w2});
  theon::Updates updates;
  updates.add(w1, w1 - 0.05 * grads[0]);
  updates.add(b1, b1 - 0.05 * grads[1]);
  updates.add(w2, w2 - 0.05 * grads[2]);
  auto step = theon::function({x, t}, {cost}, updates);
  for (int i = 0; i < 3; ++i)
    step(xv, tv);
  return {Floats(w1.get_value()), Floats(b1.get_value()), Floats(w2.get_value())};
}

TEST(Threads, TrainingOnTwoThreadsMatchesOneWithinRounding) {
  std::mt19937 rng(11);
  Array xv = Random({128, 200}, DType::Float32, rng);
  Array tv = Random({128, 10}, DType::Float32, rng);
  Array w1v = Random({200, 300}, DType::Float32, rng, -0.1, 0.1);
  Array w2v = Random({300, 10}, DType::Float32, rng, -0.1, 0.1);
  auto one = TrainSteps(1, xv, tv, w1v, w2v);
  auto two = TrainSteps(2, xv, tv, w1v, w2v);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t p = 0; p < one.size(); ++p) {
    ASSERT_EQ(one[p].size(), two[p].size());
    double worst = 0;
    for (std::size_t i = 0; i < one[p].size(); ++i)
      worst = std::max(worst, std::fabs(double(one[p][i]) - two[p][i]));
    EXPECT_LT(worst, 1e-5) << "parameter " << p;
  }
  // The steps did change the parameters (the test is not vacuous).
  EXPECT_NE(one[0], Floats(w1v));
}

// A convolution from 2^22 multiply-adds on runs its images on the threads,
// each image's products on one thread (OpenBLAS gets its count back after
// the call); its values and gradients on two threads equal those on
// one, and the forward equals a direct loop.
TEST(Threads, ConvolutionImagesRunOnTheThreadsWithOneBlasThreadEach) {
  auto x = T::tensor4("x"), w = T::tensor4("w");
  auto y = T::nnet::conv2d(x, w, "half");
  std::vector<theon::Variable> g = theon::grad(T::sum(T::sqr(y)), {x, w});
  auto f = theon::function({x, w}, {y, g[0], g[1]});
  const Shape xs{8, 16, 12, 12}, ws{32, 16, 3, 3};
  std::string loops = f.ir("loops", {xs, ws});
  EXPECT_NE(loops.find("scf.parallel"), std::string::npos) << loops;
  EXPECT_NE(loops.find("call @theon_blas_serial_begin()"), std::string::npos) << loops;
  std::mt19937 rng(5);
  Array xv = Random(xs, DType::Float32, rng), wv = Random(ws, DType::Float32, rng);
  auto [one, two] = OnOneAndTwoThreads(f, {xv, wv});
  for (std::size_t k = 0; k < one.size(); ++k) {
    std::vector<float> a = Floats(one[k]), b = Floats(two[k]);
    ASSERT_EQ(a.size(), b.size());
    double worst = 0, scale = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      worst = std::max(worst, std::fabs(double(a[i]) - b[i]));
      scale = std::max(scale, std::fabs(double(a[i])));
    }
    EXPECT_LE(worst, 1e-5 * scale) << "output " << k;
  }
  // y[n, f, i, j] by its definition (flipped filters, one pixel of padding).
  std::vector<float> xf = Floats(xv), wf = Floats(wv), yf = Floats(two[0]);
  for (std::int64_t n = 0; n < 8; n += 7)
    for (std::int64_t o = 0; o < 32; o += 5)
      for (std::int64_t i = 0; i < 12; i += 11)
        for (std::int64_t j = 0; j < 12; j += 3) {
          double sum = 0;
          for (std::int64_t c = 0; c < 16; ++c)
            for (std::int64_t a = 0; a < 3; ++a)
              for (std::int64_t b = 0; b < 3; ++b) {
                std::int64_t r = i - 1 + a, q = j - 1 + b;
                if (r < 0 || r >= 12 || q < 0 || q >= 12)
                  continue;
                sum += double(xf[((n * 16 + c) * 12 + r) * 12 + q]) *
                       wf[((o * 16 + c) * 3 + (2 - a)) * 3 + (2 - b)];
              }
          EXPECT_NEAR(yf[((n * 32 + o) * 12 + i) * 12 + j], sum, 1e-4)
              << "y[" << n << ", " << o << ", " << i << ", " << j << "]";
        }
}

} // namespace
