// A first tour of Theon: symbolic inputs, expressions, theon::function, and
// the IR of each compilation stage.
#include <iostream>

#include <theon/theon.h>

namespace T = theon::tensor;
using theon::Array;

int main() {
  // Symbolic inputs: floatX (float32 by default) matrices and a vector.
  auto A = T::matrix("A");
  auto B = T::matrix("B");
  auto v = T::vector("v");

  // One function, three outputs. Nothing is compiled yet.
  auto f = theon::function({A, B, v}, {T::dot(A, B) + v, T::sum(T::exp(A) * 2, /*axis=*/1), A.T()});

  Array a(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3});
  Array b(std::vector<float>{1, 0, 0, 1, 1, 1}, {3, 2});
  Array vv(std::vector<float>{10, 20});

  // The first call JIT-compiles for these shapes; later calls reuse the code.
  std::vector<Array> out = f(a, b, vv);
  std::cout << "dot(A, B) + v =\n" << out[0] << "\n\n";
  std::cout << "sum(exp(A) * 2, axis=1) =\n" << out[1] << "\n\n";
  std::cout << "A.T =\n" << out[2] << "\n\n";

  // NumPy broadcasting and Theano's dtype rules: a float32 matrix times 2
  // stays float32; comparisons give bool.
  auto x = T::matrix("x");
  auto relu = theon::function({x}, {T::maximum(x, 0) * 2, x > 0, T::argmax(x, 1)});
  auto r = relu(Array(std::vector<float>{-1, 2, 3, -4}, {2, 2}));
  std::cout << "relu(x) * 2 = " << r[0] << " (" << theon::dtype_name(r[0].dtype()) << ")\n";
  std::cout << "x > 0       = " << r[1] << "\n";
  std::cout << "argmax(x,1) = " << r[2] << "\n\n";

  // Every stage of the pipeline can be inspected.
  std::cout << "theon dialect of the last compiled f:\n" << f.ir("theon") << "\n";
  std::cout << "compiled specializations of f: " << f.num_compiled() << "\n";
  return 0;
}
