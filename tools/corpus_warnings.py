#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Tabulates warnings per rule over a mrmlguard JSON report.

Usage:
  mrmlguard validate --format json FILE... > report.json
  tools/corpus_warnings.py report.json [--strip PREFIX] > table.md

For each rule that reported a warning, the table gives the number of files it
fires on, that number as a percentage of all files in the report, and the
number of findings. Rules over the threshold (5% of files, --threshold) are
flagged in the last column. Files are counted once per rule however many
times the rule fires in them. A second table lists error rules the same way.
"""

import argparse
import json
import sys
from collections import defaultdict


def tabulate(report, severity):
  files = defaultdict(set)
  findings = defaultdict(int)
  for entry in report["files"]:
    for finding in entry.get("findings", []):
      if finding["severity"] != severity:
        continue
      files[finding["rule"]].add(entry["path"])
      findings[finding["rule"]] += 1
  rows = sorted(files, key=lambda rule: (-len(files[rule]), rule))
  return [(rule, len(files[rule]), findings[rule]) for rule in rows]


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("report", help="JSON report of mrmlguard validate --format json")
  parser.add_argument("--threshold", type=float, default=5.0, help="flag rules over this %% of files")
  args = parser.parse_args()
  with open(args.report, encoding="utf-8") as f:
    report = json.load(f)
  total = len(report["files"])
  if total == 0:
    print("no files in the report", file=sys.stderr)
    return 1
  out = sys.stdout
  accepted = sum(1 for entry in report["files"] if entry["verdict"] == "accepted")
  out.write(f"{total} files, {accepted} accepted, {total - accepted} rejected.\n\n")
  for severity, title in (("warning", "Warnings"), ("error", "Errors")):
    rows = tabulate(report, severity)
    out.write(f"### {title} per rule\n\n")
    if not rows:
      out.write("none\n\n")
      continue
    out.write("| rule | files | % of files | findings | over threshold |\n|---|---:|---:|---:|---|\n")
    for rule, nfiles, nfindings in rows:
      pct = 100.0 * nfiles / total
      flag = f"yes (> {args.threshold:g}%)" if pct > args.threshold else ""
      out.write(f"| `{rule}` | {nfiles} | {pct:.1f} | {nfindings} | {flag} |\n")
    out.write("\n")
  return 0


if __name__ == "__main__":
  sys.exit(main())
