// RandomStreams: draws are theon.random ops (Philox4x32-10 in the compiled
// code) with a state shared variable each; distributions are compositions
// of a standard uniform or normal draw with ordinary ops, so parameters may
// be variables and gradients flow to them (reparameterization).
#include "theon/random.h"

#include <cmath>
#include <mutex>

#include "lib/tensor_impl.h"
#include "theon/config.h"
#include "theon/error.h"

namespace theon {
using namespace detail;
namespace T = tensor;

struct RandomStreams::Impl {
  std::mutex mutex; // streams may be drawn from on several threads
  std::uint64_t seed = 0;
  std::vector<SharedVariable> states;
};

namespace {

constexpr RandomDistribution kUniform = RandomDistribution::Uniform;
constexpr RandomDistribution kNormal = RandomDistribution::Normal;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// The initial state of draw `index` of a stream seeded with `seed`: a key
/// of its own (distinct draws never share a Philox stream), counter 0.
Array initialState(std::uint64_t seed, std::size_t index) {
  auto key = static_cast<std::int64_t>(splitmix64(seed ^ splitmix64(index)));
  return Array::from_vector(std::vector<std::int64_t>{key, 0}, {2});
}

SharedVariable newState(RandomStreams::Impl &impl) {
  std::lock_guard<std::mutex> lock(impl.mutex);
  std::size_t index = impl.states.size();
  SharedVariable state = shared(initialState(impl.seed, index), "rng_state_" + std::to_string(index));
  // Every function that draws advances the counter after its call.
  state.node()->defaultUpdate = [](const Variable &self) {
    return self + T::constant(Array::from_vector(std::vector<std::int64_t>{0, 1}, {2}));
  };
  impl.states.push_back(state);
  return state;
}

/// A standard uniform or normal draw of `size` in float dtype `dtype`.
Variable draw(RandomStreams::Impl &impl, const char *op, const ShapeArg &size,
              RandomDistribution distribution, DType dtype) {
  ShapeVector s = shapeVector(size, op);
  SharedVariable state = newState(impl);
  Variable vec = s.vector;
  std::string name = op;
  NodePtr stateNode = state.node();
  return wrap(makeDeferred(op, {stateNode, vec.node()}, dtype, s.flags,
                           [=](const DeferredContext &c) {
    Shape st = c.shapeOf(state);
    if (st != Shape{2})
      throw ValueError(name + ": the random state " + stateNode->describe() +
                       " must hold [key, counter] (shape (2,)), got shape " + shape_to_string(st));
    std::vector<std::int64_t> dims = c.ints(vec, name, "the size");
    std::vector<bool> flags;
    for (std::int64_t d : dims) {
      if (d < 0)
        throw ValueError(name + ": negative dimension in size " + shape_to_string(dims));
      flags.push_back(d == 1);
    }
    NodePtr node = makeNode(OpKind::Random, {stateNode}, dtype, flags);
    node->ints = {static_cast<std::int64_t>(distribution)};
    node->ints.insert(node->ints.end(), dims.begin(), dims.end());
    return wrap(node);
  }));
}

/// A parameter as a variable: a number in `dtype`, a variable as it is.
Variable paramVariable(const RandomParam &p, DType dtype) {
  return p.is_variable() ? p.variable() : T::constant(p.number(), dtype);
}

/// `result`, with `valid` checked on every element of `param` known before
/// the call (a number, a constant, or one computed from shapes): ValueError
/// "op: what" otherwise. Values known only at the call are not checked.
Variable checked(const Variable &result, const Variable &param, const char *op,
                 const std::string &what, bool (*valid)(double)) {
  std::string prefix = std::string(op) + ": " + what + ", got ";
  auto check = [=](const std::vector<double> &values) {
    for (double v : values)
      if (!valid(v))
        throw ValueError(prefix + std::to_string(v));
  };
  const NodePtr &pn = nodeOf(param, op);
  if (pn->kind == OpKind::Constant) { // now, at graph construction
    std::vector<double> values;
    for (std::int64_t i = 0; i < pn->value->size(); ++i)
      values.push_back(pn->value->get_flat(i));
    check(values);
    return result;
  }
  return guarded(result, {pn}, op, [=](const DeferredContext &c) {
    if (auto values = c.tryValues(param))
      check(*values);
  });
}

DType floatDType(std::optional<DType> dtype, const char *op) {
  DType d = dtype.value_or(config().floatX);
  if (!is_float(d))
    throw TypeError(std::string(op) + ": dtype must be float32 or float64, got " + dtype_name(d));
  return d;
}

/// `size` with `n` put in front.
ShapeArg prepend(std::int64_t n, const ShapeArg &size) {
  if (!size.vector().is_null())
    return ShapeArg(T::concatenate(
        {T::constant(Array::from_vector(std::vector<std::int64_t>{n}, {1})),
         T::cast(size.vector(), DType::Int64)}));
  std::vector<Size> sizes{Size(n)};
  sizes.insert(sizes.end(), size.sizes().begin(), size.sizes().end());
  return ShapeArg(sizes);
}

} // namespace

RandomStreams::RandomStreams(std::uint64_t seed) : impl_(std::make_shared<Impl>()) {
  impl_->seed = seed;
}

void RandomStreams::seed(std::uint64_t seed) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->seed = seed;
  for (std::size_t i = 0; i < impl_->states.size(); ++i)
    impl_->states[i].set_value(initialState(seed, i));
}

std::vector<SharedVariable> RandomStreams::states() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->states;
}

Variable RandomStreams::uniform(const ShapeArg &size, RandomParam low, RandomParam high,
                                std::optional<DType> dtype) {
  DType d = floatDType(dtype, "uniform");
  Variable u = draw(*impl_, "uniform", size, kUniform, d);
  Variable lo = paramVariable(low, d), hi = paramVariable(high, d);
  return lo + (hi - lo) * u;
}

Variable RandomStreams::normal(const ShapeArg &size, RandomParam avg, RandomParam std,
                               std::optional<DType> dtype) {
  DType d = floatDType(dtype, "normal");
  Variable z = draw(*impl_, "normal", size, kNormal, d);
  Variable mean = paramVariable(avg, d), sd = paramVariable(std, d);
  return checked(mean + sd * z, sd, "normal", "the standard deviation must be >= 0",
                 [](double v) { return v >= 0; });
}

Variable RandomStreams::binomial(const ShapeArg &size, RandomParam p, std::optional<DType> dtype) {
  return binomial(size, 1, p, dtype);
}

Variable RandomStreams::binomial(const ShapeArg &size, std::int64_t n, RandomParam p,
                                 std::optional<DType> dtype) {
  if (n < 0)
    throw ValueError("binomial: the number of trials n must be >= 0, got " + std::to_string(n));
  DType out = dtype.value_or(DType::Int64);
  DType ud = p.is_variable() && p.variable().dtype() == DType::Float64 ? DType::Float64
                                                                        : config().floatX;
  Variable prob = p.is_variable() ? p.variable() : T::constant(p.number(), ud);
  if (!is_float(prob.dtype()))
    throw TypeError("binomial: p must be a float, got " + prob.type_string());
  Variable successes;
  if (n == 1) {
    successes = T::lt(draw(*impl_, "binomial", size, kUniform, ud), prob).astype(out);
  } else {
    // n trials along a new first axis, counted.
    Variable trials = T::lt(draw(*impl_, "binomial", prepend(n, size), kUniform, ud), prob);
    successes = trials.astype(out).sum(0);
  }
  return checked(successes, prob, "binomial", "p must be in [0, 1]",
                 [](double v) { return v >= 0 && v <= 1; });
}

Variable RandomStreams::integers(const ShapeArg &size, RandomParam low, RandomParam high,
                                 std::optional<DType> dtype) {
  DType out = dtype.value_or(DType::Int64);
  if (!is_integer(out))
    throw TypeError(std::string("integers: dtype must be an integer dtype, got ") +
                    dtype_name(out));
  for (const RandomParam *p : {&low, &high})
    if (!p->is_variable() && p->number() != std::floor(p->number()))
      throw TypeError("integers: low and high must be integers, got " +
                      std::to_string(p->number()));
  if (!low.is_variable() && !high.is_variable() && !(high.number() > low.number()))
    throw ValueError("integers: high must be above low (the range is empty), got low " +
                     std::to_string(static_cast<std::int64_t>(low.number())) + " and high " +
                     std::to_string(static_cast<std::int64_t>(high.number())));
  Variable lo = paramVariable(low, DType::Int64), hi = paramVariable(high, DType::Int64);
  for (const Variable *v : {&lo, &hi})
    if (!is_integer(v->dtype()))
      throw TypeError("integers: low and high must be integers, got " + v->type_string());
  lo = lo.astype(DType::Int64);
  hi = hi.astype(DType::Int64);
  // floor(u * range) with a 53-bit u is below range; min() guards rounding.
  Variable u = draw(*impl_, "integers", size, kUniform, DType::Float64);
  Variable range = hi - lo;
  Variable offset = T::floor(u * range.astype(DType::Float64)).astype(DType::Int64);
  Variable value = (lo + T::minimum(offset, range - 1)).astype(out);
  return checked(value, range, "integers", "high must be above low (the range is empty)",
                 [](double v) { return v > 0; });
}

Variable RandomStreams::random_integers(const ShapeArg &size, RandomParam low, RandomParam high,
                                        std::optional<DType> dtype) {
  if (!high.is_variable())
    return integers(size, low, high.number() + 1, dtype);
  return integers(size, low, high.variable() + 1, dtype);
}

Variable RandomStreams::permutation(Size n) {
  Variable length = n.is_variable() ? n.variable() : T::constant(static_cast<double>(n.value()),
                                                                  DType::Int64);
  Variable keys = draw(*impl_, "permutation", ShapeArg{n}, kUniform, DType::Float64);
  return checked(T::argsort(keys).astype(DType::Int64), length, "permutation",
                 "n must be >= 0", [](double v) { return v >= 0; });
}

Variable RandomStreams::shuffle_row_elements(const Variable &x) {
  const NodePtr &n = nodeOf(x, "shuffle_row_elements");
  if (n->ndim() < 1)
    throw ValueError("shuffle_row_elements: " + n->describe() + " is 0-d; it needs rows to shuffle");
  return x[permutation(x.shape(0))];
}

Variable RandomStreams::choice(const ShapeArg &size, Size n, bool replace, const Variable &p) {
  Variable count = n.is_variable() ? n.variable().astype(DType::Int64)
                                   : T::constant(static_cast<double>(n.value()), DType::Int64);
  auto nonEmpty = [](double v) { return v > 0; };
  const char *empty = "cannot choose from an empty population";
  if (!replace) {
    if (!p.is_null())
      throw ValueError("choice: p with replace=false is not supported; draw with replace=true "
                       "or use permutation");
    // The first k of a permutation, k the size's element count (checked
    // against n when the function is compiled).
    ShapeVector s = shapeVector(size, "choice");
    Variable perm = permutation(n);
    Variable vec = s.vector;
    NodePtr pn = perm.node();
    Variable result = wrap(makeDeferred("choice", {pn, vec.node(), count.node()}, DType::Int64,
                                        s.flags, [=](const DeferredContext &c) {
      std::vector<std::int64_t> dims = c.ints(vec, "choice", "the size");
      std::int64_t k = numElements(dims), total = c.shapeOf(perm)[0];
      if (k > total)
        throw ValueError("choice: cannot take " + std::to_string(k) + " distinct elements of " +
                         std::to_string(total) + " without replacement");
      return reshapeStatic(perm(T::slice(0, k)), dims);
    }));
    return checked(result, count, "choice", empty, nonEmpty);
  }
  if (p.is_null())
    return checked(integers(size, 0, count), count, "choice", empty, nonEmpty);
  // With probabilities: the number of cumulative weights at or below a
  // uniform draw scaled to the total.
  if (!is_float(p.dtype()) || p.ndim() != 1)
    throw TypeError("choice: p must be a float vector, got " + p.type_string());
  Variable cdf = T::cumsum(p);
  Variable total = cdf(-1);
  Variable u = draw(*impl_, "choice", size, kUniform, p.dtype()) * total;
  int nd = u.ndim();
  std::vector<Dim> pattern;
  for (int i = 0; i < nd; ++i)
    pattern.push_back(i);
  pattern.push_back(Dim('x'));
  Variable below = T::ge(u.dimshuffle(pattern), cdf).astype(DType::Int64).sum(nd);
  Variable index = T::minimum(below, count - 1);
  Variable result = guarded(index, {nodeOf(p, "choice"), count.node()}, "choice",
                            [=](const DeferredContext &c) {
    std::int64_t weights = c.shapeOf(p)[0];
    std::vector<std::int64_t> k = c.ints(count, "choice", "n");
    if (k[0] != weights)
      throw ValueError("choice: p has " + std::to_string(weights) +
                       " weights for a population of " + std::to_string(k[0]));
  });
  result = checked(result, p, "choice", "the weights p must be >= 0", [](double v) { return v >= 0; });
  return checked(result, count, "choice", empty, nonEmpty);
}

Variable RandomStreams::choice(const ShapeArg &size, const Variable &a, bool replace,
                               const Variable &p) {
  const NodePtr &n = nodeOf(a, "choice");
  if (n->ndim() != 1)
    throw ValueError("choice: the population must be a vector, got " + a.type_string());
  return a[choice(size, Size(a.shape(0)), replace, p)];
}

} // namespace theon
