// theon::tensor::nnet: the neural-network helpers of Theano's T.nnet, written
// with the tensor ops (so that their gradients come for free).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "theon/variable.h"

namespace theon::tensor::nnet {

/// Softmax along the last axis of a vector or a matrix (row-wise), computed
/// stably: exp(x - max(x)) / sum(exp(x - max(x))).
Variable softmax(const Variable &x);
/// max(x, 0).
Variable relu(const Variable &x);
Variable sigmoid(const Variable &x);
/// -log(coding_dist[i, true_dist[i]]) per row, for an integer vector of class
/// indices.
Variable categorical_crossentropy(const Variable &coding_dist, const Variable &true_dist);

/// Theano's border_mode of conv2d: "valid" (no padding), "full" (the
/// dilated filter's extent minus one on every side), "half" (half the
/// extent, which keeps the size for odd filters and stride 1), one padding
/// for rows and columns, or {rows, columns}.
struct BorderMode {
  BorderMode(const char *mode) : mode(mode) {}
  BorderMode(std::string mode) : mode(std::move(mode)) {}
  BorderMode(int pad) : rows(pad), cols(pad) {}
  BorderMode(std::int64_t rows, std::int64_t cols) : rows(rows), cols(cols) {}
  std::string mode;
  std::int64_t rows = 0, cols = 0;
};

/// Theano's T.nnet.conv2d: NCHW `input` (batch, channels, rows, columns)
/// and `filters` (output channels, channels / num_groups, rows, columns).
/// With `filter_flip` (Theano's default) a true convolution, which flips
/// the filters; without it a cross-correlation (PyTorch's conv2d).
/// `subsample` is the stride, `filter_dilation` the spacing of filter taps,
/// `num_groups` splits channels and filters into groups. Its gradients with
/// respect to both operands are convolutions. TypeError unless both are
/// 4-d floats; ValueError for a bad border mode, strides, dilations or
/// groups; ShapeError when compiled for shapes that do not fit.
Variable conv2d(const Variable &input, const Variable &filters,
                const BorderMode &border_mode = "valid",
                std::array<std::int64_t, 2> subsample = {1, 1}, bool filter_flip = true,
                std::array<std::int64_t, 2> filter_dilation = {1, 1},
                std::int64_t num_groups = 1);

/// Theano's pool_2d over the last two axes of a 2-d to 4-d `input`: windows
/// of `ws` moved by `stride` (default: `ws`) over `input` padded by `pad`
/// on each side. `mode`: "max", "sum", "average_inc_pad" (pads count as
/// zeros) or "average_exc_pad" (the mean of the window's real elements).
/// Without `ignore_border` (Theano's default) a partial window at the
/// bottom or right edge makes an output too; padding needs ignore_border.
/// The gradient of max pooling goes to every element equal to its window's
/// maximum, as Theano's.
Variable pool_2d(const Variable &input, std::array<std::int64_t, 2> ws,
                 bool ignore_border = false,
                 std::optional<std::array<std::int64_t, 2>> stride = std::nullopt,
                 std::array<std::int64_t, 2> pad = {0, 0}, const std::string &mode = "max");

/// Theano's T.nnet.bn: batch normalization, written with the tensor ops.
namespace bn {

/// The axes normalized over: "per-activation" (axis 0: every other
/// position has its own statistics), "spatial" (0 and every axis from 2 on:
/// one per channel of an NCHW input), or a list of axes.
struct Axes {
  Axes(const char *mode) : mode(mode) {}
  Axes(std::string mode) : mode(std::move(mode)) {}
  Axes(std::vector<int> list) : list(std::move(list)) {}
  Axes(std::initializer_list<int> list) : list(list) {}
  std::string mode;
  std::vector<int> list;
};

/// What batch_normalization_train gives: the normalized output, the batch
/// statistics (mean and 1 / sqrt(var + epsilon), over `axes`, kept as
/// axes of length 1), and, when running averages were given, their new
/// values (for the caller's updates).
struct TrainOutputs {
  Variable out, mean, invstd;
  std::optional<Variable> new_running_mean, new_running_var;
};

/// Theano's batch_normalization_train: out = (inputs - mean) * gamma *
/// invstd + beta, with the mean and the biased variance of the batch over
/// `axes`. gamma and beta broadcast against the statistics (the input's
/// shape with `axes` of length 1). With running_mean and running_var
/// (both or neither, shaped like gamma), new_running_mean =
/// running_mean * (1 - f) + mean * f and new_running_var =
/// running_var * (1 - f) + var * m / (m - 1) * f, the unbiased variance of
/// the m values per statistic, f = running_average_factor. ValueError for
/// an epsilon below 1e-5, a factor outside [0, 1], axes out of range or
/// repeated, or only one running average; TypeError for non-float inputs.
TrainOutputs batch_normalization_train(const Variable &inputs, const Variable &gamma,
                                       const Variable &beta, const Axes &axes = "per-activation",
                                       double epsilon = 1e-4,
                                       double running_average_factor = 0.1,
                                       const std::optional<Variable> &running_mean = std::nullopt,
                                       const std::optional<Variable> &running_var = std::nullopt);

/// Theano's batch_normalization_test: (inputs - mean) * gamma /
/// sqrt(var + epsilon) + beta, with given statistics (the running averages
/// of training).
Variable batch_normalization_test(const Variable &inputs, const Variable &gamma,
                                  const Variable &beta, const Variable &mean,
                                  const Variable &var, const Axes &axes = "per-activation",
                                  double epsilon = 1e-4);

} // namespace bn

} // namespace theon::tensor::nnet
