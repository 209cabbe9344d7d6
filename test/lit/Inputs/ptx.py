#!/usr/bin/env python3
"""Prints the PTX of every gpu.binary in an MLIR module read from stdin and,
with --ptxas PTXAS --arch sm_XX, assembles each with CUDA's ptxas: a kernel
ptxas rejects fails the test with its message."""
import argparse
import re
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--ptxas")
parser.add_argument("--arch", action="append", default=[])
args = parser.parse_args()

module = sys.stdin.read()
kernels = []
for match in re.finditer(r'assembly = "((?:[^"\\]|\\.)*)"', module):
    text = re.sub(r"\\([0-9A-Fa-f]{2})", lambda h: chr(int(h.group(1), 16)), match.group(1))
    kernels.append(text.replace("\\\\", "\\"))
failed = False
for number, ptx in enumerate(kernels):
    print(ptx)
    for arch in args.arch:
        with tempfile.NamedTemporaryFile("w", suffix=".ptx") as source:
            source.write(ptx)
            source.flush()
            run = subprocess.run([args.ptxas, "-arch=" + arch, source.name, "-o", "/dev/null"],
                                 capture_output=True, text=True)
        if run.returncode != 0:
            failed = True
            print("ptx.py: ptxas -arch=%s rejected kernel %d:\n%s" % (arch, number, run.stderr),
                  file=sys.stderr)
print("ptx.py: %d kernels%s" % (len(kernels), ", assembled for " + ", ".join(args.arch)
                                if args.arch and kernels and not failed else ""))
sys.exit(1 if failed else 0)
