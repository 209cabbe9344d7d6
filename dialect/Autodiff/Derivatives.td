//===- Derivatives.td - derivatives of elementwise ops as data -*- tablegen -*-===//
//
// The vocabulary an elementwise op's `derivatives` are written in, in the
// spirit of Enzyme's MathDerivatives.td. A derivative is a DAG whose leaves
// are the op's operands (`$x`, `$lhs`, `$rhs`), `(Grad)` (the gradient of
// the result), `(Result)` and `(Const "2")`, and whose nodes are theon ops
// or helpers:
//
//   (Mul (Grad), (Cos $x))          d sin(x) = g * cos(x)
//
// `EmitDerivative` turns one into the C++ of a DerivativeBuilder
// expression; the op's generated `buildGradients` sums each result back to
// its operand's shape. `(Zero)` and `(Disconnected)` say that no value
// flows (OperandGradient::zero(), ::disconnected()).
//
//===----------------------------------------------------------------------===//
#ifndef THEON_DERIVATIVES_TD
#define THEON_DERIVATIVES_TD

// A theon op in a derivative, by C++ class; its result type is inferred.
class DerivativeOp<string cpp> { string cppClass = cpp; }
// A DerivativeBuilder method.
class DerivativeHelper<string m> { string method = m; }
// An answer that is not a value.
class NoGradient<string k> { string kind = k; }

def Grad : DerivativeHelper<"grad">;
def Result : DerivativeHelper<"result">;
def Const : DerivativeHelper<"constant">;
// A comparison's flags as 1 and 0 in the gradient's element type.
def Mask : DerivativeHelper<"mask">;
def Zero : NoGradient<"zero">;
def Disconnected : NoGradient<"disconnected">;

def Neg : DerivativeOp<"NegOp">;
def Sign : DerivativeOp<"SignOp">;
def Exp : DerivativeOp<"ExpOp">;
def Log : DerivativeOp<"LogOp">;
def Sin : DerivativeOp<"SinOp">;
def Cos : DerivativeOp<"CosOp">;
def Sigmoid : DerivativeOp<"SigmoidOp">;
def Add : DerivativeOp<"AddOp">;
def Sub : DerivativeOp<"SubOp">;
def Mul : DerivativeOp<"MulOp">;
def Div : DerivativeOp<"DivOp">;
def Pow : DerivativeOp<"PowOp">;
def Select : DerivativeOp<"SelectOp">;
def Ge : DerivativeOp<"GeOp">;
def Le : DerivativeOp<"LeOp">;
def FloorDiv : DerivativeOp<"FloorDivOp">;

// The C++ expression of a derivative DAG.
class EmitDerivative<dag d> {
  defvar op = !getdagop(d);
  string expr = !if(!isa<DerivativeHelper>(op), "d." # !cast<DerivativeHelper>(op).method,
                    "d.create<" # !cast<DerivativeOp>(op).cppClass # ">") # "(" #
      !interleave(!foreach(i, !range(!size(d)),
          !cond(!initialized(!getdagarg<dag>(d, i)): EmitDerivative<!getdagarg<dag>(d, i)>.expr,
                !initialized(!getdagarg<string>(d, i)): !getdagarg<string>(d, i),
                // $name: the op's operand accessor, getName().
                true: "get" # !toupper(!substr(!getdagname(d, i), 0, 1)) #
                      !substr(!getdagname(d, i), 1) # "()")), ", ") # ")";
}

// What flows to operand `i`: a value summed back to the operand's shape, or
// a NoGradient answer.
class EmitOperandGradient<int i, dag d> {
  defvar op = !getdagop(d);
  string stmt = "operandGrads.push_back(" #
      !if(!isa<NoGradient>(op),
          "::mlir::theon::OperandGradient::" # !cast<NoGradient>(op).kind # "()",
          "d.toOperand(" # i # ", " # EmitDerivative<d>.expr # ")") # ");\n";
}

// The generated GradientOpInterface method of an op with one result.
class GradientRuleFromDerivatives<list<dag> derivatives> {
  code definition = [{
    ::mlir::LogicalResult $cppClass::buildGradients(
        ::mlir::theon::GradientContext &ctx, ::llvm::ArrayRef<::mlir::Value> resultGrads,
        ::llvm::SmallVectorImpl<::mlir::theon::OperandGradient> &operandGrads) {
      ::mlir::theon::DerivativeBuilder d(ctx, getOperation(), resultGrads[0]);
      (void)d;
  }] # !interleave(!foreach(i, !range(!size(derivatives)),
                            EmitOperandGradient<i, derivatives[i]>.stmt), "") # [{
      return ::mlir::success();
    }
  }];
}

#endif // THEON_DERIVATIVES_TD
