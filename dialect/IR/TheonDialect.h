//===- TheonDialect.h - the theon dialect -----------------------*- C++ -*-===//
#ifndef THEON_DIALECT_THEONDIALECT_H
#define THEON_DIALECT_THEONDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "dialect/IR/TheonDialect.h.inc"

#endif // THEON_DIALECT_THEONDIALECT_H
