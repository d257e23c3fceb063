// SPDX-License-Identifier: BSD-3-Clause
// One crafted file per line, each with the exact data.* rule it must raise;
// a last test fails when a data.* rule of the table has no case here.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "data_test_util.h"

namespace mrmlguard::internal::testing {
namespace {

using namespace std::string_literals;

struct Case {
  const char* label;
  std::string name;
  std::string tag;
  std::string content;
  std::string_view rule;
  uint64_t total = UINT64_MAX;  // file size when larger than the content given
};

const std::string kNrrdHead = "NRRD0004\ntype: short\nendian: little\nencoding: raw\n";

std::string Nhdr(std::string_view data_file) {
  return "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 4 4\nencoding: raw\ndata file: "s + std::string(data_file) +
         "\n";
}

std::string Mha(std::string_view dims, std::string_view data, std::string_view extra = "") {
  return "ObjectType = Image\nNDims = 3\nDimSize = "s + std::string(dims) + "\n" + std::string(extra) +
         "ElementType = MET_UCHAR\nElementDataFile = " + std::string(data) + "\n";
}

std::string Markups(std::string_view inner) {
  return R"({"@schema": "x", "markups": [{"type": "Fiducial", )"s + std::string(inner) + "}]}";
}

std::string Elf() { return "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0"s; }
std::string Pe() {
  std::string s(0x80, '\0');
  s[0] = 'M';
  s[1] = 'Z';
  s[0x3c] = 0x40;
  s.replace(0x40, 4, "PE\0\0"s);
  return s;
}
std::string MachO() { return "\xcf\xfa\xed\xfe\x07\0\0\x01\x03\0\0\0\x02\0\0\0"s + std::string(16, '\0'); }

// Little-endian TIFF: header, then one IFD at 8 with ImageWidth (LONG),
// ImageLength (LONG), BitsPerSample (SHORT), SamplesPerPixel (SHORT).
std::string Tiff(uint32_t width, uint32_t height, uint16_t bits, uint16_t samples) {
  HeaderBuilder h(8 + 2 + 4 * 12 + 4, false);
  h.Str(0, "II").I16(2, 42).I32(4, 8).I16(8, 4);
  struct E {
    uint16_t tag, type;
    uint32_t value;
  } entries[] = {{256, 4, width}, {257, 4, height}, {258, 3, bits}, {277, 3, samples}};
  size_t at = 10;
  for (const E& e : entries) {
    h.I16(at, e.tag).I16(at + 2, e.type).I32(at + 4, 1);
    if (e.type == 3) {
      h.I16(at + 8, e.value);
    } else {
      h.I32(at + 8, e.value);
    }
    at += 12;
  }
  return h.bytes();
}

// JPEG: SOI, then a SOF0 segment (precision, height, width, components).
std::string Jpeg(uint16_t width, uint16_t height, uint8_t precision) {
  HeaderBuilder h(2 + 2 + 2 + 6, true);
  h.Put(0, 0xffd8, 2).Put(2, 0xffc0, 2).Put(4, 8, 2).Put(6, precision, 1).Put(7, height, 2).Put(9, width, 2).Put(11, 3, 1);
  return h.bytes();
}

std::string Deep(int n) { return std::string(static_cast<size_t>(n), '[') + std::string(static_cast<size_t>(n), ']'); }

std::string LongComments(size_t bytes) {
  std::string s = "NRRD0004\n";
  while (s.size() < bytes) s += "# a comment line that never ends the header\n";
  return s.substr(0, bytes);
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      // --- data.magic-mismatch
      {"text in .nrrd", "a.nrrd", "", "P3\n4 4\n255\n", "data.magic-mismatch"},
      {"NRRD read by ModelStorage", "a.nrrd", "ModelStorage", Nhdr("a.raw"), "data.magic-mismatch"},
      {"JSON read by VolumeArchetypeStorage", "a.img3", "VolumeArchetypeStorage", "{\"a\": 1}", "data.magic-mismatch"},
      {".vtp holding an UnstructuredGrid", "a.vtp", "",
       "<?xml version=\"1.0\"?>\n<VTKFile type=\"UnstructuredGrid\" version=\"0.1\">\n</VTKFile>\n", "data.magic-mismatch"},
      {".nii.gz holding text", "a.nii.gz", "", Gzip("hello, this is not a NIfTI header at all" + std::string(600, 'x')),
       "data.magic-mismatch"},
      {"MetaImage of a transform", "a.mha", "", "ObjectType = Transform\nNDims = 3\n", "data.magic-mismatch"},
      // --- data.executable
      {"ELF as .nrrd", "a.nrrd", "", Elf(), "data.executable"},
      {"PE as .raw", "a.raw", "", Pe(), "data.executable"},
      {"Mach-O as .vtk", "a.vtk", "", MachO(), "data.executable"},
      {"shebang .txt", "a.txt", "ColorTableStorage", "#!/bin/sh\nrm -rf ~\n", "data.executable"},
      {"python in .ctbl", "a.ctbl", "", "import os\nos.system('id')\n", "data.executable"},
      {"shader property .sp", "a.sp", "ShaderPropertyStorage",
       R"({"FragmentShaderCode": "void main() { gl_FragColor = vec4(1); }"})", "data.executable"},
      // MetaIO holds DimSize in an int: an empty image (a zero size) does
      // not excuse a size it would turn into another number.
      {"MetaImage DimSize past int", "a.mha", "",
       "ObjectType = Image\nNDims = 3\nDimSize = 0 4 2147483648\nElementType = MET_SHORT\nElementDataFile = LOCAL\n",
       "data.header-range"},
      {"MetaImage channels past int", "a.mha", "",
       "ObjectType = Image\nNDims = 3\nDimSize = 0 4 4\nElementNumberOfChannels = 2147483648\n"
       "ElementType = MET_SHORT\nElementDataFile = LOCAL\n",
       "data.header-range"},
      // --- data.header-malformed
      {"NRRD line without colon", "a.nrrd", "", "NRRD0004\nfoo bar\n\n", "data.header-malformed"},
      {"NRRD unknown field", "a.nrrd", "", "NRRD0004\ncolour: red\n\n", "data.header-malformed"},
      {"NRRD lacks type", "a.nhdr", "", "NRRD0004\ndimension: 1\nsizes: 2\nencoding: raw\ndata file: a.raw\n",
       "data.header-malformed"},
      {"NRRD bad magic", "a.nrrd", "", "NRRD000X\n\n", "data.header-malformed"},
      // Teem's airOneLine ends a line at a lone carriage return: the comment
      // hides a data file field from a reader that splits at line feeds only.
      {"NRRD carriage return inside a line", "a.nrrd", "",
       "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 16\nencoding: raw\n# note\rdata file: ../x.raw\n\n" +
           std::string(16, 'x'),
       "data.header-malformed"},
      // Teem reads a LIST to the end of the file, empty lines included.
      {"NRRD LIST with an empty line", "a.nhdr", "",
       "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 4 3\nencoding: raw\ndata file: LIST\na.raw\n\n../x.raw\n",
       "data.header-malformed"},
      {"NRRD multi-byte type without endian", "a.nhdr", "",
       "NRRD0004\ntype: short\ndimension: 1\nsizes: 2\nencoding: raw\ndata file: a.raw\n", "data.header-malformed"},
      {"NIfTI bad magic", "a.nii", "", Nifti1({.magic = std::string_view("xx1\0", 4)}) + std::string(64 * 64 * 32 * 2, '\0'),
       "data.header-malformed"},
      {"NIfTI truncated", "a.nii", "", Nifti1({}).substr(0, 200), "data.header-malformed"},
      {"DICOM element past the end", "a.dcm", "",
       DicomWriter(DicomWriter::kExplicitLittle).Header(0x0010, 0x0010, "PN", 200).Append("ab").bytes(),
       "data.header-malformed"},
      {"DICOM Rows not US", "a.dcm", "",
       DicomWriter(DicomWriter::kExplicitLittle).Add(0x0028, 0x0010, "UL", "\x04\0\0\0"s).bytes(),
       "data.header-malformed"},
      {"DICOM Rows twice", "a.dcm", "",
       DicomWriter(DicomWriter::kImplicitLittle).Us(0x0028, 0x0010, 4).Us(0x0028, 0x0010, 60000).bytes(),
       "data.header-malformed"},
      {"DICOM NumberOfFrames not a number", "a.dcm", "", Dicom({.frames = "1e", .pixel_bytes = 16}),
       "data.header-malformed"},
      {"DICOM item outside a sequence", "a.dcm", "",
       DicomWriter(DicomWriter::kExplicitLittle).Header(0xfffe, 0xe000, "", 0).bytes(), "data.header-malformed"},
      {"DICOM ends inside a sequence", "a.dcm", "",
       DicomWriter(DicomWriter::kExplicitLittle).Header(0x0008, 0x1140, "SQ", 0xffffffffu).bytes(),
       "data.header-malformed"},
      {"DICOM Pixel Data without Rows", "a.dcm", "",
       DicomWriter(DicomWriter::kExplicitLittle).Us(0x0028, 0x0011, 4).Header(0x7fe0, 0x0010, "OB", 0).bytes(),
       "data.header-malformed"},
      {"DICOM prefix ends in the data set", "a.dcm", "", Dicom({}).substr(0, 150), "data.header-incomplete",
       1ull << 20},
      {"JSON does not parse", "a.mrk.json", "", "{\"markups\": [}", "data.header-malformed"},
      {"VTK XML DOCTYPE", "a.vtp", "", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<VTKFile type=\"PolyData\"/>",
       "data.header-malformed"},
      {"MetaImage without ElementDataFile", "a.mhd", "", "ObjectType = Image\nNDims = 3\nDimSize = 1 1 1\n",
       "data.header-malformed"},
      {"legacy VTK bad mode", "a.vtk", "", "# vtk DataFile Version 3.0\nt\nUTF16\nDATASET POLYDATA\n",
       "data.header-malformed"},
      {"ITK transform junk", "a.tfm", "", "#Insight Transform File V1.0\nTransform: A;rm\n", "data.header-malformed"},
      // --- data.header-range
      {"NRRD dimension 0", "a.nrrd", "", "NRRD0004\ndimension: 0\n\n", "data.header-range"},
      {"NRRD dimension 17", "a.nrrd", "", "NRRD0004\ndimension: 17\n\n", "data.header-range"},
      {"NRRD negative size", "a.nrrd", "", kNrrdHead + "dimension: 2\nsizes: 4 -4\n\n", "data.header-range"},
      {"NRRD zero size", "a.nrrd", "", kNrrdHead + "dimension: 2\nsizes: 4 0\n\n", "data.header-range"},
      {"NRRD sizes count", "a.nrrd", "", kNrrdHead + "dimension: 3\nsizes: 4 4\n\n", "data.header-range"},
      {"NRRD unknown type", "a.nrrd", "", "NRRD0004\ntype: quaternion128\n\n", "data.header-range"},
      {"NRRD block type", "a.nrrd", "", "NRRD0004\ntype: block\n\n", "data.header-range"},
      {"NRRD unknown encoding", "a.nrrd", "", "NRRD0004\nencoding: zip\n\n", "data.header-range"},
      {"NRRD byte skip -2", "a.nrrd", "", "NRRD0004\nbyte skip: -2\n\n", "data.header-range"},
      {"NRRD byte skip -1 with gzip", "a.nrrd", "", "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 2\nencoding: gzip\nbyte skip: -1\n\nxx",
       "data.header-range"},
      {"NRRD two range axes", "a.nrrd", "",
       "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 2\nkinds: vector vector domain\nencoding: raw\n\n12345678",
       "data.header-range"},
      {"NIfTI dim[0] 8", "a.nii", "", Nifti1({.ndim = 8}), "data.header-range"},
      {"NIfTI negative dim", "a.nii", "", Nifti1({.dims = {64, -1, 32}}), "data.header-range"},
      {"NIfTI negative vox_offset", "a.hdr", "", Nifti1({.vox_offset = -1024, .magic = std::string_view("ni1\0", 4)}),
       "data.header-range"},
      {"NIfTI single-file vox_offset in header", "a.nii", "", Nifti1({.vox_offset = 100}), "data.header-range"},
      {"NIfTI unknown datatype", "a.nii", "", Nifti1({.datatype = 3}), "data.header-range"},
      {"NIfTI float128", "a.nii", "", Nifti1({.datatype = 1536, .bitpix = 128}), "data.header-range"},
      {"NIfTI-2 negative dim", "a.nii", "", Nifti2({.dims = {4, -4, 4}, .vox_offset = 544}), "data.header-range"},
      {"MetaImage NDims 0", "a.mha", "", "ObjectType = Image\nNDims = 0\nElementDataFile = LOCAL\n", "data.header-range"},
      {"MetaImage negative DimSize", "a.mhd", "", Mha("4 -4 4", "a.raw"), "data.header-range"},
      {"MetaImage unknown type", "a.mhd", "", "NDims = 1\nDimSize = 1\nElementType = MET_QUAD\nElementDataFile = a.raw\n",
       "data.header-range"},
      {"color index negative", "a.ctbl", "", "-5 bad 1 2 3 255\n", "data.header-range"},
      {"PNG zero width", "a.png", "", "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\0\0\0\0\x10\x08\x02\0\0\0"s, "data.header-range"},
      {"TIFF zero width", "a.tif", "SceneViewStorage", Tiff(0, 10, 8, 1), "data.header-range"},
      {"JPEG zero width", "a.jpg", "SceneViewStorage", Jpeg(0, 10, 8), "data.header-range"},
      {"DICOM BitsAllocated 12", "a.dcm", "", Dicom({.bits = 12}), "data.header-range"},
      {"DICOM SamplesPerPixel 2", "a.dcm", "", Dicom({.samples = 2}), "data.header-range"},
      {"DICOM zero Rows", "a.dcm", "", Dicom({.rows = 0}), "data.header-range"},
      {"DICOM NumberOfFrames 0", "a.dcm", "", Dicom({.frames = "0", .pixel_bytes = 16}), "data.header-range"},
      {"VTK POINTS negative", "a.vtk", "", "# vtk DataFile Version 3.0\nt\nASCII\nDATASET POLYDATA\nPOINTS -5 float\n",
       "data.header-range"},
      // --- data.limit-exceeded
      {"NRRD sizes overflow 64 bits", "a.nhdr", "",
       "NRRD0004\ntype: double\ndimension: 3\nsizes: 4294967296 4294967296 4294967296\nendian: little\nencoding: gzip\ndata file: a.raw.gz\n",
       "data.limit-exceeded"},
      {"NRRD allocation over max_image_bytes", "a.nhdr", "",
       "NRRD0004\ntype: float\ndimension: 3\nsizes: 4096 4096 4096\nendian: little\nencoding: gzip\ndata file: a.raw.gz\n",
       "data.limit-exceeded"},
      {"NIfTI huge dims", "a.nii.gz", "", Gzip(Nifti1({.dims = {32767, 32767, 32767}, .datatype = 64, .bitpix = 64})),
       "data.limit-exceeded"},
      {"MetaImage huge DimSize", "a.mhd", "", Mha("100000 100000 100000", "a.raw"), "data.limit-exceeded"},
      {"JSON deeper than max_json_depth", "a.json", "TextStorage", Deep(100), "data.limit-exceeded"},
      {"JSON over max_json_bytes", "a.mrk.json", "", "{}", "data.limit-exceeded", 65ull << 20},
      {"NRRD header over max_header_bytes", "a.nrrd", "", LongComments(1 << 20), "data.limit-exceeded", 2 << 20},
      {"color index over max_color_table_colors", "a.ctbl", "", "0 zero 0 0 0 0\n2000000000 big 1 2 3 255\n",
       "data.limit-exceeded"},
      {"NRRD pattern over max_detached_files", "a.nhdr", "", Nhdr("slice%06d.raw 1 1000000 1 2"), "data.limit-exceeded"},
      {"VTK POINTS over max_image_bytes", "a.vtk", "",
       "# vtk DataFile Version 3.0\nt\nBINARY\nDATASET POLYDATA\nPOINTS 9000000000 double\n", "data.limit-exceeded"},
      {"TIFF over max_image_bytes", "a.tif", "VolumeArchetypeStorage", Tiff(100000, 100000, 16, 3), "data.limit-exceeded"},
      {"JPEG over max_image_bytes", "a.jpg", "", Jpeg(65535, 65535, 12), "data.limit-exceeded"},
      {"VTK ASCII POLYGONS over max_image_bytes", "a.vtk", "",
       "# vtk DataFile Version 3.0\nt\nASCII\nDATASET POLYDATA\nPOINTS 1 float\n0 0 0\nPOLYGONS 1 9999999999999\n3 0 0 0\n",
       "data.limit-exceeded"},
      {"VTK BINARY LINES over max_image_bytes", "a.vtk", "",
       "# vtk DataFile Version 3.0\nt\nBINARY\nDATASET POLYDATA\nPOINTS 1 float\n" + std::string(12, '\0') +
           "\nLINES 1 9999999999999\n" + std::string(16, '\0'),
       "data.limit-exceeded"},
      {"DICOM over max_image_bytes", "a.dcm", "",
       Dicom({.rows = 65535, .columns = 65535, .samples = 3, .bits = 16, .frames = "1000", .pixel_bytes = 0}),
       "data.limit-exceeded"},
      {"DICOM implicit VR over max_image_bytes", "a.dcm", "",
       Dicom({.syntax = DicomWriter::kImplicitLittle, .rows = 65535, .columns = 65535, .bits = 64,
              .frames = "2147483647", .pixel_bytes = 0}),
       "data.limit-exceeded"},
      // --- data.size-mismatch
      {"NRRD attached raw too short", "a.nrrd", "", kNrrdHead + "dimension: 2\nsizes: 16 16\n\nshort", "data.size-mismatch"},
      {"NRRD byte skip past the end", "a.nrrd", "",
       "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 4\nencoding: raw\nbyte skip: 100\n\n1234", "data.size-mismatch"},
      {"NRRD gzip with no data", "a.nrrd", "", "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 4\nencoding: gzip\n\n",
       "data.size-mismatch"},
      {"NRRD ascii with too few characters", "a.nrrd", "",
       "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 400\nencoding: ascii\n\n1 2 3\n", "data.size-mismatch"},
      {"NIfTI data past the end", "a.nii", "", Nifti1({}) + std::string(100, '\0'), "data.size-mismatch"},
      {"MetaImage LOCAL too short", "a.mha", "", Mha("8 8 8", "LOCAL") + "xx", "data.size-mismatch"},
      {"legacy VTK binary points missing", "a.vtk", "",
       "# vtk DataFile Version 3.0\nt\nBINARY\nDATASET POLYDATA\nPOINTS 1000 float\n", "data.size-mismatch"},
      {"DICOM Pixel Data shorter than the frames", "a.dcm", "", Dicom({.frames = "2", .pixel_bytes = 16}),
       "data.size-mismatch"},
      {"DICOM big endian Pixel Data short", "a.dcm", "",
       Dicom({.syntax = DicomWriter::kExplicitBig, .bits = 16, .pixel_bytes = 30}), "data.size-mismatch"},
      {"DICOM Pixel Data past the end of the file", "a.dcm", "", Dicom({}).substr(0, Dicom({}).size() - 1),
       "data.size-mismatch"},
      // --- data.detached-outside
      {"NRRD data file absolute", "a.nhdr", "", Nhdr("/etc/passwd"), "data.detached-outside"},
      {"NRRD data file climbs", "a.nhdr", "", Nhdr("../../secret.raw"), "data.detached-outside"},
      {"NRRD data file UNC", "a.nhdr", "", Nhdr("\\\\host\\share\\a.raw"), "data.detached-outside"},
      {"NRRD data file URL", "a.nhdr", "", Nhdr("http://example.com/a.raw"), "data.detached-outside"},
      {"NRRD data file drive", "a.nhdr", "", Nhdr("C:\\Windows\\a.raw"), "data.detached-outside"},
      {"NRRD LIST climbs", "a.nhdr", "", Nhdr("LIST") + "ok1.raw\nsub/../../../x.raw\n", "data.detached-outside"},
      {"NRRD pattern climbs", "a.nhdr", "", Nhdr("../slices/s%03d.raw 1 4 1 2"), "data.detached-outside"},
      {"MetaImage ElementDataFile absolute", "a.mhd", "", Mha("4 4 4", "/tmp/x.raw"), "data.detached-outside"},
      {"MetaImage ElementDataFile slicer:", "a.mhd", "", Mha("4 4 4", "slicer:0x1234#vtkMRMLScalarVolumeNode1"),
       "data.detached-outside"},
      {"vtm child climbs", "a.vtm", "",
       "<?xml version=\"1.0\"?>\n<VTKFile type=\"vtkMultiBlockDataSet\" version=\"1.0\">\n<vtkMultiBlockDataSet>\n"
       "<DataSet index=\"0\" file=\"a/a_0.vtp\"/>\n<DataSet index=\"1\" file=\"&#46;&#46;/&#46;&#46;/x.vtp\"/>\n"
       "</vtkMultiBlockDataSet>\n</VTKFile>\n",
       "data.detached-outside"},
      // --- data.format-string
      {"markups labelFormat %s", "a.mrk.json", "", Markups(R"("labelFormat": "%s%s%s%s")"), "data.format-string"},
      {"markups labelFormat %n", "a.mrk.json", "", Markups(R"("labelFormat": "%N-%n")"), "data.format-string"},
      {"markups name with %s (default %N-%d)", "a.mrk.json", "", Markups(R"("name": "%s%s")"), "data.format-string"},
      {"markups printFormat positional", "a.mrk.json", "",
       Markups(R"("measurements": [{"name": "length", "printFormat": "%5$s"}])"), "data.format-string"},
      {"markups printFormat star width", "a.mrk.json", "",
       Markups(R"("measurements": [{"printFormat": "%*.*f%s"}])"), "data.format-string"},
      {"NRRD pattern %s", "a.nhdr", "", Nhdr("slice%s.raw 1 3 1"), "data.format-string"},
      {"MetaImage pattern two conversions", "a.mhd", "", Mha("4 4 4", "s%d_%d.raw 1 4 1"), "data.format-string"},
      {"fcsv name with %s", "a.fcsv", "", "# name = %s%s%s\n# columns = label,x,y,z,sel,vis\np,1,2,3,1,1\n",
       "data.format-string"},
      // --- data.header-incomplete (warning)
      {"NRRD header cut by the caller", "a.nrrd", "", "NRRD0004\ntype: short\n", "data.header-incomplete", 5000},
      {"JSON cut by the caller", "a.mrk.json", "", "{\"markups\": [{\"type\": \"Fid", "data.header-incomplete", 5000},
      // --- data.content-odd (warning)
      {"color out of range", "a.ctbl", "", "1 a 300 0 0 255\n", "data.content-odd"},
      {"fcsv short line", "a.fcsv", "", "# columns = label,x,y,z,sel,vis\np,1\n", "data.content-odd"},
      {"NIfTI bitpix mismatch", "a.nii", "", Nifti1({.bitpix = 8}) + std::string(64 * 64 * 32 * 2, '\0'), "data.content-odd"},
      // --- data.segmentation-labels
      {"segment label value 2^16", "s.seg.nrrd", "SegmentationStorage",
       "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 1 1 1\nencoding: raw\nSegment0_ID:=a\n"
       "Segment0_LabelValue:=65536\n\n\x01"s,
       "data.segmentation-labels"},
      {"int labelmap without segments", "l.nrrd", "SegmentationStorage",
       "NRRD0004\ntype: int\ndimension: 3\nsizes: 1 1 1\nencoding: raw\nendian: little\n\n\x01\0\0\0"s,
       "data.segmentation-labels"},
      // --- data.format-unknown (warning)
      {"unknown binary", "a.xyz", "", "\x01\x02\x03\x04\x00\x05"s, "data.format-unknown"},
  };
  return cases;
}

class RuleCaseTest : public ::testing::TestWithParam<size_t> {};

TEST_P(RuleCaseTest, RaisesItsRule) {
  const Case& c = Cases()[GetParam()];
  Checked r = Check(c.name, c.tag, c.content, c.total);
  EXPECT_TRUE(r.Has(c.rule)) << c.label << ": expected " << c.rule << ", got:\n" << r.Describe();
}

INSTANTIATE_TEST_SUITE_P(Data, RuleCaseTest, ::testing::Range<size_t>(0, Cases().size()),
                         [](const ::testing::TestParamInfo<size_t>& param_info) {
                           std::string name = std::to_string(param_info.param) + "_" + Cases()[param_info.param].label;
                           for (char& ch : name) {
                             if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) ch = '_';
                           }
                           return name;
                         });

// Every data.* rule of the table has at least one case above. The one rule
// only deep mode raises (data.itk-disagrees) has its cases in
// itk_differential_test.cc, built when ITK is.
TEST(RuleCoverageTest, EveryDataRuleHasACase) {
  std::set<std::string_view> covered;
  for (const Case& c : Cases()) covered.insert(c.rule);
  size_t data_rules = 0;
  for (const RuleInfo& rule : AllRules()) {
    if (!rule.id.starts_with("data.")) continue;
    ++data_rules;
    if (rule.id == "data.itk-disagrees") continue;
    EXPECT_TRUE(covered.count(rule.id)) << "data rule " << rule.id << " has no crafted case";
  }
  EXPECT_GE(data_rules, 12u);
  for (std::string_view id : covered) EXPECT_NE(FindRule(id), nullptr) << id << " is not a rule";
}

}  // namespace
}  // namespace mrmlguard::internal::testing
