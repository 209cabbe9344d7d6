#!/usr/bin/env python3
"""The seed MLP training step in the systems Theon is compared with: NumPy,
PyTorch eager and torch.compile, JAX jit and PyTensor; and the convnet and
GRU steps in PyTorch. Prints one JSON object per line: {"peer", "size",
"threads", "us"} with the median time of a step in microseconds, or
"compile_ms" with --compile-time.

Thread counts must be fixed before a library starts its thread pools, so
each thread count runs in its own process: `peers.py --threads 1` runs the
NumPy and PyTorch eager steps of every size, the convnet and the GRU;
`peers.py --peer jax --size 784-500-10/b128 --threads 1` one system at one
size (bench/run.sh interleaves these).
"""
import argparse
import json
import os
import sys
import time

SIZES = [(64, 100, 10, 32), (784, 500, 10, 128), (784, 2048, 10, 512)]


def median_time(step, repeats):
    for _ in range(10):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2] * 1e6


def numpy_step(np, features, hidden, classes, batch, lr=0.1):
    rng = np.random.default_rng(0)
    np.seterr(all="ignore")  # the cheat sheet's log(p) meets p == 0 as training goes on
    f32 = np.float32
    W1 = (rng.random((features, hidden), dtype=f32) * 0.01 - 0.005)
    B1 = np.zeros(hidden, f32)
    W2 = (rng.random((hidden, classes), dtype=f32) * 0.01 - 0.005)
    B2 = np.zeros(classes, f32)
    params = [W1, B1, W2, B2]
    accum = [np.zeros_like(p) for p in params]
    x = rng.random((batch, features), dtype=f32)
    y = rng.integers(0, classes, batch).astype(np.int32)
    rows = np.arange(batch)

    def step():
        h = np.maximum(x @ W1 + B1, 0)
        z = h @ W2 + B2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        cost = -np.log(p[rows, y]).mean()
        dz = p
        dz[rows, y] -= 1
        dz /= batch
        dW2 = h.T @ dz
        dB2 = dz.sum(axis=0)
        dh = dz @ W2.T
        dh *= h > 0
        dW1 = x.T @ dh
        dB1 = dh.sum(axis=0)
        for P, A, G in zip(params, accum, (dW1, dB1, dW2, dB2)):
            A += G * G
            P -= lr * G / np.sqrt(A + 1e-6)
        return cost

    return step


def adagrad(torch, params, accum, grads, lr):
    """The cheat sheet's Adagrad update, in place."""
    with torch.no_grad():
        for P, A, G in zip(params, accum, grads):
            A += G * G
            P -= lr * G / torch.sqrt(A + 1e-6)


def uniform_parameter(torch, shape, bound):
    """A parameter drawn uniformly from [-bound, bound)."""
    return (torch.rand(*shape) * 2 * bound - bound).requires_grad_()


def torch_step(torch, features, hidden, classes, batch, lr=0.1):
    torch.manual_seed(0)
    W1 = (torch.rand(features, hidden) * 0.01 - 0.005).requires_grad_()
    B1 = torch.zeros(hidden, requires_grad=True)
    W2 = (torch.rand(hidden, classes) * 0.01 - 0.005).requires_grad_()
    B2 = torch.zeros(classes, requires_grad=True)
    params = [W1, B1, W2, B2]
    accum = [torch.zeros_like(p) for p in params]
    x = torch.rand(batch, features)
    y = torch.randint(0, classes, (batch,))
    rows = torch.arange(batch)

    def step():
        h = torch.clamp(x @ W1 + B1, min=0)
        z = h @ W2 + B2
        e = torch.exp(z - z.max(dim=1, keepdim=True).values)
        p = e / e.sum(dim=1, keepdim=True)
        cost = -torch.log(p[rows, y]).mean()
        adagrad(torch, params, accum, torch.autograd.grad(cost, params), lr)
        return cost

    return step


def torch_compiled_step(torch, features, hidden, classes, batch, lr=0.1):
    """The whole step in one torch.compile graph: torch.func.grad_and_value
    and the Adagrad update in place (torch.autograd.grad inside
    torch.compile is unsupported)."""
    torch.manual_seed(0)
    params = [torch.rand(features, hidden) * 0.01 - 0.005, torch.zeros(hidden),
              torch.rand(hidden, classes) * 0.01 - 0.005, torch.zeros(classes)]
    accum = [torch.zeros_like(p) for p in params]
    x = torch.rand(batch, features)
    y = torch.randint(0, classes, (batch,))
    rows = torch.arange(batch)

    def loss(params):
        W1, B1, W2, B2 = params
        h = torch.clamp(x @ W1 + B1, min=0)
        z = h @ W2 + B2
        e = torch.exp(z - z.max(dim=1, keepdim=True).values)
        p = e / e.sum(dim=1, keepdim=True)
        return -torch.log(p[rows, y]).mean()

    @torch.compile
    def step_graph(params, accum):
        grads, cost = torch.func.grad_and_value(loss)(params)
        for P, A, G in zip(params, accum, grads):
            A.add_(G * G)
            P.sub_(lr * G / torch.sqrt(A + 1e-6))
        return cost

    return lambda: step_graph(params, accum)


def jax_step(jax, features, hidden, classes, batch, lr=0.1):
    """jax.jit of value_and_grad and the update, parameters and accumulators
    donated so that XLA updates them in place."""
    jnp = jax.numpy
    key = jax.random.PRNGKey(0)
    k1, k2, k3, k4 = jax.random.split(key, 4)
    f32 = jnp.float32
    params = [jax.random.uniform(k1, (features, hidden), f32) * 0.01 - 0.005,
              jnp.zeros(hidden, f32),
              jax.random.uniform(k2, (hidden, classes), f32) * 0.01 - 0.005,
              jnp.zeros(classes, f32)]
    accum = [jnp.zeros_like(p) for p in params]
    x = jax.random.uniform(k3, (batch, features), f32)
    y = jax.random.randint(k4, (batch,), 0, classes)
    rows = jnp.arange(batch)

    def loss(params, x, y):
        W1, B1, W2, B2 = params
        h = jnp.maximum(x @ W1 + B1, 0)
        z = h @ W2 + B2
        e = jnp.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        return -jnp.log(p[rows, y]).mean()

    def update(params, accum, x, y):
        cost, grads = jax.value_and_grad(loss)(params, x, y)
        accum = [A + G * G for A, G in zip(accum, grads)]
        params = [P - lr * G / jnp.sqrt(A + 1e-6) for P, A, G in zip(params, accum, grads)]
        return params, accum, cost

    update = jax.jit(update, donate_argnums=(0, 1))
    state = [params, accum]

    def step():
        state[0], state[1], cost = update(state[0], state[1], x, y)
        return cost.block_until_ready()

    return step


def pytensor_step(np, pytensor, features, hidden, classes, batch, lr=0.1):
    """Theano's own program in PyTensor (Theano's successor): shared
    parameters, grad, one function with the Adagrad updates."""
    pt = pytensor.tensor
    rng = np.random.default_rng(0)
    f32 = np.float32

    def shared(value):
        return pytensor.shared(value.astype(f32))
    W1 = shared(rng.random((features, hidden)) * 0.01 - 0.005)
    B1 = shared(np.zeros(hidden))
    W2 = shared(rng.random((hidden, classes)) * 0.01 - 0.005)
    B2 = shared(np.zeros(classes))
    params = [W1, B1, W2, B2]
    accum = [shared(np.zeros(p.get_value().shape)) for p in params]
    X = pt.matrix("X", dtype="float32")
    Y = pt.ivector("Y")
    h = pt.maximum(X @ W1 + B1, 0)
    z = h @ W2 + B2
    e = pt.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    cost = -pt.log(p[pt.arange(batch), Y]).mean()
    grads = pytensor.grad(cost, params)
    updates = []
    for P, A, G in zip(params, accum, grads):
        A_new = A + G * G
        updates += [(A, A_new), (P, P - f32(lr) * G / pt.sqrt(A_new + f32(1e-6)))]
    train = pytensor.function([X, Y], cost, updates=updates)
    x = rng.random((batch, features)).astype(f32)
    y = rng.integers(0, classes, batch).astype(np.int32)
    return lambda: train(x, y)


# The convnet example's step (bench/convnet_step.cpp): channels, side,
# filters1, filters2, batch.
CONVNET_SIZES = [(1, 8, 16, 32, 32), (3, 32, 32, 64, 64)]


def convnet_label(size):
    return "%dx%dx%d %d-%d/b%d" % (size[0], size[1], size[1], size[2], size[3], size[4])


def torch_convnet_step(torch, channels, side, filters1, filters2, batch, lr=0.05):
    """conv 3x3 (padding 1), relu, 2x2 max pooling, twice; dense softmax;
    the mean NLL; Adagrad; as examples/convnet."""
    F = torch.nn.functional
    torch.manual_seed(0)

    def he(shape, fan_in):
        return uniform_parameter(torch, shape, (6.0 / fan_in) ** 0.5)
    pooled = side // 4
    W1 = he((filters1, channels, 3, 3), channels * 9)
    b1 = torch.zeros(filters1, requires_grad=True)
    W2 = he((filters2, filters1, 3, 3), filters1 * 9)
    b2 = torch.zeros(filters2, requires_grad=True)
    W3 = he((filters2 * pooled * pooled, 10), filters2 * pooled * pooled)
    b3 = torch.zeros(10, requires_grad=True)
    params = [W1, b1, W2, b2, W3, b3]
    accum = [torch.zeros_like(p) for p in params]
    x = torch.rand(batch, channels, side, side)
    y = torch.randint(0, 10, (batch,))

    def step():
        h = F.max_pool2d(F.relu(F.conv2d(x, W1, b1, padding=1)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, W2, b2, padding=1)), 2)
        cost = F.cross_entropy(h.flatten(1) @ W3 + b3, y)
        adagrad(torch, params, accum, torch.autograd.grad(cost, params), lr)
        return cost

    return step


# The recurrent example's step (bench/rnn_step.cpp): steps, batch, hidden.
GRU_SIZES = [(100, 32, 256)]


def torch_gru_step(torch, steps, batch, hidden, lr=0.001):
    """examples/rnn's GRU, written out as its cell in a Python loop (PyTorch
    eager, autograd through the loop), the mean squared error of a linear
    read-out of the last state, Adam by hand."""
    torch.manual_seed(0)
    inputs = 2

    bx, bh = inputs ** -0.5, hidden ** -0.5
    W = uniform_parameter(torch, (inputs, 2 * hidden), bx)
    U = uniform_parameter(torch, (hidden, 2 * hidden), bh)
    b = torch.zeros(2 * hidden, requires_grad=True)
    Wh = uniform_parameter(torch, (inputs, hidden), bx)
    Uh = uniform_parameter(torch, (hidden, hidden), bh)
    bhid = torch.zeros(hidden, requires_grad=True)
    V, c = uniform_parameter(torch, (hidden, 1), bh), torch.zeros(1, requires_grad=True)
    params = [W, U, b, Wh, Uh, bhid, V, c]
    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]
    t = [0]
    x = torch.rand(steps, batch, inputs)
    y = torch.rand(batch)

    def step():
        h = torch.zeros(batch, hidden)
        for k in range(steps):
            gates = torch.sigmoid(x[k] @ W + h @ U + b)
            z, r = gates[:, :hidden], gates[:, hidden:]
            cand = torch.tanh(x[k] @ Wh + (r * h) @ Uh + bhid)
            h = (1 - z) * h + z * cand
        cost = ((h @ V + c).flatten() - y).pow(2).mean()
        grads = torch.autograd.grad(cost, params)
        t[0] += 1
        corr = (1 - 0.999 ** t[0]) ** 0.5 / (1 - 0.9 ** t[0])
        with torch.no_grad():
            for P, M, S, G in zip(params, m, v, grads):
                M.mul_(0.9).add_(0.1 * G)
                S.mul_(0.999).add_(0.001 * G * G)
                P -= lr * corr * M / (S.sqrt() + 1e-8)
        return cost

    return step


GPU_SIZES = [(64, 100, 10, 32), (784, 500, 10, 128), (784, 2048, 10, 512)]


def cuda_peers(args):
    """PyTorch eager on the GPU, each step synchronized (as Theon's call is)."""
    try:
        import torch
    except ImportError:
        print("peers: no PyTorch here; the GPU peer is skipped", file=sys.stderr)
        return
    if not torch.cuda.is_available():
        print("peers: PyTorch %s sees no GPU; the GPU peer is skipped" % torch.__version__,
              file=sys.stderr)
        return
    torch.set_default_device("cuda")
    for size in GPU_SIZES:
        step = torch_step(torch, *size)

        def synchronized():
            step()
            torch.cuda.synchronize()
        us = median_time(synchronized, args.repeats)
        print(json.dumps({"peer": "pytorch %s cuda" % torch.__version__.split("+")[0],
                          "device": torch.cuda.get_device_name(), "size": "%d-%d-%d/b%d" % size,
                          "us": us}))
        sys.stdout.flush()


MLP_PEERS = ["numpy", "pytorch", "torch.compile", "jax", "pytensor"]


def size_label(size):
    return "%d-%d-%d/b%d" % size


def load_peer(name, threads, cache_dir):
    """Imports the peer's library with its thread count (and disk cache
    directory) fixed first; returns (label, make_step) or None when the
    library is not installed."""
    if name == "jax":
        if threads == 1:
            os.environ["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=false "
                                       "intra_op_parallelism_threads=1")
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
    if name == "pytensor" and cache_dir:
        os.environ["PYTENSOR_FLAGS"] = "compiledir=" + cache_dir
    if name == "torch.compile" and cache_dir:
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = cache_dir
    try:
        import numpy as np
        if name == "numpy":
            return "numpy " + np.__version__, lambda size: numpy_step(np, *size)
        if name in ("pytorch", "torch.compile"):
            import torch
            torch.set_num_threads(threads)
            version = torch.__version__.split("+")[0]
            if name == "pytorch":
                return "pytorch " + version, lambda size: torch_step(torch, *size)
            return "torch.compile " + version, lambda size: torch_compiled_step(torch, *size)
        if name == "jax":
            import jax
            if cache_dir:
                jax.config.update("jax_compilation_cache_dir", cache_dir)
                jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
                jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
            return "jax " + jax.__version__, lambda size: jax_step(jax, *size)
        if name == "pytensor":
            import pytensor
            return ("pytensor " + pytensor.__version__.split("+")[0],
                    lambda size: pytensor_step(np, pytensor, *size))
    except ImportError as error:
        print("peers: %s is not installed (%s); skipped" % (name, error), file=sys.stderr)
        return None
    raise ValueError("unknown peer " + name)


def one_peer(args):
    """One system at one size in this process: the step's median time, or
    with --compile-time the first call's time (build, compile, one step)."""
    loaded = load_peer(args.peer, args.threads, args.cache_dir)
    if loaded is None:
        return
    label, make_step = loaded
    size = next(s for s in SIZES if size_label(s) == args.size)
    record = {"peer": label, "size": args.size, "threads": args.threads}
    if args.compile_time:
        start = time.perf_counter()
        make_step(size)()
        record["compile_ms"] = (time.perf_counter() - start) * 1e3
        record["cache"] = args.compile_time
    else:
        repeats = args.repeats if size[1] < 2048 else max(args.repeats // 10, 10)
        record["us"] = median_time(make_step(size), repeats)
    print(json.dumps(record))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--device", default="cpu",
                        help="cuda: PyTorch on the GPU only (scripts/gpu-check.sh)")
    parser.add_argument("--peer", choices=MLP_PEERS,
                        help="one system's MLP step at --size, in this process alone")
    parser.add_argument("--size", default=size_label(SIZES[1]))
    parser.add_argument("--compile-time", choices=["cold", "warm"],
                        help="with --peer: time the first call instead of the step")
    parser.add_argument("--cache-dir", help="with --peer: the system's disk cache directory")
    parser.add_argument("--models", action="store_true",
                        help="the convnet and GRU steps only (bench/rounds.py runs the MLP's)")
    args = parser.parse_args()
    if args.device == "cuda":
        return cuda_peers(args)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "NUMBA_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    if args.peer:
        return one_peer(args)
    try:
        import numpy as np
    except ImportError:
        np = None
    try:
        import torch
        torch.set_num_threads(args.threads)
    except ImportError:
        torch = None
    for size in [] if args.models else SIZES:
        label = size_label(size)
        # The 784-2048-10 step takes tens of milliseconds: fewer repeats.
        repeats = args.repeats if size[1] < 2048 else max(args.repeats // 10, 10)
        if np is not None:
            us = median_time(numpy_step(np, *size), repeats)
            print(json.dumps({"peer": "numpy " + np.__version__, "size": label,
                              "threads": args.threads, "us": us}))
        if torch is not None:
            us = median_time(torch_step(torch, *size), repeats)
            print(json.dumps({"peer": "pytorch " + torch.__version__.split("+")[0],
                              "size": label, "threads": args.threads, "us": us}))
        sys.stdout.flush()
    if torch is not None:
        for size in GRU_SIZES:
            us = median_time(torch_gru_step(torch, *size), 10)
            print(json.dumps({"peer": "pytorch " + torch.__version__.split("+")[0] + " eager",
                              "model": "gru", "size": "%d steps b%d h%d" % size,
                              "threads": args.threads, "us": us}))
            sys.stdout.flush()
        for size in CONVNET_SIZES:
            us = median_time(torch_convnet_step(torch, *size), max(args.repeats // 10, 10))
            print(json.dumps({"peer": "pytorch " + torch.__version__.split("+")[0],
                              "model": "convnet", "size": convnet_label(size),
                              "threads": args.threads, "us": us}))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
