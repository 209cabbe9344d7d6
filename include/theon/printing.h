// Seeing a graph: Theano's debugprint (an indented tree) and pp (infix).
#pragma once

#include <iostream>
#include <string>
#include <vector>

#include "theon/function.h"
#include "theon/variable.h"

namespace theon {

/// Theano's debugprint: one line per node, `op [id A] 'name' type`, its
/// inputs indented below with " |"; a node seen before is printed again as
/// its line only. Inputs are marked (input), shared variables (shared).
void debugprint(const Variable &var, std::ostream &out = std::cout);
void debugprint(const std::vector<Variable> &vars, std::ostream &out = std::cout);
/// A function: each output, then each update as `name <- new value`.
void debugprint(const Function &f, std::ostream &out = std::cout);

/// Theano's pp: the expression in infix form, `(W1 + dot(X, W2))`.
std::string pp(const Variable &var);

/// A Graphviz DOT graph of the user's graph, in the spirit of Theano's
/// pydotprint: inputs (green ellipses), shared variables (blue), constants
/// (grey), ops (boxes), edges numbered by operand; render it with
/// `dot -Tsvg graph.dot -o graph.svg`.
std::string to_dot(const Variable &var);
std::string to_dot(const std::vector<Variable> &vars);
/// A function's graph: outputs, and updates as dashed edges into their
/// shared variables. With `optimized`, the graph Theon compiles instead:
/// the fused linalg ops of its most recent specialization, after the
/// gradients, stabilization and fusion (ValueError before the first call).
std::string to_dot(const Function &f, bool optimized = false);

} // namespace theon
