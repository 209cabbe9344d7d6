// Emission of a front-end graph as one func.func in the theon dialect,
// specialized to concrete shapes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lib/graph.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace theon::detail {

/// (argument, result): the result is the argument's new value, to be
/// written into the argument's buffer (a shared variable's update).
using InPlaceUpdate = std::pair<std::size_t, std::size_t>;

/// Emits `func.func @name(args...) -> (outputs...)`. `shapes` must already
/// know the shape of every argument; every other shape is inferred (and may
/// throw ShapeError naming the variables). Each in-place update marks its
/// argument `{theon.update_result = N}` (see theon-update-in-place).
mlir::OwningOpRef<mlir::ModuleOp> emitModule(mlir::MLIRContext &ctx, const std::string &name,
                                             const std::vector<Node *> &args,
                                             const std::vector<Node *> &outputs,
                                             ShapeInference &shapes,
                                             const std::vector<InPlaceUpdate> &inPlace = {});

} // namespace theon::detail
