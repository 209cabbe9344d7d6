#!/usr/bin/env bash
# The candidates for running Theon's matrix products, measured side by side:
# Debian's OpenBLAS (pthreads, what Theon links), the same OpenBLAS built
# with OpenMP, BLIS and oneDNN, at the MLP steps' shapes and 1024^3, one and
# two threads, each (library, thread count) in its own process, interleaved
# in a new random order each round (one-thread runs pinned to one core).
# Installs the candidates from Debian's packages where they are missing.
#   bash bench/blas.sh [output-dir] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/bench-results}"
rounds="${2:-3}"
mkdir -p "$out"
missing=()
for p in libblis-dev libdnnl-dev libopenblas0-openmp; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
cmake -S . -B build > /dev/null
cmake --build build --target theon-bench-kernels theon-bench-blas-openblas theon-bench-blas-blis \
  theon-bench-blas-dnnl
python3 - "$out" "$rounds" <<'PY'
import json, os, random, statistics, subprocess, sys
out, rounds = sys.argv[1], int(sys.argv[2])
lib = "/usr/lib/x86_64-linux-gnu/"
libraries = {
    "OpenBLAS 0.3.21 pthreads": ("theon-bench-blas-openblas", {"LD_LIBRARY_PATH": lib + "openblas-pthread"}),
    "OpenBLAS 0.3.21 OpenMP": ("theon-bench-blas-openblas", {"LD_LIBRARY_PATH": lib + "openblas-openmp"}),
    "BLIS 0.9.0 OpenMP": ("theon-bench-blas-blis", {}),
    "oneDNN 2.6.3": ("theon-bench-blas-dnnl", {}),
}
jobs = [(name, threads) for name in libraries for threads in (1, 2)]
results = {}
for r in range(rounds):
    random.shuffle(jobs)
    for name, threads in jobs:
        binary, env = libraries[name]
        env = dict(os.environ, **env, OPENBLAS_NUM_THREADS=str(threads), BLIS_NUM_THREADS=str(threads),
                   OMP_NUM_THREADS=str(threads))
        pin = ["taskset", "-c", "0"] if threads == 1 else []
        text = subprocess.run(pin + ["build/bin/" + binary, "--benchmark_format=json"], env=env,
                              check=True, capture_output=True, text=True).stdout
        for b in json.loads(text)["benchmarks"]:
            shape = b["name"].split("/", 1)[1].replace("/real_time", "")
            results.setdefault((shape, threads, name), []).append(b["GFLOP/s"] / 1e9)
with open(os.path.join(out, "blas.json"), "w") as f:
    json.dump([{"shape": s, "threads": t, "library": n, "gflops": v} for (s, t, n), v in results.items()], f)
names = list(libraries)
peak = {}
for threads in (1, 2):
    pin = ["taskset", "-c", "0"] if threads == 1 else []
    text = subprocess.run(pin + ["build/bin/theon-bench-kernels", "--benchmark_filter=BM_FmaPeak/threads:%d/" % threads,
                                 "--benchmark_format=json"], check=True, capture_output=True, text=True).stdout
    peak[threads] = json.loads(text)["benchmarks"][0]["GFLOP/s"] / 1e9
print("Single-precision products, GFLOP/s, median of %d interleaved rounds; the FMA limit "
      "(theon-bench-kernels' BM_FmaPeak) is %.1f GFLOP/s on one thread, %.1f on two; the last "
      "column is the fastest library's fraction of it:" % (rounds, peak[1], peak[2]))
print()
print("| m, k, n | threads | " + " | ".join(names) + " | fastest / FMA limit |")
print("|---|---|" + "---|" * (len(names) + 1))
for shape, threads in sorted({(s, t) for s, t, _ in results}, key=lambda st: (st[1], st[0])):
    row = [shape.replace("m:", "").replace("k:", "").replace("n:", "").replace("/", ", "), str(threads)]
    best = max(statistics.median(results[(shape, threads, n)]) for n in names if (shape, threads, n) in results)
    for n in names:
        v = results.get((shape, threads, n))
        cell = "%.1f" % statistics.median(v) if v else "-"
        row.append("**%s**" % cell if v and statistics.median(v) == best else cell)
    row.append("%.0f %%" % (100 * best / peak[threads]))
    print("| " + " | ".join(row) + " |")
PY
