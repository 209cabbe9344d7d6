#include "lib/graph.h"

#include "mlir/Dialect/Traits.h"

#include <algorithm>
#include <atomic>
#include <unordered_set>

#include "theon/error.h"

namespace theon::detail {

const char *mnemonic(OpKind kind) {
  switch (kind) {
  case OpKind::Input: return "input";
  case OpKind::Constant: return "constant";
  case OpKind::Neg: return "neg";
  case OpKind::Abs: return "abs";
  case OpKind::Sign: return "sign";
  case OpKind::Exp: return "exp";
  case OpKind::Log: return "log";
  case OpKind::Log1p: return "log1p";
  case OpKind::Sqrt: return "sqrt";
  case OpKind::Sin: return "sin";
  case OpKind::Cos: return "cos";
  case OpKind::Tanh: return "tanh";
  case OpKind::Sigmoid: return "sigmoid";
  case OpKind::Softplus: return "softplus";
  case OpKind::Floor: return "floor";
  case OpKind::Ceil: return "ceil";
  case OpKind::Round: return "round";
  case OpKind::Cast: return "cast";
  case OpKind::Add: return "add";
  case OpKind::Sub: return "sub";
  case OpKind::Mul: return "mul";
  case OpKind::Div: return "div";
  case OpKind::Pow: return "pow";
  case OpKind::Maximum: return "maximum";
  case OpKind::Minimum: return "minimum";
  case OpKind::Eq: return "eq";
  case OpKind::Ne: return "ne";
  case OpKind::Lt: return "lt";
  case OpKind::Le: return "le";
  case OpKind::Gt: return "gt";
  case OpKind::Ge: return "ge";
  case OpKind::Select: return "select";
  case OpKind::Dot: return "dot";
  case OpKind::Sum: return "sum";
  case OpKind::Prod: return "prod";
  case OpKind::Max: return "max";
  case OpKind::Min: return "min";
  case OpKind::Mean: return "mean";
  case OpKind::Argmax: return "argmax";
  case OpKind::Argmin: return "argmin";
  case OpKind::Reshape: return "reshape";
  case OpKind::DimShuffle: return "dimshuffle";
  case OpKind::BroadcastTo: return "broadcast_to";
  case OpKind::Take: return "take";
  case OpKind::ExtractDiag: return "extract_diag";
  case OpKind::AllocDiag: return "alloc_diag";
  case OpKind::Shared: return "shared";
  case OpKind::GradGroup: return "grad";
  case OpKind::GradOutput: return "grad";
  }
  return "?";
}

bool isUnary(OpKind k) { return k >= OpKind::Neg && k <= OpKind::Round; }
bool isBinary(OpKind k) { return k >= OpKind::Add && k <= OpKind::Ge; }
bool isReduction(OpKind k) { return k >= OpKind::Sum && k <= OpKind::Mean; }

std::string Node::describe() const {
  if (!name.empty())
    return "'" + name + "'";
  if (kind == OpKind::Constant)
    return "a constant";
  if (kind == OpKind::Input)
    return "an unnamed input";
  if (kind == OpKind::Shared)
    return "an unnamed shared variable";
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

std::vector<Node *> topologicalOrder(const std::vector<Node *> &outputs) {
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
      if (next < node->inputs.size()) {
        Node *child = node->inputs[next++].get();
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

std::optional<Shape> broadcastShapes(const Shape &a, const Shape &b) {
  // The rule the dialect's ops verify with (NumPy's).
  llvm::SmallVector<std::int64_t> out;
  if (!mlir::OpTrait::util::getBroadcastedShape(a, b, out))
    return std::nullopt;
  return Shape(out.begin(), out.end());
}

const Shape &ShapeInference::shapeOf(const Node *node) {
  auto it = shapes_.find(node);
  if (it != shapes_.end())
    return it->second;
  // Inputs first, without recursion.
  std::vector<Node *> order = topologicalOrder({const_cast<Node *>(node)});
  for (Node *n : order)
    if (!shapes_.count(n))
      shapes_[n] = infer(n);
  return shapes_.at(node);
}

namespace {
std::string shapeOfWho(const Shape &s, const Node *n) {
  return shape_to_string(s) + " of " + n->describe();
}
} // namespace

Shape ShapeInference::infer(const Node *node) {
  auto in = [&](std::size_t i) -> const Shape & { return shapes_.at(node->inputs[i].get()); };
  const char *op = mnemonic(node->kind);
  switch (node->kind) {
  case OpKind::Input:
  case OpKind::Shared:
    throw ValueError("internal: no shape given for input " + node->describe());
  case OpKind::GradGroup:
    return {};
  case OpKind::GradOutput:
    return shapes_.at(node->inputs[0]->inputs[1 + static_cast<std::size_t>(node->ints[0])].get());
  case OpKind::Take: {
    // Constant indices are checked here; index arguments at each call.
    // Computed indices are clamped by the compiled code.
    const Node &idx = *node->inputs[1];
    std::int64_t rows = in(0)[0];
    if (idx.kind == OpKind::Constant)
      for (std::int64_t k = 0; k < idx.value->size(); ++k) {
        double i = idx.value->get_flat(k);
        if (i < -static_cast<double>(rows) || i >= static_cast<double>(rows))
          throw ValueError("index " + std::to_string(static_cast<std::int64_t>(i)) +
                           " is out of bounds for axis 0 of " + node->inputs[0]->describe() +
                           " with size " + std::to_string(rows));
      }
    Shape out{in(1)[0]};
    out.insert(out.end(), in(0).begin() + 1, in(0).end());
    return out;
  }
  case OpKind::ExtractDiag:
    return {std::min(in(0)[0], in(0)[1])};
  case OpKind::AllocDiag:
    return {in(0)[0], in(0)[0]};
  case OpKind::Constant:
    return node->value->shape();
  case OpKind::Select: {
    auto ab = broadcastShapes(in(1), in(2));
    auto all = ab ? broadcastShapes(in(0), *ab) : std::nullopt;
    if (!all)
      throw ShapeError(std::string("switch: shapes ") + shapeOfWho(in(0), node->inputs[0].get()) +
                       ", " + shapeOfWho(in(1), node->inputs[1].get()) + " and " +
                       shapeOfWho(in(2), node->inputs[2].get()) + " cannot be broadcast together");
    return *all;
  }
  case OpKind::Dot: {
    const Shape &a = in(0), &b = in(1);
    std::int64_t ka = a.back(), kb = b.size() == 1 ? b[0] : b[0];
    if (ka != kb)
      throw ShapeError("dot: shapes " + shapeOfWho(a, node->inputs[0].get()) + " and " +
                       shapeOfWho(b, node->inputs[1].get()) + " are not aligned: " +
                       std::to_string(ka) + " (dim " + std::to_string(a.size() - 1) +
                       ") != " + std::to_string(kb) + " (dim 0)");
    Shape out;
    if (a.size() == 2)
      out.push_back(a[0]);
    if (b.size() == 2)
      out.push_back(b[1]);
    return out;
  }
  case OpKind::Sum:
  case OpKind::Prod:
  case OpKind::Max:
  case OpKind::Min:
  case OpKind::Mean:
  case OpKind::Argmax:
  case OpKind::Argmin: {
    const Shape &x = in(0);
    Shape out;
    for (std::size_t d = 0; d < x.size(); ++d) {
      bool reduced = std::find(node->ints.begin(), node->ints.end(),
                               static_cast<std::int64_t>(d)) != node->ints.end();
      if (reduced && x[d] == 0 &&
          (node->kind == OpKind::Max || node->kind == OpKind::Min ||
           node->kind == OpKind::Argmax || node->kind == OpKind::Argmin))
        throw ValueError(std::string(op) + ": axis " + std::to_string(d) + " of " +
                         node->inputs[0]->describe() +
                         " has size 0, and the reduction has no identity");
      if (!reduced)
        out.push_back(x[d]);
      else if (node->keepdims)
        out.push_back(1);
    }
    return out;
  }
  case OpKind::Reshape: {
    const Shape &x = in(0);
    std::int64_t total = 1, known = 1;
    for (auto d : x)
      total *= d;
    Shape out(node->ints.begin(), node->ints.end());
    int unknown = -1;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] == -1)
        unknown = static_cast<int>(i);
      else
        known *= out[i];
    }
    if (unknown >= 0 && known != 0 && total % known == 0)
      out[static_cast<std::size_t>(unknown)] = total / known;
    else if (unknown >= 0 && known == 0 && total == 0)
      out[static_cast<std::size_t>(unknown)] = 0;
    std::int64_t got = 1;
    for (auto d : out)
      got *= d;
    if (got != total || (unknown >= 0 && out[static_cast<std::size_t>(unknown)] < 0))
      throw ShapeError("reshape: cannot reshape " + node->inputs[0]->describe() + " of shape " +
                       shape_to_string(x) + " (" + std::to_string(total) +
                       " elements) into shape " +
                       shape_to_string(Shape(node->ints.begin(), node->ints.end())));
    return out;
  }
  case OpKind::DimShuffle: {
    const Shape &x = in(0);
    Shape out;
    for (auto p : node->ints)
      out.push_back(p == kGraphNewAxis ? 1 : x[static_cast<std::size_t>(p)]);
    return out;
  }
  case OpKind::BroadcastTo: {
    Shape target(node->ints.begin(), node->ints.end());
    auto b = broadcastShapes(in(0), target);
    if (!b || *b != target)
      throw ShapeError("broadcast_to: cannot broadcast " + shapeOfWho(in(0), node->inputs[0].get()) +
                       " to shape " + shape_to_string(target));
    return target;
  }
  default:
    break;
  }
  if (isUnary(node->kind) || node->kind == OpKind::Cast)
    return in(0);
  if (isBinary(node->kind)) {
    auto b = broadcastShapes(in(0), in(1));
    if (!b)
      throw ShapeError(std::string(op) + ": shapes " + shapeOfWho(in(0), node->inputs[0].get()) +
                       " and " + shapeOfWho(in(1), node->inputs[1].get()) +
                       " cannot be broadcast together");
    return *b;
  }
  throw ValueError(std::string("internal: no shape rule for ") + op);
}

} // namespace theon::detail
