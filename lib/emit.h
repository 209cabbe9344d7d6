// Emission of a front-end graph as one func.func in the theon dialect,
// specialized to concrete shapes.
#pragma once

#include <string>
#include <vector>

#include "lib/graph.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace theon::detail {

/// Emits `func.func @name(args...) -> (outputs...)`. `shapes` must already
/// know the shape of every argument; every other shape is inferred (and may
/// throw ShapeError naming the variables).
mlir::OwningOpRef<mlir::ModuleOp> emitModule(mlir::MLIRContext &ctx, const std::string &name,
                                             const std::vector<Node *> &args,
                                             const std::vector<Node *> &outputs,
                                             ShapeInference &shapes);

} // namespace theon::detail
