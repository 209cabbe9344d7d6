// The API fuzzer: random graphs of random dtypes, ranks and shapes (0, 1,
// large and overflowing sizes), axes, indices, patterns and arguments,
// thrown at the public API. Each case either works or throws a theon::Error
// for the user's mistake; anything else fails the run, which prints the
// seed and case number to reproduce it: another exception, a crash, a hang,
// or a theon::CompileError (which by its definition is a Theon bug).
//
//   theon-fuzz-api [cases] [seed]        (THEON_FLAGS=cache=0 recommended)
#include <theon/theon.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace T = theon::tensor;
using theon::Array;
using theon::DType;
using theon::Shape;
using theon::Variable;

namespace {

constexpr DType kDTypes[] = {DType::Bool,  DType::Int8,    DType::Int16,  DType::Int32,
                             DType::Int64, DType::Float32, DType::Float64};

class Case {
public:
  explicit Case(std::uint64_t seed) : rng_(seed) {}

  /// Builds a random graph and calls it a few times. Throws theon::Error
  /// (expected) or anything else (a bug).
  void run() {
    int numInputs = pick(1, 3);
    for (int i = 0; i < numInputs; ++i) {
      int rank = pick(0, 3);
      std::vector<bool> flags(static_cast<std::size_t>(rank));
      for (std::size_t d = 0; d < flags.size(); ++d)
        flags[d] = chance(0.15);
      inputs_.push_back(T::tensor(dtype(), flags, "in" + std::to_string(i)));
    }
    std::vector<Variable> pool = inputs_;
    int steps = pick(1, 6);
    for (int s = 0; s < steps; ++s) {
      try {
        pool.push_back(step(pool));
      } catch (const theon::CompileError &) {
        throw;
      } catch (const theon::Error &) {
        ++buildErrors;
      }
    }
    std::vector<Variable> outputs;
    int numOutputs = pick(1, 2);
    for (int i = 0; i < numOutputs; ++i)
      outputs.push_back(pool[static_cast<std::size_t>(pick(0, static_cast<int>(pool.size()) - 1))]);
    // Sometimes a shared variable updated by the function, as a training
    // step's parameters are.
    theon::Updates updates;
    if (chance(0.3)) {
      const Variable &out = outputs.front();
      if (out.ndim() <= 2) {
        Shape shape(static_cast<std::size_t>(out.ndim()), 2);
        auto w = theon::shared(Array::zeros(shape, out.dtype()), "w");
        updates.add(w, chance(0.5) ? out : Variable(w) + out);
      }
    }
    theon::Function f = theon::function(inputs_, outputs, updates);
    if (chance(0.05))
      f.ir(chance(0.5) ? "linalg" : "bogus");
    int calls = pick(1, 3);
    for (int c = 0; c < calls; ++c) {
      std::vector<theon::Argument> args;
      try {
        for (const Variable &in : inputs_)
          args.emplace_back(argumentFor(in));
        if (chance(0.03))
          args.pop_back();
        if (std::getenv("THEON_FUZZ_SHOW")) {
          std::vector<Shape> shapes;
          for (const auto &a : args)
            shapes.push_back(a.array().shape());
          std::fprintf(stderr, "%s\n", f.ir("theon", shapes).c_str());
        }
        f(args);
        ++callsWorked;
      } catch (const theon::CompileError &) {
        throw;
      } catch (const theon::Error &) {
        ++callErrors;
      }
    }
  }

  int buildErrors = 0, callErrors = 0, callsWorked = 0;

private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  DType dtype() { return kDTypes[pick(0, 6)]; }
  const Variable &any(const std::vector<Variable> &pool) {
    return pool[static_cast<std::size_t>(pick(0, static_cast<int>(pool.size()) - 1))];
  }

  std::int64_t dimension() {
    switch (pick(0, 9)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return -1;
    case 3: return chance(0.5) ? (std::int64_t(1) << 40) : (std::int64_t(1) << 62) + 1;
    default: return pick(1, 5);
    }
  }
  std::vector<std::int64_t> shape(int rank) {
    std::vector<std::int64_t> s;
    for (int i = 0; i < rank; ++i)
      s.push_back(dimension());
    return s;
  }
  int axis(const Variable &x) { return pick(-x.ndim() - 1, x.ndim()); }

  Variable constant() {
    switch (pick(0, 3)) {
    case 0: return T::as_tensor(pick(-3, 3));
    case 1: return T::as_tensor(pick(-30, 30) / 7.0);
    case 2: return T::constant(Array::uniform({pick(1, 4)}, -2, 2, DType::Float64));
    default: return T::as_tensor(chance(0.5));
    }
  }

  Variable step(const std::vector<Variable> &pool) {
    const Variable &x = any(pool);
    Variable y = chance(0.7) ? any(pool) : constant();
    switch (pick(0, 43)) {
    case 0: return -x;
    case 1: return T::abs(x);
    case 2: return T::exp(x);
    case 3: return T::log(x);
    case 4: return T::sqrt(x);
    case 5: return T::tanh(x) + T::sigmoid(x);
    case 6: return T::erf(x) * T::softplus(x);
    case 7: return T::floor(x) - T::round(x);
    case 8: return x + y;
    case 9: return x * y - y;
    case 10: return x / y;
    case 11: return T::pow(x, y);
    case 12: return T::maximum(x, y);
    case 13: return T::switch_(T::lt(x, y), x, y);
    case 14: return T::dot(x, y);
    case 15: return T::sum(x, chance(0.3) ? theon::Axis() : theon::Axis(axis(x)), chance(0.5));
    case 16: return T::max(x, axis(x), chance(0.5));
    case 17: return T::mean(x, chance(0.5) ? theon::Axis() : theon::Axis{axis(x), axis(x)});
    case 18: return T::argmax(x, axis(x), chance(0.5));
    case 19: return x.reshape(shape(pick(0, 3)));
    case 20: {
      std::vector<theon::Dim> pattern;
      for (int i = 0, n = pick(0, 4); i < n; ++i)
        pattern.push_back(chance(0.3) ? theon::Dim('x') : theon::Dim(axis(x)));
      return x.dimshuffle(pattern);
    }
    case 21: return x.T();
    case 22: return T::broadcast_to(x, shape(pick(0, 3)));
    case 23: return x[y];
    case 24: return x[static_cast<std::int64_t>(pick(-6, 6))];
    case 25: return T::diag(x);
    case 26: return x.astype(dtype());
    case 27: return theon::grad(T::sum(x * x), x);
    case 28: return theon::grad(T::sum(T::tanh(x) * y), chance(0.5) ? x : y,
                                theon::GradOptions{chance(0.5) ? "raise" : "ignore"});
    case 29: return T::nnet::softmax(x);
    case 30: return T::nnet::relu(x) + T::nnet::sigmoid(y);
    case 31: return T::nnet::categorical_crossentropy(x, y);
    case 32: return T::prod(x, axis(x)) + T::min(y);
    case 33: return x(T::_, T::cast(y, DType::Int64));
    case 34: return T::inc_subtensor(x[T::cast(y, DType::Int32)], T::sum(y));
    case 35: return T::set_subtensor(x(T::cast(y, DType::Int64), T::slice(1, std::nullopt)), x.sum());
    case 36: return T::reshape(x, {x.shape(0), -1}) + T::zeros_like(x).sum();
    case 37: return T::roll(x, pick(-3, 3), chance(0.5) ? std::optional<int>() : axis(x)) *
                    T::repeat(x, pick(0, 2), chance(0.5) ? std::optional<int>() : axis(x)).sum();
    case 38: return T::set_subtensor(x[T::gt(x, y)], y);
    case 39: return T::alloc(y, {x.shape(-1), pick(0, 2)}) + T::arange(x.shape(0));
    case 40: {
      // Images and filters of any sizes, with every option drawn.
      Variable image = x.ndim() == 4 ? x : T::reshape(x, {pick(1, 2), pick(1, 2), -1, pick(1, 3)});
      Variable filters = y.ndim() == 4 ? y : T::reshape(y, {pick(1, 2), pick(1, 2), pick(1, 2), -1});
      static const char *const borders[] = {"valid", "full", "half"};
      T::nnet::BorderMode border = chance(0.5) ? T::nnet::BorderMode(borders[pick(0, 2)])
                                               : T::nnet::BorderMode(pick(-1, 2), pick(0, 2));
      Variable conv = T::nnet::conv2d(image, filters, border, {pick(1, 2), pick(0, 3)}, chance(0.5),
                                      {pick(1, 2), pick(1, 2)}, pick(1, 2));
      return chance(0.5) ? conv : theon::grad(T::sum(T::sqr(conv)), chance(0.5) ? image : filters);
    }
    case 41: {
      static const char *const modes[] = {"max", "sum", "average_inc_pad", "average_exc_pad", "min"};
      std::optional<std::array<std::int64_t, 2>> stride;
      if (chance(0.5))
        stride = std::array<std::int64_t, 2>{pick(0, 3), pick(1, 3)};
      Variable pooled = T::nnet::pool_2d(x, {pick(1, 3), pick(1, 3)}, chance(0.5), stride,
                                         {pick(0, 1), pick(0, 1)}, modes[pick(0, 4)]);
      return chance(0.5) ? pooled : theon::grad(T::sum(pooled), x);
    }
    case 42: {
      // A loop over x's rows carrying a state shaped like one row, with a
      // captured outside value, a tap of -2 and an output not fed back.
      theon::NSteps steps;
      if (chance(0.3))
        steps = pick(-1, 4);
      else if (chance(0.2)) // symbolic, valued when compiled
        steps = x.shape()[0] - static_cast<std::int64_t>(pick(-1, 2));
      bool taps = chance(0.3), draws = chance(0.3);
      auto r = theon::scan(
          [&](const std::vector<Variable> &a) {
            Variable prev = taps ? a[1] + a[2] : a[1];
            if (draws) // a new draw at every step, shaped like the row
              prev = prev * srng_.uniform(a[0].shape(), 0.5, 1.5, DType::Float64);
            return std::vector<Variable>{T::tanh(prev * y + a[0]), T::sum(a[0])};
          },
          {x}, {taps ? theon::OutputInfo(x(T::slice(0, 2)), {-2, -1}) : theon::OutputInfo(x[0]),
                std::nullopt},
          {}, steps);
      Variable out = r.outputs[chance(0.5) ? 0 : 1];
      return chance(0.5) ? out : theon::grad(T::sum(r.outputs[0]), x);
    }
    default: return T::eq(x, y) * T::ge(y, x);
    }
  }

  Array argumentFor(const Variable &in) {
    Shape s;
    for (int d = 0; d < in.ndim(); ++d) {
      std::int64_t n = in.broadcastable()[static_cast<std::size_t>(d)] && chance(0.9)
                           ? 1
                           : (chance(0.01) ? -1 : pick(0, 4));
      if (chance(0.01))
        n = std::int64_t(1) << 41; // too large to allocate
      s.push_back(n);
    }
    DType dt = chance(0.9) ? in.dtype() : dtype();
    Array a(s, DType::Float64); // may throw ShapeError or MemoryError, as it should
    double *values = a.data<double>();
    for (std::int64_t i = 0; i < a.size(); ++i) {
      double v = std::uniform_real_distribution<double>(-4, 4)(rng_);
      if (theon::is_float(dt) && chance(0.05))
        v = chance(0.5) ? std::numeric_limits<double>::quiet_NaN()
                        : std::numeric_limits<double>::infinity();
      values[i] = theon::is_float(dt) ? v : std::round(v);
    }
    return a.astype(dt);
  }

  std::mt19937_64 rng_;
  theon::RandomStreams srng_{7};
  std::vector<Variable> inputs_;
};

std::string kindOf(const theon::Error &e) {
  if (dynamic_cast<const theon::ShapeError *>(&e))
    return "ShapeError";
  if (dynamic_cast<const theon::ValueError *>(&e))
    return "ValueError";
  if (dynamic_cast<const theon::TypeError *>(&e))
    return "TypeError";
  if (dynamic_cast<const theon::MemoryError *>(&e))
    return "MemoryError";
  return "Error";
}

} // namespace

int main(int argc, char **argv) {
  long cases = argc > 1 ? std::atol(argv[1]) : 2000;
  std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20261201;
  std::map<std::string, int> thrown;
  int built = 0, buildErrors = 0, callErrors = 0, callsWorked = 0;
  auto start = std::chrono::steady_clock::now();
  for (long k = 0; k < cases; ++k) {
    Case c(seed + static_cast<std::uint64_t>(k));
    try {
      c.run();
      ++built;
    } catch (const theon::CompileError &e) {
      std::fprintf(stderr, "case %ld (seed %llu): CompileError, a Theon bug: %s\n", k,
                   static_cast<unsigned long long>(seed + k), e.what());
      return 1;
    } catch (const theon::Error &e) {
      // Expected: a theon::Error at function() or ir(); counted by kind.
      thrown[kindOf(e)]++;
    } catch (const std::exception &e) {
      std::fprintf(stderr, "case %ld (seed %llu): not a theon::Error: %s\n", k,
                   static_cast<unsigned long long>(seed + k), e.what());
      return 1;
    }
    buildErrors += c.buildErrors;
    callErrors += c.callErrors;
    callsWorked += c.callsWorked;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto &[kind, count] : thrown)
    std::printf("  %5d  %s\n", count, kind.c_str());
  std::printf("%ld cases (seed %llu) in %.1f s: %d functions built, %d calls worked, %d calls and "
              "%d graph steps threw theon::Error\n",
              cases, static_cast<unsigned long long>(seed), seconds, built, callsWorked, callErrors,
              buildErrors);
  return 0;
}
