#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Checks that the #include lines agree with the layering (docs/notes/architecture.md).

Under lib/, each folder is a layer; a layer may include its own headers and those
of the layers below it, never a higher one:

    bytes, text < findings < zip, xml < mrml < data < pipeline < report < sanitize (< capi)

zip and xml are siblings and must not include each other. Nothing under lib/
includes tools/ or tests/. The public headers in include/mrmlguard/ include
only each other and the standard library (never lib/, Expat, libxml2, libzip,
zlib, libarchive or ITK headers): that is what lets users build against them
without any of those installed.

Usage: layering_test.py [REPO]     check the repository (default: this one)
       layering_test.py --self-test   check that the checker catches violations
"""

import os
import re
import sys
import tempfile

# Layer -> rank. Equal ranks are siblings: neither may include the other.
RANKS = {
    "bytes": 0,
    # Paths as Slicer reads them, ASCII and number helpers (lib/text).
    "text": 0,
    "findings": 1,
    "zip": 2,
    "xml": 2,
    "mrml": 3,
    "data": 4,
    "pipeline": 5,
    "report": 6,
    # Content disarm (lib/sanitize): re-runs the pipeline, writes its change
    # report with the report layer's JSON writer.
    "sanitize": 7,
    # The C API wraps the whole C++ API (lib/capi, added with the packaging).
    "capi": 8,
}
SOURCE_SUFFIXES = (".h", ".hh", ".hpp", ".c", ".cc", ".cpp", ".inc", ".def")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def includes(path):
    """Yields (line number, delimiter, name) for each #include in a file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield number, m.group(1), m.group(2)


def source_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.join(dirpath, name)


def check_lib(repo, errors):
    lib = os.path.join(repo, "lib")
    for path in source_files(lib):
        rel = os.path.relpath(path, lib)
        layer = rel.split(os.sep)[0]
        where = os.path.relpath(path, repo)
        if layer not in RANKS:
            if os.path.dirname(rel):
                errors.append(f"{where}: folder lib/{layer}/ is not a known layer; add it to RANKS in "
                              f"tests/layering_test.py and to docs/notes/architecture.md")
            continue  # files directly under lib/ (CMake only) have no layer
        for number, delim, name in includes(path):
            if delim == "<":
                continue  # system and third-party headers: the CMake deps govern those
            first = name.split("/")[0]
            if first in ("tools", "tests") or name.startswith("../"):
                errors.append(f"{where}:{number}: includes \"{name}\": lib/ must not reach outside itself")
                continue
            if "/" not in name:
                # A bare name is the including file's own folder, or a file
                # generated into the build tree (node_registry.inc). It must
                # never be another layer's header reached through an include
                # path.
                if os.path.exists(os.path.join(os.path.dirname(path), name)):
                    continue
                owners = sorted(d for d in os.listdir(lib) if os.path.isfile(os.path.join(lib, d, name)))
                if owners:
                    errors.append(f"{where}:{number}: includes \"{name}\" of lib/{owners[0]}/ by its bare name; "
                                  f"name it with its layer folder")
                continue
            if first == "mrmlguard":
                continue  # the public API is open to every layer
            if first not in RANKS:
                errors.append(f"{where}:{number}: includes \"{name}\" from unknown folder {first}/")
                continue
            if first == layer:
                continue
            if RANKS[first] > RANKS[layer]:
                errors.append(f"{where}:{number}: layer {layer} includes \"{name}\" from the higher layer {first}")
            elif RANKS[first] == RANKS[layer]:
                errors.append(f"{where}:{number}: layer {layer} includes \"{name}\" from its sibling {first}; "
                              f"siblings must not depend on each other")


def check_public(repo, errors):
    include_dir = os.path.join(repo, "include", "mrmlguard")
    for path in source_files(include_dir):
        where = os.path.relpath(path, repo)
        for number, delim, name in includes(path):
            if delim == '"':
                if not name.startswith("mrmlguard/"):
                    errors.append(f"{where}:{number}: public header includes \"{name}\"; only \"mrmlguard/...\" "
                                  f"headers may be included with quotes")
                continue
            # Angle brackets: the C and C++ standard libraries only. Their
            # headers have no folder, and C++ ones no extension; the C ones
            # allowed are named (the C API uses them).
            if "/" in name or (name.endswith(".h") and name not in ("stddef.h", "stdint.h", "stdbool.h")):
                errors.append(f"{where}:{number}: public header includes <{name}>; public headers may use only "
                              f"the standard library (no Expat, libxml2, libzip, zlib, libarchive, ITK)")


def check(repo):
    errors = []
    check_lib(repo, errors)
    check_public(repo, errors)
    return errors


def self_test():
    """Builds a small tree with one violation of each kind and checks each is caught."""
    cases = {
        "lib/bytes/a.h": '#include "findings/rule.h"\n',              # lower includes higher
        "lib/zip/b.cc": '#include "xml/xml_parser.h"\n',              # sibling
        "lib/xml/c.cc": '#include "zip/zip_archive.h"\n',             # sibling
        "lib/report/d.cc": '#include "tests/helper.h"\n',             # reaches tests/
        "lib/report/e.cc": '#include "tools/x.h"\n',                  # reaches tools/
        "lib/pipeline/f.cc": '#include "report/json_writer.h"\n',     # lower includes higher
        "lib/report/m.cc": '#include "sanitize/scene_plan.h"\n',     # report is below sanitize
        "lib/newlayer/g.cc": '#include "bytes/byte_reader.h"\n',      # unknown layer
        "lib/mrml/h.cc": '#include "zip_archive.h"\n',                # another layer's header, bare
        "include/mrmlguard/i.h": '#include <expat.h>\n',              # third party in public
        "include/mrmlguard/j.h": '#include <libxml/parser.h>\n',
        "include/mrmlguard/k.h": '#include "findings/rule.h"\n',      # lib/ in public
        "include/mrmlguard/l.h": '#include <zip.h>\n',
    }
    allowed = {
        "lib/report/ok.cc": '#include "pipeline/pipeline.h"\n#include "report/ok.h"\n#include "ok.h"\n'
                            '#include "mrmlguard/format.h"\n#include <expat.h>\n',
        "lib/report/ok.h": "\n",
        "lib/data/ok.cc": '#include "zip/zip_archive.h"\n#include "xml/xml_parser.h"\n#include "generated.inc"\n',
        "lib/zip/zip_archive.h": "\n",
        "include/mrmlguard/ok.h": '#include <cstdint>\n#include <span>\n#include <stdint.h>\n'
                                  '#include "mrmlguard/finding.h"\n',
    }
    with tempfile.TemporaryDirectory() as repo:
        for rel, text in {**cases, **allowed}.items():
            os.makedirs(os.path.join(repo, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(repo, rel), "w", encoding="utf-8") as f:
                f.write(text)
        errors = check(repo)
    failures = []
    for rel in cases:
        if not any(e.startswith(rel) for e in errors):
            failures.append(f"self-test: violation in {rel} was not reported")
    for rel in allowed:
        for e in errors:
            if e.startswith(rel):
                failures.append(f"self-test: allowed include reported: {e}")
    for f in failures:
        print(f)
    print(f"self-test: {len(cases)} violations planted, {len(errors)} reported, {len(failures)} failures")
    return 1 if failures else 0


def main(argv):
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test()
    repo = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    errors = check(os.path.abspath(repo))
    for e in errors:
        print(e)
    if errors:
        print(f"layering: {len(errors)} violation(s); see docs/notes/architecture.md")
        return 1
    print("layering: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
