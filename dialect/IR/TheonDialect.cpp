//===- TheonDialect.cpp - the theon dialect -------------------------------===//
#include "dialect/IR/TheonDialect.h"
#include "dialect/IR/TheonOps.h"

using namespace mlir;
using namespace mlir::theon;

#include "dialect/IR/TheonDialect.cpp.inc"

Operation *TheonDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                             Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}

void TheonDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialect/IR/TheonOps.cpp.inc"
      >();
}
