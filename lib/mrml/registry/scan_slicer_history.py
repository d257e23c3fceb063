#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes slicer-history.tsv: which node tags and scripted modules each Slicer release
registered, read from Slicer's git history (every release tag v4.0.0 and later, and HEAD),
so that a tag or a module the current Slicer no longer has is reported as what it was
("a core node of Slicer 4.0-4.10") and not as unknown.

What it reads, at each release commit (nothing is checked out; a bare mirror is fine):
  vtkMRML*.h, vtkMRML*.cxx   GetNodeTagName() { return "TAG"; }   (class -> tag)
  CMakeLists.txt              slicerMacroBuildScriptedModule with set(MODULE_NAME X)
  *.py                        classes deriving from ScriptedLoadableModule(Logic)
  *.py, *.cxx                 SetModuleName("X") on a parameter node made by hand
Files under Testing/, Docs/ and templates are skipped (not shipped), as scan_slicer.py does.

Output lines (TAB-separated):
  release          VERSION  TAG  COMMIT               one per release read, oldest first
  tag              NODE_TAG  CLASS  FIRST  LAST       first and last release that registered it
  scripted-module  NAME  FIRST  LAST
LAST is the newest release read when the current Slicer still has it.
Extensions (--extension NAME=GITDIR) have no release tags: each is read at the last
first-parent commit of every calendar year and at HEAD, and dated by year:
  ext-source       EXTENSION  YEAR  COMMIT
  ext-tag          NODE_TAG  CLASS  EXTENSION  FIRST_YEAR  LAST_YEAR
  ext-scripted-module  NAME  EXTENSION  FIRST_YEAR  LAST_YEAR

Usage: scan_slicer_history.py --slicer GITDIR [--extension NAME=GITDIR ...] --output slicer-history.tsv
Python 3 standard library and git only. Deterministic: the same tags give the same bytes.
"""

import argparse
import re
import subprocess
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import scan_slicer  # noqa: E402  (same folder: Repo reading, skipped(), scripted-module scan)


class RepoAt(scan_slicer.Repo):
    """A repository read at one commit-ish instead of HEAD."""

    def __init__(self, path, rev):
        self.path = path
        self.commit = self.git("rev-parse", rev + "^{commit}").strip()
        self.date = self.git("log", "-1", "--format=%cs", self.commit).strip()
        self.files = self.git("ls-tree", "-r", "--name-only", self.commit).splitlines()


def version_of(repo):
    cmake = repo.read("CMakeLists.txt")
    parts = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(r"set\(Slicer_VERSION_" + part + r"\s+\"?(\d+)\"?\s*\)", cmake)
        parts.append(m.group(1) if m else "0")
    return ".".join(parts)


def node_tags(repo):
    found = set()
    for name in repo.files:
        base = name.rsplit("/", 1)[-1]
        if not base.startswith("vtkMRML") or not base.endswith((".h", ".cxx")) or scan_slicer.skipped(name):
            continue
        text = repo.read(name)
        if "GetNodeTagName" not in text:
            continue
        text = scan_slicer.strip_comments(text)
        if base.endswith(".h"):
            for m in re.finditer(r"GetNodeTagName\s*\(\s*\)[^{;]*\{\s*return\s+\"(\w+)\"", text):
                found.add((m.group(1), base[:-2]))
        else:
            for m in re.finditer(r"\b(vtkMRML\w+)::GetNodeTagName\s*\(\s*\)[^{;]*\{\s*return\s+\"(\w+)\"", text):
                found.add((m.group(2), m.group(1)))
    return found


def scripted_modules(repo):
    rows = set()
    scan_slicer.scan_scripted(repo, "Slicer", rows)
    names = {r[1] for r in rows}
    # Parameter nodes made by hand: node.SetModuleName("X") in Python or C++ (a loadable
    # module's Python widget, as QIICR Reporting's qSlicerReportingModuleWidget.py did).
    for name in repo.files:
        if not name.endswith((".py", ".cxx")) or scan_slicer.skipped(name):
            continue
        text = repo.read(name)
        if "SetModuleName" not in text:
            continue
        for m in re.finditer(r"SetModuleName\(\s*[\"'](\w+)[\"']\s*\)", text):
            names.add(m.group(1))
    return names


def release_tags(repo_path):
    tags = subprocess.run(["git", "-C", repo_path, "tag", "--list", "v[0-9]*"], check=True,
                          capture_output=True, text=True).stdout.split()
    def key(t):
        return tuple(int(x) if x.isdigit() else 0 for x in re.split(r"[.-]", t[1:]))
    return sorted(tags, key=key)


def yearly_commits(repo_path):
    """(year, commit) of the last first-parent commit of each year, oldest first."""
    log = subprocess.run(["git", "-C", repo_path, "log", "--first-parent", "--format=%H %cs", "HEAD"], check=True,
                         capture_output=True, text=True).stdout.split("\n")
    last = {}
    for line in log:
        if line:
            commit, date = line.split()
            last.setdefault(date[:4], commit)  # newest first: the first seen is the year's last
    return sorted(last.items())


def scan_extension(name, path):
    rows, sources = [], []
    tags, modules = {}, {}
    for year, commit in yearly_commits(path):
        repo = RepoAt(path, commit)
        sources.append(("ext-source", name, year, repo.commit))
        for node_tag, cls in node_tags(repo):
            tags.setdefault((node_tag, cls), []).append(year)
        for module in scripted_modules(repo):
            modules.setdefault(module, []).append(year)
    for (node_tag, cls), years in sorted(tags.items()):
        rows.append(("ext-tag", node_tag, cls, name, years[0], years[-1]))
    for module, years in sorted(modules.items()):
        rows.append(("ext-scripted-module", module, name, years[0], years[-1]))
    return sources, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slicer", required=True)
    ap.add_argument("--extension", action="append", default=[], help="NAME=GITDIR")
    ap.add_argument("--output", required=True)
    args = ap.parse_args()

    releases = []  # (version, tag, commit)
    tag_seen = {}  # node tag -> {"cls": class, "versions": [...]}
    module_seen = {}
    for rev in release_tags(args.slicer) + ["HEAD"]:
        repo = RepoAt(args.slicer, rev)
        # A release is named by its tag (Slicer 4.0's CMakeLists.txt spells the version
        # differently); HEAD by CMakeLists.txt, as scan_slicer.py does.
        version = rev[1:].split("-")[0] if rev != "HEAD" else version_of(repo)
        if releases and releases[-1][0] == version:
            continue  # a re-tag of the same version (v4.2.2-1)
        releases.append((version, rev, repo.commit))
        for node_tag, cls in sorted(node_tags(repo)):
            tag_seen.setdefault(node_tag, {"cls": cls, "versions": []})
            tag_seen[node_tag]["cls"] = cls
            tag_seen[node_tag]["versions"].append(version)
        for module in scripted_modules(repo):
            module_seen.setdefault(module, []).append(version)
        print(f"{rev}: Slicer {version}, {len(tag_seen)} tags, {len(module_seen)} modules so far", file=sys.stderr)

    lines = [
        "# Generated by lib/mrml/registry/scan_slicer_history.py from Slicer's release tags; do not edit, re-run it.",
        "# 3D Slicer License v1.0 (BSD-style) for the facts.",
    ]
    lines += ["\t".join(("release",) + r) for r in releases]
    for node_tag in sorted(tag_seen):
        v = tag_seen[node_tag]["versions"]
        lines.append("\t".join(("tag", node_tag, tag_seen[node_tag]["cls"], v[0], v[-1])))
    for module in sorted(module_seen):
        v = module_seen[module]
        lines.append("\t".join(("scripted-module", module, v[0], v[-1])))
    for spec in args.extension:
        name, _, path = spec.partition("=")
        sources, rows = scan_extension(name, path)
        lines += ["\t".join(r) for r in sources + rows]
        print(f"{name}: {len(sources)} yearly snapshots, {len(rows)} rows", file=sys.stderr)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"scan_slicer_history: {e}", file=sys.stderr)
        sys.exit(1)
