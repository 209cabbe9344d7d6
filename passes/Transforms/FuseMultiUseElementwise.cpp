//===- FuseMultiUseElementwise.cpp - fusion that keeps producer results ---===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::theon {
#define GEN_PASS_DEF_THEONFUSEMULTIUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace mlir::theon

using namespace mlir;

namespace {

/// All-parallel, every indexing map of its results the identity.
bool isElementwise(linalg::GenericOp op) {
  if (op.getNumLoops() != op.getNumParallelLoops() || !op.hasPureTensorSemantics())
    return false;
  return llvm::all_of(op.getDpsInitsMutable(), [&](OpOperand &init) {
    return op.getMatchingIndexingMap(&init).isIdentity();
  });
}

/// Whether `consumer` reads results of `producer` only through identity
/// maps and the two can become one loop: the producer's other users all
/// come after the consumer, which then provides the producer's results.
bool canFuse(linalg::GenericOp producer, linalg::GenericOp consumer) {
  if (!isElementwise(producer) || !isElementwise(consumer) || producer == consumer ||
      producer->getBlock() != consumer->getBlock() || !producer->isBeforeInBlock(consumer) ||
      producer.getStaticLoopRanges() != consumer.getStaticLoopRanges() ||
      ShapedType::isDynamicShape(consumer.getStaticLoopRanges()))
    return false;
  for (OpOperand *input : consumer.getDpsInputOperands())
    if (input->get().getDefiningOp() == producer &&
        !consumer.getMatchingIndexingMap(input).isIdentity())
      return false;
  // A result used as the consumer's init would die with the producer.
  if (llvm::any_of(consumer.getDpsInits(),
                   [&](Value init) { return init.getDefiningOp() == producer; }))
    return false;
  return llvm::all_of(producer->getUsers(), [&](Operation *user) {
    return user == consumer ||
           (user->getBlock() == consumer->getBlock() && consumer->isBeforeInBlock(user));
  });
}

/// One generic computing the producer's results and then the consumer's, at
/// the consumer's place.
void fuse(linalg::GenericOp producer, linalg::GenericOp consumer) {
  OpBuilder b(consumer);
  SmallVector<Value> inputs(producer.getDpsInputs());
  SmallVector<AffineMap> maps;
  for (OpOperand *input : producer.getDpsInputOperands())
    maps.push_back(producer.getMatchingIndexingMap(input));
  // The consumer's other inputs; one it shares with the producer (the
  // gradient both read) is read once.
  SmallVector<OpOperand *> consumerInputs;
  DenseMap<OpOperand *, unsigned> sharedInputs; // consumer operand -> fused input
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    if (input->get().getDefiningOp() == producer)
      continue;
    AffineMap map = consumer.getMatchingIndexingMap(input);
    unsigned same = 0;
    while (same < inputs.size() && !(inputs[same] == input->get() && maps[same] == map))
      ++same;
    if (same < inputs.size()) {
      sharedInputs[input] = same;
      continue;
    }
    consumerInputs.push_back(input);
    inputs.push_back(input->get());
    maps.push_back(map);
  }
  SmallVector<Value> inits(producer.getDpsInits());
  llvm::append_range(inits, consumer.getDpsInits());
  maps.append(inits.size(), b.getMultiDimIdentityMap(consumer.getNumLoops()));
  SmallVector<Type> types(producer->getResultTypes());
  llvm::append_range(types, consumer->getResultTypes());
  auto fused = linalg::GenericOp::create(b, consumer.getLoc(), types, inputs, inits, maps,
                                         consumer.getIteratorTypesArray());
  Block *body = b.createBlock(&fused.getRegion());
  IRMapping mapping;
  Block &producerBody = producer.getRegion().front();
  Block &consumerBody = consumer.getRegion().front();
  auto argFor = [&](Value v) { return body->addArgument(cast<ShapedType>(v.getType()).getElementType(), v.getLoc()); };
  for (OpOperand *input : producer.getDpsInputOperands())
    mapping.map(producerBody.getArgument(input->getOperandNumber()), argFor(input->get()));
  for (OpOperand *input : consumerInputs)
    mapping.map(consumerBody.getArgument(input->getOperandNumber()), argFor(input->get()));
  for (auto [input, index] : sharedInputs)
    mapping.map(consumerBody.getArgument(input->getOperandNumber()), body->getArgument(index));
  for (OpOperand &init : producer.getDpsInitsMutable())
    mapping.map(producerBody.getArgument(init.getOperandNumber()), argFor(init.get()));
  for (OpOperand &init : consumer.getDpsInitsMutable())
    mapping.map(consumerBody.getArgument(init.getOperandNumber()), argFor(init.get()));
  b.setInsertionPointToEnd(body);
  for (Operation &op : producerBody.without_terminator())
    b.clone(op, mapping);
  auto producerYield = cast<linalg::YieldOp>(producerBody.getTerminator());
  SmallVector<Value> yields;
  for (Value v : producerYield.getValues())
    yields.push_back(mapping.lookupOrDefault(v));
  for (OpOperand *input : consumer.getDpsInputOperands())
    if (input->get().getDefiningOp() == producer)
      mapping.map(consumerBody.getArgument(input->getOperandNumber()),
                  yields[cast<OpResult>(input->get()).getResultNumber()]);
  for (Operation &op : consumerBody.without_terminator())
    b.clone(op, mapping);
  for (Value v : cast<linalg::YieldOp>(consumerBody.getTerminator()).getValues())
    yields.push_back(mapping.lookupOrDefault(v));
  linalg::YieldOp::create(b, consumer.getLoc(), yields);

  unsigned numProducerResults = producer->getNumResults();
  for (auto [i, result] : llvm::enumerate(consumer->getResults()))
    result.replaceAllUsesWith(fused->getResult(numProducerResults + i));
  consumer->erase();
  for (auto [i, result] : llvm::enumerate(producer->getResults()))
    result.replaceAllUsesWith(fused->getResult(i));
  producer->erase();
}

struct TheonFuseMultiUseElementwisePass
    : theon::impl::TheonFuseMultiUseElementwiseBase<TheonFuseMultiUseElementwisePass> {
  void runOnOperation() override {
    // One pair at a time: each fusion replaces both ops.
    bool changed = true;
    while (changed) {
      changed = false;
      getOperation().walk([&](linalg::GenericOp producer) {
        if (producer->hasOneUse())
          return WalkResult::advance(); // upstream's single-consumer fusion
        for (Operation *user : producer->getUsers()) {
          auto consumer = dyn_cast<linalg::GenericOp>(user);
          if (consumer && canFuse(producer, consumer)) {
            fuse(producer, consumer);
            changed = true;
            return WalkResult::interrupt();
          }
        }
        return WalkResult::advance();
      });
    }
  }
};

} // namespace
