//===- PromoteBuffersToStack.cpp - small temporaries on a bounded stack ---===//
#include "dialect/IR/TheonUtils.h"
#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONPROMOTEBUFFERSTOSTACK
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

struct PromoteBuffersToStackPass
    : theon::impl::TheonPromoteBuffersToStackBase<PromoteBuffersToStackPass> {
  using TheonPromoteBuffersToStackBase::TheonPromoteBuffersToStackBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    // Candidates: static allocations in the function's own blocks (one in
    // a loop body would grow the frame on every iteration).
    SmallVector<std::pair<int64_t, memref::AllocOp>> candidates;
    for (Block &block : func.getBody())
      for (auto alloc : block.getOps<memref::AllocOp>()) {
        MemRefType type = alloc.getType();
        if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
            !type.getElementType().isIntOrFloat())
          continue;
        std::optional<int64_t> bytes = theon::byteSize(type);
        if (bytes && *bytes <= maxAllocBytes)
          candidates.emplace_back(*bytes, alloc);
      }
    llvm::stable_sort(candidates, [](auto &a, auto &b) { return a.first < b.first; });
    int64_t total = 0;
    for (auto [bytes, alloc] : candidates) {
      if (total + bytes > budgetBytes)
        break;
      total += bytes;
      OpBuilder b(alloc);
      auto alloca = memref::AllocaOp::create(b, alloc.getLoc(), alloc.getType(),
                                             alloc.getAlignmentAttr());
      // The stack frees it: no dealloc (the deallocation pipeline runs after).
      alloc.replaceAllUsesWith(alloca.getResult());
      alloc.erase();
    }
  }
};

} // namespace
