#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Document-wide XML totals of real scenes, the figures behind the document budgets.

Usage:
  tools/corpus_xml_stats.py DIR_OR_FILE... [--top 5]

Reads every .mrml file and every scene (*.mrml entry) inside every .mrb
bundle, nested bundles (.mrb entries) included, and prints per measure the
largest value over all scenes and the scene that holds it:
  bytes, elements, attributes (document total and most on one element),
  references (character and entity references, in values and text),
  markup bytes (comments, processing instructions other than the XML
  declaration, CDATA sections, counted from '<' to '>'),
  name bytes (element and attribute names, start tags only),
  start tag bytes (the largest start tag, '<' to '>').
The reading is a regular-expression tokeniser, not a parser: it is meant
for well-formed scenes, as the real ones are.
"""

import argparse
import io
import os
import re
import sys
import zipfile

MARKUP = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>", re.S)
START_TAG = re.compile(rb"<([^!?/\s>][^\s/>]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>", re.S)
ATTRIBUTE = re.compile(rb"([^\s=/>]+)\s*=\s*(?:\"[^\"]*\"|'[^']*')")
REFERENCE = re.compile(rb"&(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z]+);")

MEASURES = ["bytes", "elements", "attributes", "attributes_per_element", "references", "markup_bytes",
            "name_bytes", "start_tag_bytes"]


def stats(data):
  s = dict.fromkeys(MEASURES, 0)
  s["bytes"] = len(data)
  for m in MARKUP.finditer(data):
    token = m.group(0)
    if m.start() == 0 and token.startswith(b"<?xml") and token[5:6].isspace():
      continue  # the XML declaration
    s["markup_bytes"] += len(token)
  body = MARKUP.sub(b"", data)
  s["references"] = len(REFERENCE.findall(body))
  for m in START_TAG.finditer(body):
    s["elements"] += 1
    s["start_tag_bytes"] = max(s["start_tag_bytes"], len(m.group(0)))
    names = [a.group(1) for a in ATTRIBUTE.finditer(m.group(2))]
    s["attributes"] += len(names)
    s["attributes_per_element"] = max(s["attributes_per_element"], len(names))
    s["name_bytes"] += len(m.group(1)) + sum(len(n) for n in names)
  return s


def scenes(path, data=None, depth=0):
  """Yields (label, bytes) for every scene in a .mrml file or a bundle."""
  if path.endswith(".mrml") and data is None:
    with open(path, "rb") as f:
      yield path, f.read()
    return
  try:
    z = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
  except (zipfile.BadZipFile, OSError):
    return
  with z:
    for info in z.infolist():
      name = info.filename
      if name.endswith(".mrml") or (name.endswith(".mrb") and depth < 2):
        try:
          content = z.read(info)
        except Exception:  # a crafted or unsupported entry: not a real scene
          continue
        if name.endswith(".mrml"):
          yield f"{path}!{name}", content
        else:
          yield from scenes(f"{path}!{name}", content, depth + 1)


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("paths", nargs="+")
  parser.add_argument("--top", type=int, default=1, help="scenes shown per measure")
  args = parser.parse_args()
  files = []
  for p in args.paths:
    if os.path.isdir(p):
      for root, _, names in os.walk(p):
        files += [os.path.join(root, n) for n in names if n.endswith((".mrml", ".mrb"))]
    else:
      files.append(p)
  rows = []
  for f in sorted(files):
    for label, data in scenes(f):
      rows.append((label, stats(data)))
  print(f"{len(rows)} scenes")
  for measure in MEASURES:
    top = sorted(rows, key=lambda r: -r[1][measure])[:args.top]
    for label, s in top:
      print(f"{measure:24} {s[measure]:>12,}  {label}")


if __name__ == "__main__":
  sys.exit(main())
