// The tensor API: builds graph nodes and types them at construction, with
// Theano's dtype rules. Type errors are found here; shape errors at call time.
#include "theon/tensor.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "lib/graph.h"
#include "lib/tensor_impl.h"
#include "theon/config.h"
#include "theon/error.h"

namespace theon {
using namespace detail;

const NodePtr &detail::nodeOf(const Variable &v, const char *op) {
  if (v.is_null())
    throw ValueError(std::string(op) + ": got a null Variable");
  return v.node();
}

int detail::normalizeAxis(int axis, int ndim, const char *op, const Node &x) {
  if (axis < -ndim || axis >= ndim)
    throw ValueError(std::string(op) + ": axis " + std::to_string(axis) +
                     " is out of range for " + x.describe() + ", which has " +
                     std::to_string(ndim) + " dimension" + (ndim == 1 ? "" : "s"));
  return axis < 0 ? axis + ndim : axis;
}

std::vector<int> detail::normalizeAxes(const std::vector<int> &axes, const Node &x, const char *op) {
  std::vector<int> out;
  for (int a : axes)
    out.push_back(normalizeAxis(a, x.ndim(), op, x));
  std::vector<int> sorted = out;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    throw ValueError(std::string(op) + ": an axis of " + x.describe() + " is repeated");
  return out;
}

std::optional<Shape> detail::broadcastShapes(const std::vector<Shape> &shapes) {
  Shape out;
  for (const Shape &s : shapes) {
    std::size_t n = std::max(out.size(), s.size());
    Shape next(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t da = i + out.size() >= n ? out[i + out.size() - n] : 1;
      std::int64_t db = i + s.size() >= n ? s[i + s.size() - n] : 1;
      if (da != db && da != 1 && db != 1)
        return std::nullopt;
      next[i] = da == 1 ? db : da;
    }
    out = next;
  }
  return out;
}

namespace {

Variable castTo(const Variable &x, DType dtype) {
  if (x.dtype() == dtype)
    return x;
  const NodePtr &n = nodeOf(x, "cast");
  return wrap(makeNode(OpKind::Cast, {n}, dtype, n->broadcastable));
}

Variable unary(OpKind kind, const Variable &x, DType dtype) {
  const NodePtr &n = nodeOf(x, mnemonic(kind));
  Variable in = castTo(x, dtype);
  return wrap(makeNode(kind, {in.node()}, dtype, n->broadcastable));
}

std::vector<bool> broadcastFlags(const std::vector<bool> &a, const std::vector<bool> &b) {
  std::size_t n = std::max(a.size(), b.size());
  std::vector<bool> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t oa = n - a.size(), ob = n - b.size();
    bool ba = i < oa || a[i - oa];
    bool bb = i < ob || b[i - ob];
    out[i] = ba && bb;
  }
  return out;
}

/// A binary op computing in `operandType` and producing `resultType`.
Variable binary(OpKind kind, const Variable &a, const Variable &b, DType operandType,
                DType resultType) {
  const NodePtr &na = nodeOf(a, mnemonic(kind));
  const NodePtr &nb = nodeOf(b, mnemonic(kind));
  Variable ca = castTo(a, operandType), cb = castTo(b, operandType);
  return wrap(makeNode(kind, {ca.node(), cb.node()}, resultType, broadcastFlags(na->broadcastable, nb->broadcastable)));
}

DType arithmeticType(DType a, DType b) {
  DType t = promote_types(a, b);
  return t == DType::Bool ? DType::Int8 : t;
}

Variable arithmetic(OpKind kind, const Variable &a, const Variable &b) {
  DType t = arithmeticType(nodeOf(a, mnemonic(kind))->dtype, nodeOf(b, mnemonic(kind))->dtype);
  return binary(kind, a, b, t, t);
}

Variable comparison(OpKind kind, const Variable &a, const Variable &b) {
  DType t = promote_types(nodeOf(a, mnemonic(kind))->dtype, nodeOf(b, mnemonic(kind))->dtype);
  return binary(kind, a, b, t, DType::Bool);
}

std::vector<std::int64_t> reduceAxes(const Node &x, const Axis &axis, const char *op) {
  std::vector<std::int64_t> axes;
  if (!axis.axes) {
    for (int d = 0; d < x.ndim(); ++d)
      axes.push_back(d);
    return axes;
  }
  for (int a : normalizeAxes(*axis.axes, x, op))
    axes.push_back(a);
  std::sort(axes.begin(), axes.end());
  return axes;
}

Variable reduce(OpKind kind, const Variable &x, const Axis &axis, bool keepdims, DType dtype) {
  const NodePtr &n = nodeOf(x, mnemonic(kind));
  auto axes = reduceAxes(*n, axis, mnemonic(kind));
  Variable in = castTo(x, dtype); // sum/prod of ints accumulate in int64, as Theano
  std::vector<bool> flags;
  for (int d = 0; d < n->ndim(); ++d) {
    bool reduced = std::find(axes.begin(), axes.end(), d) != axes.end();
    if (!reduced)
      flags.push_back(n->broadcastable[static_cast<std::size_t>(d)]);
    else if (keepdims)
      flags.push_back(true);
  }
  auto node = makeNode(kind, {in.node()}, dtype, flags);
  node->ints = axes;
  node->keepdims = keepdims;
  return wrap(node);
}

Variable argReduce(OpKind kind, const Variable &x, int axis, bool keepdims) {
  const NodePtr &n = nodeOf(x, mnemonic(kind));
  int a = normalizeAxis(axis, n->ndim(), mnemonic(kind), *n);
  Variable in = n->dtype == DType::Bool ? castTo(x, DType::Int8) : x;
  std::vector<bool> flags;
  for (int d = 0; d < n->ndim(); ++d) {
    if (d != a)
      flags.push_back(n->broadcastable[static_cast<std::size_t>(d)]);
    else if (keepdims)
      flags.push_back(true);
  }
  auto node = makeNode(kind, {in.node()}, DType::Int64, flags);
  node->ints = {a};
  node->keepdims = keepdims;
  return wrap(node);
}

Variable input(DType dtype, int ndim, const std::string &name, std::vector<bool> flags = {}) {
  if (flags.empty())
    flags.assign(static_cast<std::size_t>(ndim), false);
  return tensor::tensor(dtype, flags, name);
}

DType numericType(DType t) { return t == DType::Bool ? DType::Int8 : t; }

} // namespace

// ---------------------------------------------------------------------------
// Variable
// ---------------------------------------------------------------------------

Dim::Dim(char c) : axis(kNewAxis) {
  if (c != 'x')
    throw ValueError(std::string("dimshuffle: pattern entries are axes or 'x', got '") + c + "'");
}

DType Variable::dtype() const { return nodeOf(*this, "dtype")->dtype; }
int Variable::ndim() const { return nodeOf(*this, "ndim")->ndim(); }
const std::vector<bool> &Variable::broadcastable() const {
  return nodeOf(*this, "broadcastable")->broadcastable;
}
const std::string &Variable::name() const { return nodeOf(*this, "name")->name; }
Variable &Variable::set_name(const std::string &name) {
  nodeOf(*this, "set_name")->name = name;
  return *this;
}

std::string Variable::type_string() const {
  static const char *ranks[] = {"scalar", "vector", "matrix", "tensor3", "tensor4"};
  const Node &n = *nodeOf(*this, "type_string");
  std::string s = std::string(dtype_name(n.dtype)) + " ";
  s += n.ndim() < 5 ? ranks[n.ndim()] : std::to_string(n.ndim()) + "-d tensor";
  if (!n.name.empty())
    s += " '" + n.name + "'";
  return s;
}

Variable Variable::T() const { return tensor::transpose(*this); }
Variable Variable::dimshuffle(std::vector<Dim> pattern) const {
  return tensor::dimshuffle(*this, std::move(pattern));
}
Variable Variable::reshape(const ShapeArg &shape) const { return tensor::reshape(*this, shape); }
Variable Variable::flatten(int ndim) const { return tensor::flatten(*this, ndim); }
Variable Variable::astype(DType dtype) const { return tensor::cast(*this, dtype); }
Variable Variable::sum(Axis axis, bool keepdims) const { return tensor::sum(*this, axis, keepdims); }
Variable Variable::var(Axis axis, int ddof, bool keepdims) const {
  return tensor::var(*this, axis, ddof, keepdims);
}
Variable Variable::std(Axis axis, int ddof, bool keepdims) const {
  return tensor::std(*this, axis, ddof, keepdims);
}
Variable Variable::any(Axis axis, bool keepdims) const { return tensor::any(*this, axis, keepdims); }
Variable Variable::all(Axis axis, bool keepdims) const { return tensor::all(*this, axis, keepdims); }
Variable Variable::norm(double L, Axis axis) const { return tensor::norm(*this, L, axis); }
Variable Variable::dot(const Variable &other) const { return tensor::dot(*this, other); }
Variable grad_scale(const Variable &x, double multiplier) { return tensor::grad_scale(x, multiplier); }
Variable Variable::sort(std::optional<int> axis) const { return tensor::sort(*this, axis); }
Variable Variable::argsort(std::optional<int> axis) const { return tensor::argsort(*this, axis); }
Variable Variable::cumsum(std::optional<int> axis) const { return tensor::cumsum(*this, axis); }
Variable Variable::cumprod(std::optional<int> axis) const { return tensor::cumprod(*this, axis); }
Variable Variable::repeat(std::int64_t repeats, std::optional<int> axis) const {
  return tensor::repeat(*this, repeats, axis);
}
Variable Variable::squeeze() const { return tensor::squeeze(*this); }
Variable Variable::swapaxes(int a, int b) const { return tensor::swapaxes(*this, a, b); }
Variable Variable::transpose(const std::vector<int> &axes) const {
  return tensor::transpose(*this, axes);
}
Variable Variable::clip(const Variable &lo, const Variable &hi) const {
  return tensor::clip(*this, lo, hi);
}
Variable Variable::clip(double lo, double hi) const { return tensor::clip(*this, lo, hi); }
Variable Variable::prod(Axis axis, bool keepdims) const { return tensor::prod(*this, axis, keepdims); }
Variable Variable::mean(Axis axis, bool keepdims) const { return tensor::mean(*this, axis, keepdims); }
Variable Variable::max(Axis axis, bool keepdims) const { return tensor::max(*this, axis, keepdims); }
Variable Variable::min(Axis axis, bool keepdims) const { return tensor::min(*this, axis, keepdims); }
Variable Variable::argmax(Axis axis, bool keepdims) const { return tensor::argmax(*this, axis, keepdims); }
Variable Variable::argmin(Axis axis, bool keepdims) const { return tensor::argmin(*this, axis, keepdims); }
Variable Variable::operator[](const Variable &indices) const {
  const NodePtr &idx = nodeOf(indices, "subtensor");
  if (is_integer(idx->dtype) && idx->ndim() == 1)
    return tensor::take(*this, indices); // rows: AdvancedSubtensor1
  return subtensor({Index(indices)});
}
// A subtensor's index items in Node::ints, four per item (see graph.h).
Variable Variable::subtensor(const std::vector<Index> &items) const {
  const NodePtr &n = nodeOf(*this, "subtensor");
  for (const Index &item : items)
    if (item.kind() == Index::Kind::Array)
      return advancedSubtensor(*this, items);
  std::vector<std::int64_t> ints;
  std::vector<bool> flags;
  int axis = 0;
  auto value = [](const std::optional<std::int64_t> &v) { return v ? *v : kSliceOmitted; };
  for (const Index &item : items) {
    switch (item.kind()) {
    case Index::Kind::NewAxis:
      ints.insert(ints.end(), {kIndexNewAxis, 0, 0, 0});
      flags.push_back(true);
      continue;
    case Index::Kind::Integer:
      ints.insert(ints.end(), {kIndexInteger, item.integer(), 0, 0});
      break;
    case Index::Kind::Slice: {
      const Slice &s = item.slice();
      if (s.step && *s.step == 0)
        throw ValueError("subtensor of " + n->describe() + ": slice step cannot be zero");
      for (const auto &bound : {s.start, s.stop, s.step})
        if (bound && *bound == kSliceOmitted)
          throw ValueError("subtensor of " + n->describe() + ": slice bound out of range");
      ints.insert(ints.end(), {kIndexSlice, value(s.start), value(s.stop), value(s.step)});
      bool whole = !s.start && !s.stop && (!s.step || *s.step == 1);
      flags.push_back(whole && axis < n->ndim() && n->broadcastable[static_cast<std::size_t>(axis)]);
      break;
    }
    }
    if (++axis > n->ndim())
      throw IndexError("subtensor: too many indices for " + n->describe() + ": " +
                       std::to_string(axis) + " for a " + std::to_string(n->ndim()) + "-d tensor");
  }
  for (int d = axis; d < n->ndim(); ++d)
    flags.push_back(n->broadcastable[static_cast<std::size_t>(d)]);
  auto node = makeNode(OpKind::Subtensor, {n}, n->dtype, flags);
  node->ints = std::move(ints);
  return wrap(node);
}

namespace tensor {
namespace {
Variable updateSubtensor(const Variable &subtensor, const Variable &v, bool set, const char *fn) {
  const NodePtr &s = nodeOf(subtensor, fn);
  const NodePtr &nv = nodeOf(v, fn);
  if (s->kind == OpKind::Deferred && s->payload)
    return advancedUpdate(*s, v, set, fn);
  if (s->kind == OpKind::Take)
    return advancedUpdate(*advancedSubtensor(wrap(s->inputs[0]), {Index(wrap(s->inputs[1]))})
                               .node(), v, set, fn);
  if (s->kind != OpKind::Subtensor)
    throw TypeError(std::string(fn) + ": the first argument must be an index expression "
                    "such as x(T::_, 0) or x[idx], got " + s->describe());
  for (std::size_t i = 0; i < s->ints.size(); i += 4)
    if (s->ints[i] == kIndexNewAxis)
      throw ValueError(std::string(fn) + ": the slice of " + s->inputs[0]->describe() +
                       " has a new axis; index without T::newaxis");
  if (nv->ndim() > s->ndim())
    throw ShapeError(std::string(fn) + ": the values have " + std::to_string(nv->ndim()) +
                     " dimensions, more than the slice's " + std::to_string(s->ndim()));
  const NodePtr &x = s->inputs[0];
  Variable cast = castTo(v, x->dtype);
  auto node = makeNode(OpKind::UpdateSubtensor, {x, cast.node()}, x->dtype, x->broadcastable);
  node->ints = s->ints;
  node->keepdims = set; // set, not increment
  return wrap(node);
}
} // namespace

Variable set_subtensor(const Variable &subtensor, const Variable &v) {
  return updateSubtensor(subtensor, v, true, "set_subtensor");
}
Variable inc_subtensor(const Variable &subtensor, const Variable &v) {
  return updateSubtensor(subtensor, v, false, "inc_subtensor");
}
} // namespace tensor

namespace tensor {
namespace {
Variable join(const std::vector<Variable> &tensors, int axis, bool stack, const char *fn) {
  if (tensors.empty())
    throw ValueError(std::string(fn) + ": needs at least one tensor");
  DType dtype = nodeOf(tensors.front(), fn)->dtype;
  int ndim = tensors.front().ndim();
  for (const Variable &t : tensors) {
    const NodePtr &n = nodeOf(t, fn);
    if (n->ndim() != ndim)
      throw TypeError(std::string(fn) + ": " + n->describe() + " has " + std::to_string(n->ndim()) +
                      " dimensions, the first tensor " + std::to_string(ndim));
    dtype = promote_types(dtype, n->dtype);
  }
  if (!stack && ndim == 0)
    throw ValueError(std::string(fn) + ": 0-d tensors cannot be joined; use T::stack");
  int rank = stack ? ndim + 1 : ndim;
  if (axis < -rank || axis >= rank)
    throw ValueError(std::string(fn) + ": axis " + std::to_string(axis) + " is out of range for " +
                     std::to_string(rank) + " dimensions");
  if (axis < 0)
    axis += rank;
  std::vector<NodePtr> inputs;
  std::vector<bool> flags(static_cast<std::size_t>(ndim), true);
  for (const Variable &t : tensors) {
    inputs.push_back(castTo(t, dtype).node());
    for (int d = 0; d < ndim; ++d)
      flags[static_cast<std::size_t>(d)] =
          flags[static_cast<std::size_t>(d)] && t.broadcastable()[static_cast<std::size_t>(d)];
  }
  if (stack)
    flags.insert(flags.begin() + axis, false);
  else
    flags[static_cast<std::size_t>(axis)] = false;
  auto node = makeNode(OpKind::Concatenate, std::move(inputs), dtype, flags);
  node->ints = {axis, stack ? 1 : 0};
  return wrap(node);
}
} // namespace

Variable concatenate(const std::vector<Variable> &tensors, int axis) {
  return join(tensors, axis, false, "concatenate");
}
Variable stack(const std::vector<Variable> &tensors, int axis) {
  return join(tensors, axis, true, "stack");
}
} // namespace tensor

Variable Variable::operator[](std::int64_t i) const {
  const NodePtr &n = nodeOf(*this, "subtensor");
  if (n->ndim() == 0)
    throw ValueError("subtensor: cannot index " + n->describe() + ", which is 0-d");
  return subtensor({Index(i)}); // x[i] is x(i): basic indexing, a view
}

namespace tensor {

Variable tensor(DType dtype, std::vector<bool> broadcastable, const std::string &name) {
  auto node = makeNode(OpKind::Input, {}, dtype, std::move(broadcastable));
  node->name = name;
  return wrap(node);
}

Variable detail::tensor_of_rank(DType dtype, std::int64_t ndim, const std::string &name) {
  if (ndim < 0)
    throw ValueError("tensor: ndim must be >= 0, got " + std::to_string(ndim));
  return tensor(dtype, std::vector<bool>(static_cast<std::size_t>(ndim), false), name);
}

#define THEON_DEFINE_INPUTS(rank, ndim, ...)                                                      \
  Variable rank(const std::string &name) { return input(config().floatX, ndim, name, __VA_ARGS__); } \
  Variable b##rank(const std::string &name) { return input(DType::Int8, ndim, name, __VA_ARGS__); } \
  Variable i##rank(const std::string &name) { return input(DType::Int32, ndim, name, __VA_ARGS__); } \
  Variable l##rank(const std::string &name) { return input(DType::Int64, ndim, name, __VA_ARGS__); } \
  Variable f##rank(const std::string &name) { return input(DType::Float32, ndim, name, __VA_ARGS__); } \
  Variable d##rank(const std::string &name) { return input(DType::Float64, ndim, name, __VA_ARGS__); }
THEON_DEFINE_INPUTS(scalar, 0, {})
THEON_DEFINE_INPUTS(vector, 1, {})
THEON_DEFINE_INPUTS(row, 2, {true, false})
THEON_DEFINE_INPUTS(col, 2, {false, true})
THEON_DEFINE_INPUTS(matrix, 2, {})
THEON_DEFINE_INPUTS(tensor3, 3, {})
THEON_DEFINE_INPUTS(tensor4, 4, {})
#undef THEON_DEFINE_INPUTS

Variable constant(const Array &value, const std::string &name) {
  std::vector<bool> flags;
  for (auto d : value.shape())
    flags.push_back(d == 1);
  auto node = makeNode(OpKind::Constant, {}, value.dtype(), flags);
  node->value = value.copy(); // constants never alias user memory
  node->name = name;
  return wrap(node);
}

Variable constant(double value, DType dtype) {
  return constant(Array::full({}, value, dtype));
}

namespace detail {
Variable int_constant(std::int64_t value) {
  DType t = DType::Int64;
  if (value >= std::numeric_limits<std::int8_t>::min() && value <= std::numeric_limits<std::int8_t>::max())
    t = DType::Int8;
  else if (value >= std::numeric_limits<std::int16_t>::min() &&
           value <= std::numeric_limits<std::int16_t>::max())
    t = DType::Int16;
  else if (value >= std::numeric_limits<std::int32_t>::min() &&
           value <= std::numeric_limits<std::int32_t>::max())
    t = DType::Int32;
  Array a(Shape{}, t);
  if (t == DType::Int64)
    *a.data<std::int64_t>() = value; // exact, not through double
  else
    a = Array::full({}, static_cast<double>(value), t);
  return constant(a);
}
Variable float_constant(double value) {
  // Theano's cast_policy=custom: float literals take floatX when it is float32.
  return constant(value, config().floatX == DType::Float32 ? DType::Float32 : DType::Float64);
}
} // namespace detail

Variable neg(const Variable &x) { return unary(OpKind::Neg, x, numericType(nodeOf(x, "neg")->dtype)); }
Variable abs(const Variable &x) { return unary(OpKind::Abs, x, numericType(nodeOf(x, "abs")->dtype)); }
Variable sgn(const Variable &x) { return unary(OpKind::Sign, x, numericType(nodeOf(x, "sign")->dtype)); }
#define THEON_FLOAT_UNARY(fn, kind)                                                     \
  Variable fn(const Variable &x) {                                                      \
    return unary(OpKind::kind, x, upgrade_to_float(nodeOf(x, #fn)->dtype));             \
  }
THEON_FLOAT_UNARY(exp, Exp)
THEON_FLOAT_UNARY(log, Log)
THEON_FLOAT_UNARY(log1p, Log1p)
THEON_FLOAT_UNARY(sqrt, Sqrt)
THEON_FLOAT_UNARY(sin, Sin)
THEON_FLOAT_UNARY(cos, Cos)
THEON_FLOAT_UNARY(tanh, Tanh)
THEON_FLOAT_UNARY(sigmoid, Sigmoid)
THEON_FLOAT_UNARY(softplus, Softplus)
THEON_FLOAT_UNARY(floor, Floor)
THEON_FLOAT_UNARY(ceil, Ceil)
THEON_FLOAT_UNARY(round, Round)
THEON_FLOAT_UNARY(erf, Erf)
THEON_FLOAT_UNARY(erfc, Erfc)
THEON_FLOAT_UNARY(erfinv, Erfinv)
THEON_FLOAT_UNARY(expm1, Expm1)
THEON_FLOAT_UNARY(exp2, Exp2)
THEON_FLOAT_UNARY(log2, Log2)
THEON_FLOAT_UNARY(log10, Log10)
#undef THEON_FLOAT_UNARY
Variable sqr(const Variable &x) { return mul(x, x); }

// Compositions (docs/op-reference.md): no op of their own.
Variable isnan(const Variable &x) {
  nodeOf(x, "isnan");
  return neq(x, x);
}
Variable isinf(const Variable &x) {
  nodeOf(x, "isinf");
  return eq(abs(x), std::numeric_limits<double>::infinity());
}
Variable clip(const Variable &x, const Variable &lo, const Variable &hi) {
  nodeOf(x, "clip");
  nodeOf(lo, "clip");
  nodeOf(hi, "clip");
  return switch_(lt(x, lo), lo, switch_(gt(x, hi), hi, x));
}

Variable cast(const Variable &x, DType dtype) {
  nodeOf(x, "cast");
  return castTo(x, dtype);
}

Variable add(const Variable &a, const Variable &b) { return arithmetic(OpKind::Add, a, b); }
Variable sub(const Variable &a, const Variable &b) { return arithmetic(OpKind::Sub, a, b); }
Variable mul(const Variable &a, const Variable &b) { return arithmetic(OpKind::Mul, a, b); }
Variable maximum(const Variable &a, const Variable &b) { return arithmetic(OpKind::Maximum, a, b); }
Variable minimum(const Variable &a, const Variable &b) { return arithmetic(OpKind::Minimum, a, b); }
Variable floor_div(const Variable &a, const Variable &b) {
  return arithmetic(OpKind::FloorDiv, a, b);
}
Variable mod(const Variable &a, const Variable &b) { return arithmetic(OpKind::Mod, a, b); }

namespace {
DType bitwiseType(OpKind kind, const Variable &a, const Variable &b) {
  for (const Variable *v : {&a, &b})
    if (is_float(nodeOf(*v, mnemonic(kind))->dtype))
      throw TypeError(std::string(mnemonic(kind)) + ": " + nodeOf(*v, mnemonic(kind))->describe() +
                      " is " + dtype_name(v->dtype()) +
                      "; bitwise ops take integers or bool (cast with astype)");
  return promote_types(a.dtype(), b.dtype());
}
} // namespace

Variable bitwise_and(const Variable &a, const Variable &b) {
  DType t = bitwiseType(OpKind::BitAnd, a, b);
  return binary(OpKind::BitAnd, a, b, t, t);
}
Variable bitwise_or(const Variable &a, const Variable &b) {
  DType t = bitwiseType(OpKind::BitOr, a, b);
  return binary(OpKind::BitOr, a, b, t, t);
}
Variable bitwise_xor(const Variable &a, const Variable &b) {
  DType t = bitwiseType(OpKind::BitXor, a, b);
  return binary(OpKind::BitXor, a, b, t, t);
}
Variable invert(const Variable &x) {
  const NodePtr &n = nodeOf(x, "invert");
  if (is_float(n->dtype))
    throw TypeError("invert: " + n->describe() + " is " + dtype_name(n->dtype) +
                    "; bitwise ops take integers or bool (cast with astype)");
  return unary(OpKind::Invert, x, n->dtype);
}

Variable true_div(const Variable &a, const Variable &b) {
  DType t = promote_types(nodeOf(a, "div")->dtype, nodeOf(b, "div")->dtype);
  if (!is_float(t))
    t = config().floatX; // Theano: int / int -> floatX
  return binary(OpKind::Div, a, b, t, t);
}
Variable pow(const Variable &a, const Variable &b) {
  DType t = upgrade_to_float(arithmeticType(nodeOf(a, "pow")->dtype, nodeOf(b, "pow")->dtype));
  return binary(OpKind::Pow, a, b, t, t);
}
Variable eq(const Variable &a, const Variable &b) { return comparison(OpKind::Eq, a, b); }
Variable neq(const Variable &a, const Variable &b) { return comparison(OpKind::Ne, a, b); }
Variable lt(const Variable &a, const Variable &b) { return comparison(OpKind::Lt, a, b); }
Variable le(const Variable &a, const Variable &b) { return comparison(OpKind::Le, a, b); }
Variable gt(const Variable &a, const Variable &b) { return comparison(OpKind::Gt, a, b); }
Variable ge(const Variable &a, const Variable &b) { return comparison(OpKind::Ge, a, b); }

Variable switch_(const Variable &cond, const Variable &a, const Variable &b) {
  const NodePtr &nc = nodeOf(cond, "switch");
  Variable c = nc->dtype == DType::Bool ? cond : neq(cond, 0);
  DType t = promote_types(nodeOf(a, "switch")->dtype, nodeOf(b, "switch")->dtype);
  Variable ca = castTo(a, t), cb = castTo(b, t);
  auto flags = broadcastFlags(c.broadcastable(),
                              broadcastFlags(a.broadcastable(), b.broadcastable()));
  return wrap(makeNode(OpKind::Select, {c.node(), ca.node(), cb.node()}, t, flags));
}

Variable dot(const Variable &a, const Variable &b) {
  const NodePtr &na = nodeOf(a, "dot"), &nb = nodeOf(b, "dot");
  // NumPy: a scalar operand multiplies; beyond 2-d, the last axis of a
  // with the second-to-last of b (the last of a vector b).
  if (na->ndim() == 0 || nb->ndim() == 0)
    return mul(a, b);
  if (na->ndim() > 2 || nb->ndim() > 2)
    return tensordot(a, b, {na->ndim() - 1}, {nb->ndim() == 1 ? 0 : nb->ndim() - 2});
  DType t = arithmeticType(na->dtype, nb->dtype);
  Variable ca = castTo(a, t), cb = castTo(b, t);
  std::vector<bool> flags;
  if (na->ndim() == 2)
    flags.push_back(na->broadcastable[0]);
  if (nb->ndim() == 2)
    flags.push_back(nb->broadcastable[1]);
  return wrap(makeNode(OpKind::Dot, {ca.node(), cb.node()}, t, flags));
}

Variable sum(const Variable &x, Axis axis, bool keepdims) {
  DType t = nodeOf(x, "sum")->dtype;
  return reduce(OpKind::Sum, x, axis, keepdims, is_float(t) ? t : DType::Int64);
}
Variable prod(const Variable &x, Axis axis, bool keepdims) {
  DType t = nodeOf(x, "prod")->dtype;
  return reduce(OpKind::Prod, x, axis, keepdims, is_float(t) ? t : DType::Int64);
}
Variable mean(const Variable &x, Axis axis, bool keepdims) {
  DType t = nodeOf(x, "mean")->dtype;
  return reduce(OpKind::Mean, x, axis, keepdims, is_float(t) ? t : DType::Float64);
}
Variable max(const Variable &x, Axis axis, bool keepdims) {
  return reduce(OpKind::Max, x, axis, keepdims, numericType(nodeOf(x, "max")->dtype));
}
Variable min(const Variable &x, Axis axis, bool keepdims) {
  return reduce(OpKind::Min, x, axis, keepdims, numericType(nodeOf(x, "min")->dtype));
}
namespace {
/// argmax/argmin over several axes: those axes moved last and joined.
Variable argReduceAxes(OpKind kind, const Variable &x, const Axis &axis, bool keepdims) {
  const NodePtr &n = nodeOf(x, mnemonic(kind));
  auto axes = reduceAxes(*n, axis, mnemonic(kind));
  if (axes.size() == 1)
    return argReduce(kind, x, static_cast<int>(axes[0]), keepdims);
  std::vector<int> perm;
  std::vector<Size> sizes;
  std::vector<Dim> kept;
  for (int d = 0; d < n->ndim(); ++d)
    if (std::find(axes.begin(), axes.end(), d) == axes.end()) {
      perm.push_back(d);
      sizes.push_back(x.shape(d));
    }
  for (auto d : axes)
    perm.push_back(static_cast<int>(d));
  sizes.push_back(-1);
  Variable joined = reshape(transpose(x, perm), ShapeArg(sizes));
  Variable r = argReduce(kind, joined, -1, false);
  if (!keepdims)
    return r;
  int next = 0;
  for (int d = 0; d < n->ndim(); ++d)
    kept.push_back(std::find(axes.begin(), axes.end(), d) == axes.end() ? Dim(next++) : Dim('x'));
  return r.dimshuffle(kept);
}
} // namespace

Variable argmax(const Variable &x, Axis axis, bool keepdims) {
  return argReduceAxes(OpKind::Argmax, x, axis, keepdims);
}
Variable argmin(const Variable &x, Axis axis, bool keepdims) {
  return argReduceAxes(OpKind::Argmin, x, axis, keepdims);
}

// Compositions (docs/op-reference.md).
Variable var(const Variable &x, Axis axis, int ddof, bool keepdims) {
  const NodePtr &n = nodeOf(x, "var");
  if (ddof < 0)
    throw ValueError("var: ddof must be >= 0, got " + std::to_string(ddof));
  Variable xf = castTo(x, upgrade_to_float(n->dtype));
  Variable sq = sqr(xf - mean(xf, axis, /*keepdims=*/true));
  if (ddof == 0)
    return mean(sq, axis, keepdims);
  // The element count over the axes, from a mask that is 1 everywhere
  // (x == x is false only for NaN, where x != x is true): no shape is
  // needed before the call.
  Variable ones = castTo(bitwise_or(eq(xf, xf), neq(xf, xf)), xf.dtype());
  return true_div(sum(sq, axis, keepdims), sub(sum(ones, axis, keepdims), ddof));
}
Variable std(const Variable &x, Axis axis, int ddof, bool keepdims) {
  return sqrt(var(x, axis, ddof, keepdims));
}
Variable any(const Variable &x, Axis axis, bool keepdims) {
  nodeOf(x, "any");
  return gt(sum(castTo(neq(x, 0), DType::Int64), axis, keepdims), 0);
}
Variable all(const Variable &x, Axis axis, bool keepdims) {
  nodeOf(x, "all");
  return eq(sum(castTo(eq(x, 0), DType::Int64), axis, keepdims), 0);
}
Variable norm(const Variable &x, double L, Axis axis) {
  nodeOf(x, "norm");
  if (!(L > 0))
    throw ValueError("norm: L must be > 0, got " + std::to_string(L));
  if (L == 1)
    return sum(abs(x), axis);
  if (L == 2)
    return sqrt(sum(sqr(x), axis));
  Variable xf = castTo(x, upgrade_to_float(x.dtype()));
  return pow(sum(pow(abs(xf), L), axis), 1.0 / L);
}
Variable zero_grad(const Variable &x) {
  const NodePtr &n = nodeOf(x, "zero_grad");
  return wrap(makeNode(OpKind::ZeroGrad, {n}, n->dtype, n->broadcastable));
}
Variable grad_clip(const Variable &x, double lo, double hi) {
  const NodePtr &n = nodeOf(x, "grad_clip");
  if (!is_float(n->dtype))
    throw TypeError("grad_clip: " + n->describe() + " is " + dtype_name(n->dtype) +
                    "; integers carry no gradient");
  if (!(lo <= hi))
    throw ValueError("grad_clip: lo (" + std::to_string(lo) + ") must not be above hi (" +
                     std::to_string(hi) + ")");
  auto node = makeNode(OpKind::GradClip, {n}, n->dtype, n->broadcastable);
  node->value = Array::from_vector(std::vector<double>{lo, hi});
  return wrap(node);
}
Variable grad_scale(const Variable &x, double multiplier) {
  nodeOf(x, "grad_scale");
  Variable stopped = zero_grad(x);
  return stopped + (x - stopped) * as_tensor_like(multiplier, x);
}

namespace {
Variable cumulative(OpKind kind, const Variable &x, std::optional<int> axis, const char *op) {
  const NodePtr &n = nodeOf(x, op);
  if (!axis)
    return cumulative(kind, flatten(x), 0, op);
  int a = normalizeAxis(*axis, n->ndim(), op, *n);
  // Integers accumulate in int64, as NumPy's and Theano's.
  DType t = is_float(n->dtype) ? n->dtype : DType::Int64;
  Variable in = castTo(x, t);
  auto node = makeNode(kind, {in.node()}, t, n->broadcastable);
  node->ints = {a};
  return wrap(node);
}
} // namespace

Variable cumsum(const Variable &x, std::optional<int> axis) {
  return cumulative(OpKind::Cumsum, x, axis, "cumsum");
}
Variable cumprod(const Variable &x, std::optional<int> axis) {
  return cumulative(OpKind::Cumprod, x, axis, "cumprod");
}

Variable outer(const Variable &x, const Variable &y) {
  nodeOf(x, "outer");
  nodeOf(y, "outer");
  Variable a = x.ndim() == 1 ? x : x.flatten();
  Variable b = y.ndim() == 1 ? y : y.flatten();
  return mul(a.dimshuffle(0, 'x'), b.dimshuffle('x', 0));
}

Variable reshape(const Variable &x, const ShapeArg &shape) {
  nodeOf(x, "reshape");
  return shape.is_static() ? reshapeStatic(x, shape.numbers()) : reshapeSymbolic(x, shape);
}
} // namespace tensor

Variable detail::reshapeStatic(const Variable &x, std::vector<std::int64_t> shape) {
  const NodePtr &n = nodeOf(x, "reshape");
  int unknown = 0;
  std::vector<bool> flags;
  for (auto d : shape) {
    if (d == -1)
      ++unknown;
    else if (d < 0)
      throw ValueError("reshape: negative dimension " + std::to_string(d) + " in shape " +
                       shape_to_string(shape) + " for " + n->describe());
    flags.push_back(d == 1);
  }
  if (unknown > 1)
    throw ValueError("reshape: shape " + shape_to_string(shape) + " for " + n->describe() +
                     " has more than one -1");
  auto node = makeNode(OpKind::Reshape, {n}, n->dtype, flags);
  node->ints = std::move(shape);
  return wrap(node);
}

namespace tensor {
Variable dimshuffle(const Variable &x, std::vector<Dim> pattern) {
  const NodePtr &n = nodeOf(x, "dimshuffle");
  std::vector<bool> used(static_cast<std::size_t>(n->ndim()), false), flags;
  std::vector<std::int64_t> ints;
  for (const Dim &d : pattern) {
    if (d.axis == Dim::kNewAxis) {
      flags.push_back(true);
      ints.push_back(kGraphNewAxis);
      continue;
    } else {
      if (d.axis < 0 || d.axis >= n->ndim())
        throw ValueError("dimshuffle: axis " + std::to_string(d.axis) + " is out of range for " +
                         n->describe() + ", which has " + std::to_string(n->ndim()) + " dimensions");
      if (used[static_cast<std::size_t>(d.axis)])
        throw ValueError("dimshuffle: axis " + std::to_string(d.axis) + " of " + n->describe() +
                         " appears twice in the pattern");
      used[static_cast<std::size_t>(d.axis)] = true;
      flags.push_back(n->broadcastable[static_cast<std::size_t>(d.axis)]);
    }
    ints.push_back(d.axis);
  }
  for (int d = 0; d < n->ndim(); ++d)
    if (!used[static_cast<std::size_t>(d)] && !n->broadcastable[static_cast<std::size_t>(d)])
      throw ValueError("dimshuffle: cannot drop dimension " + std::to_string(d) + " of " +
                       n->describe() + ": it is not broadcastable");
  auto node = makeNode(OpKind::DimShuffle, {n}, n->dtype, flags);
  node->ints = std::move(ints);
  return wrap(node);
}

// Constants and shape compositions (docs/op-reference.md).
Variable zeros(const ShapeArg &shape, std::optional<DType> dtype) { return full(shape, 0, dtype); }
Variable ones(const ShapeArg &shape, std::optional<DType> dtype) { return full(shape, 1, dtype); }
Variable full(const ShapeArg &shape, double value, std::optional<DType> dtype) {
  DType t = dtype.value_or(config().floatX);
  if (shape.is_static())
    return constant(Array::full(shape.numbers(), value, t));
  return alloc(constant(value, t), shape);
}
Variable eye(std::int64_t n, std::optional<std::int64_t> m, std::int64_t k,
             std::optional<DType> dtype) {
  std::int64_t cols = m.value_or(n);
  if (n < 0 || cols < 0)
    throw ValueError("eye: negative size " + std::to_string(n) + " x " + std::to_string(cols));
  std::vector<double> values(static_cast<std::size_t>(n * cols), 0.0);
  for (std::int64_t i = 0; i < n; ++i)
    if (i + k >= 0 && i + k < cols)
      values[static_cast<std::size_t>(i * cols + i + k)] = 1;
  return constant(Array::from_vector(values, {n, cols}).astype(dtype.value_or(config().floatX)));
}
Variable arange(double start, double stop, double step, std::optional<DType> dtype) {
  if (step == 0 || !std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step))
    throw ValueError("arange: the step must be nonzero and the bounds finite");
  double count = std::ceil((stop - start) / step);
  if (count > 1e9)
    throw ValueError("arange: " + std::to_string(count) + " elements is too many for a constant");
  std::int64_t n = count > 0 ? static_cast<std::int64_t>(count) : 0;
  bool integral = start == std::floor(start) && stop == std::floor(stop) && step == std::floor(step);
  std::vector<double> values(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    values[static_cast<std::size_t>(i)] = start + static_cast<double>(i) * step;
  return constant(Array::from_vector(values, {n}).astype(
      dtype.value_or(integral ? DType::Int64 : config().floatX)));
}
Variable arange(std::int64_t stop) { return arange(0, static_cast<double>(stop)); }

Variable transpose(const Variable &x, const std::vector<int> &axes) {
  const NodePtr &n = nodeOf(x, "transpose");
  if (static_cast<int>(axes.size()) != n->ndim())
    throw ValueError("transpose: " + std::to_string(axes.size()) + " axes for " + n->describe() +
                     ", which has " + std::to_string(n->ndim()));
  std::vector<Dim> pattern;
  for (int a : axes)
    pattern.push_back(Dim(a < 0 ? a + n->ndim() : a));
  return dimshuffle(x, pattern);
}
Variable swapaxes(const Variable &x, int a, int b) {
  const NodePtr &n = nodeOf(x, "swapaxes");
  int nd = n->ndim();
  for (int v : {a, b})
    if (v < -nd || v >= nd)
      throw ValueError("swapaxes: axis " + std::to_string(v) + " is out of range for " +
                       n->describe() + ", which has " + std::to_string(nd) + " dimensions");
  std::vector<int> axes(static_cast<std::size_t>(nd));
  for (int d = 0; d < nd; ++d)
    axes[static_cast<std::size_t>(d)] = d;
  std::swap(axes[static_cast<std::size_t>((a + nd) % nd)], axes[static_cast<std::size_t>((b + nd) % nd)]);
  return transpose(x, axes);
}
Variable squeeze(const Variable &x) {
  const NodePtr &n = nodeOf(x, "squeeze");
  std::vector<Dim> pattern;
  for (int d = 0; d < n->ndim(); ++d)
    if (!n->broadcastable[static_cast<std::size_t>(d)])
      pattern.push_back(Dim(d));
  return dimshuffle(x, pattern);
}
Variable tile(const Variable &x, const std::vector<int> &reps) {
  const NodePtr &n = nodeOf(x, "tile");
  if (static_cast<int>(reps.size()) != n->ndim())
    throw ValueError("tile: " + std::to_string(reps.size()) + " repetitions for " + n->describe() +
                     ", which has " + std::to_string(n->ndim()) + " dimensions");
  Variable out = x;
  for (std::size_t axis = 0; axis < reps.size(); ++axis) {
    if (reps[axis] < 1)
      throw ValueError("tile: repetitions must be >= 1, got " + std::to_string(reps[axis]));
    if (reps[axis] > 1)
      out = concatenate(std::vector<Variable>(static_cast<std::size_t>(reps[axis]), out),
                        static_cast<int>(axis));
  }
  return out;
}

Variable transpose(const Variable &x) {
  std::vector<Dim> pattern;
  for (int d = x.ndim() - 1; d >= 0; --d)
    pattern.push_back(Dim(d));
  return dimshuffle(x, pattern);
}

Variable broadcast_to(const Variable &x, const ShapeArg &shape) {
  nodeOf(x, "broadcast_to");
  return shape.is_static() ? broadcastToStatic(x, shape.numbers()) : broadcastToSymbolic(x, shape);
}
} // namespace tensor

Variable detail::broadcastToStatic(const Variable &x, std::vector<std::int64_t> shape) {
  const NodePtr &n = nodeOf(x, "broadcast_to");
  if (static_cast<int>(shape.size()) < n->ndim())
    throw ValueError("broadcast_to: cannot broadcast " + n->describe() + " with " +
                     std::to_string(n->ndim()) + " dimensions to shape " + shape_to_string(shape));
  std::vector<bool> flags;
  for (auto d : shape) {
    if (d < 0)
      throw ValueError("broadcast_to: negative dimension in shape " + shape_to_string(shape));
    flags.push_back(d == 1);
  }
  auto node = makeNode(OpKind::BroadcastTo, {n}, n->dtype, flags);
  node->ints = std::move(shape);
  return wrap(node);
}

namespace tensor {
Variable take(const Variable &x, const Variable &indices) {
  const NodePtr &n = nodeOf(x, "take");
  const NodePtr &idx = nodeOf(indices, "take");
  if (n->ndim() == 0)
    throw ValueError("take: cannot index " + n->describe() + ", which is 0-d");
  if (!is_integer(idx->dtype) || idx->ndim() != 1)
    throw TypeError("take: the index must be an integer vector, got " + indices.type_string() +
                    " (" + idx->describe() + ")");
  std::vector<bool> flags{idx->broadcastable[0]};
  flags.insert(flags.end(), n->broadcastable.begin() + 1, n->broadcastable.end());
  return wrap(makeNode(OpKind::Take, {n, idx}, n->dtype, flags));
}

Variable diag(const Variable &x) {
  const NodePtr &n = nodeOf(x, "diag");
  if (n->ndim() == 2)
    return wrap(makeNode(OpKind::ExtractDiag, {n}, n->dtype, {false}));
  if (n->ndim() == 1) {
    Variable v = castTo(x, numericType(n->dtype));
    return wrap(makeNode(OpKind::AllocDiag, {v.node()}, v.dtype(), {false, false}));
  }
  throw TypeError("diag: " + n->describe() + " is " + std::to_string(n->ndim()) +
                  "-d; diag takes a matrix (its diagonal) or a vector (a diagonal matrix)");
}

} // namespace tensor
} // namespace theon
