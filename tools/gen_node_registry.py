#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Generates the MRML node registry (node_registry.inc) from Slicer's tables.

Inputs (lib/mrml/registry/):
  node-table.md        tag | class | registered by | key attributes | reference roles (research §6)
  node-attributes.tsv  class, tag, parent class, own and inherited ReadXMLAttributes names
  slicer-scan.tsv      read from Slicer's and the extensions' source by scan_slicer.py: version,
                       storage classes' CanReadInReferenceNode classes, default storage classes,
                       extension class -> tag and parent, boolean attributes, scripted modules,
                       trusted numbers (each needs an overlay `attr` grammar or `trusted-ok` line)
  overlay.tsv          hand-written: extension tags, removed tags, flags, storage extensions,
                       value grammars, trusted-ok reasons, extra id attributes, built-in ids (see its header)

Output: a C++ fragment included by lib/mrml/node_registry.cc, defining sorted constexpr
tables in namespace mrmlguard::internal::registry. Deterministic: same inputs, same bytes.

Usage: gen_node_registry.py --table T --attributes A --overlay O [--scan S] --history H --output OUT
  (--scan defaults to slicer-scan.tsv next to the overlay; the overlay's `scan` line holds its
  SHA-256, so a changed scan table is regenerated with the overlay, and a stale digest fails.)
Python 3 standard library only.
"""

import argparse
import hashlib
import os
import re
import sys

LIMITS = {
    "max_color_table_colors",
    "max_compare_view_count",
    "max_points_per_segment",
    "max_glyph_resolution",
}
FLAGS = {
    "storage": "kFlagStorage",
    "legacy": "kFlagLegacy",
    "network": "kFlagNetwork",
    "code": "kFlagCode",
    "cli": "kFlagCli",
    "sceneview": "kFlagSceneView",
    "subject-hierarchy": "kFlagSubjectHierarchy",
    "markups": "kFlagMarkups",
    "color-table": "kFlagColorTable",
    "openigtlink": "kFlagOpenIgtLink",
    "scripted-module": "kFlagScriptedModule",
    "persistent-connector": "kFlagPersistentConnector",
    "plus-server": "kFlagPlusServer",
    "self-launching": "kFlagSelfLaunching",
    "text-storage": "kFlagTextStorage",
    "unit-singleton": "kFlagUnitSingleton",
    "sequence-storage": "kFlagSequenceStorage",
}
KINDS = {
    "int": ("kInt", 2),
    "intlimit": ("kIntLimit", 2),
    "real": ("kReal", 0),
    "realvec": ("kRealVector", 1),
    "intvec": ("kIntVector", 1),
    "reallist": ("kRealList", 1),
    "intlist": ("kIntList", 1),
    "format-markups": ("kFormatMarkups", 0),
    "format-no-percent": ("kFormatNoPercent", 0),
    "format-one": ("kFormatOne", 0),
    "bool": ("kBool", 0),
    "realrange": ("kRealRange", 2),
    "countlist": ("kCountedList", 1),
}
# Storage kinds are bits of a 64-bit mask (TagInfo::readable_by).
MAX_STORAGE_KINDS = 64
# Backticked names in the roles column that are not id-valued attributes.
NOT_ID_ATTRIBUTES = {"indexValues", "references"}
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


class GenError(Exception):
    pass


def data_lines(path):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#") or line.lstrip().startswith("<!--"):
                continue
            yield number, line


def read_table(path):
    """Returns rows (tag, class, origin, module, aliases, refs)."""
    rows = []
    in_comment = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if in_comment:
                if "-->" in line:
                    in_comment = False
                continue
            if line.startswith("<!--"):
                in_comment = "-->" not in line
                continue
            if not line.startswith("| `"):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 5:
                raise GenError(f"{path}:{number}: expected 5 cells, got {len(cells)}")
            tag = cells[0].strip("`")
            cls = cells[1]
            registered = cells[2]
            if "not registered" in registered:
                origin, module = "kNotRegistered", ""
            elif registered.startswith("core"):
                origin, module = "kCore", "core"
            else:
                origin, module = "kModule", registered.split(" ")[0]
            aliases = re.findall(r"alias tag `([^`]+)`", registered)
            refs = []
            for m in re.finditer(r"(?:([A-Za-z]+)\[)?`([^`]+)`", cells[4]):
                role, name = m.group(1), m.group(2)
                if not NAME_RE.match(name) or name in NOT_ID_ATTRIBUTES:
                    continue
                refs.append((name, role or ""))
            rows.append((tag, cls, origin, module, aliases, refs))
    return rows


def read_attributes(path):
    """Returns {class: (tag, parent, own_attributes)}."""
    classes = {}
    for number, line in data_lines(path):
        cells = line.split("\t")
        if len(cells) != 5:
            raise GenError(f"{path}:{number}: expected 5 tab-separated fields")
        cls, tag, parent, own, _inherited = cells
        classes[cls] = (tag, parent, own.split())
    return classes


def read_scan(path):
    """Returns the facts of slicer-scan.tsv (see lib/mrml/registry/scan_slicer.py)."""
    scan = {"version": None, "commit": None, "reads": {}, "defaults": {}, "ext_class": {}, "ext_parent": {},
            "ext_module": {}, "bools": [], "modules": set(), "sources": [], "trusted": []}
    arity = {"source": 4, "reads": 2, "default-storage": 2, "ext-class": 4, "bool": 2, "scripted-module": 2,
             "trusted": 5}
    for number, line in data_lines(path):
        f = line.split("\t")
        where = f"{path}:{number}"
        if f[0] not in arity or len(f) - 1 != arity[f[0]]:
            raise GenError(f"{where}: malformed line")
        if f[0] == "source":
            scan["sources"].append(f[1])
            if f[1] == "Slicer":
                if not re.match(r"^\d+\.\d+\.\d+$", f[4]):
                    raise GenError(f"{where}: Slicer version {f[4]} is not MAJOR.MINOR.PATCH")
                scan["version"] = tuple(int(x) for x in f[4].split("."))
                scan["commit"] = f[2][:10]
        elif f[0] == "reads":
            scan["reads"][f[1]] = f[2].split()
        elif f[0] == "default-storage":
            scan["defaults"][f[1]] = f[2]
        elif f[0] == "ext-class":
            scan["ext_class"][f[1]] = f[2]
            scan["ext_module"][f[1]] = f[3]
            if f[4] != "-":
                scan["ext_parent"][f[1]] = f[4]
        elif f[0] == "trusted":
            scan["trusted"].append((f[1], f[2], f[3], f[4], f[5], where))
        elif f[0] == "bool":
            scan["bools"].append((f[1], f[2], where))
        elif f[0] == "scripted-module":
            if not NAME_RE.match(f[1]):
                raise GenError(f"{where}: bad module name {f[1]}")
            scan["modules"].add(f[1])
    if scan["version"] is None:
        raise GenError(f"{path}: no 'source Slicer' line")
    return scan


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--table", required=True)
    ap.add_argument("--attributes", required=True)
    ap.add_argument("--scan")
    ap.add_argument("--overlay", required=True)
    ap.add_argument("--history", required=True, help="slicer-history.tsv (scan_slicer_history.py): past tags and modules")
    ap.add_argument("--output", required=True)
    args = ap.parse_args()

    rows = read_table(args.table)
    classes = read_attributes(args.attributes)
    scan_path = args.scan or os.path.join(os.path.dirname(args.overlay), "slicer-scan.tsv")
    scan = read_scan(scan_path)
    with open(scan_path, "rb") as f:
        scan_digest = "sha256:" + hashlib.sha256(f.read()).hexdigest()
    digest_seen = False

    tags = {}  # tag -> dict
    ref_attrs = {}  # attribute -> role

    def add_tag(tag, cls, origin, module, parent=None):
        if tag in tags:
            raise GenError(f"tag {tag} defined twice")
        tags[tag] = {"class": cls, "origin": origin, "module": module, "flags": set(),
                     "parent": parent, "exts": None}

    for tag, cls, origin, module, aliases, refs in rows:
        add_tag(tag, cls, origin, module)
        for alias in aliases:
            add_tag(alias, cls, origin, module)
        for name, role in refs:
            if ref_attrs.get(name, role) != role and role:
                # Same legacy name with two roles in different classes: keep the first, it is only
                # used for conflict checks within one node.
                continue
            if name not in ref_attrs or role:
                ref_attrs[name] = role

    # Every extension class the scan found (GetNodeTagName) is a tag Slicer resolves once the
    # extension is installed; the overlay's `extension` lines add tags seen in real scenes and may
    # rename the extension or give a parent class.
    for cls in sorted(scan["ext_class"]):
        tag = scan["ext_class"][cls]
        if tag not in tags:
            add_tag(tag, cls, "kExtension", scan["ext_module"][cls], None)

    builtins, text_exts, attr_specs = [], [], []
    trusted_ok = {}
    known_extensions = set()
    for number, line in data_lines(args.overlay):
        f = line.split("\t")
        kind = f[0]
        where = f"{args.overlay}:{number}"
        if kind == "extension":
            if len(f) != 4:
                raise GenError(f"{where}: extension TAG EXTENSION PARENT")
            if f[1] in tags and tags[f[1]]["origin"] == "kExtension":
                tags[f[1]]["module"] = f[2]
                tags[f[1]]["parent"] = None if f[3] == "-" else f[3]
            else:
                add_tag(f[1], "", "kExtension", f[2], None if f[3] == "-" else f[3])
            known_extensions.update(part for part in f[2].split("/") if part)
        elif kind == "removed":
            add_tag(f[1], "", "kRemoved", f[2])
        elif kind == "flag":
            if f[1] not in tags or f[2] not in FLAGS:
                raise GenError(f"{where}: unknown tag or flag")
            tags[f[1]]["flags"].add(f[2])
        elif kind == "storage":
            if f[1] not in tags:
                raise GenError(f"{where}: unknown storage tag {f[1]}")
            tags[f[1]]["exts"] = f[2].split(",")
        elif kind == "attr":
            if len(f) < 4 or f[3] not in KINDS:
                raise GenError(f"{where}: attr CLASS ATTRIBUTE KIND ARGS")
            enum, nargs = KINDS[f[3]]
            extra = f[4:]
            if len(extra) != nargs:
                raise GenError(f"{where}: {f[3]} takes {nargs} arguments")
            attr_specs.append((f[1], f[2], enum, extra, where))
        elif kind == "ref":
            ref_attrs[f[1]] = "" if f[2] == "-" else f[2]
        elif kind == "trusted-ok":
            if len(f) != 4:
                raise GenError(f"{where}: trusted-ok CLASS ATTRIBUTE REASON")
            trusted_ok[(f[1], f[2])] = f[3]
        elif kind == "builtin":
            builtins.append(f[1])
        elif kind == "text-ext":
            text_exts.append(f[1])
        elif kind == "scan":
            if len(f) != 3 or f[1] != os.path.basename(scan_path):
                raise GenError(f"{where}: scan {os.path.basename(scan_path)} DIGEST")
            if f[2] != scan_digest:
                raise GenError(f"{where}: {scan_path} is {scan_digest}, the overlay names {f[2]}; "
                               "re-run lib/mrml/registry/scan_slicer.py (it updates this line)")
            digest_seen = True
        else:
            raise GenError(f"{where}: unknown line kind {kind}")

    if not digest_seen:
        raise GenError(f"{args.overlay}: no `scan` line with the digest of {scan_path}")

    # Extension classes (scan: GetNodeTagName) of the extension tags the overlay lists.
    ext_class_of = {}
    for cls in sorted(scan["ext_class"]):
        tag = scan["ext_class"][cls]
        if tag in tags and tags[tag]["origin"] == "kExtension":
            ext_class_of.setdefault(tag, cls)
    for tag, cls in ext_class_of.items():
        tags[tag]["class"] = cls

    def parent_of(cls):
        if cls in classes:
            return classes[cls][1]
        return scan["ext_parent"].get(cls)

    # Class chain of a tag: Slicer classes from the TSV; extension classes through the parent class
    # their header declares (scan), then the overlay's parent.
    def chain(tag):
        info = tags[tag]
        out = [tag]
        for start in (info["class"], info["parent"]):
            cls = start
            while cls and cls not in out:
                out.append(cls)
                cls = parent_of(cls)
        return out

    chains = {tag: chain(tag) for tag in tags}
    for tag in tags:
        links = chains[tag]
        if "vtkMRMLStorageNode" in links:
            tags[tag]["flags"].add("storage")
        if "vtkMRMLMarkupsNode" in links:
            tags[tag]["flags"].add("markups")
        if "vtkMRMLColorTableNode" in links:
            tags[tag]["flags"].add("color-table")

    for owner, _attr, _enum, _extra, where in attr_specs:
        if owner not in classes and owner not in tags and owner not in scan["ext_class"]:
            raise GenError(f"{where}: unknown class or tag {owner}")
    for owner, _attr, where in scan["bools"]:
        if owner not in classes:
            raise GenError(f"{where}: class {owner} is not in the attribute table")
    bool_specs = {(owner, attr) for owner, attr, _where in scan["bools"]}

    # Every number the scan found trusted (a `trusted` line: it reaches an allocation, a loop, a
    # format or per-render work) needs a value grammar on its class or an ancestor, or a reasoned
    # `trusted-ok` line: a new Slicer or extension number cannot slip in unjudged.
    def ancestors(cls):
        out, seen = [], set()
        while cls and cls not in seen:
            seen.add(cls)
            out.append(cls)
            cls = parent_of(cls)
        return out

    spec_owners = {(o, a) for o, a, _e, _x, _w in attr_specs}
    for cls, attr, _kind, _sink, line, where in scan["trusted"]:
        if (cls, attr) in trusted_ok:
            continue
        if not any((c, attr) in spec_owners for c in ancestors(cls)):
            raise GenError(f"{where}: {cls} {attr} reaches a sink ({line}) but has no `attr` grammar "
                           "and no `trusted-ok` line in the overlay")

    # Storage pairing (check 31): vtkMRMLStorageNode::ReadData refuses a storable node unless the
    # storage class's CanReadInReferenceNode accepts it; the nearest override in the chain wins.
    def reads_of(tag):
        for link in chains[tag]:
            if link in scan["reads"]:
                return scan["reads"][link]
        return None

    storage_tags = sorted(t for t in tags if "storage" in tags[t]["flags"] and reads_of(t) is not None)
    if len(storage_tags) > MAX_STORAGE_KINDS:
        raise GenError(f"{len(storage_tags)} storage classes; TagInfo::readable_by holds {MAX_STORAGE_KINDS}")
    storage_kind = {t: k for k, t in enumerate(storage_tags)}

    def can_read(storage_tag, tag):
        links = set(chains[tag])
        wanted = reads_of(storage_tag)
        return (any(c in links for c in wanted if not c.startswith("!"))
                and not any(c[1:] in links for c in wanted if c.startswith("!")))

    readable_by = {}
    for tag in tags:
        mask = 0
        for st in storage_tags:
            if can_read(st, tag):
                mask |= 1 << storage_kind[st]
        readable_by[tag] = mask

    # The default storage class Slicer creates for a node must be one that reads it: a check of
    # the scanned table itself (a wrong `reads` line would flag Slicer's own scenes).
    tag_of_class = {}
    for tag, info in tags.items():
        if info["class"] and info["origin"] in ("kCore", "kModule"):
            tag_of_class.setdefault(info["class"], tag)
    for tag in tags:
        for link in chains[tag]:
            if link in scan["defaults"]:
                storage_tag = tag_of_class.get(scan["defaults"][link])
                if storage_tag in storage_kind and not can_read(storage_tag, tag):
                    raise GenError(f"default storage {storage_tag} of {tag} cannot read it")
                break

    # Classes vtkMRMLScene::CreateNodeByClass makes (registered by Slicer or a scanned extension),
    # each with the tag it is registered under (its own GetNodeTagName: the first row, aliases
    # follow it): vtkMRMLParser::StartElement's "vtkMRML" + tag (+ "Node") fallback reaches them.
    class_tag = {}
    for tag, cls, _origin, _module, _aliases, _refs in rows:
        if tags[tag]["origin"] in ("kCore", "kModule"):
            class_tag.setdefault(cls, tag)
    for tag, cls in ext_class_of.items():
        class_tag.setdefault(cls, tag)
    tag_row = {t: i for i, t in enumerate(sorted(tags))}

    # Registered classes: what a registered tag creates (used for the vtkMRML<tag>Node fallback).
    registered_classes = sorted({t["class"] for t in tags.values()
                                 if t["origin"] in ("kCore", "kModule") and t["class"]})

    out = []
    w = out.append
    w(f"// Generated by tools/gen_node_registry.py from lib/mrml/registry/ (Slicer {scan['commit']} tables,")
    w("// slicer-scan.tsv + overlay.tsv). Do not edit; edit the inputs.")
    w("")
    attr_rows = []
    ext_rows = []
    tag_rows = []
    for tag in sorted(tags):
        info = tags[tag]
        links = chains[tag]
        specs = {}
        # Nearest definition wins: walk from the most derived class up. A Boolean read (scan) is
        # dropped when a nearer class reads the same attribute some other way.
        shadowed = set()
        for owner in links:
            for o, attr, enum, extra, _where in attr_specs:
                if o == owner and attr not in specs:
                    specs[attr] = (enum, extra)
            own = classes.get(owner, ("", "", []))[2]
            for attr in sorted(own):
                if (owner, attr) in bool_specs:
                    if attr not in specs and attr not in shadowed:
                        specs[attr] = ("kBool", [])
                else:
                    shadowed.add(attr)
        attr_begin = len(attr_rows)
        for attr in sorted(specs):
            enum, extra = specs[attr]
            limit = "nullptr"
            limit_name = ""
            a, b = "0", "0"
            lo, hi = "0.0", "0.0"
            if enum == "kIntLimit":
                if extra[0] not in LIMITS:
                    raise GenError(f"unknown limit {extra[0]}")
                limit = "&Limits::" + extra[0]
                limit_name = extra[0]
                a = extra[1]
            elif enum == "kRealRange":
                lo, hi = repr(float(extra[0])), repr(float(extra[1]))
            elif extra:
                a = extra[0]
                b = extra[1] if len(extra) > 1 else "0"
            attr_rows.append(f'    {{"{attr}", AttrKind::{enum}, {limit}, "{limit_name}", {a}LL, {b}LL, {lo}, {hi}}},')
        ext_begin = len(ext_rows)
        any_ext = "false"
        exts = info["exts"] or []
        if exts == ["*"]:
            any_ext, exts = "true", []
        for e in exts:
            ext_rows.append(f'    "{e}",')
        flags = " | ".join(FLAGS[f] for f in sorted(info["flags"])) or "0"
        kind = storage_kind.get(tag, "kNoStorageKind")
        tag_rows.append(
            f'    {{"{tag}", "{info["class"]}", TagOrigin::{info["origin"]}, "{info["module"]}", {flags}, '
            f'{attr_begin}, {len(attr_rows) - attr_begin}, {ext_begin}, {len(ext_rows) - ext_begin}, {any_ext}, '
            f'{kind}, 0x{readable_by[tag]:x}ULL}},')
    if len(attr_rows) >= 0xFFFF:
        raise GenError("too many attribute specs for a 16-bit index")

    major, minor, patch = scan["version"]
    w(f"inline constexpr SlicerVersion kRegistryVersion = {{{major}, {minor}, {patch}}};")
    w(f'inline constexpr std::string_view kRegistryCommit = "{scan["commit"]}";')
    w("")
    w("inline constexpr AttrSpec kAttrSpecs[] = {")
    out.extend(attr_rows)
    w("};")
    w("")
    w("inline constexpr std::string_view kStorageExtensions[] = {")
    out.extend(ext_rows)
    w("};")
    w("")
    w("// Sorted by tag.")
    w("inline constexpr TagInfo kTags[] = {")
    out.extend(tag_rows)
    w("};")
    w("")
    w("// Sorted; classes a registered tag creates.")
    w("inline constexpr std::string_view kRegisteredClasses[] = {")
    out.extend(f'    "{c}",' for c in registered_classes)
    w("};")
    w("")
    w("// Sorted by class: the tag (row of kTags) the class is registered under.")
    w("inline constexpr ClassTag kClassTags[] = {")
    out.extend(f'    {{"{c}", {tag_row[class_tag[c]]}}},' for c in sorted(class_tag))
    w("};")
    w("")
    w("// Sorted by attribute; role empty = id-valued attribute outside the reference API.")
    w("inline constexpr RefAttr kRefAttrs[] = {")
    out.extend(f'    {{"{a}", "{ref_attrs[a]}"}},' for a in sorted(ref_attrs))
    w("};")
    w("")
    w("inline constexpr std::string_view kBuiltinIdPrefixes[] = {")
    out.extend(f'    "{b}",' for b in sorted(builtins))
    w("};")
    w("")
    w("inline constexpr std::string_view kTextExtensions[] = {")
    out.extend(f'    "{e}",' for e in sorted(text_exts))
    w("};")
    w("")
    w("// Sorted; Slicer's scripted modules and those of the extensions scanned (slicer-scan.tsv).")
    w("inline constexpr std::string_view kScriptedModules[] = {")
    out.extend(f'    "{m}",' for m in sorted(scan["modules"]))
    w("};")
    w("")
    # Past Slicer releases and extensions (slicer-history.tsv): a tag or module
    # the current registry does not know is named as what it was.
    hist_tags, hist_modules = {}, {}
    if args.history:
        with open(args.history, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                fld = line.rstrip("\n").split("\t")
                if fld[0] == "tag" and len(fld) == 5:
                    hist_tags.setdefault(fld[1], f"{fld[2]}, Slicer {fld[3]} to {fld[4]}")
                elif fld[0] == "ext-tag" and len(fld) == 6:
                    hist_tags.setdefault(fld[1], f"{fld[2]}, extension {fld[3]} {fld[4]} to {fld[5]}")
                elif fld[0] == "scripted-module" and len(fld) == 4:
                    hist_modules.setdefault(fld[1], f"Slicer {fld[2]} to {fld[3]}")
                elif fld[0] == "ext-scripted-module" and len(fld) == 5:
                    hist_modules.setdefault(fld[1], f"extension {fld[2]} {fld[3]} to {fld[4]}")
    w("// Sorted; node tags of past Slicer releases and extensions (slicer-history.tsv): tag, where from.")
    w("inline constexpr HistoryEntry kHistoryTags[] = {")
    out.extend(f'    {{"{t}", "{hist_tags[t]}"}},' for t in sorted(hist_tags))
    w("};")
    w("")
    w("// Sorted; scripted modules of past Slicer releases and extensions: name, where from.")
    w("inline constexpr HistoryEntry kHistoryModules[] = {")
    out.extend(f'    {{"{m}", "{hist_modules[m]}"}},' for m in sorted(hist_modules))
    w("};")
    w("")
    w("// Sorted; extensions whose node tags the overlay lists.")
    w("inline constexpr std::string_view kKnownExtensions[] = {")
    out.extend(f'    "{e}",' for e in sorted(known_extensions | set(scan["sources"]) - {"Slicer"}))
    w("};")
    text = "\n".join(out) + "\n"
    for ch in text:
        if ord(ch) > 126:
            raise GenError("non-ASCII character in generated output")

    # Write only when changed, so an unchanged table does not rebuild the layer.
    try:
        with open(args.output, encoding="utf-8") as f:
            if f.read() == text:
                return 0
    except OSError:
        pass
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (GenError, OSError) as e:
        print(f"gen_node_registry: {e}", file=sys.stderr)
        sys.exit(1)
