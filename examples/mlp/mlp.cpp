// The seed program: the cheat sheet's MLP Learner trained with Theon.
//   theon-mlp [data.csv] [--steps N] [--batch N] [--hidden N] [--lr X] [--print N]
// Without a CSV it trains on a synthetic 10-class set with 64 features.
#include <cstdlib>
#include <iostream>
#include <string>

#include "learner.h"

int main(int argc, char **argv) {
  std::string path;
  std::int64_t steps = 3000, batch = 32, hidden = 100, printN = 500;
  double lr = 0.1;
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
      else if (!arg.empty() && arg[0] == '-') throw theon::ValueError("unknown option " + arg);
      else path = arg;
    }
    mlp::DataSet data = path.empty() ? mlp::synthetic(5000, 64, 10, 7) : mlp::read_csv(path);
    std::cout << (path.empty() ? std::string("synthetic data") : path) << ": " << data.rows()
              << " rows, " << data.n_features << " features, " << data.n_classes()
              << " classes\n";
    auto [train, test] = mlp::split(data, 0.2);
    mlp::Learner learner(batch, lr, hidden);
    std::cout << "Chance level: " << 1.0 / data.n_classes() << "\n";
    learner.fit(train, steps, printN, steps / 2, &test);
    std::cout << "Final test classification accuracy: " << learner.classification_accuracy(test)
              << "\n";
  } catch (const std::exception &e) {
    std::cerr << "theon-mlp: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
