// SPDX-License-Identifier: BSD-3-Clause
// Pass 2 (StreamEntry): sizes, CRC, deflate end, budgets, ratio, memory.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <zlib.h>

#include "support/zip_builder.h"
#include "zip/deflate_measure.h"
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

// Wants only the first `wanted` bytes; counts what StreamEntry measured.
class PrefixSink final : public EntrySink {
 public:
  explicit PrefixSink(uint64_t wanted) : wanted_(wanted) {}
  void Data(std::span<const uint8_t> chunk) override { bytes.append(chunk.begin(), chunk.end()); }
  uint64_t Wanted() const override { return wanted_; }
  void Skipped(uint64_t n) override { skipped += n; }
  std::string bytes;
  uint64_t skipped = 0;

 private:
  uint64_t wanted_;
};

// Streams the only entry of `zip` into a PrefixSink wanting `wanted` bytes
// (or into no sink when `wanted` is 0).
struct Measured {
  bool ok = false;
  AuditResult r;
  PrefixSink out{0};
  uint64_t inflated = 0;  // budget.total_inflated afterwards
};
Measured StreamMeasured(const std::vector<uint8_t>& zip, uint64_t wanted, const Policy& policy = Policy::Default()) {
  Measured m;
  m.out = PrefixSink(wanted);
  FindingSink sink(policy);
  FindingSink audit_sink(policy);
  MemorySource src(zip);
  m.r.dir = AuditZip(src, audit_sink, AuditOptions{.libzip_second_opinion = false});
  EXPECT_EQ(m.r.dir.entries.size(), 1u);
  InflateBudget budget;
  m.ok = StreamEntry(src, m.r.dir.entries.at(0), &budget, sink, wanted == 0 ? nullptr : &m.out);
  m.inflated = budget.total_inflated;
  m.r.errors = sink.error_count();
  m.r.findings = sink.TakeFindings();
  return m;
}

std::string Text(size_t n) {
  std::string s;
  for (uint32_t i = 0; s.size() < n; ++i) s += std::to_string(i * 7919u % 1000u) + ",";
  s.resize(n);
  return s;
}

TEST(ZipStreamTest, UnwantedEntryIsMeasuredNotInflated) {
  std::string data = Text(3 << 20);
  for (uint64_t wanted : {uint64_t{0}, uint64_t{1}, uint64_t{300000}}) {
    SCOPED_TRACE(wanted);
    Measured m = StreamMeasured(ZipBuilder().Entry("S/a", data, {.method = 8}).Build(), wanted);
    EXPECT_TRUE(m.ok) << m.r.Dump();
    EXPECT_TRUE(m.r.findings.empty()) << m.r.Dump();
    EXPECT_EQ(m.inflated, data.size());
    if (wanted == 0) continue;
    // The wanted prefix arrives as inflated bytes, the rest as a count.
    ASSERT_GE(m.out.bytes.size(), wanted);
    EXPECT_LT(m.out.bytes.size(), data.size());
    EXPECT_EQ(m.out.bytes, data.substr(0, m.out.bytes.size()));
    EXPECT_EQ(m.out.bytes.size() + m.out.skipped, data.size());
  }
}

TEST(ZipStreamTest, CrcIsCheckedOnlyWhenEveryByteWasInflated) {
  std::string data = Text(1 << 20);
  std::vector<uint8_t> zip = ZipBuilder().Entry("S/a", data, {.method = 8, .local_crc = 5, .central_crc = 5}).Build();
  Measured whole = StreamMeasured(zip, data.size());  // wants all of it
  EXPECT_EQ(whole.r.Ids(), std::vector<std::string>{"zip.crc-mismatch"});
  Measured more = StreamMeasured(zip, UINT64_MAX);
  EXPECT_EQ(more.r.Ids(), std::vector<std::string>{"zip.crc-mismatch"});
  Measured prefix = StreamMeasured(zip, 1000);
  EXPECT_TRUE(prefix.ok) << prefix.r.Dump();
  EXPECT_TRUE(StreamMeasured(zip, 0).ok);
}

TEST(ZipStreamTest, MeasuredEntryLargerThanDeclared) {
  std::string data = Text(2 << 20);
  const uint32_t declared = 1 << 20;
  for (uint64_t wanted : {uint64_t{0}, uint64_t{4096}}) {
    Measured m = StreamMeasured(
        ZipBuilder().Entry("S/a", data, {.method = 8, .local_uncompressed = declared, .central_uncompressed = declared})
            .Build(),
        wanted);
    EXPECT_FALSE(m.ok);
    ASSERT_EQ(m.r.Ids(), std::vector<std::string>{"zip.size-mismatch"});
    EXPECT_EQ(*m.r.findings[0].location.offset, declared);
    EXPECT_NE(m.r.findings[0].message.find("more than its declared 1048576 bytes"), std::string::npos);
    EXPECT_LE(m.inflated, declared);
    EXPECT_EQ(m.out.skipped, 0u);
  }
}

TEST(ZipStreamTest, MeasuredEntrySmallerThanDeclared) {
  std::string data = Text(1 << 20);
  const uint32_t declared = (1 << 20) + 7;
  Measured m = StreamMeasured(
      ZipBuilder().Entry("S/a", data, {.method = 8, .local_uncompressed = declared, .central_uncompressed = declared})
          .Build(),
      100);
  EXPECT_FALSE(m.ok);
  ASSERT_EQ(m.r.Ids(), std::vector<std::string>{"zip.size-mismatch"});
  EXPECT_EQ(*m.r.findings[0].location.offset, data.size());
  EXPECT_NE(m.r.findings[0].message.find("has 1048576 bytes, the headers declare 1048583"), std::string::npos);
  EXPECT_EQ(m.out.skipped, 0u);
}

TEST(ZipStreamTest, MeasuredStreamEndAndCorruption) {
  std::string data = Text(1 << 20);
  std::string d = Deflate(data);
  Measured junk = StreamMeasured(ZipBuilder().Entry("S/a", data, {.method = 8, .raw_data = d + "JUNK"}).Build(), 0);
  ASSERT_EQ(junk.r.Ids(), std::vector<std::string>{"zip.deflate-invalid"});
  EXPECT_NE(junk.r.findings[0].message.find("ends 4 bytes before"), std::string::npos);
  Measured cut =
      StreamMeasured(ZipBuilder().Entry("S/a", data, {.method = 8, .raw_data = d.substr(0, d.size() - 10)}).Build(), 10);
  ASSERT_EQ(cut.r.Ids(), std::vector<std::string>{"zip.deflate-invalid"});
  EXPECT_NE(cut.r.findings[0].message.find("does not end within"), std::string::npos);
  // Flipped bytes: measuring refuses what inflating refuses, except a change
  // only the CRC sees (a literal for another of the same code length).
  for (size_t at : {d.size() / 2, d.size() / 3, size_t{40}, d.size() - 3}) {
    std::string bad = d;
    bad[at] = static_cast<char>(bad[at] ^ 0x5A);
    std::vector<uint8_t> zip = ZipBuilder().Entry("S/a", data, {.method = 8, .raw_data = bad}).Build();
    Measured inflated = StreamMeasured(zip, UINT64_MAX);
    Measured measured = StreamMeasured(zip, 0);
    EXPECT_FALSE(inflated.ok) << at;
    if (inflated.r.Ids() == std::vector<std::string>{"zip.crc-mismatch"}) {
      EXPECT_TRUE(measured.ok) << at;
    } else {
      EXPECT_EQ(measured.r.Ids(), inflated.r.Ids()) << at << measured.r.Dump() << inflated.r.Dump();
    }
  }
}

TEST(ZipStreamTest, MeasuredBombStopsAtDeclaredSizePlusOne) {
  std::string d = Deflate(std::string(64u << 20, '\0'));
  ZipEntry e{.name = "S/z", .data_offset = 0, .compressed_size = d.size(), .declared_size = 1024,
             .declared_crc32 = 0, .method = 8};
  std::vector<uint8_t> bytes(d.begin(), d.end());
  MemorySource src(bytes);
  Policy p = Policy::Default();
  FindingSink sink(p);
  InflateBudget budget;
  EXPECT_FALSE(StreamEntry(src, e, &budget, sink, nullptr));
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].rule_id, "zip.size-mismatch");
  EXPECT_EQ(*sink.findings()[0].location.offset, 1024u);
  EXPECT_LE(budget.total_inflated, 1024u);
}

// Deflate blocks past max_deflate_blocks_per_mib are refused by both
// decoders: zlib (the wanted prefix) and MeasureDeflate (the rest), with the
// same budget whichever reads the block that passes it. The streams are
// zlib's own, flushed every few bytes: empty stored blocks (Z_SYNC_FLUSH)
// and empty ten-bit fixed blocks that end inside bytes zlib already holds
// (Z_PARTIAL_FLUSH), which inflate reports as Z_BUF_ERROR at a block end.
TEST(ZipStreamTest, DeflateBlocksPastTheBudgetAreRefusedByBothDecoders) {
  std::string data = Text(6000);
  for (int flush : {Z_SYNC_FLUSH, Z_PARTIAL_FLUSH}) {
    std::string z = test_support::DeflateFlushed(data, 3, flush);
    const std::vector<uint8_t> z_bytes(z.begin(), z.end());
    MemorySource raw(z_bytes);
    DeflateMeasure whole = MeasureDeflate(raw, 0, z.size(), UINT64_MAX);
    ASSERT_EQ(whole.status, DeflateMeasure::kOk) << whole.reason;
    const uint64_t blocks = whole.blocks;
    ASSERT_GT(blocks, 2000u);
    std::vector<uint8_t> zip = ZipBuilder().Entry("S/a", data, {.method = 8, .raw_data = z}).Build();
    for (uint64_t wanted : {uint64_t{0}, uint64_t{100}, uint64_t{UINT64_MAX}}) {
      SCOPED_TRACE("flush " + std::to_string(flush) + " wanted " + std::to_string(wanted));
      for (uint64_t limit : {blocks, blocks - 1}) {
        Policy policy = Policy::Default();
        policy.limits.max_deflate_blocks_per_mib = limit;  // under 1 MiB: the whole budget
        Measured m = StreamMeasured(zip, wanted, policy);
        if (limit == blocks) {
          EXPECT_TRUE(m.ok);
          EXPECT_EQ(m.r.errors, 0u) << (m.r.findings.empty() ? "" : m.r.findings[0].message);
          continue;
        }
        EXPECT_FALSE(m.ok);
        const std::vector<Finding>& f = m.r.findings;
        ASSERT_EQ(f.size(), 1u);
        EXPECT_EQ(f[0].rule_id, "zip.limit-exceeded");
        EXPECT_NE(f[0].message.find("max_deflate_blocks_per_mib"), std::string::npos) << f[0].message;
        EXPECT_NE(f[0].message.find("more than " + std::to_string(limit) + " deflate blocks"), std::string::npos);
      }
    }
  }
}

// inflate(Z_BLOCK) returns at the end of the block that holds the last byte
// when an empty block follows (a sync flush, then the final block): a
// consumer that wanted all but the last byte has them all, the measure of
// the rest finds nothing more, and the CRC is still checked.
TEST(ZipStreamTest, CrcIsCheckedWhenTheMeasuredRestIsEmpty) {
  std::string data = Text(1000);
  std::string z = test_support::DeflateFlushed(data, data.size(), Z_SYNC_FLUSH);
  for (bool right_crc : {true, false}) {
    SCOPED_TRACE(right_crc ? "right CRC" : "wrong CRC");
    const uint32_t crc = test_support::Crc32(data) ^ (right_crc ? 0u : 1u);
    std::vector<uint8_t> zip =
        ZipBuilder().Entry("S/a", data, {.method = 8, .local_crc = crc, .central_crc = crc, .raw_data = z}).Build();
    Measured m = StreamMeasured(zip, data.size() - 1);
    EXPECT_EQ(m.out.bytes, data);
    EXPECT_EQ(m.out.skipped, 0u);
    if (right_crc) {
      EXPECT_TRUE(m.ok);
      EXPECT_EQ(m.r.errors, 0u);
      continue;
    }
    EXPECT_FALSE(m.ok);
    const std::vector<Finding>& f = m.r.findings;
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].rule_id, "zip.crc-mismatch");
  }
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
