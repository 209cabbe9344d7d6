// theon::grad builds a GradGroup node; the theon-autodiff pass expands it
// after emission. verify_grad checks it against finite differences.
#include "theon/grad.h"

#include <cmath>
#include <random>
#include <shared_mutex>
#include <sstream>
#include <unordered_set>

#include "lib/emit.h"
#include "lib/graph.h"
#include "lib/log.h"
#include "lib/tensor_impl.h"
#include "theon/function.h"
#include "theon/tensor.h"

namespace theon {
using namespace detail;

namespace {

/// True when `cost` depends on `wrt` through float values only, not
/// through `constants`.
bool connected(Node *cost, Node *wrt, const std::unordered_set<Node *> &constants) {
  std::unordered_set<Node *> seen = constants;
  std::vector<Node *> work{cost};
  while (!work.empty()) {
    Node *n = work.back();
    work.pop_back();
    if (n == wrt)
      return true;
    if (!seen.insert(n).second || !is_float(n->dtype))
      continue;
    if (n->kind == OpKind::GradOutput) {
      // A gradient depends on its group's cost and wrt values.
      work.push_back(n->inputs[0].get());
      continue;
    }
    for (auto &in : n->inputs)
      work.push_back(in.get());
  }
  return false;
}

/// The cost whose gradient adds known_grads to `cost`'s: sum(v * zero_grad(g))
/// has gradient g at v. Each g must have its variable's type; shapes are
/// checked when the function is compiled.
Variable withKnownGrads(const Variable &cost,
                        const std::vector<std::pair<Variable, Variable>> &known) {
  Variable total = cost;
  for (std::size_t i = 0; i < known.size(); ++i) {
    const auto &[v, g] = known[i];
    if (v.is_null() || g.is_null())
      throw ValueError("grad: known_grads entry " + std::to_string(i) + " has a null Variable");
    if (!is_float(v.dtype()) || g.ndim() != v.ndim() || !is_float(g.dtype()))
      throw TypeError("grad: the known gradient of " + v.type_string() + " is " + g.type_string() +
                      "; it must be a float variable of the same ndim");
    Variable gv = g, vv = v;
    Variable term = guarded(tensor::sum(v * tensor::zero_grad(tensor::cast(g, v.dtype()))),
                            {v.node(), g.node()}, "grad", [gv, vv](const DeferredContext &c) {
                              Shape sv = c.shapeOf(vv), sg = c.shapeOf(gv);
                              if (sv != sg)
                                throw ShapeError("grad: the known gradient of " +
                                                 vv.node()->describe() + " has shape " +
                                                 shape_to_string(sg) + ", the variable " +
                                                 shape_to_string(sv));
                            });
    if (total.is_null())
      total = term;
    else
      total = total + tensor::cast(term, total.dtype());
  }
  return total;
}

} // namespace

std::vector<Variable> grad(const Variable &costIn, const std::vector<Variable> &wrt,
                           const GradOptions &options) {
  if (costIn.is_null() && options.known_grads.empty())
    throw ValueError("grad: the cost is a null Variable (and no known_grads are given)");
  const std::string &disconnected = options.disconnected_inputs;
  if (disconnected != "raise" && disconnected != "warn" && disconnected != "ignore")
    throw ValueError("grad: disconnected_inputs must be 'raise', 'warn' or 'ignore', got '" +
                     disconnected + "'");
  if (!costIn.is_null() && costIn.ndim() != 0)
    throw TypeError("grad: the cost must be a scalar, got " + costIn.type_string() +
                    " (reduce it, e.g. with sum or mean)");
  if (!costIn.is_null() && !is_float(costIn.dtype()))
    throw TypeError("grad: the cost must be a float scalar, got " + costIn.type_string());
  Variable cost = withKnownGrads(costIn, options.known_grads);
  std::unordered_set<Node *> constants;
  for (std::size_t i = 0; i < options.consider_constant.size(); ++i) {
    if (options.consider_constant[i].is_null())
      throw ValueError("grad: consider_constant entry " + std::to_string(i) +
                       " is a null Variable");
    constants.insert(options.consider_constant[i].node().get());
  }
  if (cost.ndim() != 0)
    throw TypeError("grad: the cost must be a scalar, got " + cost.type_string() +
                    " (reduce it, e.g. with sum or mean)");
  if (!is_float(cost.dtype()))
    throw TypeError("grad: the cost must be a float scalar, got " + cost.type_string());
  if (wrt.empty())
    throw ValueError("grad: nothing to differentiate with respect to");
  std::vector<NodePtr> inputs{cost.node()};
  for (std::size_t i = 0; i < wrt.size(); ++i) {
    if (wrt[i].is_null())
      throw ValueError("grad: wrt " + std::to_string(i) + " is a null Variable");
    if (!is_float(wrt[i].dtype()))
      throw TypeError("grad: cannot differentiate with respect to " + wrt[i].type_string() +
                      ": gradients are defined for float variables only");
    if (disconnected != "ignore" && !connected(cost.node().get(), wrt[i].node().get(), constants)) {
      std::string message = "grad: the cost does not depend on " + wrt[i].type_string() +
                            " (wrt " + std::to_string(i) + ")";
      if (disconnected == "raise")
        throw ValueError(message + "; pass GradOptions{\"ignore\"} to get zeros for it");
      logger().warn("{}; its gradient is zeros", message);
    }
    inputs.push_back(wrt[i].node());
  }
  for (Node *c : constants)
    inputs.push_back(c->shared_from_this());
  auto group = makeNode(OpKind::GradGroup, inputs, cost.dtype(), {});
  if (!constants.empty())
    group->ints = {static_cast<std::int64_t>(wrt.size())};
  std::vector<Variable> grads;
  for (std::size_t i = 0; i < wrt.size(); ++i) {
    auto out = makeNode(OpKind::GradOutput, {group}, wrt[i].dtype(), wrt[i].broadcastable());
    out->ints = {static_cast<std::int64_t>(i)};
    if (!wrt[i].name().empty())
      out->name = "grad_" + wrt[i].name();
    grads.emplace_back(out);
  }
  return grads;
}

Variable grad(const Variable &cost, const Variable &wrt, const GradOptions &options) {
  return grad(cost, std::vector<Variable>{wrt}, options)[0];
}

Variable jacobian(const Variable &expression, const Variable &wrt) {
  if (expression.is_null() || wrt.is_null())
    throw ValueError("jacobian: got a null Variable");
  if (!is_float(expression.dtype()) || !is_float(wrt.dtype()))
    throw TypeError("jacobian: needs float variables, got " + expression.type_string() + " and " +
                    wrt.type_string());
  std::vector<bool> flags(static_cast<std::size_t>(wrt.ndim()) + 1, false);
  Variable y = expression, x = wrt;
  NodePtr node = makeDeferred(
      "jacobian", {y.node(), x.node()}, wrt.dtype(), flags, [y, x](const DeferredContext &c) {
        Shape ys = c.shapeOf(y), xs = c.shapeOf(x);
        std::int64_t n = 1;
        for (auto d : ys)
          n *= d;
        Shape out{n};
        out.insert(out.end(), xs.begin(), xs.end());
        if (n == 0)
          return tensor::zeros(out, x.dtype());
        Variable flat = y.ndim() == 1 ? y : y.flatten();
        std::vector<Variable> rows;
        for (std::int64_t i = 0; i < n; ++i)
          rows.push_back(grad(tensor::cast(flat(i), y.dtype()), x, GradOptions{"ignore"}));
        return tensor::stack(rows);
      });
  return Variable(node);
}

Variable hessian(const Variable &cost, const Variable &wrt) {
  return jacobian(grad(cost, wrt), wrt);
}

namespace {
/// `point` in `like`'s dtype, checked to have `like`'s shape when compiled.
Variable evalPoint(const Variable &point, const Variable &like, const char *op,
                   const std::string &what) {
  if (point.is_null() || like.is_null())
    throw ValueError(std::string(op) + ": got a null Variable");
  if (!is_float(point.dtype()) || point.ndim() != like.ndim())
    throw TypeError(std::string(op) + ": the eval point for " + what + " is " +
                    point.type_string() + "; it must be a float variable with " +
                    std::to_string(like.ndim()) + " dimensions, like " + like.type_string());
  Variable p = point, l = like;
  std::string name = op;
  return guarded(tensor::cast(point, like.dtype()), {point.node(), like.node()}, op,
                 [p, l, name, what](const DeferredContext &c) {
                   Shape sp = c.shapeOf(p), sl = c.shapeOf(l);
                   if (sp != sl)
                     throw ShapeError(name + ": the eval point for " + what + " has shape " +
                                      shape_to_string(sp) + ", expected " + shape_to_string(sl));
                 });
}
} // namespace

std::vector<Variable> Lop(const Variable &f, const std::vector<Variable> &wrt,
                          const Variable &eval_point) {
  if (f.is_null() || !is_float(f.dtype()))
    throw TypeError("Lop: f must be a float variable");
  Variable v = evalPoint(eval_point, f, "Lop", "f");
  GradOptions options("ignore");
  options.known_grads = {{f, v}};
  return grad(Variable(), wrt, options);
}

Variable Lop(const Variable &f, const Variable &wrt, const Variable &eval_point) {
  return Lop(f, std::vector<Variable>{wrt}, eval_point)[0];
}

Variable Rop(const Variable &f, const std::vector<Variable> &wrt,
             const std::vector<Variable> &eval_points) {
  if (f.is_null() || !is_float(f.dtype()))
    throw TypeError("Rop: f must be a float variable");
  if (wrt.size() != eval_points.size())
    throw ValueError("Rop: " + std::to_string(wrt.size()) + " wrt but " +
                     std::to_string(eval_points.size()) + " eval points");
  // J v = d/du (u^T J v) = d/du sum_i <Lop(f, wrt_i, u), v_i>, for any u of
  // f's shape (the Lop is linear in u).
  // Not Lop itself: its eval point is a constant for later gradients, and
  // here the gradient with respect to u is the point. u is a constant in
  // the compiled graph, so sum(f * u) adds no term of its own.
  Variable u = tensor::zeros_like(f);
  std::vector<Variable> pulled = grad(tensor::sum(f * u), wrt, GradOptions("ignore"));
  Variable total;
  for (std::size_t i = 0; i < wrt.size(); ++i) {
    Variable v = evalPoint(eval_points[i], wrt[i], "Rop", "wrt " + std::to_string(i));
    Variable term = tensor::sum(pulled[i] * v);
    total = total.is_null() ? term : total + tensor::cast(term, total.dtype());
  }
  return grad(total, u, GradOptions("ignore"));
}

Variable Rop(const Variable &f, const Variable &wrt, const Variable &eval_point) {
  return Rop(f, std::vector<Variable>{wrt}, std::vector<Variable>{eval_point});
}

void verify_grad(const std::function<Variable(const std::vector<Variable> &)> &fn,
                 const std::vector<Array> &point, const VerifyGradOptions &options) {
  if (point.empty())
    throw ValueError("verify_grad: no point given");
  std::vector<Variable> inputs;
  bool anyFloat32 = false;
  for (std::size_t i = 0; i < point.size(); ++i) {
    if (!is_float(point[i].dtype()))
      throw TypeError("verify_grad: point " + std::to_string(i) + " is " +
                      dtype_name(point[i].dtype()) + "; gradients need float inputs");
    anyFloat32 |= point[i].dtype() == DType::Float32;
    inputs.push_back(tensor::tensor(point[i].dtype(),
                                    std::vector<bool>(static_cast<std::size_t>(point[i].ndim()), false),
                                    "x" + std::to_string(i)));
  }
  Variable out = fn(inputs);
  if (out.is_null() || !is_float(out.dtype()))
    throw TypeError("verify_grad: fn must return a float variable");
  // Project on a random tensor so that every output element matters.
  Variable projection = tensor::tensor(out.dtype(), std::vector<bool>(static_cast<std::size_t>(out.ndim()), false),
                                       "projection");
  Variable cost = tensor::sum(out * projection);
  std::vector<Variable> grads = grad(cost, inputs, GradOptions{"ignore"});

  std::vector<Variable> args = inputs;
  args.push_back(projection);
  Function costFn = function(args, {cost});
  Function gradFn = function(args, grads);

  std::mt19937_64 rng(options.seed);
  std::uniform_real_distribution<double> unit(0.5, 1.5);
  // The projection has the output's shape for the point's shapes (shared
  // variables fn reads count with their current values).
  std::vector<Node *> shapeArgs;
  std::vector<Shape> argShapes;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    shapeArgs.push_back(inputs[i].node().get());
    argShapes.push_back(point[i].shape());
  }
  for (Node *n : topologicalOrder({out.node().get()}))
    if (n->kind == OpKind::Shared) {
      shapeArgs.push_back(n);
      std::shared_lock<std::shared_mutex> lock(n->valueMutex);
      argShapes.push_back(n->storage->shape());
    }
  Shape outShape = inferShapes(shapeArgs, argShapes, {out.node().get()}).front();
  Array proj(outShape, out.dtype());
  for (std::int64_t i = 0; i < proj.size(); ++i) {
    double v = unit(rng) * ((rng() & 1) ? 1 : -1);
    if (out.dtype() == DType::Float32)
      proj.data<float>()[i] = static_cast<float>(v);
    else
      proj.data<double>()[i] = v;
  }

  double eps = options.eps > 0 ? options.eps : (anyFloat32 ? 1e-3 : 1e-6);
  double absTol = options.abs_tol > 0 ? options.abs_tol : (anyFloat32 ? 1e-2 : 1e-5);
  double relTol = options.rel_tol > 0 ? options.rel_tol : (anyFloat32 ? 1e-2 : 1e-5);

  std::vector<Array> values;
  for (const Array &p : point)
    values.push_back(p.copy());
  auto evalCost = [&]() {
    std::vector<Argument> a(values.begin(), values.end());
    a.emplace_back(proj);
    return costFn(a)[0].item<double>();
  };
  std::vector<Argument> gradArgs(values.begin(), values.end());
  gradArgs.emplace_back(proj);
  std::vector<Array> symbolic = gradFn(gradArgs);

  for (std::size_t k = 0; k < values.size(); ++k) {
    Array &x = values[k];
    for (std::int64_t i = 0; i < x.size(); ++i) {
      auto set = [&](double v) {
        if (x.dtype() == DType::Float32)
          x.data<float>()[i] = static_cast<float>(v);
        else
          x.data<double>()[i] = v;
      };
      double original = x.get_flat(i);
      set(original + eps);
      double plus = evalCost();
      set(original - eps);
      double minus = evalCost();
      set(original);
      double numeric = (plus - minus) / (2 * eps);
      double analytic = symbolic[k].get_flat(i);
      double absErr = std::fabs(numeric - analytic);
      double relErr = absErr / std::max(std::fabs(numeric) + std::fabs(analytic), 1e-12);
      if (!(absErr <= absTol || relErr <= relTol)) {
        std::ostringstream msg;
        msg << "verify_grad: the gradient of input " << k << " (shape "
            << shape_to_string(x.shape()) << ") disagrees at flat element " << i
            << ": symbolic " << analytic << ", finite differences " << numeric
            << " (abs error " << absErr << ", rel error " << relErr << ")";
        throw GradientError(msg.str());
      }
    }
  }
}

} // namespace theon
