#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Instructions per byte of each worst-case family, per parser, under callgrind.

Usage:
  tools/bench_instructions.py MRMLGUARD [--mb 5] [--lift] [--only SUBSTRING]

CPU time on a shared machine varies with its load; instruction counts do not.
For each generated family of tools/bench_worst_case.py (the "N MB ..." ones,
at --mb) and for a realistic scene from tools/gen_big_scene.py of the same
size, runs `MRMLGUARD validate -q FILE` under `valgrind --tool=callgrind`
(all threads together) and prints the instructions executed in total and,
inclusive, in the byte scanner (ByteScanner::Scan), in Expat (XML_Parse) and
in libxml2 (xmlParseChunk), each per byte of input. --lift raises the
document budgets (max_document_attributes, max_document_references,
max_markup_bytes) so the parsers do the whole work, as before those budgets.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_worst_case as wc  # noqa: E402

PARTS = {"scanner": "ByteScanner::Scan", "expat": "XML_Parse", "libxml2": "xmlParseChunk"}
LIFT = ["max_document_attributes=1000000000", "max_document_references=1000000000", "max_markup_bytes=1000000000"]


def instructions(cli, path, extra):
    with tempfile.NamedTemporaryFile(suffix=".cg") as out:
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out.name, cli, "validate", "-q",
                        *extra, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out.name],
                              capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"^\s*([\d,]+)\s.*PROGRAM TOTALS", text, re.M).group(1).replace(",", ""))
    parts = {}
    for key, symbol in PARTS.items():
        best = 0
        for line in text.splitlines():
            m = re.match(r"^\s*([\d,]+)\s.*[\s:]" + re.escape(symbol) + r"[\s(']", line)
            if m:
                best = max(best, int(m.group(1).replace(",", "")))
        parts[key] = best
    return total, parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cli")
    parser.add_argument("--mb", type=int, default=5)
    parser.add_argument("--lift", action="store_true", help="lift the document budgets")
    parser.add_argument("--only", default="", help="families whose name contains this")
    args = parser.parse_args()
    size = args.mb * wc.MB
    limits = wc.read_limits(args.cli)
    cases = [(name, make) for name, make in wc.xml_cases(size, limits) if name.startswith(f"{args.mb} MB")]
    extra = [a for lift in LIFT for a in ("--limit", lift)] if args.lift else []
    print("| input | MB | Ir/byte total | scanner | Expat | libxml2 |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "doc.mrml")
        realistic = os.path.join(tmp, "scene.mrml")
        nodes = max(1, size * 250_000 // 91_539_559)
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "gen_big_scene.py"), "--nodes",
                        str(nodes), "-o", realistic], check=True)
        inputs = [(f"realistic scene, {nodes:,} nodes", realistic)] + [(name, None) for name, _ in cases]
        makers = dict(cases)
        for name, file in inputs:
            if args.only not in name:
                continue
            if file is None:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(makers[name]())
                file = path
            n = os.path.getsize(file)
            total, parts = instructions(args.cli, file, extra)
            print(f"| {name} | {n / wc.MB:.2f} | {total / n:.1f} | {parts['scanner'] / n:.1f} | "
                  f"{parts['expat'] / n:.1f} | {parts['libxml2'] / n:.1f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
