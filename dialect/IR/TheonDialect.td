//===- TheonDialect.td - the theon dialect ------------------*- tablegen -*-===//
//
// Tensor expressions in Theano's model: ops on statically shaped ranked
// tensors with NumPy broadcasting, lowered to linalg by
// convert-theon-to-linalg.
//
//===----------------------------------------------------------------------===//

#ifndef THEON_DIALECT_TD
#define THEON_DIALECT_TD

include "mlir/IR/OpBase.td"

def Theon_Dialect : Dialect {
  let name = "theon";
  let summary = "Theano-style tensor expressions";
  let description = [{
    The `theon` dialect holds the graph a Theon function computes: elementwise
    ops with NumPy broadcasting, `dot`, reductions with axes, shape ops and
    gradients. Every value is a ranked tensor with a static shape, but for
    the first axis of a scan's sequences and stacked outputs, whose extent
    may be the number of steps, known at run time; a function is
    specialized to the other extents of its arguments before it is emitted.
  }];
  let cppNamespace = "::mlir::theon";
  // Zeros of a runtime extent are tensor.splat (theon::splatLike).
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::tensor::TensorDialect"];
  // Folded values become arith.constant.
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    /// On a function argument, `{theon.update_result = N}`: result N is the
    /// argument's new value, to be written into the argument's own buffer
    /// (set by the front end for shared-variable updates; read by
    /// theon-update-in-place and theon-drop-update-results).
    static constexpr ::llvm::StringLiteral kUpdateResultAttrName = "theon.update_result";
    /// On a take or take_per_row whose indices are computed in the graph,
    /// `{theon.index_site = N}`: the lowering checks each index and reports
    /// one out of range to the runtime as site N, which the front end
    /// names in its IndexError (arguments are checked before the call).
    static constexpr ::llvm::StringLiteral kIndexSiteAttrName = "theon.index_site";
    /// On a memref argument, after theon-drop-update-results: the function
    /// writes a new value into it (a shared variable); read and removed by
    /// theon-return-on-failure, which returns before such writes.
    static constexpr ::llvm::StringLiteral kUpdatedInPlaceAttrName = "theon.updated_in_place";
    /// Runtime functions compiled code calls to record a failure of the
    /// call (libtheon_runtime's Allocator.h): an index out of range, and
    /// whether anything failed so far on this thread.
    static constexpr ::llvm::StringLiteral kIndexErrorFunctionName = "theon_index_error";
    static constexpr ::llvm::StringLiteral kCallFailedFunctionName = "theon_call_failed";
  }];
}

// Element types Theon computes with: bool (i1), int8..int64, float32/64.
def Theon_Float : AnyTypeOf<[F32, F64]>;
def Theon_Int : AnyTypeOf<[I8, I16, I32, I64]>;
def Theon_Numeric : AnyTypeOf<[F32, F64, I8, I16, I32, I64]>;
def Theon_Element : AnyTypeOf<[F32, F64, I1, I8, I16, I32, I64]>;

def Theon_FloatTensor : StaticShapeTensorOf<[F32, F64]>;
def Theon_NumericTensor : StaticShapeTensorOf<[F32, F64, I8, I16, I32, I64]>;
def Theon_Tensor : StaticShapeTensorOf<[F32, F64, I1, I8, I16, I32, I64]>;
def Theon_BoolTensor : StaticShapeTensorOf<[I1]>;
def Theon_IndexTensor : StaticShapeTensorOf<[I64]>;
def Theon_IntTensor : StaticShapeTensorOf<[I8, I16, I32, I64]>;
def Theon_IntOrBoolTensor : StaticShapeTensorOf<[I1, I8, I16, I32, I64]>;
// Tensors whose extents may be dynamic: the ops that run over a scan's
// runtime number of steps (the scan, the slices of its sequences and
// stacked outputs, elementwise ops) take them; every other op keeps static
// shapes, so that its verifier refuses what its lowering does not handle.
def Theon_RankedTensor : RankedTensorOf<[F32, F64, I1, I8, I16, I32, I64]>;
def Theon_RankedFloatTensor : RankedTensorOf<[F32, F64]>;
def Theon_RankedNumericTensor : RankedTensorOf<[F32, F64, I8, I16, I32, I64]>;
def Theon_RankedBoolTensor : RankedTensorOf<[I1]>;
def Theon_RankedIntOrBoolTensor : RankedTensorOf<[I1, I8, I16, I32, I64]>;

#endif // THEON_DIALECT_TD
