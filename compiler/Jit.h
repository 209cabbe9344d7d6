// Compiles a module in the theon dialect to native code for the host CPU and
// calls it. Internal to Theon; sees MLIR.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "passes/Pipelines/Pipelines.h"

namespace llvm {
class MemoryBuffer;
namespace orc {
class LLJIT;
}
} // namespace llvm

namespace theon::runtime {

/// Collects an MLIR context's diagnostics while alive, so that a failure
/// becomes a theon::Error after MLIR returns (never thrown through MLIR's
/// callbacks).
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext &ctx);
  std::string messages;

private:
  mlir::ScopedDiagnosticHandler handler_;
};

using mlir::theon::Stage;
/// The stage called `name` (passes/Pipelines' table); throws ValueError.
Stage stageFromName(const std::string &name);

/// The options every compilation uses (passes/Pipelines): the host CPU.
const mlir::theon::TheonPipelineOptions &pipelineOptions();

/// A context with every dialect and translation the pipeline needs.
std::unique_ptr<mlir::MLIRContext> makeContext();

/// Wall time of each named compilation step, in milliseconds.
using StageTimings = std::vector<std::pair<std::string, double>>;

/// Runs the stages of the table on `module` in place up to and including
/// `stage` (Stage::LLVMIR means Stage::LLVM), adding each stage's time to
/// `timings` when given. Throws CompileError with the diagnostics on failure.
void lowerTo(mlir::ModuleOp module, Stage stage, StageTimings *timings = nullptr,
             const mlir::theon::TheonPipelineOptions &options = pipelineOptions());

/// The options of a compilation for an NVIDIA GPU of architecture `chip`
/// ("sm_90"), its float products on cuBLAS when `cublas`, else kernels.
const mlir::theon::TheonPipelineOptions &gpuPipelineOptions(const std::string &chip,
                                                            bool cublas = true);

/// The text of `stage` for a module in the theon dialect (printed as given).
std::string stageText(const std::string &theonModule, Stage stage);
/// The Graphviz DOT graph of `stage` (theon or linalg) of a theon module,
/// by MLIR's op-graph printer.
std::string stageOpGraph(const std::string &theonModule, Stage stage);

/// Lowers `module` (theon dialect, consumed) through the whole pipeline and
/// compiles it to a host object file. The object exports
/// `theon_packed.<name>(void **args)`, which unpacks a pointer per scalar of
/// the lowered signature and calls `name`.
/// GPU code (options.target == gpu) also exports `theon_gpu_load.<name>`
/// and `theon_gpu_unload.<name>`: what its global constructors and
/// destructors did (load and unload the kernels' PTX), for
/// CompiledFunction to call.
std::unique_ptr<llvm::MemoryBuffer>
compileToObject(mlir::ModuleOp module, const std::string &functionName,
                StageTimings *timings = nullptr,
                const mlir::theon::TheonPipelineOptions &options = pipelineOptions());

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
  /// GPU code: what its global destructors did (unload the kernels' modules).
  void (*unload_)() = nullptr;
};

/// The packed arguments of a call: for each memref, the fields the LLVM
/// lowering expands it into (allocated, aligned, offset, sizes[rank],
/// strides[rank]), and a pointer to each. Storage is reused across calls.
class PackedArguments {
public:
  void clear() {
    memrefs_.clear();
    numScalars_ = 0;
  }
  /// A contiguous row-major buffer of `shape`.
  void add(void *data, const std::vector<std::int64_t> &shape) {
    memrefs_.push_back({data, &shape});
    numScalars_ += 1 + 2 * shape.size();
  }
  /// The pointer array to pass to CompiledFunction::call.
  std::vector<void *> &pack();

private:
  struct Memref {
    void *data;
    const std::vector<std::int64_t> *shape;
  };
  std::vector<Memref> memrefs_;
  std::size_t numScalars_ = 0;
  std::vector<void *> pointers_;
  std::vector<std::int64_t> scalars_;
  std::vector<void *> packed_;
};

} // namespace theon::runtime
