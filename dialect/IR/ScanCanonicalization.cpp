//===- ScanCanonicalization.cpp - theon.scan's canonicalization patterns ---===//
//
// A scan's gradient is built for every body argument and every output, and
// the front end hands the body its constants as params; most programs use
// a part of that. These patterns drop what no one reads, so that neither
// loop computes it at every step: outputs whose stacked result is unused,
// states whose final value is unused and that feed nothing but themselves
// (a constant param's gradient sum, say), sequences and params the body
// does not read, and constant params (cloned into the body instead).
//
//===----------------------------------------------------------------------===//
#include "dialect/IR/TheonOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::theon;

namespace {

/// What a rebuilt scan keeps of the old one's operands and results.
struct ScanParts {
  llvm::BitVector sequences, states, params, outputs;

  explicit ScanParts(ScanOp scan)
      : sequences(scan.getSequences().size(), true), states(scan.getInits().size(), true),
        params(scan.getParams().size(), true), outputs(scan.getOutputs().size(), true) {}
};

/// Replaces `scan` by a scan of the parts `keep` keeps. The body moves over;
/// `deadOps` (users before what they use) are erased once the yield no
/// longer reads them. Then the block arguments of dropped sequences, states
/// and params must have no uses left, nor the results of dropped states and
/// outputs.
void rebuild(ScanOp scan, const ScanParts &keep, PatternRewriter &rewriter,
             ArrayRef<Operation *> deadOps = {}) {
  auto kept = [](ValueRange values, const llvm::BitVector &mask) {
    SmallVector<Value> out;
    for (auto [i, v] : llvm::enumerate(values))
      if (mask.test(i))
        out.push_back(v);
    return out;
  };
  Block &body = scan.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  size_t numStates = scan.getInits().size();
  SmallVector<Value> yielded = kept(yield.getValues().take_front(numStates), keep.states);
  llvm::append_range(yielded, kept(yield.getValues().drop_front(numStates), keep.outputs));
  SmallVector<Value> results = kept(scan.getResults().take_front(numStates), keep.states);
  llvm::append_range(results, kept(scan.getOutputs(), keep.outputs));
  SmallVector<Type> resultTypes;
  for (Value r : results)
    resultTypes.push_back(r.getType());

  auto rebuilt = ScanOp::create(rewriter, scan.getLoc(), resultTypes,
                                kept(scan.getSequences(), keep.sequences),
                                kept(scan.getInits(), keep.states),
                                kept(scan.getParams(), keep.params), scan.getLength(),
                                scan.getReverse());
  rewriter.modifyOpInPlace(yield, [&] { yield->setOperands(yielded); });
  for (Operation *op : deadOps)
    rewriter.eraseOp(op);
  rewriter.inlineRegionBefore(scan.getBody(), rebuilt.getBody(), rebuilt.getBody().end());
  llvm::BitVector keepArgs;
  for (const llvm::BitVector *mask : {&keep.sequences, &keep.states, &keep.params})
    for (unsigned i = 0; i < mask->size(); ++i)
      keepArgs.push_back(mask->test(i));
  rewriter.modifyOpInPlace(rebuilt, [&] {
    Block &block = rebuilt.getBody().front();
    for (int i = static_cast<int>(keepArgs.size()) - 1; i >= 0; --i)
      if (!keepArgs.test(i))
        block.eraseArgument(i);
  });
  for (auto [old, now] : llvm::zip(results, rebuilt.getResults()))
    rewriter.replaceAllUsesWith(old, now);
  rewriter.eraseOp(scan);
}

/// Stacked outputs that no one reads.
struct DropUnusedScanOutputs : OpRewritePattern<ScanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScanOp scan, PatternRewriter &rewriter) const override {
    ScanParts keep(scan);
    for (auto [m, output] : llvm::enumerate(scan.getOutputs()))
      if (output.use_empty())
        keep.outputs.reset(m);
    if (keep.outputs.all())
      return failure();
    rebuild(scan, keep, rewriter);
    return success();
  }
};

/// A state whose final value is unused and whose value at a step feeds
/// only its own next value: the ops that compute that next value and
/// nothing else go with it.
struct DropDeadScanStates : OpRewritePattern<ScanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScanOp scan, PatternRewriter &rewriter) const override {
    Block &body = scan.getBody().front();
    auto yield = cast<YieldOp>(body.getTerminator());
    for (auto [j, arg] : llvm::enumerate(scan.getStateArguments())) {
      if (!scan.getResult(j).use_empty())
        continue;
      llvm::SmallPtrSet<Operation *, 16> feedsOnlyState;
      auto onlyFeedsState = [&](OpOperand &use) {
        if (use.getOwner() == yield)
          return use.getOperandNumber() == j;
        Operation *user = body.findAncestorOpInBlock(*use.getOwner());
        return user && feedsOnlyState.contains(user);
      };
      for (Operation &op : llvm::reverse(body.without_terminator())) {
        if (!isMemoryEffectFree(&op))
          continue;
        if (llvm::all_of(op.getUses(), onlyFeedsState))
          feedsOnlyState.insert(&op);
      }
      if (!llvm::all_of(arg.getUses(), onlyFeedsState))
        continue;
      SmallVector<Operation *> deadOps;
      for (Operation &op : llvm::reverse(body.without_terminator()))
        if (feedsOnlyState.contains(&op))
          deadOps.push_back(&op);
      ScanParts keep(scan);
      keep.states.reset(j);
      rebuild(scan, keep, rewriter, deadOps);
      return success();
    }
    return failure();
  }
};

/// Sequences and params whose rows or values the body does not read.
struct DropUnusedScanArguments : OpRewritePattern<ScanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScanOp scan, PatternRewriter &rewriter) const override {
    ScanParts keep(scan);
    for (auto [i, arg] : llvm::enumerate(scan.getSequenceArguments()))
      if (arg.use_empty())
        keep.sequences.reset(i);
    for (auto [k, arg] : llvm::enumerate(scan.getParamArguments()))
      if (arg.use_empty())
        keep.params.reset(k);
    if (keep.sequences.all() && keep.params.all())
      return failure();
    rebuild(scan, keep, rewriter);
    return success();
  }
};

/// A constant param becomes a constant in the body, where it can fold.
struct InlineConstantScanParams : OpRewritePattern<ScanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScanOp scan, PatternRewriter &rewriter) const override {
    Block &body = scan.getBody().front();
    bool changed = false;
    for (auto [param, arg] : llvm::zip(scan.getParams(), scan.getParamArguments())) {
      Operation *def = param.getDefiningOp();
      if (arg.use_empty() || !def || def->getNumResults() != 1 || !matchPattern(param, m_Constant()))
        continue;
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&body);
      Operation *copy = rewriter.clone(*def);
      rewriter.replaceAllUsesWith(arg, copy->getResult(0));
      changed = true;
    }
    return success(changed);
  }
};

} // namespace

void ScanOp::getCanonicalizationPatterns(RewritePatternSet &patterns, MLIRContext *context) {
  patterns.add<DropUnusedScanOutputs, DropDeadScanStates, DropUnusedScanArguments,
               InlineConstantScanParams>(context);
}
