//===- PassPreconditions.h - checks passes make before rewriting -*- C++ -*-===//
//
// A pass that assumes a form of IR checks it and reports a diagnostic on
// anything else, rather than crashing or writing wrong IR on input that
// theon-opt (or another pass) hands it.
//
//===----------------------------------------------------------------------===//
#ifndef THEON_PASSES_TRANSFORMS_PASSPRECONDITIONS_H
#define THEON_PASSES_TRANSFORMS_PASSPRECONDITIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::theon {

/// The func.return that ends `func`'s only block; an error naming `pass`
/// when the function has several blocks or ends in another terminator.
FailureOr<func::ReturnOp> getSingleReturn(func::FuncOp func, StringRef pass);

/// Whether `func` has a body and an argument marked
/// `{theon.update_result = N}` (a shared variable's update).
bool hasUpdateResults(func::FuncOp func);

} // namespace mlir::theon

#endif // THEON_PASSES_TRANSFORMS_PASSPRECONDITIONS_H
