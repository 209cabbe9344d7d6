//===- PackBuffers.cpp - temporaries in two arenas, by lifetime ----------===//
#include "dialect/IR/TheonUtils.h"
#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/CallInterfaces.h"

#include <functional>
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONPACKBUFFERS
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

constexpr int64_t kArenaAlignment = 64;

/// A heap buffer that may move to the stack, and where it would go.
struct Candidate {
  memref::AllocOp alloc;
  int64_t bytes;
  int64_t alignment;
  // Live from the first to the last top-level op that uses it (or a view).
  int64_t firstUse, lastUse;
  int64_t offset = -1;
};

/// Numbers the function's top-level ops in block order; nullopt when a
/// branch goes back, where an interval of positions is not a lifetime.
std::optional<DenseMap<Operation *, int64_t>> numberTopLevelOps(func::FuncOp func) {
  DenseMap<Block *, int64_t> blockIndex;
  for (Block &block : func.getBody())
    blockIndex[&block] = blockIndex.size();
  DenseMap<Operation *, int64_t> position;
  for (Block &block : func.getBody()) {
    for (Block *successor : block.getSuccessors())
      if (blockIndex[successor] <= blockIndex[&block])
        return std::nullopt;
    for (Operation &op : block)
      position[&op] = position.size();
  }
  return position;
}

/// The positions of the first and last top-level op using `buffer`.
std::pair<int64_t, int64_t> liveRange(Value buffer, Region &body,
                                      const DenseMap<Operation *, int64_t> &position) {
  int64_t first = std::numeric_limits<int64_t>::max(), last = -1;
  SmallVector<Value> worklist{buffer};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (auto view = dyn_cast<ViewLikeOpInterface>(user); view && view.getViewSource() == v)
        worklist.append(user->result_begin(), user->result_end());
      Operation *top = body.findAncestorOpInRegion(*user);
      int64_t at = position.lookup(top);
      first = std::min(first, at);
      last = std::max(last, at);
    }
  }
  return {first, last};
}

/// The lowest offset where `c` fits beside the placed buffers it is live with.
int64_t firstFit(const Candidate &c, ArrayRef<Candidate *> placed) {
  SmallVector<std::pair<int64_t, int64_t>> taken;
  for (const Candidate *p : placed)
    if (p->firstUse <= c.lastUse && c.firstUse <= p->lastUse)
      taken.emplace_back(p->offset, p->offset + p->bytes);
  llvm::sort(taken);
  int64_t offset = 0;
  for (auto [begin, end] : taken) {
    if (offset + c.bytes <= begin)
      break;
    offset = std::max<int64_t>(offset, llvm::alignTo(end, c.alignment));
  }
  return offset;
}

struct PackBuffersPass : theon::impl::TheonPackBuffersBase<PackBuffersPass> {
  using TheonPackBuffersBase::TheonPackBuffersBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    std::optional<DenseMap<Operation *, int64_t>> position = numberTopLevelOps(func);
    // Candidates: static allocations in the function's own blocks (one in
    // a loop body would grow the frame on every iteration).
    SmallVector<Candidate> candidates;
    for (Block &block : func.getBody())
      for (auto alloc : block.getOps<memref::AllocOp>()) {
        MemRefType type = alloc.getType();
        if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
            !type.getElementType().isIntOrFloat() || alloc->hasAttr(theon::kLoopBufferAttr))
          continue;
        std::optional<int64_t> bytes = theon::byteSize(type);
        if (!bytes)
          continue;
        int64_t alignment = std::max<int64_t>(alloc.getAlignment().value_or(1),
                                              *bytes >= kArenaAlignment ? kArenaAlignment : 16);
        auto [first, last] = position ? liveRange(alloc, func.getBody(), *position)
                                      : std::pair<int64_t, int64_t>{0, INT64_MAX};
        candidates.push_back({alloc, std::max<int64_t>(*bytes, 1), alignment, first, last});
      }
    // Smallest first: the cheapest to keep and the most numerous.
    llvm::stable_sort(candidates, [](auto &a, auto &b) { return a.bytes < b.bytes; });
    SmallVector<Candidate *> onHeap;
    OpBuilder b(&func.getBody().front(), func.getBody().front().begin());
    // Both placements first, then the rewrites: a rewrite erases
    // allocations, which may include the op the builder inserts before.
    std::function<void()> rewriteStack;
    if (static_cast<int64_t>(countKernels(func)) > arenaAboveKernels)
      rewriteStack = placeInStackArena(b, func.getLoc(), candidates, onHeap);
    else
      rewriteStack = placeInStackSlots(b, candidates, onHeap);
    // Largest first: first-fit decreasing packs tighter.
    llvm::stable_sort(onHeap, [](auto *a, auto *b) { return a->bytes > b->bytes; });
    int64_t heapBytes = 0;
    SmallVector<Candidate *> heapPlaced;
    for (Candidate *c : onHeap) {
      c->offset = firstFit(*c, heapPlaced);
      heapPlaced.push_back(c);
      heapBytes = std::max(heapBytes, c->offset + c->bytes);
    }
    // One heap buffer is worth it only for more than one temporary.
    Value heapArena;
    if (heapPlaced.size() > 1)
      heapArena = memref::AllocOp::create(b, func.getLoc(), arenaType(b, heapBytes),
                                          b.getI64IntegerAttr(kArenaAlignment));
    rewriteStack();
    if (heapArena)
      replaceByViews(b, heapArena, heapPlaced);
  }

  /// Kernels at the top level: linalg ops and calls.
  static unsigned countKernels(func::FuncOp func) {
    unsigned count = 0;
    for (Block &block : func.getBody())
      for (Operation &op : block)
        count += isa<linalg::LinalgOp, CallOpInterface>(op) ? 1 : 0;
    return count;
  }

  /// A function short enough to stay whole: each stack slot is an alloca
  /// of its own, which LLVM knows aliases no other (views into one buffer
  /// at different offsets cost the 64-100-10 training step 12 %). Buffers
  /// of one type whose lifetimes do not overlap share a slot.
  std::function<void()> placeInStackSlots(OpBuilder &b, MutableArrayRef<Candidate> candidates,
                                          SmallVectorImpl<Candidate *> &onHeap) {
    struct Slot {
      MemRefType type;
      int64_t alignment;
      SmallVector<Candidate *> members;
    };
    auto slots = std::make_shared<SmallVector<Slot>>();
    int64_t stackBytes = 0;
    for (Candidate &c : candidates) {
      auto disjoint = [&](const Slot &slot) {
        return slot.type == c.alloc.getType() &&
               llvm::none_of(slot.members, [&](const Candidate *m) {
                 return m->firstUse <= c.lastUse && c.firstUse <= m->lastUse;
               });
      };
      if (auto it = llvm::find_if(*slots, disjoint); it != slots->end()) {
        it->members.push_back(&c);
        it->alignment = std::max(it->alignment, c.alignment);
      } else if (c.bytes <= maxAllocBytes && stackBytes + llvm::alignTo(c.bytes, c.alignment) <=
                                                 static_cast<uint64_t>(budgetBytes)) {
        stackBytes += llvm::alignTo(c.bytes, c.alignment);
        slots->push_back({c.alloc.getType(), c.alignment, {&c}});
      } else {
        onHeap.push_back(&c);
      }
    }
    SmallVector<Value> allocas;
    for (const Slot &slot : *slots)
      allocas.push_back(memref::AllocaOp::create(b, slot.members.front()->alloc.getLoc(), slot.type,
                                                 b.getI64IntegerAttr(slot.alignment)));
    return [slots, allocas] {
      for (auto [slot, alloca] : llvm::zip(*slots, allocas))
        for (Candidate *m : slot.members) {
          memref::AllocOp alloc = m->alloc;
          alloc.replaceAllUsesWith(alloca);
          alloc.erase();
        }
    };
  }

  /// A function theon-outline-kernel-chunks will cut: one stack buffer,
  /// one argument for each call it makes, with temporaries at first-fit
  /// offsets that overlap only when their lifetimes do not.
  std::function<void()> placeInStackArena(OpBuilder &b, Location loc,
                                          MutableArrayRef<Candidate> candidates,
                                          SmallVectorImpl<Candidate *> &onHeap) {
    SmallVector<Candidate *> onStack;
    int64_t stackBytes = 0;
    for (Candidate &c : candidates) {
      if (c.bytes <= maxAllocBytes) {
        c.offset = firstFit(c, onStack);
        if (c.offset + c.bytes <= budgetBytes) {
          onStack.push_back(&c);
          stackBytes = std::max(stackBytes, c.offset + c.bytes);
          continue;
        }
      }
      onHeap.push_back(&c);
    }
    if (onStack.empty())
      return [] {};
    Value arena = memref::AllocaOp::create(b, loc, arenaType(b, stackBytes),
                                           b.getI64IntegerAttr(kArenaAlignment));
    return [&b, arena, onStack] { replaceByViews(b, arena, onStack); };
  }

  static MemRefType arenaType(OpBuilder &b, int64_t bytes) {
    return MemRefType::get({bytes}, b.getI8Type());
  }

  static void replaceByViews(OpBuilder &b, Value arena, ArrayRef<Candidate *> placed) {
    for (const Candidate *c : placed) {
      memref::AllocOp alloc = c->alloc;
      b.setInsertionPoint(alloc);
      Value offset = arith::ConstantIndexOp::create(b, alloc.getLoc(), c->offset);
      Value view = memref::ViewOp::create(b, alloc.getLoc(), alloc.getType(), arena, offset,
                                          ValueRange{});
      alloc.replaceAllUsesWith(view);
      alloc.erase();
    }
  }
};

} // namespace
