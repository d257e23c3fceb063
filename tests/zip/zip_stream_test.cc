// SPDX-License-Identifier: BSD-3-Clause
// Pass 2 (StreamEntry): sizes, CRC, deflate end, budgets, ratio, memory.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/zip_builder.h"
#include "zip_test_util.h"

namespace mrmlguard::internal {
namespace {

using test_support::Deflate;
using test_support::ZipBuilder;

// Streams every entry of `zip` (skipping the audit's verdict on purpose: a
// lying header must be caught by the stream too).
AuditResult StreamOnly(const std::vector<uint8_t>& zip, const Policy& policy = Policy::Default(),
                       std::vector<std::string>* out = nullptr, bool* all_ok = nullptr) {
  FindingSink sink(policy);
  MemorySource src(zip);
  AuditResult r;
  FindingSink audit_sink(policy);
  r.dir = AuditZip(src, audit_sink, AuditOptions{.libzip_second_opinion = false});
  bool ok = true;
  InflateBudget budget;
  for (const ZipEntry& e : r.dir.entries) {
    StringSink s;
    ok = StreamEntry(src, e, &budget, sink, &s) && ok;
    if (out != nullptr) out->push_back(s.bytes);
  }
  if (all_ok != nullptr) *all_ok = ok;
  r.errors = sink.error_count();
  r.findings = sink.TakeFindings();
  return r;
}

TEST(ZipStreamTest, RoundTripsStoredAndDeflated) {
  std::string big;
  for (uint32_t i = 0; i < 300000; ++i) big += std::to_string(i * 7919u % 1000u) + ",";
  std::vector<std::string> out;
  bool ok = false;
  AuditResult r = StreamOnly(
      ZipBuilder().Entry("S/a", big, {.method = 8}).Entry("S/b", big).Entry("S/c", "", {.method = 8}).Build(),
      Policy::Default(), &out, &ok);
  EXPECT_TRUE(ok);
  EXPECT_TRUE(r.findings.empty()) << r.Dump();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], big);
  EXPECT_EQ(out[1], big);
  EXPECT_EQ(out[2], "");
}

TEST(ZipStreamTest, CrcMismatch) {
  AuditResult r = StreamOnly(ZipBuilder().Entry("S/a", "hello", {.method = 8, .local_crc = 5, .central_crc = 5}).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.crc-mismatch"});
  EXPECT_EQ(r.findings[0].location.entry, "S/a");
  AuditResult s = StreamOnly(ZipBuilder().Entry("S/a", "hello", {.local_crc = 5, .central_crc = 5}).Build());
  EXPECT_EQ(s.Ids(), std::vector<std::string>{"zip.crc-mismatch"});
}

TEST(ZipStreamTest, DeflatedEntryLargerThanDeclared) {
  // libzip 1.7.3 does not catch this (research finding 6).
  std::string data(1000, 'x');
  AuditResult r = StreamOnly(
      ZipBuilder().Entry("S/a", data, {.method = 8, .local_uncompressed = 5, .central_uncompressed = 5}).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.size-mismatch"});
  EXPECT_EQ(*r.findings[0].location.offset, 5u);
}

TEST(ZipStreamTest, DeflatedEntrySmallerThanDeclared) {
  AuditResult r = StreamOnly(
      ZipBuilder().Entry("S/a", "abc", {.method = 8, .local_uncompressed = 9, .central_uncompressed = 9}).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.size-mismatch"});
  EXPECT_EQ(*r.findings[0].location.offset, 3u);
}

TEST(ZipStreamTest, BytesAfterDeflateEnd) {
  AuditResult r = StreamOnly(ZipBuilder().Entry("S/a", "abc", {.method = 8, .raw_data = Deflate("abc") + "JUNK"}).Build());
  ASSERT_EQ(r.Ids(), std::vector<std::string>{"zip.deflate-invalid"});
  EXPECT_NE(r.findings[0].message.find("ends 4 bytes before"), std::string::npos);
}

TEST(ZipStreamTest, TruncatedAndCorruptDeflate) {
  std::string d = Deflate(std::string(5000, 'q') + "tail");
  EXPECT_EQ(StreamOnly(ZipBuilder().Entry("S/a", std::string(5000, 'q') + "tail",
                                          {.method = 8, .raw_data = d.substr(0, d.size() / 2)})
                           .Build())
                .Ids(),
            std::vector<std::string>{"zip.deflate-invalid"});
  EXPECT_EQ(StreamOnly(ZipBuilder().Entry("S/a", "abc", {.method = 8, .raw_data = "\xff\xff\xff\xff"}).Build()).Ids(),
            std::vector<std::string>{"zip.deflate-invalid"});
}

TEST(ZipStreamTest, StoredSizeMismatch) {
  ZipEntry e{.name = "S/a", .data_offset = 0, .compressed_size = 3, .declared_size = 4, .method = 0};
  std::vector<uint8_t> bytes = {'a', 'b', 'c'};
  MemorySource src(bytes);
  Policy p = Policy::Default();
  FindingSink sink(p);
  EXPECT_FALSE(StreamEntry(src, e, nullptr, sink, nullptr));
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].rule_id, "zip.size-mismatch");
}

TEST(ZipStreamTest, DataPastEndOfFile) {
  ZipEntry e{.name = "S/a", .data_offset = 2, .compressed_size = 10, .declared_size = 10, .method = 0};
  std::vector<uint8_t> bytes(6, 'a');
  MemorySource src(bytes);
  Policy p = Policy::Default();
  FindingSink sink(p);
  EXPECT_FALSE(StreamEntry(src, e, nullptr, sink, nullptr));
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].rule_id, "zip.truncated");
}

TEST(ZipStreamTest, BudgetsAreCheckedBeforeInflating) {
  Policy p = Policy::Default();
  p.limits.max_total_uncompressed_bytes = 100;
  std::vector<uint8_t> z = ZipBuilder().Entry("S/a", std::string(60, 'a')).Entry("S/b", std::string(60, 'b')).Build();
  MemorySource src(z);
  FindingSink audit_sink(p);
  ZipDirectory dir = AuditZip(src, audit_sink, AuditOptions{.libzip_second_opinion = false});
  ASSERT_EQ(dir.entries.size(), 2u);
  FindingSink sink(p);
  InflateBudget budget;
  EXPECT_TRUE(StreamEntry(src, dir.entries[0], &budget, sink, nullptr));
  EXPECT_EQ(budget.total_inflated, 60u);
  EXPECT_FALSE(StreamEntry(src, dir.entries[1], &budget, sink, nullptr));
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].rule_id, "zip.limit-exceeded");
  EXPECT_EQ(sink.findings()[0].limit, "max_total_uncompressed_bytes");
  EXPECT_EQ(budget.total_inflated, 60u);  // nothing of b was inflated

  p.limits.max_entry_uncompressed_bytes = 10;
  FindingSink sink2(p);
  EXPECT_FALSE(StreamEntry(src, dir.entries[0], nullptr, sink2, nullptr));
  EXPECT_EQ(sink2.findings()[0].limit, "max_entry_uncompressed_bytes");
}

TEST(ZipStreamTest, DeclaredRatioIsRefusedBeforeInflating) {
  // 100000 bytes declared from 100 compressed bytes (ratio 1000 > 10): refused
  // from the header values. The data is not deflate at all (block type 3 is
  // reserved), so inflating even one byte would add zip.deflate-invalid.
  Policy p = Policy::Default();
  p.limits.max_compression_ratio = 10;
  p.limits.ratio_floor_bytes = 1000;
  std::vector<uint8_t> bytes(100, 0xFF);
  ZipEntry e{.name = "S/z", .data_offset = 0, .compressed_size = bytes.size(), .declared_size = 100000,
             .declared_crc32 = 0, .method = 8};
  MemorySource src(bytes);
  FindingSink sink(p);
  StringSink out;
  InflateBudget budget;
  EXPECT_FALSE(StreamEntry(src, e, &budget, sink, &out));
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].rule_id, "zip.ratio");
  EXPECT_EQ(sink.findings()[0].limit, "max_compression_ratio");
  EXPECT_TRUE(out.bytes.empty());
  EXPECT_EQ(budget.total_inflated, 0u);
  // The same bytes under the limit are inflated, and fail as deflate: the
  // refusal above is the ratio check's doing, not the data's.
  p.limits.max_compression_ratio = 1000;
  FindingSink sink2(p);
  EXPECT_FALSE(StreamEntry(src, e, nullptr, sink2, nullptr));
  ASSERT_EQ(sink2.findings().size(), 1u);
  EXPECT_EQ(sink2.findings()[0].rule_id, "zip.deflate-invalid");
}

TEST(ZipStreamTest, RatioRuleIsOneDefinition) {
  // RatioAboveLimit serves the declared check and the inflation backstop.
  Policy p = Policy::Default();
  p.limits.max_compression_ratio = 10;
  p.limits.ratio_floor_bytes = 1000;
  EXPECT_FALSE(RatioAboveLimit(1000, 1, p.limits));   // at the floor: exempt
  EXPECT_TRUE(RatioAboveLimit(1001, 100, p.limits));  // 10.01 > 10
  EXPECT_FALSE(RatioAboveLimit(1000000, 100000, p.limits));
  EXPECT_TRUE(RatioAboveLimit(1001, 0, p.limits));    // nothing compressed
  p.limits.max_compression_ratio = UINT64_MAX;
  EXPECT_FALSE(RatioAboveLimit(UINT64_MAX, 2, p.limits));  // the product saturates: no overflow
}

TEST(ZipStreamTest, BombStopsAtDeclaredSizePlusOne) {
  // 64 MiB of zeros declared as 1 KiB: output stops right after 1 KiB; the
  // sink never sees a byte past the declared size.
  std::string zeros(64u << 20, '\0');
  std::string d = Deflate(zeros);
  ZipEntry e{.name = "S/z", .data_offset = 0, .compressed_size = d.size(), .declared_size = 1024,
             .declared_crc32 = 0, .method = 8};
  std::vector<uint8_t> bytes(d.begin(), d.end());
  MemorySource src(bytes);
  Policy p = Policy::Default();
  FindingSink sink(p);
  StringSink out;
  InflateBudget budget;
  EXPECT_FALSE(StreamEntry(src, e, &budget, sink, &out));
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].rule_id, "zip.size-mismatch");
  EXPECT_LE(out.bytes.size(), 1024u);
  EXPECT_LE(budget.total_inflated, 1024u);
}

TEST(ZipStreamTest, UnsupportedMethodInPassTwo) {
  ZipEntry e{.name = "S/a", .method = 14};
  std::vector<uint8_t> bytes;
  MemorySource src(bytes);
  Policy p = Policy::Default();
  FindingSink sink(p);
  EXPECT_FALSE(StreamEntry(src, e, nullptr, sink, nullptr));
  EXPECT_EQ(sink.findings()[0].rule_id, "zip.unsupported-method");
}

}  // namespace
}  // namespace mrmlguard::internal
