// Symbolic shapes: x.shape(), sizes given as variables, and the
// constructions that need shapes (zeros_like, fill, repeat, roll...). Shapes
// are static once a function is specialized to its arguments' shapes, so
// each of these is a Deferred node, built when the function is compiled.
#include <algorithm>

#include "lib/tensor_impl.h"
#include "theon/config.h"
#include "theon/error.h"

namespace theon {
using namespace detail;

namespace {

/// The length of an int vector whose length is known before compiling.
std::optional<std::int64_t> knownLength(const Node &n) {
  if (n.kind == OpKind::Deferred && n.deferredOp == std::string("shape"))
    return n.ints[0];
  if (n.kind == OpKind::Constant && n.ndim() == 1)
    return n.value->shape()[0];
  return std::nullopt;
}

} // namespace

ShapeVector detail::shapeVector(const ShapeArg &shape, const char *op) {
  if (!shape.vector().is_null()) {
    const NodePtr &n = nodeOf(shape.vector(), op);
    auto length = knownLength(*n);
    if (!is_integer(n->dtype) || n->ndim() != 1 || !length)
      throw TypeError(std::string(op) + ": a shape variable must be an integer vector of known "
                      "length such as x.shape(), got " + n->describe() +
                      "; give the sizes as a list: {x.shape(0), 10}");
    return {tensor::cast(shape.vector(), DType::Int64),
            std::vector<bool>(static_cast<std::size_t>(*length), false)};
  }
  std::vector<Variable> sizes;
  std::vector<bool> flags;
  for (const Size &s : shape.sizes()) {
    if (!s.is_variable()) {
      sizes.push_back(tensor::constant(static_cast<double>(s.value()), DType::Int64));
      flags.push_back(s.value() == 1);
      continue;
    }
    const NodePtr &n = nodeOf(s.variable(), op);
    if (!is_integer(n->dtype) || n->ndim() != 0)
      throw TypeError(std::string(op) + ": a size must be an integer scalar such as x.shape(0), "
                      "got " + s.variable().type_string() + " (" + n->describe() + ")");
    sizes.push_back(tensor::cast(s.variable(), DType::Int64));
    flags.push_back(false);
  }
  if (sizes.empty())
    return {tensor::constant(Array::from_vector(std::vector<std::int64_t>{}, {0})), flags};
  return {tensor::stack(sizes), flags};
}

Variable detail::guarded(const Variable &result, std::vector<NodePtr> deps, const char *op,
                         std::function<void(const DeferredContext &)> check) {
  const NodePtr &rn = nodeOf(result, op);
  deps.insert(deps.begin(), rn);
  return wrap(makeDeferred(op, std::move(deps), rn->dtype, rn->broadcastable,
                           [result, check = std::move(check)](const DeferredContext &c) {
                             check(c);
                             return result;
                           }));
}

bool ShapeArg::is_static() const {
  return vector_.is_null() &&
         std::none_of(sizes_.begin(), sizes_.end(), [](const Size &s) { return s.is_variable(); });
}
std::vector<std::int64_t> ShapeArg::numbers() const {
  std::vector<std::int64_t> out;
  for (const Size &s : sizes_)
    out.push_back(s.value());
  return out;
}

Variable Variable::shape() const {
  const NodePtr &n = nodeOf(*this, "shape");
  Variable x = *this;
  NodePtr node = makeDeferred("shape", {n}, DType::Int64, {false}, [x](const DeferredContext &c) {
    Shape s = c.shapeOf(x);
    return tensor::constant(Array::from_vector(s, {static_cast<std::int64_t>(s.size())}));
  });
  node->ints = {n->ndim()};
  return wrap(node);
}

Variable Variable::shape(int axis) const {
  const NodePtr &n = nodeOf(*this, "shape");
  if (axis < -n->ndim() || axis >= n->ndim())
    throw IndexError("shape: axis " + std::to_string(axis) + " is out of range for " +
                     n->describe() + ", which has " + std::to_string(n->ndim()) + " dimensions");
  // One axis's extent (Theano's Shape_i), so that x.shape(1) is a number
  // when x's first axis is a scan's runtime number of steps.
  int a = axis < 0 ? axis + n->ndim() : axis;
  Variable x = *this;
  return wrap(makeDeferred("shape_i", {n}, DType::Int64, {}, [x, a](const DeferredContext &c) {
    return tensor::constant(static_cast<double>(c.extent(x, a)), DType::Int64);
  }));
}

Variable detail::reshapeSymbolic(const Variable &x, const ShapeArg &shape) {
  const NodePtr &n = nodeOf(x, "reshape");
  ShapeVector s = shapeVector(shape, "reshape");
  Variable vec = s.vector;
  return wrap(makeDeferred("reshape", {n, vec.node()}, n->dtype, s.flags,
                           [x, vec](const DeferredContext &c) {
                             return reshapeStatic(x, c.ints(vec, "reshape", "the shape"));
                           }));
}

Variable detail::broadcastToSymbolic(const Variable &x, const ShapeArg &shape) {
  const NodePtr &n = nodeOf(x, "broadcast_to");
  ShapeVector s = shapeVector(shape, "broadcast_to");
  if (s.flags.size() < static_cast<std::size_t>(n->ndim()))
    throw ValueError("broadcast_to: cannot broadcast " + n->describe() + " with " +
                     std::to_string(n->ndim()) + " dimensions to " +
                     std::to_string(s.flags.size()) + " dimensions");
  Variable vec = s.vector;
  return wrap(makeDeferred("broadcast_to", {n, vec.node()}, n->dtype, s.flags,
                           [x, vec](const DeferredContext &c) {
                             return broadcastToStatic(x, c.ints(vec, "broadcast_to", "the shape"));
                           }));
}

namespace tensor {

Variable alloc(const Variable &value, const ShapeArg &shape) {
  nodeOf(value, "alloc");
  return broadcast_to(value, shape);
}

Variable zeros_like(const Variable &x, std::optional<DType> dtype) {
  const NodePtr &n = nodeOf(x, "zeros_like");
  return alloc(constant(0, dtype.value_or(n->dtype)), x.shape());
}
Variable ones_like(const Variable &x, std::optional<DType> dtype) {
  const NodePtr &n = nodeOf(x, "ones_like");
  return alloc(constant(1, dtype.value_or(n->dtype)), x.shape());
}

Variable fill(const Variable &model, const Variable &value) {
  const NodePtr &m = nodeOf(model, "fill");
  const NodePtr &v = nodeOf(value, "fill");
  std::size_t nd = static_cast<std::size_t>(std::max(m->ndim(), v->ndim()));
  std::vector<bool> flags(nd, false);
  for (std::size_t i = 0; i < nd; ++i) {
    bool bm = i + m->ndim() < nd || m->broadcastable[i + m->ndim() - nd];
    bool bv = i + v->ndim() < nd || v->broadcastable[i + v->ndim() - nd];
    flags[i] = bm && bv;
  }
  return wrap(makeDeferred("fill", {m, v}, v->dtype, flags, [model, value](const DeferredContext &c) {
    Shape sm = c.shapeOf(model), sv = c.shapeOf(value);
    std::optional<Shape> shape = broadcastShapes({sm, sv});
    if (!shape)
      throw ShapeError("fill: shapes " + shape_to_string(sm) + " and " + shape_to_string(sv) +
                       " do not broadcast");
    return broadcastToStatic(value, *shape);
  }));
}

Variable identity_like(const Variable &x) {
  const NodePtr &n = nodeOf(x, "identity_like");
  if (n->ndim() != 2)
    throw TypeError("identity_like: " + n->describe() + " is " + std::to_string(n->ndim()) +
                    "-d, not a matrix");
  DType dtype = n->dtype;
  return wrap(makeDeferred("identity_like", {n}, dtype, {false, false},
                           [x, dtype](const DeferredContext &c) {
                             Shape s = c.shapeOf(x);
                             return eye(s[0], s[1], 0, dtype);
                           }));
}

Variable flatten(const Variable &x, int ndim) {
  const NodePtr &n = nodeOf(x, "flatten");
  if (ndim < 1 || ndim > std::max(n->ndim(), 1))
    throw ValueError("flatten: ndim " + std::to_string(ndim) + " must be between 1 and " +
                     std::to_string(std::max(n->ndim(), 1)) + " for " + n->describe());
  if (ndim == 1)
    return reshapeStatic(x, {-1});
  std::vector<Size> sizes;
  for (int d = 0; d + 1 < ndim; ++d)
    sizes.push_back(x.shape(d));
  sizes.push_back(-1);
  return reshape(x, ShapeArg(sizes));
}

Variable arange(const Variable &stop) {
  return arange(constant(0, DType::Int64), stop, constant(1, DType::Int64));
}

Variable arange(const Variable &start, const Variable &stop, const Variable &step) {
  std::vector<NodePtr> inputs;
  bool integral = true;
  DType dtype = DType::Int64;
  for (const Variable *v : {&start, &stop, &step}) {
    const NodePtr &n = nodeOf(*v, "arange");
    if (n->ndim() != 0)
      throw TypeError("arange: bounds must be scalars, got " + v->type_string() + " (" +
                      n->describe() + ")");
    if (!is_integer(n->dtype) && n->dtype != DType::Bool) {
      integral = false;
      dtype = n->dtype == DType::Float64 ? DType::Float64 : dtype;
    }
    inputs.push_back(n);
  }
  if (!integral && dtype != DType::Float64)
    dtype = config().floatX;
  return wrap(makeDeferred("arange", inputs, dtype, {false},
                           [start, stop, step, dtype](const DeferredContext &c) {
                             double bounds[3];
                             const Variable *vars[3] = {&start, &stop, &step};
                             for (int i = 0; i < 3; ++i) {
                               auto v = c.tryValues(*vars[i]);
                               if (!v)
                                 throw ValueError(
                                     "arange: the bounds must be known when the function is "
                                     "compiled (shapes and constants), not " +
                                     vars[i]->node()->describe());
                               bounds[i] = (*v)[0];
                             }
                             return arange(bounds[0], bounds[1], bounds[2], dtype);
                           }));
}

Variable repeat(const Variable &x, std::int64_t repeats, std::optional<int> axis) {
  const NodePtr &n = nodeOf(x, "repeat");
  if (repeats < 0)
    throw ValueError("repeat: repeats must be >= 0, got " + std::to_string(repeats));
  if (!axis)
    return repeat(flatten(x), repeats, 0);
  int a = normalizeAxis(*axis, n->ndim(), "repeat", *n);
  std::vector<bool> flags = n->broadcastable;
  flags[static_cast<std::size_t>(a)] = flags[static_cast<std::size_t>(a)] && repeats == 1;
  return wrap(makeDeferred("repeat", {n}, n->dtype, flags, [x, a, repeats](const DeferredContext &c) {
    std::int64_t size = c.shapeOf(x)[static_cast<std::size_t>(a)];
    std::vector<std::int64_t> rows;
    for (std::int64_t i = 0; i < size; ++i)
      rows.insert(rows.end(), static_cast<std::size_t>(repeats), i);
    Variable idx = constant(Array::from_vector(rows, {static_cast<std::int64_t>(rows.size())}));
    if (a == 0)
      return take(x, idx);
    return swapaxes(take(swapaxes(x, 0, a), idx), 0, a);
  }));
}

Variable roll(const Variable &x, std::int64_t shift, std::optional<int> axis) {
  const NodePtr &n = nodeOf(x, "roll");
  if (!axis)
    return reshape(roll(flatten(x), shift, 0), x.shape());
  int a = normalizeAxis(*axis, n->ndim(), "roll", *n);
  return wrap(makeDeferred("roll", {n}, n->dtype, n->broadcastable,
                           [x, a, shift](const DeferredContext &c) {
                             std::int64_t size = c.shapeOf(x)[static_cast<std::size_t>(a)];
                             std::int64_t s = size == 0 ? 0 : ((shift % size) + size) % size;
                             if (s == 0)
                               return x;
                             std::vector<Index> tail(static_cast<std::size_t>(a), _),
                                 head(static_cast<std::size_t>(a), _);
                             tail.push_back(slice(size - s, std::nullopt));
                             head.push_back(slice(0, size - s));
                             return concatenate({x.subtensor(tail), x.subtensor(head)}, a);
                           }));
}

namespace {
Variable withPattern(const Variable &x, std::vector<bool> pattern, const char *op) {
  const NodePtr &n = nodeOf(x, op);
  std::vector<std::int64_t> checked;
  for (std::size_t d = 0; d < pattern.size(); ++d)
    if (pattern[d] && !n->broadcastable[d])
      checked.push_back(static_cast<std::int64_t>(d));
  return wrap(makeDeferred(op, {n}, n->dtype, std::move(pattern),
                           [x, checked, op](const DeferredContext &c) {
                             Shape s = c.shapeOf(x);
                             for (auto d : checked)
                               if (s[static_cast<std::size_t>(d)] != 1)
                                 throw ShapeError(std::string(op) + ": axis " + std::to_string(d) +
                                                  " of " + x.node()->describe() + " has size " +
                                                  std::to_string(s[static_cast<std::size_t>(d)]) +
                                                  ", so it cannot be broadcastable (shape " +
                                                  shape_to_string(s) + ")");
                             return x;
                           }));
}
} // namespace

Variable addbroadcast(const Variable &x, const std::vector<int> &axes) {
  const NodePtr &n = nodeOf(x, "addbroadcast");
  std::vector<bool> pattern = n->broadcastable;
  for (auto a : normalizeAxes(axes, *n, "addbroadcast"))
    pattern[static_cast<std::size_t>(a)] = true;
  return withPattern(x, pattern, "addbroadcast");
}
Variable unbroadcast(const Variable &x, const std::vector<int> &axes) {
  const NodePtr &n = nodeOf(x, "unbroadcast");
  std::vector<bool> pattern = n->broadcastable;
  for (auto a : normalizeAxes(axes, *n, "unbroadcast"))
    pattern[static_cast<std::size_t>(a)] = false;
  return withPattern(x, pattern, "unbroadcast");
}
Variable patternbroadcast(const Variable &x, const std::vector<bool> &pattern) {
  const NodePtr &n = nodeOf(x, "patternbroadcast");
  if (static_cast<int>(pattern.size()) != n->ndim())
    throw ValueError("patternbroadcast: a pattern of " + std::to_string(pattern.size()) +
                     " axes for " + n->describe() + ", which has " + std::to_string(n->ndim()));
  return withPattern(x, pattern, "patternbroadcast");
}

} // namespace tensor
} // namespace theon
