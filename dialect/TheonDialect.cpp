//===- TheonDialect.cpp - the theon dialect -------------------------------===//
#include "dialect/TheonDialect.h"
#include "dialect/TheonOps.h"

using namespace mlir;
using namespace mlir::theon;

#include "dialect/TheonDialect.cpp.inc"

void TheonDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialect/TheonOps.cpp.inc"
      >();
}
