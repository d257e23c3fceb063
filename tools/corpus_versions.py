#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Prints the Slicer version matrix of corpus/real (generation -> files).

Usage:
  tools/corpus_versions.py CORPUS_DIR [--git OWNER/NAME=GIT_DIR]...

Each .mrml file's generation is deduced, first match wins, from:
  1. its <MRML version="Slicer X.Y.Z ..."> attribute (Slicer 5 writes the release);
  2. a release tag folder (corpus/real/Slicer-tags/<tag>/...): the first tag holding that version;
  3. for NA-MIC/svn.slicer.org-Slicer4 and -Slicer3 (Slicer's Subversion histories; the
     Slicer4 copy's git dates are all the import date): the oldest Slicer-X-Y release branch
     holding the commit (Slicer-3-0 to Slicer-3-6 give the Slicer 3 releases);
  4. the commit date from SOURCES.md (or from --git for rows without one), mapped to the
     release line current on that day (release dates are those of Slicer's tags);
  5. the version attribute alone: "Slicer4" (4.0-4.3), "Slicer4.4.0" (4.4 and later),
     a bare number (a Slicer 3 Subversion revision).
Files that none of these date are counted as "unknown".
"""

import argparse
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

# Release dates (commit dates of the release tags in Slicer's repository).
RELEASES = [
    ("4.0", "2011-11-26"), ("4.1", "2012-04-12"), ("4.2", "2012-10-31"), ("4.3", "2013-09-04"),
    ("4.4", "2014-11-02"), ("4.5", "2015-11-12"), ("4.6", "2016-10-13"), ("4.8", "2017-10-18"),
    ("4.10", "2018-10-17"), ("4.11", "2020-09-30"), ("5.0", "2022-04-29"), ("5.2", "2022-11-21"),
    ("5.4", "2023-08-19"), ("5.6", "2023-11-26"), ("5.8", "2025-01-23"), ("5.10", "2025-11-10"),
    ("5.12", "2026-06-23"),
]
SLICER3 = ["3.0", "3.2", "3.4", "3.6"]  # Slicer 3 release branches (Slicer-3-0 ... Slicer-3-6)
ORDER = SLICER3 + ["3.x"] + [r for r, _ in RELEASES] + ["unknown"]
# Git copies of Slicer's Subversion repositories: their release branches date a commit.
SVN_REPOS = ("NA-MIC/svn.slicer.org-Slicer4", "NA-MIC/svn.slicer.org-Slicer3")


def line_of(version):
  """Maps '4.13' or '5.7' (development numbers) to the release line they belong to."""
  major, minor = (int(x) for x in version.split(".")[:2])
  if major == 3 and f"3.{minor}" in SLICER3:
    return f"3.{minor}"
  best = "3.x" if major < 4 else None
  for release, _ in RELEASES:
    rmaj, rmin = (int(x) for x in release.split("."))
    if (rmaj, rmin) <= (major, minor):
      best = release
  return best or "unknown"


def by_date(date):
  best = "3.x"  # before 4.0.0: the Slicer 3 line (3.0-3.6)
  for release, day in RELEASES:
    if date >= day:
      best = release
  return best


def read_sources(path):
  """SOURCES.md rows: corpus-relative path -> (repo, commit, date or None)."""
  rows = {}
  for line in open(path, encoding="utf-8"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 4 or not cells[1].startswith("`"):
      continue
    commit = cells[2].strip("`")
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
      continue
    date = cells[3] if re.fullmatch(r"\d{4}-\d\d-\d\d", cells[3]) else None
    rows[cells[1].strip("`")] = (cells[0], commit, date)
  return rows


def git(gitdir, *args):
  return subprocess.run(["git", "-C", gitdir, *args], capture_output=True, text=True).stdout


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("corpus")
  parser.add_argument("--git", action="append", default=[], help="OWNER/NAME=GIT_DIR")
  args = parser.parse_args()
  gits = dict(g.split("=", 1) for g in args.git)
  sources = read_sources(os.path.join(args.corpus, "SOURCES.md"))
  matrix = defaultdict(Counter)
  how = Counter()
  for dirpath, _, names in os.walk(args.corpus):
    for name in names:
      if not name.endswith(".mrml"):
        continue
      full = os.path.join(dirpath, name)
      rel = os.path.relpath(full, args.corpus).replace(os.sep, "/")
      head = open(full, "rb").read(65536).decode("latin-1")
      m = re.search(r'<MRML\b[^>]*?\bversion\s*=\s*"([^"]*)"', head)
      version = m.group(1) if m else ""
      source = rel.split("/")[0]
      repo, commit, date = sources.get(rel, (None, None, None))
      gen = None
      m5 = re.match(r"Slicer (\d+\.\d+)", version)
      if m5:
        gen, why = line_of(m5.group(1)), "version attribute"
      elif source == "Slicer-tags":
        tag = rel.split("/")[1]
        gen, why = line_of(re.match(r"v(\d+\.\d+)", tag).group(1)), "release tag"
      elif repo in SVN_REPOS and repo in gits:
        branches = re.findall(r"Slicer-(\d+)-(\d+)", git(gits[repo], "branch", "-a", "--contains", commit))
        if branches:
          oldest = min((int(a), int(b)) for a, b in branches)
          gen, why = line_of(f"{oldest[0]}.{oldest[1]}"), "release branch"
      if gen is None and date is None and repo in gits and commit:
        orig = rel.split("/", 1)[1]
        date = git(gits[repo], "log", "-1", "--format=%as", commit, "--", orig).strip() or None
      if gen is None and date and repo != "NA-MIC/svn.slicer.org-Slicer4":
        gen, why = by_date(date), "commit date"
      if gen is None:
        if version == "Slicer4":
          gen, why = "4.0", "version attribute (4.0-4.3)"
        elif version.startswith("Slicer4.4"):
          gen, why = "4.4", "version attribute (4.4 or later)"
        elif re.fullmatch(r"\d+", version):
          gen, why = "3.x", "version attribute (svn revision)"
        else:
          gen, why = "unknown", "none"
      matrix[gen][source] += 1
      how[why] += 1
  out = sys.stdout
  out.write("| Slicer line | files | sources (files) |\n|---|---:|---|\n")
  for gen in ORDER:
    if gen in matrix:
      srcs = ", ".join(f"{s} ({n})" for s, n in sorted(matrix[gen].items()))
      out.write(f"| {gen} | {sum(matrix[gen].values())} | {srcs} |\n")
  out.write("\nDeduced from: " + ", ".join(f"{w} {n}" for w, n in how.most_common()) + ".\n")
  return 0


if __name__ == "__main__":
  sys.exit(main())
