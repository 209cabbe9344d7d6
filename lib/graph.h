// The front end's expression graph. Deliberately thin: an op kind, attributes
// and inputs per node; all optimization happens in MLIR.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "theon/array.h"
#include "theon/error.h"
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
  // A value built once shapes are known (see DeferredContext): x.shape(),
  // sizes given as variables, advanced indexing.
  Deferred,
  // theon::scan: ScanArg is a step variable (a sequence's row or a state's
  // previous value), valid only inside its step; ScanGroup is the loop
  // (inputs: the sequences, the states' initial values, then every outside
  // value the step reads; payload: its ScanBody); ScanOutput i (ints = {i})
  // is result i of the loop.
  ScanArg, ScanGroup, ScanOutput,
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

/// A Random node's distribution (ints[0]; the shape follows): the values of
/// the dialect's Distribution enum, which the emitter checks.
enum class RandomDistribution : std::int64_t { Uniform = 0, Normal = 1 };

class DeferredContext;
struct DeviceValue; // lib/device.cpp
/// Builds a Deferred node's value from nodes that exist already, once the
/// shapes of the function being compiled are known.
using Expansion = std::function<Variable(const DeferredContext &)>;

struct Node : std::enable_shared_from_this<Node> {
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
  /// Shared: the current value; with a device copy newer than it (after a
  /// GPU call updated it) it has the right shape and stale contents, and
  /// readers call syncToHost (lib/device.h) first.
  std::shared_ptr<Array> storage;
  /// Shared: the value in device memory, once a GPU function used it.
  std::shared_ptr<DeviceValue> deviceValue;
  /// Shared: Theano's default_update, the new value every function that
  /// reads the variable gives it unless its updates say otherwise; built
  /// per function from the variable (a stored expression of the variable
  /// would be a reference cycle).
  std::function<Variable(const Variable &self)> defaultUpdate;
  /// Deferred: what builds the value; `deferredOp` names it in messages
  /// ("arange", "advanced_subtensor"), and `payload` keeps what
  /// set_subtensor needs to rebuild an advanced index.
  std::shared_ptr<const Expansion> expand;
  const char *deferredOp = nullptr;
  std::shared_ptr<const void> payload;
  /// Take: what the index indexes, for IndexError when it is not input 0's
  /// axis 0 ("axis 1 of 'p'").
  std::string indexTarget;
  /// Shared: guards `storage`. get_value and calls that only read the
  /// variable hold it shared; set_value and calls that update it, exclusive.
  /// Calls take the locks of their variables in `id` order.
  mutable std::shared_mutex valueMutex;

  int ndim() const { return static_cast<int>(broadcastable.size()); }
  /// "'W'" or "the result of add" for messages.
  std::string describe() const;
};

/// Conv2d's ints[0]: how its padding is given (Theano's border_mode).
/// "valid" and integer pads are explicit; "full" and "half" depend on the
/// filters' shape, known when the function is compiled.
enum ConvBorder : std::int64_t { kBorderExplicit = 0, kBorderFull = 1, kBorderHalf = 2 };

using NodePtr = std::shared_ptr<Node>;

/// A ScanGroup node's step (its payload): the step variables (a row of each
/// sequence slice, then each state), and what the step yields (each
/// state's new value, then each output). The loop's inputs are the
/// sequence slices, the states' initial values and the captured outside
/// values, in that order; ints are {sequences, states, n_steps or -1}.
struct ScanBody {
  std::vector<NodePtr> arguments;
  std::vector<NodePtr> yields;
};

NodePtr makeNode(OpKind kind, std::vector<NodePtr> inputs, DType dtype,
                 std::vector<bool> broadcastable);

/// A function's givens: each key node stands for its replacement.
using Substitutions = std::unordered_map<const Node *, Node *>;

/// Every node `outputs` depend on, inputs before users (post-order). With
/// `substitutions`, a replaced node depends on its replacement instead of
/// its inputs.
std::vector<Node *> topologicalOrder(const std::vector<Node *> &outputs,
                                     const Substitutions *substitutions = nullptr);

/// What a Deferred node's expansion may ask while a function is compiled:
/// the shape of any node it depends on, and the values of integer
/// expressions computable from shapes and constants.
class DeferredContext {
public:
  virtual ~DeferredContext() = default;
  /// Throws DynamicExtent when the shape has an extent known only at run
  /// time (a scan's number of steps, see extent()).
  virtual Shape shapeOf(const Variable &v) const = 0;
  /// The extent of one axis (0 <= axis < ndim): only that axis need be
  /// static.
  virtual std::int64_t extent(const Variable &v, int axis) const {
    return shapeOf(v)[static_cast<std::size_t>(axis)];
  }
  /// The flat values of `v` if they are known when compiling (constants,
  /// shapes, and arithmetic, indexing and joins of those), else nullopt.
  virtual std::optional<std::vector<double>> tryValues(const Variable &v) const = 0;
  /// tryValues as integers, or ValueError naming `op` and `what`.
  std::vector<std::int64_t> ints(const Variable &v, const std::string &op,
                                 const std::string &what) const;
};

/// The extent of an axis known only at run time in a function compiled for
/// every sequence length (MLIR's ShapedType::kDynamic).
constexpr std::int64_t kDynamicExtent = std::numeric_limits<std::int64_t>::min();
inline bool hasDynamicExtent(const Shape &shape) {
  return std::find(shape.begin(), shape.end(), kDynamicExtent) != shape.end();
}

/// Thrown while a function is emitted with a dynamic extent when something
/// needs that extent as a number, or an op does not take it: the function
/// is then compiled for the call's shapes instead.
class DynamicExtent : public Error {
public:
  explicit DynamicExtent(const std::string &what) : Error(what) {}
};

/// A Deferred node of `dtype` and pattern that depends on `inputs`.
NodePtr makeDeferred(const char *op, std::vector<NodePtr> inputs, DType dtype,
                     std::vector<bool> broadcastable, Expansion expand);

} // namespace theon::detail
