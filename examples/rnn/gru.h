// A GRU written with Theon ops inside theon::scan, as a Theano user writes
// one, trained on the adding problem (Hochreiter & Schmidhuber 1997): each
// sequence holds random numbers and two marked positions; the target is the
// sum of the two marked numbers, so the net must remember them.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <vector>

#include <theon/theon.h>

namespace rnn {

/// A batch of the adding problem: x (steps, batch, 2): a number in [0, 1)
/// and a 0/1 marker; y (batch): the sum of the two marked numbers.
struct AddingBatch {
  theon::Array x, y;
};
AddingBatch adding_batch(std::int64_t steps, std::int64_t batch, std::mt19937_64 &rng);

class GruRegressor {
public:
  GruRegressor(std::int64_t inputs, std::int64_t hidden, std::uint64_t seed = 42);

  /// train(x, y) -> mean squared error, with Adam updates of every
  /// parameter (learning rate `lr`).
  theon::Function &build_training(double lr);
  /// predict(x) -> one number per sequence.
  theon::Function &build_prediction();
  /// Trains on fresh adding-problem batches; prints the mean cost every
  /// `print_n` steps; returns the mean cost of the last `print_n`.
  double fit(std::int64_t steps, std::int64_t seq_len, std::int64_t batch, double lr,
             std::int64_t print_n, std::ostream &out);
  /// The mean squared error on `batches` fresh batches.
  double evaluate(std::int64_t seq_len, std::int64_t batch, int batches);

private:
  /// The last hidden state of the GRU over x (steps, batch, inputs).
  theon::Variable last_hidden(const theon::Variable &x) const;

  std::int64_t hidden_;
  theon::SharedVariable W_, U_, b_, Wh_, Uh_, bh_, V_, c_;
  std::vector<theon::SharedVariable> params_;
  std::optional<theon::Function> train_, predict_;
  std::mt19937_64 rng_;
};

} // namespace rnn
