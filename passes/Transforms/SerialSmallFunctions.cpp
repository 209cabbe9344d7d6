//===- SerialSmallFunctions.cpp - one thread for a function with little work ===//
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <limits>

namespace mlir::theon {
#define GEN_PASS_DEF_THEONSERIALSMALLFUNCTIONS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

constexpr int64_t kUnknown = std::numeric_limits<int64_t>::max();

int64_t saturatingMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0)
    return 0;
  return a > kUnknown / b ? kUnknown : a * b;
}

int64_t saturatingAdd(int64_t a, int64_t b) { return a > kUnknown - b ? kUnknown : a + b; }

/// How many times the loops around `op` (inside the function) run it.
int64_t tripCountOfEnclosingLoops(Operation *op) {
  int64_t trips = 1;
  for (Operation *parent = op->getParentOp(); parent && !isa<func::FuncOp>(parent);
       parent = parent->getParentOp()) {
    auto loop = dyn_cast<scf::ForOp>(parent);
    if (!loop)
      continue;
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
    std::optional<int64_t> step = getConstantIntValue(loop.getStep());
    if (!lb || !ub || !step || *step <= 0)
      return kUnknown;
    trips = saturatingMul(trips, std::max<int64_t>(0, (*ub - *lb + *step - 1) / *step));
  }
  return trips;
}

/// The static type behind the runtime's dynamic matrix argument.
MemRefType staticMatrix(Value v) {
  if (auto cast = v.getDefiningOp<memref::CastOp>())
    v = cast.getSource();
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.getRank() == 2 && type.hasStaticShape() ? type : MemRefType();
}

/// Multiply-adds a BLAS product does in the time a loop takes for one
/// point (one element of an elementwise op, about a cycle): an AVX-512 core
/// has two 16-lane FMA units.
constexpr int64_t kMultiplyAddsPerPoint = 32;

/// The work of a call of the runtime's products: m * n * k multiply-adds.
int64_t productWork(func::CallOp call) {
  MemRefType a = staticMatrix(call.getOperand(0)), c = staticMatrix(call.getOperand(2));
  std::optional<int64_t> transA = getConstantIntValue(call.getOperand(3));
  if (!a || !c || !transA)
    return kUnknown;
  int64_t k = *transA ? a.getDimSize(0) : a.getDimSize(1);
  int64_t multiplyAdds = saturatingMul(saturatingMul(c.getDimSize(0), c.getDimSize(1)), k);
  return multiplyAdds == kUnknown ? kUnknown : multiplyAdds / kMultiplyAddsPerPoint;
}

/// The work of a linalg op: the points of its iteration space.
int64_t loopWork(linalg::LinalgOp op) {
  int64_t points = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return kUnknown;
    points = saturatingMul(points, range);
  }
  return points;
}

/// The function's work, in loop points: its products and loop nests,
/// times the loops around them (a scan's steps, a convolution's images).
int64_t workOf(func::FuncOp func) {
  int64_t work = 0;
  func.walk([&](Operation *op) {
    int64_t here = 0;
    if (auto call = dyn_cast<func::CallOp>(op)) {
      if (!call.getCallee().starts_with("theon_gemm_"))
        return WalkResult::advance();
      here = productWork(call);
    } else if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      here = loopWork(linalgOp);
    } else {
      return WalkResult::advance();
    }
    work = saturatingAdd(work, saturatingMul(here, tripCountOfEnclosingLoops(op)));
    return work == kUnknown ? WalkResult::interrupt() : WalkResult::advance();
  });
  return work;
}

struct TheonSerialSmallFunctionsPass
    : theon::impl::TheonSerialSmallFunctionsBase<TheonSerialSmallFunctionsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    // A parallel loop already there (a convolution's images) was chosen
    // for its own work.
    if (func.walk([](scf::ParallelOp) { return WalkResult::interrupt(); }).wasInterrupted())
      return;
    if (workOf(func) < minThreadedWork)
      func->setAttr(theon::kSerialAttr, UnitAttr::get(&getContext()));
  }
};

} // namespace
