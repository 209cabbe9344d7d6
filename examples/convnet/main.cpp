// A LeNet-style convnet trained with Theon, as a Theano user writes one.
//   theon-convnet [digits.csv] [--mnist DIR] [--steps N] [--batch N] [--lr X]
//                 [--print N] [--seed N] [--min-accuracy A]
// By default it trains on the 8x8 UCI digits that ship with the examples
// (label first, 64 pixels of 0..16), with the seed MLP's 80/20 split. With
// --mnist DIR it reads MNIST's four IDX files from DIR instead (28x28,
// 60000 training and 10000 test images). --min-accuracy makes it exit with
// status 2 when the final test accuracy is below A (for the test suite).
#include <cstdlib>
#include <iostream>
#include <string>

#include "convnet.h"

#ifndef THEON_MLP_DIGITS
#define THEON_MLP_DIGITS "examples/mlp/data/digits.csv"
#endif

int main(int argc, char **argv) {
  std::string path = THEON_MLP_DIGITS, mnist;
  std::uint64_t seed = 42;
  std::int64_t steps = 1500, batch = 32, printN = 250;
  double lr = 0.05, minAccuracy = 0;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      auto next = [&]() -> std::string {
        if (i + 1 >= argc)
          throw theon::ValueError(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--steps") steps = std::stoll(next());
      else if (arg == "--batch") batch = std::stoll(next());
      else if (arg == "--lr") lr = std::stod(next());
      else if (arg == "--print") printN = std::stoll(next());
      else if (arg == "--seed") seed = std::stoull(next());
      else if (arg == "--mnist") mnist = next();
      else if (arg == "--min-accuracy") minAccuracy = std::stod(next());
      else if (!arg.empty() && arg[0] == '-') throw theon::ValueError("unknown option " + arg);
      else path = arg;
    }
    if (steps < 1 || batch < 1 || printN < 1)
      throw theon::ValueError("--steps, --batch and --print must be at least 1");
    mlp::DataSet train, test;
    if (!mnist.empty()) {
      std::tie(train, test) = convnet::read_mnist(mnist);
      std::cout << "MNIST from " << mnist << ": ";
    } else {
      mlp::DataSet data = mlp::read_csv(path);
      for (float &v : data.features)
        v /= 16.0f; // the digits' pixels are 0..16
      std::tie(train, test) = mlp::split(mlp::shuffled(data, seed), 0.2);
      std::cout << path << " (shuffled with seed " << seed << "): ";
    }
    std::int64_t side = 1;
    while (side * side < train.n_features)
      ++side;
    if (side * side != train.n_features)
      throw theon::ValueError(std::to_string(train.n_features) + " features are not a square image");
    std::cout << train.rows() << " training and " << test.rows() << " test images of " << side
              << "x" << side << ", " << train.n_classes() << " classes\n";
    convnet::ConvNet net(side, std::max(train.n_classes(), test.n_classes()), 16, 32, seed);
    net.fit(train, steps, batch, lr, printN, std::cout);
    double accuracy = net.classification_accuracy(test);
    std::cout << "Final test classification accuracy: " << accuracy << "\n";
    if (accuracy < minAccuracy) {
      std::cerr << "theon-convnet: accuracy " << accuracy << " is below " << minAccuracy << "\n";
      return 2;
    }
  } catch (const std::exception &e) {
    std::cerr << "theon-convnet: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
