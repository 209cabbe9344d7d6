// The front end's expression graph. Deliberately thin: an op kind, attributes
// and inputs per node; all optimization happens in MLIR.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "theon/array.h"
#include "theon/variable.h"

namespace theon::detail {

enum class OpKind {
  Input,
  Constant,
  // Unary elementwise.
  Neg, Abs, Sign, Exp, Log, Log1p, Sqrt, Sin, Cos, Tanh, Sigmoid, Softplus, Floor, Ceil, Round,
  Cast,
  // Binary elementwise with broadcasting.
  Add, Sub, Mul, Div, Pow, Maximum, Minimum,
  Eq, Ne, Lt, Le, Gt, Ge,
  Select,
  Dot,
  // Reductions.
  Sum, Prod, Max, Min, Mean, Argmax, Argmin,
  // Shape ops.
  Reshape, DimShuffle, BroadcastTo,
  // Indexing.
  Take, ExtractDiag, AllocDiag,
  // A shared variable: a function argument whose value lives in `storage`.
  Shared,
  // One theano.grad call: inputs are the cost then every wrt. GradOutput i
  // (ints = {i}) is the gradient for wrt i.
  GradGroup, GradOutput,
};

/// The op's mnemonic in the theon dialect ("add" for theon.add).
const char *mnemonic(OpKind kind);
bool isUnary(OpKind kind);
bool isBinary(OpKind kind); // broadcasting ops with two operands
bool isReduction(OpKind kind); // sum prod max min mean

/// A new axis ('x') in a DimShuffle node's pattern, as in theon.dimshuffle.
constexpr std::int64_t kGraphNewAxis = -1;

struct Node {
  OpKind kind;
  std::vector<std::shared_ptr<Node>> inputs;
  DType dtype;
  std::vector<bool> broadcastable;
  std::string name;
  std::uint64_t id; // creation order, unique in the process

  // Attributes; which are meaningful depends on kind.
  std::vector<std::int64_t> ints; // reduce axes, dimshuffle pattern, target shape
  bool keepdims = false;
  std::optional<Array> value;      // Constant
  std::shared_ptr<Array> storage;  // Shared: the current value

  int ndim() const { return static_cast<int>(broadcastable.size()); }
  /// "'W'" or "the result of add" for messages.
  std::string describe() const;
};

using NodePtr = std::shared_ptr<Node>;

NodePtr makeNode(OpKind kind, std::vector<NodePtr> inputs, DType dtype,
                 std::vector<bool> broadcastable);

/// Every node `outputs` depend on, inputs before users (post-order).
std::vector<Node *> topologicalOrder(const std::vector<Node *> &outputs);

/// Concrete shapes of every node for given shapes of the inputs; throws
/// ShapeError naming the variables when they do not fit.
class ShapeInference {
public:
  const Shape &shapeOf(const Node *node);
  void setInputShape(const Node *node, Shape shape) { shapes_[node] = std::move(shape); }

private:
  Shape infer(const Node *node);
  struct Hash {
    std::size_t operator()(const Node *n) const { return std::hash<const void *>()(n); }
  };
  std::unordered_map<const Node *, Shape, Hash> shapes_;
};

/// NumPy broadcasting of two concrete shapes; nullopt when they do not fit.
std::optional<Shape> broadcastShapes(const Shape &a, const Shape &b);

} // namespace theon::detail
