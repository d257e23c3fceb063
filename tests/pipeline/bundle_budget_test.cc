// SPDX-License-Identifier: BSD-3-Clause
// Bundle budgets through the whole pipeline (issue 13): what the central
// directory declares is judged before any entry is inflated. The entries'
// data below is not deflate (block type 3 is reserved), so a single inflated
// byte would add zip.deflate-invalid, and Report::stats.bytes_inflated counts
// what StreamEntry produced.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mrmlguard/validate.h"
#include "support/zip_builder.h"

namespace mrmlguard {
namespace {

using test_support::EntryOptions;
using test_support::ZipBuilder;

std::vector<std::string> Ids(const Report& r) {
  std::vector<std::string> ids;
  for (const Finding& f : r.findings) ids.emplace_back(f.rule_id);
  return ids;
}

std::string Dump(const Report& r) {
  std::string out;
  for (const Finding& f : r.findings) out += std::string(f.rule_id) + " @" + f.location.entry + ": " + f.message + "\n";
  return out;
}

// The compressed size a local header of `zip` declares for entry `name`.
uint64_t CompressedSize(const std::vector<uint8_t>& zip, const std::string& name) {
  auto u16 = [&](size_t at) { return static_cast<uint64_t>(zip.at(at) | zip.at(at + 1) << 8); };
  for (size_t at = 0; at + 30 <= zip.size(); ++at) {
    if (zip[at] != 'P' || zip[at + 1] != 'K' || zip[at + 2] != 3 || zip[at + 3] != 4) continue;
    if (std::string(zip.begin() + static_cast<std::ptrdiff_t>(at + 30),
                    zip.begin() + static_cast<std::ptrdiff_t>(at + 30 + u16(at + 26))) == name) {
      return u16(at + 18) | u16(at + 20) << 16;
    }
  }
  ADD_FAILURE() << "no entry " << name;
  return 0;
}

const char kScene[] = "<MRML version=\"Slicer4.4.0\">\n</MRML>\n";

// An entry that declares `declared` uncompressed bytes from `compressed`
// bytes that are not a deflate stream.
EntryOptions Declares(uint32_t declared, uint32_t compressed) {
  EntryOptions o;
  o.method = 8;
  o.slicer_extras = true;
  o.local_crc = o.central_crc = 0;
  o.local_compressed = o.central_compressed = compressed;
  o.local_uncompressed = o.central_uncompressed = declared;
  o.raw_data = std::string(compressed, '\xff');
  return o;
}

// Issue 13: 24 deflated entries of 1 GiB each, every one under the ratio
// limit (1 GiB from 1.1 MB is about 976:1), 24 GiB declared in all against
// the 16 GiB default budget. Refused on the declared total; nothing inflated.
TEST(BundleBudgetTest, DeclaredTotalOverBudgetIsRefusedBeforeInflating) {
  const uint32_t gib = 1u << 30;
  const uint32_t compressed = 1100 * 1000;
  ZipBuilder b;
  b.Directory("Bomb/").Entry("Bomb/Bomb.mrml", kScene);
  for (int i = 0; i < 24; ++i) b.Entry("Bomb/Data/part" + std::to_string(i) + ".raw", "", Declares(gib, compressed));
  Report r = ValidateBytes(b.Build(), "Bomb.mrb", Policy::Default());
  EXPECT_FALSE(r.accepted());
  ASSERT_EQ(Ids(r), std::vector<std::string>{"zip.limit-exceeded"}) << Dump(r);
  EXPECT_EQ(r.findings[0].limit, "max_total_uncompressed_bytes");
  EXPECT_EQ(r.stats.bytes_inflated, 0u);  // not even the scene
}

// Every scene entry of a bundle is parsed, so their declared sizes together
// are bounded (max_total_scene_bytes) before any is inflated: many scenes
// each under max_scene_bytes cannot add up to gigabytes of XML to parse.
TEST(BundleBudgetTest, SceneEntriesTogetherAreBoundedBeforeParsing) {
  const std::string scene = std::string(kScene) + std::string(1000, ' ');
  ZipBuilder b;
  b.Directory("S/").Entry("S/S.mrml", scene);  // the main scene; the others sit deeper
  for (int i = 1; i < 4; ++i) b.Entry("S/d" + std::to_string(i) + "/s.mrml", scene);
  const std::vector<uint8_t> zip = b.Build();
  Policy p = Policy::Default();
  p.limits.max_total_scene_bytes = 4 * scene.size();
  Report at = ValidateBytes(zip, "S.mrb", p);
  EXPECT_TRUE(at.accepted()) << Dump(at);
  p.limits.max_total_scene_bytes = 4 * scene.size() - 1;
  Report over = ValidateBytes(zip, "S.mrb", p);
  EXPECT_FALSE(over.accepted());
  ASSERT_EQ(Ids(over), std::vector<std::string>{"xml.limit-exceeded"}) << Dump(over);
  EXPECT_EQ(over.findings[0].limit, "max_total_scene_bytes");
  EXPECT_EQ(over.stats.bytes_inflated, 0u);  // refused from the declared sizes
}

TEST(BundleBudgetTest, NestedBundleScenesCountWithTheOuterScenes) {
  const std::string scene = std::string(kScene) + std::string(1000, ' ');
  std::vector<uint8_t> inner = ZipBuilder().Directory("In/").Entry("In/In.mrml", scene).Build();
  ZipBuilder b;
  b.Directory("S/").Entry("S/S.mrml", scene).Entry("S/In.seq.mrb", std::string(inner.begin(), inner.end()));
  const std::vector<uint8_t> zip = b.Build();
  Policy p = Policy::Default();
  p.limits.max_total_scene_bytes = 2 * scene.size();
  Report at = ValidateBytes(zip, "S.mrb", p);
  EXPECT_TRUE(at.accepted()) << Dump(at);
  p.limits.max_total_scene_bytes = 2 * scene.size() - 1;
  Report over = ValidateBytes(zip, "S.mrb", p);
  ASSERT_EQ(Ids(over), std::vector<std::string>{"xml.limit-exceeded"}) << Dump(over);
  EXPECT_EQ(over.findings[0].limit, "max_total_scene_bytes");
  EXPECT_EQ(over.findings[0].location.entry, "S/In.seq.mrb");
}

// What the check inflates to judge content (scenes, data-file headers,
// whole text files, nested bundles) is budgeted from the declared sizes
// before each entry: a bundle of a few MB can otherwise ask for gigabytes of
// headers at up to max_compression_ratio. The budget grows with the bundle,
// so large real bundles are not refused by it.
TEST(BundleBudgetTest, InspectedBytesAreBudgetedBeforeEachEntry) {
  const std::string nrrd = "NRRD0004\ntype: uchar\ndimension: 1\nsizes: 4\nencoding: raw\n\nabcd";
  std::string scene = "<MRML version=\"Slicer 5.8.1 33241\">\n";
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    scene += " <Volume id=\"v" + n + "\" name=\"v\" storageNodeRef=\"s" + n + "\"></Volume>"
             "<VolumeArchetypeStorage id=\"s" + n + "\" name=\"s\" fileName=\"Data/v" + n +
             ".nrrd\"></VolumeArchetypeStorage>\n";
  }
  scene += "</MRML>\n";
  ZipBuilder b;
  b.Directory("S/").Entry("S/S.mrml", scene);
  for (int i = 0; i < 3; ++i) b.Entry("S/Data/v" + std::to_string(i) + ".nrrd", nrrd);
  b.Entry("S/Data/unread.raw", std::string(5000, 'x'));  // named by no node: not inspected
  const std::vector<uint8_t> zip = b.Build();
  const uint64_t inspected = scene.size() + 3 * nrrd.size();
  Policy p = Policy::Default();
  p.limits.max_inspected_bytes = inspected;
  p.limits.max_inspected_bytes_per_input_byte = 0;
  Report at = ValidateBytes(zip, "S.mrb", p);
  EXPECT_TRUE(at.accepted()) << Dump(at);
  p.limits.max_inspected_bytes = inspected - 1;
  Report over = ValidateBytes(zip, "S.mrb", p);
  EXPECT_FALSE(over.accepted());
  ASSERT_EQ(Ids(over), std::vector<std::string>{"input.limit-exceeded"}) << Dump(over);
  EXPECT_EQ(over.findings[0].limit, "max_inspected_bytes");
  EXPECT_EQ(over.findings[0].location.entry, "S/Data/v2.nrrd");
  EXPECT_LT(over.stats.bytes_inflated, at.stats.bytes_inflated);  // the last header was never read
  // The budget is at least max_inspected_bytes_per_input_byte times the bundle.
  p.limits.max_inspected_bytes = 0;
  p.limits.max_inspected_bytes_per_input_byte = (inspected + zip.size() - 1) / zip.size();
  EXPECT_TRUE(ValidateBytes(zip, "S.mrb", p).accepted());
  p.limits.max_inspected_bytes_per_input_byte = 0;
  EXPECT_EQ(Ids(ValidateBytes(zip, "S.mrb", p)), std::vector<std::string>{"input.limit-exceeded"});
}

// What a parser then reads of inflated bytes costs far more than their
// inflation, so a deflated scene counts its bytes 12 times (kSceneWeight):
// a 2 MB bundle cannot ask for a 64 MB parse. A stored scene in the
// bundle given costs what a plain scene file of its size costs, and counts
// once.
TEST(BundleBudgetTest, ParsedBytesCountMoreWhenInflated) {
  std::string scene = "<MRML version=\"Slicer 5.8.1 33241\">\n";
  for (int i = 0; i < 40; ++i) {
    scene += " <Selection id=\"vtkMRMLSelectionNode" + std::to_string(i) + "\"></Selection>\n";
  }
  scene += "</MRML>\n";
  const std::vector<uint8_t> stored = ZipBuilder().Directory("S/").Entry("S/S.mrml", scene).Build();
  const std::vector<uint8_t> deflated = ZipBuilder().Directory("S/").Entry("S/S.mrml", scene, {.method = 8}).Build();
  Policy p = Policy::Default();
  p.limits.max_inspected_bytes_per_input_byte = 0;
  p.limits.max_inspected_bytes = scene.size();
  Report once = ValidateBytes(stored, "S.mrb", p);
  EXPECT_TRUE(once.accepted()) << Dump(once);
  Report inflated = ValidateBytes(deflated, "S.mrb", p);
  ASSERT_EQ(Ids(inflated), std::vector<std::string>{"input.limit-exceeded"}) << Dump(inflated);
  EXPECT_EQ(inflated.findings[0].limit, "max_inspected_bytes");
  EXPECT_EQ(inflated.findings[0].location.entry, "S/S.mrml");
  EXPECT_NE(inflated.findings[0].message.find("counted as " + std::to_string(12 * scene.size())), std::string::npos)
      << inflated.findings[0].message;
  EXPECT_EQ(inflated.stats.bytes_inflated, 0u);  // refused from its declared size
  p.limits.max_inspected_bytes = 12 * scene.size();
  Report at = ValidateBytes(deflated, "S.mrb", p);
  EXPECT_TRUE(at.accepted()) << Dump(at);
  p.limits.max_inspected_bytes = 12 * scene.size() - 1;
  EXPECT_EQ(Ids(ValidateBytes(deflated, "S.mrb", p)), std::vector<std::string>{"input.limit-exceeded"});
}

// The same for a JSON file a node reads whole (3 times: kTextWeight), and
// for the bytes a nested bundle's compression hid: its entries are measured
// again once inflated (4 times: kNestedWeight). Honest nested bundles (.seq.mrb) hold compressed data
// that the outer bundle cannot compress again, and hide nearly nothing.
TEST(BundleBudgetTest, WholeJsonFilesAndNestedBundlesCountMoreWhenInflated) {
  const std::string json =
      "{\"@schema\": \"https://raw.githubusercontent.com/slicer/slicer/master/Modules/Loadable/Markups/Resources/"
      "Schema/markups-schema-v1.0.3.json#\", \"markups\": [{\"type\": \"Fiducial\", \"coordinateSystem\": \"LPS\", "
      "\"controlPoints\": []}]}\n" +
      std::string(2000, ' ');
  const std::string scene =
      "<MRML version=\"Slicer 5.8.1 33241\">\n <MarkupsFiducial id=\"m\" name=\"m\" storageNodeRef=\"s\">"
      "</MarkupsFiducial><MarkupsJsonStorage id=\"s\" name=\"s\" fileName=\"Data/F.mrk.json\">"
      "</MarkupsJsonStorage>\n</MRML>\n";
  Policy p = Policy::Default();
  p.limits.max_inspected_bytes_per_input_byte = 0;
  p.limits.max_inspected_bytes = scene.size() + json.size();
  const std::vector<uint8_t> stored =
      ZipBuilder().Directory("S/").Entry("S/S.mrml", scene).Entry("S/Data/F.mrk.json", json).Build();
  Report once = ValidateBytes(stored, "S.mrb", p);
  EXPECT_TRUE(once.accepted()) << Dump(once);
  const std::vector<uint8_t> deflated =
      ZipBuilder().Directory("S/").Entry("S/S.mrml", scene).Entry("S/Data/F.mrk.json", json, {.method = 8}).Build();
  Report inflated = ValidateBytes(deflated, "S.mrb", p);
  ASSERT_EQ(Ids(inflated), std::vector<std::string>{"input.limit-exceeded"}) << Dump(inflated);
  EXPECT_EQ(inflated.findings[0].location.entry, "S/Data/F.mrk.json");
  p.limits.max_inspected_bytes = scene.size() + 3 * json.size();
  EXPECT_TRUE(ValidateBytes(deflated, "S.mrb", p).accepted());
  p.limits.max_inspected_bytes = scene.size() + 3 * json.size() - 1;
  EXPECT_EQ(Ids(ValidateBytes(deflated, "S.mrb", p)), std::vector<std::string>{"input.limit-exceeded"});
  p.limits.max_inspected_bytes = scene.size() + 3 * json.size();
  EXPECT_TRUE(ValidateBytes(deflated, "S.mrb", p).accepted());

  // A nested bundle of a small scene and 64 KiB of one repeated byte.
  const std::vector<uint8_t> inner =
      ZipBuilder().Directory("In/").Entry("In/In.mrml", kScene).Entry("In/pad.raw", std::string(64 << 10, 'x')).Build();
  const std::string nested(inner.begin(), inner.end());
  const uint64_t plain = (sizeof kScene - 1) + nested.size() + (sizeof kScene - 1);  // outer scene, nested, its scene
  p.limits.max_inspected_bytes = plain;
  const std::vector<uint8_t> kept =
      ZipBuilder().Directory("S/").Entry("S/S.mrml", kScene).Entry("S/In.seq.mrb", nested).Build();
  Report as_is = ValidateBytes(kept, "S.mrb", p);
  EXPECT_TRUE(as_is.accepted()) << Dump(as_is);
  p.limits.max_inspected_bytes = plain - 1;
  EXPECT_EQ(Ids(ValidateBytes(kept, "S.mrb", p)), std::vector<std::string>{"input.limit-exceeded"});
  p.limits.max_inspected_bytes = plain;
  const std::vector<uint8_t> hidden =
      ZipBuilder().Directory("S/").Entry("S/S.mrml", kScene).Entry("S/In.seq.mrb", nested, {.method = 8}).Build();
  Report bomb = ValidateBytes(hidden, "S.mrb", p);
  ASSERT_EQ(Ids(bomb), std::vector<std::string>{"input.limit-exceeded"}) << Dump(bomb);
  EXPECT_EQ(bomb.findings[0].location.entry, "S/In.seq.mrb");
  // Its compression hid all but its compressed bytes: they count three
  // more times, and the scene inside it, inflated with it, twelve times.
  const uint64_t exact =
      plain + 3 * (nested.size() - CompressedSize(hidden, "S/In.seq.mrb")) + 11 * (sizeof kScene - 1);
  p.limits.max_inspected_bytes = exact;
  Report fits = ValidateBytes(hidden, "S.mrb", p);
  EXPECT_TRUE(fits.accepted()) << Dump(fits);
  p.limits.max_inspected_bytes = exact - 1;
  Report short_by_one = ValidateBytes(hidden, "S.mrb", p);
  ASSERT_EQ(Ids(short_by_one), std::vector<std::string>{"input.limit-exceeded"}) << Dump(short_by_one);
  EXPECT_EQ(short_by_one.findings[0].location.entry, "S/In.seq.mrb!In/In.mrml");
}

TEST(BundleBudgetTest, DeclaredRatioOverLimitIsNotInflated) {
  // 2 MiB declared from 1000 bytes (about 2097:1) next to a sound scene: the
  // bomb entry is refused on its declared ratio and skipped; the rest of the
  // bundle is still checked.
  ZipBuilder b;
  b.Directory("S/").Entry("S/S.mrml", kScene, {.method = 8}).Entry("S/bomb.raw", "", Declares(2u << 20, 1000));
  Report r = ValidateBytes(b.Build(), "S.mrb", Policy::Default());
  ASSERT_EQ(Ids(r), std::vector<std::string>{"zip.ratio"}) << Dump(r);
  EXPECT_EQ(r.findings[0].limit, "max_compression_ratio");
  EXPECT_EQ(r.stats.bytes_inflated, sizeof kScene - 1);  // the scene only
}

TEST(BundleBudgetTest, DeclaredEntrySizeOverLimitIsNotInflated) {
  Policy p = Policy::Default();
  p.limits.max_entry_uncompressed_bytes = 1u << 20;
  ZipBuilder b;
  b.Directory("S/").Entry("S/S.mrml", kScene).Entry("S/big.raw", "", Declares(2u << 20, 1u << 20));
  Report r = ValidateBytes(b.Build(), "S.mrb", p);
  ASSERT_EQ(Ids(r), std::vector<std::string>{"zip.limit-exceeded"}) << Dump(r);
  EXPECT_EQ(r.findings[0].limit, "max_entry_uncompressed_bytes");
  EXPECT_EQ(r.stats.bytes_inflated, sizeof kScene - 1);
}

TEST(BundleBudgetTest, NestedBundleCountsAgainstTheOuterDeclaredTotal) {
  // Outer and nested declarations are each under the budget, their sum is
  // not: the nested bundle is refused when audited, before its entries are
  // inflated (its data entry is not deflate either).
  Policy p = Policy::Default();
  p.limits.max_total_uncompressed_bytes = 3u << 20;
  std::vector<uint8_t> inner = ZipBuilder()
                                   .Directory("In/")
                                   .Entry("In/In.mrml", kScene)
                                   .Entry("In/a.raw", "", Declares(2u << 20, 1u << 20))
                                   .Build();
  std::string nested(inner.begin(), inner.end());
  ZipBuilder b;
  b.Directory("S/")
      .Entry("S/S.mrml", kScene)
      .Entry("S/In.seq.mrb", nested)
      .Entry("S/pad.raw", std::string(1u << 20, 'x'));
  Report r = ValidateBytes(b.Build(), "S.mrb", p);
  ASSERT_EQ(Ids(r), std::vector<std::string>{"zip.limit-exceeded"}) << Dump(r);
  EXPECT_EQ(r.findings[0].limit, "max_total_uncompressed_bytes");
  EXPECT_EQ(r.findings[0].location.entry, "S/In.seq.mrb");
  // The outer entries were streamed; nothing of the nested one.
  EXPECT_EQ(r.stats.bytes_inflated, (sizeof kScene - 1) + nested.size() + (1u << 20));
}

TEST(BundleBudgetTest, SceneOverMaxSceneBytesIsRefusedFromItsDeclaredSize) {
  Policy p = Policy::Default();
  p.limits.max_scene_bytes = 1u << 20;
  ZipBuilder b;
  b.Directory("S/").Entry("S/S.mrml", "", Declares(2u << 20, 1u << 20)).Entry("S/a.txt", "abc");
  Report r = ValidateBytes(b.Build(), "S.mrb", p);
  ASSERT_EQ(Ids(r), std::vector<std::string>{"xml.limit-exceeded"}) << Dump(r);
  EXPECT_EQ(r.findings[0].limit, "max_scene_bytes");
  EXPECT_EQ(r.findings[0].location.entry, "S/S.mrml");
  EXPECT_EQ(r.stats.bytes_inflated, 3u);  // a.txt only
}

TEST(BundleBudgetTest, NestedBundleOverItsLimitIsRefusedFromItsDeclaredSize) {
  Policy p = Policy::Default();
  p.limits.max_nested_bundle_bytes = 1u << 20;
  ZipBuilder b;
  b.Directory("S/").Entry("S/S.mrml", kScene).Entry("S/In.seq.mrb", "", Declares(2u << 20, 1u << 20));
  Report r = ValidateBytes(b.Build(), "S.mrb", p);
  ASSERT_EQ(Ids(r), std::vector<std::string>{"zip.limit-exceeded"}) << Dump(r);
  EXPECT_EQ(r.findings[0].limit, "max_nested_bundle_bytes");
  EXPECT_EQ(r.findings[0].location.entry, "S/In.seq.mrb");
  EXPECT_EQ(r.stats.bytes_inflated, sizeof kScene - 1);
}

}  // namespace
}  // namespace mrmlguard
