// What the tensor API's source files share: builders that take sizes known
// at graph construction, and the Deferred compositions (lib/shapes.cpp,
// lib/advanced_indexing.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "lib/graph.h"
#include "theon/tensor.h"

namespace theon::detail {

/// v's node, or ValueError naming `op` when v is null.
const NodePtr &nodeOf(const Variable &v, const char *op);
inline Variable wrap(NodePtr node) { return Variable(std::move(node)); }

/// `axis` of x in [0, ndim), negative counting from the end, or ValueError.
int normalizeAxis(int axis, int ndim, const char *op, const Node &x);
/// Each of `axes` normalized, in the given order; a repeated axis is a
/// ValueError.
std::vector<int> normalizeAxes(const std::vector<int> &axes, const Node &x, const char *op);
/// NumPy's broadcast of `shapes`, or nullopt when they do not broadcast.
std::optional<Shape> broadcastShapes(const std::vector<Shape> &shapes);
inline std::int64_t numElements(const Shape &s) {
  std::int64_t n = 1;
  for (auto d : s)
    n *= d;
  return n;
}

Variable reshapeStatic(const Variable &x, std::vector<std::int64_t> shape);
Variable broadcastToStatic(const Variable &x, std::vector<std::int64_t> shape);
/// A shape argument as an int64 vector variable, and the broadcastable
/// pattern it implies (sizes given as the number 1); TypeError naming `op`
/// for a size that is not an integer scalar.
struct ShapeVector {
  Variable vector;
  std::vector<bool> flags;
};
ShapeVector shapeVector(const ShapeArg &shape, const char *op);
/// `result`, with `check` run when the function is compiled (when shapes,
/// and the values computable from them, are known); `deps` are the nodes
/// `check` reads. A Deferred node named `op`.
Variable guarded(const Variable &result, std::vector<NodePtr> deps, const char *op,
                 std::function<void(const DeferredContext &)> check);
/// reshape and broadcast_to with sizes that are variables: Deferred nodes.
Variable reshapeSymbolic(const Variable &x, const ShapeArg &shape);
Variable broadcastToSymbolic(const Variable &x, const ShapeArg &shape);

/// x indexed by items of which at least one is an array (advanced
/// indexing); a Deferred node whose payload set/inc_subtensor reuse.
Variable advancedSubtensor(const Variable &x, const std::vector<Index> &items);
/// set_subtensor / inc_subtensor of an advancedSubtensor result.
Variable advancedUpdate(const Node &subtensor, const Variable &v, bool set, const char *fn);

} // namespace theon::detail
