#!/usr/bin/env python3
"""Every op the dialect declares (dialect/IR/TheonOps.td) has its row in the
"Every op" table of docs/op-reference.md (`| `theon.<mnemonic>` | C++ |
Theano | differentiable | notes |`), the table has no row for an op the
dialect lacks, and the rest of the reference names no such op either: the
reference cannot drift from the dialect.

    op_reference_check.py TheonOps.td op-reference.md
"""
import re
import sys


def main():
    td, doc = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
    declared = set(re.findall(r'def Theon_\w+Op\s*:\s*\w+<"([a-z_0-9]+)"', td))
    table = doc.split("## Every op", 1)[1].split("\n## ", 1)[0] if "## Every op" in doc else ""
    rows = re.findall(r"^\| `theon\.([a-z_0-9]+)` \|(?:[^|\n]|\\\|)*\|(?:[^|\n]|\\\|)*\|"
                      r"(?:[^|\n]|\\\|)*\|(?:[^|\n]|\\\|)*\|$", table, re.M)
    mentioned = set(re.findall(r"`theon\.([a-z_0-9]+)`", doc))
    problems = []
    problems += [f"the 'Every op' table has no row for theon.{op}" for op in sorted(declared - set(rows))]
    problems += [f"the 'Every op' table has a row for theon.{op}, which the dialect does not declare"
                 for op in sorted(set(rows) - declared)]
    problems += [f"op-reference.md names theon.{op}, which the dialect does not declare"
                 for op in sorted(mentioned - declared)]
    for p in problems:
        print(p)
    print(f"{len(declared)} ops declared, {len(set(rows) & declared)} in the table")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
