//===- SerialBlas.cpp - one BLAS thread where more would only get in the way ===//
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONSERIALBLAS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

constexpr StringLiteral kBegin = "theon_blas_serial_begin";
constexpr StringLiteral kEnd = "theon_blas_serial_end";

/// Declares `@name() -> ()` once per module.
func::FuncOp declaration(ModuleOp module, StringRef name) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto decl = func::FuncOp::create(b, module.getLoc(), name, b.getFunctionType({}, {}));
  decl.setPrivate();
  return decl;
}

/// Whether `func` calls the runtime's products inside a parallel loop or,
/// marked serial (theon-serial-small-functions), anywhere.
bool needsSerialProducts(func::FuncOp func) {
  bool serial = func->hasAttr(theon::kSerialAttr);
  return func
      .walk([&](func::CallOp call) {
        bool inLoop = call->getParentOfType<scf::ParallelOp>() != nullptr;
        return (serial || inLoop) && call.getCallee().starts_with("theon_gemm_")
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

struct SerialBlasPass
    : theon::impl::TheonSerialBlasBase<SerialBlasPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs(
        llvm::make_filter_range(module.getOps<func::FuncOp>(), needsSerialProducts));
    if (funcs.empty())
      return;
    func::FuncOp begin = declaration(module, kBegin), end = declaration(module, kEnd);
    for (func::FuncOp func : funcs) {
      OpBuilder b = OpBuilder::atBlockBegin(&func.getBody().front());
      func::CallOp::create(b, func.getLoc(), begin, ValueRange{});
      func.walk([&](func::ReturnOp ret) {
        b.setInsertionPoint(ret);
        func::CallOp::create(b, ret.getLoc(), end, ValueRange{});
      });
    }
  }
};

} // namespace
