//===- theon-opt.cpp - mlir-opt with the theon dialect and passes ---------===//
#include "dialect/IR/TheonDialect.h"
#include "passes/Passes.h"
#include "passes/Pipelines/Pipelines.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

namespace mlir::theon::test {
void registerTestDifferentiateRegionPass();
void registerTestGradientModels(mlir::DialectRegistry &registry);
} // namespace mlir::theon::test

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::theon::registerTheonPasses();
  mlir::theon::registerTheonPipelines();
  mlir::theon::test::registerTestDifferentiateRegionPass();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates kernels through LLVM IR to PTX.
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<mlir::theon::TheonDialect>();
  mlir::theon::test::registerTestGradientModels(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Theon optimizer driver\n", registry));
}
