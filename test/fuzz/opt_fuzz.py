#!/usr/bin/env python3
"""theon-opt on mutants of the lit inputs: every pass and pipeline must exit
0 or report a diagnostic (exit 1) on whatever it is given, never crash or
hang. Mutants: a deleted line, two swapped tokens, a changed dimension, a
renamed op, a dropped attribute. A mutant that crashes is written to
opt-regressions/ (commit it: every run replays that folder first).

  opt_fuzz.py THEON_OPT LIT_DIR [runs] [seed]
"""
import os
import random
import re
import subprocess
import sys
import tempfile

PASSES = [
    "--theon-autodiff", "--theon-stabilize", "--convert-theon-to-linalg",
    "--theon-to-linalg-pipeline", "--theon-linalg-to-loops-pipeline",
    "--theon-loops-to-llvm-pipeline", "--theon-pipeline", "--theon-update-in-place",
    "--theon-drop-update-results", "--theon-distinct-results",
    "--theon-fuse-multi-use-elementwise", "--theon-fold-transpose-into-matmul",
    "--theon-linalg-to-blas", "--theon-collapse-elementwise-dims",
    "--theon-parallel-loops", "--theon-pack-buffers",
    "--theon-return-on-failure", "--theon-verify-linalg-on-tensors",
    "--theon-math-approximation", "--theon-split-shared-inits",
    "--theon-fuse-elementwise", "--theon-deallocate-buffers",
    "--theon-outline-kernel-chunks=max-kernels=2", "--theon-exact-math-to-libm",
    "--canonicalize",
    "--theon-gpu-pipeline", "--theon-linalg-to-loops-pipeline=target=gpu",
    "--theon-parallel-dims-first", "--theon-gpu-tile-parallel-loops",
    "--theon-gpu-device-memory", "--theon-gpu-block-reductions",
    "--theon-gpu-block-reductions=min-extent=1", "--theon-linalg-to-blas=gpu=1",
    "--theon-gpu-parallel-scatter", "--theon-gpu-parallel-lines",
]
OPS = ["add", "sub", "mul", "div", "exp", "log", "sum", "max", "dot", "reshape",
       "dimshuffle", "broadcast_to", "take", "cast", "select", "grad", "erf", "neg", "erfc", "expm1", "exp2", "log2", "log10",
       "floor_div", "mod", "erfinv", "bitwise_and", "bitwise_or", "bitwise_xor", "invert",
       "subtensor", "update_subtensor", "concatenate", "cumsum", "cumprod", "scatter_add",
       "zero_grad", "grad_clip", "random"]


def chunks(lit_dir):
    """The inputs of the lit tests, split as --split-input-file splits them."""
    for root, _, files in os.walk(lit_dir):
        for name in sorted(files):
            if name.endswith(".mlir"):
                with open(os.path.join(root, name)) as f:
                    text = f.read()
                for part in text.split("// -----"):
                    body = "\n".join(l for l in part.splitlines()
                                     if not l.lstrip().startswith("//"))
                    if "func.func" in body:
                        yield body


def mutate(text, rng):
    lines = text.splitlines()
    kind = rng.randrange(5)
    if kind == 0 and len(lines) > 1:  # delete a line
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if kind == 1:  # swap two tokens
        tokens = re.split(r"(\s+)", text)
        words = [i for i, t in enumerate(tokens) if t.strip()]
        if len(words) > 2:
            a, b = rng.sample(words, 2)
            tokens[a], tokens[b] = tokens[b], tokens[a]
        return "".join(tokens)
    if kind == 2:  # change a dimension
        dims = list(re.finditer(r"(?<=[<x])\d+(?=x)", text))
        if dims:
            m = rng.choice(dims)
            new = rng.choice(["0", "1", "7", "4611686018427387905", "?"])
            return text[:m.start()] + new + text[m.end():]
    if kind == 3:  # rename an op
        found = list(re.finditer(r"theon\.(\w+)", text))
        if found:
            m = rng.choice(found)
            return text[:m.start(1)] + rng.choice(OPS) + text[m.end(1):]
    # drop an attribute or an annotation
    found = list(re.finditer(r"(axes|axis|keepdims|pattern)\s*=?\s*(\[[^\]]*\]|\d+)?|\{[^{}]*\}",
                             text))
    if found:
        m = rng.choice(found)
        return text[:m.start()] + text[m.end():]
    return text


def run(theon_opt, text, passes):
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        proc = subprocess.run([theon_opt, path, "--allow-unregistered-dialect", passes,
                               "-o", os.devnull], capture_output=True, text=True, timeout=60)
        crashed = proc.returncode not in (0, 1)
        return crashed, proc.returncode, proc.stderr[-2000:]
    except subprocess.TimeoutExpired:
        return True, "timeout", ""
    finally:
        os.unlink(path)


def main():
    theon_opt, lit_dir = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261201
    here = os.path.dirname(os.path.abspath(__file__))
    regressions = os.path.join(here, "opt-regressions")
    failures = 0
    # The mutants that once crashed, through every pass.
    if os.path.isdir(regressions):
        for name in sorted(os.listdir(regressions)):
            with open(os.path.join(regressions, name)) as f:
                text = f.read()
            for passes in PASSES:
                crashed, code, err = run(theon_opt, text, passes)
                if crashed:
                    failures += 1
                    print(f"regression {name} {passes}: exit {code}\n{err}")
    rng = random.Random(seed)
    inputs = list(chunks(lit_dir))
    for k in range(runs):
        text = mutate(rng.choice(inputs), rng)
        if rng.random() < 0.3:
            text = mutate(text, rng)
        passes = rng.choice(PASSES)
        crashed, code, err = run(theon_opt, text, passes)
        if crashed:
            failures += 1
            os.makedirs(regressions, exist_ok=True)
            name = f"crash-{seed}-{k}.mlir"
            with open(os.path.join(regressions, name), "w") as f:
                f.write(f"// {passes}: exit {code}\n" + text)
            print(f"run {k} ({passes}): exit {code}, kept as opt-regressions/{name}\n{err}")
    print(f"{runs} mutants (seed {seed}) of {len(inputs)} inputs: {failures} crashes or hangs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
