// SPDX-License-Identifier: BSD-3-Clause
// Pass 1 (AuditZip): one crafted archive per rule, asserting the exact rule
// id (and the offset where it matters). The layouts come from ZipBuilder
// (tests/support/zip_builder.h); the ZipDiff type each closes is named.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/zip_builder.h"
#include "zip/libzip_check.h"
#include "zip_test_util.h"

namespace mrmlguard::internal {
namespace {

using test_support::EntryOptions;
using test_support::ExtraField;
using test_support::Le16;
using test_support::Le32;
using test_support::ZipBuilder;

constexpr const char* kScene = "<MRML version=\"Slicer4.4.0\">\n</MRML>\n";

// What Slicer's writer produces: a folder entry, the scene and data with
// descriptors (signed), UT/ux extras.
ZipBuilder SlicerLike(uint16_t method = 8) {
  ZipBuilder b;
  b.Directory("Scene/")
      .Entry("Scene/Scene.mrml", kScene, {.method = method, .data_descriptor = true})
      .Directory("Scene/Data/")
      .Entry("Scene/Data/a.txt", std::string(5000, 'a'), {.method = method, .data_descriptor = true});
  return b;
}

Policy NoLibzip() { return Policy::Default(); }
AuditOptions Own() { return AuditOptions{.libzip_second_opinion = false}; }

// The exact layout: LFH(30) + name + 32 bytes of UT/ux extras + data.
uint64_t LocalSpan(const std::string& name, size_t data) { return 30 + name.size() + 32 + data; }

TEST(ZipAuditTest, SlicerLikeBundlesPassWithLibzipAgreeing) {
  for (uint16_t method : {uint16_t{0}, uint16_t{8}}) {
    AuditResult r = AuditAndStream(SlicerLike(method).Build());
    EXPECT_TRUE(r.dir.structure_ok);
    EXPECT_TRUE(r.findings.empty()) << r.Dump();
    ASSERT_EQ(r.dir.entries.size(), 4u);
    EXPECT_TRUE(r.dir.entries[0].is_directory);
    EXPECT_EQ(r.dir.entries[1].name, "Scene/Scene.mrml");
    EXPECT_EQ(r.dir.entries[3].declared_size, 5000u);
  }
}

TEST(ZipAuditTest, DescriptorVariantsAreAccepted) {
  // (libzip 1.7.3 ZIP_CHECKCONS refuses the kept sizes; see libzip_check.h.)
  // Unsigned descriptor; libarchive-style stored entry with sizes kept in the LFH.
  AuditResult r = AuditAndStream(ZipBuilder()
                                     .Entry("S/S.mrml", kScene, {.data_descriptor = true, .dd_signature = false})
                                     .Entry("S/b", "bbbb", {.data_descriptor = true, .dd_keep_local_sizes = true})
                                     .Entry("S/c", "cccc", {.slicer_extras = false})
                                     .Build());
  EXPECT_TRUE(r.findings.empty()) << r.Dump();
}

TEST(ZipAuditTest, EmptyArchiveIsStructurallySound) {
  AuditResult r = Audit(ZipBuilder().Build());
  EXPECT_TRUE(r.dir.structure_ok);
  EXPECT_TRUE(r.findings.empty()) << r.Dump();
}

// --- EOCD (ZipDiff c2, c3, c5) ---

TEST(ZipAuditTest, NoEocd) {
  std::vector<uint8_t> z = {'P', 'K', 3, 4};
  z.resize(100, 'x');
  AuditResult r = Audit(z);
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.eocd.missing"});
  EXPECT_FALSE(r.dir.structure_ok);
}

TEST(ZipAuditTest, TinyFile) {
  AuditResult r = Audit({'P', 'K', 3, 4, 0});
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.eocd.missing"});
}

TEST(ZipAuditTest, ArchiveComment) {
  std::vector<uint8_t> z = SlicerLike().Comment("hello").Build();
  AuditResult r = Audit(z);
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.eocd.comment"});
  EXPECT_EQ(*r.findings[0].location.offset, z.size() - 22 - 5);
}

TEST(ZipAuditTest, DeclaredCommentWithoutBytes) {
  AuditResult r = Audit(SlicerLike().EocdCommentLength(7).Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.eocd.comment"});
}

TEST(ZipAuditTest, TrailingData) {
  std::vector<uint8_t> z = SlicerLike().Append("trailing").Build();
  AuditResult r = Audit(z);
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.trailing-data"});
  EXPECT_EQ(*r.findings[0].location.offset, z.size() - 8);
}

TEST(ZipAuditTest, EocdCopyInsideEntryDataIsNotACandidate) {
  // An EOCD in entry data lies before the directory it names, so no reader
  // can take it (a stored nested .seq.mrb looks like this); the entry data
  // is not a second directory.
  AuditResult r = Audit(ZipBuilder().Entry("S/S.mrml", kScene).Entry("S/x", "").EocdCopyInLastEntry().Build());
  EXPECT_TRUE(r.findings.empty()) << r.Dump();
}

TEST(ZipAuditTest, SecondEocdInsideDirectory) {
  // c2: a second, viable EOCD hidden in the 24 time bytes of an NTFS extra
  // field of the central directory; it names the real directory (offset 66)
  // with one entry's worth of bytes. libzip 1.7.3 weighs every candidate.
  std::string fake = Le32(0x06054b50) + Le16(0) + Le16(0) + Le16(1) + Le16(1) + Le32(46) + Le32(66) + Le16(0);
  std::string ntfs = ExtraField(0x000a, Le32(0) + Le16(1) + Le16(24) + fake + "tt");
  std::vector<uint8_t> z = ZipBuilder().Entry("S/a", "x", {.central_extra = ntfs}).Build();
  ASSERT_EQ(LocalSpan("S/a", 1), 66u);
  AuditResult r = Audit(z);
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.eocd.multiple"}) << r.Dump();
  EXPECT_EQ(*r.findings[0].location.offset, 66u + 46 + 3 + 32 + 12);
  EXPECT_FALSE(r.dir.structure_ok);
}

TEST(ZipAuditTest, EocdCountsDisagree) {
  EXPECT_EQ(Audit(SlicerLike().EocdCounts(3, 4).Build()).Ids(), std::vector<std::string>{"zip.eocd.inconsistent"});
}

TEST(ZipAuditTest, EocdCountTooSmallLeavesDirectoryBytes) {
  // c3: the EOCD says 3 entries, the directory holds 4.
  EXPECT_EQ(Audit(SlicerLike().EocdCounts(3, 3).Build()).Ids(), std::vector<std::string>{"zip.eocd.inconsistent"});
}

TEST(ZipAuditTest, EocdCountTooLarge) {
  EXPECT_EQ(Audit(SlicerLike().EocdCounts(9, 9).Build()).Ids(), std::vector<std::string>{"zip.eocd.inconsistent"});
}

TEST(ZipAuditTest, MultiDisk) {
  EXPECT_EQ(Audit(SlicerLike().EocdDisks(1, 1).Build()).Ids(), std::vector<std::string>{"zip.eocd.inconsistent"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/S.mrml", kScene, {.central_disk = 2}).Build()).Ids(),
            std::vector<std::string>{"zip.eocd.inconsistent"});
}

TEST(ZipAuditTest, CentralHeaderRunsPastDirectory) {
  // Two declared entries, one present: the second header would start at the
  // end of the directory.
  std::string name(60, 'n');
  AuditResult r = Audit(ZipBuilder().Entry(name, "x").EocdCounts(2, 2).Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.truncated"}) << r.Dump();
}

TEST(ZipAuditTest, Zip64LocatorWithoutNeed) {
  EXPECT_EQ(Audit(SlicerLike().Zip64Eocd(/*saturate=*/false).Build()).Ids(),
            std::vector<std::string>{"zip.zip64.invalid"});
}

TEST(ZipAuditTest, Zip64EocdWithSmallValues) {
  // c5: the 32-bit EOCD is saturated but the ZIP64 values would have fit.
  EXPECT_EQ(Audit(SlicerLike().Zip64Eocd(/*saturate=*/true).Build()).Ids(),
            std::vector<std::string>{"zip.zip64.invalid"});
}

TEST(ZipAuditTest, Zip64LocatorPointsElsewhere) {
  EXPECT_EQ(Audit(SlicerLike().Zip64Eocd(true).Zip64LocatorOffset(3).Build()).Ids(),
            std::vector<std::string>{"zip.zip64.invalid"});
}

TEST(ZipAuditTest, SaturatedEocdWithoutZip64Records) {
  EXPECT_EQ(Audit(SlicerLike().EocdDirectoryOffset(0xFFFFFFFFu).Build()).Ids(),
            std::vector<std::string>{"zip.zip64.invalid"});
}

TEST(ZipAuditTest, Zip64ExtraForSmallEntry) {
  // a2: ZIP64 sizes that fit in 32 bits.
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/S.mrml", kScene, {.zip64 = true}).Build()).Ids(),
            std::vector<std::string>{"zip.zip64.invalid"});
}

TEST(ZipAuditTest, Zip64ExtraWithoutSaturatedField) {
  AuditResult r = Audit(ZipBuilder()
                            .Entry("S/S.mrml", kScene, {.central_extra = ExtraField(0x0001, std::string(8, '\0'))})
                            .Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.zip64.invalid"});
}

// --- layout: prepended, gaps, overlaps (c1, c4, Fifield) ---

TEST(ZipAuditTest, PrependedStubWithAdjustedOffsets) {
  AuditResult r = Audit(SlicerLike().Prepend("MZ self-extractor stub").Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.prepended-data"});
  EXPECT_EQ(*r.findings[0].location.offset, 0u);
}

TEST(ZipAuditTest, PrependedLocalHeaderWithUnadjustedOffsets) {
  // c4: libarchive shifts offsets by the difference, libzip refuses.
  std::string other = ZipBuilder().Entry("x", "y").BuildString();
  AuditResult r = Audit(SlicerLike().Prepend(other.substr(0, 40)).PrependUnadjusted().Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.prepended-data"}) << r.Dump();
}

TEST(ZipAuditTest, GapBetweenEntries) {
  // c1: bytes no directory entry accounts for (a hidden local header, say).
  std::string hidden = ZipBuilder().Entry("hidden.py", "import os").BuildString().substr(0, 60);
  AuditResult r = Audit(ZipBuilder().Entry("S/a", "a").Entry("S/b", "b", {.gap_before = hidden}).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.gap"});
  EXPECT_EQ(*r.findings[0].location.offset, LocalSpan("S/a", 1));
}

TEST(ZipAuditTest, GapBeforeDirectory) {
  std::vector<uint8_t> z = ZipBuilder().Entry("S/a", "a").GapBeforeDirectory("junk").Build();
  AuditResult r = Audit(z);
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.gap"});
  EXPECT_EQ(*r.findings[0].location.offset, LocalSpan("S/a", 1));
}

TEST(ZipAuditTest, GapBetweenDirectoryAndEocd) {
  // libzip 1.7.3 misses this one even with ZIP_CHECKCONS (finding 5).
  EXPECT_EQ(Audit(SlicerLike().GapBeforeEocd("junk").Build()).Ids(), std::vector<std::string>{"zip.gap"});
}

TEST(ZipAuditTest, FullOverlapBomb) {
  // Fifield: two central headers point at the same local header.
  AuditResult r = Audit(ZipBuilder().Entry("S/a", "aaaa").Entry("S/a2", "aaaa", {.central_offset = 0}).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.overlap"});
  EXPECT_EQ(*r.findings[0].location.offset, 0u);
}

TEST(ZipAuditTest, DataRunsIntoDirectory) {
  AuditResult r = Audit(ZipBuilder()
                            .Entry("S/a", "aaaa", {.local_compressed = 4000, .local_uncompressed = 4000,
                                                   .central_compressed = 4000, .central_uncompressed = 4000})
                            .Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.overlap"}) << r.Dump();
}

TEST(ZipAuditTest, LocalHeaderNotWhereDirectorySays) {
  // The directory points into garbage that sits exactly at the walk position.
  AuditResult r = Audit(ZipBuilder()
                            .Entry("S/a", "a")
                            .Entry("S/b", "b", {.central_offset = static_cast<uint32_t>(LocalSpan("S/a", 1)),
                                                .gap_before = std::string(40, 'Z')})
                            .Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.bad-signature"}) << r.Dump();
  EXPECT_EQ(*r.findings[0].location.offset, LocalSpan("S/a", 1));
}

// --- local vs central header (a1, a2, a3, a5) ---

TEST(ZipAuditTest, LocalNameDiffers) {
  AuditResult r = Audit(ZipBuilder().Entry("S/cdh.txt", "x", {.local_name = "S/lfh.txt"}).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.header-mismatch"});
  EXPECT_EQ(*r.findings[0].location.offset, 30u);
}

TEST(ZipAuditTest, LocalMethodDiffers) {
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.local_method = 8}).Build()).Ids(),
            std::vector<std::string>{"zip.header-mismatch"});
}

TEST(ZipAuditTest, LocalFlagsDiffer) {
  // a5: encryption in the local header only.
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.local_flags = 1}).Build()).Ids(),
            std::vector<std::string>{"zip.header-mismatch"});
  // UTF-8 flag in one header only.
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.local_flags = 1u << 11}).Build()).Ids(),
            std::vector<std::string>{"zip.header-mismatch"});
}

TEST(ZipAuditTest, LocalSizesOrCrcDiffer) {
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "xyz", {.local_crc = 1}).Build()).Ids(),
            std::vector<std::string>{"zip.header-mismatch"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "xyz", {.local_uncompressed = 2}).Build()).Ids(),
            std::vector<std::string>{"zip.header-mismatch"});
  // With a descriptor, zero is allowed but another value is not.
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "xyz", {.data_descriptor = true, .local_compressed = 9}).Build()).Ids(),
            std::vector<std::string>{"zip.header-mismatch"});
}

TEST(ZipAuditTest, LocalTimeOrVersionDiffers) {
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.local_mtime = 1}).Build()).Ids(),
            std::vector<std::string>{"zip.header-mismatch"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.local_version_needed = 10}).Build()).Ids(),
            std::vector<std::string>{"zip.header-mismatch"});
}

TEST(ZipAuditTest, LocalZip64Only) {
  std::string z64 = ExtraField(0x0001, test_support::Le64(1) + test_support::Le64(1));
  AuditResult r = Audit(ZipBuilder()
                            .Entry("S/a", "x", {.local_compressed = 0xFFFFFFFFu, .local_uncompressed = 0xFFFFFFFFu,
                                                .local_extra = z64})
                            .Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.zip64.invalid"}) << r.Dump();
}

TEST(ZipAuditTest, DataDescriptorDisagrees) {
  std::vector<uint8_t> z = ZipBuilder().Entry("S/a", "xyz", {.data_descriptor = true, .dd_crc = 7}).Build();
  AuditResult r = Audit(z);
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.data-descriptor-mismatch"});
  EXPECT_EQ(*r.findings[0].location.offset, LocalSpan("S/a", 3));
  EXPECT_EQ(Audit(ZipBuilder()
                      .Entry("S/a", "xyz", {.data_descriptor = true, .dd_signature = false, .dd_uncompressed = 4})
                      .Build())
                .Ids(),
            std::vector<std::string>{"zip.data-descriptor-mismatch"});
}

TEST(ZipAuditTest, UnsignedDescriptorWhoseCrcIsTheSignature) {
  AuditResult r = Audit(ZipBuilder()
                            .Entry("S/a", "xyz", {.data_descriptor = true, .dd_signature = false,
                                                  .central_crc = 0x08074b50, .dd_crc = 0x08074b50})
                            .Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.data-descriptor-mismatch"}) << r.Dump();
  EXPECT_NE(r.findings[0].message.find("ambiguous"), std::string::npos);
}

TEST(ZipAuditTest, MissingDataDescriptor) {
  // Bit 3 set but nothing after the data: the directory follows.
  AuditResult r = Audit(ZipBuilder().Entry("S/a", "xyz", {.flags = 1u << 3}).Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.data-descriptor-mismatch"}) << r.Dump();
}

// --- extra fields (a2, a3) ---

TEST(ZipAuditTest, UnicodePathExtraRefused) {
  std::string up = ExtraField(0x7075, std::string("\x01", 1) + Le32(0) + "evil.py");
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.central_extra = up}).Build()).Ids(),
            std::vector<std::string>{"zip.extra-field"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.local_extra = up}).Build()).Ids(),
            std::vector<std::string>{"zip.extra-field"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.central_extra = ExtraField(0x6375, "c")}).Build()).Ids(),
            std::vector<std::string>{"zip.extra-field"});
}

TEST(ZipAuditTest, DuplicateUnknownAndMalformedExtras) {
  std::string ut = ExtraField(0x5455, std::string("\x01", 1) + Le32(5));
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.central_extra = ut}).Build()).Ids(),
            std::vector<std::string>{"zip.extra-field"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.central_extra = ExtraField(0xcafe, "")}).Build()).Ids(),
            std::vector<std::string>{"zip.extra-field"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.central_extra = Le16(0x000a) + Le16(40) + "ab"}).Build()).Ids(),
            std::vector<std::string>{"zip.extra-field"});
  // NTFS: only tag 1 (three times, 24 bytes); any other tag could carry anything.
  EXPECT_EQ(Audit(ZipBuilder()
                      .Entry("S/a", "x", {.central_extra = ExtraField(0x000a, Le32(0) + Le16(2) + Le16(3) + "abc")})
                      .Build())
                .Ids(),
            std::vector<std::string>{"zip.extra-field"});
  // ux with a wrong version; UT with a length that is not 1 + 4k.
  EXPECT_EQ(Audit(ZipBuilder()
                      .Entry("S/a", "x", {.slicer_extras = false, .central_extra = ExtraField(0x7875, "\x02\x00\x00")})
                      .Build())
                .Ids(),
            std::vector<std::string>{"zip.extra-field"});
  EXPECT_EQ(Audit(ZipBuilder()
                      .Entry("S/a", "x", {.slicer_extras = false, .local_extra = ExtraField(0x5455, "\x01xy")})
                      .Build())
                .Ids(),
            std::vector<std::string>{"zip.extra-field"});
}

// libarchive 3.0.4-3.1.2 (archive_write_zip_close, the central directory;
// Slicer's writer from 2012) put UT (flags 7, mtime only) and an empty "ux"
// in every central header, UT with three times and the full "ux" in the
// local header. Issue 18: such bundles are Slicer's own. The rest is that
// writer's too (archive_write_zip_header): bit 3 and a signed descriptor on
// every entry, a zero CRC in the local header, both sizes there for stored
// entries, only the uncompressed one for deflated ones.
EntryOptions OldLibarchive(EntryOptions o = {}) {
  const std::string ut_local = ExtraField(0x5455, std::string("\x07", 1) + Le32(1) + Le32(2) + Le32(3));
  const std::string ux_local = ExtraField(0x7875, std::string("\x01\x04", 2) + Le32(1000) + "\x04" + Le32(1000));
  o.slicer_extras = false;
  o.data_descriptor = true;
  o.dd_keep_local_sizes = true;
  if (o.method == 8) o.local_compressed = 0;
  o.local_extra = ut_local + ux_local;
  o.central_extra = ExtraField(0x5455, std::string("\x07", 1) + Le32(1)) + ExtraField(0x7875, "");
  return o;
}

TEST(ZipAuditTest, EmptyUxInTheCentralHeaderOfOldLibarchiveIsAccepted) {
  AuditResult r = Audit(ZipBuilder()
                            .Directory("Seq/", OldLibarchive())
                            .Entry("Seq/Seq.mrml", "<MRML/>", OldLibarchive({.method = 8}))
                            .Entry("Seq/Data/a.nrrd", std::string(100, 'a'), OldLibarchive())
                            .Build());
  EXPECT_TRUE(r.findings.empty()) << r.Dump();
  EXPECT_TRUE(r.dir.structure_ok);
  EXPECT_EQ(r.dir.entries.size(), 3u);
}

TEST(ZipAuditTest, EmptyUxIsAcceptedOnlyInTheCentralHeader) {
  // Only the shape old libarchive wrote: no data, central header, once.
  EntryOptions local_empty = OldLibarchive();
  local_empty.local_extra = ExtraField(0x7875, "");
  EXPECT_EQ(Audit(ZipBuilder().Directory("Seq/", local_empty).Build()).Ids(),
            std::vector<std::string>{"zip.extra-field"});
  EntryOptions twice = OldLibarchive();
  twice.central_extra += ExtraField(0x7875, "");
  EXPECT_EQ(Audit(ZipBuilder().Directory("Seq/", twice).Build()).Ids(), std::vector<std::string>{"zip.extra-field"});
  EntryOptions version_only = OldLibarchive();
  version_only.central_extra = ExtraField(0x7875, "\x01");
  EXPECT_EQ(Audit(ZipBuilder().Directory("Seq/", version_only).Build()).Ids(),
            std::vector<std::string>{"zip.extra-field"});
}

TEST(ZipAuditTest, NtfsExtraAllowed) {
  std::string ntfs = ExtraField(0x000a, Le32(0) + Le16(1) + Le16(24) + std::string(24, '\x01'));
  AuditResult r = Audit(ZipBuilder().Entry("S/a", "x", {.local_extra = ntfs, .central_extra = ntfs}).Build());
  EXPECT_TRUE(r.findings.empty()) << r.Dump();
}

// --- methods, encryption, flags ---

TEST(ZipAuditTest, UnsupportedMethod) {
  AuditResult r = Audit(ZipBuilder().Entry("S/a", "x", {.method = 12}).Build(), NoLibzip(), Own());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.unsupported-method"});
  AuditResult f = Audit(ZipBuilder().Entry("S/a", "x", {.flags = 1u << 5}).Build(), NoLibzip(), Own());
  EXPECT_EQ(f.Ids(), std::vector<std::string>{"zip.unsupported-method"});
}

TEST(ZipAuditTest, Encrypted) {
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.flags = 1}).Build()).Ids(),
            std::vector<std::string>{"zip.encrypted"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.flags = 1u << 13}).Build()).Ids(),
            std::vector<std::string>{"zip.encrypted"});
}

TEST(ZipAuditTest, StoredSizesDiffer) {
  AuditResult r = Audit(ZipBuilder()
                            .Entry("S/a", "xyz", {.local_uncompressed = 4, .central_uncompressed = 4})
                            .Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.size-mismatch"});
}

// --- entry types (a4) ---

TEST(ZipAuditTest, Symlink) {
  AuditResult r = Audit(ZipBuilder().Entry("S/link", "/etc", {.external_attributes = 0120777u << 16}).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.entry.type"});
  EXPECT_NE(r.findings[0].message.find("symbolic link"), std::string::npos);
}

TEST(ZipAuditTest, SetuidDeviceAndDosAttributes) {
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "x", {.external_attributes = 0104755u << 16}).Build()).Ids(),
            std::vector<std::string>{"zip.entry.type"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "", {.external_attributes = 0020644u << 16}).Build()).Ids(),
            std::vector<std::string>{"zip.entry.type"});
  EXPECT_EQ(
      Audit(ZipBuilder().Entry("S/a", "x", {.version_made_by = 0x0014, .external_attributes = 0x02}).Build()).Ids(),
      std::vector<std::string>{"zip.entry.type"});
  // MS-DOS host, archive + read-only: fine.
  EXPECT_TRUE(Audit(ZipBuilder().Entry("S/a", "x", {.version_made_by = 0x0014, .external_attributes = 0x21}).Build())
                  .findings.empty());
}

TEST(ZipAuditTest, DirectoryMismatches) {
  // Trailing slash with data; directory attributes on a file name; file attributes on a folder name.
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/d/", "data", {.external_attributes = 040755u << 16}).Build()).Ids(),
            std::vector<std::string>{"zip.entry.directory-data"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/d", "", {.external_attributes = 040755u << 16}).Build()).Ids(),
            std::vector<std::string>{"zip.entry.directory-data"});
  EXPECT_EQ(Audit(ZipBuilder().Directory("S/d/", {.external_attributes = 0100644u << 16}).Build()).Ids(),
            std::vector<std::string>{"zip.entry.directory-data"});
}

TEST(ZipAuditTest, EntryComment) {
  AuditResult r = Audit(ZipBuilder().Entry("S/a", "x", {.comment = "PK\x03\x04"}).Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.entry.comment"});
}

// --- names across entries (b1, b4) ---

TEST(ZipAuditTest, DuplicateNames) {
  AuditResult r = Audit(ZipBuilder().Entry("S/a", "1").Entry("S/a", "2").Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.entry.duplicate"});
  EXPECT_EQ(*r.findings[0].location.offset, LocalSpan("S/a", 1) * 2 + 46 + 3 + 32);
}

TEST(ZipAuditTest, CaseAndNormalisationCollisions) {
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/Scene.mrml", "1").Entry("S/scene.MRML", "2").Build()).Ids(),
            std::vector<std::string>{"zip.entry.case-collision"});
  // NFC "é" vs NFD "e" + U+0301, both flagged UTF-8.
  EXPECT_EQ(Audit(ZipBuilder()
                      .Entry("S/caf\xc3\xa9", "1", {.flags = 1u << 11})
                      .Entry("S/cafe\xcc\x81", "2", {.flags = 1u << 11})
                      .Build())
                .Ids(),
            std::vector<std::string>{"zip.entry.case-collision"});
  EXPECT_EQ(Audit(ZipBuilder()
                      .Entry("S/\xc3\x89t\xc3\xa9", "1", {.flags = 1u << 11})
                      .Entry("S/\xc3\xa9T\xc3\xa9", "2", {.flags = 1u << 11})
                      .Build())
                .Ids(),
            std::vector<std::string>{"zip.entry.case-collision"});
}

// Beyond Latin: names that NTFS or APFS/HFS+ open as one file (Greek final
// sigma, long s, Kelvin sign, dotless i, Cyrillic case, Hangul NFC/NFD).
TEST(ZipAuditTest, UnicodeCaseFoldingCollisions) {
  const std::pair<const char*, const char*> pairs[] = {
      {"S/\xcf\x83.nrrd", "S/\xcf\x82.nrrd"},  {"S/\xc5\xbf.nrrd", "S/s.nrrd"},
      {"S/\xe2\x84\xaa.nrrd", "S/k.nrrd"},     {"S/\xc4\xb1.nrrd", "S/I.nrrd"},
      {"S/\xd0\xaf.nrrd", "S/\xd1\x8f.nrrd"},  {"S/\xea\xb0\x80.nrrd", "S/\xe1\x84\x80\xe1\x85\xa1.nrrd"},
  };
  for (const auto& [a, b] : pairs) {
    EXPECT_EQ(Audit(ZipBuilder().Entry(a, "1", {.flags = 1u << 11}).Entry(b, "2", {.flags = 1u << 11}).Build()).Ids(),
              std::vector<std::string>{"zip.entry.case-collision"})
        << a << " / " << b;
  }
}

TEST(ZipAuditTest, FileAndFolderCollide) {
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/a", "1").Entry("S/a/b", "2").Build()).Ids(),
            std::vector<std::string>{"zip.entry.file-dir-collision"});
  EXPECT_EQ(Audit(ZipBuilder().Entry("S/A", "1").Entry("S/a/b", "2").Build()).Ids(),
            std::vector<std::string>{"zip.entry.file-dir-collision"});
  // An explicit folder and a file inside it are fine.
  EXPECT_TRUE(Audit(ZipBuilder().Directory("S/a/").Entry("S/a/b", "2").Build()).findings.empty());
}

TEST(ZipAuditTest, BadNamesInArchives) {
  // Each name rule through a whole archive (zip_names_test.cc has the fine cases).
  struct Case {
    const char* name;
    uint16_t flags;
    const char* id;
  };
  const Case cases[] = {
      {"/etc/cron.d/x", 0, "zip.entry.absolute-path"},
      {"C:x", 0, "zip.entry.absolute-path"},
      {"S/../../.slicerrc.py", 0, "zip.entry.path-traversal"},
      {"S\\x", 0, "zip.entry.backslash"},
      {"S//x", 0, "zip.entry.non-canonical"},
      {"S/./x", 0, "zip.entry.non-canonical"},
      {"S/a\x1b[2Jb", 0, "zip.entry.control-char"},
      {"S/a\xe2\x80\xae" "b", 1u << 11, "zip.entry.control-char"},
      {"S/a\xff" "b", 1u << 11, "zip.entry.invalid-utf8"},
      {"S/caf\xc3\xa9", 0, "zip.entry.invalid-utf8"},
      {"S/aux.nrrd", 0, "zip.entry.reserved-name"},
      {"S/x:y", 0, "zip.entry.reserved-name"},
  };
  for (const Case& c : cases) {
    AuditResult r = Audit(ZipBuilder().Entry(c.name, "x", {.flags = c.flags}).Build());
    EXPECT_EQ(r.Ids(), std::vector<std::string>{c.id}) << c.name << "\n" << r.Dump();
    ASSERT_FALSE(r.findings.empty());
    EXPECT_EQ(*r.findings[0].location.offset, LocalSpan(c.name, 1));  // the central header
  }
  // An empty name.
  EXPECT_EQ(Audit(ZipBuilder().Entry("", "x").Build()).Ids(), std::vector<std::string>{"zip.entry.non-canonical"});
}

TEST(ZipAuditTest, MacMetadataIsAWarning) {
  AuditResult r = Audit(ZipBuilder().Entry("S/S.mrml", kScene).Entry("__MACOSX/S/._S.mrml", "x").Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"bundle.mac-metadata"});
  EXPECT_EQ(r.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(r.errors, 0u);
  AuditResult strict = Audit(ZipBuilder().Entry("S/._x", "x").Build(), Policy::Strict());
  EXPECT_EQ(strict.errors, 1u);
}

// --- limits and bombs (A.2) ---

TEST(ZipAuditTest, EntryCountLimitBeforeAllocating) {
  Policy p = Policy::Default();
  p.limits.max_zip_entries = 2;
  AuditResult r = Audit(SlicerLike().Build(), p);
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.limit-exceeded"});
  EXPECT_EQ(r.findings[0].limit, "max_zip_entries");
  // 65535 declared entries in a tiny file: refused on the count, nothing reserved.
  AuditResult big = Audit(ZipBuilder().Entry("a", "b").EocdCounts(0xFFFE, 0xFFFE).Build());
  EXPECT_EQ(big.Ids(), std::vector<std::string>{"zip.limit-exceeded"});
}

TEST(ZipAuditTest, NameLengthLimit) {
  Policy p = Policy::Default();
  p.limits.max_entry_name_bytes = 8;
  AuditResult r = Audit(ZipBuilder().Entry("S/a-long-name", "x").Build(), p);
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.limit-exceeded"});
  EXPECT_EQ(r.findings[0].limit, "max_entry_name_bytes");
}

TEST(ZipAuditTest, DeclaredSizeLimitsWithoutInflating) {
  // A "1 GiB" entry that declares its size: refused in pass 1.
  Policy p = Policy::Default();
  p.limits.max_entry_uncompressed_bytes = 1000;
  p.limits.max_total_uncompressed_bytes = 1500;
  AuditResult r = Audit(ZipBuilder()
                            .Entry("S/a", std::string(900, 'a'), {.method = 8})
                            .Entry("S/b", std::string(1001, 'b'), {.method = 8})
                            .Build(),
                        p);
  ASSERT_EQ(r.Ids(), (std::vector<std::string>{"zip.limit-exceeded", "zip.limit-exceeded"})) << r.Dump();
  EXPECT_EQ(r.findings[0].limit, "max_entry_uncompressed_bytes");
  EXPECT_EQ(r.findings[1].limit, "max_total_uncompressed_bytes");
}

TEST(ZipAuditTest, GibibyteBombRefusedInPassOne) {
  // Declares 1 GiB from 1 MiB of "compressed" bytes: the ratio refuses it
  // before anything is inflated (the data is not even deflate).
  const uint32_t gib = 1u << 30;
  AuditResult r = Audit(ZipBuilder()
                            .Entry("S/bomb", "", {.method = 8, .local_crc = 0, .local_compressed = 1u << 20,
                                                  .local_uncompressed = gib, .central_crc = 0,
                                                  .central_compressed = 1u << 20, .central_uncompressed = gib,
                                                  .raw_data = std::string(1u << 20, '\0')})
                            .Build());
  EXPECT_EQ(r.Ids(), std::vector<std::string>{"zip.ratio"}) << r.Dump();
}

TEST(ZipAuditTest, DeclaredBudgetsMarkWhatMustNotBeInflated) {
  // The audit tells the caller what it refused from the declared sizes:
  // entries over max_entry_uncompressed_bytes or the ratio, and a directory
  // whose declared total is over max_total_uncompressed_bytes.
  Policy p = Policy::Default();
  p.limits.max_entry_uncompressed_bytes = 1000;
  p.limits.ratio_floor_bytes = 100;
  p.limits.max_compression_ratio = 10;
  AuditResult r = Audit(ZipBuilder()
                            .Entry("S/ok", std::string(500, 'a'))  // stored: ratio 1
                            .Entry("S/big", std::string(1001, 'b'))
                            .Entry("S/zeros", std::string(900, '\0'), {.method = 8})  // about 900:5
                            .Build(),
                        p);
  ASSERT_EQ(r.Ids(), (std::vector<std::string>{"zip.limit-exceeded", "zip.ratio"})) << r.Dump();
  ASSERT_EQ(r.dir.entries.size(), 3u);
  EXPECT_FALSE(r.dir.entries[0].declared_over_limit);
  EXPECT_TRUE(r.dir.entries[1].declared_over_limit);
  EXPECT_TRUE(r.dir.entries[2].declared_over_limit);
  EXPECT_FALSE(r.dir.total_over_limit);
  EXPECT_EQ(r.dir.total_declared_size, 2401u);

  p = Policy::Default();
  p.limits.max_total_uncompressed_bytes = 1000;
  AuditResult total =
      Audit(ZipBuilder().Entry("S/a", std::string(600, 'a')).Entry("S/b", std::string(600, 'b')).Build(), p);
  ASSERT_EQ(total.Ids(), std::vector<std::string>{"zip.limit-exceeded"}) << total.Dump();
  EXPECT_EQ(total.findings[0].limit, "max_total_uncompressed_bytes");
  EXPECT_TRUE(total.dir.total_over_limit);
}

TEST(ZipAuditTest, NestedBundleCountsAgainstTheOuterDeclaredTotal) {
  // A shared budget: what the outer bundle declared plus what a nested one
  // declares is bounded by max_total_uncompressed_bytes, before inflating.
  Policy p = Policy::Default();
  p.limits.max_total_uncompressed_bytes = 1000;
  std::vector<uint8_t> zip = ZipBuilder().Entry("S/a", std::string(600, 'a')).Build();
  InflateBudget budget;
  {
    FindingSink sink(p);
    MemorySource src(zip);
    ZipDirectory dir = AuditZip(src, sink, {.libzip_second_opinion = false}, &budget);
    EXPECT_FALSE(dir.total_over_limit);
    EXPECT_FALSE(sink.has_errors());
    EXPECT_EQ(budget.total_declared, 600u);
  }
  FindingSink sink(p);
  MemorySource src(zip);
  ZipDirectory nested = AuditZip(src, sink, {.libzip_second_opinion = false}, &budget);  // 600 + 600 > 1000
  EXPECT_TRUE(nested.total_over_limit);
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].rule_id, "zip.limit-exceeded");
  EXPECT_EQ(sink.findings()[0].limit, "max_total_uncompressed_bytes");
  EXPECT_EQ(budget.total_declared, 1200u);
}

TEST(ZipAuditTest, HighRatioDeclared) {
  Policy p = Policy::Default();
  p.limits.max_compression_ratio = 100;
  p.limits.ratio_floor_bytes = 1000;
  AuditResult r = Audit(ZipBuilder().Entry("S/zeros", std::string(1 << 20, '\0'), {.method = 8}).Build(), p);
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.ratio"});
  EXPECT_EQ(r.findings[0].limit, "max_compression_ratio");
  // Under the floor, any ratio is fine.
  p.limits.ratio_floor_bytes = 2 << 20;
  EXPECT_TRUE(Audit(ZipBuilder().Entry("S/zeros", std::string(1 << 20, '\0'), {.method = 8}).Build(), p)
                  .findings.empty());
}

// --- polyglots (Z21) ---

TEST(ZipAuditTest, TarPolyglot) {
  // The first name covers bytes 148..155 (the tar checksum field); fill it
  // with the octal sum of bytes 0..511 so libarchive's tar bidder wins.
  std::string name = "S/" + std::string(200, 'n');
  std::string data(600, 'd');
  std::vector<uint8_t> z = ZipBuilder().Entry(name, data).Build();
  uint64_t sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? 0x20 : z[i];
  char field[9];
  std::snprintf(field, sizeof field, "%07llo ", static_cast<unsigned long long>(sum));
  for (size_t i = 0; i < 8; ++i) name[148 - 30 + i] = field[i];
  AuditResult r = Audit(ZipBuilder().Entry(name, data).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.polyglot"}) << r.Dump();
  EXPECT_EQ(*r.findings[0].location.offset, 148u);
}

TEST(ZipAuditTest, IsoPolyglot) {
  std::string data(40000, 'd');
  size_t data_at = LocalSpan("S/iso", 0);
  data.replace(32768 + 2048 + 1 - data_at, 5, "CD001");
  AuditResult r = Audit(ZipBuilder().Entry("S/iso", data).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.polyglot"});
  EXPECT_EQ(*r.findings[0].location.offset, 32768u + 2048u + 1u);
}

// --- libzip second opinion (Z25) ---

TEST(ZipAuditTest, LibzipDisagreesWithATamperedTable) {
  std::vector<uint8_t> z = SlicerLike().Build();
  AuditResult r = Audit(z);
  ASSERT_TRUE(r.findings.empty());
  std::vector<ZipEntry> entries = r.dir.entries;
  Policy policy = Policy::Default();
  MemorySource src(z);
  {
    FindingSink sink(policy);
    EXPECT_TRUE(LibzipSecondOpinion(src, entries, sink));
    EXPECT_TRUE(sink.findings().empty());
  }
  for (int variant = 0; variant < 4; ++variant) {
    std::vector<ZipEntry> t = entries;
    if (variant == 0) t[1].name = "Scene/Other.mrml";
    if (variant == 1) t[3].declared_size += 1;
    if (variant == 2) t.pop_back();
    if (variant == 3) t[1].external_attributes ^= 1;
    FindingSink sink(policy);
    EXPECT_FALSE(LibzipSecondOpinion(src, t, sink));
    ASSERT_EQ(sink.findings().size(), 1u);
    EXPECT_EQ(sink.findings()[0].rule_id, "zip.libzip-disagrees");
  }
}

TEST(ZipAuditTest, LibzipRefusalIsReported) {
  // Our audit is skipped here: feed libzip something it refuses.
  std::vector<uint8_t> junk(64, 'x');
  MemorySource src(junk);
  Policy policy = Policy::Default();
  FindingSink sink(policy);
  EXPECT_FALSE(LibzipSecondOpinion(src, {}, sink));
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].rule_id, "zip.libzip-disagrees");
}

}  // namespace
}  // namespace mrmlguard::internal
