// The front end's expression graph. Deliberately thin: an op kind, attributes
// and inputs per node; all optimization happens in MLIR.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <optional>
#include <string>
#include <vector>

#include "theon/array.h"
#include "theon/variable.h"

namespace theon::detail {

enum class OpKind {
  Input,
  Constant,
  // A shared variable: a function argument whose value lives in `storage`.
  Shared,
  // One theano.grad call: inputs are the cost then every wrt. GradOutput i
  // (ints = {i}) is the gradient for wrt i.
  GradGroup, GradOutput,
  // The dialect's ops, from the op table.
#define THEON_OP(Kind, mnemonic, OpClass) Kind,
#include "lib/ops.def"
};

/// The op's mnemonic in the theon dialect ("add" for theon.add).
const char *mnemonic(OpKind kind);
/// The name messages use: Theano's where it differs ("switch" for select).
const char *apiName(OpKind kind);
bool isReduction(OpKind kind); // sum prod max min mean

/// A new axis ('x') in a DimShuffle node's pattern, as in theon.dimshuffle.
constexpr std::int64_t kGraphNewAxis = -1;

/// A Subtensor or UpdateSubtensor node's index items, four ints each in
/// Node::ints: {kind, a, b, c}: an integer a; a slice a:b:c (kSliceOmitted
/// for an omitted bound); a new axis. UpdateSubtensor: keepdims means set.
constexpr std::int64_t kIndexInteger = 0;
constexpr std::int64_t kIndexSlice = 1;
constexpr std::int64_t kIndexNewAxis = 2;
constexpr std::int64_t kSliceOmitted = INT64_MIN;

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
  /// Shared: guards `storage`. get_value and calls that only read the
  /// variable hold it shared; set_value and calls that update it, exclusive.
  /// Calls take the locks of their variables in `id` order.
  mutable std::shared_mutex valueMutex;

  int ndim() const { return static_cast<int>(broadcastable.size()); }
  /// "'W'" or "the result of add" for messages.
  std::string describe() const;
};

using NodePtr = std::shared_ptr<Node>;

NodePtr makeNode(OpKind kind, std::vector<NodePtr> inputs, DType dtype,
                 std::vector<bool> broadcastable);

/// Every node `outputs` depend on, inputs before users (post-order).
std::vector<Node *> topologicalOrder(const std::vector<Node *> &outputs);

} // namespace theon::detail
