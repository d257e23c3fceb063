// SPDX-License-Identifier: BSD-3-Clause
// The memory mesh, table, markups and segmentation readers are asked for
// (DataFileResult::load_bytes, counted in max_scene_load_bytes), and the
// declared counts the file cannot hold. Each expected number is worked out
// from the reader's source as lib/data/load_bounds.cc and segmentation.cc
// cite it; each limit is tried at its value (accepted) and one over.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "data_test_util.h"

namespace mrmlguard::internal::testing {
namespace {

using namespace std::string_literals;

std::string Le32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[static_cast<size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

// Binary STL: 80-byte header (not starting with "solid"), the count field,
// then `triangles` 50-byte records.
std::string BinaryStl(uint32_t count, uint32_t triangles, size_t extra = 0) {
  return std::string(80, 'h') + Le32(count) + std::string(50u * triangles + extra, '\0');
}

Policy ImageLimit(uint64_t bytes) {
  Policy p = Policy::Default();
  p.limits.max_image_bytes = bytes;
  return p;
}

// --- STL (vtkSTLReader::ReadBinarySTL): 160 bytes per triangle.

TEST(LoadBudgetTest, BinaryStlLoadsWhatItsSizeHolds) {
  Checked c = Check("m.stl", "ModelStorage", BinaryStl(2, 2));
  EXPECT_EQ(c.findings.size(), 0u) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 2u * 160);
}

TEST(LoadBudgetTest, BinaryStlCountTheFileCannotHoldIsRefused) {
  Checked c = Check("m.stl", "ModelStorage", BinaryStl(3, 2));
  EXPECT_TRUE(c.Has("data.size-mismatch")) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 0u);
  // The count is checked from the declaration even when only the header is given.
  Checked big = Check("m.stl", "ModelStorage", BinaryStl(0xffffffffu, 0), 84 + 50);
  EXPECT_TRUE(big.Has("data.size-mismatch")) << big.Describe();
}

TEST(LoadBudgetTest, BinaryStlSmallerCountIsReadToTheEnd) {
  // RelaxedConformance (VTK's default): the reader ignores the count.
  Checked c = Check("m.stl", "ModelStorage", BinaryStl(1, 2));
  EXPECT_TRUE(c.Has("data.content-odd")) << c.Describe();
  EXPECT_EQ(c.Errors(), 0u);
  EXPECT_EQ(c.result.load_bytes, 2u * 160);
}

TEST(LoadBudgetTest, BinaryStlOfPartialTrianglesIsNotRead) {
  Checked c = Check("m.stl", "ModelStorage", BinaryStl(2, 2, 7));
  EXPECT_TRUE(c.Has("data.content-odd")) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 0u);
  Checked tiny = Check("m.stl", "ModelStorage", std::string(40, 'h'));
  EXPECT_TRUE(tiny.Has("data.size-mismatch")) << tiny.Describe();
}

TEST(LoadBudgetTest, StlTrianglesOverMaxImageBytesAreRefused) {
  // 6 triangles need 960 bytes.
  std::string stl = BinaryStl(6, 6);
  EXPECT_FALSE(Check("m.stl", "ModelStorage", stl, UINT64_MAX, ImageLimit(960)).Has("data.limit-exceeded"));
  EXPECT_TRUE(Check("m.stl", "ModelStorage", stl, UINT64_MAX, ImageLimit(959)).Has("data.limit-exceeded"));
}

TEST(LoadBudgetTest, AsciiStlIsBoundedByItsSize) {
  std::string stl = "solid s\n" + std::string(820 - 8, ' ');
  Checked c = Check("m.stl", "ModelStorage", stl);
  EXPECT_EQ(c.Errors(), 0u) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 10u * 160);  // 820 / 82 facets
}

// --- PLY (vtkPLYReader::RequestData).

const std::string kPlyHeader =
    "ply\nformat ascii 1.0\ncomment x\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
    "element face 1\nproperty list uchar int vertex_indices\nend_header\n";

TEST(LoadBudgetTest, PlyCountsPointsAndFaces) {
  Checked c = Check("m.ply", "ModelStorage", kPlyHeader + "0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n");
  EXPECT_EQ(c.findings.size(), 0u) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 3u * 12 + 32);
  // ASCII: 3 x 3 + 1 values need 2 bytes each but the last no separator (19);
  // one byte fewer cannot hold them.
  EXPECT_FALSE(Check("m.ply", "ModelStorage", kPlyHeader + "0 0 0 1 0 0 0 1 0 3").Has("data.size-mismatch"));
  EXPECT_TRUE(Check("m.ply", "ModelStorage", kPlyHeader + "0 0 0 1 0 0 0 1 03").Has("data.size-mismatch"));
}

TEST(LoadBudgetTest, PlyOptionalArraysAddTheirBytes) {
  std::string header =
      "ply\nformat binary_little_endian 1.0\nelement vertex 2\nproperty float x\nproperty float y\n"
      "property float z\nproperty float nx\nproperty float ny\nproperty float nz\nproperty uchar red\n"
      "property uchar green\nproperty uchar blue\nproperty float u\nproperty float v\nend_header\n";
  // One vertex takes 6 x 4 + 3 + 2 x 4 = 35 bytes.
  Checked c = Check("m.ply", "ModelStorage", header + std::string(70, '\0'));
  EXPECT_EQ(c.findings.size(), 0u) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 2u * (12 + 12 + 8 + 4));
}

TEST(LoadBudgetTest, PlyElementsTheFileCannotHoldAreRefused) {
  std::string header =
      "ply\nformat binary_little_endian 1.0\nelement vertex 4\nproperty float x\nproperty float y\n"
      "property float z\nend_header\n";
  EXPECT_FALSE(Check("m.ply", "ModelStorage", header + std::string(48, '\0')).Has("data.size-mismatch"));
  Checked c = Check("m.ply", "ModelStorage", header + std::string(47, '\0'));
  EXPECT_TRUE(c.Has("data.size-mismatch")) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 0u);
  // A count VTK's int cannot hold.
  std::string huge = "ply\nformat ascii 1.0\nelement vertex 2147483648\nproperty float x\nend_header\n";
  EXPECT_TRUE(Check("m.ply", "ModelStorage", huge).Has("data.header-range"));
}

TEST(LoadBudgetTest, PlyHeaderProblems) {
  EXPECT_TRUE(Check("m.ply", "ModelStorage", "ply\nformat weird 1.0\nend_header\n").Has("data.header-malformed"));
  EXPECT_TRUE(Check("m.ply", "ModelStorage", "ply\nformat ascii 1.0\nelement vertex 1\nproperty quad x\nend_header\n")
                  .Has("data.header-range"));
  EXPECT_TRUE(Check("m.ply", "ModelStorage", "ply\nformat ascii 1.0\nelement vertex 1\n").Has("data.header-malformed"));
  EXPECT_TRUE(Check("m.ply", "ModelStorage", "ply\nformat ascii 1.0\nelement vertex 1\n", 1u << 30)
                  .Has("data.header-incomplete"));
}

// --- OBJ (vtkOBJReader): no count, 48 bytes per byte of file.

TEST(LoadBudgetTest, ObjIsBoundedByItsSize) {
  std::string obj = "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n";
  Checked c = Check("m.obj", "ModelStorage", obj);
  EXPECT_EQ(c.findings.size(), 0u) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, obj.size() * 48);
  EXPECT_EQ(Check("m.obj", "ModelStorage", obj, 1000).result.load_bytes, 48000u);
}

// --- Legacy VTK (vtkPolyDataReader::ReadMeshSimple, vtkDataReader).

std::string LegacyBinary(std::string_view version, uint32_t points, std::string_view cells_line, size_t cell_bytes) {
  return "# vtk DataFile Version "s + std::string(version) + "\nt\nBINARY\nDATASET POLYDATA\nPOINTS " +
         std::to_string(points) + " float\n" + std::string(points * 12u, '\0') + std::string(cells_line) +
         std::string(cell_bytes, '\0');
}

TEST(LoadBudgetTest, LegacyVtkCountsPointsAndLegacyCells) {
  // 4 float points (48 bytes) and POLYGONS 1 4 read as ints, then ids, then
  // a cell array: 4 x (4 + 8 + 8) + 8.
  Checked c = Check("m.vtk", "ModelStorage", LegacyBinary("4.2", 4, "POLYGONS 1 4\n", 16));
  EXPECT_EQ(c.Errors(), 0u) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 48u + 4 * 20 + 8);
}

TEST(LoadBudgetTest, LegacyVtkBinaryCellsTheFileCannotHoldAreRefused) {
  EXPECT_FALSE(Check("m.vtk", "ModelStorage", LegacyBinary("4.2", 4, "POLYGONS 1 4\n", 16)).Has("data.size-mismatch"));
  Checked c = Check("m.vtk", "ModelStorage", LegacyBinary("4.2", 4, "POLYGONS 1 4\n", 15));
  EXPECT_TRUE(c.Has("data.size-mismatch")) << c.Describe();
  // Points the file cannot hold, from the declaration.
  std::string points = "# vtk DataFile Version 4.2\nt\nBINARY\nDATASET POLYDATA\nPOINTS 1000000 float\n";
  EXPECT_TRUE(Check("m.vtk", "ModelStorage", points + std::string(100, '\0')).Has("data.size-mismatch"));
}

TEST(LoadBudgetTest, LegacyVtkVersion5CountsOffsetsAndConnectivity) {
  std::string vtk =
      "# vtk DataFile Version 5.1\nt\nASCII\nDATASET POLYDATA\nPOINTS 3 double\n0 0 0 1 0 0 0 1 0\n"
      "POLYGONS 2 3\nOFFSETS vtktypeint64\n0 3\nCONNECTIVITY vtktypeint64\n0 1 2\nCELL_TYPES 1\n5\n";
  Checked c = Check("m.vtk", "ModelStorage", vtk);
  EXPECT_EQ(c.Errors(), 0u) << c.Describe();
  // 3 double points, 2 offsets + 3 ids at 8 bytes, then 1 cell type byte.
  EXPECT_EQ(c.result.load_bytes, 3u * 24 + 5 * 8 + 1);
  // An ASCII section declaring more values than bytes left.
  std::string over =
      "# vtk DataFile Version 5.1\nt\nASCII\nDATASET POLYDATA\nPOINTS 1 float\n0 0 0\nPOLYGONS 100 100\n0\n";
  EXPECT_TRUE(Check("m.vtk", "ModelStorage", over).Has("data.size-mismatch"));
}

// --- VTK XML (vtkXMLUnstructuredDataReader, vtkXMLPolyDataReader).

TEST(LoadBudgetTest, VtkXmlCountsPiecePointsAndCells) {
  std::string head = "<?xml version=\"1.0\"?>\n<VTKFile type=\"PolyData\" version=\"0.1\">\n<PolyData>\n"
                     "<Piece NumberOfPoints=\"10\" NumberOfPolys=\"2\" NumberOfLines=\"1\">\n<Points>\n";
  Checked f32 = Check("m.vtp", "ModelStorage",
                      head + "<DataArray type=\"Float32\" NumberOfComponents=\"3\"/>\n</Points>\n</Piece>\n"
                             "</PolyData>\n</VTKFile>\n");
  EXPECT_EQ(f32.Errors(), 0u) << f32.Describe();
  EXPECT_EQ(f32.result.load_bytes, 10u * 12 + 3 * 16);
  Checked f64 = Check("m.vtp", "ModelStorage",
                      head + "<DataArray type=\"Float64\" NumberOfComponents=\"3\"/>\n</Points>\n</Piece>\n"
                             "</PolyData>\n</VTKFile>\n");
  EXPECT_EQ(f64.result.load_bytes, 10u * 24 + 3 * 16);
  Checked ug = Check("m.vtu", "ModelStorage",
                     "<VTKFile type=\"UnstructuredGrid\">\n<UnstructuredGrid>\n<Piece NumberOfPoints=\"2\" "
                     "NumberOfCells=\"4\">\n</Piece>\n</UnstructuredGrid>\n</VTKFile>\n");
  EXPECT_EQ(ug.result.load_bytes, 2u * 12 + 4 * 17);
}

// --- Tables (vtkMRMLTableStorageNode::ReadTable, vtkDelimitedTextReader).

TEST(LoadBudgetTest, TableRowsTimesWidestRow) {
  // 3 rows (an empty line makes none), the widest has 3 fields; a quoted
  // comma is not a delimiter.
  Checked c = Check("t.csv", "TableStorage", "a,b,c\n\n1,\"2,x\",3\n4,5\n");
  EXPECT_EQ(c.findings.size(), 0u) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 3u * 3 * 40);
  Checked tsv = Check("t.tsv", "", "a\tb\n1\t2\n");
  EXPECT_EQ(tsv.result.load_bytes, 2u * 2 * 40);
  // Rows past the bytes given: two bytes each, at the widest width seen.
  Checked cut = Check("t.csv", "TableStorage", "a,b,c\n", 6 + 100);
  EXPECT_EQ(cut.result.load_bytes, (1u + 50) * 3 * 40);
}

// --- Markups JSON (vtkMRMLMarkupsJsonStorageNode::UpdateMarkupsNodeFromJsonValue).

TEST(LoadBudgetTest, MarkupsControlPointsCost288BytesEach) {
  std::string json =
      R"({"@schema": "x", "markups": [{"type": "Fiducial", "controlPoints": [{}, {"label": "a"}, {}]},)"
      R"( {"type": "Curve", "controlPoints": [{}]}]})";
  Checked c = Check("m.mrk.json", "MarkupsFiducialJsonStorage", json);
  EXPECT_EQ(c.Errors(), 0u) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 4u * 288);
}

// --- Segmentations (vtkMRMLSegmentationStorageNode::ReadBinaryLabelmapRepresentation).

// A 2x2x2 labelmap of `type` with `keys` ("Segment0_ID:=a\n" ...).
std::string SegNrrd(std::string_view type, std::string_view keys, std::string_view sizes = "2 2 2",
                    size_t voxel_bytes = 1) {
  const size_t dimension = static_cast<size_t>(std::count(sizes.begin(), sizes.end(), ' ')) + 1;
  std::string s = "NRRD0004\ntype: "s + std::string(type) + "\ndimension: " + std::to_string(dimension) +
                  "\nsizes: " + std::string(sizes) +
                  "\nencoding: raw\nendian: little\n" + std::string(keys) + "\n";
  return s + std::string(8 * voxel_bytes * 4, '\0');  // room for up to 4 components
}

TEST(LoadBudgetTest, SegmentLabelValuesSpanAtMostTheLimit) {
  // With 0, labels 0..65535 span 65536 values (the default limit).
  Checked at = Check("s.seg.nrrd", "SegmentationStorage",
                     SegNrrd("uchar", "Segment0_ID:=a\nSegment0_LabelValue:=65535\nSegment0_Layer:=0\n"));
  EXPECT_EQ(at.Errors(), 0u) << at.Describe();
  Checked over = Check("s.seg.nrrd", "SegmentationStorage",
                       SegNrrd("uchar", "Segment0_ID:=a\nSegment0_LabelValue:=65536\nSegment0_Layer:=0\n"));
  EXPECT_TRUE(over.Has("data.segmentation-labels")) << over.Describe();
  // Negative values widen the span from the other side.
  Checked neg = Check("s.seg.nrrd", "SegmentationStorage",
                      SegNrrd("uchar", "Segment0_ID:=a\nSegment0_LabelValue:=-2147483648\n"
                                       "Segment1_ID:=b\nSegment1_LabelValue:=2147483647\nSegment1_Layer:=0\n"));
  EXPECT_TRUE(neg.Has("data.segmentation-labels")) << neg.Describe();
  // Segments in different layers have their own tables.
  Checked split = Check("s.seg.nrrd", "SegmentationStorage",
                        SegNrrd("uchar", "kinds: vector domain domain domain\n"
                                         "Segment0_ID:=a\nSegment0_LabelValue:=-30000\nSegment0_Layer:=0\n"
                                         "Segment1_ID:=b\nSegment1_LabelValue:=30000\nSegment1_Layer:=1\n",
                                "2 2 2 2"));
  EXPECT_EQ(split.result.load_bytes, 2u * 8 + 8) << split.Describe();  // two whole-extent layers + the padder's
  EXPECT_EQ(split.Errors(), 0u) << split.Describe();
  // A label value no int holds.
  EXPECT_TRUE(Check("s.seg.nrrd", "SegmentationStorage",
                    SegNrrd("uchar", "Segment0_ID:=a\nSegment0_LabelValue:=4294967296\n"))
                  .Has("data.header-range"));
}

TEST(LoadBudgetTest, LabelmapWithoutSegmentsIsBoundedByItsType) {
  // vtkImageAccumulate bins span the voxels' range: 65536 for 16-bit types.
  for (const char* type : {"uchar", "signed char", "short", "ushort"}) {
    Checked c = Check("l.nrrd", "SegmentationStorage", SegNrrd(type, "", "2 2 2", 2));
    EXPECT_FALSE(c.Has("data.segmentation-labels")) << type << "\n" << c.Describe();
  }
  for (const char* type : {"int", "uint", "float", "double"}) {
    Checked c = Check("l.nrrd", "SegmentationStorage", SegNrrd(type, "", "2 2 2", 8));
    EXPECT_TRUE(c.Has("data.segmentation-labels")) << type << "\n" << c.Describe();
  }
  // The same types with segment keys: the label values are the declared ones.
  Checked keyed = Check("s.seg.nrrd", "SegmentationStorage", SegNrrd("int", "Segment0_ID:=a\n", "2 2 2", 4));
  EXPECT_EQ(keyed.Errors(), 0u) << keyed.Describe();
  // Not a segmentation: not judged.
  EXPECT_FALSE(Check("v.nrrd", "VolumeArchetypeStorage", SegNrrd("int", "", "2 2 2", 4)).Has("data.segmentation-labels"));
  Policy wide = Policy::Default();
  wide.limits.max_segmentation_label_values = 1ull << 32;
  EXPECT_FALSE(Check("l.nrrd", "SegmentationStorage", SegNrrd("int", "", "2 2 2", 4), UINT64_MAX, wide)
                   .Has("data.segmentation-labels"));
}

TEST(LoadBudgetTest, SegmentExtentsPadTheLayer) {
  // A 2x2x2 file whose one segment's extent is 1000^3: the reader pads the
  // layer to it (one labelmap kept, one in the padder's output).
  std::string keys = "Segment0_ID:=a\nSegment0_Extent:=0 999 0 999 0 999\n";
  Checked c = Check("s.seg.nrrd", "SegmentationStorage", SegNrrd("uchar", keys));
  EXPECT_EQ(c.Errors(), 0u) << c.Describe();
  EXPECT_EQ(c.result.load_bytes, 2u * 1000000000);
  EXPECT_FALSE(Check("s.seg.nrrd", "SegmentationStorage", SegNrrd("uchar", keys), UINT64_MAX, ImageLimit(1000000000))
                   .Has("data.limit-exceeded"));
  EXPECT_TRUE(Check("s.seg.nrrd", "SegmentationStorage", SegNrrd("uchar", keys), UINT64_MAX, ImageLimit(999999999))
                  .Has("data.limit-exceeded"));
  // The union of a layer's extents; the offset shifts it without resizing.
  Checked two = Check("s.seg.nrrd", "SegmentationStorage",
                      SegNrrd("short",
                              "Segment0_ID:=a\nSegment0_Extent:=0 9 0 0 0 0\nSegment0_Layer:=0\n"
                              "Segment1_ID:=b\nSegment1_Extent:=5 19 0 1 0 0\nSegment1_Layer:=0\n"
                              "Segmentation_ReferenceImageExtentOffset:=100 100 100\n",
                              "2 2 2", 2));
  EXPECT_EQ(two.Errors(), 0u) << two.Describe();
  EXPECT_EQ(two.result.load_bytes, 2u * 20 * 2 * 1 * 2);
  // A missing extent is the file's whole extent.
  Checked whole = Check("s.seg.nrrd", "SegmentationStorage", SegNrrd("uchar", "Segment0_ID:=a\n"));
  EXPECT_EQ(whole.result.load_bytes, 2u * 8);
  // A layer past the file's components is never built.
  Checked unused = Check("s.seg.nrrd", "SegmentationStorage",
                         SegNrrd("uchar", "Segment0_ID:=a\nSegment0_Layer:=3\nSegment0_Extent:=0 999 0 999 0 999\n"));
  EXPECT_EQ(unused.result.load_bytes, 0u);
}

TEST(LoadBudgetTest, SegmentExtentsOutsideTheIntRangeAreRefused) {
  EXPECT_TRUE(Check("s.seg.nrrd", "SegmentationStorage",
                    SegNrrd("uchar", "Segment0_ID:=a\nSegment0_Extent:=0 2147483648 0 0 0 0\n"))
                  .Has("data.header-range"));
  EXPECT_TRUE(Check("s.seg.nrrd", "SegmentationStorage",
                    SegNrrd("uchar", "Segment0_ID:=a\nSegment0_Extent:=0 2147483647 0 0 0 0\n"
                                     "Segmentation_ReferenceImageExtentOffset:=1 0 0\n"))
                  .Has("data.header-range"));
}

}  // namespace
}  // namespace mrmlguard::internal::testing
