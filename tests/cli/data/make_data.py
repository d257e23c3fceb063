#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the crafted inputs of the golden CLI tests (see README.md here).

Deterministic: fixed timestamps, fixed order, so a re-run gives identical bytes
and git sees no change. Run from anywhere: python3 tests/cli/data/make_data.py
"""

import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2024, 1, 1, 0, 0, 0)

MINIMAL = (
    '<MRML version="Slicer4.8.0" userTags="">\n'
    ' <Camera id="vtkMRMLCameraNode1" name="Camera1" position="0 500 0" focalPoint="0 0 0"'
    ' viewUp="0 0 1" parallelProjection="false" parallelScale="1"></Camera>\n'
    '</MRML>\n'
)


def write_text(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_zip(name, entries):
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_DEFLATED) as z:
        for entry_name, data in entries:
            info = zipfile.ZipInfo(entry_name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def main():
    # An honest scene: one camera, nothing referenced.
    write_text("minimal.mrml", MINIMAL)
    # Storage that Slicer would fetch from the network on load (threat 5).
    write_text("remote-storage.mrml",
               '<MRML version="Slicer4.8.0" userTags="">\n'
               ' <ModelStorage id="vtkMRMLModelStorageNode1" name="ModelStorage"'
               ' fileName="model.vtk" uri="http://attacker.example/model.vtk"></ModelStorage>\n'
               ' <Model id="vtkMRMLModelNode1" name="model" storageNodeRef="vtkMRMLModelStorageNode1"></Model>\n'
               '</MRML>\n')
    # Entity expansion (threat 4).
    write_text("doctype.mrml",
               '<?xml version="1.0"?>\n'
               '<!DOCTYPE MRML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
               '<MRML version="Slicer4.8.0"><Camera id="vtkMRMLCameraNode1" name="&b;"></Camera></MRML>\n')
    # Text meant for whoever reads the report, in values that findings
    # quote: a character reference to a newline forging a report line, a bidi
    # override in a node id (the report itself as an attack surface).
    write_text("hostile-text.mrml",
               '<MRML version="Slicer4.8.0" userTags="">\n'
               ' <ModelStorage id="vtkMRMLModelStorageNode1\u202e" name="x"'
               ' fileName="http://e.example/&#10;fake.mrml:1:1: error: forged [x]&#x202E;&#x85;.vtk"></ModelStorage>\n'
               '</MRML>\n')
    # Neither XML nor ZIP.
    write_text("not-a-scene.txt", "this is not a Slicer scene\n")
    # A bundle whose second entry climbs out of the extraction folder and
    # plants a start-up script (threat 1).
    write_zip("traversal.mrb", [
        ("Scene/Scene.mrml", MINIMAL),
        ("Scene/../../.slicerrc.py", "print('owned')\n"),
    ])
    # Entry names with a terminal escape, a newline and a bidi override.
    write_zip("hostile-names.mrb", [
        ("Scene/Scene.mrml", MINIMAL),
        ("Scene/\x1b[2J\nforged: accepted\u202e.txt", "x"),
    ])
    # An honest bundle in Slicer's layout.
    write_zip("minimal.mrb", [("Scene/Scene.mrml", MINIMAL)])


if __name__ == "__main__":
    main()
