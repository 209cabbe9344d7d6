//===- Passes.td - Theon passes ------------------------------*- tablegen -*-===//
#ifndef THEON_PASSES_TD
#define THEON_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTheonToLinalg : Pass<"convert-theon-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower theon ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Elementwise ops (including broadcasting, dimshuffle and broadcast_to)
    become `linalg.generic` ops with broadcasting indexing maps so that
    `linalg-fuse-elementwise-ops` can fuse them; `dot` becomes a named
    contraction (`linalg.matmul`, `matvec`, `vecmat`, `dot`); reductions become
    `linalg.generic` reductions; `reshape` becomes `tensor.collapse_shape` /
    `tensor.expand_shape`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def TheonAutodiff : Pass<"theon-autodiff", "::mlir::func::FuncOp"> {
  let summary = "Expand theon.grad into the reverse-mode backward graph";
  let description = [{
    For each `theon.grad %cost wrt %x, %y, ...`, in program order (so that a
    gradient used inside another cost is expanded first), walks the ops
    between the `wrt` values and the cost in reverse, asks each op's
    `GradientOpInterface` for the gradients of its operands, and sums the
    contributions to each value. One sweep serves every `wrt` of the op. Only
    float values carry gradients; a `wrt` the cost does not depend on gets
    zeros. An op on the path without a gradient rule is an error.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TheonCollapseElementwiseDims : Pass<"theon-collapse-elementwise-dims", "::mlir::func::FuncOp"> {
  let summary = "Run elementwise linalg.generic ops on buffers over one flat loop";
  let description = [{
    An elementwise `linalg.generic` on contiguous memrefs (all loops
    parallel, no `linalg.index`) whose indexing maps are all identities (the
    usual case for a fused chain) is rewritten to iterate over a single
    dimension of `memref.collapse_shape` views of its operands. A 100x10
    update then runs as one loop of 1000 that vectorizes, instead of 100
    loops of 10 that do not, and a 64x100 one without a scalar tail per row.
    It runs after bufferization: on tensors, a collapsed op's result would
    need an `expand_shape` that buffer-results-to-out-params then copies into
    the caller's buffer. Ops with broadcasting, rank-0 or transposing maps,
    and strided buffers, are left alone.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def TheonDistinctResults : Pass<"theon-distinct-results", "::mlir::func::FuncOp"> {
  let summary = "Give every returned tensor its own value before bufferization";
  let description = [{
    A function that returns the same tensor twice (an output that is also an
    update, or a repeated output) would need two out-params for one buffer;
    upstream `buffer-results-to-out-params` crashes on it. This pass returns a
    `linalg.copy` of the value for every repetition after the first.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def TheonFuseMultiUseElementwise : Pass<"theon-fuse-multi-use-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise producers that have other users, keeping their results";
  let description = [{
    Upstream `linalg-fuse-elementwise-ops` fuses a producer only into its
    single consumer. An Adagrad step has a producer with two users: the new
    accumulator `acc + g * g` is both returned (the accumulator's update)
    and read by the parameter's update. This pass fuses such a producer
    into its first consumer when every other user comes after that
    consumer; the fused op also returns the producer's result for them. Both
    ops must be all-parallel `linalg.generic`s: one loop then computes both
    values, reading the gradient and the accumulator once.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def TheonUpdateInPlace : Pass<"theon-update-in-place", "::mlir::func::FuncOp"> {
  let summary = "Write shared-variable updates into the variables' own buffers";
  let description = [{
    The front end marks an argument `{theon.update_result = N}` when result
    N is the argument's new value (a shared variable's update of the same
    shape). This pass stores that result into the argument with
    `bufferization.materialize_in_destination` and marks the argument
    writable. When the new value is computed by a linalg op into a fresh
    tensor, that op computes into the argument instead (what upstream's
    `eliminate-empty-tensors` does, for these values only), so One-Shot
    Bufferize writes the argument's buffer directly, or copies wherever the
    old value is still read afterwards; `theon-drop-update-results` then
    removes the result from the signature.

    All values are the function's own (Theano's updates see the values from
    before the call): results that share a destination's buffer (an argument
    returned unchanged, a view of one, an update that is another argument)
    are copied first, and an op whose results are only returned (a new
    value, or an accumulator's and a parameter's together) is moved after
    every other op, so reads of the old values come before it.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def TheonDropUpdateResults : Pass<"theon-drop-update-results", "::mlir::func::FuncOp"> {
  let summary = "Remove the results of updates written in place";
  let description = [{
    After bufferization, a result N named by an argument's
    `{theon.update_result = N}` (see `theon-update-in-place`) is that
    argument's own buffer; the caller already has it. This pass removes the
    result from the function and its return, and the attribute from the
    argument. A result that is not the argument is reported as an error.
    (Upstream `drop-equivalent-buffer-results` skips public functions and
    would also drop outputs that return an argument unchanged.)
  }];
}

def TheonLinalgToBlas : Pass<"theon-linalg-to-blas", "::mlir::ModuleOp"> {
  let summary = "Call BLAS gemm for float linalg.matmul on memrefs";
  let description = [{
    Replaces each `linalg.matmul` on f32/f64 memrefs with a call to
    `@theon_gemm_f32` / `@theon_gemm_f64` (C-interface memref descriptors,
    implemented by Theon's runtime on OpenBLAS). Transposed operands (a
    matmul with user indexing maps) become BLAS transpose flags, and a zero
    `linalg.fill` of the output right before the product (or a copy into it
    of a zero-filled buffer not written before the product) is dropped in
    favour of `beta = 0`. The choice is visible in the IR: a `func.call @theon_gemm_*`
    instead of loops.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def TheonFoldTransposeIntoMatmul : Pass<"theon-fold-transpose-into-matmul", "::mlir::func::FuncOp"> {
  let summary = "Read transposed matmul operands through indexing maps";
  let description = [{
    `dot(x, w.T)` lowers to a transposing copy followed by `linalg.matmul`.
    This pass makes the matmul read the untransposed tensor through a
    transposed indexing map instead, so no copy is made (and BLAS gets a
    transpose flag).
  }];
}

def TheonMathApproximation : Pass<"theon-math-approximation"> {
  let summary = "Vectorizable approximations of f32 exp, log, tanh, x / sqrt(y) and friends";
  let description = [{
    libm's `expf` and `tanhf` are scalar calls that keep loops from
    vectorizing. Upstream's polynomial approximations are plain arith code
    that LLVM vectorizes; Theon uses them for f32 `exp`, `expm1`, `log`,
    `log1p`, `log2`, `tanh` and `erf` (sin and cos approximations lose
    accuracy away from zero). f64 keeps libm.

    f32 `x / sqrt(y)` becomes `x * rsqrt(y)` with the rsqrt marked
    `fastmath<arcp,afn>`: LLVM emits the reciprocal square root estimate and
    one Newton step (a few ulp) instead of a square root and a division.
    Selects keep 0, subnormal and infinite `y` exact.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def TheonParallelLoops : Pass<"theon-parallel-loops", "::mlir::func::FuncOp"> {
  let summary = "Lower large linalg ops on memrefs to loops whose outer loop is parallel";
  let description = [{
    Runs right before `convert-linalg-to-loops`. A linalg op on memrefs
    whose static iteration space holds at least `min-work` points and whose
    outermost loop is parallel is lowered to loops here, with that outermost
    loop an `scf.parallel` (which `convert-scf-to-openmp` later turns into an
    OpenMP worksharing loop, run on `THEON_FLAGS=threads` threads). Only the
    outer loop is parallel, so each thread's inner loops stay contiguous and
    vectorizable. Smaller ops, and ops with dynamic shapes, are left for the
    serial lowering: forking threads costs more than they would save.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "iteration points an op needs before its outer loop runs in parallel">
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect"];
}

def TheonStabilize : Pass<"theon-stabilize", "::mlir::func::FuncOp"> {
  let summary = "Rewrites that remove work and keep log-probabilities finite";
  let description = [{
    Runs before `theon-autodiff` (so gradients are taken of the rewritten
    graph) and again after it:
    - `extract_diag(take(transpose(x), idx))` with as many indices as rows
      (the cheat sheet's `diag(Yhat.T[Y])`) becomes `take_per_row(x, idx)`:
      n elements instead of an n-by-n matrix;
    - `log(take_per_row(p, idx))` becomes `take_per_row(log(p), idx)` when
      `log(p)` simplifies (below);
    - `log(softmax(x))`, with the softmax written out as
      `exp(x - max(x)) / sum(exp(x - max(x)))` along one axis (keepdims or
      re-expanded with dimshuffle), becomes `theon.log_softmax`: finite where
      the softmax underflows to 0, and with the closed-form gradient
      `g - softmax * sum(g)` instead of a division by the probabilities and a
      gradient through the max;
    - other `log(exp(s) / d)` become `s - log(d)`;
    - `log(exp(s))` becomes `s`.
  }];
}

def TheonPromoteBuffersToStack : Pass<"theon-promote-buffers-to-stack", "::mlir::func::FuncOp"> {
  let summary = "Put small temporaries on the stack, within a budget for the whole function";
  let description = [{
    Upstream `promote-buffers-to-stack` bounds each allocation but not
    their sum: every temporary of up to 32 KiB lived on the stack for the
    whole call, so 300 layers of 90x90 products overflowed an 8 MiB stack
    and 10 a 256 KiB thread's. This pass turns statically shaped
    `memref.alloc`s at the top level of the function into `memref.alloca`s,
    smallest first (the cheapest to keep and the most numerous), while each
    is at most `max-alloc-bytes` and their total at most `budget-bytes`; the
    rest stay on the heap (Theon's caching allocator). Allocas get no
    lifetime markers, so the total is what the frame holds.
  }];
  let options = [
    Option<"maxAllocBytes", "max-alloc-bytes", "int64_t", /*default=*/"32768",
           "largest allocation placed on the stack">,
    Option<"budgetBytes", "budget-bytes", "int64_t", /*default=*/"65536",
           "most bytes of the function's allocations placed on the stack">
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def TheonReturnOnFailure : Pass<"theon-return-on-failure", "::mlir::func::FuncOp"> {
  let summary = "Return early when compiled code recorded a failure, before it can do harm";
  let description = [{
    Runs on memrefs after the results became out-params and the small
    temporaries went to the stack. Compiled code records failures with
    Theon's runtime (a heap allocation that got no memory; an index out of
    range, `@theon_index_error`), and `@theon_call_failed` says whether
    one was recorded on this thread. This pass calls it and branches to a
    return:
    - after the heap allocations, which move (in order) to the top of the
      function, so that no code writes through a null buffer (one check for
      all: a check per allocation split deep graphs into thousands of
      blocks); an allocation with size operands gets its own check;
    - before the first write into a function argument (a shared variable
      updated in place), so that a failed call changes no argument.
    The runtime then reports the failure (theon::MemoryError,
    theon::IndexError). Functions of several blocks, or with results, are
    left alone.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::cf::ControlFlowDialect",
                           "::mlir::arith::ArithDialect"];
}

def TheonVerifyLinalgOnTensors : Pass<"theon-verify-linalg-on-tensors", "::mlir::ModuleOp"> {
  let summary = "Check that the IR is in the form the bufferization stage expects";
  let description = [{
    Runs at the end of the first stage (`theon-to-linalg-pipeline`), in the
    spirit of torch-mlir's backend contract: after it, every op must belong
    to `func`, `arith`, `math`, `linalg`, `tensor` or `scf` (no `theon` op
    left, no buffers yet), and every ranked tensor must be statically
    shaped, with an element type Theon computes with (i1, i8 to i64, f32,
    f64); unranked tensors only carry values to printing helpers. An op that breaks the contract is reported by name, instead of
    surfacing later as a bufferization or LLVM lowering failure.
  }];
}

#endif // THEON_PASSES_TD
