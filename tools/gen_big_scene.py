#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes a large, realistic MRML scene for benchmarks (tools/bench_scene.sh).

The scene looks like what Slicer 5 writes: an XML declaration, <MRML> with
version and userTags, then groups of a data node, its display node and its
storage node (volumes, models, markups, transforms, tables), and a
SubjectHierarchy node with one SubjectHierarchyItem per data node. Attribute
sets and value shapes follow the real scenes in corpus/real. The output is
deterministic for a given node count.

    tools/gen_big_scene.py --nodes 250000 -o /tmp/big.mrml   # ~100 MB
"""

import argparse
import random
import sys


def uid(rnd):
    return "1.2.826.0.1.3680043.2.1125." + ".".join(str(rnd.randint(1, 99999999)) for _ in range(3))


def volume(i, rnd):
    sp = " ".join(f"{rnd.uniform(0.3, 2.5):.6g}" for _ in range(3))
    org = " ".join(f"{rnd.uniform(-200, 200):.6g}" for _ in range(3))
    # Slicer writes the 3x3 direction matrix as nine space-separated numbers.
    ijk = " ".join(f"{rnd.uniform(-1, 1):.6g}" for _ in range(9))
    return [
        f' <Volume\n  id="vtkMRMLScalarVolumeNode{i}"  name="CTChest_{i}"  hideFromEditors="false"  selectable="true"'
        f'  selected="false"  displayNodeRef="vtkMRMLScalarVolumeDisplayNode{i}"'
        f'  storageNodeRef="vtkMRMLVolumeArchetypeStorageNode{i}"  references="display:vtkMRMLScalarVolumeDisplayNode{i};'
        f'storage:vtkMRMLVolumeArchetypeStorageNode{i};"  userTags=""  spacing="{sp}"  origin="{org}"'
        f'  voxelVectorType="undefined"  ijkToRASDirections="{ijk}"'
        f'  attributes="DICOM.instanceUIDs:{uid(rnd)} {uid(rnd)};Sequences.BaseName:CTChest_{i}" ></Volume>',
        f' <VolumeDisplay\n  id="vtkMRMLScalarVolumeDisplayNode{i}"  name="VolumeDisplay"  hideFromEditors="true"'
        f'  selectable="true"  selected="false"  color="0.5 0.5 0.5"  edgeColor="0 0 0"  selectedColor="1 0 0"'
        f'  selectedAmbient="0.4"  ambient="0"  diffuse="1"  selectedSpecular="0.5"  specular="0"  power="1"'
        f'  opacity="1"  visibility="true"  colorNodeID="vtkMRMLColorTableNodeGrey"  window="{rnd.randint(100, 3000)}"'
        f'  level="{rnd.randint(-500, 1000)}"  upperThreshold="32767"  lowerThreshold="-32768"  interpolate="1"'
        f'  autoWindowLevel="1"  applyThreshold="0"  autoThreshold="0" ></VolumeDisplay>',
        f' <VolumeArchetypeStorage\n  id="vtkMRMLVolumeArchetypeStorageNode{i}"  name="VolumeArchetypeStorage"'
        f'  hideFromEditors="true"  selectable="true"  selected="false"  fileName="Data/CTChest_{i}.nrrd"'
        f'  useCompression="1"  compressionParameter="default"  defaultWriteFileExtension="nrrd"  readState="0"'
        f'  writeState="0"  centerImage="0"  UseOrientationFromFile="1" ></VolumeArchetypeStorage>',
    ]


def model(i, rnd):
    color = " ".join(f"{rnd.random():.6g}" for _ in range(3))
    return [
        f' <Model\n  id="vtkMRMLModelNode{i}"  name="Segment_{i}"  description=""  hideFromEditors="false"'
        f'  selectable="true"  selected="false"  displayNodeRef="vtkMRMLModelDisplayNode{i}"'
        f'  storageNodeRef="vtkMRMLModelStorageNode{i}"  references="display:vtkMRMLModelDisplayNode{i};'
        f'storage:vtkMRMLModelStorageNode{i};"  userTags=""'
        f'  attributes="Segmentation.SegmentID:Segment_{i};DICOM.instanceUIDs:{uid(rnd)}" ></Model>',
        f' <ModelDisplay\n  id="vtkMRMLModelDisplayNode{i}"  name="ModelDisplay"  hideFromEditors="true"'
        f'  selectable="true"  selected="false"  color="{color}"  edgeColor="0 0 0"  selectedColor="1 0 0"'
        f'  selectedAmbient="0.4"  ambient="0"  diffuse="1"  selectedSpecular="0.5"  specular="0"  power="1"'
        f'  opacity="{rnd.random():.3g}"  visibility="true"  sliceIntersectionVisibility="false"'
        f'  sliceIntersectionThickness="1"  backfaceCulling="true"  scalarVisibility="false"'
        f'  scalarRangeFlag="UseData"  activeScalarName=""  representation="2"  lineWidth="1"  pointSize="1"'
        f'  interpolation="1"  shading="true"  frontfaceCulling="false"  folderDisplayOverrideAllowed="true"'
        f'  showMode="Default"  scalarRange="0 100" ></ModelDisplay>',
        f' <ModelStorage\n  id="vtkMRMLModelStorageNode{i}"  name="ModelStorage"  hideFromEditors="true"'
        f'  selectable="true"  selected="false"  fileName="Data/Segment_{i}.vtk"  useCompression="1"'
        f'  defaultWriteFileExtension="vtk"  readState="0"  writeState="0"  coordinateSystem="LPS" ></ModelStorage>',
    ]


def markups(i, rnd):
    pts = "".join(
        f"{rnd.uniform(-100, 100):.6g} {rnd.uniform(-100, 100):.6g} {rnd.uniform(-100, 100):.6g}|"
        for _ in range(4))
    return [
        f' <MarkupsFiducial\n  id="vtkMRMLMarkupsFiducialNode{i}"  name="F_{i}"  hideFromEditors="false"'
        f'  selectable="true"  selected="false"  displayNodeRef="vtkMRMLMarkupsDisplayNode{i}"'
        f'  storageNodeRef="vtkMRMLMarkupsFiducialStorageNode{i}"  locked="0"  markupLabelFormat="%N-%d"'
        f'  controlPoints="{pts}" ></MarkupsFiducial>',
        f' <MarkupsDisplay\n  id="vtkMRMLMarkupsDisplayNode{i}"  name="MarkupsDisplay"  hideFromEditors="true"'
        f'  color="0.4 1 1"  selectedColor="1 0.5 0.5"  opacity="1"  visibility="true"  textScale="3"'
        f'  glyphScale="3"  glyphType="Sphere3D"  sliceProjection="false"  sliceProjectionColor="1 1 1"'
        f'  sliceProjectionOpacity="0.6"  propertiesLabelVisibility="true"  pointLabelsVisibility="true"'
        f'  curveLineSizeMode="UseLineThickness"  lineThickness="0.2"  lineDiameter="1" ></MarkupsDisplay>',
        f' <MarkupsJsonStorage\n  id="vtkMRMLMarkupsFiducialStorageNode{i}"  name="MarkupsJsonStorage"'
        f'  hideFromEditors="true"  fileName="Data/F_{i}.mrk.json"  useCompression="1"  readState="0"'
        f'  writeState="0"  coordinateSystem="LPS" ></MarkupsJsonStorage>',
    ]


def transform(i, rnd):
    m = " ".join(f"{rnd.uniform(-1, 1):.6g}" for _ in range(12)) + " 0 0 0 1"
    return [
        f' <LinearTransform\n  id="vtkMRMLLinearTransformNode{i}"  name="T_{i}"  hideFromEditors="false"'
        f'  selectable="true"  selected="false"  storageNodeRef="vtkMRMLTransformStorageNode{i}"'
        f'  matrixTransformToParent="{m}" ></LinearTransform>',
        f' <TransformStorage\n  id="vtkMRMLTransformStorageNode{i}"  name="TransformStorage"'
        f'  hideFromEditors="true"  fileName="Data/T_{i}.h5"  useCompression="1"  readState="0"'
        f'  writeState="0" ></TransformStorage>',
    ]


KINDS = [(volume, 3), (model, 3), (markups, 3), (transform, 2)]


def write_scene(out, nodes):
    """Writes the scene of about `nodes` elements to the text stream `out`."""
    rnd = random.Random(20240601)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<MRML  version="Slicer 5.6.2 32448" userTags="">\n')
    out.write(' <Selection\n  id="vtkMRMLSelectionNodeSingleton"  name="Selection"  hideFromEditors="true"'
              '  activeVolumeID=""  activePlaceNodeClassName="vtkMRMLMarkupsFiducialNode" ></Selection>\n')
    # Each data node also gets a subject hierarchy item (written at the end).
    written = 1
    data_ids = []
    i = 0
    while written < nodes - 2 - len(data_ids):
        make, _ = KINDS[i % len(KINDS)]
        elements = make(i, rnd)
        for e in elements:
            out.write(e)
            out.write("\n")
        written += len(elements)
        data_ids.append(elements[0].split('id="', 1)[1].split('"', 1)[0])
        i += 1
    out.write(' <SubjectHierarchy\n  id="vtkMRMLSubjectHierarchyNode1"  name="SubjectHierarchy"'
              '  hideFromEditors="true"  attributes="SubjectHierarchyVersion:2" >\n')
    out.write('  <SubjectHierarchyItem id="3" name="Scene" parent="0" type="" expanded="true"'
              ' attributes="" uids="">\n')
    for n, data_id in enumerate(data_ids):
        out.write(f'   <SubjectHierarchyItem id="{n + 4}" dataNode="{data_id}" parent="3" type="" expanded="true"'
                  f' attributes="" uids=""></SubjectHierarchyItem>\n')
    out.write('  </SubjectHierarchyItem>\n </SubjectHierarchy>\n</MRML>\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=250000, help="approximate number of elements (default 250000)")
    parser.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    args = parser.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="\n")
    write_scene(out, args.nodes)
    if out is not sys.stdout:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
