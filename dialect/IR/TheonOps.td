//===- TheonOps.td - theon dialect operations ---------------*- tablegen -*-===//

#ifndef THEON_OPS_TD
#define THEON_OPS_TD

include "dialect/IR/TheonDialect.td"
include "dialect/Autodiff/GradientOpInterface.td"
include "dialect/Autodiff/Derivatives.td"
include "dialect/IR/TheonInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/EnumAttr.td"

defvar Theon_Differentiable = DeclareOpInterfaceMethods<Theon_GradientOpInterface>;
defvar Theon_HasScalarBody = DeclareOpInterfaceMethods<Theon_ScalarBodyOpInterface>;

// Every operand and result fits in memory: its element count and byte size
// do not overflow 64 bits (checked before any verifier computes with them).
def Theon_AddressableTypes : NativeOpTrait<"AddressableTypes"> {
  let cppNamespace = "::mlir::OpTrait::theon";
}

// Ops list their own traits: most are Pure, random draws will not be.
class Theon_Op<string mnemonic, list<Trait> traits = []>
    : Op<Theon_Dialect, mnemonic, !listconcat([Theon_AddressableTypes], traits)>;

//===----------------------------------------------------------------------===//
// Elementwise ops, each declared once: its scalar body (what one element
// computes, ScalarBodyOpInterface), its constant folder and its derivatives
// (Derivatives.td) are parameters, and ODS generates the methods from them.
//===----------------------------------------------------------------------===//

// C++ statements that return the result element, given `b`, `loc`,
// `operands` (the operand elements) and `resultElement` (ScalarBodies.h).
class ScalarBody<code c> { code body = c; }
// An arith/math op on floats, and one on integers when the op takes them.
class ArithBody<string floatOp, string intOp = "">
    : ScalarBody<"return buildArith<" # floatOp # !if(!empty(intOp), "", ", " # intOp) #
                 ">(b, loc, operands);">;
// A builder function of ScalarBodies.h.
class BodyFn<string fn>
    : ScalarBody<"return " # fn # "(b, loc, operands, resultElement);">;

// Folds constant operands element by element: `floatFn` (a function of a
// double, e.g. libm's) in double, rounded to the element type; `intExpr`
// (an APInt expression of `v`) for integers, when the op takes them.
class UnaryFolder<string floatFn, string intExpr = ""> {
  string floatLambda = "[](double v) -> double { return " # floatFn # "(v); }";
  string intLambda = !if(!empty(intExpr), "nullptr",
      "[](const ::llvm::APInt &v) -> std::optional<::llvm::APInt> { return " # intExpr # "; }");
}
// Folds `x op identity` to x and constant operands element by element:
// `floatBody`/`intBody` are statements on APFloat/APInt `x` and `y` that
// return the result (or std::nullopt where it is not defined).
class BinaryFolder<string floatBody, string intBody = "",
                   string rightIdentity = "std::nullopt",
                   string leftIdentity = "std::nullopt"> {
  string floatLambda = !if(!empty(floatBody), "nullptr",
      "[](::llvm::APFloat x, ::llvm::APFloat y) -> std::optional<::llvm::APFloat> { " #
      floatBody # " }");
  string intLambda = !if(!empty(intBody), "nullptr",
      "[](::llvm::APInt x, ::llvm::APInt y) -> std::optional<::llvm::APInt> { " # intBody # " }");
  string identities = rightIdentity # ", " # leftIdentity;
}

class Theon_ElementwiseOp<string mnemonic, ScalarBody body, list<Trait> traits>
    : Theon_Op<mnemonic, !listconcat([Pure, Theon_HasScalarBody], traits)> {
  code scalarBodyDefinition = [{
    ::mlir::Value $cppClass::buildScalarBody(::mlir::OpBuilder &b, ::mlir::Location loc,
                                             ::mlir::ValueRange operands,
                                             ::mlir::Type resultElement) {
      (void)resultElement;
  }] # body.body # [{
    }
  }];
  let extraClassDefinition = scalarBodyDefinition;
}

// Same type in and out.
class Theon_UnaryOp<string mnemonic, TypeConstraint tensorType, string doc,
                    ScalarBody body, UnaryFolder folder, dag derivative,
                    list<Trait> traits = []>
    : Theon_ElementwiseOp<mnemonic, body, !listconcat([Elementwise,
          SameOperandsAndResultType, Theon_Differentiable], traits)> {
  let summary = doc;
  let arguments = (ins tensorType:$x);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$x attr-dict `:` type($x)";
  let hasFolder = 1;
  let extraClassDefinition = scalarBodyDefinition #
      GradientRuleFromDerivatives<[derivative]>.definition # [{
    ::mlir::OpFoldResult $cppClass::fold(FoldAdaptor adaptor) {
      return ::mlir::theon::foldUnaryConstant(*this, adaptor.getX(), }] #
      folder.floatLambda # ", " # folder.intLambda # [{);
    }
  }];
}

// NumPy broadcasting of the operands; the result type is inferred.
class Theon_BroadcastingOp<string mnemonic, ScalarBody body, list<Trait> traits = []>
    : Theon_ElementwiseOp<mnemonic, body, !listconcat([InferTypeOpAdaptor], traits)> {
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

class Theon_BinaryOp<string mnemonic, TypeConstraint tensorType, string doc,
                     ScalarBody body, BinaryFolder folder, list<dag> derivatives>
    : Theon_BroadcastingOp<mnemonic, body, [Theon_Differentiable]> {
  let summary = doc;
  let description = [{
    Operands broadcast as in NumPy: shapes are aligned on the right and a
    dimension of size 1 stretches to the other's size. Both operands have the
    same element type; the front end inserts `theon.cast` for mixed dtypes.
  }];
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs tensorType:$result);
  let hasFolder = 1;
  let extraClassDefinition = scalarBodyDefinition #
      GradientRuleFromDerivatives<derivatives>.definition # [{
    ::mlir::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::theon::inferBroadcastType(loc, adaptor.getOperands(), ::mlir::Type(),
                                               inferred);
    }
    ::mlir::OpFoldResult $cppClass::fold(FoldAdaptor adaptor) {
      return ::mlir::theon::foldBinaryConstant(*this, adaptor.getLhs(), adaptor.getRhs(), }] #
      folder.identities # ", " # folder.floatLambda # ", " # folder.intLambda # [{);
    }
  }];
}

def Theon_NegOp : Theon_UnaryOp<"neg", Theon_RankedNumericTensor, "-x",
    BodyFn<"buildNeg">, UnaryFolder<"-", "-v">, (Neg (Grad)), [Involution]>;
def Theon_AbsOp : Theon_UnaryOp<"abs", Theon_RankedNumericTensor, "|x|",
    ArithBody<"math::AbsFOp", "math::AbsIOp">, UnaryFolder<"std::fabs", "v.abs()">,
    (Mul (Grad), (Sign $x))>;
// Piecewise constant: zero gradient almost everywhere, as in Theano.
def Theon_SignOp : Theon_UnaryOp<"sign", Theon_RankedNumericTensor,
    "-1, 0 or 1 by the sign of x; NaN stays NaN",
    BodyFn<"buildSign">, UnaryFolder<"signOf", "*signOfInt(v)">, (Zero)>;
def Theon_ExpOp : Theon_UnaryOp<"exp", Theon_RankedFloatTensor, "e^x",
    ArithBody<"math::ExpOp">, UnaryFolder<"std::exp">, (Mul (Grad), (Result))>;
def Theon_LogOp : Theon_UnaryOp<"log", Theon_RankedFloatTensor, "natural logarithm",
    ArithBody<"math::LogOp">, UnaryFolder<"std::log">, (Div (Grad), $x)>;
def Theon_Log1pOp : Theon_UnaryOp<"log1p", Theon_RankedFloatTensor, "log(1 + x)",
    ArithBody<"math::Log1pOp">, UnaryFolder<"std::log1p">,
    (Div (Grad), (Add $x, (Const "1")))>;
def Theon_SqrtOp : Theon_UnaryOp<"sqrt", Theon_RankedFloatTensor, "square root",
    ArithBody<"math::SqrtOp">, UnaryFolder<"std::sqrt">,
    (Div (Grad), (Mul (Result), (Const "2")))>;
def Theon_SinOp : Theon_UnaryOp<"sin", Theon_RankedFloatTensor, "sine",
    ArithBody<"math::SinOp">, UnaryFolder<"std::sin">, (Mul (Grad), (Cos $x))>;
def Theon_CosOp : Theon_UnaryOp<"cos", Theon_RankedFloatTensor, "cosine",
    ArithBody<"math::CosOp">, UnaryFolder<"std::cos">, (Neg (Mul (Grad), (Sin $x)))>;
// d tanh = 1 - tanh^2
def Theon_TanhOp : Theon_UnaryOp<"tanh", Theon_RankedFloatTensor, "hyperbolic tangent",
    ArithBody<"math::TanhOp">, UnaryFolder<"std::tanh">,
    (Mul (Grad), (Sub (Const "1"), (Mul (Result), (Result))))>;
// d sigmoid = s (1 - s)
def Theon_SigmoidOp : Theon_UnaryOp<"sigmoid", Theon_RankedFloatTensor, "1 / (1 + exp(-x))",
    BodyFn<"buildSigmoid">, UnaryFolder<"sigmoidOf">,
    (Mul (Grad), (Mul (Result), (Sub (Const "1"), (Result))))>;
def Theon_SoftplusOp : Theon_UnaryOp<"softplus", Theon_RankedFloatTensor,
    "log(1 + exp(x)), computed stably",
    BodyFn<"buildSoftplus">, UnaryFolder<"softplusOf">, (Mul (Grad), (Sigmoid $x))>;
def Theon_FloorOp : Theon_UnaryOp<"floor", Theon_RankedFloatTensor, "round down",
    ArithBody<"math::FloorOp">, UnaryFolder<"std::floor">, (Zero)>;
def Theon_CeilOp : Theon_UnaryOp<"ceil", Theon_RankedFloatTensor, "round up",
    ArithBody<"math::CeilOp">, UnaryFolder<"std::ceil">, (Zero)>;
// std::nearbyint in the default rounding mode rounds ties to even.
def Theon_RoundOp : Theon_UnaryOp<"round", Theon_RankedFloatTensor, "round half to even, as NumPy",
    ArithBody<"math::RoundEvenOp">, UnaryFolder<"std::nearbyint">, (Zero)>;
// d erf = 2 / sqrt(pi) * exp(-x^2)
def Theon_ErfOp : Theon_UnaryOp<"erf", Theon_RankedFloatTensor, "the error function",
    ArithBody<"math::ErfOp">, UnaryFolder<"std::erf">,
    (Mul (Grad), (Mul (Const "1.1283791670955126"), (Exp (Neg (Mul $x, $x)))))>;
// d erfc = -2 / sqrt(pi) * exp(-x^2)
def Theon_ErfcOp : Theon_UnaryOp<"erfc", Theon_RankedFloatTensor,
    "the complementary error function, 1 - erf(x) without its cancellation",
    ArithBody<"math::ErfcOp">, UnaryFolder<"std::erfc">,
    (Neg (Mul (Grad), (Mul (Const "1.1283791670955126"), (Exp (Neg (Mul $x, $x))))))>;
// d erfinv = sqrt(pi) / 2 * exp(erfinv(x)^2)
def Theon_ErfinvOp : Theon_UnaryOp<"erfinv", Theon_RankedFloatTensor,
    "the inverse error function (NaN outside [-1, 1], +-inf at +-1)",
    BodyFn<"buildErfinv">, UnaryFolder<"::mlir::theon::erfinvReference">,
    (Mul (Grad), (Mul (Const "0.88622692545275801"), (Exp (Mul (Result), (Result)))))>;
def Theon_Expm1Op : Theon_UnaryOp<"expm1", Theon_RankedFloatTensor,
    "e^x - 1, exact near 0", ArithBody<"math::ExpM1Op">, UnaryFolder<"std::expm1">,
    (Mul (Grad), (Add (Result), (Const "1")))>;
def Theon_Exp2Op : Theon_UnaryOp<"exp2", Theon_RankedFloatTensor, "2^x",
    ArithBody<"math::Exp2Op">, UnaryFolder<"std::exp2">,
    (Mul (Grad), (Mul (Result), (Const "0.6931471805599453")))>;
def Theon_Log2Op : Theon_UnaryOp<"log2", Theon_RankedFloatTensor, "base-2 logarithm",
    ArithBody<"math::Log2Op">, UnaryFolder<"std::log2">,
    (Div (Grad), (Mul $x, (Const "0.6931471805599453")))>;
def Theon_Log10Op : Theon_UnaryOp<"log10", Theon_RankedFloatTensor, "base-10 logarithm",
    ArithBody<"math::Log10Op">, UnaryFolder<"std::log10">,
    (Div (Grad), (Mul $x, (Const "2.302585092994046")))>;

def Theon_AddOp : Theon_BinaryOp<"add", Theon_RankedNumericTensor, "lhs + rhs",
    ArithBody<"arith::AddFOp", "arith::AddIOp">,
    BinaryFolder<"x.add(y, ::llvm::APFloat::rmNearestTiesToEven); return x;",
                 "return x + y;", "0.0", "0.0">,
    [(Grad), (Grad)]>;
def Theon_SubOp : Theon_BinaryOp<"sub", Theon_RankedNumericTensor, "lhs - rhs",
    ArithBody<"arith::SubFOp", "arith::SubIOp">,
    BinaryFolder<"x.subtract(y, ::llvm::APFloat::rmNearestTiesToEven); return x;",
                 "return x - y;", "0.0">,
    [(Grad), (Neg (Grad))]>;
def Theon_MulOp : Theon_BinaryOp<"mul", Theon_RankedNumericTensor, "lhs * rhs",
    ArithBody<"arith::MulFOp", "arith::MulIOp">,
    BinaryFolder<"x.multiply(y, ::llvm::APFloat::rmNearestTiesToEven); return x;",
                 "return x * y;", "1.0", "1.0">,
    [(Mul (Grad), $rhs), (Mul (Grad), $lhs)]>;
// d(a/b) = g / b and -g * a / b^2 = -(g / b) * (a / b)
def Theon_DivOp : Theon_BinaryOp<"div", Theon_RankedFloatTensor, "lhs / rhs",
    ArithBody<"arith::DivFOp">,
    BinaryFolder<"x.divide(y, ::llvm::APFloat::rmNearestTiesToEven); return x;", "", "1.0">,
    [(Div (Grad), $rhs), (Neg (Mul (Div (Grad), $rhs), (Result)))]>;
// x ** 1 = x; other powers keep libm's rounding at run time.
// d(a^b) = g * b * a^(b-1), g * a^b * log(a)
def Theon_PowOp : Theon_BinaryOp<"pow", Theon_RankedFloatTensor, "lhs ** rhs",
    ArithBody<"math::PowFOp">, BinaryFolder<"return std::nullopt;", "", "1.0">,
    [(Mul (Grad), (Mul $rhs, (Pow $lhs, (Sub $rhs, (Const "1"))))),
     (Mul (Grad), (Mul (Result), (Log $lhs)))]>;
// The gradient goes to lhs where it is the result (ties included) and to rhs
// elsewhere, as Theano 1.0's Maximum/Minimum: maximum(x, x)' is 1, not 2.
// Where the result is NaN, rhs gets it.
def Theon_MaximumOp : Theon_BinaryOp<"maximum", Theon_RankedNumericTensor,
    "elementwise maximum; NaN if either is NaN",
    ArithBody<"arith::MaximumFOp", "arith::MaxSIOp">,
    BinaryFolder<"return ::llvm::maximum(x, y);", "return x.sge(y) ? x : y;">,
    // result == lhs exactly when lhs >= rhs (NaN and signed zeros
    // included): the mask reads the operands, not the result, so the
    // backward pass of relu does not keep the result as well.
    [(Mul (Grad), (Mask (Ge $lhs, $rhs))),
     (Mul (Grad), (Sub (Const "1"), (Mask (Ge $lhs, $rhs))))]>;
def Theon_MinimumOp : Theon_BinaryOp<"minimum", Theon_RankedNumericTensor,
    "elementwise minimum; NaN if either is NaN",
    ArithBody<"arith::MinimumFOp", "arith::MinSIOp">,
    BinaryFolder<"return ::llvm::minimum(x, y);", "return x.sle(y) ? x : y;">,
    [(Mul (Grad), (Mask (Le $lhs, $rhs))),
     (Mul (Grad), (Sub (Const "1"), (Mask (Le $lhs, $rhs))))]>;

// Broadcasting comparisons with a boolean result; no gradient (autodiff
// follows float values only).
class Theon_CompareOp<string mnemonic, string doc, string floatPred, string intPred,
                      string boolPred>
    : Theon_BroadcastingOp<mnemonic, BodyFn<"buildCompare<arith::CmpFPredicate::" #
          floatPred # ", arith::CmpIPredicate::" # intPred # ", arith::CmpIPredicate::" #
          boolPred # ">">> {
  let summary = doc;
  let description = [{
    Broadcasting comparison with a boolean (`i1`) result. Floats compare as
    IEEE ordered predicates, except `ne`, which is true for NaN as in NumPy.
  }];
  let arguments = (ins Theon_RankedTensor:$lhs, Theon_RankedTensor:$rhs);
  let results = (outs Theon_RankedBoolTensor:$result);
  let extraClassDefinition = scalarBodyDefinition # [{
    ::mlir::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *ctx,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::theon::inferBroadcastType(loc, adaptor.getOperands(),
                                               ::mlir::IntegerType::get(ctx, 1), inferred);
    }
  }];
}

// Python's // and %: the quotient rounds down, the remainder takes the
// divisor's sign. Integer division by 0 gives 0 (NumPy), by -1 negates.
// Piecewise constant: zero gradient (Theano's IntDiv).
def Theon_FloorDivOp : Theon_BinaryOp<"floor_div", Theon_RankedNumericTensor, "lhs // rhs",
    BodyFn<"buildFloorDiv">,
    BinaryFolder<"x.divide(y, ::llvm::APFloat::rmNearestTiesToEven); "
                 "x.roundToIntegral(::llvm::APFloat::rmTowardNegative); return x;",
                 "if (y.isZero()) return ::llvm::APInt(x.getBitWidth(), 0); "
                 "if (y.isAllOnes()) return -x; "
                 "return ::llvm::APIntOps::RoundingSDiv(x, y, ::llvm::APInt::Rounding::DOWN);">,
    [(Zero), (Zero)]>;
// d(x mod y) = g, -(x // y) g (Theano's Mod).
def Theon_ModOp : Theon_BinaryOp<"mod", Theon_RankedNumericTensor, "lhs % rhs, with the sign of rhs",
    BodyFn<"buildMod">,
    BinaryFolder<"return std::nullopt;",
                 "if (y.isZero() || y.isAllOnes()) return ::llvm::APInt(x.getBitWidth(), 0); "
                 "::llvm::APInt r = x.srem(y); "
                 "if (!r.isZero() && r.isNegative() != y.isNegative()) r += y; return r;">,
    [(Grad), (Neg (Mul (Grad), (FloorDiv $lhs, $rhs)))]>;
// Bitwise ops on integers; on bool, logical. Not differentiable (integers
// carry no gradient). The body names its op for both element kinds: only
// integers reach it.
def Theon_BitAndOp : Theon_BinaryOp<"bitwise_and", Theon_RankedIntOrBoolTensor, "lhs & rhs",
    ArithBody<"arith::AndIOp", "arith::AndIOp">, BinaryFolder<"", "return x & y;">, [(Zero), (Zero)]>;
def Theon_BitOrOp : Theon_BinaryOp<"bitwise_or", Theon_RankedIntOrBoolTensor, "lhs | rhs",
    ArithBody<"arith::OrIOp", "arith::OrIOp">, BinaryFolder<"", "return x | y;">, [(Zero), (Zero)]>;
def Theon_BitXorOp : Theon_BinaryOp<"bitwise_xor", Theon_RankedIntOrBoolTensor, "lhs ^ rhs",
    ArithBody<"arith::XOrIOp", "arith::XOrIOp">, BinaryFolder<"", "return x ^ y;">, [(Zero), (Zero)]>;
def Theon_InvertOp : Theon_UnaryOp<"invert", Theon_RankedIntOrBoolTensor, "~x (not, for bool)",
    BodyFn<"buildInvert">, UnaryFolder<"", "~v">, (Zero)>;

def Theon_EqOp : Theon_CompareOp<"eq", "lhs == rhs", "OEQ", "eq", "eq">;
def Theon_NeOp : Theon_CompareOp<"ne", "lhs != rhs", "UNE", "ne", "ne">;
def Theon_LtOp : Theon_CompareOp<"lt", "lhs < rhs", "OLT", "slt", "ult">;
def Theon_LeOp : Theon_CompareOp<"le", "lhs <= rhs", "OLE", "sle", "ule">;
def Theon_GtOp : Theon_CompareOp<"gt", "lhs > rhs", "OGT", "sgt", "ugt">;
def Theon_GeOp : Theon_CompareOp<"ge", "lhs >= rhs", "OGE", "sge", "uge">;

def Theon_SelectOp : Theon_ElementwiseOp<"select", BodyFn<"buildSelect">,
    [InferTypeOpAdaptor, Theon_Differentiable]> {
  let summary = "cond ? lhs : rhs, elementwise with broadcasting";
  let arguments = (ins Theon_RankedBoolTensor:$cond, Theon_RankedTensor:$lhs,
                       Theon_RankedTensor:$rhs);
  let results = (outs Theon_RankedTensor:$result);
  let assemblyFormat = [{
    $cond `,` $lhs `,` $rhs attr-dict `:` type($cond) `,` type($lhs) `,`
    type($rhs) `->` type($result)
  }];
  let extraClassDefinition = scalarBodyDefinition # GradientRuleFromDerivatives<[
      (Disconnected), (Select $cond, (Grad), (Const "0")), (Select $cond, (Const "0"), (Grad))
    ]>.definition;
}

def Theon_CastOp : Theon_Op<"cast", [Pure, Elementwise, Theon_Differentiable,
                                     Theon_HasScalarBody]> {
  let summary = "convert the element type";
  let description = [{
    Float to integer truncates toward zero, as NumPy's `astype`; to bool is
    `x != 0`.
  }];
  let arguments = (ins Theon_RankedTensor:$x);
  let results = (outs Theon_RankedTensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `to` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and reductions.
//===----------------------------------------------------------------------===//

def Theon_DotOp : Theon_Op<"dot", [Pure, InferTypeOpAdaptor, Theon_Differentiable]> {
  let summary = "Theano's dot for 1-D and 2-D operands, and batches of matrix products";
  let description = [{
    vector . vector -> scalar (rank 0), matrix . vector -> vector,
    vector . matrix -> vector, matrix . matrix -> matrix, and a batch of
    matrix products (B, n, m) . (B, m, k) -> (B, n, k) (what the front end's
    matmul and batched_dot build). The contracted dimensions must agree.
  }];
  let arguments = (ins Theon_NumericTensor:$lhs, Theon_NumericTensor:$rhs);
  let results = (outs Theon_NumericTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

// `hasIdentity`: whether reducing an empty axis is defined (sum is 0; max
// of nothing is an error, as in NumPy).
class Theon_ReduceOp<string mnemonic, TypeConstraint tensorType, string doc,
                     bit hasIdentity = 1>
    : Theon_Op<mnemonic, [Pure, InferTypeOpAdaptor, Theon_Differentiable]> {
  let summary = doc;
  let description = [{
    Reduces over `axes` (sorted, unique, in range). With `keepdims` the reduced
    dimensions stay as size 1, as NumPy's `keepdims=True`. An axis of
    dynamic extent (a scan's number of steps) must be reduced, and only by
    a reduction with an identity (not `max` or `min`, of which nothing is
    not defined).
  }];
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdims);
  let results = (outs tensorType:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes (`keepdims` $keepdims^)? attr-dict `:`
    type($input) `->` type($result)
  }];
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::theon::inferReductionType(loc, adaptor.getInput().getType(),
          adaptor.getAxes(), adaptor.getKeepdims(), "}] # mnemonic # [{", }] #
          !if(hasIdentity, "true", "false") # [{, std::nullopt, inferred);
    }
  }];
}

def Theon_SumOp : Theon_ReduceOp<"sum", Theon_RankedNumericTensor, "sum over axes">;
def Theon_ProdOp : Theon_ReduceOp<"prod", Theon_RankedNumericTensor,
                                  "product over axes">;
def Theon_MaxOp : Theon_ReduceOp<"max", Theon_RankedNumericTensor,
                                 "maximum over axes; NaN propagates", 0>;
def Theon_MinOp : Theon_ReduceOp<"min", Theon_RankedNumericTensor,
                                 "minimum over axes; NaN propagates", 0>;
def Theon_MeanOp : Theon_ReduceOp<"mean", Theon_RankedFloatTensor,
                                  "arithmetic mean over axes">;

class Theon_ArgReduceOp<string mnemonic, string doc>
    : Theon_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
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
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *ctx,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      int64_t axis = adaptor.getAxis();
      return ::mlir::theon::inferReductionType(loc, adaptor.getInput().getType(),
          ::llvm::ArrayRef<int64_t>(axis), adaptor.getKeepdims(), "}] # mnemonic # [{",
          false, ::mlir::IntegerType::get(ctx, 64), inferred);
    }
  }];
}

def Theon_ArgmaxOp : Theon_ArgReduceOp<"argmax", "index of the maximum">;
def Theon_ArgminOp : Theon_ArgReduceOp<"argmin", "index of the minimum">;

def Theon_LogSoftmaxOp : Theon_Op<"log_softmax",
    [Pure, SameOperandsAndResultType, Theon_Differentiable]> {
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

// Running totals along an axis: result[..., i, ...] is the sum (product)
// of x[..., j, ...] for j <= i (j >= i with `reverse`).
class Theon_CumulativeOp<string mnemonic, string doc>
    : Theon_Op<mnemonic, [Pure, SameOperandsAndResultType, Theon_Differentiable]> {
  let summary = doc;
  let description = [{
    NumPy's and Theano's cumulative op along `axis`; with `reverse`, from
    the end (the gradient of the forward form).
    ```mlir
    %c = theon.}] # mnemonic # [{ %x axis = 1 : tensor<2x5xf32>
    ```
  }];
  let arguments = (ins Theon_NumericTensor:$x, I64Attr:$axis, UnitAttr:$reverse);
  let results = (outs Theon_NumericTensor:$result);
  let assemblyFormat = "$x `axis` `=` $axis (`reverse` $reverse^)? attr-dict `:` type($x)";
  let hasVerifier = 1;
}

def Theon_CumsumOp : Theon_CumulativeOp<"cumsum", "running sum along an axis">;
def Theon_CumprodOp : Theon_CumulativeOp<"cumprod", "running product along an axis">;

//===----------------------------------------------------------------------===//
// Gradient control: the value unchanged, the gradient changed.
//===----------------------------------------------------------------------===//

def Theon_ZeroGradOp : Theon_Op<"zero_grad",
    [Pure, SameOperandsAndResultType, Theon_Differentiable]> {
  let summary = "x, with a zero gradient (Theano's zero_grad, JAX's stop_gradient)";
  let description = [{
    The value is `x`; no gradient flows back through it (it is zero, as for
    a constant). `theon-autodiff` reads it; the lowering replaces it by `x`.
    ```mlir
    %y = theon.zero_grad %x : tensor<3xf32>
    ```
  }];
  let arguments = (ins Theon_Tensor:$x);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x)";
}

def Theon_GradClipOp : Theon_Op<"grad_clip",
    [Pure, SameOperandsAndResultType, Theon_Differentiable]> {
  let summary = "x, with its gradient clipped to [lo, hi] (Theano's grad_clip)";
  let description = [{
    The value is `x`; the gradient that flows back through it is clipped
    elementwise to `[lo, hi]`.
    ```mlir
    %y = theon.grad_clip %x lo = -1.0, hi = 1.0 : tensor<3xf32>
    ```
  }];
  let arguments = (ins Theon_FloatTensor:$x, F64Attr:$lo, F64Attr:$hi);
  let results = (outs Theon_FloatTensor:$result);
  let assemblyFormat = "$x `lo` `=` $lo `,` `hi` `=` $hi attr-dict `:` type($x)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Random numbers: a counter-based generator, so the numbers depend only on
// the state and each element's position.
//===----------------------------------------------------------------------===//

def Theon_DistributionUniform : I32EnumAttrCase<"uniform", 0>;
def Theon_DistributionNormal : I32EnumAttrCase<"normal", 1>;
def Theon_Distribution : I32EnumAttr<"Distribution", "what a random draw samples",
    [Theon_DistributionUniform, Theon_DistributionNormal]> {
  let cppNamespace = "::mlir::theon";
}

def Theon_RandomOp : Theon_Op<"random", [Pure, Theon_Differentiable]> {
  let summary = "a tensor of random numbers from a Philox4x32-10 stream";
  let description = [{
    `state` is `[key, counter]`. Element `i` (row-major position) is made
    from one Philox4x32-10 block (Salmon et al., SC'11) with counter words
    `(i mod 2^32, i div 2^32, counter mod 2^32, counter div 2^32)` and key
    words `(key mod 2^32, key div 2^32)`. `uniform` is in [0, 1): 24 bits of
    the first word for f32, 53 bits of the first two for f64. `normal` is
    standard normal by Box-Muller from two such uniforms. The result depends
    only on the state, the shape and the position, never on how the loops
    run; the front end advances `counter` after each call.
    ```mlir
    %u = theon.random uniform %state : tensor<2xi64> -> tensor<10x5xf32>
    ```
  }];
  let arguments = (ins Theon_IntTensor:$state, Theon_Distribution:$distribution);
  let results = (outs Theon_FloatTensor:$result);
  let assemblyFormat = "$distribution $state attr-dict `:` type($state) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape ops.
//===----------------------------------------------------------------------===//

def Theon_ReshapeOp : Theon_Op<"reshape", [Pure, Theon_Differentiable]> {
  let summary = "same elements in row-major order, new shape";
  let arguments = (ins Theon_Tensor:$x);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `to` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Theon_DimShuffleOp : Theon_Op<"dimshuffle",
                                  [Pure, InferTypeOpAdaptor, Theon_Differentiable]> {
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

def Theon_BroadcastToOp : Theon_ElementwiseOp<"broadcast_to", ScalarBody<"return operands[0];">,
                                               [Theon_Differentiable]> {
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

def Theon_TakeOp : Theon_Op<"take", [Pure, Theon_Differentiable]> {
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
  let hasVerifier = 1;  let extraClassDeclaration = [{
    /// The result type for operands of these types (what the verifier
    /// checks and the front end builds with).
    static ::mlir::RankedTensorType inferResultType(::mlir::RankedTensorType x,
                                                    ::mlir::RankedTensorType indices);
  }];
}

def Theon_SubtensorOp : Theon_Op<"subtensor", [Pure, Theon_Differentiable]> {
  let summary = "a strided slice of x, integer-indexed axes dropped (basic indexing)";
  let description = [{
    NumPy's and Theano's basic indexing, `x[1, ::-2, 3:]`, normalized by the
    front end for x's shape: per axis of x, the first element `starts[k]`,
    the step `steps[k]` (nonzero; negative walks backwards) and the number
    of elements `sizes[k]`. `dropped` lists the axes indexed by an integer
    (size 1), which the result does not have.
    ```mlir
    %r = theon.subtensor %x starts = [1, 4], steps = [1, -2], sizes = [1, 3], dropped = [0]
        : tensor<3x5xf32> -> tensor<3xf32>
    ```
    An axis of dynamic extent (a scan's runtime number of steps) takes one
    of two slices: an integer index (dropped; a negative start counts from
    the end, as `x[-1]`), or the whole axis (start 0, step 1, size `?`,
    printed as its sentinel). The index must be in range at run time; the
    front end checks that before it calls.
  }];
  let arguments = (ins Theon_RankedTensor:$x, DenseI64ArrayAttr:$starts, DenseI64ArrayAttr:$steps,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$dropped);
  let results = (outs Theon_RankedTensor:$result);
  let assemblyFormat = [{
    $x `starts` `=` $starts `,` `steps` `=` $steps `,` `sizes` `=` $sizes `,` `dropped` `=`
    $dropped attr-dict `:` type($x) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The result type of this slice of `x`, or a message saying what is
    /// wrong with the slice.
    static ::mlir::FailureOr<::mlir::RankedTensorType> inferResultType(
        ::mlir::RankedTensorType x, ::llvm::ArrayRef<int64_t> starts,
        ::llvm::ArrayRef<int64_t> steps, ::llvm::ArrayRef<int64_t> sizes,
        ::llvm::ArrayRef<int64_t> dropped, std::string *why);
  }];
}

def Theon_ConcatenateOp : Theon_Op<"concatenate", [Pure, Theon_Differentiable]> {
  let summary = "operands joined along an axis (Theano's concatenate)";
  let description = [{
    The operands have one element type and rank, and equal sizes on every
    axis but `axis`, along which the result has their sizes' sum.
    ```mlir
    %r = theon.concatenate %a, %b axis = 0 : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<6x3xf32>
    ```
  }];
  let arguments = (ins Variadic<Theon_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = [{
    $inputs `axis` `=` $axis attr-dict `:` type($inputs) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The result type for these operands, or a message saying why none.
    static ::mlir::FailureOr<::mlir::RankedTensorType> inferResultType(
        ::mlir::TypeRange inputs, int64_t axis, std::string *why);
  }];
}

def Theon_UpdateSubtensorOp : Theon_Op<"update_subtensor", [Pure, Theon_Differentiable]> {
  let summary = "x with a basic-indexing slice set to v, or increased by v";
  let description = [{
    Theano's `set_subtensor(x[...], v)` (with `set`) and
    `inc_subtensor(x[...], v)`: the result is x, except at the elements of
    the slice (as in `theon.subtensor`), which are `v`, or `x + v`. `v` has
    the slice's shape (the front end broadcasts it). A dynamic axis of `x`
    takes the slices `theon.subtensor` allows it (the gradient of `x[-1]`
    of a dynamic-length scan's output); `v` is static.
  }];
  let arguments = (ins Theon_RankedTensor:$x, Theon_Tensor:$v, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$steps, DenseI64ArrayAttr:$sizes,
                       DenseI64ArrayAttr:$dropped, UnitAttr:$set);
  let results = (outs Theon_RankedTensor:$result);
  let assemblyFormat = [{
    $x `[` `starts` `=` $starts `,` `steps` `=` $steps `,` `sizes` `=` $sizes `,` `dropped` `=`
    $dropped `]` `,` $v attr-dict `:` type($x) `,` type($v) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Theon_ScatterAddOp : Theon_Op<"scatter_add", [Pure, Theon_Differentiable]> {
  let summary = "base with updates added at rows idx (inc_subtensor of x[idx])";
  let description = [{
    `result = base; result[idx[i], ...] += updates[i, ...]` for every `i`;
    repeated indices accumulate. The gradient of `theon.take`. With `set`,
    `result[idx[i], ...] = updates[i, ...]` in order of `i`: the last update
    of a repeated row wins (the front end's advanced set_subtensor uses it
    on integer positions only; the set form has no gradient).
    ```mlir
    %r = theon.scatter_add %base[%idx], %upd
        : tensor<5x3xf32>, tensor<4xi64>, tensor<4x3xf32> -> tensor<5x3xf32>
    ```
  }];
  let arguments = (ins Theon_NumericTensor:$base, Theon_IntTensor:$indices,
                       Theon_NumericTensor:$updates, UnitAttr:$set);
  let results = (outs Theon_NumericTensor:$result);
  let assemblyFormat = [{
    $base `[` $indices `]` `,` $updates attr-dict `:` type($base) `,`
    type($indices) `,` type($updates) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Theon_TakePerRowOp : Theon_Op<"take_per_row", [Pure, Theon_Differentiable]> {
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

def Theon_PutPerRowOp : Theon_Op<"put_per_row", [Pure, Theon_Differentiable]> {
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

def Theon_ExtractDiagOp : Theon_Op<"extract_diag", [Pure, Theon_Differentiable]> {
  let summary = "the main diagonal of a matrix (Theano's diag of a matrix)";
  let arguments = (ins Theon_Tensor:$x);
  let results = (outs Theon_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The diagonal's type for a matrix of type `x`.
    static ::mlir::RankedTensorType inferResultType(::mlir::RankedTensorType x);
  }];
}

def Theon_AllocDiagOp : Theon_Op<"alloc_diag", [Pure, Theon_Differentiable]> {
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
// Convolution and pooling (NCHW).
//===----------------------------------------------------------------------===//

def Theon_Conv2dOp : Theon_Op<"conv2d", [Pure, Theon_Differentiable]> {
  let summary = "2-d cross-correlation of NCHW images with (F, C/groups, KH, KW) filters";
  let description = [{
    `result[n, f, i, j] = sum over c, a, b of
    xpad[n, g*Cg + c, i*sh + a*dh, j*sw + b*dw] * w[f, c, a, b]`, where
    `g = f / (F/groups)`, `Cg = C/groups` and `xpad` is `x` with `padding`
    zeros (top, bottom, left, right). The filters are not flipped: Theano's
    `conv2d` with `filter_flip` flips them in the front end. Both gradients
    are convolutions again.
    ```mlir
    %y = theon.conv2d %x, %w strides = [1, 1], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
        : tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32> -> tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = (ins Theon_FloatTensor:$x, Theon_FloatTensor:$filters,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilations, I64Attr:$groups);
  let results = (outs Theon_FloatTensor:$result);
  let assemblyFormat = [{
    $x `,` $filters `strides` `=` $strides `,` `padding` `=` $padding `,` `dilations` `=`
    $dilations `,` `groups` `=` $groups attr-dict `:` type($x) `,` type($filters) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The result type for these operand types and attributes, or a
    /// message saying what is wrong with them.
    static ::mlir::FailureOr<::mlir::RankedTensorType> inferResultType(
        ::mlir::RankedTensorType x, ::mlir::RankedTensorType filters,
        ::llvm::ArrayRef<int64_t> strides, ::llvm::ArrayRef<int64_t> padding,
        ::llvm::ArrayRef<int64_t> dilations, int64_t groups, std::string *why);
  }];
}

// The two gradients of theon.conv2d: the first operand is what the other
// gradient needs (the filters for the input's, the input for the
// filters'), the second the gradient of conv2d's result.
class Theon_Conv2dGradOp<string mnemonic, dag operands>
    : Theon_Op<mnemonic, [Pure, Theon_Differentiable]> {
  let arguments = !con(operands, (ins DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                                      DenseI64ArrayAttr:$dilations, I64Attr:$groups));
  let results = (outs Theon_FloatTensor:$result);
  let assemblyFormat = [{
    operands `strides` `=` $strides `,` `padding` `=` $padding `,` `dilations` `=` $dilations `,`
    `groups` `=` $groups attr-dict `:` type(operands) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Theon_Conv2dGradInputOp : Theon_Conv2dGradOp<"conv2d_grad_input",
    (ins Theon_FloatTensor:$filters, Theon_FloatTensor:$g)> {
  let summary = "the gradient of theon.conv2d with respect to its input";
  let description = [{
    For `y = theon.conv2d %x, %w` with these attributes and `g` the
    gradient of `y`: `result = dx`, of `x`'s type, which the result type
    gives (with strides above 1 several input sizes make the same output).
    Theano's `AbstractConv2d_gradInputs`: per image, `w^T g` added back
    over the windows it came from (col2im), instead of a convolution of a
    padded, spread `g` with flipped filters.
    ```mlir
    %dx = theon.conv2d_grad_input %w, %g strides = [1, 1], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
        : tensor<16x3x3x3xf32>, tensor<8x16x32x32xf32> -> tensor<8x3x32x32xf32>
    ```
  }];
}

def Theon_Conv2dGradFiltersOp : Theon_Conv2dGradOp<"conv2d_grad_filters",
    (ins Theon_FloatTensor:$x, Theon_FloatTensor:$g)> {
  let summary = "the gradient of theon.conv2d with respect to its filters";
  let description = [{
    For `y = theon.conv2d %x, %w` with these attributes and `g` the
    gradient of `y`: `result = dw`, of `w`'s type, which the result type
    gives. Theano's `AbstractConv2d_gradWeights`: per image, `g` times the
    image's columns (im2col) transposed, added up; no transposed copies of
    `x` or `g`.
    ```mlir
    %dw = theon.conv2d_grad_filters %x, %g strides = [1, 1], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
        : tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32> -> tensor<16x3x3x3xf32>
    ```
  }];
}

def Theon_PoolMax : I32EnumAttrCase<"max", 0>;
def Theon_PoolSum : I32EnumAttrCase<"sum", 1>;
def Theon_PoolAverageIncPad : I32EnumAttrCase<"average_inc_pad", 2>;
def Theon_PoolAverageExcPad : I32EnumAttrCase<"average_exc_pad", 3>;
def Theon_PoolMode : I32EnumAttr<"PoolMode", "what a pooling window computes",
    [Theon_PoolMax, Theon_PoolSum, Theon_PoolAverageIncPad, Theon_PoolAverageExcPad]> {
  let cppNamespace = "::mlir::theon";
}

def Theon_Pool2dOp : Theon_Op<"pool2d", [Pure, Theon_Differentiable]> {
  let summary = "2-d pooling over the last two axes (Theano's pool_2d)";
  let description = [{
    Window `window` moved by `strides` over `x` with `padding` rows and
    columns on each side. Window `(i, j)` starts at `(i*sh - ph, j*sw - pw)`
    and is clipped to `x` (`max`, `sum`, `average_exc_pad`) or to the padded
    `x` (`average_inc_pad`, whose pads count as zeros). Without
    `ignore_border` a partial window at the bottom or right edge makes an
    output too (then `padding` is 0, as in Theano).
    ```mlir
    %y = theon.pool2d max %x window = [2, 2], strides = [2, 2], padding = [0, 0] ignore_border
        : tensor<8x16x32x32xf32> -> tensor<8x16x16x16xf32>
    ```
  }];
  let arguments = (ins Theon_FloatTensor:$x, Theon_PoolMode:$mode, DenseI64ArrayAttr:$window,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       UnitAttr:$ignore_border);
  let results = (outs Theon_FloatTensor:$result);
  let assemblyFormat = [{
    $mode $x `window` `=` $window `,` `strides` `=` $strides `,` `padding` `=` $padding
    (`ignore_border` $ignore_border^)? attr-dict `:` type($x) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The pooled type of `x`, or a message saying what is wrong.
    static ::mlir::FailureOr<::mlir::RankedTensorType> inferResultType(
        ::mlir::RankedTensorType x, ::llvm::ArrayRef<int64_t> window,
        ::llvm::ArrayRef<int64_t> strides, ::llvm::ArrayRef<int64_t> padding,
        bool ignoreBorder, std::string *why);
  }];
}

def Theon_Pool2dGradOp : Theon_Op<"pool2d_grad", [Pure, Theon_Differentiable]> {
  let summary = "the gradient of theon.pool2d with respect to its input";
  let description = [{
    `x` and `pooled` are the pooling's input and result, `g` the gradient of
    the result; the attributes are the pooling's. Each input element gets
    the sum, over the windows that hold it, of `g` (`sum`), `g` divided by
    the window's count (averages), or `g` where it equals the window's
    maximum (`max`: every tied element, as Theano's MaxPoolGrad). Each
    element gathers from its windows, so the lowering needs no atomics.
    ```mlir
    %gx = theon.pool2d_grad max %x, %y, %g window = [2, 2], strides = [2, 2], padding = [0, 0] ignore_border
        : tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>, tensor<8x16x16x16xf32> -> tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = (ins Theon_FloatTensor:$x, Theon_FloatTensor:$pooled, Theon_FloatTensor:$g,
                       Theon_PoolMode:$mode, DenseI64ArrayAttr:$window,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       UnitAttr:$ignore_border);
  let results = (outs Theon_FloatTensor:$result);
  let assemblyFormat = [{
    $mode $x `,` $pooled `,` $g `window` `=` $window `,` `strides` `=` $strides `,`
    `padding` `=` $padding (`ignore_border` $ignore_border^)? attr-dict `:` type($x) `,`
    type($pooled) `,` type($g) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Loops.
//===----------------------------------------------------------------------===//

def Theon_ScanOp : Theon_Op<"scan", [AttrSizedOperandSegments, IsolatedFromAbove,
                                      RecursiveMemoryEffects, Theon_Differentiable]> {
  let summary = "a loop of `length` steps over sequences, carrying states (Theano's scan)";
  let description = [{
    Step `t` (0 to `length` - 1) runs the body on row `t` of each sequence,
    the current value of each state (its `init` at step 0) and the params;
    the body yields the new value of each state, then one value per output.
    The results are the states' final values (the inits when `length` is 0)
    and each output stacked along a new first axis of size `length`. The
    body is compiled once: its size does not grow with `length`. A
    sequence has at least `length` rows. With `reverse` (JAX's
    `lax.scan(..., reverse=True)`), step `t` reads row `length - 1 - t`
    of each sequence and its outputs are stacked at that row: the loop runs
    from the last row to the first, as a gradient's loop does, without
    reversed copies of what it reads and writes. The body sees nothing from
    outside but its arguments (params are how it reads other values).
    `theon-scan-to-loops` lowers it to an `scf.for`; its gradient is a
    reverse scan of the body's gradient (backpropagation through time).
    `length = ?` is a number of steps known at run time: the sequences'
    (dynamic) number of rows, the least of them; the stacked outputs then
    have a dynamic first axis. Compiled once, it runs any number of steps.
    ```mlir
    %h, %hs = theon.scan length = 5 sequences(%x : tensor<5x3xf32>) init(%h0 : tensor<3xf32>)
        params(%w : tensor<3x3xf32>) {
    ^bb0(%xt: tensor<3xf32>, %hp: tensor<3xf32>, %wp: tensor<3x3xf32>):
      %m = theon.dot %hp, %wp : tensor<3xf32>, tensor<3x3xf32> -> tensor<3xf32>
      %a = theon.add %m, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
      %n = theon.tanh %a : tensor<3xf32>
      theon.yield %n, %n : tensor<3xf32>, tensor<3xf32>
    } -> tensor<3xf32>, tensor<5x3xf32>
    ```
  }];
  let arguments = (ins Variadic<Theon_RankedTensor>:$sequences, Variadic<Theon_Tensor>:$inits,
                       Variadic<Theon_Tensor>:$params, I64Attr:$length, UnitAttr:$reverse);
  let results = (outs Variadic<Theon_RankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `length` `=` custom<ScanLength>($length) (`reverse` $reverse^)?
    (`sequences` `(` $sequences^ `:` type($sequences) `)`)?
    (`init` `(` $inits^ `:` type($inits) `)`)? (`params` `(` $params^ `:` type($params) `)`)?
    $body attr-dict `->` type($results)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// Whether the number of steps is known only at run time (`length = ?`).
    bool hasDynamicLength() {
      return ::mlir::ShapedType::isDynamic(static_cast<int64_t>(getLength()));
    }
    /// The body's arguments: one row of each sequence, the states, the params.
    ::mlir::Block::BlockArgListType getSequenceArguments() {
      return getBody().front().getArguments().take_front(getSequences().size());
    }
    ::mlir::Block::BlockArgListType getStateArguments() {
      return getBody().front().getArguments().slice(getSequences().size(), getInits().size());
    }
    ::mlir::Block::BlockArgListType getParamArguments() {
      return getBody().front().getArguments().take_back(getParams().size());
    }
    /// The stacked outputs (the results after the final states).
    ::mlir::ResultRange getOutputs() { return getResults().drop_front(getInits().size()); }
    /// The type of a body value's values at every step: `length` rows.
    ::mlir::RankedTensorType getStackedType(::mlir::Type bodyType);
    /// The output whose rows are `bodyValue`'s, if the body yields it as one.
    std::optional<size_t> getOutputYielding(::mlir::Value bodyValue);
  }];
}

def Theon_YieldOp : Theon_Op<"yield", [Pure, Terminator, HasParent<"ScanOp">]> {
  let summary = "the values a scan step gives: the new states, then the outputs";
  let arguments = (ins Variadic<Theon_Tensor>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

//===----------------------------------------------------------------------===//
// Differentiation.
//===----------------------------------------------------------------------===//

def Theon_GradOp : Theon_Op<"grad", [Pure, InferTypeOpAdaptor]> {
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
