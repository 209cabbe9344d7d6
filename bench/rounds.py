#!/usr/bin/env python3
"""The MLP training step of Theon and of every peer, interleaved: each round
runs every (system, size, thread count) once, in its own process, in a new
random order, so that all systems see the same drift of a shared machine.
One-thread runs are pinned to one core. Then each system's first call
(build, compile, one step) at 784-500-10, cold and from its disk cache.
Writes JSON lines to <out>/mlp-rounds.jsonl; bench/report.py takes the
medians and spreads.

  bench/rounds.py --python VENV_PYTHON --bin build/bin --rounds 3 --out DIR
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from peers import MLP_PEERS, SIZES, size_label  # noqa: E402


def pinned(threads):
    """taskset to core 0 for one-thread runs, where taskset exists."""
    return ["taskset", "-c", "0"] if threads == 1 and shutil.which("taskset") else []


def theon_step(args, size, threads):
    features, hidden, _, _ = size
    env = dict(os.environ, THEON_FLAGS="cache=0,threads=%d" % threads)
    out = subprocess.run(
        pinned(threads) + [os.path.join(args.bin, "theon-bench-mlp"),
                           "--benchmark_filter=BM_TrainStep/features:%d/hidden:%d/" % (features, hidden),
                           "--benchmark_format=json"],
        env=env, check=True, capture_output=True, text=True).stdout
    bench = json.loads(out)["benchmarks"][0]
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[bench["time_unit"]]
    return [{"peer": "theon", "size": size_label(size), "threads": threads,
             "us": bench["real_time"] * scale}]


def peer_run(args, peer, size, threads, extra=()):
    command = pinned(threads) + [args.python, os.path.join(HERE, "peers.py"), "--peer", peer,
                                 "--size", size_label(size), "--threads", str(threads)]
    result = subprocess.run(command + list(extra), capture_output=True, text=True)
    if result.returncode != 0:
        print("rounds: %s failed:\n%s" % (" ".join(command), result.stderr[-2000:]), file=sys.stderr)
        return []
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--bin", default="build/bin")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", required=True)
    parser.add_argument("--peers", default=",".join(MLP_PEERS))
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    peers = [p for p in args.peers.split(",") if p]
    rng = random.Random(args.seed)
    jobs = [("theon", size, threads) for size in SIZES for threads in (1, 2)]
    jobs += [(peer, size, threads) for peer in peers for size in SIZES for threads in (1, 2)]
    path = os.path.join(args.out, "mlp-rounds.jsonl")
    with open(path, "w") as out:
        for round_index in range(args.rounds):
            rng.shuffle(jobs)
            for system, size, threads in jobs:
                if system == "theon":
                    records = theon_step(args, size, threads)
                else:
                    records = peer_run(args, system, size, threads)
                for r in records:
                    r["round"] = round_index
                    out.write(json.dumps(r) + "\n")
                out.flush()
                print("rounds: round %d %s %s %d thread(s)" % (round_index + 1, system, size_label(size),
                                                              threads), file=sys.stderr)
        # First calls of the systems that compile: one cold (an empty cache
        # directory), then two from the cache the cold one filled, each in a
        # new process, one thread.
        for peer in (p for p in peers if p in ("torch.compile", "jax", "pytensor")):
            cache = tempfile.mkdtemp(prefix="theon-peer-cache-")
            try:
                for mode in ("cold", "warm", "warm"):
                    for r in peer_run(args, peer, SIZES[1], 1,
                                      ["--compile-time", mode, "--cache-dir", cache]):
                        out.write(json.dumps(r) + "\n")
            finally:
                shutil.rmtree(cache, ignore_errors=True)
    print("rounds: wrote " + path, file=sys.stderr)


if __name__ == "__main__":
    main()
