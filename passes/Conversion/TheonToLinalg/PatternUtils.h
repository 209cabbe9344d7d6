//===- PatternUtils.h - helpers of the theon-to-linalg patterns -*- C++ -*-===//
//
// What the patterns of every op family build with: linalg.generic ops over
// a result's iteration space with NumPy broadcasting maps, scalar constants,
// reductions' kept dimensions, and safe index arithmetic.
//
//===----------------------------------------------------------------------===//
#ifndef THEON_PASSES_CONVERSION_THEONTOLINALG_PATTERNUTILS_H
#define THEON_PASSES_CONVERSION_THEONTOLINALG_PATTERNUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::theon {

/// Builds one element from the input elements and the result's element type.
using ScalarBuilder = function_ref<Value(OpBuilder &, Location, ValueRange, Type)>;
/// Builds one result element from the input elements (the output's own
/// element is not passed).
using ElementBuilder = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// Map from the result's iteration space to `operandType`, NumPy-style:
/// right-aligned, and size-1 dimensions read index 0.
AffineMap broadcastMap(RankedTensorType operandType, RankedTensorType resultType);

Value emptyLike(OpBuilder &b, Location loc, RankedTensorType type);

/// One all-parallel linalg.generic over `resultType` into a fresh tensor,
/// reading `inputs` through `inputMaps` (from the result's iteration space).
Value buildParallel(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                    ArrayRef<AffineMap> inputMaps, ElementBuilder body);

/// buildParallel reading each of `inputs` through its NumPy broadcasting map.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ScalarBuilder body);

/// `x` rearranged into `resultType`: result axis k is x's axis
/// `pattern[k]`, or a new unit axis where `pattern[k]` is `newAxis` (the
/// copy theon.dimshuffle lowers to).
Value buildDimShuffle(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> pattern,
                      RankedTensorType resultType, int64_t newAxis = -1);

/// Replaces `op` with tensor.empty when its one result has no elements:
/// nothing to compute, and the slices a lowering builds would index empty
/// axes (tensor.extract_slice rejects those offsets). True when it did.
bool replaceIfEmpty(Operation *op, PatternRewriter &rewriter);

Value zeroInit(OpBuilder &b, Location loc, Type t);
Value oneInit(OpBuilder &b, Location loc, Type t);
/// The identity of max (`lowest`) or min for `type`: -inf/+inf for floats.
Value extremeConstant(OpBuilder &b, Location loc, Type type, bool lowest);

/// `in`'s type without the reduced `axes`, with element type `element`.
RankedTensorType droppedType(RankedTensorType in, ArrayRef<int64_t> axes, Type element);
/// Re-inserts reduced dimensions as size 1 for `keepdims`.
Value expandKeptDims(OpBuilder &b, Location loc, Value reduced, RankedTensorType keptType);

/// An index element as `index`: negative counts from the end, and anything
/// still out of [0, size) is clamped so that memory stays safe (the front end
/// reports bad index arguments before the call).
Value normalizedIndex(OpBuilder &b, Location loc, Value raw, int64_t size);

/// normalizedIndex of an index that `op` checks, when it carries
/// `{theon.index_site = N}` (computed indices): one out of [-size, size)
/// is first reported to the runtime as site N, which makes the call fail.
Value checkedIndex(OpBuilder &b, Location loc, Operation *op, Value raw, int64_t size);

} // namespace mlir::theon

#endif // THEON_PASSES_CONVERSION_THEONTOLINALG_PATTERNUTILS_H
