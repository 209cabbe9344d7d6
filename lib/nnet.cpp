#include "theon/nnet.h"

#include <algorithm>

#include "lib/tensor_impl.h"

#include "theon/error.h"
#include "theon/tensor.h"

namespace theon::tensor::nnet {

using namespace theon::detail;

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

namespace {
void checkAtLeastOne(const char *op, const char *what, std::array<std::int64_t, 2> v) {
  for (std::int64_t x : v)
    if (x < 1)
      throw ValueError(std::string(op) + ": " + what + " must be at least 1, got (" +
                       std::to_string(v[0]) + ", " + std::to_string(v[1]) + ")");
}
} // namespace

Variable conv2d(const Variable &input, const Variable &filters, const BorderMode &border_mode,
                std::array<std::int64_t, 2> subsample, bool filter_flip,
                std::array<std::int64_t, 2> filter_dilation, std::int64_t num_groups) {
  const NodePtr &x = nodeOf(input, "conv2d");
  const NodePtr &w = nodeOf(filters, "conv2d");
  if (x->ndim() != 4 || !is_float(x->dtype))
    throw TypeError("conv2d: the input " + input.type_string() +
                    " must be a 4-d float tensor (batch, channels, rows, columns)");
  if (w->ndim() != 4 || !is_float(w->dtype))
    throw TypeError("conv2d: the filters " + filters.type_string() +
                    " must be a 4-d float tensor (filters, channels, rows, columns)");
  std::int64_t border = kBorderExplicit;
  std::array<std::int64_t, 2> pads{border_mode.rows, border_mode.cols};
  if (border_mode.mode == "full")
    border = kBorderFull;
  else if (border_mode.mode == "half")
    border = kBorderHalf;
  else if (!border_mode.mode.empty() && border_mode.mode != "valid")
    throw ValueError("conv2d: border_mode must be \"valid\", \"full\", \"half\" or padding, got \"" +
                     border_mode.mode + "\"");
  if (pads[0] < 0 || pads[1] < 0)
    throw ValueError("conv2d: padding must not be negative, got (" + std::to_string(pads[0]) +
                     ", " + std::to_string(pads[1]) + ")");
  checkAtLeastOne("conv2d", "subsample", subsample);
  checkAtLeastOne("conv2d", "filter_dilation", filter_dilation);
  if (num_groups < 1)
    throw ValueError("conv2d: num_groups must be at least 1, got " + std::to_string(num_groups));
  DType t = promote_types(x->dtype, w->dtype);
  Variable in = cast(input, t), f = cast(filters, t);
  auto node = makeNode(OpKind::Conv2d, {in.node(), f.node()}, t,
                       {x->broadcastable[0], w->broadcastable[0], false, false});
  node->ints = {border,         pads[0],        pads[1],    subsample[0],         subsample[1],
                filter_dilation[0], filter_dilation[1], num_groups, filter_flip ? 1 : 0};
  return wrap(node);
}

Variable pool_2d(const Variable &input, std::array<std::int64_t, 2> ws, bool ignore_border,
                 std::optional<std::array<std::int64_t, 2>> stride,
                 std::array<std::int64_t, 2> pad, const std::string &mode) {
  const NodePtr &x = nodeOf(input, "pool_2d");
  if (x->ndim() < 2 || x->ndim() > 4 || !is_float(x->dtype))
    throw TypeError("pool_2d: the input " + input.type_string() +
                    " must be a float tensor of 2 to 4 dimensions");
  static const char *const modes[] = {"max", "sum", "average_inc_pad", "average_exc_pad"};
  auto known = std::find(std::begin(modes), std::end(modes), mode);
  if (known == std::end(modes))
    throw ValueError("pool_2d: mode must be \"max\", \"sum\", \"average_inc_pad\" or "
                     "\"average_exc_pad\", got \"" + mode + "\"");
  std::array<std::int64_t, 2> st = stride.value_or(ws);
  checkAtLeastOne("pool_2d", "ws", ws);
  checkAtLeastOne("pool_2d", "stride", st);
  for (int k = 0; k < 2; ++k) {
    if (pad[k] < 0 || pad[k] >= ws[k])
      throw ValueError("pool_2d: pad (" + std::to_string(pad[0]) + ", " + std::to_string(pad[1]) +
                       ") must be at least 0 and smaller than ws (" + std::to_string(ws[0]) +
                       ", " + std::to_string(ws[1]) + ")");
    if (pad[k] != 0 && !ignore_border)
      throw ValueError("pool_2d: padding works only with ignore_border=true");
  }
  // The op pools NCHW: fewer axes get leading broadcastable ones.
  int extra = 4 - x->ndim();
  Variable image = input;
  if (extra > 0) {
    std::vector<Dim> pattern(extra, Dim('x'));
    for (int k = 0; k < x->ndim(); ++k)
      pattern.push_back(Dim(k));
    image = input.dimshuffle(pattern);
  }
  const NodePtr &in = image.node();
  auto node = makeNode(OpKind::Pool2d, {in}, in->dtype,
                       {in->broadcastable[0], in->broadcastable[1], false, false});
  node->ints = {known - std::begin(modes), ws[0], ws[1], st[0], st[1], pad[0], pad[1],
                ignore_border ? 1 : 0};
  Variable pooled = wrap(node);
  if (extra > 0) {
    std::vector<Dim> pattern;
    for (int k = extra; k < 4; ++k)
      pattern.push_back(Dim(k));
    pooled = pooled.dimshuffle(pattern);
  }
  return pooled;
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
