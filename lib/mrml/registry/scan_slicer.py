#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes slicer-scan.tsv: facts about Slicer (and the extensions the overlay knows) read from
their source, for tools/gen_node_registry.py.

What it reads (git repositories, at HEAD; bare mirrors are fine, nothing is checked out):
  Slicer      CMakeLists.txt                     Slicer_VERSION_MAJOR/MINOR/PATCH
              vtkMRML*StorageNode.cxx            CanReadInReferenceNode(): refNode->IsA("...") (! = excluded)
              vtkMRML*Node.cxx                   CreateDefaultStorageNode() / GetDefaultStorageNodeClassName()
              vtkMRML*.cxx ReadXMLAttributes()   vtkMRMLReadXMLBooleanMacro(name, ...) and hand-written
                                                 branches that compare the value with "true"
              scripted modules                   see SCRIPTED below
              vtkMRML*.cxx ReadXMLAttributes()   numbers whose value reaches a sink (see scan_trusted)
  extensions  vtkMRML*.h GetNodeTagName()        class -> tag and the parent class its declaration names
                                                 (the tag a "vtkMRML" + tag fallback resolves to)
              *StorageNode.cxx                   CanReadInReferenceNode()
              vtkMRML*.cxx ReadXMLAttributes()   numbers whose value reaches a sink (see scan_trusted)
              scripted modules                   see SCRIPTED below

SCRIPTED: a scripted module's parameter nodes carry its name (ModuleName): the name of a
class deriving from ScriptedLoadableModule, or of a ScriptedLoadableModuleLogic subclass with
"Logic" stripped (Base/Python/slicer/ScriptedLoadableModule.py). Files under Testing/, Docs/,
Utilities/Templates/ and module templates (TemplateKey) are skipped: they are not shipped.

Output lines (TAB-separated):
  source           NAME  COMMIT  DATE  VERSION          (VERSION '-' for extensions)
  reads            STORAGE_CLASS  CLASS[ CLASS...]      a leading '!' excludes a class
  default-storage  STORABLE_CLASS  STORAGE_CLASS
  ext-class        CLASS  TAG  EXTENSION  PARENT       PARENT '-' when the header names none
  bool             CLASS  ATTRIBUTE                     Slicer reads it as strcmp(value, "true")
  scripted-module  NAME  ORIGIN
  trusted          CLASS  ATTRIBUTE  KIND  SINK  FILE:LINE   KIND int | float | count (a string whose
                                                 setter reads a count); SINK new[] | allocation | format |
                                                 loop | work; the first sink line found

Usage: scan_slicer.py --slicer GITDIR [--extension NAME=GITDIR ...] --output slicer-scan.tsv [--overlay overlay.tsv]
With --overlay, the overlay's `scan` line is rewritten with the new table's SHA-256: the build
regenerates the registry when the overlay changes, and refuses a table whose digest is stale.
Python 3 standard library and git only. Deterministic: the same commits give the same bytes.
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys


class Repo:
    def __init__(self, path):
        self.path = path
        self.commit = self.git("rev-parse", "HEAD").strip()
        self.date = self.git("log", "-1", "--format=%cs", "HEAD").strip()
        self.files = self.git("ls-tree", "-r", "--name-only", "HEAD").splitlines()

    def git(self, *args):
        return subprocess.run(["git", "-C", self.path, *args], check=True, capture_output=True).stdout.decode(
            "utf-8", "replace")

    def read(self, name):
        # One `git cat-file --batch` process serves every read.
        if not hasattr(self, "batch"):
            self.batch = subprocess.Popen(["git", "-C", self.path, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE)
        self.batch.stdin.write(f"{self.commit}:{name}\n".encode())
        self.batch.stdin.flush()
        header = self.batch.stdout.readline().split()
        if len(header) != 3:
            raise OSError(f"{self.path}: cannot read {name}")
        data = self.batch.stdout.read(int(header[2]) + 1)[:-1]
        return data.decode("utf-8", "replace")


def skipped(name):
    parts = name.split("/")
    return ("Testing" in parts or "Docs" in parts or name.startswith("Utilities/Templates/")
            or name.startswith("Extensions/Testing/") or "ModuleTemplates" in name)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def strip_cmake_comments(text):
    return re.sub(r"#[^\n]*", "", text)


def method_bodies(text, method):
    """(class, body) of every out-of-line definition of `method` in a .cxx file."""
    out = []
    for m in re.finditer(r"^[^\n;{}]*\b(vtkMRML\w+)::" + method + r"\s*\([^)]*\)[^;{]*\{", text, re.M):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out.append((m.group(1), text[m.end():i - 1]))
    return out


def scan_reads(repo, out):
    for name in repo.files:
        if not name.endswith("StorageNode.cxx") or skipped(name):
            continue
        text = strip_comments(repo.read(name))
        for cls, body in method_bodies(text, "CanReadInReferenceNode"):
            classes = []
            for m in re.finditer(r"(!?)\s*refNode->IsA\(\s*\"(\w+)\"\s*\)", body):
                classes.append(("!" if m.group(1) else "") + m.group(2))
            if classes:
                out.add(("reads", cls, " ".join(classes)))


def scan_default_storage(repo, out):
    for name in repo.files:
        if not name.endswith(".cxx") or skipped(name):
            continue
        text = repo.read(name)
        if "CreateDefaultStorageNode" not in text:
            continue
        text = strip_comments(text)
        named = {}
        for cls, body in method_bodies(text, "GetDefaultStorageNodeClassName"):
            literals = re.findall(r"return\s+\"(vtkMRML\w+)\"", body)
            if literals:
                named[cls] = literals[-1]  # the generic choice comes last (vtkMRMLSequenceNode)
        for cls, body in method_bodies(text, "CreateDefaultStorageNode"):
            m = re.search(r"CreateNodeByClass\(\s*\"(vtkMRML\w+)\"", body)
            storage = m.group(1) if m else named.get(cls)
            if storage:
                out.add(("default-storage", cls, storage))


def scan_booleans(repo, out):
    for name in repo.files:
        if not name.endswith(".cxx") or skipped(name) or "/vtkMRML" not in "/" + name:
            continue
        text = repo.read(name)
        if "ReadXMLAttributes" not in text:
            continue
        text = strip_comments(text)
        writers = {}
        for cls, body in method_bodies(text, "WriteXML"):
            for m in re.finditer(r"vtkMRMLWriteXML(\w+?)Macro\(\s*(\w+)\s*,", body):
                writers[(cls, m.group(2))] = m.group(1)
        for cls, body in method_bodies(text, "ReadXMLAttributes"):
            found = set(m.group(1) for m in re.finditer(r"vtkMRMLReadXMLBooleanMacro\(\s*(\w+)\s*,", body))
            # Hand-written branches: if (!strcmp(attName, "a") || !strcmp(attName, "b")) { ... "true" ... }
            hits = list(re.finditer(r"strcmp\(\s*attName\s*,\s*\"(\w+)\"\s*\)", body))
            i = 0
            while i < len(hits):
                names, j = [hits[i].group(1)], i
                while j + 1 < len(hits) and not re.search(r"[{;]", body[hits[j].end():hits[j + 1].start()]):
                    j += 1
                    names.append(hits[j].group(1))
                end = hits[j + 1].start() if j + 1 < len(hits) else len(body)
                branch = body[hits[j].end():end]
                macro = branch.find("vtkMRMLReadXML")
                if macro >= 0:
                    branch = branch[:macro]
                if re.search(r"strcmp\(\s*attValue\s*,\s*\"true\"\s*\)", branch):
                    found.update(names)
                i = j + 1
            for attr in found:
                # A Boolean read that the class writes as a number would flag Slicer's own output.
                if writers.get((cls, attr), "Boolean") != "Boolean":
                    continue
                out.add(("bool", cls, attr))


# Where a number read by ReadXMLAttributes is trusted: the kinds of statement that size memory,
# bound loops or build printf formats (one line of C++ each; see scan_trusted).
SINKS = (
    ("new[]", re.compile(r"\bnew\s+[\w:<>]+\s*\[")),
    ("allocation", re.compile(r"\.(?:resize|reserve|assign)\s*\(|(?<!this)->(?:SetNumberOf\w+|Allocate\w*|Resize|"
                              r"SetDimensions|SetExtent)\s*\(")),
    ("format", re.compile(r"<<\s*\"[^\"]*%[^\"]*\"|\"%[-#+ 0-9]*\.\"|\.precision\s*\(|"
                          r"\bsetprecision\s*\(|\b(?:s?n?printf|vtkFormat)\w*\s*\(")),
    ("loop", re.compile(r"\b(?:for|while)\s*\(")),
    ("work", re.compile(r"(?<!this)->Set\w*(?:NumberOf|Resolution|SpacingFraction|SampleDistance|Samples)\w*\s*\(")),
)
NUMERIC_READ = re.compile(r">>\s*\w|\bato[if]\s*\(|\bStringTo(?:Int|Double|Float)\s*\(|\bstrto(?:l|d|ul|ll)\s*\(|"
                          r"\bstd::sto[ildf]\s*\(|\.To(?:Int|Double|Float)\s*\(")


def sink_of(line):
    for kind, pattern in SINKS:
        if pattern.search(line):
            return kind
    return None


def scan_trusted(repo, out):
    """`trusted` rows: numbers ReadXMLAttributes reads (the Int/Float macros and hand-written branches
    that convert the value) whose value reaches a sink (SINKS) in the class's own source: on a line of
    the branch that names the value, in a method the branch calls (same file, up to three calls deep),
    or on a line elsewhere in the file that names the member it sets (this->M, GetM())."""
    pending = []  # numbers with no sink in their class's file: looked for in the logic classes
    for name in repo.files:
        base = name.rsplit("/", 1)[-1]
        if not (base.startswith("vtkMRML") and base.endswith(".cxx")) or skipped(name):
            continue
        raw = repo.read(name)
        if "ReadXMLAttributes" not in raw:
            continue
        # Line numbers refer to the file as stored: block comments are blanked, not removed.
        text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), raw, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        methods = {}
        for m in re.finditer(r"^[^\n;{}]*\b(vtkMRML\w+)::(\w+)\s*\([^)]*\)[^;{]*\{", text, re.M):
            depth, i = 1, m.end()
            while i < len(text) and depth:
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            methods.setdefault(m.group(2), []).append((m.end(), text[m.end():i - 1]))

        def line_at(offset):
            return text.count("\n", 0, offset) + 1

        def sinks_in(start, body, names):
            for k, line in enumerate(body.split("\n")):
                kind = sink_of(line)
                if kind and (names is None or any(re.search(r"\b" + n + r"\b", line) for n in names)):
                    yield kind, line_at(start) + k

        def reached(start, body, names):
            found = list(sinks_in(start, body, names))
            seen, frontier = set(), [body]
            for _ in range(3):
                calls = set()
                for b in frontier:
                    calls.update(re.findall(r"\b(\w+)\s*\(", b))
                frontier = []
                for call in sorted(calls - seen):
                    seen.add(call)
                    for cstart, cbody in methods.get(call, []):
                        if call in ("ReadXMLAttributes", "WriteXML", "Copy", "PrintSelf"):
                            continue
                        found += list(sinks_in(cstart, cbody, None))
                        frontier.append(cbody)
            return found

        for cls, body in method_bodies(text, "ReadXMLAttributes"):
            start = text.find(body)
            reads = []  # (attribute, kind, member, branch offset, branch text, value names)
            for m in re.finditer(r"vtkMRMLReadXML(Int|Float)Macro\(\s*(\w+)\s*,\s*(\w+)\s*\)", body):
                reads.append((m.group(2), m.group(1).lower(), m.group(3), start + m.start(), "", []))
            # A string the setter parses: the numbers it reads are the string's (VolumeProperty's
            # transfer functions: a leading count, then that many values).
            for m in re.finditer(r"vtkMRMLReadXML(?:Std)?StringMacro\(\s*(\w+)\s*,\s*(\w+)\s*\)", body):
                for cstart, cbody in methods.get("Set" + m.group(2), []):
                    chain = [(cstart, cbody)]
                    for call in re.findall(r"\b(\w+)\s*\(", cbody):
                        for sub in methods.get(call, []):
                            chain.append(sub)
                            for call2 in re.findall(r"\b(\w+)\s*\(", sub[1]):
                                chain += methods.get(call2, [])
                                for sub2 in methods.get(call2, []):
                                    for call3 in re.findall(r"\b(\w+)\s*\(", sub2[1]):
                                        chain += methods.get(call3, [])
                    if any(NUMERIC_READ.search(b) for _, b in chain):
                        hits_ = [f for cs, cb in chain for f in sinks_in(cs, cb, None) if f[0] in ("new[]", "allocation")]
                        if hits_:
                            sink, line = min(hits_, key=lambda f: f[1])
                            out.add(("trusted", cls, m.group(1), "count", sink, f"{name}:{line}"))
            hits = list(re.finditer(r"strcmp\(\s*attName\s*,\s*\"(\w+)\"\s*\)", body))
            for i, h in enumerate(hits):
                if i + 1 < len(hits) and not re.search(r"[{;]", body[h.end():hits[i + 1].start()]):
                    continue  # one branch for several names: the last name carries it (rare; numbers are not shared)
                end = hits[i + 1].start() if i + 1 < len(hits) else len(body)
                branch = body[h.end():end]
                macro = branch.find("vtkMRMLReadXML")
                if macro >= 0:
                    branch = branch[:macro]
                if not NUMERIC_READ.search(branch):
                    continue
                kind = "float" if re.search(r"\b(?:double|float)\b|atof|StringToDouble|strtod|ToDouble", branch) else "int"
                values = re.findall(r">>\s*(\w+)", branch) + re.findall(r"\b(\w+)\s*=\s*[^;=]*\b(?:ato[if]|StringTo\w+|strto\w+|std::sto\w+)\s*\(", branch)
                setter = re.search(r"this->Set(\w+)\s*\(|this->(\w+)\s*=", branch)
                member = (setter.group(1) or setter.group(2)) if setter else ""
                reads.append((h.group(1), kind, member, start + h.end(), branch, values))
            for attr, kind, member, offset, branch, values in reads:
                found = []
                if branch:
                    names = values + ([member] if member else [])
                    found += list(sinks_in(offset, branch, names or None))
                    # Calls made from the branch with the value (this->SetXAsString(v) -> parsing helpers).
                    for call in set(re.findall(r"this->(\w+)\s*\(", branch)):
                        for cstart, cbody in methods.get(call, []):
                            found += reached(cstart, cbody, None)
                if member:
                    use = re.compile(r"this->" + member + r"\b|\bGet" + member + r"\s*\(\s*\)")
                    for k, line in enumerate(text.split("\n")):
                        if use.search(line):
                            s = sink_of(line)
                            if s:
                                found.append((s, k + 1))
                if found:
                    sink, line = min(found, key=lambda f: f[1])
                    out.add(("trusted", cls, attr, kind, sink, f"{name}:{line}"))
                elif member:
                    pending.append((cls, attr, kind, member))


    # Other files (logic, displayable managers) that read the member through its getter
    # (node->GetM()) and reach a sink on that line or within the next three.
    if not pending:
        return
    by_member = {}
    for cls, attr, kind, member in pending:
        by_member.setdefault(member, []).append((cls, attr, kind))
    getter = re.compile(r"->Get(" + "|".join(sorted(map(re.escape, by_member))) + r")\s*\(\s*\)")
    best = {}
    for name in repo.files:
        if not name.endswith(".cxx") or skipped(name):
            continue
        raw = repo.read(name)
        if not getter.search(raw):
            continue
        lines = re.sub(r"//[^\n]*", "", raw).split("\n")
        for k, line in enumerate(lines):
            for m in getter.finditer(line):
                for j in range(k, min(k + 4, len(lines))):
                    kind = sink_of(lines[j])
                    if kind:
                        for cls, attr, vkind in by_member[m.group(1)]:
                            key = (cls, attr)
                            row = ("trusted", cls, attr, vkind, kind, f"{name}:{j + 1}")
                            if key not in best or row[5] < best[key][5]:
                                best[key] = row
                        break
    out.update(best.values())


def scan_ext_classes(repo, extension, out):
    for name in repo.files:
        base = name.rsplit("/", 1)[-1]
        if not (base.startswith("vtkMRML") and base.endswith(".h")) or skipped(name):
            continue
        text = strip_comments(repo.read(name))
        m = re.search(r"GetNodeTagName\(\)[^{;]*\{\s*return\s+\"(\w+)\"", text)
        if m:
            cls = base[:-2]
            parent = re.search(r"class\s+(?:\w+\s+)?" + cls + r"\s*:\s*public\s+(\w+)", text)
            out.add(("ext-class", cls, m.group(1), extension, parent.group(1) if parent else "-"))


def scan_scripted(repo, origin, out):
    for name in repo.files:
        if name.endswith("CMakeLists.txt") and not skipped(name):
            # slicerMacroBuildScriptedModule(NAME X ...) installs X.py where Slicer's scripted
            # module factory finds it; WITH_SUBDIR builds a Python package (DICOMLib), not a module.
            text = repo.read(name)
            call = re.search(r"slicerMacroBuildScriptedModule\((.*?)\)", strip_cmake_comments(text), re.S)
            named = re.search(r"set\(\s*MODULE_NAME\s+\"?(\w+)\"?\s*\)", text)
            if call and named and "WITH_SUBDIR" not in call.group(1) and named.group(1) != "TemplateKey":
                out.add(("scripted-module", named.group(1), origin))
            continue
        if not name.endswith(".py") or skipped(name):
            continue
        text = repo.read(name)
        if "ScriptedLoadableModule" not in text:
            continue
        for m in re.finditer(r"^class\s+(\w+)\s*\(\s*(?:slicer\.ScriptedLoadableModule\.)?"
                             r"(ScriptedLoadableModule|ScriptedLoadableModuleLogic)\s*\)", text, re.M):
            module = m.group(1)
            if m.group(2) == "ScriptedLoadableModuleLogic" and module.endswith("Logic"):
                module = module[:-5]
            if module and module != "TemplateKey":
                out.add(("scripted-module", module, origin))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slicer", required=True)
    ap.add_argument("--extension", action="append", default=[], help="NAME=GITDIR")
    ap.add_argument("--output", required=True)
    ap.add_argument("--overlay")
    args = ap.parse_args()

    rows = set()
    sources = []
    slicer = Repo(args.slicer)
    cmake = slicer.read("CMakeLists.txt")
    version = ".".join(re.search(r"set\(Slicer_VERSION_" + part + r"\s+\"(\d+)\"\)", cmake).group(1)
                       for part in ("MAJOR", "MINOR", "PATCH"))
    sources.append(("source", "Slicer", slicer.commit, slicer.date, version))
    scan_reads(slicer, rows)
    scan_default_storage(slicer, rows)
    scan_booleans(slicer, rows)
    scan_scripted(slicer, "Slicer", rows)
    scan_trusted(slicer, rows)
    for spec in args.extension:
        extension, _, path = spec.partition("=")
        repo = Repo(path)
        sources.append(("source", extension, repo.commit, repo.date, "-"))
        scan_reads(repo, rows)
        scan_ext_classes(repo, extension, rows)
        scan_scripted(repo, extension, rows)
        scan_trusted(repo, rows)

    order = {"reads": 0, "default-storage": 1, "ext-class": 2, "bool": 3, "scripted-module": 4, "trusted": 5}
    lines = [
        "# Generated by lib/mrml/registry/scan_slicer.py from the sources below; do not edit, re-run it.",
        "# Read by tools/gen_node_registry.py (see lib/mrml/registry/README.md). 3D Slicer License v1.0",
        "# (BSD-style) for the Slicer facts; the extensions' own licences for theirs.",
    ]
    lines += ["\t".join(r) for r in sources]
    lines += ["\t".join(r) for r in sorted(rows, key=lambda r: (order[r[0]], r[1:]))]
    text = "\n".join(lines) + "\n"
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    if args.overlay:
        digest = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        with open(args.overlay, encoding="utf-8") as f:
            overlay = f.read()
        line = f"scan\t{os.path.basename(args.output)}\t{digest}"
        overlay, n = re.subn(r"^scan\t[^\n]*$", line, overlay, flags=re.M)
        if n != 1:
            raise OSError(f"{args.overlay}: expected exactly one `scan` line")
        with open(args.overlay, "w", encoding="utf-8") as f:
            f.write(overlay)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (subprocess.CalledProcessError, OSError, AttributeError) as e:
        print(f"scan_slicer: {e}", file=sys.stderr)
        sys.exit(1)
