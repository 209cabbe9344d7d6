//===- PopulatePatterns.h - theon-to-linalg patterns by family --*- C++ -*-===//
//
// The patterns of convert-theon-to-linalg, one family per file, so that
// other lowerings (the GPU pipeline) can take the families they need.
//
//===----------------------------------------------------------------------===//
#ifndef THEON_PASSES_CONVERSION_THEONTOLINALG_POPULATEPATTERNS_H
#define THEON_PASSES_CONVERSION_THEONTOLINALG_POPULATEPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::theon {

/// Every op with a scalar body (unary, binary, comparisons, select, cast,
/// broadcast_to): one linalg.generic with broadcasting maps.
void populateTheonElementwiseToLinalgPatterns(RewritePatternSet &patterns);
/// sum, prod, max, min, mean, argmax, argmin, log_softmax.
void populateTheonReductionsToLinalgPatterns(RewritePatternSet &patterns);
/// dot: linalg.matmul, matvec, vecmat, dot.
void populateTheonContractionsToLinalgPatterns(RewritePatternSet &patterns);
/// reshape, dimshuffle, take, scatter_add, take_per_row, put_per_row,
/// extract_diag, alloc_diag.
void populateTheonShapeAndIndexingToLinalgPatterns(RewritePatternSet &patterns);
/// random: Philox4x32-10 computed per element in a parallel generic.
void populateTheonRandomToLinalgPatterns(RewritePatternSet &patterns);
/// conv2d (im2col and a product), pool2d and pool2d_grad.
void populateTheonConvolutionToLinalgPatterns(RewritePatternSet &patterns);
/// All of the above.
void populateTheonToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::theon

#endif // THEON_PASSES_CONVERSION_THEONTOLINALG_POPULATEPATTERNS_H
