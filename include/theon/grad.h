// Symbolic differentiation, as theano.grad, and its finite-difference check.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "theon/array.h"
#include "theon/error.h"
#include "theon/variable.h"

namespace theon {

struct GradOptions {
  /// What to do with a `wrt` the cost does not depend on: "raise" (a
  /// ValueError, the default, as Theano), "warn" (a warning, zeros) or
  /// "ignore" (its gradient is zeros).
  std::string disconnected_inputs = "raise";
  /// Variables treated as constants: no gradient flows through them (for
  /// this grad only; Theano's consider_constant).
  std::vector<Variable> consider_constant;
  /// Theano's known_grads: (variable, its gradient) pairs. The gradient of
  /// the cost (which may then be a null Variable) plus, through each
  /// variable, the given gradient flowing back from it.
  std::vector<std::pair<Variable, Variable>> known_grads;

  GradOptions() = default;
  GradOptions(std::string disconnected) : disconnected_inputs(std::move(disconnected)) {}
  GradOptions(const char *disconnected) : disconnected_inputs(disconnected) {}
  GradOptions &with_consider_constant(std::vector<Variable> value) {
    consider_constant = std::move(value);
    return *this;
  }
  GradOptions &with_known_grads(std::vector<std::pair<Variable, Variable>> value) {
    known_grads = std::move(value);
    return *this;
  }
};

/// d(cost)/d(wrt) as a symbolic variable of wrt's type. The cost must be a
/// float scalar; wrt a float variable. Usable anywhere, also in grad again.
Variable grad(const Variable &cost, const Variable &wrt, const GradOptions &options = {});
/// The gradients for several variables, computed in one backward sweep.
std::vector<Variable> grad(const Variable &cost, const std::vector<Variable> &wrt,
                           const GradOptions &options = {});

/// Thrown by verify_grad when the symbolic and numeric gradients disagree.
class GradientError : public ValueError {
public:
  using ValueError::ValueError;
};

struct VerifyGradOptions {
  /// Finite-difference step; 0 picks one for the dtype (1e-6 float64, 1e-3 float32).
  double eps = 0;
  /// Tolerances; 0 picks them for the dtype (1e-5 float64, 1e-2 float32).
  double abs_tol = 0;
  double rel_tol = 0;
  std::uint64_t seed = 1234;
};

/// Theano's jacobian: d expression[i] / d wrt for each element i of the
/// (flattened) expression; shape (expression.size,) + wrt.shape. One grad
/// per element, unrolled when the function is compiled (Theano uses scan),
/// so for expressions of modest size.
Variable jacobian(const Variable &expression, const Variable &wrt);
/// Theano's hessian: the jacobian of grad(cost, wrt) with respect to wrt.
Variable hessian(const Variable &cost, const Variable &wrt);

/// Theano's Lop: the vector-Jacobian product eval_point^T (d f / d wrt),
/// of wrt's shape; eval_point has f's shape (checked when compiled).
Variable Lop(const Variable &f, const Variable &wrt, const Variable &eval_point);
std::vector<Variable> Lop(const Variable &f, const std::vector<Variable> &wrt,
                          const Variable &eval_point);
/// Theano's Rop: the Jacobian-vector product sum_i (d f / d wrt_i) v_i, of
/// f's shape; each eval point has its wrt's shape. Computed as a Lop of a
/// Lop (reverse mode twice), so any differentiable graph works.
Variable Rop(const Variable &f, const Variable &wrt, const Variable &eval_point);
Variable Rop(const Variable &f, const std::vector<Variable> &wrt,
             const std::vector<Variable> &eval_points);

/// Theano's theano.gradient.grad_scale (T::grad_scale): x's value, its
/// gradient times `multiplier`.
Variable grad_scale(const Variable &x, double multiplier);

/// Theano's verify_grad: builds `fn` on inputs shaped like `point`, projects
/// its output on a random tensor to get a scalar cost, and compares the
/// symbolic gradient with central finite differences at `point`. Throws
/// GradientError naming the input and element on a mismatch.
void verify_grad(const std::function<Variable(const std::vector<Variable> &)> &fn,
                 const std::vector<Array> &point, const VerifyGradOptions &options = {});

} // namespace theon
