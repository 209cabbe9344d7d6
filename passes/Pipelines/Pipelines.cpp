//===- CpuPipeline.cpp - theon to LLVM for the host CPU -------------------===//
#include "passes/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace mlir::theon {
#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"
} // namespace mlir::theon

void theon::buildTheonToLinalgPipeline(OpPassManager &pm) {
  // Stabilize first so that gradients are taken of the rewritten graph.
  pm.addNestedPass<func::FuncOp>(createTheonStabilize());
  pm.addNestedPass<func::FuncOp>(createTheonAutodiff());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createTheonStabilize());
  pm.addPass(createConvertTheonToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addNestedPass<func::FuncOp>(createTheonFuseMultiUseElementwise());
  pm.addNestedPass<func::FuncOp>(createTheonFoldTransposeIntoMatmul());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void theon::buildLinalgToLoopsPipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createTheonDistinctResults());
  pm.addNestedPass<func::FuncOp>(createTheonUpdateInPlace());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Updates written in place return their argument's buffer: no result.
  pm.addNestedPass<func::FuncOp>(createTheonDropUpdateResults());
  // The caller owns every result buffer: results become out-params.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createCanonicalizerPass());
  // Small intermediates live on the stack: no malloc/free per call.
  bufferization::PromoteBuffersToStackPassOptions stack;
  stack.maxAllocSizeInBytes = 32 * 1024;
  pm.addNestedPass<func::FuncOp>(bufferization::createPromoteBuffersToStackPass(stack));
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);
  pm.addPass(createTheonLinalgToBlas());
  pm.addNestedPass<func::FuncOp>(createTheonCollapseElementwiseDims());
  pm.addNestedPass<func::FuncOp>(createTheonParallelLoops());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createCanonicalizerPass());
}

void theon::buildLoopsToLLVMPipeline(OpPassManager &pm) {
  // scf.parallel (from theon-parallel-loops) becomes an OpenMP worksharing
  // loop; canonicalize inlines the alloca scope it wraps the body in.
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createTheonMathApproximation());
  ConvertMathToLLVMPassOptions math;
  // What theon-math-approximation left (f64 log1p) keeps libm's precision.
  math.approximateLog1p = false;
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

void theon::buildCpuPipeline(OpPassManager &pm) {
  buildTheonToLinalgPipeline(pm);
  buildLinalgToLoopsPipeline(pm);
  buildLoopsToLLVMPipeline(pm);
}

void theon::registerTheonPassesAndPipelines() {
  registerTheonPasses();
  PassPipelineRegistration<>("theon-cpu-pipeline",
                             "Lower theon to the LLVM dialect for the host CPU",
                             buildCpuPipeline);
  PassPipelineRegistration<>(
      "theon-to-linalg-pipeline",
      "theon to fused linalg on tensors (first stage of theon-cpu-pipeline)",
      buildTheonToLinalgPipeline);
  PassPipelineRegistration<>(
      "theon-linalg-to-loops-pipeline",
      "bufferize and lower linalg to loops (second stage of theon-cpu-pipeline)",
      buildLinalgToLoopsPipeline);
  PassPipelineRegistration<>(
      "theon-loops-to-llvm-pipeline",
      "loops on memrefs to the LLVM dialect (last stage of theon-cpu-pipeline)",
      buildLoopsToLLVMPipeline);
}
