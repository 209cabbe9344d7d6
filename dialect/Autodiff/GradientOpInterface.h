//===- GradientOpInterface.h - reverse-mode rules of theon ops --*- C++ -*-===//
#ifndef THEON_DIALECT_AUTODIFF_GRADIENTOPINTERFACE_H
#define THEON_DIALECT_AUTODIFF_GRADIENTOPINTERFACE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Region.h"

#include <functional>
#include <string>

namespace mlir::theon {

/// What a gradient rule says flows to one operand.
class OperandGradient {
public:
  enum class Kind {
    Value,        ///< a gradient of the operand's type
    Zero,         ///< the derivative is zero wherever it exists (floor, sign)
    Disconnected, ///< the result does not depend on the operand differentiably (indices)
    Undefined,    ///< no gradient exists; an error if a `wrt` depends on the operand
  };

  static OperandGradient of(Value v) { return {Kind::Value, v, {}}; }
  static OperandGradient zero() { return {Kind::Zero, {}, {}}; }
  static OperandGradient disconnected() { return {Kind::Disconnected, {}, {}}; }
  static OperandGradient undefined(std::string why) { return {Kind::Undefined, {}, std::move(why)}; }

  Kind kind() const { return kind_; }
  /// The gradient when kind() is Value.
  Value value() const { return value_; }
  /// Why the gradient is undefined.
  const std::string &reason() const { return reason_; }

private:
  OperandGradient(Kind kind, Value value, std::string reason)
      : kind_(kind), value_(value), reason_(std::move(reason)) {}
  Kind kind_;
  Value value_;
  std::string reason_;
};

/// What a rule builds with: the builder at the insertion point, the location
/// of the op being differentiated, helpers for the shapes gradients need,
/// and a way to differentiate a region (for ops with bodies, such as scan).
class GradientContext {
public:
  /// Runs the reverse sweep on the body of `region` (one block) with its
  /// arguments bound to `arguments`, from the gradients of the values its
  /// terminator yields; returns what flows to each argument. The body is
  /// cloned first (its values recomputed); `clones`, when given, receives
  /// each body value's clone.
  using RegionDifferentiator = std::function<FailureOr<SmallVector<OperandGradient>>(
      Region &region, ValueRange arguments, ArrayRef<Value> yieldedGrads, IRMapping *clones)>;

  GradientContext(OpBuilder &builder, Location loc, RegionDifferentiator differentiateRegion)
      : builder_(builder), loc_(loc), differentiateRegion_(std::move(differentiateRegion)) {}

  OpBuilder &builder() { return builder_; }
  Location loc() const { return loc_; }

  /// A constant of `type` filled with `value`.
  Value splat(Type type, double value);
  /// Zeros of `like`'s type, whose extents may be dynamic.
  Value zerosLike(Value like);
  /// A rank-0 constant of element type `element`.
  Value scalar(Type element, double value);
  /// `g` summed over the dimensions broadcasting stretched, to `target`'s type.
  Value unbroadcast(Value g, Type target);
  /// A reduction's gradient `g` over `axes`, back to `input`'s shape.
  Value expandReduced(Value g, Value input, ArrayRef<int64_t> axes);
  /// 1 where x == y (broadcast) and 0 elsewhere, in x's element type.
  Value equalMask(Value x, Value y);

  FailureOr<SmallVector<OperandGradient>> differentiateRegion(Region &region,
                                                              ValueRange arguments,
                                                              ArrayRef<Value> yieldedGrads,
                                                              IRMapping *clones = nullptr) {
    return differentiateRegion_(region, arguments, yieldedGrads, clones);
  }

  /// For a rule that gives the op it differentiates more results (a scan
  /// that also keeps values its gradient reads): the op's uses move to
  /// `replacement`'s first results, and the sweep erases the op at its end.
  void replaceForward(Operation *op, Operation *replacement) {
    op->replaceAllUsesWith(replacement->getResults().take_front(op->getNumResults()));
    replaced_ = op;
  }
  /// The op replaceForward replaced, if any.
  Operation *replaced() const { return replaced_; }

private:
  OpBuilder &builder_;
  Location loc_;
  RegionDifferentiator differentiateRegion_;
  Operation *replaced_ = nullptr;
};

/// The building blocks of the rules that ODS generates from an elementwise
/// op's `derivatives` (Derivatives.td): `(Mul (Grad), (Cos $x))` becomes
/// `d.create<MulOp>(d.grad(), d.create<CosOp>(getX()))`.
class DerivativeBuilder {
public:
  DerivativeBuilder(GradientContext &ctx, Operation *op, Value grad)
      : ctx_(ctx), op_(op), grad_(grad) {}

  /// The gradient of the op's result.
  Value grad() const { return grad_; }
  /// The op's result.
  Value result() const { return op_->getResult(0); }
  /// A rank-0 constant of the gradient's element type.
  Value constant(double value) { return ctx_.scalar(cast<ShapedType>(grad_.getType()).getElementType(), value); }
  /// Boolean `flags` as 1 and 0 in the gradient's element type.
  Value mask(Value flags);
  /// A theon op, its result type inferred from the operands.
  template <typename OpTy, typename... Args> Value create(Args... args) {
    return OpTy::create(ctx_.builder(), ctx_.loc(), args...);
  }
  /// `g` as the gradient of operand `i`: summed back over broadcast dimensions.
  OperandGradient toOperand(unsigned i, Value g) {
    return OperandGradient::of(ctx_.unbroadcast(g, op_->getOperand(i).getType()));
  }

private:
  GradientContext &ctx_;
  Operation *op_;
  Value grad_;
};

} // namespace mlir::theon

#include "dialect/Autodiff/GradientOpInterface.h.inc"

#endif // THEON_DIALECT_AUTODIFF_GRADIENTOPINTERFACE_H
