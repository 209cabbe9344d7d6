//===- TheonOps.td - theon dialect operations ---------------*- tablegen -*-===//

#ifndef THEON_OPS_TD
#define THEON_OPS_TD

include "dialect/IR/TheonDialect.td"
include "dialect/Autodiff/GradientOpInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"

defvar Theon_Differentiable = DeclareOpInterfaceMethods<Theon_GradientOpInterface>;

class Theon_Op<string mnemonic, list<Trait> traits = []>
    : Op<Theon_Dialect, mnemonic, !listconcat([Pure], traits)>;

//===----------------------------------------------------------------------===//
// Elementwise unary ops: same type in and out.
//===----------------------------------------------------------------------===//

// Every unary op folds a constant operand, splat or not, element by element.
class Theon_UnaryOp<string mnemonic, TypeConstraint tensorType, string doc>
    : Theon_Op<mnemonic, [Elementwise, SameOperandsAndResultType,
                          Theon_Differentiable]> {
  let summary = doc;
  let arguments = (ins tensorType:$x);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$x attr-dict `:` type($x)";
  let hasFolder = 1;
}

def Theon_NegOp : Theon_UnaryOp<"neg", Theon_NumericTensor, "-x">;
def Theon_AbsOp : Theon_UnaryOp<"abs", Theon_NumericTensor, "|x|">;
def Theon_SignOp : Theon_UnaryOp<"sign", Theon_NumericTensor,
                                 "-1, 0 or 1 by the sign of x; NaN stays NaN">;
def Theon_ExpOp : Theon_UnaryOp<"exp", Theon_FloatTensor, "e^x">;
def Theon_LogOp : Theon_UnaryOp<"log", Theon_FloatTensor, "natural logarithm">;
def Theon_Log1pOp : Theon_UnaryOp<"log1p", Theon_FloatTensor, "log(1 + x)">;
def Theon_SqrtOp : Theon_UnaryOp<"sqrt", Theon_FloatTensor, "square root">;
def Theon_SinOp : Theon_UnaryOp<"sin", Theon_FloatTensor, "sine">;
def Theon_CosOp : Theon_UnaryOp<"cos", Theon_FloatTensor, "cosine">;
def Theon_TanhOp : Theon_UnaryOp<"tanh", Theon_FloatTensor, "hyperbolic tangent">;
def Theon_SigmoidOp : Theon_UnaryOp<"sigmoid", Theon_FloatTensor,
                                    "1 / (1 + exp(-x))">;
def Theon_SoftplusOp : Theon_UnaryOp<"softplus", Theon_FloatTensor,
                                     "log(1 + exp(x)), computed stably">;
def Theon_FloorOp : Theon_UnaryOp<"floor", Theon_FloatTensor, "round down">;
def Theon_CeilOp : Theon_UnaryOp<"ceil", Theon_FloatTensor, "round up">;
def Theon_RoundOp : Theon_UnaryOp<"round", Theon_FloatTensor,
                                  "round half to even, as NumPy">;

//===----------------------------------------------------------------------===//
// Elementwise binary ops with NumPy broadcasting.
//===----------------------------------------------------------------------===//

class Theon_BroadcastingOp<string mnemonic, list<Trait> traits = []>
    : Theon_Op<mnemonic, !listconcat([InferTypeOpAdaptor], traits)>;

class Theon_BinaryOp<string mnemonic, TypeConstraint tensorType, string doc>
    : Theon_BroadcastingOp<mnemonic, [Theon_Differentiable]> {
  let summary = doc;
  let description = [{
    Operands broadcast as in NumPy: shapes are aligned on the right and a
    dimension of size 1 stretches to the other's size. Both operands have the
    same element type; the front end inserts `theon.cast` for mixed dtypes.
  }];
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs tensorType:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasFolder = 1;
}

def Theon_AddOp : Theon_BinaryOp<"add", Theon_NumericTensor, "lhs + rhs">;
def Theon_SubOp : Theon_BinaryOp<"sub", Theon_NumericTensor, "lhs - rhs">;
def Theon_MulOp : Theon_BinaryOp<"mul", Theon_NumericTensor, "lhs * rhs">;
def Theon_DivOp : Theon_BinaryOp<"div", Theon_FloatTensor, "lhs / rhs">;
def Theon_PowOp : Theon_BinaryOp<"pow", Theon_FloatTensor, "lhs ** rhs">;
def Theon_MaximumOp : Theon_BinaryOp<"maximum", Theon_NumericTensor,
    "elementwise maximum; NaN if either is NaN">;
def Theon_MinimumOp : Theon_BinaryOp<"minimum", Theon_NumericTensor,
    "elementwise minimum; NaN if either is NaN">;

class Theon_CompareOp<string mnemonic, string doc>
    : Theon_BroadcastingOp<mnemonic> {
  let summary = doc;
  let description = [{
    Broadcasting comparison with a boolean (`i1`) result. Floats compare as
    IEEE ordered predicates, except `ne`, which is true for NaN as in NumPy.
  }];
  let arguments = (ins Theon_Tensor:$lhs, Theon_Tensor:$rhs);
  let results = (outs Theon_BoolTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

def Theon_EqOp : Theon_CompareOp<"eq", "lhs == rhs">;
def Theon_NeOp : Theon_CompareOp<"ne", "lhs != rhs">;
def Theon_LtOp : Theon_CompareOp<"lt", "lhs < rhs">;
def Theon_LeOp : Theon_CompareOp<"le", "lhs <= rhs">;
def Theon_GtOp : Theon_CompareOp<"gt", "lhs > rhs">;
def Theon_GeOp : Theon_CompareOp<"ge", "lhs >= rhs">;

def Theon_SelectOp : Theon_BroadcastingOp<"select", [Theon_Differentiable]> {
  let summary = "cond ? lhs : rhs, elementwise with broadcasting";
  let arguments = (ins Theon_BoolTensor:$cond, Theon_Tensor:$lhs,
                       Theon_Tensor:$rhs);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = [{
    $cond `,` $lhs `,` $rhs attr-dict `:` type($cond) `,` type($lhs) `,`
    type($rhs) `->` type($result)
  }];
}

def Theon_CastOp : Theon_Op<"cast", [Elementwise, Theon_Differentiable]> {
  let summary = "convert the element type";
  let description = [{
    Float to integer truncates toward zero, as NumPy's `astype`; to bool is
    `x != 0`.
  }];
  let arguments = (ins Theon_Tensor:$x);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `to` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and reductions.
//===----------------------------------------------------------------------===//

def Theon_DotOp : Theon_Op<"dot", [InferTypeOpAdaptor, Theon_Differentiable]> {
  let summary = "Theano's dot for 1-D and 2-D operands";
  let description = [{
    vector . vector -> scalar (rank 0), matrix . vector -> vector,
    vector . matrix -> vector, matrix . matrix -> matrix. The contracted
    dimensions must agree.
  }];
  let arguments = (ins Theon_NumericTensor:$lhs, Theon_NumericTensor:$rhs);
  let results = (outs Theon_NumericTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

class Theon_ReduceOp<string mnemonic, TypeConstraint tensorType, string doc>
    : Theon_Op<mnemonic, [InferTypeOpAdaptor, Theon_Differentiable]> {
  let summary = doc;
  let description = [{
    Reduces over `axes` (sorted, unique, in range). With `keepdims` the reduced
    dimensions stay as size 1, as NumPy's `keepdims=True`.
  }];
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdims);
  let results = (outs tensorType:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes (`keepdims` $keepdims^)? attr-dict `:`
    type($input) `->` type($result)
  }];
}

def Theon_SumOp : Theon_ReduceOp<"sum", Theon_NumericTensor, "sum over axes">;
def Theon_ProdOp : Theon_ReduceOp<"prod", Theon_NumericTensor,
                                  "product over axes">;
def Theon_MaxOp : Theon_ReduceOp<"max", Theon_NumericTensor,
                                 "maximum over axes; NaN propagates">;
def Theon_MinOp : Theon_ReduceOp<"min", Theon_NumericTensor,
                                 "minimum over axes; NaN propagates">;
def Theon_MeanOp : Theon_ReduceOp<"mean", Theon_FloatTensor,
                                  "arithmetic mean over axes">;

class Theon_ArgReduceOp<string mnemonic, string doc>
    : Theon_Op<mnemonic, [InferTypeOpAdaptor]> {
  let summary = doc;
  let description = [{
    Index (i64) of the first extreme element along `axis`; with `keepdims` the
    axis stays as size 1.
  }];
  let arguments = (ins Theon_NumericTensor:$input, I64Attr:$axis,
                       UnitAttr:$keepdims);
  let results = (outs Theon_IndexTensor:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis (`keepdims` $keepdims^)? attr-dict `:`
    type($input) `->` type($result)
  }];
}

def Theon_ArgmaxOp : Theon_ArgReduceOp<"argmax", "index of the maximum">;
def Theon_ArgminOp : Theon_ArgReduceOp<"argmin", "index of the minimum">;

def Theon_LogSoftmaxOp : Theon_Op<"log_softmax",
    [SameOperandsAndResultType, Theon_Differentiable]> {
  let summary = "log(softmax(x)) along an axis, computed stably";
  let description = [{
    `x - max(x) - log(sum(exp(x - max(x))))` along `axis`. `theon-stabilize`
    forms it from a log of a hand-written softmax. Its gradient is the closed
    form `g - exp(result) * sum(g)`, with no division by probabilities.
    ```mlir
    %l = theon.log_softmax %z axis = 1 : tensor<32x10xf32>
    ```
  }];
  let arguments = (ins Theon_FloatTensor:$x, I64Attr:$axis);
  let results = (outs Theon_FloatTensor:$result);
  let assemblyFormat = "$x `axis` `=` $axis attr-dict `:` type($x)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape ops.
//===----------------------------------------------------------------------===//

def Theon_ReshapeOp : Theon_Op<"reshape", [Theon_Differentiable]> {
  let summary = "same elements in row-major order, new shape";
  let arguments = (ins Theon_Tensor:$x);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `to` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Theon_DimShuffleOp : Theon_Op<"dimshuffle",
                                  [InferTypeOpAdaptor, Theon_Differentiable]> {
  let summary = "permute dimensions, insert and drop broadcastable ones";
  let description = [{
    Theano's dimshuffle. `pattern` lists, for each result dimension, the
    operand dimension it takes or `x` for a new dimension of size 1. Operand
    dimensions missing from the pattern are dropped and must have size 1.

    ```mlir
    %t = theon.dimshuffle %m [1, 0] : tensor<3x4xf32> -> tensor<4x3xf32>
    %r = theon.dimshuffle %v [x, 0] : tensor<4xf32> -> tensor<1x4xf32>
    ```
  }];
  let arguments = (ins Theon_Tensor:$x, DenseI64ArrayAttr:$pattern);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = [{
    $x custom<DimPattern>($pattern) attr-dict `:` type($x) `->` type($result)
  }];
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The value `pattern` holds for a new broadcastable dimension ('x').
    static constexpr int64_t kNewAxis = -1;
  }];
}

def Theon_BroadcastToOp : Theon_Op<"broadcast_to", [Theon_Differentiable]> {
  let summary = "broadcast to a larger shape, as NumPy's broadcast_to";
  let arguments = (ins Theon_Tensor:$x);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Indexing.
//===----------------------------------------------------------------------===//

def Theon_TakeOp : Theon_Op<"take", [Theon_Differentiable]> {
  let summary = "rows of x selected by an integer vector (x[idx])";
  let description = [{
    Theano's `x[idx]` with an integer vector `idx` (AdvancedSubtensor1):
    `result[i, ...] = x[idx[i], ...]`. Negative indices count from the end.
    Indices out of range are clamped to keep memory safe; the front end checks
    index arguments before a call.
    ```mlir
    %r = theon.take %x[%idx] : tensor<5x3xf32>, tensor<4xi32> -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Theon_Tensor:$x, Theon_IntTensor:$indices);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = [{
    $x `[` $indices `]` attr-dict `:` type($x) `,` type($indices) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def Theon_ScatterAddOp : Theon_Op<"scatter_add", [Theon_Differentiable]> {
  let summary = "base with updates added at rows idx (inc_subtensor of x[idx])";
  let description = [{
    `result = base; result[idx[i], ...] += updates[i, ...]` for every `i`;
    repeated indices accumulate. The gradient of `theon.take`.
    ```mlir
    %r = theon.scatter_add %base[%idx], %upd
        : tensor<5x3xf32>, tensor<4xi64>, tensor<4x3xf32> -> tensor<5x3xf32>
    ```
  }];
  let arguments = (ins Theon_NumericTensor:$base, Theon_IntTensor:$indices,
                       Theon_NumericTensor:$updates);
  let results = (outs Theon_NumericTensor:$result);
  let assemblyFormat = [{
    $base `[` $indices `]` `,` $updates attr-dict `:` type($base) `,`
    type($indices) `,` type($updates) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Theon_TakePerRowOp : Theon_Op<"take_per_row", [Theon_Differentiable]> {
  let summary = "one element per row: result[i] = x[i, idx[i]]";
  let description = [{
    NumPy's `x[arange(n), idx]`. `theon-stabilize` rewrites the cheat sheet's
    `diag(x.T[idx])`, which builds an n-by-n matrix to keep its diagonal, into
    this. Negative indices count from the end; out-of-range ones are clamped.
    ```mlir
    %p = theon.take_per_row %x[%y] : tensor<32x10xf32>, tensor<32xi32> -> tensor<32xf32>
    ```
  }];
  let arguments = (ins Theon_Tensor:$x, Theon_IntTensor:$indices);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = [{
    $x `[` $indices `]` attr-dict `:` type($x) `,` type($indices) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Theon_PutPerRowOp : Theon_Op<"put_per_row", [Theon_Differentiable]> {
  let summary = "zeros except result[i, idx[i]] = values[i]";
  let description = [{
    The gradient of `theon.take_per_row`; the result's shape is its type's.
    ```mlir
    %g = theon.put_per_row %v[%y] : tensor<32xf32>, tensor<32xi32> -> tensor<32x10xf32>
    ```
  }];
  let arguments = (ins Theon_NumericTensor:$values, Theon_IntTensor:$indices);
  let results = (outs Theon_NumericTensor:$result);
  let assemblyFormat = [{
    $values `[` $indices `]` attr-dict `:` type($values) `,` type($indices) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def Theon_ExtractDiagOp : Theon_Op<"extract_diag", [Theon_Differentiable]> {
  let summary = "the main diagonal of a matrix (Theano's diag of a matrix)";
  let arguments = (ins Theon_Tensor:$x);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

def Theon_AllocDiagOp : Theon_Op<"alloc_diag", [Theon_Differentiable]> {
  let summary = "a matrix with v on its main diagonal and zeros elsewhere";
  let description = [{
    The result may be rectangular; its shorter side equals the length of `v`.
  }];
  let arguments = (ins Theon_NumericTensor:$v);
  let results = (outs Theon_NumericTensor:$result);
  let assemblyFormat = "$v attr-dict `:` type($v) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Differentiation.
//===----------------------------------------------------------------------===//

def Theon_GradOp : Theon_Op<"grad", [InferTypeOpAdaptor]> {
  let summary = "gradient of a scalar cost with respect to values";
  let description = [{
    `theano.grad(cost, wrt)`: one result per `wrt` value, of the same type,
    holding d(cost)/d(wrt). `theon-autodiff` replaces the op with the backward
    graph, one sweep for all `wrt`. A `wrt` that the cost does not depend on
    gets zeros.
    ```mlir
    %gw, %gb = theon.grad %cost wrt %w, %b
        : tensor<f32>, tensor<3x4xf32>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Theon_FloatTensor:$cost, Variadic<Theon_FloatTensor>:$wrt);
  let results = (outs Variadic<Theon_FloatTensor>:$grads);
  let assemblyFormat = [{
    $cost `wrt` $wrt attr-dict `:` type($cost) `,` type($wrt)
  }];
  let hasVerifier = 1;
}

#endif // THEON_OPS_TD
