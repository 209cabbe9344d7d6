//===- Pipelines.h - Theon's stage pipelines, as data -----------*- C++ -*-===//
//
// One table of stages drives everything that lists them: the stage names
// `f.ir(stage)` accepts, the lowering driver, the compile cache's
// fingerprint, and the pipelines theon-opt registers. Options select the
// target and the knobs the stages read.
//
//===----------------------------------------------------------------------===//
#ifndef THEON_PASSES_PIPELINES_PIPELINES_H
#define THEON_PASSES_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <optional>
#include <string>

namespace mlir::theon {

enum class Target { Cpu, Gpu };

struct TheonPipelineOptions : public PassPipelineOptions<TheonPipelineOptions> {
  PassOptions::Option<Target> target{
      *this, "target", llvm::cl::desc("What the code runs on"), llvm::cl::init(Target::Cpu),
      llvm::cl::values(clEnumValN(Target::Cpu, "cpu", "the host CPU"),
                       clEnumValN(Target::Gpu, "gpu", "an NVIDIA GPU (PTX through NVVM)"))};
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("target=gpu: the GPU architecture the PTX is for"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<int64_t> gpuBlockSize{
      *this, "gpu-block-size", llvm::cl::desc("target=gpu: threads per block"),
      llvm::cl::init(256)};
  PassOptions::Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("target=gpu: the CUDA toolkit whose libdevice provides the math functions"),
      llvm::cl::init("/usr/local/cuda")};
  PassOptions::Option<int64_t> minParallelWork{
      *this, "min-parallel-work",
      llvm::cl::desc("Iteration points a loop nest needs before its outer loop runs in parallel"),
      llvm::cl::init(131072)};
  PassOptions::Option<int64_t> minThreadedWork{
      *this, "min-threaded-work",
      llvm::cl::desc("Loop points (a BLAS multiply-add counts 1/32) a function needs before it "
                     "uses threads"),
      llvm::cl::init(1048576)};
  PassOptions::Option<bool> blas{
      *this, "blas", llvm::cl::desc("Call BLAS gemm for float matrix products (target=gpu: cuBLAS)"),
      llvm::cl::init(true)};
  PassOptions::Option<unsigned> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("Preferred vector width in bits for LLVM (0: 512 on AVX-512 hosts, else "
                     "LLVM's choice)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> maxStackBytes{
      *this, "max-stack-bytes",
      llvm::cl::desc("Largest intermediate buffer placed on the stack instead of the heap"),
      llvm::cl::init(32 * 1024)};
  PassOptions::Option<int64_t> stackBudgetBytes{
      *this, "stack-budget-bytes",
      llvm::cl::desc("Most bytes of a function's intermediates placed on the stack (safe on a "
                     "256 KiB thread stack)"),
      llvm::cl::init(64 * 1024)};
};

/// The stages of a compilation, in order.
enum class Stage { Theon, Linalg, Loops, LLVM, LLVMIR };

struct StageInfo {
  Stage stage;
  /// The name `f.ir(name)` takes.
  const char *name;
  /// The theon-opt pipeline that produces it from the stage before; null
  /// for the emitted IR and for LLVM IR (a translation, not a pass pipeline).
  const char *pipeline;
  const char *summary;
  /// Adds the stage's passes; null where `pipeline` is.
  void (*build)(OpPassManager &pm, const TheonPipelineOptions &options);
};

/// Every stage, in order.
ArrayRef<StageInfo> pipelineStages();
const StageInfo &stageInfo(Stage stage);
/// The stage called `name`, if there is one.
std::optional<Stage> stageNamed(StringRef name);
/// "theon, linalg, loops, llvm or llvmir", for messages.
std::string stageNames();

/// Adds the passes of every stage after `from` up to and including `to`.
/// Fails with a message when a stage has no lowering for the target.
LogicalResult buildStages(OpPassManager &pm, Stage from, Stage to,
                          const TheonPipelineOptions &options, std::string *error = nullptr);

/// Registers each stage's pipeline and `theon-pipeline` (all of them; also
/// spelled `theon-cpu-pipeline`) with the global registry.
void registerTheonPipelines();

} // namespace mlir::theon

#endif // THEON_PASSES_PIPELINES_PIPELINES_H
