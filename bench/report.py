#!/usr/bin/env python3
"""Prints the table of bench/run.sh's results (markdown)."""
import json
import os
import platform
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def median_us(bench):
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[bench["time_unit"]]
    return bench["real_time"] * scale


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def show_time(us):
    return "%.1f µs" % us if us < 1000 else "%.2f ms" % (us / 1e3)


def mlp_rounds_table(path):
    """The MLP step of every system from bench/rounds.py: the median over the
    rounds, the spread (min-max over the rounds) in percent of the median,
    and each peer's time over Theon's (above 1: Theon is faster)."""
    steps, first_calls = {}, {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if "compile_ms" in r:
                first_calls.setdefault((r["peer"], r["cache"]), []).append(r["compile_ms"])
            else:
                steps.setdefault((r["peer"], r["size"], r["threads"]), []).append(r["us"])
    names = sorted({p for p, _, _ in steps if p != "theon"})
    rounds = max(len(v) for v in steps.values())
    print("MLP train step (float32, Adagrad), median of %d interleaved rounds (± spread); "
          "ratios are peer time / Theon time:" % rounds)
    print()
    print("| step | threads | Theon | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))

    def size_key(key):
        label, threads = key
        dims = label.replace("/b", "-").split("-")
        return (int(dims[1]) * int(dims[3]), threads)
    for label, threads in sorted({(s, t) for _, s, t in steps}, key=size_key):
        theon = steps.get(("theon", label, threads))
        if not theon:
            continue
        t = median(theon)
        row = [label.replace("/b", ", batch "), str(threads),
               "%s ± %.0f %%" % (show_time(t), 100 * (max(theon) - min(theon)) / t)]
        for name in names:
            v = steps.get((name, label, threads))
            row.append("%.2fx" % (median(v) / t) if v else "-")
        print("| " + " | ".join(row) + " |")
    print()
    if first_calls:
        print("First call at 784-500-10 (build, compile, one step; one thread), each in a new "
              "process: cold (empty disk cache) / from the disk cache (median of two):")
        print()
        for name in sorted({p for p, _ in first_calls}):
            cold = first_calls.get((name, "cold"), [])
            warm = first_calls.get((name, "warm"), [])
            print("- %s: %s / %s" % (name, "%.0f ms" % median(cold) if cold else "-",
                                     "%.0f ms" % median(warm) if warm else "-"))
        print()


def main():
    out = sys.argv[1]
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print("Machine: %s, %d cores, %s" % (cpu, os.cpu_count(), platform.platform()))
    print()

    peers, convnet_peers, gru_peers = {}, {}, {}
    with open(os.path.join(out, "peers.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            target = {"convnet": convnet_peers, "gru": gru_peers}.get(r.get("model"), peers)
            target[(r["peer"], r["size"], r["threads"])] = r["us"]
    rounds_path = os.path.join(out, "mlp-rounds.jsonl")
    if os.path.exists(rounds_path):
        mlp_rounds_table(rounds_path)

    def model_steps(prefix, label_of):
        """Theon's median step per (label, threads) from <prefix>-threads<N>.json."""
        steps = {}
        for threads in (1, 2):
            path = os.path.join(out, "%s-threads%d.json" % (prefix, threads))
            if not os.path.exists(path):
                continue
            for b in load(path)["benchmarks"]:
                if b.get("aggregate_name") != "median":
                    continue
                args = dict(a.split(":") for a in b["run_name"].split("/")[1:] if ":" in a)
                steps[(label_of(args), threads)] = median_us(b)
        return steps

    def model_table(title, steps, model_peers, unit, scale):
        names = sorted({p for p, _, _ in model_peers})
        print("| %s | threads | Theon | " % title + " | ".join(names) +
              "".join(" | %s / Theon" % n for n in names) + " |")
        print("|---|---|---|" + "---|" * (2 * len(names)))
        for (label, threads), us in sorted(steps.items()):
            peer = [model_peers.get((n, label, threads)) for n in names]
            row = [label, str(threads), "%.1f %s" % (us / scale, unit)]
            row += ["%.1f %s" % (v / scale, unit) if v else "-" for v in peer]
            row += ["%.2f×" % (v / us) if v else "-" for v in peer]
            print("| " + " | ".join(row) + " |")
        print()

    convnet = model_steps("convnet", lambda a: "%sx%sx%s %s-%s/b%s" % (
        a["channels"], a["side"], a["side"], a["filters1"], a["filters2"], a["batch"]))
    if convnet:
        model_table("convnet train step", convnet, convnet_peers, "µs", 1.0)
    gru = model_steps("gru", lambda a: "%s steps b%s h%s" % (a["steps"], a["batch"], a["hidden"]))
    if gru:
        model_table("GRU train step (scan)", gru, gru_peers, "ms", 1e3)
        path = os.path.join(out, "gru-compile.json")
        if os.path.exists(path):
            c = {b["name"].split("/iterations")[0]: median_us(b) / 1e3 for b in load(path)["benchmarks"]}
            print("GRU training function, first call (compile + one step): cold %.0f ms; from the disk "
                  "cache %.0f ms; at a new sequence length %.0f ms"
                  % (c.get("BM_GruCompile/disk_cache:0", -1), c.get("BM_GruCompile/disk_cache:1", -1),
                     c.get("BM_GruNewLength", -1)))
            print()

    # Medians of the repetitions, by the benchmark's own name.
    kernels = [b for b in load(os.path.join(out, "kernels.json"))["benchmarks"]
               if b.get("aggregate_name", "median") == "median"]
    for b in kernels:
        b["name"] = b.get("run_name", b["name"])
    by_name = {b["name"]: b for b in kernels}
    peak = {int(b["name"].split("threads:")[1].split("/")[0]): b["GFLOP/s"] / 1e9
            for b in kernels if b["name"].startswith("BM_FmaPeak/")}
    if peak:
        print("FMA limit (an FMA-only loop, %s): %s" % (
            next(b.get("label", "") for b in kernels if b["name"].startswith("BM_FmaPeak/")),
            ", ".join("%.1f GFLOP/s on %d thread%s" % (v, t, "s" if t > 1 else "")
                      for t, v in sorted(peak.items()))))
        print()
    print("| matrix product | Theon GFLOP/s | OpenBLAS GFLOP/s | Theon / OpenBLAS | Theon / FMA limit |")
    print("|---|---|---|---|---|")
    def shape_order(b):  # threads, then the amount of work
        args = dict(a.split(":") for a in b["name"].split("/") if ":" in a)
        return (int(args["threads"]), int(args["m"]) * int(args["k"]) * int(args["n"]))
    for b in sorted((b for b in kernels if b["name"].startswith("BM_TheonMatmul")), key=shape_order):
        peer = by_name.get(b["name"].replace("BM_TheonMatmul", "BM_OpenBlasSgemm"))
        if not peer:
            continue
        shape = b["name"].split("/", 1)[1]
        t, o = b["GFLOP/s"] / 1e9, peer["GFLOP/s"] / 1e9
        limit = peak.get(shape_order(b)[0])
        print("| %s | %.1f | %.1f | %.0f %% | %s |" % (shape, t, o, 100 * t / o,
                                                  "%.0f %%" % (100 * t / limit) if limit else "-"))
    print()
    copy = next(b for b in kernels if b["name"].startswith("BM_MemoryCopy/"))
    for b in sorted(kernels, key=lambda b: b["name"]):
        if b["name"].startswith("BM_FusedChain"):
            print("Fused exp(x)*y+tanh(z) over 16M floats (fresh output each call), %s: %.2f GB/s = %.0f %% of memcpy's %.2f GB/s"
                  % (b["name"].split("/", 1)[1], b["bytes_per_second"] / 1e9,
                     100 * b["bytes_per_second"] / copy["bytes_per_second"],
                     copy["bytes_per_second"] / 1e9))
    call = next(b for b in kernels if b["name"].startswith("BM_CallOverhead"))
    print("Call of a two-input function on 1x1 matrices: %.2f µs" % median_us(call))
    print()
    compile_ms = [median_us(b) / 1e3 for b in load(os.path.join(out, "compile.json"))["benchmarks"]]
    warm_ms = [median_us(b) / 1e3 for b in load(os.path.join(out, "warm-cache.json"))["benchmarks"]]
    print("First call of the 784-500-10 training function, cold: %.0f ms; from a warm disk cache: %.1f ms"
          % (compile_ms[0], warm_ms[0]))


if __name__ == "__main__":
    main()
