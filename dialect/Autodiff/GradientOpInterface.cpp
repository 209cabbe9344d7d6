//===- GradientOpInterface.cpp - the context gradient rules build in ------===//
#include "dialect/Autodiff/GradientOpInterface.h"
#include "dialect/IR/TheonOps.h"
#include "dialect/IR/TheonUtils.h"

using namespace mlir;
using namespace mlir::theon;

Value GradientContext::splat(Type type, double value) {
  return splatConstant(builder_, loc_, cast<RankedTensorType>(type), value);
}

Value GradientContext::zerosLike(Value like) { return splatLike(builder_, loc_, like, 0.0); }

Value GradientContext::scalar(Type element, double value) {
  return scalarConstant(builder_, loc_, element, value);
}

Value GradientContext::unbroadcast(Value g, Type target) {
  return theon::unbroadcast(builder_, loc_, g, cast<RankedTensorType>(target));
}

Value GradientContext::expandReduced(Value g, Value input, ArrayRef<int64_t> axes) {
  return theon::expandReduced(builder_, loc_, g, input, axes);
}

Value GradientContext::equalMask(Value x, Value y) {
  Value equal = EqOp::create(builder_, loc_, x, y);
  auto type = RankedTensorType::get(typeOf(equal).getShape(), typeOf(x).getElementType());
  return CastOp::create(builder_, loc_, type, equal);
}

Value DerivativeBuilder::mask(Value flags) {
  auto type = RankedTensorType::get(typeOf(flags).getShape(), typeOf(grad_).getElementType());
  return create<CastOp>(type, flags);
}

#include "dialect/Autodiff/GradientOpInterface.cpp.inc"
