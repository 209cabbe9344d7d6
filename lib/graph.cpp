#include "lib/graph.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <unordered_set>

#include "theon/error.h"

namespace theon::detail {

const char *mnemonic(OpKind kind) {
  switch (kind) {
  case OpKind::Input: return "input";
  case OpKind::Constant: return "constant";
  case OpKind::Shared: return "shared";
  case OpKind::GradGroup:
  case OpKind::GradOutput: return "grad";
  case OpKind::Deferred: return "deferred";
  case OpKind::ScanArg:
  case OpKind::ScanGroup:
  case OpKind::ScanOutput: return "scan";
#define THEON_OP(Kind, name, OpClass)                                                            \
  case OpKind::Kind:                                                                             \
    return name;
#include "lib/ops.def"
  }
  return "?";
}

const char *apiName(OpKind kind) {
  switch (kind) {
#define THEON_OWN_OP(Kind, mnemonic, OpClass, name)                                              \
  case OpKind::Kind:                                                                             \
    return name;
#include "lib/ops.def"
  default:
    return mnemonic(kind);
  }
}

bool isReduction(OpKind kind) {
  switch (kind) {
#define THEON_REDUCE_OP(Kind, mnemonic, OpClass)                                                 \
  case OpKind::Kind:                                                                             \
    return true;
#include "lib/ops.def"
  default:
    return false;
  }
}

std::string Node::describe() const {
  if (!name.empty())
    return "'" + name + "'";
  if (kind == OpKind::Constant)
    return "a constant";
  if (kind == OpKind::Input)
    return "an unnamed input";
  if (kind == OpKind::Shared)
    return "an unnamed shared variable";
  if (kind == OpKind::Deferred && deferredOp)
    return std::string("the result of ") + deferredOp;
  return std::string("the result of ") + mnemonic(kind);
}

NodePtr makeNode(OpKind kind, std::vector<NodePtr> inputs, DType dtype,
                 std::vector<bool> broadcastable) {
  static std::atomic<std::uint64_t> nextId{0};
  auto node = std::make_shared<Node>();
  node->kind = kind;
  node->inputs = std::move(inputs);
  node->dtype = dtype;
  node->broadcastable = std::move(broadcastable);
  node->id = nextId++;
  return node;
}

std::vector<Node *> topologicalOrder(const std::vector<Node *> &outputs,
                                     const Substitutions *substitutions) {
  std::vector<Node *> order;
  std::unordered_set<Node *> seen;
  // Iterative DFS: graphs from training loops can be deep.
  std::vector<std::pair<Node *, std::size_t>> stack;
  for (Node *root : outputs) {
    if (!seen.insert(root).second)
      continue;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto &[node, next] = stack.back();
      Node *replacement = nullptr;
      if (substitutions)
        if (auto it = substitutions->find(node); it != substitutions->end())
          replacement = it->second;
      if (replacement ? next == 0 : next < node->inputs.size()) {
        Node *child = replacement ? replacement : node->inputs[next].get();
        ++next;
        if (seen.insert(child).second)
          stack.push_back({child, 0});
        continue;
      }
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;
}

NodePtr makeDeferred(const char *op, std::vector<NodePtr> inputs, DType dtype,
                     std::vector<bool> broadcastable, Expansion expand) {
  NodePtr node = makeNode(OpKind::Deferred, std::move(inputs), dtype, std::move(broadcastable));
  node->deferredOp = op;
  node->expand = std::make_shared<const Expansion>(std::move(expand));
  return node;
}

std::vector<std::int64_t> DeferredContext::ints(const Variable &v, const std::string &op,
                                                const std::string &what) const {
  std::optional<std::vector<double>> values = tryValues(v);
  if (!values) {
    std::string input;
    for (Node *n : topologicalOrder({v.node().get()}))
      if (n->kind == OpKind::Input || n->kind == OpKind::Shared) {
        input = n->describe();
        break;
      }
    throw ValueError(op + ": " + what + " must be known when the function is compiled: "
                     "computed from shapes (x.shape()) and constants, but it depends on the "
                     "value of " + (input.empty() ? v.node()->describe() : input));
  }
  std::vector<std::int64_t> out;
  for (double d : *values) {
    if (d != std::floor(d) || std::abs(d) > 9.0e15)
      throw ValueError(op + ": " + what + " must be integers, got " + std::to_string(d));
    out.push_back(static_cast<std::int64_t>(d));
  }
  return out;
}

} // namespace theon::detail
