// A GRU, written with Theon ops inside theon::scan, learns the adding
// problem: 2 numbers marked among `--length` random ones must be summed at
// the end, which needs memory. A predictor without memory can do no better
// than the targets' variance, 1/6 (0.167), by always answering 1.
//   theon-rnn [--steps N] [--length L] [--batch N] [--hidden N] [--lr X]
//             [--print N] [--seed N] [--max-mse E]
// --max-mse makes it exit with status 2 when the test error is above E.
#include <iostream>
#include <string>

#include "gru.h"

int main(int argc, char **argv) {
  std::int64_t steps = 1500, length = 30, batch = 32, hidden = 32, printN = 250;
  std::uint64_t seed = 42;
  double lr = 0.01, maxMse = -1;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      auto next = [&]() -> std::string {
        if (i + 1 >= argc)
          throw theon::ValueError(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--steps") steps = std::stoll(next());
      else if (arg == "--length") length = std::stoll(next());
      else if (arg == "--batch") batch = std::stoll(next());
      else if (arg == "--hidden") hidden = std::stoll(next());
      else if (arg == "--lr") lr = std::stod(next());
      else if (arg == "--print") printN = std::stoll(next());
      else if (arg == "--seed") seed = std::stoull(next());
      else if (arg == "--max-mse") maxMse = std::stod(next());
      else throw theon::ValueError("unknown option " + arg);
    }
    if (steps < 1 || batch < 1 || hidden < 1 || printN < 1)
      throw theon::ValueError("--steps, --batch, --hidden and --print must be at least 1");
    std::cout << "Adding problem: sequences of " << length << ", batch " << batch << ", GRU of "
              << hidden << " units\nNo-memory baseline (always 1): mean squared error 0.167\n";
    rnn::GruRegressor net(2, hidden, seed);
    net.fit(steps, length, batch, lr, printN, std::cout);
    double mse = net.evaluate(length, 256, 8);
    std::cout << "Test mean squared error: " << mse << "\n";
    if (maxMse >= 0 && mse > maxMse) {
      std::cerr << "theon-rnn: test error " << mse << " is above " << maxMse << "\n";
      return 2;
    }
  } catch (const std::exception &e) {
    std::cerr << "theon-rnn: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
