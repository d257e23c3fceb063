// SPDX-License-Identifier: BSD-3-Clause
// Bundle pipeline: what only the combination of the layers can see (storage
// paths against entries, nested bundles, data headers inside a bundle).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "mrmlguard/validate.h"
#include "support/zip_builder.h"

namespace mrmlguard {
namespace {

using test_support::EntryOptions;
using test_support::ZipBuilder;

std::string Rules(const Report& r) {
  std::string out;
  for (const Finding& f : r.findings) {
    out += std::string(f.rule_id) + " @" + f.location.entry + ": " + f.message + "\n";
  }
  return out;
}

const Finding* FindRuleIn(const Report& r, std::string_view rule) {
  auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.rule_id == rule; });
  return it == r.findings.end() ? nullptr : &*it;
}

std::string Scene(const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MRML version=\"Slicer 5.8.1 33241\" userTags=\"\">\n" + body +
         "</MRML>\n";
}

std::string ModelWithFile(const std::string& file) {
  return " <Model id=\"vtkMRMLModelNode4\" name=\"cube\" storageNodeRef=\"vtkMRMLModelStorageNode1\"></Model>\n"
         " <ModelStorage id=\"vtkMRMLModelStorageNode1\" name=\"ms\" fileName=\"" +
         file + "\"></ModelStorage>\n";
}

const char kVtk[] =
    "# vtk DataFile Version 3.0\nvtk output\nASCII\nDATASET POLYDATA\nPOINTS 3 float\n0 0 0 1 0 0 0 1 0\n"
    "POLYGONS 1 4\n3 0 1 2\n";

Report Check(const std::vector<uint8_t>& zip, const Policy& policy = Policy::Default()) {
  return ValidateBytes(zip, "Scene.mrb", policy);
}

TEST(BundlePipelineTest, SlicerShapedBundleIsAccepted) {
  EntryOptions o;
  o.method = 8;
  o.data_descriptor = true;
  auto zip = ZipBuilder()
                 .Directory("Scene/")
                 .Entry("Scene/Scene.mrml", Scene(ModelWithFile("Data/cube.vtk")), o)
                 .Entry("Scene/Data/cube.vtk", kVtk, o)
                 .Build();
  Report r = Check(zip);
  EXPECT_TRUE(r.accepted()) << Rules(r);
  EXPECT_EQ(r.main_scene, "Scene/Scene.mrml");
  EXPECT_EQ(r.stats.data_files, 1u);
}

TEST(BundlePipelineTest, StoragePathLeavingTheBundleIsRejected) {
  auto zip = ZipBuilder()
                 .Entry("Scene/Scene.mrml", Scene(ModelWithFile("../../.slicerrc.py")))
                 .Build();
  Report r = Check(zip);
  const Finding* f = FindRuleIn(r, "bundle.storage-outside");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->location.node_id, "vtkMRMLModelStorageNode1");
  EXPECT_EQ(f->location.attribute, "fileName");
  EXPECT_GT(f->location.line, 0u);
  EXPECT_FALSE(r.accepted());
}

// A storage node no node uses is never read (vtkMRMLStorableNode::UpdateScene
// reads only the storage role): its path outside the bundle is a warning, an
// error only in the strict profile. Used, the same path is an error.
TEST(BundlePipelineTest, UnusedStorageNodeLeavingTheBundleIsAWarning) {
  const std::string unused =
      " <ModelStorage id=\"vtkMRMLModelStorageNode9\" name=\"old\" fileName=\"../../../Temp/__BundleLoadTemp/cube.vtk\">"
      "</ModelStorage>\n";
  auto zip = ZipBuilder()
                 .Directory("Scene/")
                 .Entry("Scene/Scene.mrml", Scene(ModelWithFile("Data/cube.vtk") + unused))
                 .Entry("Scene/Data/cube.vtk", kVtk)
                 .Build();
  Report r = Check(zip);
  const Finding* f = FindRuleIn(r, "bundle.storage-outside-unused");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->location.node_id, "vtkMRMLModelStorageNode9");
  EXPECT_EQ(FindRuleIn(r, "bundle.storage-outside"), nullptr) << Rules(r);
  EXPECT_TRUE(r.accepted()) << Rules(r);
  Report strict = Check(zip, Policy::Strict());
  EXPECT_FALSE(strict.accepted());

  // The same node used by a second model reads the file: an error again.
  const std::string user =
      " <Model id=\"vtkMRMLModelNode5\" name=\"two\" storageNodeRef=\"vtkMRMLModelStorageNode9\"></Model>\n";
  auto used = ZipBuilder()
                  .Directory("Scene/")
                  .Entry("Scene/Scene.mrml", Scene(ModelWithFile("Data/cube.vtk") + unused + user))
                  .Entry("Scene/Data/cube.vtk", kVtk)
                  .Build();
  Report u = Check(used);
  EXPECT_NE(FindRuleIn(u, "bundle.storage-outside"), nullptr) << Rules(u);
  EXPECT_EQ(FindRuleIn(u, "bundle.storage-outside-unused"), nullptr) << Rules(u);
  EXPECT_FALSE(u.accepted());
}

TEST(BundlePipelineTest, AbsoluteStoragePathInABundleIsRejected) {
  auto zip = ZipBuilder().Entry("Scene/Scene.mrml", Scene(ModelWithFile("/etc/passwd"))).Build();
  Report r = Check(zip);
  EXPECT_NE(FindRuleIn(r, "bundle.storage-outside"), nullptr) << Rules(r);
}

// vtksys FileIsFullPath calls "~/x" full on Linux and macOS, so Slicer does
// not join it to the extraction folder: CollapseFullPath reads it from the
// home folder. Before text::ReadSlicerPath it resolved to "Scene/~/..." and
// was only bundle.storage-missing (a warning), and the bundle was accepted.
TEST(BundlePipelineTest, HomeStoragePathInABundleIsRejected) {
  auto zip = ZipBuilder()
                 .Entry("Scene/Scene.mrml", Scene(ModelWithFile("~/.config/cube.vtk")))
                 .Entry("Scene/~/.config/cube.vtk", kVtk)
                 .Build();
  Report r = Check(zip);
  EXPECT_NE(FindRuleIn(r, "bundle.storage-outside"), nullptr) << Rules(r);
  EXPECT_FALSE(r.accepted());
}

TEST(BundlePipelineTest, PercentEncodedClimbIsDecodedFirst) {
  // Slicer decodes %20 etc. but not %2E%2E: "..%2F" stays a literal name.
  auto zip = ZipBuilder()
                 .Entry("Scene/Scene.mrml", Scene(ModelWithFile("Data/my%20cube.vtk")))
                 .Entry("Scene/Data/my cube.vtk", kVtk)
                 .Build();
  Report r = Check(zip);
  EXPECT_TRUE(r.accepted()) << Rules(r);
}

TEST(BundlePipelineTest, MissingStorageEntryWarns) {
  auto zip = ZipBuilder().Entry("Scene/Scene.mrml", Scene(ModelWithFile("Data/absent.vtk"))).Build();
  Report r = Check(zip);
  const Finding* f = FindRuleIn(r, "bundle.storage-missing");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->severity, Severity::kWarning);
  EXPECT_TRUE(r.accepted()) << Rules(r);
  // A missing file is only worth a warning in both profiles (threat model).
  EXPECT_TRUE(Check(zip, Policy::Strict()).accepted());
}

TEST(BundlePipelineTest, DataHeaderInsideTheBundleIsChecked) {
  std::string huge_nrrd =
      "NRRD0004\ntype: float\ndimension: 3\nsizes: 100000 100000 100000\nencoding: raw\nendian: little\n\n";
  std::string body =
      " <Volume id=\"vtkMRMLScalarVolumeNode1\" name=\"v\" storageNodeRef=\"vtkMRMLVolumeArchetypeStorageNode1\">"
      "</Volume>\n <VolumeArchetypeStorage id=\"vtkMRMLVolumeArchetypeStorageNode1\" name=\"s\""
      " fileName=\"Data/v.nrrd\"></VolumeArchetypeStorage>\n";
  auto zip = ZipBuilder()
                 .Entry("Scene/Scene.mrml", Scene(body))
                 .Entry("Scene/Data/v.nrrd", huge_nrrd)
                 .Build();
  Report r = Check(zip);
  const Finding* f = FindRuleIn(r, "data.limit-exceeded");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->location.entry, "Scene/Data/v.nrrd");
  EXPECT_EQ(f->limit, "max_image_bytes");
}

TEST(BundlePipelineTest, NestedBundleIsAuditedWithItsEntryPath) {
  auto inner = ZipBuilder()
                   .Entry("Seq/Seq.mrml", Scene(ModelWithFile("../../../escape.vtk")))
                   .BuildString();
  std::string seq_body =
      " <Sequence id=\"vtkMRMLSequenceNode1\" name=\"seq\" storageNodeRef=\"vtkMRMLSequenceStorageNode1\">"
      "</Sequence>\n <SequenceStorage id=\"vtkMRMLSequenceStorageNode1\" name=\"ss\""
      " fileName=\"Data/Seq.seq.mrb\"></SequenceStorage>\n";
  auto zip = ZipBuilder()
                 .Entry("Scene/Scene.mrml", Scene(seq_body))
                 .Entry("Scene/Data/Seq.seq.mrb", inner)
                 .Build();
  Report r = Check(zip);
  const Finding* f = FindRuleIn(r, "bundle.storage-outside");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->location.entry, "Scene/Data/Seq.seq.mrb!Seq/Seq.mrml");
}

TEST(BundlePipelineTest, NestingDeeperThanTheLimitIsRejected) {
  std::string level = ZipBuilder().Entry("L/L.mrml", Scene("")).BuildString();
  for (int i = 0; i < 3; ++i) {
    level = ZipBuilder().Entry("L/L.mrml", Scene("")).Entry("L/Data/n.seq.mrb", level).BuildString();
  }
  Report r = ValidateBytes({reinterpret_cast<const uint8_t*>(level.data()), level.size()}, "L.mrb",
                           Policy::Default());
  const Finding* f = FindRuleIn(r, "bundle.nesting-too-deep");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->limit, "max_bundle_depth");
}

TEST(BundlePipelineTest, ZipNamedLikeASceneIsFlagged) {
  auto zip = ZipBuilder().Entry("Scene/Scene.mrml", Scene("")).Build();
  Report r = ValidateBytes(zip, "Scene.mrml", Policy::Default());
  EXPECT_NE(FindRuleIn(r, "input.extension-mismatch"), nullptr) << Rules(r);
}

TEST(BundlePipelineTest, SceneInsideABundleIsJudgedByTheSceneRules) {
  std::string body = " <Unit id=\"u\" name=\"ApplicationLength\" Prefix=\"%s%s%s\"></Unit>\n";
  auto zip = ZipBuilder().Entry("Scene/Scene.mrml", Scene(body)).Build();
  Report r = Check(zip);
  const Finding* f = FindRuleIn(r, "mrml.format-string");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->location.entry, "Scene/Scene.mrml");
}

// Issue 18: a sequence bundle written by libarchive 3.0.4-3.1.2
// (archive_write_zip_close) has an empty "ux" extra field (0x7875) in every
// central header; nested in a current bundle, it is accepted.
TEST(BundlePipelineTest, NestedBundleFromOldLibarchiveIsAccepted) {
  EntryOptions old;
  old.slicer_extras = false;
  old.data_descriptor = true;
  old.dd_keep_local_sizes = true;
  old.local_extra = test_support::ExtraField(0x5455, std::string("\x07", 1) + test_support::Le32(1) +
                                                         test_support::Le32(2) + test_support::Le32(3)) +
                    test_support::ExtraField(0x7875, std::string("\x01\x04", 2) + test_support::Le32(1000) + "\x04" +
                                                         test_support::Le32(1000));
  old.central_extra = test_support::ExtraField(0x5455, std::string("\x07", 1) + test_support::Le32(1)) +
                      test_support::ExtraField(0x7875, "");
  auto inner = ZipBuilder().Directory("Seq/", old).Entry("Seq/Seq.mrml", Scene(""), old).BuildString();
  std::string seq_body =
      " <Sequence id=\"vtkMRMLSequenceNode1\" name=\"seq\" storageNodeRef=\"vtkMRMLSequenceStorageNode1\">"
      "</Sequence>\n <SequenceStorage id=\"vtkMRMLSequenceStorageNode1\" name=\"ss\""
      " fileName=\"Data/Seq.seq.mrb\"></SequenceStorage>\n";
  EntryOptions o;
  o.method = 8;
  o.data_descriptor = true;
  auto zip = ZipBuilder()
                 .Directory("Scene/")
                 .Entry("Scene/Scene.mrml", Scene(seq_body), o)
                 .Entry("Scene/Data/Seq.seq.mrb", inner, o)
                 .Build();
  Report r = Check(zip);
  EXPECT_TRUE(r.accepted()) << Rules(r);
}

// --- issue 17: what Slicer loads is what was checked ---

std::string VolumesWithFile(int count, const std::string& file) {
  std::string body;
  for (int i = 1; i <= count; ++i) {
    std::string n = std::to_string(i);
    body += " <Volume id=\"vtkMRMLScalarVolumeNode" + n + "\" name=\"v" + n +
            "\" storageNodeRef=\"vtkMRMLVolumeArchetypeStorageNode" + n + "\"></Volume>\n"
            " <VolumeArchetypeStorage id=\"vtkMRMLVolumeArchetypeStorageNode" + n + "\" name=\"s" + n +
            "\" fileName=\"" + file + "\"></VolumeArchetypeStorage>\n";
  }
  return body;
}

// A gzip NRRD header of 512^3 uint16 (256 MiB) followed by `payload` bytes.
std::string GzipNrrd(size_t payload) {
  return "NRRD0004\ntype: unsigned short\ndimension: 3\nsizes: 512 512 512\nencoding: gzip\nendian: little\n\n" +
         std::string(payload, '\x5a');
}

TEST(BundlePipelineTest, EveryScenesReferencesAreDataChecked) {
  // The second scene is not the one chosen, but Slicer loads it when the
  // extraction differs: its data is checked all the same.
  std::string huge_nrrd =
      "NRRD0004\ntype: float\ndimension: 3\nsizes: 100000 100000 100000\nencoding: raw\nendian: little\n\n";
  auto zip = ZipBuilder()
                 .Entry("Scene/Scene.mrml", Scene(ModelWithFile("Data/cube.vtk")))
                 .Entry("Scene/Data/cube.vtk", kVtk)
                 .Entry("Scene/Data/Other/Other.mrml", Scene(VolumesWithFile(1, "v.nrrd")))
                 .Entry("Scene/Data/Other/v.nrrd", huge_nrrd)
                 .Build();
  Report r = Check(zip);
  EXPECT_EQ(r.main_scene, "Scene/Scene.mrml");
  const Finding* f = FindRuleIn(r, "data.limit-exceeded");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->location.entry, "Scene/Data/Other/v.nrrd");
  EXPECT_EQ(r.stats.data_files, 2u);
}

TEST(BundlePipelineTest, SceneNamedAsDataByAnotherSceneIsStillDataChecked) {
  // The scenes stream first; one a later scene names as a model file is read
  // again for its header.
  auto zip = ZipBuilder()
                 .Entry("Scene/Scene.mrml", Scene(""))
                 .Entry("Scene/Data/B.mrml", Scene(ModelWithFile("C.mrml")))
                 .Entry("Scene/Data/C.mrml", Scene(""))
                 .Build();
  Report r = Check(zip);
  EXPECT_EQ(r.stats.data_files, 1u) << Rules(r);
  const Finding* f = FindRuleIn(r, "data.magic-mismatch");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->location.entry, "Scene/Data/C.mrml");
}

TEST(BundlePipelineTest, UnwritableEntryShiftsTheMainSceneAndIsAnError) {
  std::string long_folder = "Scene/" + std::string(256, 'L') + "/";
  auto zip = ZipBuilder()
                 .Entry("Scene/Data/Seq/Seq.mrml", Scene(""))
                 .Entry(long_folder + "x.vtk", kVtk)
                 .Entry("Scene/Scene.mrml", Scene(""))
                 .Build();
  Report r = Check(zip);
  EXPECT_EQ(r.main_scene, "Scene/Data/Seq/Seq.mrml");
  EXPECT_NE(FindRuleIn(r, "bundle.entry-not-writable"), nullptr) << Rules(r);
  EXPECT_FALSE(r.accepted());
}

TEST(BundlePipelineTest, ModeBitsThatHideTheSceneAreAnError) {
  EntryOptions unlistable;
  unlistable.external_attributes = 040300u << 16;  // owner may enter and write, not list
  EntryOptions unreadable;
  unreadable.external_attributes = 0100200u << 16;
  auto zip = ZipBuilder()
                 .Directory("Scene/", unlistable)
                 .Entry("Scene/Scene.mrml", Scene(""))
                 .Entry("Other/Data/Other.mrml", Scene(ModelWithFile("cube.vtk")))
                 .Entry("Other/Data/cube.vtk", kVtk, unreadable)
                 .Build();
  Report r = Check(zip);
  EXPECT_EQ(r.main_scene, "Other/Data/Other.mrml");
  std::vector<std::string> unreadable_ids;
  for (const Finding& f : r.findings) {
    if (f.rule_id == std::string_view("bundle.entry-unreadable")) unreadable_ids.push_back(f.message);
  }
  EXPECT_EQ(unreadable_ids.size(), 2u) << Rules(r);
  EXPECT_FALSE(r.accepted());
}

TEST(BundlePipelineTest, ImagesSharedByManyNodesCountOncePerLoad) {
  // 400 volume nodes load one 256 MiB image: ~100 GiB asked of Slicer from
  // a small bundle. The payload is large enough for the ratio check.
  auto zip = ZipBuilder()
                 .Entry("Scene/Scene.mrml", Scene(VolumesWithFile(400, "Data/v.nrrd")))
                 .Entry("Scene/Data/v.nrrd", GzipNrrd(300 << 10))
                 .Build();
  Report r = Check(zip);
  const Finding* f = FindRuleIn(r, "bundle.load-memory");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->limit, "max_scene_load_bytes");
  EXPECT_EQ(FindRuleIn(r, "bundle.payload-ratio"), nullptr) << Rules(r);
  EXPECT_EQ(r.stats.data_files, 1u);
  // Within the budget: 100 loads of it (25 GiB) are accepted.
  auto fewer = ZipBuilder()
                   .Entry("Scene/Scene.mrml", Scene(VolumesWithFile(100, "Data/v.nrrd")))
                   .Entry("Scene/Data/v.nrrd", GzipNrrd(300 << 10))
                   .Build();
  Report ok = Check(fewer);
  EXPECT_EQ(FindRuleIn(ok, "bundle.load-memory"), nullptr) << Rules(ok);
}

TEST(BundlePipelineTest, CompressedPayloadTooShortForItsImageIsRejected) {
  auto zip = ZipBuilder()
                 .Entry("Scene/Scene.mrml", Scene(VolumesWithFile(1, "Data/v.nrrd")))
                 .Entry("Scene/Data/v.nrrd", GzipNrrd(1))
                 .Build();
  Report r = Check(zip);
  const Finding* f = FindRuleIn(r, "bundle.payload-ratio");
  ASSERT_NE(f, nullptr) << Rules(r);
  EXPECT_EQ(f->location.entry, "Scene/Data/v.nrrd");
  EXPECT_FALSE(r.accepted());
  // 256 MiB / 1000 = 268,436 bytes at least.
  auto enough = ZipBuilder()
                    .Entry("Scene/Scene.mrml", Scene(VolumesWithFile(1, "Data/v.nrrd")))
                    .Entry("Scene/Data/v.nrrd", GzipNrrd(268436))
                    .Build();
  EXPECT_EQ(FindRuleIn(Check(enough), "bundle.payload-ratio"), nullptr);
  auto short_by_one = ZipBuilder()
                          .Entry("Scene/Scene.mrml", Scene(VolumesWithFile(1, "Data/v.nrrd")))
                          .Entry("Scene/Data/v.nrrd", GzipNrrd(268435))
                          .Build();
  EXPECT_NE(FindRuleIn(Check(short_by_one), "bundle.payload-ratio"), nullptr);
}

TEST(BundlePipelineTest, NodesSharingOneStorageNodeEachLoadItsImage) {
  // One storage node, 400 volume nodes naming it: vtkMRMLStorableNode::UpdateScene
  // reads the file once per volume. A storage node id longer than the 128
  // bytes findings quote must count the same.
  const std::string prefix = "vtkMRMLVolumeArchetypeStorageNode";
  for (const std::string& storage_id : {prefix + "1", prefix + std::string(200, 'x')}) {
    std::string body;
    for (int i = 1; i <= 400; ++i) {
      body += " <Volume id=\"vtkMRMLScalarVolumeNode" + std::to_string(i) + "\" name=\"v\" storageNodeRef=\"" +
              storage_id + "\"></Volume>\n";
    }
    body += " <VolumeArchetypeStorage id=\"" + storage_id +
            "\" name=\"s\" fileName=\"Data/v.nrrd\"></VolumeArchetypeStorage>\n";
    auto zip = ZipBuilder()
                   .Entry("Scene/Scene.mrml", Scene(body))
                   .Entry("Scene/Data/v.nrrd", GzipNrrd(300 << 10))
                   .Build();
    Report r = Check(zip);
    const Finding* f = FindRuleIn(r, "bundle.load-memory");
    ASSERT_NE(f, nullptr) << Rules(r);
    EXPECT_NE(f->message.find("loaded 400 times"), std::string::npos) << f->message;
  }
}

// Issue 17 part 2: "Data/V.NHDR" names the entry "Data/v.nhdr" only on a
// case-insensitive file system; there Slicer reads it, so its header must be
// checked (here it is malformed), and the folding is reported.
TEST(BundlePipelineTest, StoragePathMatchingOnlyUnderCaseFoldingIsCheckedAsThatEntry) {
  auto zip = ZipBuilder()
                 .Directory("Scene/")
                 .Entry("Scene/Scene.mrml", Scene(VolumesWithFile(1, "Data/V.NHDR")))
                 .Entry("Scene/Data/v.nhdr", "NRRD0004\ncolour: red\n\n")
                 .Build();
  Report r = Check(zip);
  const Finding* folded = FindRuleIn(r, "bundle.storage-case-folded");
  ASSERT_NE(folded, nullptr) << Rules(r);
  EXPECT_NE(folded->message.find("\"Scene/Data/v.nhdr\""), std::string::npos) << folded->message;
  EXPECT_NE(FindRuleIn(r, "data.header-malformed"), nullptr) << Rules(r);
  EXPECT_EQ(FindRuleIn(r, "bundle.storage-missing"), nullptr) << Rules(r);
  // Unicode forms too: NFD in the scene, NFC in the entry name.
  auto nfd = ZipBuilder()
                 .Directory("Scene/")
                 .Entry("Scene/Scene.mrml", Scene(VolumesWithFile(1, "Data/Cafe\xcc\x81.nrrd")))
                 .Entry("Scene/Data/caf\xc3\xa9.nrrd", "NRRD0004\ncolour: red\n\n", {.flags = 1u << 11})
                 .Build();
  Report n = Check(nfd);
  EXPECT_NE(FindRuleIn(n, "bundle.storage-case-folded"), nullptr) << Rules(n);
  EXPECT_NE(FindRuleIn(n, "data.header-malformed"), nullptr) << Rules(n);
}

}  // namespace
}  // namespace mrmlguard
