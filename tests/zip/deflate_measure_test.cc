// SPDX-License-Identifier: BSD-3-Clause
// MeasureDeflate against zlib: the same verdict, length and compressed bytes
// used for zlib's own output at every level and strategy, and zlib's refusal
// (with zlib's wording) for hand-assembled invalid streams.

#define ZLIB_CONST
#include <zlib.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bytes/input_source.h"
#include "support/zip_builder.h"
#include "zip/deflate_measure.h"

namespace mrmlguard::internal {
namespace {

using Bytes = std::vector<uint8_t>;

struct ZlibResult {
  bool ok = false;
  std::string msg;
  uint64_t produced = 0;
  uint64_t consumed = 0;
  uint64_t blocks = 0;  // block ends inflate(Z_BLOCK) returned at
};

// zlib's verdict, as StreamEntry asks it: the whole input, raw deflate, one
// block at a time (Z_BLOCK), counting the ends of blocks.
ZlibResult ZlibInflate(const Bytes& in) {
  ZlibResult r;
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return r;
  zs.next_in = in.data();
  zs.avail_in = static_cast<uInt>(in.size());
  std::vector<uint8_t> out(64 * 1024);
  for (;;) {
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&zs, Z_BLOCK);
    r.produced += out.size() - zs.avail_out;
    if ((zs.data_type & 128) != 0 && rc != Z_STREAM_END) ++r.blocks;
    if (rc == Z_BUF_ERROR && (zs.data_type & 128) != 0) continue;  // a block ended from held bits
    if (rc == Z_STREAM_END) {
      r.ok = true;
      r.consumed = in.size() - zs.avail_in;
      break;
    }
    if (rc != Z_OK) {
      r.msg = zs.msg != nullptr ? zs.msg : "buffer";
      break;
    }
  }
  inflateEnd(&zs);
  return r;
}

Bytes ZlibDeflate(const Bytes& data, int level, int strategy) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, level, Z_DEFLATED, -MAX_WBITS, 8, strategy), Z_OK);
  Bytes out(deflateBound(&zs, data.size()) + 16);
  zs.next_in = data.data();
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

DeflateMeasure Measure(const Bytes& in, uint64_t cap = UINT64_MAX) {
  MemorySource src(in);
  return MeasureDeflate(src, 0, in.size(), cap);
}

// Same verdict, length and bytes used as zlib; returns the zlib result.
ZlibResult ExpectSameAsZlib(const Bytes& in) {
  ZlibResult z = ZlibInflate(in);
  DeflateMeasure m = Measure(in);
  EXPECT_EQ(m.status == DeflateMeasure::kOk, z.ok) << "zlib: " << z.msg << ", measure: " << m.reason;
  if (z.ok && m.status == DeflateMeasure::kOk) {
    EXPECT_EQ(m.produced, z.produced);
    EXPECT_EQ(m.consumed_bytes, z.consumed);
    EXPECT_EQ(m.blocks, z.blocks);
  }
  return z;
}

// Every cap under `produced` (every `cap_step`-th) stops at exactly cap + 1,
// and the stream cut at `cuts` places is truncated.
void ExpectCapsAndCutsRefused(const Bytes& z, uint64_t produced, uint64_t cap_step, size_t cuts) {
  for (uint64_t cap = 0; cap < produced; cap += cap_step) {
    DeflateMeasure m = Measure(z, cap);
    ASSERT_EQ(m.status, DeflateMeasure::kOverCap) << cap;
    ASSERT_EQ(m.produced, cap + 1) << cap;
  }
  for (size_t cut = 1; cut < z.size(); cut += z.size() / cuts + 1) {
    Bytes part(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_EQ(Measure(part).status, DeflateMeasure::kTruncated) << cut;
  }
}

// Input data of several kinds: text, zeros, noise, long repeats.
std::vector<Bytes> Samples() {
  std::vector<Bytes> out;
  Bytes text;
  for (uint32_t i = 0; i < 40000; ++i) {
    std::string s = std::to_string(i * 7919u % 1000u) + (i % 13 == 0 ? "\n" : ",");
    text.insert(text.end(), s.begin(), s.end());
  }
  out.push_back(text);
  out.push_back(Bytes(300000, 0));
  Bytes noise(70000);
  uint32_t x = 12345;
  for (uint8_t& b : noise) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 24);
  }
  out.push_back(noise);
  Bytes mixed;
  for (int i = 0; i < 40; ++i) {
    mixed.insert(mixed.end(), noise.begin() + i * 100, noise.begin() + i * 100 + 700);
    mixed.insert(mixed.end(), static_cast<size_t>(5000 + i * 977), static_cast<uint8_t>(i));
  }
  out.push_back(mixed);
  out.push_back(Bytes{'a'});
  return out;
}

TEST(DeflateMeasureTest, MatchesZlibAtEveryLevelAndStrategy) {
  const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
  for (const Bytes& data : Samples()) {
    for (int level = 0; level <= 9; ++level) {
      for (int strategy : strategies) {
        SCOPED_TRACE("size " + std::to_string(data.size()) + " level " + std::to_string(level) + " strategy " +
                     std::to_string(strategy));
        Bytes z = ZlibDeflate(data, level, strategy);
        DeflateMeasure m = Measure(z);
        ASSERT_EQ(m.status, DeflateMeasure::kOk) << m.reason;
        EXPECT_EQ(m.produced, data.size());
        EXPECT_EQ(m.consumed_bytes, z.size());
        EXPECT_EQ(m.blocks, ZlibInflate(z).blocks);
      }
    }
  }
}

TEST(DeflateMeasureTest, ShortLiteralCodesCountedInRuns) {
  // Skewed literals (Z_HUFFMAN_ONLY): one- and two-bit codes, several
  // literals per table lookup; every cap must stop at exactly cap + 1.
  Bytes skewed;
  uint32_t x = 99;
  for (int i = 0; i < 5000; ++i) {
    x = x * 1103515245u + 12345u;
    uint32_t r = (x >> 16) % 16;
    skewed.push_back(r < 12 ? 'a' : r < 15 ? 'b' : static_cast<uint8_t>('c' + (x >> 8) % 5));
  }
  for (int strategy : {Z_HUFFMAN_ONLY, Z_FIXED, Z_DEFAULT_STRATEGY}) {
    Bytes z = ZlibDeflate(skewed, 9, strategy);
    ExpectSameAsZlib(z);
    EXPECT_EQ(Measure(z, skewed.size()).status, DeflateMeasure::kOk);
    ExpectCapsAndCutsRefused(z, skewed.size(), 7, 17);
  }
}

TEST(DeflateMeasureTest, EmptyStreamAndEmptyInput) {
  Bytes empty = ZlibDeflate({}, 6, Z_DEFAULT_STRATEGY);
  DeflateMeasure m = Measure(empty);
  EXPECT_EQ(m.status, DeflateMeasure::kOk);
  EXPECT_EQ(m.produced, 0u);
  EXPECT_EQ(m.consumed_bytes, empty.size());
  EXPECT_EQ(Measure({}).status, DeflateMeasure::kTruncated);
}

TEST(DeflateMeasureTest, OverCapStopsAtTheFirstByteOver) {
  Bytes z = ZlibDeflate(Bytes(100000, 7), 9, Z_DEFAULT_STRATEGY);
  EXPECT_EQ(Measure(z, 100000).status, DeflateMeasure::kOk);
  DeflateMeasure m = Measure(z, 99999);
  EXPECT_EQ(m.status, DeflateMeasure::kOverCap);
  EXPECT_EQ(m.produced, 100000u);
  Bytes stored = ZlibDeflate(Bytes(1000, 7), 0, Z_DEFAULT_STRATEGY);
  m = Measure(stored, 10);
  EXPECT_EQ(m.status, DeflateMeasure::kOverCap);
  EXPECT_EQ(m.produced, 11u);
}

TEST(DeflateMeasureTest, TruncatedAndTrailingBytes) {
  for (int level : {0, 1, 6, 9}) {
    Bytes z = ZlibDeflate(Samples()[0], level, Z_DEFAULT_STRATEGY);
    for (size_t cut : {size_t{1}, size_t{2}, z.size() / 2, z.size() - 1}) {
      Bytes part(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(cut));
      EXPECT_EQ(Measure(part).status, DeflateMeasure::kTruncated) << level << " " << cut;
      EXPECT_FALSE(ZlibInflate(part).ok);
    }
    Bytes longer = z;
    longer.insert(longer.end(), {1, 2, 3});
    DeflateMeasure m = Measure(longer);
    EXPECT_EQ(m.status, DeflateMeasure::kOk);
    EXPECT_EQ(m.consumed_bytes, z.size());
    ExpectSameAsZlib(longer);
  }
}

TEST(DeflateMeasureTest, CountsBlocksAsZlibDoesAndStopsPastTheBudget) {
  for (int flush : {Z_SYNC_FLUSH, Z_PARTIAL_FLUSH, Z_FULL_FLUSH}) {
    for (size_t step : {size_t{1}, size_t{3}, size_t{100}}) {
      SCOPED_TRACE("flush " + std::to_string(flush) + " step " + std::to_string(step));
      const Bytes text = Samples()[0];
      std::string flushed = test_support::DeflateFlushed({reinterpret_cast<const char*>(text.data()), text.size()},
                                                         step, flush);
      Bytes z(flushed.begin(), flushed.end());
      ZlibResult zr = ExpectSameAsZlib(z);
      ASSERT_TRUE(zr.ok);
      ASSERT_GT(zr.blocks, 2u);
      MemorySource src(z);
      DeflateMeasure at = MeasureDeflate(src, 0, z.size(), UINT64_MAX, zr.blocks);
      EXPECT_EQ(at.status, DeflateMeasure::kOk);
      EXPECT_EQ(at.blocks, zr.blocks);
      DeflateMeasure over = MeasureDeflate(src, 0, z.size(), UINT64_MAX, zr.blocks - 1);
      EXPECT_EQ(over.status, DeflateMeasure::kTooManyBlocks);
      EXPECT_EQ(over.blocks, zr.blocks);
    }
  }
}

TEST(DeflateMeasureTest, ReadsOnlyItsRangeOfTheSource) {
  Bytes z = ZlibDeflate(Samples()[3], 6, Z_DEFAULT_STRATEGY);
  Bytes framed(5, 0xFF);
  framed.insert(framed.end(), z.begin(), z.end());
  framed.insert(framed.end(), 5, 0xFF);
  MemorySource src(framed);
  DeflateMeasure m = MeasureDeflate(src, 5, z.size(), UINT64_MAX);
  EXPECT_EQ(m.status, DeflateMeasure::kOk);
  EXPECT_EQ(m.consumed_bytes, z.size());
  // A range past the end of the source is a read failure, not a verdict.
  m = MeasureDeflate(src, 5, framed.size(), UINT64_MAX);
  EXPECT_EQ(m.status, DeflateMeasure::kReadFailed);
}

// Writes a deflate stream bit by bit (RFC 1951 3.1.1: fields least
// significant bit first, Huffman codes most significant bit first).
class BitWriter {
 public:
  BitWriter& Put(uint32_t value, int n) {
    for (int i = 0; i < n; ++i) Bit((value >> i) & 1u);
    return *this;
  }
  BitWriter& Code(uint32_t code, int n) {
    for (int i = n - 1; i >= 0; --i) Bit((code >> i) & 1u);
    return *this;
  }
  BitWriter& Align() {
    while (bits_ % 8 != 0) Bit(0);
    return *this;
  }
  Bytes Done() const { return out_; }

 private:
  void Bit(uint32_t b) {
    if (bits_ % 8 == 0) out_.push_back(0);
    out_.back() = static_cast<uint8_t>(out_.back() | (b << (bits_ % 8)));
    ++bits_;
  }
  Bytes out_;
  size_t bits_ = 0;
};

// Canonical codes for `lengths` (RFC 1951 3.2.2).
std::vector<uint32_t> CanonicalCodes(const std::vector<int>& lengths) {
  std::vector<uint32_t> count(16, 0), next(16, 0), codes(lengths.size(), 0);
  for (int l : lengths) ++count[static_cast<size_t>(l)];
  count[0] = 0;
  uint32_t code = 0;
  for (size_t bits = 1; bits < 16; ++bits) {
    code = (code + count[bits - 1]) << 1;
    next[bits] = code;
  }
  for (size_t s = 0; s < lengths.size(); ++s) {
    if (lengths[s] != 0) codes[s] = next[static_cast<size_t>(lengths[s])]++;
  }
  return codes;
}

constexpr int kOrder[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

// A dynamic block header: `code_lengths` (19, by symbol) for the code-length
// code, then `items` as code-length symbols with their extra bits.
struct LengthItem {
  int symbol;
  uint32_t extra = 0;
};
void DynamicHeader(BitWriter& w, bool last, int nlen, int ndist, const std::vector<int>& code_lengths,
                   const std::vector<LengthItem>& items) {
  w.Put(last ? 1 : 0, 1).Put(2, 2).Put(static_cast<uint32_t>(nlen - 257), 5).Put(static_cast<uint32_t>(ndist - 1), 5);
  int ncode = 19;
  while (ncode > 4 && code_lengths[static_cast<size_t>(kOrder[ncode - 1])] == 0) --ncode;
  w.Put(static_cast<uint32_t>(ncode - 4), 4);
  for (int i = 0; i < ncode; ++i) w.Put(static_cast<uint32_t>(code_lengths[static_cast<size_t>(kOrder[i])]), 3);
  std::vector<uint32_t> codes = CanonicalCodes(code_lengths);
  for (const LengthItem& item : items) {
    size_t s = static_cast<size_t>(item.symbol);
    w.Code(codes[s], code_lengths[s]);
    if (item.symbol == 16) w.Put(item.extra, 2);
    if (item.symbol == 17) w.Put(item.extra, 3);
    if (item.symbol == 18) w.Put(item.extra, 7);
  }
}

// Code-length code: symbols 0..14 four bits, 16 and 17 five bits (complete).
std::vector<int> PlainCodeLengths() {
  std::vector<int> cl(19, 0);
  for (int s = 0; s <= 14; ++s) cl[static_cast<size_t>(s)] = 4;
  cl[16] = 5;
  cl[17] = 5;
  return cl;
}

// Items that send `lengths` one by one.
std::vector<LengthItem> Literally(const std::vector<int>& lengths) {
  std::vector<LengthItem> items;
  for (int l : lengths) items.push_back({l});
  return items;
}

// A dynamic block with the given literal/length and distance code lengths
// (sent literally), then `symbols` coded with them: {literal/length symbol,
// length extra, distance symbol, distance extra}.
struct Sym {
  int lit;
  uint32_t lit_extra = 0;
  int dist = -1;
  uint32_t dist_extra = 0;
  int lit_extra_bits = 0;
  int dist_extra_bits = 0;
};
Bytes DynamicBlock(const std::vector<int>& lit, const std::vector<int>& dist, const std::vector<Sym>& symbols) {
  BitWriter w;
  std::vector<int> all = lit;
  all.insert(all.end(), dist.begin(), dist.end());
  DynamicHeader(w, true, static_cast<int>(lit.size()), static_cast<int>(dist.size()), PlainCodeLengths(),
                Literally(all));
  std::vector<uint32_t> lcodes = CanonicalCodes(lit), dcodes = CanonicalCodes(dist);
  for (const Sym& s : symbols) {
    w.Code(lcodes[static_cast<size_t>(s.lit)], lit[static_cast<size_t>(s.lit)]);
    w.Put(s.lit_extra, s.lit_extra_bits);
    if (s.dist >= 0) {
      w.Code(dcodes[static_cast<size_t>(s.dist)], dist[static_cast<size_t>(s.dist)]);
      w.Put(s.dist_extra, s.dist_extra_bits);
    }
  }
  return w.Done();
}

// Literal/length lengths: 'a' (97), 256 and 257 (length 3) two bits each,
// 285 (length 258) two bits: a complete code.
std::vector<int> SmallLit() {
  std::vector<int> lit(286, 0);
  lit[97] = 2;
  lit[256] = 2;
  lit[257] = 2;
  lit[285] = 2;
  return lit;
}

void ExpectRefused(const Bytes& in, const std::string& reason) {
  ZlibResult z = ExpectSameAsZlib(in);
  EXPECT_EQ(z.msg, reason);
  DeflateMeasure m = Measure(in);
  EXPECT_EQ(m.status, DeflateMeasure::kInvalid);
  EXPECT_EQ(std::string(m.reason), reason);
}

TEST(DeflateMeasureTest, RefusesBlockType3) {
  ExpectRefused(BitWriter().Put(1, 1).Put(3, 2).Put(0, 13).Done(), "invalid block type");
}

TEST(DeflateMeasureTest, StoredBlocks) {
  BitWriter w;
  w.Put(0, 1).Put(0, 2).Align().Put(3, 16).Put(0xFFFF ^ 3, 16).Put('x', 8).Put('y', 8).Put('z', 8);
  w.Put(1, 1).Put(0, 2).Align().Put(0, 16).Put(0xFFFF, 16);
  Bytes ok = w.Done();
  ExpectSameAsZlib(ok);
  EXPECT_EQ(Measure(ok).produced, 3u);
  ExpectRefused(BitWriter().Put(1, 1).Put(0, 2).Align().Put(3, 16).Put(3, 16).Put(0, 24).Done(),
                "invalid stored block lengths");
  // A stored block longer than the input.
  Bytes cut = BitWriter().Put(1, 1).Put(0, 2).Align().Put(300, 16).Put(0xFFFF ^ 300, 16).Put(0, 8).Done();
  EXPECT_EQ(Measure(cut).status, DeflateMeasure::kTruncated);
  EXPECT_FALSE(ZlibInflate(cut).ok);
}

TEST(DeflateMeasureTest, RefusesTooManyLengthOrDistanceCodes) {
  BitWriter w;
  w.Put(1, 1).Put(2, 2).Put(30, 5).Put(0, 5).Put(0, 4).Put(0, 32);
  ExpectRefused(w.Done(), "too many length or distance symbols");
  BitWriter d;
  d.Put(1, 1).Put(2, 2).Put(0, 5).Put(30, 5).Put(0, 4).Put(0, 32);
  ExpectRefused(d.Done(), "too many length or distance symbols");
}

TEST(DeflateMeasureTest, RefusesBadCodeLengthCodes) {
  // Incomplete: one code of one bit (taken for literal/length and distance
  // codes, never for the code-length code).
  std::vector<int> one(19, 0);
  one[0] = 1;
  BitWriter a;
  DynamicHeader(a, true, 257, 1, one, {});
  a.Put(0, 32);
  ExpectRefused(a.Done(), "invalid code lengths set");
  // Over-subscribed: three codes of one bit.
  std::vector<int> over(19, 0);
  over[0] = over[1] = over[2] = 1;
  BitWriter b;
  DynamicHeader(b, true, 257, 1, over, {});
  b.Put(0, 32);
  ExpectRefused(b.Done(), "invalid code lengths set");
  // No code at all.
  BitWriter c;
  DynamicHeader(c, true, 257, 1, std::vector<int>(19, 0), {});
  c.Put(0, 400);
  ZlibResult z = ExpectSameAsZlib(c.Done());
  EXPECT_FALSE(z.ok);
}

TEST(DeflateMeasureTest, RefusesBadRepeats) {
  BitWriter a;
  DynamicHeader(a, true, 257, 1, PlainCodeLengths(), {{16, 0}});
  a.Put(0, 32);
  ExpectRefused(a.Done(), "invalid bit length repeat");
  // 17 x 7 + 16 + repeat past the 258 lengths.
  std::vector<LengthItem> items;
  for (int i = 0; i < 25; ++i) items.push_back({17, 7});  // 25 x 10 zeros
  items.push_back({17, 7});                               // 10 more: 260 > 258
  BitWriter b;
  DynamicHeader(b, true, 257, 1, PlainCodeLengths(), items);
  b.Put(0, 32);
  ExpectRefused(b.Done(), "invalid bit length repeat");
}

TEST(DeflateMeasureTest, RefusesMissingEndOfBlock) {
  std::vector<int> lit(257, 0);
  lit[65] = 1;
  lit[66] = 1;
  BitWriter w;
  std::vector<int> all = lit;
  all.push_back(1);
  DynamicHeader(w, true, 257, 1, PlainCodeLengths(), Literally(all));
  w.Put(0, 32);
  ExpectRefused(w.Done(), "invalid code -- missing end-of-block");
}

TEST(DeflateMeasureTest, LiteralLengthCodeSets) {
  // Incomplete with a two-bit code: refused.
  std::vector<int> lit(257, 0);
  lit[256] = 2;
  lit[65] = 2;
  ExpectRefused(DynamicBlock(lit, {1}, {}), "invalid literal/lengths set");
  // Over-subscribed.
  std::vector<int> over(257, 0);
  over[256] = 1;
  over[65] = 1;
  over[66] = 1;
  ExpectRefused(DynamicBlock(over, {1}, {}), "invalid literal/lengths set");
  // A single one-bit code (end-of-block only): taken, and its other bit
  // pattern is no code.
  std::vector<int> single(257, 0);
  single[256] = 1;
  Bytes empty = DynamicBlock(single, {1}, {{256}});
  ExpectSameAsZlib(empty);
  EXPECT_EQ(Measure(empty).status, DeflateMeasure::kOk);
  BitWriter w;
  std::vector<int> all = single;
  all.push_back(1);
  DynamicHeader(w, true, 257, 1, PlainCodeLengths(), Literally(all));
  w.Code(1, 1).Put(0, 16);
  ExpectRefused(w.Done(), "invalid literal/length code");
}

TEST(DeflateMeasureTest, DistanceCodeSets) {
  // All-zero distance lengths: taken while no distance is used.
  Bytes lits = DynamicBlock(SmallLit(), {0}, {{97}, {97}, {256}});
  ExpectSameAsZlib(lits);
  EXPECT_EQ(Measure(lits).produced, 2u);
  BitWriter w;
  std::vector<int> all = SmallLit();
  all.push_back(0);
  DynamicHeader(w, true, 286, 1, PlainCodeLengths(), Literally(all));
  std::vector<uint32_t> lc = CanonicalCodes(SmallLit());
  w.Code(lc[97], 2).Code(lc[257], 2).Put(0, 24);
  ExpectRefused(w.Done(), "invalid distance code");
  // A single one-bit distance code: taken; its other pattern is no code.
  Bytes match = DynamicBlock(SmallLit(), {1}, {{97}, {285, 0, 0}, {256}});
  ExpectSameAsZlib(match);
  EXPECT_EQ(Measure(match).produced, 259u);
  BitWriter v;
  all = SmallLit();
  all.push_back(1);
  DynamicHeader(v, true, 286, 1, PlainCodeLengths(), Literally(all));
  v.Code(lc[97], 2).Code(lc[257], 2).Code(1, 1).Put(0, 24);
  ExpectRefused(v.Done(), "invalid distance code");
  // Incomplete with two bits: refused.
  ExpectRefused(DynamicBlock(SmallLit(), {2, 2, 0}, {{256}}), "invalid distances set");
}

TEST(DeflateMeasureTest, RefusesDistanceTooFarBack) {
  // One literal, then a match at distance 2.
  Bytes far = DynamicBlock(SmallLit(), {0, 1}, {{97}, {257, 0, 1}, {256}});
  ExpectRefused(far, "invalid distance too far back");
  Bytes near = DynamicBlock(SmallLit(), {1, 1}, {{97}, {97}, {257, 0, 1}, {256}});
  ExpectSameAsZlib(near);
  EXPECT_EQ(Measure(near).produced, 5u);
}

// Short codes for literals, matches with length and distance extra bits, in
// random order: after kRunTableAfter symbols a block is counted several
// literals and matches to a table lookup. Same length as zlib, and every cap
// stops at exactly cap + 1, inside a run or not.
TEST(DeflateMeasureTest, RunsOfLiteralsAndMatchesAgreeWithZlib) {
  std::vector<int> lit(286, 0);
  lit[97] = 2;   // 'a'
  lit[265] = 2;  // lengths 11-12, one extra bit
  lit[98] = 3;   // 'b'
  lit[256] = 3;
  lit[257] = 3;  // length 3
  lit[285] = 3;  // length 258
  std::vector<int> dist(11, 0);
  dist[0] = 2;   // distance 1
  dist[1] = 2;   // distance 2
  dist[4] = 2;   // distances 5-6, one extra bit
  dist[10] = 2;  // distances 33-48, four extra bits
  std::vector<Sym> symbols;
  for (int i = 0; i < 64; ++i) symbols.push_back({i % 3 == 0 ? 98 : 97});
  uint32_t x = 7;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245u + 12345u;
    const uint32_t r = x >> 16;
    const int lens[] = {97, 98, 257, 265, 285};
    const int dists[] = {0, 1, 4, 10};
    const int l = lens[r % 5];
    if (l < 256) {
      symbols.push_back({l});
      continue;
    }
    const int d = dists[(r >> 4) % 4];
    symbols.push_back({l, (r >> 8) & 1u, d, (r >> 9) & 15u, l == 265 ? 1 : 0, d == 4 ? 1 : d == 10 ? 4 : 0});
  }
  symbols.push_back({256});
  Bytes z = DynamicBlock(lit, dist, symbols);
  ZlibResult zr = ExpectSameAsZlib(z);
  ASSERT_TRUE(zr.ok) << zr.msg;
  ASSERT_GT(zr.produced, 200000u);
  ExpectCapsAndCutsRefused(z, zr.produced, 997, 23);
}

// A match that fits a run (a one-bit length code, a one-bit distance code
// and six extra bits) at a distance past what was produced is still refused:
// runs hold matches only once the window is full.
TEST(DeflateMeasureTest, RunsNeverHideADistanceTooFarBack) {
  std::vector<int> lit(286, 0);
  lit[97] = 2;
  lit[256] = 2;
  lit[257] = 1;
  std::vector<int> dist(15, 0);
  dist[0] = 1;
  dist[14] = 1;  // distances 129-192, six extra bits
  for (int literals : {150, 200}) {
    SCOPED_TRACE(literals);
    std::vector<Sym> symbols(static_cast<size_t>(literals), Sym{97});
    symbols.push_back({257, 0, 14, 63, 0, 6});  // distance 192
    symbols.push_back({256});
    Bytes z = DynamicBlock(lit, dist, symbols);
    if (literals < 192) {
      ExpectRefused(z, "invalid distance too far back");
    } else {
      ExpectSameAsZlib(z);
      EXPECT_EQ(Measure(z).produced, static_cast<uint64_t>(literals) + 3);
    }
  }
}

// Fixed Huffman codes (RFC 1951 3.2.6).
BitWriter& FixedLit(BitWriter& w, int sym) {
  if (sym < 144) return w.Code(static_cast<uint32_t>(0x30 + sym), 8);
  if (sym < 256) return w.Code(static_cast<uint32_t>(0x190 + sym - 144), 9);
  if (sym < 280) return w.Code(static_cast<uint32_t>(sym - 256), 7);
  return w.Code(static_cast<uint32_t>(0xC0 + sym - 280), 8);
}

TEST(DeflateMeasureTest, FixedBlockSymbols) {
  for (int sym : {286, 287}) {
    BitWriter w;
    w.Put(1, 1).Put(1, 2);
    FixedLit(w, 'a');
    FixedLit(w, sym).Put(0, 16);
    ExpectRefused(w.Done(), "invalid literal/length code");
  }
  for (uint32_t dsym : {30u, 31u}) {
    BitWriter w;
    w.Put(1, 1).Put(1, 2);
    FixedLit(w, 'a');
    FixedLit(w, 257).Code(dsym, 5).Put(0, 16);
    ExpectRefused(w.Done(), "invalid distance code");
  }
  // Length 258 through symbol 284 with all extra bits set, at distance 1.
  BitWriter w;
  w.Put(1, 1).Put(1, 2);
  FixedLit(w, 'a');
  FixedLit(w, 284).Put(31, 5).Code(0, 5);
  FixedLit(w, 256);
  Bytes ok = w.Done();
  ExpectSameAsZlib(ok);
  EXPECT_EQ(Measure(ok).produced, 259u);
  // A distance of 32768 after 32768 bytes is fine; after 32767 too far.
  for (uint32_t before : {32767u, 32768u}) {
    BitWriter m;
    m.Put(1, 1).Put(1, 2);
    FixedLit(m, 'a');
    uint32_t have = 1;
    while (have + 258 <= before) {
      FixedLit(m, 285).Code(0, 5);
      have += 258;
    }
    while (have < before) {
      FixedLit(m, 'a');
      ++have;
    }
    FixedLit(m, 257).Code(29, 5).Put(8191, 13);
    FixedLit(m, 256);
    ZlibResult z = ExpectSameAsZlib(m.Done());
    EXPECT_EQ(z.ok, before == 32768u) << z.msg;
  }
}

TEST(DeflateMeasureTest, CostIsPerSymbolNotPerByte) {
  // 1 GiB from 1.5 MB of deflate (a two-bit length-258 code, a one-bit
  // distance): measured in about 4M symbol decodes, never inflated.
  BitWriter w;
  std::vector<int> all = SmallLit();
  all.push_back(1);
  DynamicHeader(w, true, 286, 1, PlainCodeLengths(), Literally(all));
  std::vector<uint32_t> lc = CanonicalCodes(SmallLit());
  w.Code(lc[97], 2);
  const uint64_t matches = ((uint64_t{1} << 30) - 4) / 258;
  for (uint64_t i = 0; i < matches; ++i) w.Code(lc[285], 2).Code(0, 1);
  w.Code(lc[257], 2).Code(0, 1).Code(lc[256], 2);
  Bytes z = w.Done();
  DeflateMeasure m = Measure(z);
  ASSERT_EQ(m.status, DeflateMeasure::kOk) << m.reason;
  EXPECT_EQ(m.produced, uint64_t{1} << 30);
  EXPECT_EQ(m.consumed_bytes, z.size());
}

}  // namespace
}  // namespace mrmlguard::internal
