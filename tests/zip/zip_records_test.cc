// SPDX-License-Identifier: BSD-3-Clause
// The record decoders (zip_records.h) and the extra-field checks
// (zip_extras.h) on their own, without an auditor or a finding sink.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/zip_builder.h"
#include "zip/zip_extras.h"
#include "zip/zip_records.h"

namespace mrmlguard::internal {
namespace {

using test_support::ExtraField;
using test_support::Le16;
using test_support::Le32;
using test_support::Le64;
using test_support::ZipBuilder;

// `bytes` must outlive the reader.
ByteReader Reader(const std::string& bytes, uint64_t base = 0) {
  return ByteReader({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, base);
}

TEST(ZipRecordsTest, HeadersDecodeEveryFieldAtItsOffset) {
  // One stored entry "ab" holding "xyz": LFH at 0, CDH after the data, EOCD last.
  const std::string zip = ZipBuilder().Entry("ab", "xyz", {.slicer_extras = false}).BuildString();
  ByteReader l = Reader(zip);
  std::optional<LocalHeader> lfh = LocalHeader::Read(l);
  ASSERT_TRUE(lfh);
  EXPECT_EQ(lfh->signature, LocalHeader::kSignature);
  EXPECT_EQ(lfh->version_needed, 20);
  EXPECT_EQ(lfh->method, 0);
  EXPECT_EQ(lfh->crc, test_support::Crc32("xyz"));
  EXPECT_EQ(lfh->compressed32, 3u);
  EXPECT_EQ(lfh->uncompressed32, 3u);
  EXPECT_EQ(lfh->name_length, 2);
  EXPECT_EQ(lfh->extra_length, 0);
  EXPECT_EQ(l.offset(), LocalHeader::kSize);

  const uint64_t cd_at = LocalHeader::kSize + 2 + 3;
  const std::string cd = zip.substr(cd_at);
  ByteReader c = Reader(cd, cd_at);
  std::optional<CentralHeader> cdh = CentralHeader::Read(c);
  ASSERT_TRUE(cdh);
  EXPECT_EQ(cdh->signature, CentralHeader::kSignature);
  EXPECT_EQ(cdh->made_by, 0x0314);
  EXPECT_EQ(cdh->crc, lfh->crc);
  EXPECT_EQ(cdh->uncompressed32, 3u);
  EXPECT_EQ(cdh->name_length, 2);
  EXPECT_EQ(cdh->external_attributes, 0100644u << 16);
  EXPECT_EQ(cdh->local_header_offset32, 0u);
  EXPECT_EQ(c.offset(), cd_at + CentralHeader::kSize);

  const std::string tail = zip.substr(zip.size() - Eocd::kSize);
  ByteReader e = Reader(tail);
  std::optional<Eocd> eocd = Eocd::Read(e);
  ASSERT_TRUE(eocd);
  EXPECT_EQ(eocd->signature, Eocd::kSignature);
  EXPECT_EQ(eocd->total_count, 1);
  EXPECT_EQ(eocd->cd_size, CentralHeader::kSize + 2);
  EXPECT_EQ(eocd->cd_offset, cd_at);
}

TEST(ZipRecordsTest, ShortRecordsAreNullopt) {
  const std::string zip = ZipBuilder().Entry("ab", "xyz").BuildString();
  const std::string head = zip.substr(0, LocalHeader::kSize - 1);
  ByteReader l = Reader(head);
  EXPECT_FALSE(LocalHeader::Read(l));
  const std::string tail = zip.substr(zip.size() - Eocd::kSize + 1);
  ByteReader e = Reader(tail);
  EXPECT_FALSE(Eocd::Read(e));
  const std::string zeros(Zip64Eocd::kSize - 1, '\0');
  ByteReader z = Reader(zeros);
  EXPECT_FALSE(Zip64Eocd::Read(z));
  const std::string short_loc(Zip64Locator::kSize - 1, '\0');
  ByteReader loc = Reader(short_loc);
  EXPECT_FALSE(Zip64Locator::Read(loc));
}

TEST(ZipRecordsTest, DataDescriptorWidthsAndShortReads) {
  EXPECT_EQ(DataDescriptor::Size(true, false), 16u);
  EXPECT_EQ(DataDescriptor::Size(false, false), 12u);
  EXPECT_EQ(DataDescriptor::Size(true, true), 24u);
  const std::string full = Le32(0xdeadbeef) + Le64(5) + Le64(7);
  ByteReader r = Reader(full);
  DataDescriptor d;
  EXPECT_TRUE(DataDescriptor::Read(r, /*zip64=*/true, &d));
  EXPECT_EQ(d.crc, 0xdeadbeefu);
  EXPECT_EQ(d.compressed, 5u);
  EXPECT_EQ(d.uncompressed, 7u);
  // Short: what was read stays, the rest is zero (a finding quotes it).
  const std::string cut = Le32(0x1234) + Le16(9);
  ByteReader s = Reader(cut);
  EXPECT_FALSE(DataDescriptor::Read(s, /*zip64=*/false, &d));
  EXPECT_EQ(d.crc, 0x1234u);
  EXPECT_EQ(d.compressed, 0u);
  EXPECT_EQ(d.uncompressed, 0u);
}

bool Extras(const std::string& block, HeaderSide side, const Saturated& sat, ExtraInfo* info, ExtraProblem* p) {
  return ParseExtras(Reader(block, 100), side, sat, "\"S/a\"", info, p);  // block outlives the call
}

TEST(ZipExtrasTest, AllowListAndProblems) {
  ExtraInfo info;
  ExtraProblem p;
  const std::string ux = ExtraField(0x7875, std::string("\x01\x04", 2) + Le32(0) + "\x04" + Le32(0));
  EXPECT_TRUE(Extras(ExtraField(0x5455, std::string("\x01", 1) + Le32(5)) + ux, HeaderSide::kLocal, {}, &info, &p));
  EXPECT_FALSE(info.zip64);

  EXPECT_FALSE(Extras(ux + ExtraField(0xcafe, ""), HeaderSide::kCentral, {}, &info, &p));
  EXPECT_EQ(p.rule, Rule::kZipExtraField);
  EXPECT_EQ(p.offset, 100u + ux.size());
  EXPECT_EQ(p.message,
            "extra field 0xcafe in the central header of entry \"S/a\" is not on the allow-list "
            "(0x0001, 0x000a, 0x5455, 0x7875)");

  EXPECT_FALSE(Extras(ExtraField(0x7075, "x"), HeaderSide::kLocal, {}, &info, &p));
  EXPECT_EQ(p.message,
            "extra field 0x7075 (Info-ZIP Unicode path) in the local header of entry \"S/a\": readers disagree on "
            "whether it renames the entry");

  EXPECT_FALSE(Extras(ux + ux, HeaderSide::kLocal, {}, &info, &p));
  EXPECT_EQ(p.message, "extra field 0x7875 appears twice in the local header of entry \"S/a\"");

  EXPECT_FALSE(Extras(Le16(0x5455) + Le16(9) + "ab", HeaderSide::kLocal, {}, &info, &p));
  EXPECT_EQ(p.offset, 100u);
  EXPECT_EQ(p.message,
            "malformed extra field in the local header of entry \"S/a\": field 0x5455 of 9 bytes runs past the extra "
            "block");

  EXPECT_FALSE(Extras(ExtraField(0x5455, "ab"), HeaderSide::kLocal, {}, &info, &p));
  EXPECT_EQ(p.message, "malformed extra field 0x5455 (2 bytes) in the local header of entry \"S/a\"");
}

TEST(ZipExtrasTest, EmptyUxOnlyInTheCentralHeader) {
  ExtraInfo info;
  ExtraProblem p;
  EXPECT_TRUE(Extras(ExtraField(0x7875, ""), HeaderSide::kCentral, {}, &info, &p));
  EXPECT_FALSE(Extras(ExtraField(0x7875, ""), HeaderSide::kLocal, {}, &info, &p));
  EXPECT_EQ(p.rule, Rule::kZipExtraField);
}

TEST(ZipExtrasTest, Zip64HoldsExactlyTheSaturatedFields) {
  ExtraInfo info;
  ExtraProblem p;
  const Saturated both{.uncompressed = true, .compressed = true};
  EXPECT_TRUE(Extras(ExtraField(0x0001, Le64(1ull << 33) + Le64(1ull << 32)), HeaderSide::kCentral, both, &info, &p));
  EXPECT_TRUE(info.zip64);
  EXPECT_EQ(info.uncompressed, 1ull << 33);
  EXPECT_EQ(info.compressed, 1ull << 32);

  info = {};
  EXPECT_FALSE(Extras(ExtraField(0x0001, Le64(5)), HeaderSide::kCentral, {.uncompressed = true}, &info, &p));
  EXPECT_EQ(p.rule, Rule::kZipZip64Invalid);  // 5 fits in 32 bits
  EXPECT_EQ(p.message,
            "the ZIP64 extra field in the central header of entry \"S/a\" holds a value that fits in 32 bits");

  info = {};
  EXPECT_FALSE(Extras("", HeaderSide::kLocal, {.compressed = true}, &info, &p));
  EXPECT_EQ(p.rule, Rule::kZipZip64Invalid);
  EXPECT_EQ(p.offset, 100u);

  info = {};
  EXPECT_FALSE(Extras(ExtraField(0x0001, Le64(1ull << 33)), HeaderSide::kLocal, {.uncompressed = true}, &info, &p));
  EXPECT_EQ(p.message, "ZIP64 extra field in the local header of entry \"S/a\" has 8 bytes, expected 16");

  info = {};
  const Saturated disk{.disk = true};
  EXPECT_FALSE(Extras(ExtraField(0x0001, Le32(1)), HeaderSide::kCentral, disk, &info, &p));
  EXPECT_EQ(p.rule, Rule::kZipEocdInconsistent);
}

}  // namespace
}  // namespace mrmlguard::internal
