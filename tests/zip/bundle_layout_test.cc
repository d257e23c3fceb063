// SPDX-License-Identifier: BSD-3-Clause
// SelectMainScene, ResolveInBundle, FindEntry (Slicer's reading of a bundle).

#include "zip/bundle_layout.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "zip_test_util.h"

namespace mrmlguard::internal {
namespace {

ZipDirectory Dir(std::vector<std::string> names) {
  ZipDirectory d;
  d.structure_ok = true;
  for (std::string& n : names) {
    ZipEntry e;
    e.is_directory = !n.empty() && n.back() == '/';
    e.name = std::move(n);
    d.entries.push_back(std::move(e));
  }
  return d;
}

struct Selected {
  std::optional<size_t> index;
  std::vector<std::string> ids;
};

Selected Select(std::vector<std::string> names) {
  Policy p = Policy::Default();
  FindingSink sink(p);
  ZipDirectory d = Dir(std::move(names));
  Selected s;
  s.index = SelectMainScene(d, sink);
  for (const Finding& f : sink.findings()) s.ids.emplace_back(f.rule_id);
  return s;
}

using Ids = std::vector<std::string>;

TEST(BundleLayoutTest, SlicerLayout) {
  Selected s = Select({"Scene/", "Scene/Scene.mrml", "Scene/Data/", "Scene/Data/a.nrrd",
                       "Scene/Data/seq.seq.mrml"});
  EXPECT_EQ(s.index, 1u);
  EXPECT_EQ(s.ids, Ids{});
  // Base cut at its first dot, as GetFilenameWithoutExtension does.
  EXPECT_EQ(Select({"my.scene/my.mrml", "my.scene/Data/x"}).ids, Ids{});
  EXPECT_EQ(Select({"my.scene/my.scene.mrml"}).ids, Ids{});
}

TEST(BundleLayoutTest, ShallowestWins) {
  Selected s = Select({"S/Data/deep/a.mrml", "S/S.mrml", "S/Data/b.mrml"});
  EXPECT_EQ(s.index, 1u);
  EXPECT_EQ(s.ids, Ids{});
}

TEST(BundleLayoutTest, NoScene) {
  Selected s = Select({"S/", "S/a.txt", "S/x.mrml/"});
  EXPECT_FALSE(s.index);
  EXPECT_EQ(s.ids, Ids{"bundle.no-scene"});
}

TEST(BundleLayoutTest, TieIsAmbiguous) {
  EXPECT_EQ(Select({"S/S.mrml", "S/T.mrml"}).ids, Ids{"bundle.ambiguous-scene"});
  EXPECT_FALSE(Select({"S/S.mrml", "S/T.mrml"}).index);
  // Case: Windows/macOS Slicer also matches .MRML.
  EXPECT_EQ(Select({"S/S.mrml", "S/T.MRML"}).ids, Ids{"bundle.ambiguous-scene"});
  EXPECT_EQ(Select({"S/S.MRML", "S/Data/T.mrml"}).ids, Ids{"bundle.ambiguous-scene"});
}

TEST(BundleLayoutTest, LayoutWarnings) {
  EXPECT_EQ(Select({"Scene.mrml"}).ids, Ids{"bundle.layout"});
  EXPECT_EQ(Select({"S/Other.mrml"}).ids, Ids{"bundle.layout"});
  EXPECT_EQ(Select({"S/S.mrml", "T/x"}).ids, Ids{"bundle.layout"});
  Selected s = Select({"a/b/S.mrml"});
  EXPECT_EQ(s.index, 0u);
  EXPECT_EQ(s.ids, Ids{"bundle.layout"});
}

TEST(BundleLayoutTest, Resolve) {
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "Data/a.nrrd"), "S/Data/a.nrrd");
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "./Data/../Data/a.nrrd"), "S/Data/a.nrrd");
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "../S/Data/a.nrrd"), "S/Data/a.nrrd");
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "Data\\a.nrrd"), "S/Data/a.nrrd");
  EXPECT_EQ(ResolveInBundle("S.mrml", "a.nrrd"), "a.nrrd");
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "../../etc/passwd"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "..\\..\\x"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S.mrml", "../x"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "/etc/passwd"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "C:/x"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "\\\\host\\share\\x"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "http://host/x"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", ".."), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", ""), std::nullopt);
  // Every kind text::ReadSlicerPath anchors leaves the bundle.
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "~/x"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "1:x"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "\\/host/x"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "slicer:0x1"), std::nullopt);
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "Data/.."), "S");
  EXPECT_EQ(ResolveInBundle("S/S.mrml", "x~/y"), "S/x~/y");
}

TEST(BundleLayoutTest, Find) {
  ZipDirectory d = Dir({"S/", "S/S.mrml", "S/Data/a", "S/Data/a"});
  EntryIndex index(d);
  EXPECT_EQ(index.Find("S/Data/a"), 2u);  // the first of two alike
  EXPECT_EQ(index.Find("S/Data/b"), std::nullopt);
  EXPECT_EQ(index.Find("s/s.mrml"), std::nullopt);
}

// --- what lands on disk (vtkArchive::UnZip, issue 17 part 1) ---

ZipEntry UnixEntry(std::string name, uint32_t mode) {
  ZipEntry e;
  e.is_directory = !name.empty() && name.back() == '/';
  e.name = std::move(name);
  e.host_system = 3;
  e.external_attributes = mode << 16;
  return e;
}

Selected SelectEntries(std::vector<ZipEntry> entries) {
  Policy p = Policy::Default();
  FindingSink sink(p);
  ZipDirectory d;
  d.structure_ok = true;
  d.entries = std::move(entries);
  Selected s;
  s.index = SelectMainScene(d, sink);
  for (const Finding& f : sink.findings()) s.ids.emplace_back(f.rule_id);
  return s;
}

TEST(BundleLayoutTest, LongComponentStopsExtractionAndShiftsTheScene) {
  // Slicer's extraction breaks out at the 256-byte component: "A/A.mrml"
  // never lands, and the scene search finds the deeper one written before.
  std::string long_name = "S/" + std::string(256, 'x') + "/a.vtk";
  Selected s = SelectEntries({UnixEntry("S/Data/S.mrml", 0100644), UnixEntry(long_name, 0100644),
                              UnixEntry("S.mrml", 0100644)});
  EXPECT_EQ(s.index, 0u);
  EXPECT_EQ(s.ids, (Ids{"bundle.entry-not-writable", "bundle.layout"}));
  // 255 bytes is still a name every common file system stores.
  std::string fits = "S/" + std::string(255, 'x');
  Selected ok = SelectEntries({UnixEntry(fits, 0100644), UnixEntry("S/S.mrml", 0100644)});
  EXPECT_EQ(ok.index, 1u);
  EXPECT_EQ(ok.ids, Ids{});
}

TEST(BundleLayoutTest, NothingLandsAfterAnUnwritableEntry) {
  Selected s = SelectEntries({UnixEntry(std::string(300, 'n'), 0100644), UnixEntry("S/S.mrml", 0100644)});
  EXPECT_EQ(s.index, std::nullopt);
  EXPECT_EQ(s.ids, (Ids{"bundle.entry-not-writable", "bundle.no-scene"}));
}

TEST(BundleLayoutTest, UnlistableFolderHidesItsSceneFromTheSearch) {
  // A folder without the owner's read bit: Glob cannot list it, so the
  // shallowest scene Slicer finds is the one outside it.
  Selected s = SelectEntries({UnixEntry("A/", 040311), UnixEntry("A/A.mrml", 0100644),
                              UnixEntry("B/Data/B.mrml", 0100644)});
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.ids, (Ids{"bundle.entry-unreadable", "bundle.layout"}));
  // Without the search bit nothing inside can even be opened.
  Selected t = SelectEntries({UnixEntry("A/A.mrml", 0100644), UnixEntry("A/", 040600)});
  EXPECT_EQ(t.index, std::nullopt);
  EXPECT_EQ(t.ids, (Ids{"bundle.entry-unreadable", "bundle.no-scene"}));
}

TEST(BundleLayoutTest, FileItsOwnerCannotReadIsAnError) {
  Selected s = SelectEntries({UnixEntry("S/S.mrml", 0100644), UnixEntry("S/Data/a.vtk", 0100044)});
  EXPECT_EQ(s.index, 0u);
  EXPECT_EQ(s.ids, Ids{"bundle.entry-unreadable"});
  // Host MS-DOS carries no Unix mode: libarchive gives it 0664.
  ZipEntry dos = UnixEntry("S/Data/b.vtk", 0);
  dos.host_system = 0;
  EXPECT_EQ(SelectEntries({UnixEntry("S/S.mrml", 0100600), dos}).ids, Ids{});
}

}  // namespace
}  // namespace mrmlguard::internal
