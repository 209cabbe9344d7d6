// Random streams inside compiled functions, as Theano's RandomStreams.
//
// Each draw is a theon.random op: Philox4x32-10, a counter-based generator,
// computed per element in the compiled code. A draw's numbers depend only
// on the stream's seed, the draw, how many calls came before, and each
// element's position: not on threads, fusion or loop order. Each draw owns
// a state shared variable [key, counter] whose default update advances the
// counter, so every call of a function that draws gets new numbers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "theon/dtype.h"
#include "theon/shared.h"
#include "theon/variable.h"

namespace theon {

/// A distribution parameter: a C++ number or a variable (which may be a
/// tensor broadcasting against the size).
class RandomParam {
public:
  template <class N, class = std::enable_if_t<std::is_arithmetic_v<N>>>
  RandomParam(N value) : number_(static_cast<double>(value)) {}
  RandomParam(const Variable &v) : variable_(v) {}
  bool is_variable() const { return !variable_.is_null(); }
  double number() const { return number_; }
  const Variable &variable() const { return variable_; }

private:
  double number_ = 0;
  Variable variable_;
};

class RandomStreams {
public:
  /// Theano's MRG_RandomStreams(seed=12345).
  explicit RandomStreams(std::uint64_t seed = 12345);

  /// Uniform on [low, high) (float dtype; floatX by default).
  Variable uniform(const ShapeArg &size, RandomParam low = 0.0, RandomParam high = 1.0,
                   std::optional<DType> dtype = std::nullopt);
  /// Normal with mean `avg` and standard deviation `std` (>= 0).
  Variable normal(const ShapeArg &size, RandomParam avg = 0.0, RandomParam std = 1.0,
                  std::optional<DType> dtype = std::nullopt);
  /// Bernoulli trials: 1 with probability p (in [0, 1]), as the cheat
  /// sheet's `srng.binomial((10, 5), p=0.5, dtype=floatX)`. int64 by default.
  Variable binomial(const ShapeArg &size, RandomParam p = 0.5,
                    std::optional<DType> dtype = std::nullopt);
  /// Binomial(n, p): the number of successes in n trials.
  Variable binomial(const ShapeArg &size, std::int64_t n, RandomParam p,
                    std::optional<DType> dtype = std::nullopt);
  /// Integers in [low, high) (NumPy's Generator.integers), int64 by default.
  Variable integers(const ShapeArg &size, RandomParam low, RandomParam high,
                    std::optional<DType> dtype = std::nullopt);
  /// Integers in [low, high], both included (Theano's random_integers).
  Variable random_integers(const ShapeArg &size, RandomParam low, RandomParam high,
                           std::optional<DType> dtype = std::nullopt);
  /// Indices in [0, n) drawn with replacement, uniformly or with
  /// probabilities p (a vector of n weights, normalized); without
  /// replacement (no p), distinct indices, so size must hold at most n.
  Variable choice(const ShapeArg &size, Size n, bool replace = true, const Variable &p = {});
  /// Elements of the vector `a` chosen as above.
  Variable choice(const ShapeArg &size, const Variable &a, bool replace = true,
                  const Variable &p = {});
  /// A random permutation of 0 .. n-1 (int64).
  Variable permutation(Size n);
  /// x with its rows (axis 0) in a random order.
  Variable shuffle_row_elements(const Variable &x);

  /// Reseeds every draw made so far and every later one: the same seed gives
  /// the same numbers again.
  void seed(std::uint64_t seed);
  /// The state shared variables, one per draw ([key, counter], int64).
  std::vector<SharedVariable> states() const;

  struct Impl;

private:
  std::shared_ptr<Impl> impl_;
};

} // namespace theon
