// The cheat sheet's Learner, in C++: a one-hidden-layer MLP (relu, softmax)
// trained with Adagrad on random mini-batches.
#pragma once

#include <cstdint>
#include <optional>
#include <iostream>
#include <random>
#include <vector>

#include <theon/theon.h>

namespace mlp {

namespace T = theon::tensor;
using theon::Array;
using theon::Variable;

/// Rows of `label, feature, feature, ...`, as the cheat sheet's data.
struct DataSet {
  std::vector<std::int32_t> labels;
  std::vector<float> features; // row-major, rows x n_features
  std::int64_t n_features = 0;
  std::int64_t rows() const { return static_cast<std::int64_t>(labels.size()); }
  std::int32_t n_classes() const;
};

/// Reads a CSV whose first column is the integer label; throws theon::ValueError
/// naming the line on malformed input.
DataSet read_csv(const std::string &path);
/// `n` samples of `n_classes` Gaussian clusters in `n_features` dimensions.
DataSet synthetic(std::int64_t n, std::int64_t n_features, std::int32_t n_classes,
                  std::uint64_t seed);
/// Splits off the last `fraction` of the rows as a test set.
std::pair<DataSet, DataSet> split(const DataSet &data, double fraction);
/// The rows in a random order fixed by `seed` (Fisher-Yates on mt19937_64,
/// the same on every platform).
DataSet shuffled(const DataSet &data, std::uint64_t seed);

class Learner {
public:
  /// `dropout`: the probability of dropping a hidden unit while training
  /// (0: none), in [0, 1).
  Learner(std::int64_t batch_size, double learning_rate, std::int64_t n_hidden,
          double dropout = 0);

  /// Trains for `n_steps` mini-batches; prints the mean cost every `print_n`
  /// steps and the test accuracy every `check_n` steps (when > 0).
  /// Returns the mean cost of the last `print_n` steps.
  double fit(const DataSet &data, std::int64_t n_steps, std::int64_t print_n = 1000,
             std::int64_t check_n = -1, const DataSet *test = nullptr,
             std::ostream &out = std::cout);
  /// Fresh parameters for `n_features` inputs and `n_classes` classes, and
  /// the training function `train(X, Y) -> cost` with the Adagrad updates.
  /// fit() calls it; benchmarks call it to time one step.
  theon::Function &build_training(std::int64_t n_features, std::int32_t n_classes);
  /// Class probabilities, one row per sample.
  Array predict(const Array &x);
  /// Writes the parameters (W1, B1, W2, B2) and the dropout rate to a .npz
  /// checkpoint.
  void save(const std::string &path) const;
  /// Takes the parameters, and the layer sizes, of a checkpoint: predict()
  /// and classification_accuracy() then answer as the saved model did.
  void load(const std::string &path);
  double classification_accuracy(const DataSet &test);

  const theon::Function &train_function() const { return *train_; }

private:
  void init_model(std::int64_t n_features, std::int32_t n_classes);
  /// The class probabilities; with `training`, hidden units are dropped
  /// with probability dropout_, and at prediction they are scaled by
  /// 1 - dropout_ instead (the original dropout's rule).
  Variable model(const Variable &X, bool training);
  static Variable softmax(const Variable &X);
  static Variable relu(const Variable &X) { return T::maximum(X, 0); }
  static Variable cross_entropy(const Variable &Yhat, const Variable &Y);
  theon::Updates update_model(const Variable &cost);

  std::int64_t batch_size_;
  double learning_rate_;
  std::int64_t n_hidden_;
  double dropout_;
  theon::RandomStreams srng_{42};
  theon::SharedVariable W1_, B1_, W2_, B2_;
  std::vector<theon::SharedVariable> params_;
  std::optional<theon::Function> train_, predict_;
  std::mt19937_64 rng_{42};
};

} // namespace mlp
