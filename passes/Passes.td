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
    For each cost's `theon.grad %cost wrt %x, %y, ...` ops (in program
    order, so that a gradient used inside another cost is expanded first),
    walks the ops between the `wrt` values and the cost in reverse, asks
    each op's `GradientOpInterface` for the gradients of its operands, and
    sums the contributions to each value. One sweep serves every `wrt` of
    every `theon.grad` of the same cost in a block (a Theano program asks
    for each parameter's gradient in a call of its own). Only
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

def TheonSplitSharedInits : Pass<"theon-split-shared-inits", "::mlir::func::FuncOp"> {
  let summary = "Give every destination operand its own tensor.empty (and fill)";
  let description = [{
    CSE merges identical `tensor.empty` ops and the `linalg.fill`s of them,
    so that after the first stage every op of one shape writes into the same
    init tensor. One-Shot Bufferize then sees one alias set with a write per
    op and checks each in-place decision against all of them: compile time
    cubic in the number of ops (a 400-layer chain with its gradient spent 12
    s there). This pass clones the `tensor.empty`, or the `linalg.fill` of a
    `tensor.empty`, for every destination use after the first, so that each
    op writes a tensor of its own. It runs just before bufferization; the
    clones cost nothing once bufferized.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def TheonDeallocateBuffers : Pass<"theon-deallocate-buffers", "::mlir::ModuleOp"> {
  let summary = "Free heap buffers at the returns, or run upstream's deallocation pipeline";
  let description = [{
    After bufferization, Theon's functions allocate every heap buffer in the
    entry block (theon-return-on-failure hoists them there), return no
    memref, and pass no buffer to a call or a branch. For such a function,
    freeing each buffer before each `func.return` is exact, and linear in
    the number of buffers. Upstream's `buffer-deallocation-pipeline`
    handles any IR, but its simplification compares every buffer of a
    `bufferization.dealloc` with every other one and with every retained
    value, again after each rewrite: cubic in the graph's depth (a
    400-layer chain with its gradient spent a second there, an 800-layer
    one most of its compile time).

    When a function of the module does not have that form (an allocation
    in a nested region or a later block, a memref result, a buffer passed
    on to a call, a branch or a return, an existing deallocation), this
    pass runs upstream's pipeline on the whole module instead.
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect", "::mlir::memref::MemRefDialect"
  ];
}

def TheonOutlineKernelChunks : Pass<"theon-outline-kernel-chunks", "::mlir::ModuleOp"> {
  let summary = "Move runs of a long function's loop nests into functions of their own";
  let description = [{
    A deep graph becomes one function with thousands of loop nests, and
    the passes after this one are superlinear in the size of a function:
    `convert-scf-to-cf` splits the block at every loop (moving the rest of
    the function each time), and LLVM's optimizer and code generator
    scale worse still (a 400-layer chain with its gradient spent 7 of its 9
    s there). This pass cuts each block of a function with more than
    `max-kernels` kernels (loop nests and calls) into runs of at most
    `max-kernels`, and moves each run into a private `noinline` function
    that the original calls: the work after it is then linear in the graph.

    Buffers that a run shares with the rest of the function stay in the
    caller (their allocations move before the call); the stack buffers used
    only inside a run move with it, so that runs reuse each other's stack.
    Constants are cloned into each run. A run that would have to return a
    stack buffer stays where it is. Functions with at most `max-kernels`
    kernels, like a typical training step, are left as they are.
  }];
  let options = [
    Option<"maxKernels", "max-kernels", "unsigned", "64",
           "Most kernels (loop nests and calls) one function keeps">
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def TheonFuseElementwise : Pass<"theon-fuse-elementwise", "::mlir::ModuleOp"> {
  let summary = "Upstream elementwise fusion, with a bound on the fused op's operands";
  let description = [{
    The patterns of upstream `linalg-fuse-elementwise-ops` (producer into
    its only consumer, reshapes folded by expansion, fills and constants
    folded, linalg canonicalization), with one more condition: the fused
    op has at most `max-inputs` inputs. The gradient of a weight that n
    layers share is a sum of n products; fused without a bound, that sum
    becomes one op of n inputs, rebuilt with one more input at each step:
    quadratic in the depth (an 800-layer chain spent 0.75 s there, 70 % of
    its first stage). Bounded, the sum is n / `max-inputs` ops, each one
    loop over its inputs.
  }];
  let options = [
    Option<"maxInputs", "max-inputs", "unsigned", "32",
           "Most inputs a fused linalg.generic may have">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def TheonExactMathToLibm : Pass<"theon-exact-math-to-libm", "::mlir::ModuleOp"> {
  let summary = "Call libm for the math ops whose LLVM lowering loses precision";
  let description = [{
    `convert-math-to-llvm` lowers `math.expm1` to `exp(x) - 1`, which loses
    every digit near 0, the one place expm1 exists for (expm1(1e-10) came
    out as 1.000000082740371e-10 instead of 1.00000000005e-10). This pass,
    run just before it, turns the `math.expm1` that
    theon-math-approximation left (f64) into libm's `expm1`, as
    `convert-math-to-libm` would, and leaves every other math op to the
    LLVM lowering (intrinsics that vectorize).
  }];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::LLVM::LLVMDialect"];
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
    instead of loops. With `gpu`, the calls are to `@theon_gpu_gemm_f32` /
    `@theon_gpu_gemm_f64` (runtime/cuda, on cuBLAS, with device buffers),
    and only products whose operands have contiguous rows are taken (known
    when compiling: the GPU has no fallback loop at run time).
  }];
  let options = [
    Option<"gpu", "gpu", "bool", /*default=*/"false",
           "Call the GPU runtime's cuBLAS gemm on device buffers">
  ];
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
    Option<"minWork", "min-work", "int64_t", /*default=*/"131072",
           "iteration points an op needs before its outer loop runs in parallel">
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect"];
}

def TheonSerialBlas : Pass<"theon-serial-blas", "::mlir::ModuleOp"> {
  let summary = "Products run on one BLAS thread inside parallel loops and in serial functions";
  let description = [{
    Runs after `theon-linalg-to-blas` and `theon-parallel-loops`. A
    parallel loop whose body calls the runtime's products (a convolution's
    chunks of images, from `scf.forall`) already has every thread busy:
    OpenBLAS's own threads would only take the cores back and forth. A
    function marked `theon.serial` (`theon-serial-small-functions`) has too
    little work for threads at all. Such a function calls
    `theon_blas_serial_begin()` at its start and `theon_blas_serial_end()`
    before each return, which set OpenBLAS to one thread and restore its
    count. Around each loop only, OpenBLAS's idle worker kept spinning
    between the loops against the loop's threads.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def TheonSerialSmallFunctions : Pass<"theon-serial-small-functions", "::mlir::func::FuncOp"> {
  let summary = "Mark functions with too little work for threads as serial";
  let description = [{
    Runs after `theon-linalg-to-blas`, before `theon-parallel-loops`. It
    adds up a function's work in loop points: the iteration points of its
    linalg ops, and the multiply-adds of its `theon_gemm_*` calls divided
    by 32 (what an AVX-512 core's two 16-lane FMA units do per cycle), each
    times the trip counts of the `scf.for` loops around it (a scan's
    steps). Below `min-threaded-work` the function gets the unit attribute
    `theon.serial`: `theon-parallel-loops` leaves its loops serial and
    `theon-serial-blas` runs its products on one BLAS thread. Waking the
    threads for each loop and product cost more than the second core gave
    back: the convnet example's step and a 301x257 elementwise chain ran
    slower on two threads than on one (bench/README.md). Unknown extents,
    and a parallel loop already there (a convolution's images), count as
    enough work.
  }];
  let options = [
    Option<"minThreadedWork", "min-threaded-work", "int64_t", /*default=*/"1048576",
           "loop points (a BLAS multiply-add counts 1/32) a function needs before it uses threads">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def TheonInlineAllocaScopes : Pass<"theon-inline-alloca-scopes", "::mlir::func::FuncOp"> {
  let summary = "Inline memref.alloca_scope ops that hold no stack allocation";
  let description = [{
    Runs after `convert-scf-to-openmp`, which wraps every parallel loop's
    body in a `memref.alloca_scope`. Upstream canonicalization inlines one
    only when nothing in it could allocate on the stack, and a call could,
    as far as it knows; a scope left in place then gets several blocks from
    `convert-scf-to-cf`, which its verifier refuses. A scope that holds no
    `memref.alloca` (the calls in Theon's loops are to its runtime, which
    allocates on the heap) is inlined here.
  }];
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

def TheonScanToLoops : Pass<"theon-scan-to-loops", "::mlir::func::FuncOp"> {
  let summary = "Lowers theon.scan to an scf.for over the steps";
  let description = [{
    Runs after `theon-autodiff` (which differentiates scans as scans) and
    before `convert-theon-to-linalg`. Each `theon.scan` becomes one
    `scf.for` from 0 to its length whose body is the scan's body, once:
    the loop carries the states and the stacked outputs; step `t` reads
    row `t` of each sequence (`tensor.extract_slice`) and writes its
    outputs into row `t` of the stacks (`tensor.insert_slice`, in place
    after bufferization). Compile time does not grow with the length.
    Nested scans are lowered from the inside out.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def TheonScanBatchProducts : Pass<"theon-scan-batch-products", "::mlir::func::FuncOp"> {
  let summary = "Sums a scan's per-step products as one product after the loop";
  let description = [{
    Runs after `theon-autodiff`, before `theon-scan-to-loops`. A scan state
    that only accumulates products, `state + dot(transpose(a_t), c_t)` (a
    weight's gradient in a reverse scan: a_t and c_t have `batch` rows), is
    removed from the loop; the scan stacks a_t and c_t as outputs instead
    (a_t that is a row of a sequence is read from the sequence), and after
    the loop one product `dot(transpose(A), C)` of the stacks, flattened to
    `length * batch` rows, gives the sum (plus the init unless it is zero).
    One product with k = `length * batch` instead of `length` products with
    k = `batch`, whose packing costs as much as their arithmetic. The sum
    is the same up to rounding. Scans of fewer than two steps, and products
    with a param (the same each step) as a factor, are left alone. For a
    scan of runtime length (`length = ?`) the product after the loop is a
    `linalg.matmul` with a transposed first operand of the stacks collapsed
    by `tensor.collapse_shape` (the theon ops are static-shaped), for any
    number of steps.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def TheonHoistLoopBuffers : Pass<"theon-hoist-loop-buffers", "::mlir::func::FuncOp"> {
  let summary = "Move the buffers allocated in loop bodies to the function's top level";
  let description = [{
    Runs after bufferization, before `theon-pack-buffers`. A statically
    shaped `memref.alloc` in the body of an `scf.for` (a scan's step, a
    convolution's image), used only inside that body and never yielded,
    moves before the loop, whose iterations share it; so does one of at
    least 16 MiB in a one-dimensional `scf.parallel` with constant bounds
    (a convolution's chunks of images on the threads), whose iterations
    get one slot each of a byte buffer `trips` times as large (a
    `memref.view` at the induction variable's offset, of the original
    type). Repeated, a buffer reaches the function's top level, where
    `theon-return-on-failure` checks it before any code runs: an
    allocation in a loop body that failed went unchecked and the code wrote
    through a null pointer (a convolution of 2x64x512x512 images with 25x25
    filters, whose columns need 38 GB an image, died with SIGSEGV). Moved
    buffers are marked `theon.loop_buffer`, and `theon-pack-buffers` leaves
    them an allocation of their own. Smaller buffers of a parallel body stay
    there. Both for the same reason: an allocation of its own tells LLVM
    that a buffer aliases nothing, which views into one shared buffer do
    not (the mid-size convnet step took 39 ms instead of 36 with its
    columns in slots).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def TheonPackBuffers : Pass<"theon-pack-buffers", "::mlir::func::FuncOp"> {
  let summary = "Temporaries on a bounded stack and in one heap buffer, sharing bytes by lifetime";
  let description = [{
    Runs after bufferization, before deallocation. Each statically shaped
    `memref.alloc` at the top level of the function is live from the first
    to the last top-level op that uses it (or a view of it). Smallest first
    (the cheapest to keep and the most numerous), temporaries of at most
    `max-alloc-bytes` go on the stack, within `budget-bytes` for the whole
    function:

    - in a function of at most `arena-above-kernels` kernels, each stack
      slot is a `memref.alloca` of its own (LLVM then knows that two slots
      never alias), and temporaries of one type whose lifetimes do not
      overlap share a slot;
    - in a longer one (which theon-outline-kernel-chunks will cut into
      functions), all are `memref.view`s into one stack arena at first-fit
      offsets that overlap only when lifetimes do not, so that a call
      passes one buffer, not one per temporary.

    The others become views into one heap arena (one `memref.alloc`, freed
    by the deallocation that follows), packed the same way.

    Upstream `promote-buffers-to-stack` bounds each allocation but not their
    sum, and its allocas get no lifetime markers: 300 layers of 90x90
    products overflowed an 8 MiB stack and 10 a 256 KiB thread's. Here the
    frame holds at most the budget however deep the graph, a deep graph's
    call makes one heap allocation instead of one per temporary, and needs
    the memory of what is live at once. A function whose blocks branch
    backwards (where positions are not lifetimes) gets no sharing;
    allocations in nested regions and dynamically shaped ones are left
    alone.
  }];
  let options = [
    Option<"maxAllocBytes", "max-alloc-bytes", "int64_t", /*default=*/"32768",
           "largest temporary placed on the stack">,
    Option<"budgetBytes", "budget-bytes", "int64_t", /*default=*/"65536",
           "most bytes of stack for the function's temporaries">,
    Option<"arenaAboveKernels", "arena-above-kernels", "int64_t", /*default=*/"64",
           "a function with more kernels (linalg ops and calls) than this gets "
           "one stack arena rather than one alloca per slot (-1: every function)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
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


//===----------------------------------------------------------------------===//
// GPU lowering.
//===----------------------------------------------------------------------===//

def TheonParallelDimsFirst : Pass<"theon-parallel-dims-first", "::mlir::func::FuncOp"> {
  let summary = "Put the parallel loops of each linalg.generic outside its reductions";
  let description = [{
    Interchanges the iterators of a `linalg.generic` with reduction
    iterators so that every parallel one comes first. Lowered to loops, a
    column sum `sum(x, axis=0)` is then one parallel loop over the columns
    around a sequential loop over the rows, which the GPU pipeline maps to
    one kernel, instead of a sequential loop that launches a kernel per row.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def TheonGpuTileParallelLoops : Pass<"theon-gpu-tile-parallel-loops", "::mlir::func::FuncOp"> {
  let summary = "Tile each outermost scf.parallel into blocks of threads";
  let description = [{
    Tiles the innermost dimension of every outermost `scf.parallel` by
    `block-size` and the others by 1, without `min` bounds (the inner loop
    checks its bound instead), so that `gpu-map-parallel-loops` maps the
    outer loop to blocks and the inner one to `block-size` threads. Without
    it every kernel runs one thread per block; with `min` bounds the loops
    stay on the host. Serial code that touches memory outside any
    `scf.parallel` (a 0-d op, a reduction to a scalar: a store, or an
    `scf.for`/`scf.if` nest with memory accesses outside the parallel loops
    it may hold, as scatter_add's loop over rows) is first wrapped in a unit
    `scf.parallel`, so that it too runs in a kernel, on one thread; parallel
    loops inside it run in order there.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block along the innermost dimension">
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::affine::AffineDialect"];
}

def TheonGpuParallelScatter : Pass<"theon-gpu-parallel-scatter", "::mlir::func::FuncOp"> {
  let summary = "scatter_add's loop over rows as one parallel loop of atomic adds";
  let description = [{
    Rewrites an `scf.for` on buffers whose body computes indices and views
    (reads only) and then accumulates one row with an all-parallel
    `linalg.generic` yielding `out + in` (f32, f64, i32 or i64), as
    scatter_add and inc_subtensor with an integer-array index lower, into
    one `scf.parallel` over the loop's iterations and the row's elements:
    each element is added with `memref.atomic_rmw`, so rows that repeat
    still add up. The order of the additions is not fixed, so float sums
    may differ in their last bits from run to run (as PyTorch's index_add_
    on CUDA). Loops that write otherwise, or `set` scatters (the last write
    wins), stay serial.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def TheonGpuParallelLines : Pass<"theon-gpu-parallel-lines", "::mlir::func::FuncOp"> {
  let summary = "Cumulative loops as one thread per line along their axis";
  let description = [{
    Rewrites an `scf.for` on buffers whose body combines slices across one
    axis (subviews with unit strides, offset 0 but along that axis, all of
    one static shape) elementwise with an all-parallel `linalg.generic`
    (identity maps, not reading its output) into a temporary, and copies
    the temporary into another such slice (as cumsum and cumprod lower),
    into an `scf.parallel` over the slice's elements whose body runs the
    serial loop along its own line, element by element. Every read and
    write of an iteration is at the same position of a slice, so the lines
    are independent.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def TheonGpuBlockReductions : Pass<"theon-gpu-block-reductions", "::mlir::func::FuncOp"> {
  let summary = "Reductions with few outputs as one thread block per output";
  let description = [{
    Rewrites a `linalg.generic` on buffers whose loops are parallel ones
    then one reduction (as `theon-parallel-dims-first` and
    `theon-collapse-elementwise-dims` leave them), whose body yields
    `combine(element, output)` with `combine` an `arith` op that
    `gpu.all_reduce` knows (add, mul, max, min, and, or, xor) and the
    element computed without the output, into a `gpu.launch` with one block
    per output: each thread folds every `threads`-th element into a partial
    result starting from the op's neutral element, `gpu.all_reduce
    ... uniform` combines the block's partial results (lowered by
    `convert-gpu-to-nvvm` to warp shuffles and a shared memory array), and
    thread 0 combines the total with the output's initial value. Only
    reductions with static parallel extents, at most `max-outputs` outputs,
    and a reduced extent that is dynamic or at least `min-extent` are
    rewritten: with many outputs, a thread per output (the default path)
    already fills the device. A block has `block-size` threads, fewer (in
    whole warps) for a short static extent. When each thread would fold
    more than 32 elements, an output's range is split over several blocks
    (at most 1024 in all) whose totals go to a temporary buffer, and a
    second launch, a block per output, combines them.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Most threads per block">,
    Option<"minExtent", "min-extent", "int64_t", /*default=*/"64",
           "Shortest static reduced extent worth a block">,
    Option<"maxOutputs", "max-outputs", "int64_t", /*default=*/"8192",
           "Most outputs (blocks) of a rewritten reduction">
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect"];
}

def TheonGpuDeviceMemory : Pass<"theon-gpu-device-memory", "::mlir::ModuleOp"> {
  let summary = "Keep the host code of a GPU function off device memory";
  let description = [{
    After `convert-parallel-loops-to-gpu`, every buffer of a function is
    device memory: its arguments (the runtime passes device pointers), and
    its temporaries, which become `gpu.alloc` / `gpu.dealloc`. Constants
    (`memref.get_global`) are copied to device buffers with `gpu.memcpy`, and
    `memref.copy` becomes a device-to-device `gpu.memcpy`. A `memref.load`
    in host code (a random draw's key) is moved into each `gpu.launch` that
    uses it; any host access to a buffer that is left is an error. Inside
    kernels, `memref.copy` becomes loops (no library call on the device).
    An entry point (a public function no function of the module calls)
    gets one more argument, last:
    `memref<3xi64> {theon.index_errors}`, the record of an index out of
    range. An index check's report to the host runtime
    (`theon_index_error(site, index, size)`) in a kernel becomes a
    compare-and-swap of `site + 1` into the record's first word, from 0,
    and the thread that swapped writes the index and the size: the first
    failure is kept whole. The kernel goes on with the index clamped; the
    runtime zeroes the record before the call and reads it after, and
    raises the IndexError. In other functions the report is dropped.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect"];
}

#endif // THEON_PASSES_TD
