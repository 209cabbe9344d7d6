// A small LeNet-style convnet written as a Theano user would: conv2d, relu,
// pool_2d, conv2d, pool_2d, a dense softmax layer, Adagrad updates, one
// compiled training function.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <theon/theon.h>

#include "learner.h" // mlp::DataSet and its CSV reader, split and shuffle

namespace convnet {

/// MNIST's IDX files in `dir` (train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz-less);
/// pixels scaled to [0, 1]. theon::IOError names a missing or malformed file.
std::pair<mlp::DataSet, mlp::DataSet> read_mnist(const std::string &dir);

class ConvNet {
public:
  /// conv(3x3, `filters1`) relu pool(2) conv(3x3, `filters2`) relu pool(2)
  /// dense softmax, for square images of `channels` x `side` x `side`.
  ConvNet(std::int64_t side, std::int32_t n_classes, std::int64_t filters1 = 16,
          std::int64_t filters2 = 32, std::uint64_t seed = 42, std::int64_t channels = 1);

  /// The training function `train(X, Y) -> cost`, X of shape (batch,
  /// channels, side, side), with the Adagrad updates of every parameter.
  theon::Function &build_training(double learning_rate);
  /// Trains `n_steps` mini-batches of `batch` rows; prints the mean cost
  /// every `print_n` steps. Returns the mean cost of the last `print_n`.
  double fit(const mlp::DataSet &data, std::int64_t n_steps, std::int64_t batch,
             double learning_rate, std::int64_t print_n, std::ostream &out);
  double classification_accuracy(const mlp::DataSet &test);

private:
  theon::Variable model(const theon::Variable &X) const;

  std::int64_t side_, channels_;
  std::int32_t n_classes_;
  theon::SharedVariable W1_, b1_, W2_, b2_, W3_, b3_;
  std::vector<theon::SharedVariable> params_;
  std::optional<theon::Function> train_, predict_;
  std::mt19937_64 rng_;
};

} // namespace convnet
