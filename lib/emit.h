// Emission of a front-end graph as one func.func in the theon dialect,
// specialized to concrete shapes. The dialect's shape rules type every op:
// emitting a graph is how its shapes are inferred.
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lib/graph.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace theon::detail {

/// A function emitted for given argument shapes, and the shape of every node
/// it computes.
struct EmittedFunction {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unordered_map<const Node *, Shape> shapes;
  /// What each index site (`theon.index_site`) indexes, for IndexError.
  std::vector<std::string> indexSites;
  /// Index vectors that are inputs of the function, checked before each
  /// call: the input, the size of the axis it indexes, and that axis.
  struct ArgumentIndexCheck {
    const Node *indices;
    std::int64_t size;
    std::string target;
  };
  std::vector<ArgumentIndexCheck> argumentIndexChecks;
  /// Emitted with a dynamic extent (kDynamicExtent in an argument's
  /// shape): the fewest steps for which its indices are in range.
  std::int64_t minLength = 0;
  const Shape &shapeOf(const Node *node) const { return shapes.at(node); }
};

/// Emits `func.func @name(args...) -> (outputs...)` with argument i of shape
/// `argShapes[i]` (kDynamicExtent for an axis a scan steps along, known at
/// run time; what cannot take it throws DynamicExtent). Each op is built through its generated builder and typed
/// by the dialect's rule; a rule that fails throws ShapeError naming the
/// user's variables, a constant index out of range ValueError.
/// With `substitutions` (givens), a replaced node takes its replacement's
/// value.
EmittedFunction emitFunction(mlir::MLIRContext &ctx, const std::string &name,
                             const std::vector<Node *> &args, const std::vector<Shape> &argShapes,
                             const std::vector<Node *> &outputs,
                             const Substitutions *substitutions = nullptr);

/// (argument, result): the result is the argument's new value, to be
/// written into the argument's buffer (a shared variable's update).
using InPlaceUpdate = std::pair<std::size_t, std::size_t>;

/// Marks each in-place update's argument `{theon.update_result = N}` (see
/// theon-update-in-place).
void markInPlaceUpdates(mlir::ModuleOp module, const std::vector<InPlaceUpdate> &inPlace);

/// The shapes of `outputs` for argument shapes `argShapes`, by emitting them
/// in a scratch context.
std::vector<Shape> inferShapes(const std::vector<Node *> &args, const std::vector<Shape> &argShapes,
                               const std::vector<Node *> &outputs);

} // namespace theon::detail
