// theon::tensor::nnet: the neural-network helpers of Theano's T.nnet, written
// with the tensor ops (so that their gradients come for free).
#pragma once

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

} // namespace theon::tensor::nnet
