//===- UpdateInPlace.cpp - shared-variable updates into their own buffers -===//
#include "passes/Passes.h"
#include "passes/Transforms/PassPreconditions.h"

#include "dialect/IR/TheonDialect.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONUPDATEINPLACE
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// The function argument whose buffer `value` shares, looking through view
/// ops, or null when `value` is computed.
BlockArgument rootArgument(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::ExtractSliceOp,
            tensor::CastOp, tensor::ReshapeOp>(def))
      value = def->getOperand(0);
    else
      return nullptr;
  }
  return dyn_cast<BlockArgument>(value);
}

/// The buffer `value` lives in before bufferization decides: through
/// views, and through ops that write into their destination (insert_slice,
/// loop-carried values).
Value writtenBuffer(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(def))
      value = insert.getDest();
    else if (auto loop = dyn_cast<scf::ForOp>(def))
      value = loop.getInitArgs()[cast<OpResult>(value).getResultNumber()];
    else if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::ExtractSliceOp,
                 tensor::CastOp, tensor::ReshapeOp>(def))
      value = def->getOperand(0);
    else
      break;
  }
  return value;
}

/// The operand through which the op producing `value` writes into `arg`'s
/// buffer itself (an insert_slice into it, a loop carrying it: what
/// update_subtensor and scatter_add lower to), else null.
OpOperand *destinationIn(Value value, BlockArgument arg) {
  auto result = dyn_cast<OpResult>(value);
  if (!result)
    return nullptr;
  OpOperand *dest = nullptr;
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(result.getOwner()))
    dest = &insert.getDestMutable();
  else if (auto loop = dyn_cast<scf::ForOp>(result.getOwner()))
    dest = &loop.getInitArgsMutable()[result.getResultNumber()];
  return dest && dest->get() == arg ? dest : nullptr;
}

/// A fresh tensor with `value`'s contents (a computation that can be placed
/// in the destination buffer).
Value freshCopy(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::CopyOp::create(b, loc, value, empty).getResult(0);
}

struct TheonUpdateInPlacePass
    : theon::impl::TheonUpdateInPlaceBase<TheonUpdateInPlacePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // An argument that is not updated is the caller's array, read only:
    // bufferization copies it before anything (an update_subtensor's
    // insert_slice) would write into it.
    if (!func.isExternal())
      for (BlockArgument arg : func.getArguments())
        if (isa<RankedTensorType>(arg.getType()) &&
            !func.getArgAttr(arg.getArgNumber(), theon::TheonDialect::kUpdateResultAttrName))
          func.setArgAttr(arg.getArgNumber(), bufferization::BufferizationDialect::kWritableAttrName,
                          BoolAttr::get(func.getContext(), false));
    // Only functions with updates to write are this pass's business.
    if (!theon::hasUpdateResults(func))
      return;
    auto maybeRet = theon::getSingleReturn(func, getArgument());
    if (failed(maybeRet))
      return signalPassFailure();
    func::ReturnOp ret = *maybeRet;
    // (argument, result) pairs from the front end's attributes.
    SmallVector<std::pair<BlockArgument, unsigned>> updates;
    llvm::SmallDenseSet<unsigned> destinations;
    for (BlockArgument arg : func.getArguments()) {
      auto attr = func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), theon::TheonDialect::kUpdateResultAttrName);
      if (!attr)
        continue;
      int64_t result = attr.getInt();
      if (!isa<RankedTensorType>(arg.getType())) {
        func.emitError() << "argument " << arg.getArgNumber() << " has type " << arg.getType()
                         << ": " << getArgument()
                         << " runs on tensors, before bufferization";
        return signalPassFailure();
      }
      if (result < 0 || result >= static_cast<int64_t>(ret.getNumOperands())) {
        func.emitError() << "argument " << arg.getArgNumber() << " names result " << result
                         << ", but the function has " << ret.getNumOperands() << " results";
        return signalPassFailure();
      }
      if (ret.getOperand(result).getType() != arg.getType()) {
        func.emitError() << "argument " << arg.getArgNumber() << " has type " << arg.getType()
                         << " but its update, result " << result << ", has type "
                         << ret.getOperand(result).getType();
        return signalPassFailure();
      }
      updates.emplace_back(arg, static_cast<unsigned>(result));
      destinations.insert(arg.getArgNumber());
    }
    if (updates.empty())
      return;

    OpBuilder b(ret);
    Location loc = ret.getLoc();
    // The destinations are overwritten at the end: every result that still
    // shares one of their buffers (an argument returned as is, a view of
    // one, an update that is another argument) gets its own copy first.
    llvm::SmallDenseSet<unsigned> updateResults;
    for (auto [arg, result] : updates)
      updateResults.insert(result);
    for (OpOperand &operand : ret->getOpOperands()) {
      // A value written into a destination's buffer (an insert_slice into
      // it) that is also an output: copied too, as the store may overwrite
      // it first.
      auto root = dyn_cast_or_null<BlockArgument>(
          updateResults.contains(operand.getOperandNumber()) ? Value(rootArgument(operand.get()))
                                                             : writtenBuffer(operand.get()));
      if (root && destinations.contains(root.getArgNumber()))
        operand.set(freshCopy(b, loc, operand.get()));
    }
    // All new values first, then all stores: a store into one argument
    // must not come before a computation that reads its old value (a swap).
    SmallVector<Value> sources;
    for (auto [arg, result] : updates) {
      Value source = ret.getOperand(result);
      b.setInsertionPoint(ret);
      if (rootArgument(source)) // a view of an argument
        source = freshCopy(b, loc, source);
      // Computed last, the new value no longer conflicts with later reads
      // of the old one (a backward product of the same weights), so it can
      // be written straight into the destination.
      Operation *def = source.getDefiningOp();
      if (def && isa<linalg::LinalgOp>(def) && def->getBlock() == ret->getBlock() &&
          llvm::all_of(def->getUsers(), [&](Operation *user) { return user == ret; }))
        def->moveBefore(ret);
      // The computation's fresh output tensor becomes the destination, so
      // that One-Shot Bufferize writes it in place when nothing reads the
      // old value later (upstream's eliminate-empty-tensors, for these
      // values only: run on everything it also merges other copies).
      if (auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(def)) {
        OpOperand *init = linalgOp.getDpsInitOperand(cast<OpResult>(source).getResultNumber());
        // Not when it copies a value written into the argument's buffer
        // (an insert_slice into it): that buffer is the destination.
        bool readsArgumentBuffer = llvm::any_of(linalgOp.getDpsInputs(), [&](Value input) {
          return writtenBuffer(input) == Value(arg) && rootArgument(input) != arg;
        });
        if (init->get().getDefiningOp<tensor::EmptyOp>() &&
            !linalgOp.payloadUsesValueFromOperand(init) && !readsArgumentBuffer)
          init->set(arg);
      }
      sources.push_back(source);
    }
    b.setInsertionPoint(ret);
    for (auto [update, source] : llvm::zip(updates, sources)) {
      auto [arg, result] = update;
      func.setArgAttr(arg.getArgNumber(), bufferization::BufferizationDialect::kWritableAttrName,
                      b.getBoolAttr(true));
      // An op that writes into the argument itself writes in place when
      // the new value is only stored. A loop then needs no
      // materialize_in_destination (which would ask One-Shot Bufferize for
      // a second, conflicting write); moved last, nothing reads the old
      // value after it. When the new value is also an output, the op
      // writes into a copy instead, which is then stored.
      if (OpOperand *dest = destinationIn(source, arg)) {
        Operation *op = dest->getOwner();
        bool onlyStored = op->getBlock() == ret->getBlock() &&
                          llvm::all_of(op->getUsers(), [&](Operation *u) { return u == ret; });
        if (onlyStored && isa<scf::ForOp>(op)) {
          op->moveBefore(ret);
          continue;
        }
        if (!onlyStored) {
          b.setInsertionPoint(op);
          dest->set(freshCopy(b, loc, arg));
          b.setInsertionPoint(ret);
        }
      }
      auto materialize = bufferization::MaterializeInDestinationOp::create(b, loc, source, arg);
      ret->setOperand(result, materialize.getResult());
    }
  }
};

} // namespace
