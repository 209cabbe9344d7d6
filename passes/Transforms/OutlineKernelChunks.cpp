//===- OutlineKernelChunks.cpp - long functions as calls to short ones ----===//
#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONOUTLINEKERNELCHUNKS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// A loop nest or a call: what makes the code after this pass long.
bool isKernel(Operation *op) {
  return op->getNumRegions() > 0 || isa<CallOpInterface>(op);
}

/// Allocations, views and other pure, region-free ops: free to move earlier.
bool isHoistable(Operation *op) {
  return op->getNumRegions() == 0 && (isa<memref::AllocOp, memref::AllocaOp>(op) || isPure(op));
}

/// The buffer a memref value is a view of.
Value rootBuffer(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view)
      break;
    v = view.getViewSource();
  }
  return v;
}

/// Consecutive ops of one block, moved into a function of their own.
class Run {
public:
  Run(ArrayRef<Operation *> ops) : ops(ops.begin(), ops.end()), block(ops.front()->getBlock()) {}

  /// Replaces the run by a call of a new private function; leaves the IR
  /// valid, and the run in place, when it cannot.
  void outline(func::FuncOp parent, SymbolTable &symbols) {
    Operation *next = ops.back()->getNextNode();
    if (!hoistSharedOps())
      return;
    SetVector<Value> outputs = escapingValues();
    for (Value v : outputs)
      if (isa<BaseMemRefType>(v.getType()))
        if (Operation *root = rootBuffer(v).getDefiningOp(); root && isa<memref::AllocaOp>(root))
          return; // the caller's buffer would live in the callee's frame
    SetVector<Value> inputs;
    SetVector<Operation *> rematerialized;
    collectInputs(inputs, rematerialized);

    Location loc = parent.getLoc();
    OpBuilder b(parent);
    b.setInsertionPointAfter(parent);
    auto type = b.getFunctionType(llvm::to_vector(llvm::map_range(inputs, [](Value v) { return v.getType(); })),
                                  llvm::to_vector(llvm::map_range(outputs, [](Value v) { return v.getType(); })));
    auto callee = func::FuncOp::create(b, loc, (parent.getName() + ".kernels").str(), type);
    callee.setPrivate();
    // Inlined back, the run would make the caller as long as before.
    callee->setAttr("no_inline", b.getUnitAttr());
    symbols.insert(callee);
    Block *body = callee.addEntryBlock();
    IRMapping mapping;
    mapping.map(inputs.getArrayRef(), body->getArguments());
    b.setInsertionPointToStart(body);
    for (Operation *op : rematerialized)
      b.clone(*op, mapping);
    for (Operation *op : ops)
      op->moveBefore(body, body->end());
    auto insideCallee = [&](OpOperand &use) { return callee->isProperAncestor(use.getOwner()); };
    for (auto [from, to] : mapping.getValueMap())
      Value(from).replaceUsesWithIf(to, insideCallee);
    b.setInsertionPointToEnd(body);
    func::ReturnOp::create(b, loc, outputs.getArrayRef());

    b.setInsertionPoint(next);
    auto call = func::CallOp::create(b, loc, callee, inputs.getArrayRef());
    for (auto [output, result] : llvm::zip(outputs, call.getResults()))
      Value(output).replaceUsesWithIf(result, [&](OpOperand &use) { return !insideCallee(use); });
  }

private:
  bool inRun(Operation *op) const {
    Operation *top = block->findAncestorOpInBlock(*op);
    return top && ops.contains(top);
  }

  bool definedInRun(Value v) const {
    Operation *def = v.getDefiningOp();
    if (!def)
      def = v.getParentBlock()->getParentOp();
    return inRun(def);
  }

  SetVector<Value> escapingValues() const {
    SetVector<Value> escaping;
    for (Operation *op : ops)
      for (Value result : op->getResults())
        if (llvm::any_of(result.getUsers(), [&](Operation *user) { return !inRun(user); }))
          escaping.insert(result);
    return escaping;
  }

  /// Moves the allocations, views and pure ops whose results the rest of
  /// the function uses before the run, with what they depend on.
  bool hoistSharedOps() {
    SmallVector<Operation *> worklist;
    for (Value v : escapingValues())
      if (isHoistable(v.getDefiningOp()))
        worklist.push_back(v.getDefiningOp());
    DenseSet<Operation *> hoisted;
    while (!worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      if (!hoisted.insert(op).second)
        continue;
      for (Value operand : op->getOperands())
        if (Operation *def = operand.getDefiningOp(); def && ops.contains(def)) {
          if (!isHoistable(def))
            return false;
          worklist.push_back(def);
        }
    }
    Operation *anchor = nullptr;
    for (Operation *op : ops)
      if (!hoisted.contains(op)) {
        anchor = op;
        break;
      }
    if (!anchor)
      return false;
    for (Operation *op : SmallVector<Operation *>(ops.begin(), ops.end()))
      if (hoisted.contains(op)) {
        op->moveBefore(anchor);
        ops.remove(op);
      }
    return true;
  }

  /// Constants and views: cheaper to recompute in the callee than to pass
  /// (a memref argument is five or more scalars).
  static bool isRematerializable(Operation *op) {
    return op->getNumRegions() == 0 && op->getNumResults() == 1 &&
           (matchPattern(op->getResult(0), m_Constant()) ||
            (isa<ViewLikeOpInterface>(op) && isPure(op)));
  }

  /// What the run uses from outside: the values it takes as arguments, and
  /// the ops it clones (in an order where operands come first).
  void collectInputs(SetVector<Value> &inputs, SetVector<Operation *> &rematerialized) const {
    std::function<void(Value)> use = [&](Value v) {
      Operation *def = v.getDefiningOp();
      if (!def || !isRematerializable(def)) {
        inputs.insert(v);
        return;
      }
      if (rematerialized.contains(def))
        return;
      for (Value operand : def->getOperands())
        use(operand);
      rematerialized.insert(def);
    };
    for (Operation *op : ops)
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands())
          if (!definedInRun(operand))
            use(operand);
      });
  }

  SetVector<Operation *> ops;
  Block *block;
};

struct OutlineKernelChunksPass
    : theon::impl::TheonOutlineKernelChunksBase<OutlineKernelChunksPass> {
  using TheonOutlineKernelChunksBase::TheonOutlineKernelChunksBase;

  void runOnOperation() override {
    if (maxKernels == 0)
      return;
    SymbolTable symbols(getOperation());
    for (auto func : llvm::to_vector(getOperation().getOps<func::FuncOp>())) {
      if (func.isExternal() || countKernels(func) <= maxKernels)
        continue;
      for (Block &block : func.getBody())
        for (SmallVector<Operation *> &run : runsOf(block))
          Run(run).outline(func, symbols);
    }
  }

  static unsigned countKernels(func::FuncOp func) {
    unsigned count = 0;
    for (Block &block : func.getBody())
      count += llvm::count_if(block.without_terminator(), [](Operation &op) { return isKernel(&op); });
    return count;
  }

  /// The block's ops cut after every `maxKernels`-th kernel.
  SmallVector<SmallVector<Operation *>> runsOf(Block &block) const {
    SmallVector<SmallVector<Operation *>> runs(1);
    unsigned kernels = 0;
    for (Operation &op : block.without_terminator()) {
      runs.back().push_back(&op);
      if (isKernel(&op) && ++kernels == maxKernels) {
        runs.emplace_back();
        kernels = 0;
      }
    }
    if (!llvm::any_of(runs.back(), isKernel))
      runs.pop_back();
    return runs;
  }
};

} // namespace
