#include "theon/nnet.h"

#include "theon/error.h"
#include "theon/tensor.h"

namespace theon::tensor::nnet {

Variable softmax(const Variable &x) {
  if (x.ndim() != 1 && x.ndim() != 2)
    throw TypeError("softmax: " + x.type_string() + " must be a vector or a matrix");
  int axis = x.ndim() - 1;
  Variable e = exp(x - max(x, axis, /*keepdims=*/true));
  return e / sum(e, axis, /*keepdims=*/true);
}

Variable relu(const Variable &x) { return maximum(x, 0); }

Variable sigmoid(const Variable &x) { return tensor::sigmoid(x); }

Variable categorical_crossentropy(const Variable &coding_dist, const Variable &true_dist) {
  if (coding_dist.ndim() != 2)
    throw TypeError("categorical_crossentropy: coding_dist " + coding_dist.type_string() +
                    " must be a matrix");
  if (true_dist.ndim() != 1 || !is_integer(true_dist.dtype()))
    throw TypeError("categorical_crossentropy: true_dist " + true_dist.type_string() +
                    " must be an integer vector of class indices");
  // The cheat sheet's formulation; row i of coding_dist.T[y] is column y_i.
  return -log(diag(coding_dist.T()[true_dist]));
}

} // namespace theon::tensor::nnet
