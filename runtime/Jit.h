// Compiles a module in the theon dialect to native code for the host CPU and
// calls it. Internal to Theon; sees MLIR.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

namespace llvm {
class MemoryBuffer;
namespace orc {
class LLJIT;
}
} // namespace llvm

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

/// Lowers `module` (theon dialect, consumed) through the whole pipeline and
/// compiles it to a host object file. The object exports
/// `_theon_packed_<name>(void **args)`, which unpacks a pointer per scalar of
/// the lowered signature and calls `name`.
std::unique_ptr<llvm::MemoryBuffer> compileToObject(mlir::ModuleOp module,
                                                    const std::string &functionName,
                                                    StageTimings *timings = nullptr);

/// What compiled code depends on besides the module: the pipelines, LLVM's
/// options, the host CPU and features, and the versions of Theon and LLVM.
/// Part of every disk cache key.
const std::string &compilationFingerprint();

/// Native code for one function, linked from an object file into its own JIT.
class CompiledFunction {
public:
  CompiledFunction(std::unique_ptr<llvm::MemoryBuffer> object, const std::string &functionName);
  ~CompiledFunction();
  /// `args` holds a pointer to each scalar of the lowered signature.
  void call(std::vector<void *> &args) const { entry_(args.data()); }

private:
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  void (*entry_)(void **) = nullptr;
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
