//===- Pipelines.cpp - Theon's stage pipelines, as data -------------------===//
#include "passes/Pipelines/Pipelines.h"
#include "passes/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"

using namespace mlir;
using namespace mlir::theon;

namespace {

void buildTheonToLinalg(OpPassManager &pm, const theon::TheonPipelineOptions &) {
  // Stabilize first so that gradients are taken of the rewritten graph.
  pm.addNestedPass<func::FuncOp>(createTheonStabilize());
  pm.addNestedPass<func::FuncOp>(createTheonAutodiff());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createTheonStabilize());
  pm.addNestedPass<func::FuncOp>(createTheonScanBatchProducts());
  pm.addNestedPass<func::FuncOp>(createTheonScanToLoops());
  pm.addPass(createConvertTheonToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createTheonFuseElementwise());
  pm.addNestedPass<func::FuncOp>(createTheonFuseMultiUseElementwise());
  pm.addNestedPass<func::FuncOp>(createTheonFoldTransposeIntoMatmul());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // What the next stage expects, checked here rather than found broken there.
  pm.addPass(createTheonVerifyLinalgOnTensors());
}

/// Results to out-params, as on the CPU: the caller owns every result.
/// `scf.forall` loops (a convolution's images) become parallel loops on
/// the CPU, serial ones on the GPU, whose host code only launches.
void buildBufferization(OpPassManager &pm, theon::Target target) {
  // CSE left one init tensor per shape; shared, it makes the analysis cubic.
  pm.addNestedPass<func::FuncOp>(createTheonSplitSharedInits());
  // A value inserted into a bigger tensor (a scan step's output into its
  // stack) is computed in place there, not in a buffer of its own copied
  // in. Before the copies of the next two passes, which it would undo. Not
  // on the GPU, whose cumulative loops theon-gpu-parallel-lines must still
  // find in their first form.
  if (target == theon::Target::Cpu)
    pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addNestedPass<func::FuncOp>(createTheonDistinctResults());
  pm.addNestedPass<func::FuncOp>(createTheonUpdateInPlace());
  // Again, for the inits those two added.
  pm.addNestedPass<func::FuncOp>(createTheonSplitSharedInits());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(target == theon::Target::Gpu ? createForallToForLoopPass()
                                          : createForallToParallelLoopPass());
  // Updates written in place return their argument's buffer: no result.
  pm.addNestedPass<func::FuncOp>(createTheonDropUpdateResults());
  // The caller owns every result buffer: results become out-params.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  // Where a value was computed in place, its insertion became a copy of a
  // row onto an equal view of itself: CSE makes the views one value, and
  // the canonicalizer drops the copy.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
}

/// target=gpu: every loop nest a kernel, every buffer device memory.
void buildLinalgToGpuKernels(OpPassManager &pm, const theon::TheonPipelineOptions &options) {
  buildBufferization(pm, options.target);
  pm.addPass(createTheonDeallocateBuffers());
  // Float products through cuBLAS (its fill before a beta = 0 product dropped).
  if (options.blas)
    pm.addPass(createTheonLinalgToBlas({/*gpu=*/true}));
  // scatter_add's rows in parallel, with atomic adds (after CSE and
  // canonicalization drop the copy of its row onto itself).
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createTheonGpuParallelScatter());
  // Cumulative sums and products: a thread per line along the axis.
  pm.addNestedPass<func::FuncOp>(createTheonGpuParallelLines());
  // Every linalg op a generic whose outer loop is parallel: each a kernel.
  pm.addNestedPass<func::FuncOp>(createLinalgGeneralizeNamedOpsPass());
  pm.addNestedPass<func::FuncOp>(createTheonParallelDimsFirst());
  pm.addNestedPass<func::FuncOp>(createTheonCollapseElementwiseDims());
  // Long reductions into few outputs: a block per output, a tree across it.
  TheonGpuBlockReductionsOptions reductions;
  reductions.blockSize = options.gpuBlockSize;
  pm.addNestedPass<func::FuncOp>(createTheonGpuBlockReductions(reductions));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createTheonGpuTileParallelLoops({options.gpuBlockSize}));
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createTheonGpuDeviceMemory());
  pm.addPass(createLowerAffinePass());
  // Constants and index arithmetic move into the kernels, not their arguments.
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  // One stream per call: launches, allocations and copies are ordered on
  // it (gpu-to-llvm lowers allocations only in this async form).
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void buildLinalgToLoops(OpPassManager &pm, const theon::TheonPipelineOptions &options) {
  if (options.target == theon::Target::Gpu)
    return buildLinalgToGpuKernels(pm, options);
  buildBufferization(pm, options.target);
  // Buffers of loop bodies to the top level, where 7b checks them.
  pm.addNestedPass<func::FuncOp>(createTheonHoistLoopBuffers());
  // Temporaries share bytes by lifetime in two arenas: small ones on the
  // stack within a budget (no stack overflow), the rest in one heap block.
  pm.addNestedPass<func::FuncOp>(createTheonPackBuffers(
      {options.maxStackBytes, options.stackBudgetBytes}));
  // What stays on the heap may fail to allocate, an index may be out of
  // range: return before using the buffer, and before writing an argument.
  pm.addNestedPass<func::FuncOp>(createTheonReturnOnFailure());
  pm.addPass(createTheonDeallocateBuffers());
  if (options.blas)
    pm.addPass(createTheonLinalgToBlas());
  pm.addNestedPass<func::FuncOp>(createTheonCollapseElementwiseDims());
  pm.addNestedPass<func::FuncOp>(createTheonSerialSmallFunctions({options.minThreadedWork}));
  pm.addNestedPass<func::FuncOp>(createTheonParallelLoops({options.minParallelWork}));
  if (options.blas)
    pm.addPass(createTheonSerialBlas());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createCanonicalizerPass());
  // What follows is superlinear in a function's length: keep functions short.
  pm.addPass(createTheonOutlineKernelChunks());
}

/// target=gpu: kernels to NVVM and PTX (embedded as a gpu.binary), the
/// host code to the LLVM dialect with calls to the GPU runtime.
void buildGpuToLLVM(OpPassManager &pm, const theon::TheonPipelineOptions &options) {
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  // libdevice provides the math functions convert-gpu-to-nvvm calls
  // (without it, kernels that call them do not assemble).
  std::string libdevice = options.cudaPath + "/nvvm/libdevice/libdevice.10.bc";
  if (llvm::sys::fs::exists(libdevice))
    target.linkLibs.push_back(libdevice);
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  // Parallel loops left inside a kernel (under a serial loop) run in order.
  kernels.addPass(createParallelForToNestedForsPass());
  // Views (a row of scatter_add's target) to plain pointer arithmetic.
  kernels.addPass(memref::createExpandStridedMetadataPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createSCFToControlFlowPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  // What it leaves (math.absi) has a plain LLVM intrinsic.
  kernels.addPass(createConvertMathToLLVMPass());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "isa"; // PTX text, JIT-compiled by the driver
  binary.toolkitPath = options.cudaPath;
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void buildLoopsToLLVM(OpPassManager &pm, const theon::TheonPipelineOptions &options) {
  if (options.target == theon::Target::Gpu)
    return buildGpuToLLVM(pm, options);
  // scf.parallel (from theon-parallel-loops and a convolution's scf.forall)
  // becomes an OpenMP worksharing loop; the alloca scope it wraps the body
  // in is inlined.
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.addNestedPass<func::FuncOp>(createTheonInlineAllocaScopes());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createTheonMathApproximation());
  ConvertMathToLLVMPassOptions math;
  // What theon-math-approximation left (f64 log1p) keeps libm's precision.
  math.approximateLog1p = false;
  // LLVM lowers expm1 to exp(x) - 1: libm's instead.
  pm.addPass(createTheonExactMathToLibm());
  pm.addPass(createConvertMathToLLVMPass(math));
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  // Heap intermediates go through Theon's caching allocator (runtime/).
  FinalizeMemRefToLLVMConversionPassOptions memrefOptions;
  memrefOptions.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefOptions));
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

// The table. A new stage (the GPU's) is a row; the builders say per target
// what they add.
const theon::StageInfo kStages[] = {
    {theon::Stage::Theon, "theon", nullptr, "the emitted theon dialect", nullptr},
    {theon::Stage::Linalg, "linalg", "theon-to-linalg-pipeline",
     "theon to fused linalg on tensors: gradients, stabilization, conversion, fusion",
     buildTheonToLinalg},
    {theon::Stage::Loops, "loops", "theon-linalg-to-loops-pipeline",
     "bufferize (results to out-params) and lower linalg to loops and BLAS calls (target=gpu: "
     "to gpu kernels on device memory)",
     buildLinalgToLoops},
    {theon::Stage::LLVM, "llvm", "theon-loops-to-llvm-pipeline",
     "loops on memrefs to the LLVM dialect (target=gpu: kernels to PTX, host code to LLVM "
     "with GPU runtime calls)",
     buildLoopsToLLVM},
    {theon::Stage::LLVMIR, "llvmir", nullptr, "LLVM IR, after LLVM's optimizations", nullptr},
};

} // namespace

ArrayRef<theon::StageInfo> theon::pipelineStages() { return kStages; }

const theon::StageInfo &theon::stageInfo(Stage stage) {
  return kStages[static_cast<int>(stage)];
}

std::optional<theon::Stage> theon::stageNamed(StringRef name) {
  for (const StageInfo &info : kStages)
    if (name == info.name)
      return info.stage;
  return std::nullopt;
}

std::string theon::stageNames() {
  std::string names;
  for (auto [i, info] : llvm::enumerate(kStages)) {
    if (i > 0)
      names += i + 1 == std::size(kStages) ? " or " : ", ";
    names += info.name;
  }
  return names;
}

LogicalResult theon::buildStages(OpPassManager &pm, Stage from, Stage to,
                                 const TheonPipelineOptions &options, std::string *error) {
  if (options.target == Target::Gpu && options.gpuBlockSize < 1) {
    if (error)
      *error = "target=gpu: gpu-block-size must be positive";
    return failure();
  }
  for (const StageInfo &info : kStages)
    if (info.stage > from && info.stage <= to && info.build)
      info.build(pm, options);
  return success();
}

void theon::registerTheonPipelines() {
  auto registerStages = [](const char *name, const char *summary, Stage from, Stage to) {
    registerPassPipeline(
        name, summary,
        [from, to](OpPassManager &pm, StringRef text,
                   function_ref<LogicalResult(const Twine &)> errorHandler) -> LogicalResult {
          TheonPipelineOptions options;
          if (failed(options.parseFromString(text)))
            return errorHandler("cannot parse the options '" + text + "'");
          std::string error;
          if (failed(buildStages(pm, from, to, options, &error)))
            return errorHandler(error);
          return success();
        },
        [](function_ref<void(const detail::PassOptions &)> printOptions) {
          printOptions(TheonPipelineOptions());
        });
  };
  for (const StageInfo &info : kStages)
    if (info.pipeline)
      registerStages(info.pipeline, info.summary, static_cast<Stage>(static_cast<int>(info.stage) - 1),
                     info.stage);
  registerStages("theon-pipeline", "Every stage: theon to the LLVM dialect", Stage::Theon,
                 Stage::LLVM);
  registerStages("theon-cpu-pipeline", "Every stage for the host CPU (theon-pipeline)",
                 Stage::Theon, Stage::LLVM);
  // The same stages with target=gpu preset (options may still be given).
  registerPassPipeline(
      "theon-gpu-pipeline", "Every stage for an NVIDIA GPU: theon to PTX and host LLVM",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) -> LogicalResult {
        TheonPipelineOptions options;
        options.target = Target::Gpu;
        if (failed(options.parseFromString(text)))
          return errorHandler("cannot parse the options '" + text + "'");
        std::string error;
        if (failed(buildStages(pm, Stage::Theon, Stage::LLVM, options, &error)))
          return errorHandler(error);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> printOptions) {
        printOptions(TheonPipelineOptions());
      });
}
