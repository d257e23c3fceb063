// SPDX-License-Identifier: BSD-3-Clause
// ReadSlicerPath, ResolveLexically, BaseName/FolderOf: the one table of paths
// that the scene, bundle, data and pipeline layers share (text/slicer_path.h
// names the Slicer and KWSys functions each row follows).

#include "text/slicer_path.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::internal::text {
namespace {

using K = PathKind;

struct Row {
  std::string_view path;
  K kind;
  bool climbs;
  std::string_view components;  // '|'-joined
  // ResolveLexically("S/Data", reading); "-" for nullopt.
  std::string_view resolved;
};

// clang-format off
const Row kTable[] = {
    // Relative names: joined to the scene's folder.
    {"a.nrrd",                 K::kRelative, false, "a.nrrd",              "S/Data/a.nrrd"},
    {"Data/a.nrrd",            K::kRelative, false, "Data|a.nrrd",         "S/Data/Data/a.nrrd"},
    {"./a.nrrd",               K::kRelative, false, "a.nrrd",              "S/Data/a.nrrd"},
    {"a//b",                   K::kRelative, false, "a|b",                 "S/Data/a/b"},
    {"a\\b.nrrd",              K::kRelative, false, "a|b.nrrd",            "S/Data/a/b.nrrd"},  // '\' separates (SplitPath)
    {"dir/",                   K::kRelative, false, "dir",                 "S/Data/dir"},
    {"a..b.raw",               K::kRelative, false, "a..b.raw",            "S/Data/a..b.raw"},
    {"...",                    K::kRelative, false, "...",                 "S/Data/..."},
    {".. ",                    K::kRelative, false, ".. ",                 "S/Data/.. "},
    {"",                       K::kRelative, false, "",                    "S/Data"},
    {".",                      K::kRelative, false, "",                    "S/Data"},
    {"ab:c",                   K::kRelative, false, "ab:c",                "S/Data/ab:c"},      // ':' not second
    {"é:x",                    K::kRelative, false, "é:x",                 "S/Data/é:x"},       // 2-byte lead: byte 1 is not ':'
    {"x~",                     K::kRelative, false, "x~",                  "S/Data/x~"},
    // '..' resolves lexically (CollapseFullPath); above the base root it leaves.
    {"../a.nrrd",              K::kRelative, true,  "..|a.nrrd",           "S/a.nrrd"},
    {"../../a.nrrd",           K::kRelative, true,  "..|..|a.nrrd",        "a.nrrd"},
    {"../..",                  K::kRelative, true,  "..|..",               ""},            // the base's root
    {"../../../etc/passwd",    K::kRelative, true,  "..|..|..|etc|passwd", "-"},
    {"..\\..\\..\\x",          K::kRelative, true,  "..|..|..|x",          "-"},
    {"a/../../../../x",        K::kRelative, true,  "a|..|..|..|..|x",     "-"},
    {"..",                     K::kRelative, true,  "..",                  "S"},
    {"a/./../b",               K::kRelative, true,  "a|..|b",              "S/Data/b"},
    // UNC: any two leading separators (Windows' reading of the raw name).
    {"\\\\host\\share\\x",     K::kUnc,      false, "host|share|x",        "-"},
    {"//host/share/x",         K::kUnc,      false, "host|share|x",        "-"},
    {"\\/host/x",              K::kUnc,      false, "host|x",              "-"},
    {"/\\host\\x",             K::kUnc,      false, "host|x",              "-"},
    {"\\\\?\\C:\\x",           K::kUnc,      false, "?|C:|x",              "-"},
    {"///x",                   K::kUnc,      false, "x",                   "-"},
    // Drive: a second byte ':' (FileIsFullPath on Windows: any first byte).
    {"C:\\Windows\\win.ini",   K::kDrive,    false, "Windows|win.ini",     "-"},
    {"c:/x",                   K::kDrive,    false, "x",                   "-"},
    {"C:x",                    K::kDrive,    false, "x",                   "-"},
    {"1:x",                    K::kDrive,    false, "x",                   "-"},
    {"a:b",                    K::kDrive,    false, "b",                   "-"},
    {"C:",                     K::kDrive,    false, "",                    "-"},
    // Absolute: one leading separator.
    {"/etc/passwd",            K::kAbsolute, false, "etc|passwd",          "-"},
    {"\\Windows\\x",           K::kAbsolute, false, "Windows|x",           "-"},
    {"/",                      K::kAbsolute, false, "",                    "-"},
    {"/../x",                  K::kAbsolute, true,  "..|x",                "-"},
    // Home: a leading '~' (FileIsFullPath and SplitPathRootComponent on Linux/macOS).
    {"~/.ssh/id_rsa",          K::kHome,     false, ".ssh|id_rsa",         "-"},
    {"~root/x",                K::kHome,     false, "x",                   "-"},
    {"~",                      K::kHome,     false, "",                    "-"},
    // Schemes, in IsFilePathRelative's order: slicer: first, then "://".
    {"slicer:0x1234#vtkMRMLScalarVolumeNode1", K::kSlicerScheme, false, "slicer:0x1234#vtkMRMLScalarVolumeNode1", "-"},
    {"Slicer:0x1",             K::kSlicerScheme, false, "Slicer:0x1",      "-"},
    {"http://host/x.nrrd",     K::kUrl,      false, "http:|host|x.nrrd",   "-"},
    {"file:///etc/passwd",     K::kUrl,      false, "file:|etc|passwd",    "-"},
    {"//host://x",             K::kUrl,      false, "host:|x",             "-"},  // "://" first, as Slicer
    {"C://x",                  K::kUrl,      false, "C:|x",                "-"},  // IsRemoteReference: prefix "C"
};
// clang-format on

std::string Join(const std::vector<std::string_view>& parts) {
  std::string out;
  for (std::string_view p : parts) out += (out.empty() ? "" : "|") + std::string(p);
  return out;
}

TEST(SlicerPathTest, Table) {
  for (const Row& row : kTable) {
    SCOPED_TRACE(std::string("path \"") + std::string(row.path) + "\"");
    PathReading r = ReadSlicerPath(row.path);
    EXPECT_EQ(r.kind, row.kind);
    EXPECT_EQ(r.climbs, row.climbs);
    // The URL and scheme kinds have no anchor: their components start at byte 0.
    EXPECT_EQ(Join(r.components), row.components);
    std::optional<std::string> resolved = ResolveLexically("S/Data", r);
    EXPECT_EQ(resolved.value_or("-"), row.resolved);
    EXPECT_EQ(DescribeKind(r.kind).empty(), row.kind == K::kRelative);
  }
}

TEST(SlicerPathTest, FlagsAndLevels) {
  EXPECT_TRUE(ReadSlicerPath(std::string_view("a\0b", 3)).has_nul);
  EXPECT_FALSE(ReadSlicerPath("a/b").has_nul);
  EXPECT_TRUE(ReadSlicerPath("a\\b").has_backslash);
  EXPECT_TRUE(ReadSlicerPath("a//b").redundant);
  EXPECT_TRUE(ReadSlicerPath("./a").redundant);
  EXPECT_FALSE(ReadSlicerPath("dir/").redundant);  // a directory entry's one trailing '/'
  EXPECT_FALSE(ReadSlicerPath("/a").redundant);
  EXPECT_TRUE(ReadSlicerPath("///a").redundant);
  EXPECT_EQ(ReadSlicerPath("a/../..").levels_above, 1u);
  EXPECT_EQ(ReadSlicerPath("../../x/..").levels_above, 2u);
  EXPECT_EQ(ReadSlicerPath("a/b/../c").levels_above, 0u);
  EXPECT_TRUE(ReadSlicerPath("a/b/../c").climbs);
}

TEST(SlicerPathTest, LocalAnchors) {
  EXPECT_TRUE(IsAnchoredLocally(K::kAbsolute));
  EXPECT_TRUE(IsAnchoredLocally(K::kDrive));
  EXPECT_TRUE(IsAnchoredLocally(K::kHome));
  EXPECT_FALSE(IsAnchoredLocally(K::kRelative));
  EXPECT_FALSE(IsAnchoredLocally(K::kUnc));
  EXPECT_FALSE(IsAnchoredLocally(K::kUrl));
  EXPECT_FALSE(IsAnchoredLocally(K::kSlicerScheme));
}

TEST(SlicerPathTest, ResolveAgainstBases) {
  EXPECT_EQ(ResolveLexically("", ReadSlicerPath("a.nrrd")), "a.nrrd");
  EXPECT_EQ(ResolveLexically("", ReadSlicerPath("../a.nrrd")), std::nullopt);
  EXPECT_EQ(ResolveLexically("", ReadSlicerPath("a/..")), "");
  EXPECT_EQ(ResolveLexically("./S//D/", ReadSlicerPath("x")), "S/D/x");
  EXPECT_EQ(ResolveLexically("S/../..", ReadSlicerPath("x")), std::nullopt);  // the base itself leaves
  EXPECT_EQ(ResolveLexically("S/D/../E", PathReading{}), "S/E");                // normalises a name
}

TEST(SlicerPathTest, BaseNameAndFolder) {
  EXPECT_EQ(BaseName("a/b/c.mrml"), "c.mrml");
  EXPECT_EQ(BaseName("c.mrml"), "c.mrml");
  EXPECT_EQ(BaseName("a\\c.mrml"), "a\\c.mrml");  // a POSIX name or entry name: '\' is a byte
  EXPECT_EQ(BaseName("a/"), "");
  EXPECT_EQ(FolderOf("a/b/c.mrml"), "a/b");
  EXPECT_EQ(FolderOf("c.mrml"), "");
  EXPECT_EQ(FolderOf("/c.mrml"), "");
  EXPECT_EQ(SlicerBaseName("a\\b/c\\d.nrrd"), "d.nrrd");
  EXPECT_EQ(SlicerBaseName("d.nrrd"), "d.nrrd");
}

}  // namespace
}  // namespace mrmlguard::internal::text
