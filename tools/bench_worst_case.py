#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Worst-case benchmark: the CPU time `mrmlguard validate` needs per input.

Runs the built CLI once per input (--repeat times, the least kept, for an
input over 0.5 s) and measures the child's CPU time (user + system, every
thread, from resource.getrusage(RUSAGE_CHILDREN)) and its wall time. The
inputs:

  * every crafted input kept in the repository: tests/**/data/* and
    corpus/regress/** (fuzzer regression inputs start with configuration
    bytes; the CLI reads them as a scene or a bundle by their first bytes'
    look, which still exercises its refusal paths);
  * a generated family per limit, at the limit and just over it: XML depth,
    attributes per element, name bytes, attribute value bytes, nodes, scene
    bytes; documents that repeat the worst element until they reach --mb
    megabytes (the per-MB worst cases); one huge comment, text run and start
    tag; the 3 MB scene with 300,000 attributes on one element; ZIP entry
    count, declared sizes and compression ratio; 15 entries that really
    inflate to 1 GiB each (issue 13), unreferenced and referenced; a plain
    scene whose storage nodes all name one large table next to it (the input
    is the folder); what a bundle may ask the check to inflate and parse
    (max_inspected_bytes: a deflated scene, a deflated nested bundle,
    referenced headers), at the budget and over it, beside the costliest
    deflate stream.

Generated inputs go to a temporary folder that is removed at the end.

    tools/bench_worst_case.py build/tools/mrmlguard [--mb 100] [--top 15] [--markdown]

Prints every input sorted by CPU time, the slowest ones, and the worst CPU
seconds per MB among inputs of at least 1 MB. Exit status 1 when an input of
at most 100 MB took more than --budget CPU seconds (default 2).
"""

import argparse
import importlib.util
import io
import os
import random
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MB = 1 << 20


# --- XML families -----------------------------------------------------------

def nested(depth):
    return "<MRML>" + "<N>" * (depth - 1) + "</N>" * (depth - 1) + "</MRML>"


def attributes(count, value="1"):
    return "<Volume" + "".join(f' a{i}="{value}"' for i in range(count)) + "/>"


def document_attributes(total, per_element):
    """<MRML> whose elements hold `total` attributes, `per_element` a piece."""
    full, rest = divmod(total, per_element)
    element = attributes(per_element) + "\n"
    return "<MRML>\n" + element * full + (attributes(rest) if rest else "") + "</MRML>\n"


def document_references(total):
    """<MRML> whose attribute values hold `total` character references."""
    full, rest = divmod(total, 1000)
    element = "<A a=\"" + "&#x10FFFF;" * 1000 + "\"/>\n"
    return "<MRML>\n" + element * full + "<A a=\"" + "&#x10FFFF;" * rest + "\"/></MRML>\n"


def two_values(tag_bytes):
    """A start tag of `tag_bytes` bytes holding two long values (each under
    max_attribute_value_bytes, which is below max_tag_bytes)."""
    first = (tag_bytes - 14) // 2
    return "<A a=\"" + "v" * first + "\" b=\"" + "v" * (tag_bytes - 14 - first) + "\"/>"


def repeat_to(element, size):
    """<MRML> holding copies of `element` until the document has `size` bytes."""
    body_size = max(size - 16, len(element))
    copies = max(1, body_size // (len(element) + 1))
    return "<MRML>\n" + (element + "\n") * copies + "</MRML>\n"


def xml_cases(size, limits):
    """(name, make) pairs; make() builds the document (None: a sparse file)."""
    depth = limits["max_xml_depth"]
    attrs = limits["max_attributes_per_element"]
    name = limits["max_xml_name_bytes"]
    nodes = limits["max_nodes"]
    doc_attrs = limits["max_document_attributes"]
    refs = limits["max_document_references"]
    markup = limits["max_markup_bytes"]
    tag = limits["max_tag_bytes"]
    mb = size // MB
    return [
        ("depth at limit", lambda: nested(depth)),
        ("depth over limit", lambda: nested(depth + 1)),
        ("depth 100,000", lambda: nested(100_000)),
        ("attributes at limit", lambda: "<MRML>" + attributes(attrs) + "</MRML>"),
        ("attributes over limit", lambda: "<MRML>" + attributes(attrs + 1) + "</MRML>"),
        ("300,000 attributes, one element (3 MB)", lambda: "<MRML>" + attributes(300_000) + "</MRML>"),
        ("element name at limit", lambda: f"<MRML><{'V' * name}/></MRML>"),
        ("element name over limit", lambda: f"<MRML><{'V' * (name + 1)}/></MRML>"),
        ("attribute name at limit", lambda: f"<MRML {'a' * name}=\"1\"/>"),
        ("attribute name over limit", lambda: f"<MRML {'a' * (name + 1)}=\"1\"/>"),
        ("nodes at limit", lambda: "<MRML>" + "<A/>" * (nodes - 1) + "</MRML>"),
        ("nodes over limit", lambda: "<MRML>" + "<A/>" * nodes + "</MRML>"),
        # Per-MB worst cases: the costliest element the limits allow, repeated.
        (f"{mb} MB of elements with {attrs} attributes", lambda: repeat_to(attributes(attrs), size)),
        (f"{mb} MB of elements with {attrs} prefixed attributes",
         lambda: repeat_to("<V" + "".join(f" p:a{i}=\"1\"" for i in range(attrs)) + "/>", size)),
        (f"{mb} MB of subtrees {depth} deep",
         lambda: repeat_to("<A>" * (depth - 1) + "</A>" * (depth - 1), size)),
        (f"{mb} MB of {name}-byte names", lambda: repeat_to(f"<{'V' * name} {'a' * name}=\"1\"/>", size)),
        (f"{mb} MB of empty elements", lambda: repeat_to("<A/>", size)),
        (f"{mb} MB of character references", lambda: repeat_to("<A a=\"" + "&#x10FFFF;" * 1000 + "\"/>", size)),
        (f"{mb} MB comment", lambda: "<MRML><!--" + "-x" * (size // 2) + "--></MRML>"),
        (f"{mb} MB text", lambda: "<MRML>" + "x" * size + "</MRML>"),
        (f"{mb} MB start tag of {attrs} long values",
         lambda: "<MRML>" + attributes(attrs, "v" * (size // attrs - 16)) + "</MRML>"),
        (f"{mb} MB one attribute value", lambda: "<MRML a=\"" + "v" * size + "\"/>"),
        (f"{mb} MB CDATA", lambda: "<MRML><![CDATA[" + "x" * size + "]]></MRML>"),
        # The document-wide budgets, at the budget and one over, with the
        # costliest element per unit (512 one-digit attributes, 1,000
        # four-byte character references).
        ("document attributes at limit", lambda: document_attributes(doc_attrs, attrs)),
        ("document attributes over limit", lambda: document_attributes(doc_attrs + 1, attrs)),
        ("document references at limit", lambda: document_references(refs)),
        ("document references over limit", lambda: document_references(refs + 1)),
        ("text references over limit", lambda: "<MRML>" + "&lt;" * (refs + 1) + "</MRML>"),
        ("markup bytes at limit", lambda: "<MRML><!--" + "x" * (markup - 7) + "--></MRML>"),
        ("markup bytes over limit", lambda: "<MRML><!--" + "x" * (markup - 6) + "--></MRML>"),
        ("tag bytes at limit", lambda: "<MRML>" + two_values(tag) + "</MRML>"),
        ("tag bytes over limit", lambda: "<MRML>" + two_values(tag + 1) + "</MRML>"),
        (f"{mb} MB of start tags at the tag limit", lambda: repeat_to(two_values(tag), size)),
        (f"{mb} MB of 1 KiB comments", lambda: repeat_to("<!--" + "x" * 1017 + "-->", size)),
        ("scene bytes over limit", lambda: None),  # written sparse below
    ]


# --- ZIP families -----------------------------------------------------------

def zip_many(path, count):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("Scene/Scene.mrml", "<MRML/>")
        for i in range(count - 1):
            z.writestr(f"Scene/Data/f{i}.txt", b"")


def zip_ratio(path, uncompressed, random_share):
    """One entry of `uncompressed` bytes; random_share of them incompressible."""
    rnd = random.Random(7)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("Scene/Scene.mrml", "<MRML/>")
        with z.open("Scene/Data/a.nrrd", "w") as out:
            left = uncompressed
            block = bytes(MB)
            noise = int(MB * random_share)
            while left > 0:
                n = min(left, MB)
                chunk = rnd.randbytes(noise)[:n] + block[: max(0, n - noise)]
                out.write(chunk[:n])
                left -= n


def zip_declared(path, entries, declared):
    """Deflated entries whose headers declare `declared` uncompressed bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Scene/Scene.mrml", "<MRML/>")
        for i in range(entries):
            z.writestr(f"Scene/Data/f{i}.raw", b"x")
    data = bytearray(open(path, "rb").read())
    # Patch the uncompressed size in every local header (offset 22) and
    # central header (offset 24) of the data entries.
    for sig, field in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(sig)
        while at >= 0:
            name_len = struct.unpack_from("<H", data, at + (26 if sig == b"PK\x03\x04" else 28))[0]
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at:name_at + name_len].endswith(b".raw"):
                struct.pack_into("<I", data, at + field, declared)
            at = data.find(sig, at + 4)
    open(path, "wb").write(data)


def zip_cases(tmp, limits, size):
    entries = limits["max_zip_entries"]
    ratio = limits["max_compression_ratio"]
    cases = []
    p = os.path.join(tmp, "zip-entries-at.mrb"); zip_many(p, entries); cases.append(("zip entries at limit", p))
    p = os.path.join(tmp, "zip-entries-over.mrb"); zip_many(p, entries + 1); cases.append(("zip entries over limit", p))
    p = os.path.join(tmp, "zip-declared-over.mrb"); zip_declared(p, 5, 0xFFFFFFFE)
    cases.append(("zip 5 entries declaring 4 GiB each (total over limit)", p))
    # Zeros deflate about 1030:1; a few percent of noise brings the ratio down.
    p = os.path.join(tmp, "zip-ratio-over.mrb"); zip_ratio(p, size, 0.0)
    cases.append((f"zip {size // MB} MB of zeros (ratio over {ratio})", p))
    p = os.path.join(tmp, "zip-ratio-under.mrb"); zip_ratio(p, size, 0.002)
    cases.append((f"zip {size // MB} MB nearly zeros (ratio under {ratio})", p))
    # Issue 13: entries that really inflate to 1 GiB each, every one under the
    # ratio limit and all under max_total_uncompressed_bytes (accepted):
    # measured without being inflated, unreferenced or past a data header.
    bomb = load_tool("gen_zip_bomb")
    count = min(15, limits["max_total_uncompressed_bytes"] // (1 << 30) - 1)
    p = os.path.join(tmp, "zip-gib-entries.mrb"); bomb.write_bundle(p, count, 1024)
    cases.append((f"zip {count} entries inflating to 1 GiB each (total under max_total_uncompressed_bytes)", p))
    p = os.path.join(tmp, "zip-gib-entries-referenced.mrb"); bomb.write_bundle(p, count, 1024, referenced=True)
    cases.append((f"zip {count} entries inflating to 1 GiB each, referenced by storage nodes", p))
    # Streams that cost a decoder the most per compressed byte: empty dynamic
    # blocks (refused past max_deflate_blocks_per_mib), measured or inflated
    # as a scene; the most blocks the budget allows, each with output; and
    # length-3 matches (ratio 12, accepted).
    deflate = load_tool("gen_deflate_worst")
    mb = max(1, size // MB)
    for kind, as_scene, label in (("empty-blocks", False, "unreferenced entry of empty deflate blocks"),
                                  ("empty-blocks", True, "second scene of empty deflate blocks"),
                                  ("literal-blocks", False, "unreferenced entry of 512-byte blocks of one-bit literals"),
                                  ("shortest-matches", False, "unreferenced entry of length-3 matches")):
        p = os.path.join(tmp, f"zip-{kind}{'-scene' if as_scene else ''}.mrb")
        deflate.write(kind, p, mb, as_scene)
        cases.append((f"zip {mb} MB {label}", p))
    cases += inspect_cases(tmp, limits, size)
    return cases


def realistic_scene(max_bytes):
    """The largest scene of tools/gen_big_scene.py of at most `max_bytes`."""
    big = load_tool("gen_big_scene")
    nodes = max(10, max_bytes // 370)
    while True:
        out = io.StringIO()
        big.write_scene(out, nodes)
        text = out.getvalue().encode("utf-8")
        if len(text) <= max_bytes:
            return text
        nodes = nodes * max_bytes // len(text) - 10


def referenced_headers(count):
    """A scene referencing `count` NRRD entries of 2 MiB of zeros, and the
    entries: each costs the check an inflated max_header_bytes (1 MiB)."""
    header = (b"NRRD0004\ntype: unsigned char\ndimension: 3\nsizes: 128 128 128\nencoding: raw\n"
              b"space: left-posterior-superior\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nspace origin: (0,0,0)\n\n")
    data = header + bytes(128 * 128 * 128)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<MRML version="Slicer 5.8.1 33241" userTags="">\n']
    for i in range(count):
        parts.append(f' <Volume id="vtkMRMLScalarVolumeNode{i}" name="V{i}" storageNodeRef="s{i}"></Volume>\n'
                     f' <VolumeArchetypeStorage id="s{i}" name="S{i}" fileName="Data/v{i}.nrrd"></VolumeArchetypeStorage>\n')
    parts.append("</MRML>\n")
    return "".join(parts).encode("utf-8"), [(f"Scene/Data/v{i}.nrrd", data) for i in range(count)]


def inspect_cases(tmp, limits, size):
    """What a bundle may ask the check to inflate and parse (max_inspected_bytes,
    counted 12 times for scenes, 3 for JSON and tables, 4 for the bytes a nested
    bundle's compression hid): each at the budget and over it, beside the
    costliest deflate stream filling the rest of the input."""
    budget = limits["max_inspected_bytes"]
    deflate = load_tool("gen_deflate_worst")
    mb = max(1, size // MB)
    cases = []

    def beside(label, path, scene, extra):
        packed = len(zlib.compress(scene, 6)) + sum(len(zlib.compress(d, 9)) for _, d in extra)
        filler = max(0, mb - (packed + MB - 1) // MB - 1)
        deflate.write("literal-blocks", path, filler, False, scene, extra)
        cases.append((f"{label} beside {filler} MB of one-bit literal blocks", path))

    for label, scene_bytes in (("at", budget // 12 - 64 * 1024), ("over", budget // 12 + 4 * MB)):
        scene = realistic_scene(scene_bytes)
        beside(f"zip {len(scene) / MB:.1f} MB realistic scene (inspect budget {label})",
               os.path.join(tmp, f"zip-scene-{label}.mrb"), scene, [])
    for label, inner_mb in (("at", budget // (4 * MB) - 4), ("over", 250)):
        inner = os.path.join(tmp, "inner.mrb")
        deflate.write("literal-blocks", inner, inner_mb)
        with open(inner, "rb") as f:
            nested = f.read()
        os.remove(inner)
        beside(f"zip nested bundle of {inner_mb} MB of one-bit literal blocks, deflated (inspect budget {label})",
               os.path.join(tmp, f"zip-nested-{label}.mrb"),
               b'<MRML version="Slicer 5.8.1 33241" userTags=""></MRML>\n', [("Scene/Data/inner.seq.mrb", nested)])
        del nested
    for label, count in (("at", budget // MB - 2), ("over", budget // MB + 8)):
        scene, entries = referenced_headers(count)
        beside(f"zip {count} referenced 2 MiB NRRD entries of zeros (inspect budget {label})",
               os.path.join(tmp, f"zip-headers-{label}.mrb"), scene, entries)
    return cases


# --- plain scenes and the files next to them --------------------------------

def write_plain_scene(folder, elements):
    """Writes folder/scene.mrml holding `elements` (strings) and returns its path."""
    path = os.path.join(folder, "scene.mrml")
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<MRML version="Slicer 5.8.1 33241" userTags="">\n')
        f.write("".join(elements))
        f.write("</MRML>\n")
    return path


def plain_many_readings(folder, nodes, table_bytes):
    """A plain scene whose `nodes` TableStorage nodes all name one table of
    `table_bytes` (read whole: text tables are judged whole), under several
    names ("t.csv", "./t.csv", "d/../t.csv")."""
    os.makedirs(os.path.join(folder, "d"))
    line = b"1,2,3,4,5,6,7,8,9,10\n"
    with open(os.path.join(folder, "t.csv"), "wb") as f:
        f.write(b"a,b,c,d,e,f,g,h,i,j\n")
        f.write(line * (table_bytes // len(line)))
    names = ["t.csv", "./t.csv", "d/../t.csv"]
    parts = []
    for i in range(nodes):
        parts.append(f' <Table id="vtkMRMLTableNode{i}" name="T{i}" storageNodeRef="vtkMRMLTableStorageNode{i}">'
                     f'</Table>\n <TableStorage id="vtkMRMLTableStorageNode{i}" name="S{i}"'
                     f' fileName="{names[i % len(names)]}"></TableStorage>\n')
    return write_plain_scene(folder, parts)


def plain_missing(folder, nodes, subfolder):
    """A plain scene of `nodes` storage nodes, each naming a file that does
    not exist (in the scene's folder, or in a folder that does not exist)."""
    os.makedirs(folder)
    prefix = subfolder + "/" if subfolder else ""
    parts = [f'<VolumeArchetypeStorage id="s{i}" fileName="{prefix}v{i}.nrrd"/>\n' for i in range(nodes)]
    return write_plain_scene(folder, parts)


def plain_detached(folder, headers, files):
    """A plain scene of `headers` volumes, each a tiny .nhdr whose one pattern
    line names `files` detached files, none of which exists."""
    os.makedirs(folder)
    parts = []
    for i in range(headers):
        with open(os.path.join(folder, f"v{i}.nhdr"), "w", encoding="utf-8") as f:
            f.write(f"NRRD0004\ntype: unsigned char\ndimension: 3\nsizes: 4 4 {files}\nencoding: raw\n"
                    f"data file: d{i}_%05d.raw 0 {files - 1} 1 2\n\n")
        parts.append(f' <Volume id="vtkMRMLScalarVolumeNode{i}" name="V{i}" storageNodeRef="s{i}"></Volume>\n'
                     f' <VolumeArchetypeStorage id="s{i}" name="S{i}" fileName="v{i}.nhdr"></VolumeArchetypeStorage>\n')
    return write_plain_scene(folder, parts)


def plain_cases(tmp, limits):
    folder = os.path.join(tmp, "plain-many-readings")
    table = min(60 * MB, limits["max_json_bytes"])
    nodes = limits["max_nodes"] - 1000
    cases = [(f"plain scene, 200 storage nodes naming one {table // MB} MB table",
             plain_many_readings(folder, 200, table)),
            (f"plain scene, {nodes:,} storage nodes naming missing files beside it",
             plain_missing(os.path.join(tmp, "plain-missing-here"), nodes, "")),
            (f"plain scene, {nodes:,} storage nodes naming files in a missing folder",
             plain_missing(os.path.join(tmp, "plain-missing-folder"), nodes, "Data"))]
    per = limits["max_detached_files"]
    total = limits["max_total_detached_files"]
    for label, headers in (("at the limit", total // per), ("over it", 1000)):
        cases.append((f"plain scene, {headers:,} headers each naming {per:,} missing detached files by pattern "
                      f"(max_total_detached_files {label})",
                      plain_detached(os.path.join(tmp, f"plain-detached-{headers}"), headers, per)))
    return cases


def input_bytes(path):
    """A generated plain scene's input is its whole folder."""
    folder = os.path.dirname(path)
    if not os.path.basename(folder).startswith("plain-"):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)


def load_tool(name):
    """A generator script of tools/ as a module."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "tools", name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- running ----------------------------------------------------------------

def read_limits(cli):
    out = subprocess.run([cli, "limits"], capture_output=True, text=True, check=True).stdout
    limits = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith("max_"):
            value = parts[1].replace(",", "").replace("'", "")
            mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(value[-1:], 1)
            try:
                limits[parts[0]] = int(value.rstrip("KMG")) * mult
            except ValueError:
                pass
    return limits


def measure(cli, path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run([cli, "validate", "-q", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rule = ""
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if "[" in line and line.rstrip().endswith("]"):
            rule = line.rstrip().rsplit("[", 1)[1].rstrip("]")
            break
    verdict = {0: "accepted", 1: "rejected"}.get(proc.returncode, f"exit {proc.returncode}")
    return cpu, wall, verdict, rule


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cli", help="path of the built mrmlguard")
    ap.add_argument("--mb", type=int, default=100, help="size of the per-MB worst cases (default 100)")
    ap.add_argument("--top", type=int, default=15, help="how many of the slowest to list")
    ap.add_argument("--budget", type=float, default=2.0, help="CPU seconds allowed per input of at most 100 MB")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    ap.add_argument("--only", default="", help="run only generated cases whose name contains this")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each input over 0.5 s of CPU, the least CPU kept: a shared machine only ever "
                         "adds time (default 3)")
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    limits = read_limits(cli)
    size = args.mb * MB

    tmp = tempfile.mkdtemp(prefix="mrmlguard-worst-")
    rows = []
    generated = []  # in the order run
    try:
        inputs = []
        if not args.only:
            for base in ("tests", os.path.join("corpus", "regress")):
                for dirpath, _, files in os.walk(os.path.join(ROOT, base)):
                    if base == "tests" and os.sep + "data" not in dirpath:
                        continue
                    for f in sorted(files):
                        if f.endswith((".cc", ".h", ".txt", ".md", ".py", ".cmake")) or f == "CMakeLists.txt":
                            continue
                        inputs.append((os.path.relpath(os.path.join(dirpath, f), ROOT), os.path.join(dirpath, f)))
        for name, make in xml_cases(size, limits):
            if not args.only or args.only in name:
                inputs.append((name, make))
        if not args.only or "zip" in args.only:
            inputs += zip_cases(tmp, limits, size)
        if not args.only or "plain" in args.only:
            inputs += plain_cases(tmp, limits)
        for name, path in inputs:
            if callable(path):
                # Generated now and removed after, one at a time (disk, memory).
                doc = path()
                path = os.path.join(tmp, "case.mrml")
                with open(path, "wb") as f:
                    if doc is None:
                        # One byte over max_scene_bytes, sparse: refused from its size.
                        f.write(b"<MRML>")
                        f.truncate(limits["max_scene_bytes"] + 1)
                    else:
                        f.write(doc.encode("utf-8"))
                del doc
            # Written back before the clock starts: the kernel's writeback
            # of a just-written 100 MB file slows the run it overlaps.
            os.sync()
            cpu, wall, verdict, rule = measure(cli, path)
            for _ in range(args.repeat - 1 if cpu > 0.5 else 0):
                again = measure(cli, path)
                if again[0] < cpu:
                    cpu, wall = again[0], again[1]
            mb = input_bytes(path) / MB
            rows.append((name, mb, cpu, wall, verdict, rule))
            if path.startswith(tmp):
                generated.append(rows[-1])
            print(f"  {cpu:7.3f} s CPU {wall:7.3f} s wall {mb:9.2f} MB  {verdict:8} {rule:28} {name}",
                  file=sys.stderr, flush=True)
            if path.startswith(tmp):
                # Keep the disk free for the next one.
                folder = os.path.dirname(path)
                if os.path.basename(folder).startswith("plain-"):
                    shutil.rmtree(folder)
                else:
                    os.remove(path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rows.sort(key=lambda r: -r[2])
    big = [r for r in rows if r[1] >= 1.0]
    worst_per_mb = max(big, key=lambda r: r[2] / r[1]) if big else None
    over = [r for r in rows if r[1] <= 100.0 and r[2] > args.budget]

    def table(selection):
        if args.markdown:
            print("| input | MB | CPU s | wall s | verdict | first rule |")
            print("|---|---:|---:|---:|---|---|")
            for name, mb, cpu, wall, verdict, rule in selection:
                print(f"| {name} | {mb:.2f} | {cpu:.3f} | {wall:.3f} | {verdict} | {rule} |")
        else:
            for name, mb, cpu, wall, verdict, rule in selection:
                print(f"{cpu:8.3f} {wall:8.3f} {mb:9.2f}  {verdict:8} {rule:28} {name}")

    print(f"inputs: {len(rows)}; slowest {args.top} (CPU = user + system, all threads):")
    table(rows[: args.top])
    if worst_per_mb:
        name, mb, cpu, *_ = worst_per_mb
        print(f"\nworst CPU per MB (inputs of 1 MB or more): {cpu / mb:.4f} s/MB ({name}, {mb:.1f} MB, {cpu:.3f} s)")
    print(f"inputs of at most 100 MB over {args.budget} s CPU: {len(over)}")
    print("\ngenerated inputs, in the order run:")
    table(generated)
    for name, mb, cpu, *_ in over:
        print(f"  {name}: {cpu:.3f} s, {mb:.1f} MB")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
