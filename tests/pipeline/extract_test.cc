// SPDX-License-Identifier: BSD-3-Clause
// Extract(): only validated bytes are written, and nothing is left behind
// when the bundle is refused.

#include "mrmlguard/extract.h"
#include "mrmlguard/validate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/zip_builder.h"

namespace mrmlguard {
namespace {

namespace fs = std::filesystem;
using test_support::ZipBuilder;

class ExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mrmlguard_extract_XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    root_ = mkdtemp(buf.data());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string WriteBundle(const std::vector<uint8_t>& bytes) {
    std::string path = root_ + "/in.mrb";
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                               static_cast<std::streamsize>(bytes.size()));
    return path;
  }
  std::string root_;
};

const char kScene[] =
    "<MRML version=\"Slicer 5.8.1 33241\">\n"
    " <Model id=\"vtkMRMLModelNode4\" name=\"m\" storageNodeRef=\"vtkMRMLModelStorageNode1\"></Model>\n"
    " <ModelStorage id=\"vtkMRMLModelStorageNode1\" name=\"s\" fileName=\"Data/m.vtk\"></ModelStorage>\n"
    "</MRML>\n";
const char kVtk[] =
    "# vtk DataFile Version 3.0\nvtk output\nASCII\nDATASET POLYDATA\nPOINTS 3 float\n0 0 0 1 0 0 0 1 0\n"
    "POLYGONS 1 4\n3 0 1 2\n";

TEST_F(ExtractTest, AcceptedBundleIsWrittenByteForByte) {
  std::string in = WriteBundle(ZipBuilder()
                                   .Directory("Scene/")
                                   .Entry("Scene/Scene.mrml", kScene, {.method = 8, .data_descriptor = true})
                                   .Entry("Scene/Data/m.vtk", kVtk)
                                   .Build());
  std::string dest = root_ + "/out";
  ExtractResult r = Extract(in, dest, Policy::Default());
  ASSERT_TRUE(r.report.accepted()) << r.report.status.message();
  EXPECT_EQ(r.main_scene_path, dest + "/Scene/Scene.mrml");
  std::ifstream scene(r.main_scene_path, std::ios::binary);
  std::stringstream got;
  got << scene.rdbuf();
  EXPECT_EQ(got.str(), kScene);
  EXPECT_EQ(fs::file_size(dest + "/Scene/Data/m.vtk"), sizeof(kVtk) - 1);
  EXPECT_EQ(fs::status(dest + "/Scene/Data/m.vtk").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

TEST_F(ExtractTest, RejectedBundleLeavesNothingBehind) {
  // The scene passes the ZIP checks and is written, then its storage path is
  // found to leave the bundle: everything written must go again.
  std::string bad_scene = std::string(kScene);
  bad_scene.replace(bad_scene.find("Data/m.vtk"), 10, "../../x.py");
  std::string in = WriteBundle(ZipBuilder()
                                   .Entry("Scene/Scene.mrml", bad_scene)
                                   .Entry("Scene/Data/m.vtk", kVtk)
                                   .Build());
  std::string dest = root_ + "/out";
  ExtractResult r = Extract(in, dest, Policy::Default());
  EXPECT_FALSE(r.report.accepted());
  EXPECT_TRUE(r.main_scene_path.empty());
  EXPECT_FALSE(fs::exists(dest));
}

TEST_F(ExtractTest, ExistingEmptyDestinationIsLeftEmptyOnRejection) {
  // An extension tag is a warning by default and an error when strict.
  std::string scene = std::string(kScene);
  scene.insert(scene.find("</MRML>"), " <NotASlicerTag id=\"n1\"></NotASlicerTag>\n");
  std::string in = WriteBundle(ZipBuilder().Entry("Scene/Scene.mrml", scene).Entry("Scene/Data/m.vtk", kVtk).Build());
  std::string dest = root_ + "/empty";
  fs::create_directory(dest);
  ASSERT_TRUE(Extract(in, root_ + "/lenient", Policy::Default()).report.accepted());
  ExtractResult r = Extract(in, dest, Policy::Strict());
  EXPECT_FALSE(r.report.accepted());
  EXPECT_TRUE(fs::exists(dest));
  EXPECT_TRUE(fs::is_empty(dest));
}

TEST_F(ExtractTest, NonEmptyDestinationIsRefusedUntouched) {
  std::string in = WriteBundle(ZipBuilder().Entry("Scene/Scene.mrml", kScene).Build());
  std::string dest = root_ + "/busy";
  fs::create_directory(dest);
  std::ofstream(dest + "/keep.txt") << "mine";
  ExtractResult r = Extract(in, dest, Policy::Default());
  EXPECT_EQ(r.report.status.code(), StatusCode::kIoError);
  EXPECT_TRUE(fs::exists(dest + "/keep.txt"));
  EXPECT_FALSE(fs::exists(dest + "/Scene"));
}

TEST_F(ExtractTest, SymlinkDestinationIsRefused) {
  std::string in = WriteBundle(ZipBuilder().Entry("Scene/Scene.mrml", kScene).Build());
  fs::create_directory(root_ + "/target");
  fs::create_directory_symlink(root_ + "/target", root_ + "/link");
  ExtractResult r = Extract(in, root_ + "/link", Policy::Default());
  EXPECT_EQ(r.report.status.code(), StatusCode::kIoError);
  EXPECT_TRUE(fs::is_empty(root_ + "/target"));
}

TEST_F(ExtractTest, SceneIsNotABundle) {
  std::string path = root_ + "/s.mrml";
  std::ofstream(path) << kScene;
  ExtractResult r = Extract(path, root_ + "/out", Policy::Default());
  EXPECT_EQ(r.report.status.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(root_ + "/out"));
}

}  // namespace
}  // namespace mrmlguard

namespace mrmlguard {
namespace {

TEST_F(ExtractTest, TraversalEntryIsARejectionNotAnIoError) {
  std::string in = WriteBundle(ZipBuilder()
                                   .Entry("Scene/Scene.mrml", kScene)
                                   .Entry("Scene/../../evil.py", "print('pwned')")
                                   .Build());
  std::string dest = root_ + "/out";
  ExtractResult r = Extract(in, dest, Policy::Default());
  EXPECT_TRUE(r.report.status.ok()) << r.report.status.message();
  EXPECT_FALSE(r.report.accepted());
  bool traversal = false;
  for (const Finding& f : r.report.findings) traversal = traversal || f.rule_id == "zip.entry.path-traversal";
  EXPECT_TRUE(traversal);
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(root_ + "/evil.py"));
  EXPECT_FALSE(fs::exists(fs::path(root_).parent_path() / "evil.py"));
}

TEST_F(ExtractTest, ExtractAndValidateAgreeOnTheSceneSlicerFinds) {
  // "Scene/" cannot be listed after Slicer's extraction, so its search finds
  // the deeper scene; with that rule turned down to a warning both Extract
  // and Validate name that scene.
  test_support::EntryOptions unlistable;
  unlistable.external_attributes = 040300u << 16;
  std::string in = WriteBundle(ZipBuilder()
                                   .Directory("Scene/", unlistable)
                                   .Entry("Scene/Scene.mrml", kScene)
                                   .Entry("Scene/Data/m.vtk", kVtk)
                                   .Entry("Other/Data/Other.mrml", "<MRML version=\"Slicer 5.8.1 33241\">\n</MRML>\n")
                                   .Build());
  Policy policy = Policy::Default();
  policy.overrides.push_back({"bundle.entry-unreadable", Severity::kWarning});
  Report validated = Validate(in, policy);
  EXPECT_EQ(validated.main_scene, "Other/Data/Other.mrml");
  std::string dest = root_ + "/out";
  ExtractResult r = Extract(in, dest, policy);
  ASSERT_TRUE(r.report.accepted()) << r.report.status.message();
  EXPECT_EQ(r.report.main_scene, validated.main_scene);
  EXPECT_EQ(r.main_scene_path, dest + "/Other/Data/Other.mrml");
  // By default the mode bits are an error, and nothing is extracted.
  ExtractResult refused = Extract(in, root_ + "/out2", Policy::Default());
  EXPECT_FALSE(refused.report.accepted());
  EXPECT_FALSE(fs::exists(root_ + "/out2/Other"));
}

}  // namespace
}  // namespace mrmlguard
