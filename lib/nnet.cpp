#include "theon/nnet.h"

#include "lib/tensor_impl.h"

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

namespace bn {

namespace {

/// The axes `axes` names for `inputs`, checked.
std::vector<int> resolveAxes(const Axes &axes, const Variable &inputs, const char *who) {
  if (!axes.list.empty() || axes.mode.empty()) {
    if (axes.list.empty())
      throw ValueError(std::string(who) + ": no axes to normalize over");
    return theon::detail::normalizeAxes(axes.list, *inputs.node(), who);
  }
  if (axes.mode == "per-activation")
    return {0};
  if (axes.mode == "spatial") {
    std::vector<int> list{0};
    for (int d = 2; d < inputs.ndim(); ++d)
      list.push_back(d);
    return list;
  }
  throw ValueError(std::string(who) + ": axes must be 'per-activation', 'spatial' or a list "
                   "of axes, got '" + axes.mode + "'");
}

void checkInputs(const Variable &inputs, double epsilon, const char *who) {
  theon::detail::nodeOf(inputs, who);
  if (!is_float(inputs.dtype()))
    throw TypeError(std::string(who) + ": inputs " + inputs.type_string() +
                    " must be a float tensor");
  if (inputs.ndim() < 1)
    throw TypeError(std::string(who) + ": inputs " + inputs.type_string() +
                    " must have at least one dimension");
  if (!(epsilon >= 1e-5))
    throw ValueError(std::string(who) + ": epsilon must be at least 1e-5, got " +
                     std::to_string(epsilon));
}

} // namespace

TrainOutputs batch_normalization_train(const Variable &inputs, const Variable &gamma,
                                       const Variable &beta, const Axes &axes, double epsilon,
                                       double running_average_factor,
                                       const std::optional<Variable> &running_mean,
                                       const std::optional<Variable> &running_var) {
  const char *who = "batch_normalization_train";
  checkInputs(inputs, epsilon, who);
  if (!(running_average_factor >= 0 && running_average_factor <= 1))
    throw ValueError(std::string(who) + ": running_average_factor must be in [0, 1], got " +
                     std::to_string(running_average_factor));
  if (running_mean.has_value() != running_var.has_value())
    throw ValueError(std::string(who) + ": give both running_mean and running_var, or neither");
  std::vector<int> list = resolveAxes(axes, inputs, who);
  Axis over(list);
  Variable mean = tensor::mean(inputs, over, /*keepdims=*/true);
  Variable centered = inputs - mean;
  Variable var = tensor::mean(sqr(centered), over, /*keepdims=*/true);
  Variable invstd = 1.0 / sqrt(var + epsilon);
  TrainOutputs result{centered * gamma * invstd + beta, mean, invstd, std::nullopt, std::nullopt};
  if (running_mean) {
    // m values per statistic: the product of the normalized axes' lengths.
    Variable count = prod(cast(inputs.shape(), inputs.dtype())) /
                     prod(cast(mean.shape(), inputs.dtype()));
    double f = running_average_factor;
    result.new_running_mean = *running_mean * (1.0 - f) + mean * f;
    result.new_running_var = *running_var * (1.0 - f) + var * (count / (count - 1.0)) * f;
  }
  return result;
}

Variable batch_normalization_test(const Variable &inputs, const Variable &gamma,
                                  const Variable &beta, const Variable &mean,
                                  const Variable &var, const Axes &axes, double epsilon) {
  const char *who = "batch_normalization_test";
  checkInputs(inputs, epsilon, who);
  resolveAxes(axes, inputs, who); // checked as for training
  return (inputs - mean) * (gamma / sqrt(var + epsilon)) + beta;
}

} // namespace bn

} // namespace theon::tensor::nnet
