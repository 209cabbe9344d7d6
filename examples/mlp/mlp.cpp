// The seed program: the cheat sheet's MLP Learner trained with Theon.
//   theon-mlp [data.csv | --synthetic] [--seed N] [--steps N] [--batch N]
//             [--hidden N] [--lr X] [--print N] [--dropout P] [--save ckpt.npz]
//             [--load ckpt.npz]
// --dropout drops each hidden unit with probability P while training
// (srng.binomial, as in Theano) and scales the hidden layer by 1 - P when
// predicting.
// --save writes the trained parameters (a .npz checkpoint); --load evaluates
// a saved model instead of training one.
// By default it trains on the UCI handwritten digits that ship with the
// examples (examples/mlp/data/digits.csv, 1797 8x8 images, CC BY 4.0).
#include <cstdlib>
#include <iostream>
#include <string>

#include "learner.h"

#ifndef THEON_MLP_DIGITS
#define THEON_MLP_DIGITS "examples/mlp/data/digits.csv"
#endif

int main(int argc, char **argv) {
  std::string path = THEON_MLP_DIGITS;
  bool synthetic = false;
  std::uint64_t seed = 42;
  std::int64_t steps = 3000, batch = 32, hidden = 100, printN = 500;
  double lr = 0.1, dropout = 0;
  std::string savePath, loadPath;
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
      else if (arg == "--hidden") hidden = std::stoll(next());
      else if (arg == "--lr") lr = std::stod(next());
      else if (arg == "--print") printN = std::stoll(next());
      else if (arg == "--seed") seed = std::stoull(next());
      else if (arg == "--dropout") dropout = std::stod(next());
      else if (arg == "--synthetic") synthetic = true;
      else if (arg == "--save") savePath = next();
      else if (arg == "--load") loadPath = next();
      else if (!arg.empty() && arg[0] == '-') throw theon::ValueError("unknown option " + arg);
      else path = arg;
    }
    mlp::DataSet data = synthetic ? mlp::synthetic(5000, 64, 10, 7) : mlp::read_csv(path);
    std::cout << (synthetic ? std::string("synthetic data") : path) << ": " << data.rows()
              << " rows, " << data.n_features << " features, " << data.n_classes()
              << " classes\n";
    // Shuffled before the 80/20 split: a file's last rows may come from
    // other writers than the rest, and the test set should not.
    auto [train, test] = mlp::split(mlp::shuffled(data, seed), 0.2);
    std::cout << "Shuffled with seed " << seed << "; " << train.rows() << " training rows, "
              << test.rows() << " test rows\n";
    mlp::Learner learner(batch, lr, hidden, dropout);
    std::cout << "Chance level: " << 1.0 / data.n_classes() << "\n";
    if (!loadPath.empty()) {
      learner.load(loadPath); // a trained model: evaluated, not trained
      std::cout << "Loaded " << loadPath << "\n";
    } else {
      learner.fit(train, steps, printN, steps / 2, &test);
    }
    std::cout << "Final test classification accuracy: " << learner.classification_accuracy(test)
              << "\n";
    if (!savePath.empty()) {
      learner.save(savePath);
      std::cout << "Saved the parameters to " << savePath << "\n";
    }
  } catch (const std::exception &e) {
    std::cerr << "theon-mlp: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
