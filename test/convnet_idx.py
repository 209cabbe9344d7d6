#!/usr/bin/env python3
"""MNIST's IDX format, checked end to end: writes the shipped 8x8 digits as
the four IDX files theon-convnet --mnist reads (pixels scaled to 0..255,
the first 1400 images for training, the rest for testing), then trains on
them and requires the given accuracy. A reader that mixed up the header,
the byte order or the labels could not reach it.

usage: convnet_idx.py THEON_CONVNET DIGITS_CSV MIN_ACCURACY [options...]"""
import os
import struct
import subprocess
import sys
import tempfile


def write_idx(path, dims, values):
    with open(path, "wb") as f:
        f.write(struct.pack(">I", 0x800 | len(dims)))
        for d in dims:
            f.write(struct.pack(">I", d))
        f.write(bytes(values))


def main():
    binary, csv, accuracy, *options = sys.argv[1:]
    rows = []
    with open(csv) as f:
        for line in f:
            cells = line.strip().split(",")
            try:
                rows.append([int(float(c)) for c in cells])
            except ValueError:
                continue  # the header
    with tempfile.TemporaryDirectory() as d:
        for name, part in (("train", rows[:1400]), ("t10k", rows[1400:])):
            pixels = [round(v * 255 / 16) for r in part for v in r[1:]]
            write_idx(os.path.join(d, name + "-images-idx3-ubyte"), [len(part), 8, 8], pixels)
            write_idx(os.path.join(d, name + "-labels-idx1-ubyte"), [len(part)], [r[0] for r in part])
        run = subprocess.run([binary, "--mnist", d, "--min-accuracy", accuracy, *options])
        return run.returncode


if __name__ == "__main__":
    sys.exit(main())
