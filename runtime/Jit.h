// Compiles a module in the theon dialect to native code for the host CPU and
// calls it. Internal to Theon; sees MLIR.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

namespace mlir {
class ExecutionEngine;
}

namespace theon::runtime {

/// Stages of the CPU pipeline, in order.
enum class Stage { Theon, Linalg, Loops, LLVM, LLVMIR };
/// Parses "theon", "linalg", "loops", "llvm", "llvmir"; throws ValueError.
Stage stageFromName(const std::string &name);

/// A context with every dialect and translation the pipeline needs.
std::unique_ptr<mlir::MLIRContext> makeContext();

/// Wall time of each named compilation step, in milliseconds.
using StageTimings = std::vector<std::pair<std::string, double>>;

/// Runs the pipeline on `module` in place up to and including `stage`
/// (Stage::LLVMIR means Stage::LLVM), adding each stage's time to `timings`
/// when given. Throws CompileError with the diagnostics on failure.
void lowerTo(mlir::ModuleOp module, Stage stage, StageTimings *timings = nullptr);

/// The text of `stage` for a module in the theon dialect (printed as given).
std::string stageText(const std::string &theonModule, Stage stage);

/// Native code for one function with the packed calling convention.
class CompiledFunction {
public:
  /// Lowers `module` (theon dialect, consumed) and JIT-compiles it.
  CompiledFunction(mlir::ModuleOp module, const std::string &functionName);
  ~CompiledFunction();
  /// `args` holds a pointer to each scalar of the lowered signature.
  void call(std::vector<void *> &args) const;
  /// How long lowering and JIT compilation took, stage by stage.
  const StageTimings &timings() const { return timings_; }

private:
  std::unique_ptr<mlir::ExecutionEngine> engine_;
  void (*entry_)(void **) = nullptr;
  StageTimings timings_;
};

/// A memref descriptor's fields as the LLVM lowering expands them:
/// allocated, aligned, offset, sizes[rank], strides[rank].
struct MemrefArg {
  MemrefArg(void *data, const std::vector<std::int64_t> &shape);
  void appendTo(std::vector<void *> &args);
  void *allocated;
  void *aligned;
  std::int64_t offset = 0;
  std::vector<std::int64_t> sizesAndStrides;
};

} // namespace theon::runtime
