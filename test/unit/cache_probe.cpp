// A separate process for the disk cache tests: compiles (or loads) one
// function and prints whether the code came from the cache and its result.
#include <iostream>

#include "theon/theon.h"

namespace T = theon::tensor;

int main() {
  try {
    auto x = T::vector("x");
    auto f = theon::function({x}, {T::sum(T::exp(x) * 2 + x)}, {false, "probe"});
    auto out = f(theon::Array::from_vector(std::vector<float>{0, 1, 2}));
    std::cout << "hit=" << f.last_compile().from_disk_cache << " value=" << out[0].item<double>()
              << "\n";
  } catch (const std::exception &e) {
    std::cout << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
