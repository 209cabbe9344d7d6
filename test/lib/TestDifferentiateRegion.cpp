//===- TestDifferentiateRegion.cpp - exercise differentiateRegion ---------===//
//
// A test pass (theon-opt only): for each function marked `theon.test_grad`,
// adds `@<name>_grad(args..., result grads...) -> (arg grads...)` whose body
// is differentiateRegion applied to the function's body, as the rule of an
// op with a body (scan) will apply it to its own region.
//
//===----------------------------------------------------------------------===//
#include "dialect/IR/TheonOps.h"
#include "passes/Transforms/Autodiff.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace {

struct TestDifferentiateRegionPass
    : PassWrapper<TestDifferentiateRegionPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestDifferentiateRegionPass)

  StringRef getArgument() const final { return "theon-test-differentiate-region"; }
  StringRef getDescription() const final {
    return "Differentiate marked functions' bodies with differentiateRegion";
  }

  void runOnOperation() override {
    SmallVector<func::FuncOp> marked;
    for (auto f : getOperation().getOps<func::FuncOp>())
      if (f->hasAttr("theon.test_grad"))
        marked.push_back(f);
    for (func::FuncOp f : marked)
      if (failed(addGradient(f)))
        return signalPassFailure();
  }

  LogicalResult addGradient(func::FuncOp f) {
    OpBuilder b(f.getContext());
    b.setInsertionPointAfter(f);
    FunctionType type = f.getFunctionType();
    SmallVector<Type> inputs(type.getInputs());
    llvm::append_range(inputs, type.getResults());
    auto grad = func::FuncOp::create(b, f.getLoc(), (f.getName() + "_grad").str(),
                                     b.getFunctionType(inputs, type.getInputs()));
    Block *body = grad.addEntryBlock();
    b.setInsertionPointToStart(body);
    unsigned n = type.getNumInputs();
    auto args = body->getArguments();
    auto grads = theon::differentiateRegion(b, f.getLoc(), f.getBody(), args.take_front(n),
                                            SmallVector<Value>(args.drop_front(n)));
    if (failed(grads))
      return failure();
    SmallVector<Value> results;
    for (auto [arg, g] : llvm::zip(args.take_front(n), *grads))
      results.push_back(g.kind() == theon::OperandGradient::Kind::Value
                            ? g.value()
                            : theon::splatConstant(b, f.getLoc(),
                                                   cast<RankedTensorType>(arg.getType()), 0.0));
    func::ReturnOp::create(b, f.getLoc(), results);
    return success();
  }
};

} // namespace

namespace mlir::theon::test {
void registerTestDifferentiateRegionPass() { PassRegistration<TestDifferentiateRegionPass>(); }
} // namespace mlir::theon::test
