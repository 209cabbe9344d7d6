// Advanced indexing (integer arrays and boolean masks, mixed with basic
// items) as compositions of theon.take and theon.scatter_add over the
// indexed axes flattened into one: x[i, :, j] gathers rows of a reshaped,
// transposed x at flat positions i * n_j + j. Each array is normalized and
// bounds-checked per axis by a take from arange(n).
#include <algorithm>
#include <numeric>

#include "lib/tensor_impl.h"
#include "theon/error.h"

namespace theon {
using namespace detail;
namespace T = theon::tensor;

namespace {

/// What set/inc_subtensor need of an advanced index: the indexed tensor
/// and the items.
struct AdvancedIndex {
  Variable x;
  std::vector<Index> items;
};

Variable int64Range(std::int64_t n) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return T::constant(Array::from_vector(v, {n}));
}

bool isMask(const Index &item) {
  return item.kind() == Index::Kind::Array && item.array()->dtype == DType::Bool;
}

/// The items split into a basic index applied first (arrays and, when
/// arrays are present, integers replaced by whole slices) and the arrays
/// that then index axes of its result, as NumPy does.
struct Plan {
  std::vector<Index> basic;
  std::vector<int> advancedAxes;    // axes of x.subtensor(basic), in item order
  std::vector<int> xAxes;           // the same axes of x, for messages
  std::vector<Variable> arrays;     // integers as 0-d int64 constants
  bool adjacent = true;             // the advanced items are consecutive
  bool trivialBasic = true;         // basic is whole slices only
};

Plan planOf(const AdvancedIndex &a) {
  Plan p;
  int yAxis = 0, xAxis = 0, lastAdvancedItem = -1;
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    const Index &item = a.items[i];
    bool advanced = item.kind() == Index::Kind::Integer || item.kind() == Index::Kind::Array;
    if (advanced) {
      if (lastAdvancedItem >= 0 && lastAdvancedItem + 1 != static_cast<int>(i))
        p.adjacent = false;
      lastAdvancedItem = static_cast<int>(i);
      p.basic.push_back(T::_);
      p.advancedAxes.push_back(yAxis);
      p.xAxes.push_back(xAxis);
      p.arrays.push_back(item.kind() == Index::Kind::Integer
                             ? T::constant(static_cast<double>(item.integer()), DType::Int64)
                             : wrap(item.array()));
    } else {
      p.basic.push_back(item);
      const Slice &s = item.slice();
      if (item.kind() == Index::Kind::NewAxis || s.start || s.stop || (s.step && *s.step != 1))
        p.trivialBasic = false;
    }
    ++yAxis;
    if (item.kind() != Index::Kind::NewAxis)
      ++xAxis;
  }
  return p;
}

/// The gather common to reads and updates: y = x.subtensor(basic) with its
/// advanced axes moved to the front and joined into one axis of `rows`
/// elements, and the flat, checked position of every index.
struct Gather {
  Plan plan;
  Variable y;                 // x after the basic items
  std::vector<int> perm;      // advanced axes of y first
  Shape yShape, joinedShape;  // y's; [rows, rest...]
  Variable joined;            // y transposed and reshaped to joinedShape
  Shape broadcast;            // the index arrays' broadcast shape
  Variable flat;              // int64 vector of prod(broadcast) positions
  Shape rest;                 // y's other axes
  std::size_t restBefore = 0; // rest axes that precede the advanced ones in the result
};

Gather gatherOf(const AdvancedIndex &a, const DeferredContext &c) {
  Gather g;
  g.plan = planOf(a);
  const Plan &p = g.plan;
  g.y = p.trivialBasic ? a.x : a.x.subtensor(p.basic);
  g.yShape = c.shapeOf(g.y);
  std::vector<bool> isAdvanced(g.yShape.size(), false);
  for (int axis : p.advancedAxes) {
    g.perm.push_back(axis);
    isAdvanced[static_cast<std::size_t>(axis)] = true;
  }
  for (std::size_t d = 0; d < g.yShape.size(); ++d)
    if (!isAdvanced[d]) {
      g.perm.push_back(static_cast<int>(d));
      g.rest.push_back(g.yShape[d]);
      if (static_cast<int>(d) < p.advancedAxes.front())
        ++g.restBefore;
    }
  if (!p.adjacent)
    g.restBefore = 0; // NumPy: separated advanced indices put their axes first

  std::vector<Shape> indexShapes;
  for (const Variable &array : p.arrays)
    indexShapes.push_back(c.shapeOf(array));
  std::optional<Shape> broadcast = broadcastShapes(indexShapes);
  if (!broadcast) {
    std::string all;
    for (const Shape &t : indexShapes)
      all += (all.empty() ? "" : " ") + shape_to_string(t);
    throw IndexError("indexing " + a.x.node()->describe() +
                     ": the index arrays do not broadcast together, shapes " + all);
  }
  g.broadcast = *broadcast;

  // Each array normalized (negative from the end) and checked against its
  // axis by a take from arange(n), then combined as x's strides would.
  Variable flat;
  for (std::size_t k = 0; k < p.arrays.size(); ++k) {
    std::int64_t n = g.yShape[static_cast<std::size_t>(p.advancedAxes[k])];
    Variable take = T::take(int64Range(n), reshapeStatic(p.arrays[k], {-1}));
    take.node()->indexTarget = "axis " + std::to_string(p.xAxes[k]) + " of " + a.x.node()->describe();
    Variable w = reshapeStatic(take, indexShapes[k]);
    flat = k == 0 ? w : T::add(T::mul(flat, T::constant(static_cast<double>(n), DType::Int64)), w);
  }
  g.flat = reshapeStatic(T::add(flat, T::zeros(g.broadcast, DType::Int64)), {-1});

  std::int64_t rows = 1;
  for (int axis : p.advancedAxes)
    rows *= g.yShape[static_cast<std::size_t>(axis)];
  g.joinedShape = {rows};
  g.joinedShape.insert(g.joinedShape.end(), g.rest.begin(), g.rest.end());
  g.joined = reshapeStatic(T::transpose(g.y, g.perm), g.joinedShape);
  return g;
}

/// The result's axes are [broadcast..., rest...] after the gather; NumPy
/// puts the broadcast axes after the first `restBefore` rest axes.
std::vector<int> resultOrder(const Gather &g) {
  int b = static_cast<int>(g.broadcast.size());
  std::vector<int> order;
  for (std::size_t i = 0; i < g.restBefore; ++i)
    order.push_back(b + static_cast<int>(i));
  for (int i = 0; i < b; ++i)
    order.push_back(i);
  for (std::size_t i = g.restBefore; i < g.rest.size(); ++i)
    order.push_back(b + static_cast<int>(i));
  return order;
}

std::vector<int> inverse(const std::vector<int> &perm) {
  std::vector<int> inv(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i)
    inv[static_cast<std::size_t>(perm[i])] = static_cast<int>(i);
  return inv;
}

/// x[arange(n), y] on a matrix: the seed's diag(x.T[y]), which
/// theon-stabilize turns into one element per row.
std::optional<Variable> perRowTake(const AdvancedIndex &a, const DeferredContext &c) {
  if (a.items.size() != 2 || a.x.ndim() != 2)
    return std::nullopt;
  for (const Index &item : a.items)
    if (item.kind() != Index::Kind::Array || !is_integer(item.array()->dtype) ||
        item.array()->ndim() != 1)
      return std::nullopt;
  Variable rows = wrap(a.items[0].array()), cols = wrap(a.items[1].array());
  std::int64_t n = c.shapeOf(a.x)[0];
  if (c.shapeOf(cols) != Shape{n} || c.shapeOf(rows) != Shape{n})
    return std::nullopt;
  auto values = c.tryValues(rows);
  if (!values)
    return std::nullopt;
  for (std::int64_t i = 0; i < n; ++i)
    if ((*values)[static_cast<std::size_t>(i)] != static_cast<double>(i))
      return std::nullopt;
  Variable take = T::take(T::transpose(a.x), cols);
  take.node()->indexTarget = "axis 1 of " + a.x.node()->describe();
  return T::diag(take);
}

Variable gatherRead(const AdvancedIndex &a, const DeferredContext &c) {
  if (auto perRow = perRowTake(a, c))
    return *perRow;
  Gather g = gatherOf(a, c);
  Variable taken = T::take(g.joined, g.flat);
  Shape shape = g.broadcast;
  shape.insert(shape.end(), g.rest.begin(), g.rest.end());
  Variable r = reshapeStatic(taken, shape);
  std::vector<int> order = resultOrder(g);
  return std::is_sorted(order.begin(), order.end()) ? r : T::transpose(r, order);
}

/// Broadcast `v` (x's dtype) over a boolean mask's selected elements.
Variable maskUpdate(const AdvancedIndex &a, const Variable &v, bool set, const DeferredContext &c) {
  const Variable &mask = wrap(a.items[0].array());
  Shape xs = c.shapeOf(a.x), ms = c.shapeOf(mask);
  if (ms.size() > xs.size() || !std::equal(ms.begin(), ms.end(), xs.begin()))
    throw IndexError("boolean index of shape " + shape_to_string(ms) + " does not match " +
                     a.x.node()->describe() + " of shape " + shape_to_string(xs));
  std::vector<Dim> pattern;
  for (std::size_t d = 0; d < ms.size(); ++d)
    pattern.push_back(Dim(static_cast<int>(d)));
  for (std::size_t d = ms.size(); d < xs.size(); ++d)
    pattern.push_back(Dim('x'));
  Variable m = T::dimshuffle(mask, pattern);
  Variable vx = T::cast(v, a.x.dtype());
  return T::switch_(m, set ? vx : T::add(a.x, vx), a.x);
}

Variable gatherUpdate(const AdvancedIndex &a, const Variable &v, bool set, const char *fn,
                      const DeferredContext &c) {
  Gather g = gatherOf(a, c);
  // v in the read's layout, then in the gather's [broadcast..., rest...].
  Shape readShape;
  std::vector<int> order = resultOrder(g);
  Shape gatherShape = g.broadcast;
  gatherShape.insert(gatherShape.end(), g.rest.begin(), g.rest.end());
  for (int axis : order)
    readShape.push_back(gatherShape[static_cast<std::size_t>(axis)]);
  Shape vs = c.shapeOf(v);
  if (vs.size() > readShape.size())
    throw ShapeError(std::string(fn) + ": the values have shape " + shape_to_string(vs) +
                     ", more dimensions than the indexed elements' " + shape_to_string(readShape));
  Variable vb = broadcastToStatic(T::cast(v, a.x.dtype()), readShape);
  if (!std::is_sorted(order.begin(), order.end()))
    vb = T::transpose(vb, inverse(order));
  std::int64_t count = numElements(g.broadcast);
  Shape updatesShape{count};
  updatesShape.insert(updatesShape.end(), g.rest.begin(), g.rest.end());
  Variable updates = reshapeStatic(vb, updatesShape);

  auto scatter = [&](const Variable &base, const Variable &idx, const Variable &upd, bool setMode) {
    NodePtr node = makeNode(OpKind::ScatterAdd, {base.node(), idx.node(), upd.node()},
                            base.dtype(), base.broadcastable());
    node->keepdims = setMode;
    return wrap(node);
  };
  Variable joined = g.joined;
  Variable updated;
  if (!set) {
    updated = scatter(joined, g.flat, updates, false);
  } else {
    // The last update of a repeated position wins, as NumPy's x[idx] = v:
    // the position of each row's last writer, then only the winners added
    // into x with the written rows cleared.
    std::int64_t rows = g.joinedShape[0];
    Variable order64 = int64Range(count);
    Variable writer = scatter(T::full(Shape{rows}, -1, DType::Int64), g.flat, order64, true);
    Variable winner = T::eq(T::take(writer, g.flat), order64);
    Variable written = T::ge(writer, 0);
    std::vector<Dim> rowPattern{Dim(0)};
    for (std::size_t d = 0; d < g.rest.size(); ++d)
      rowPattern.push_back(Dim('x'));
    Variable zero = T::constant(0, a.x.dtype());
    Variable cleared = T::switch_(T::dimshuffle(written, rowPattern), zero, joined);
    Variable kept = T::switch_(T::dimshuffle(winner, rowPattern), updates, zero);
    updated = scatter(cleared, g.flat, kept, false);
  }
  Shape transposed;
  for (int axis : g.perm)
    transposed.push_back(g.yShape[static_cast<std::size_t>(axis)]);
  Variable y = T::transpose(reshapeStatic(updated, transposed), inverse(g.perm));
  if (g.plan.trivialBasic)
    return y;
  return T::set_subtensor(a.x.subtensor(g.plan.basic), y);
}

} // namespace

Variable detail::advancedSubtensor(const Variable &x, const std::vector<Index> &items) {
  const NodePtr &n = nodeOf(x, "subtensor");
  std::vector<NodePtr> inputs{n};
  int consumed = 0, basicAxes = 0, broadcastRank = 0, masks = 0;
  for (const Index &item : items) {
    switch (item.kind()) {
    case Index::Kind::NewAxis:
      ++basicAxes;
      continue;
    case Index::Kind::Slice:
      ++basicAxes;
      ++consumed;
      break;
    case Index::Kind::Integer:
      ++consumed;
      break;
    case Index::Kind::Array: {
      const NodePtr &arr = item.array(); // never null (Index checks)
      inputs.push_back(arr);
      if (arr->dtype == DType::Bool) {
        ++masks;
        consumed += arr->ndim(); // a 0-d mask (x[True]) indexes no axis
        broadcastRank = std::max(broadcastRank, 1);
        break;
      }
      if (!is_integer(arr->dtype))
        throw TypeError("indexing " + n->describe() + ": index arrays must be integers or "
                         "booleans, got " + Variable(arr).type_string() + " (" + arr->describe() +
                         ")");
      ++consumed;
      broadcastRank = std::max(broadcastRank, arr->ndim());
      break;
    }
    }
  }
  if (consumed > n->ndim())
    throw IndexError("subtensor: too many indices for " + n->describe() + ": " +
                     std::to_string(consumed) + " for a " + std::to_string(n->ndim()) + "-d tensor");
  if (masks > 0 && (masks > 1 || items.size() != 1))
    throw IndexError("indexing " + n->describe() + ": a boolean mask must be the only index "
                     "item (x[mask])");
  int rank = basicAxes + broadcastRank + (n->ndim() - consumed);
  auto payload = std::make_shared<AdvancedIndex>(AdvancedIndex{x, items});
  NodePtr node = makeDeferred(
      "advanced_subtensor", inputs, n->dtype, std::vector<bool>(static_cast<std::size_t>(rank), false),
      [payload](const DeferredContext &c) {
        if (isMask(payload->items[0]))
          throw ValueError(
              "x[mask] with a boolean mask has a shape that depends on the mask's values, and "
              "Theon compiles static shapes: use T::switch_(mask, x, 0), or the mask in "
              "set_subtensor / inc_subtensor (" + payload->x.node()->describe() + ")");
        return gatherRead(*payload, c);
      });
  node->payload = payload;
  return wrap(node);
}

Variable detail::advancedUpdate(const Node &subtensor, const Variable &v, bool set, const char *fn) {
  auto payload = std::static_pointer_cast<const AdvancedIndex>(subtensor.payload);
  const NodePtr &x = payload->x.node();
  const NodePtr &nv = nodeOf(v, fn);
  if (x->dtype == DType::Bool && !isMask(payload->items[0]))
    throw TypeError(std::string(fn) + ": " + x->describe() +
                    " is bool; index it with integer arrays only when it is numeric");
  for (const Index &item : payload->items)
    if (item.kind() == Index::Kind::NewAxis)
      throw ValueError(std::string(fn) + ": the index of " + x->describe() +
                       " has a new axis; index without T::newaxis");
  if (nv->ndim() > subtensor.ndim())
    throw ShapeError(std::string(fn) + ": the values have " + std::to_string(nv->ndim()) +
                     " dimensions, more than the indexed elements' " +
                     std::to_string(subtensor.ndim()));
  std::vector<NodePtr> inputs = subtensor.inputs;
  inputs.push_back(nv);
  return wrap(makeDeferred(set ? "set_subtensor" : "inc_subtensor", inputs, x->dtype,
                           x->broadcastable, [payload, v, set, fn](const DeferredContext &c) {
                             if (isMask(payload->items[0]))
                               return maskUpdate(*payload, v, set, c);
                             return gatherUpdate(*payload, v, set, fn, c);
                           }));
}

Index::Index(const Variable &array) : kind_(Kind::Array), array_(array.node()) {
  if (array.is_null())
    throw ValueError("index: got a null Variable");
}

} // namespace theon
