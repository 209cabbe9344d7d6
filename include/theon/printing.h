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

} // namespace theon
