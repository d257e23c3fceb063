// SPDX-License-Identifier: BSD-3-Clause
// MeasureDeflate: a raw DEFLATE decoder (RFC 1951) that counts bytes instead
// of writing them. Matches cost O(1): a match adds its length to the count
// after the distance was checked against the bytes produced so far, which is
// all zlib checks about a match (with a 32 KiB window and a fresh stream,
// "too far back" means "before the first byte").

#include "zip/deflate_measure.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "bytes/checked_math.h"

namespace mrmlguard::internal {
namespace {

constexpr size_t kChunk = 256 * 1024;  // one source.View per 256 KiB, as StreamEntry reads
constexpr int kMaxCodeBits = 15;       // RFC 1951 3.2.7
constexpr int kRootBits = 10;          // primary table; longer codes take the canonical slow path
constexpr uint16_t kNoSymbol = 0xFFFF;
constexpr uint32_t kRunTableAfter = 128;  // symbols of a block decoded one by one first (RunTable)

// RFC 1951 3.2.5: lengths of symbols 257..285 and distances of symbols 0..29.
constexpr std::array<uint16_t, 29> kLengthBase = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<uint8_t, 29> kLengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<uint16_t, 30> kDistBase = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,
                                                33,  49,  65,  97,  129, 193,  257,  385,  513,  769,
                                                1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<uint8_t, 30> kDistExtra = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                                6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
// RFC 1951 3.2.7: the order in which code-length code lengths are sent.
constexpr std::array<uint8_t, 19> kCodeLengthOrder = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

// Reads the stream's bits, least significant first (RFC 1951 3.1.1), from
// source.View in kChunk steps. Past the end of the range it supplies zero
// bytes and counts them (phantom_): a decoder that used one of their bits ran
// out of input (the stream is truncated), which is decided where it matters
// (PastEnd) instead of on every read.
class BitReader {
 public:
  BitReader(InputSource& source, uint64_t offset, uint64_t size)
      : source_(source), start_(offset), view_pos_(offset), range_end_(offset + size) {}

  // Ensures at least 56 bits are buffered. False when the source could not be
  // read (failed_at()) or the decoder is more than 8 bytes past the end.
  bool Refill() {
    while (count_ < 56) {
      if (p_ == end_) {
        if (view_pos_ == range_end_) {
          // Buffered bits are at most 63: once 9 zero bytes were supplied,
          // at least one of them was used.
          if (++phantom_ > 8) {
            truncated_ = true;
            return false;
          }
          count_ += 8;
          continue;
        }
        if (!NextView()) return false;
        continue;
      }
      if (end_ - p_ >= 8) {
        // Eight bytes little-endian; the bits above count_ are those of the
        // next bytes, so OR-ing them again later gives the same bits.
        uint64_t word = 0;
        for (int i = 7; i >= 0; --i) word = (word << 8) | p_[i];
        buf_ |= word << count_;
        int take = (63 - count_) >> 3;
        p_ += take;
        count_ += take * 8;
      } else {
        buf_ |= static_cast<uint64_t>(*p_++) << count_;
        count_ += 8;
      }
    }
    return true;
  }

  // The low `n` buffered bits (n <= count_, n < 32), without using them.
  uint32_t Peek(int n) const { return static_cast<uint32_t>(buf_ & ((uint64_t{1} << n) - 1)); }
  uint64_t PeekAll() const { return buf_; }
  void Drop(int n) {
    buf_ >>= n;
    count_ -= n;
  }
  uint32_t Bits(int n) {
    uint32_t v = Peek(n);
    Drop(n);
    return v;
  }
  int count() const { return count_; }

  // Goes to the next byte boundary (RFC 1951 3.2.4, stored blocks).
  void AlignToByte() { Drop(count_ & 7); }

  // After AlignToByte: uses up to `n` whole bytes that are really in the
  // range (buffered ones first) and returns how many it used. Uses fewer
  // only when the range ends first.
  uint64_t SkipBytes(uint64_t n) {
    int buffered = count_ >> 3;
    int real_buffered = buffered - std::min(buffered, phantom_);
    uint64_t taken = std::min<uint64_t>(n, static_cast<uint64_t>(real_buffered));
    Drop(static_cast<int>(taken) * 8);
    uint64_t rest = n - taken;
    if (rest == 0) return taken;
    if (phantom_ > 0) return taken;  // the range already ended
    // The buffer is empty now (its bits above count_ are those of p_[0..],
    // dropped with it; the next Refill reads them again from p_).
    buf_ = 0;
    count_ = 0;
    uint64_t in_view = static_cast<uint64_t>(end_ - p_);
    if (rest <= in_view) {
      p_ += rest;
      return n;
    }
    rest -= in_view;
    p_ = end_;
    uint64_t in_range = range_end_ - view_pos_;
    uint64_t jump = std::min(rest, in_range);
    view_pos_ += jump;
    return taken + in_view + jump;
  }

  // True when the decoder used a bit past the end of the range.
  bool PastEnd() const { return phantom_ * 8 > count_; }
  // Range bytes holding a used bit (call when !PastEnd()).
  uint64_t ConsumedBytes() const {
    uint64_t through_p = (view_pos_ - start_) - static_cast<uint64_t>(end_ - p_);
    return through_p + static_cast<uint64_t>(phantom_) - static_cast<uint64_t>(count_ >> 3);
  }
  bool truncated() const { return truncated_; }
  uint64_t failed_at() const { return failed_at_; }

 private:
  bool NextView() {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, range_end_ - view_pos_));
    std::span<const uint8_t> view = source_.View(view_pos_, n, &scratch_);
    if (view.size() != n) {
      failed_at_ = view_pos_ + view.size();
      return false;
    }
    p_ = view.data();
    end_ = p_ + n;
    view_pos_ += n;
    return true;
  }

  InputSource& source_;
  uint64_t start_;
  uint64_t view_pos_;   // source offset of the byte after the current view
  uint64_t range_end_;
  std::vector<uint8_t> scratch_;
  const uint8_t* p_ = nullptr;  // next byte of the view not yet counted in count_
  const uint8_t* end_ = nullptr;
  uint64_t buf_ = 0;
  int count_ = 0;     // valid bits in buf_
  int phantom_ = 0;   // zero bytes supplied past the end of the range
  bool truncated_ = false;
  uint64_t failed_at_ = 0;
};

// zlib's three kinds of code (inftrees.h CODES, LENS, DISTS): they differ in
// which incomplete codes zlib takes.
enum class CodeKind { kCodeLengths, kLiteralLength, kDistance };

// A canonical Huffman code (RFC 1951 3.2.2): a primary table over the next
// kRootBits bits, and per-length counts with the symbols sorted by code for
// longer codes (and for bit patterns that are no code at all).
class Huffman {
 public:
  // Builds the code from `lengths` (each 0..15); false where zlib's
  // inflate_table refuses it: over-subscribed, or incomplete unless it is a
  // literal/length or distance code whose longest code has one bit (a single
  // one-bit code). A code without symbols is refused for code lengths (zlib
  // takes it, then decodes every length as 0, so the end-of-block code is
  // missing: refused either way) and taken for the others (any use fails).
  bool Build(std::span<const uint8_t> lengths, CodeKind kind) {
    count_.fill(0);
    for (uint8_t len : lengths) ++count_[len];
    count_[0] = 0;
    size_t max = kMaxCodeBits;
    while (max > 0 && count_[max] == 0) --max;
    table_.fill(0);
    if (max == 0) return kind != CodeKind::kCodeLengths;
    int left = 1;
    for (size_t len = 1; len <= kMaxCodeBits; ++len) {
      left = (left << 1) - count_[len];
      if (left < 0) return false;  // over-subscribed
    }
    if (left > 0 && (kind == CodeKind::kCodeLengths || max != 1)) return false;  // incomplete

    // Symbols in code order (by length, then symbol), and the first code of each length.
    std::array<uint16_t, kMaxCodeBits + 1> offset{};
    std::array<uint32_t, kMaxCodeBits + 1> next_code{};
    uint32_t code = 0;
    for (size_t len = 1; len <= kMaxCodeBits; ++len) {
      offset[len] = static_cast<uint16_t>(offset[len - 1] + count_[len - 1]);
      code = (code + count_[len - 1]) << 1;
      next_code[len] = code;
    }
    for (size_t sym = 0; sym < lengths.size(); ++sym) {
      size_t len = lengths[sym];
      if (len == 0) continue;
      symbols_[offset[len]++] = static_cast<uint16_t>(sym);
      if (len > kRootBits) continue;  // slow path
      // Codes are sent most significant bit first into an LSB-first stream:
      // the table index is the code reversed.
      uint32_t c = next_code[len]++;
      uint32_t reversed = 0;
      for (size_t i = 0; i < len; ++i) reversed |= ((c >> i) & 1u) << (len - 1 - i);
      uint16_t entry = static_cast<uint16_t>(sym | (len << 12));
      for (uint32_t i = reversed; i < (1u << kRootBits); i += 1u << len) table_[i] = entry;
    }
    return true;
  }

  // The primary table's entry for the next kRootBits bits: symbol (bits
  // 0-8) | code length << 12, or 0 where the code is longer or no code.
  uint16_t Entry(uint32_t index) const { return table_[index]; }

  // Decodes one symbol from `in` (at least 15 bits buffered, zero bits past
  // the end); kNoSymbol when the bits are no code.
  uint16_t Decode(BitReader& in) const {
    uint16_t entry = table_[in.Peek(kRootBits)];
    if (entry != 0) {
      in.Drop(entry >> 12);
      return entry & 0x1FF;
    }
    // Canonical decode one bit at a time: `code` is the code read so far,
    // `first` the first code of this length, `index` its first symbol.
    uint64_t bits = in.PeekAll();
    uint32_t code = 0;
    uint32_t first = 0;
    uint32_t index = 0;
    for (size_t len = 1; len <= kMaxCodeBits; ++len) {
      code |= static_cast<uint32_t>(bits >> (len - 1)) & 1u;
      uint32_t n = count_[len];
      if (code - first < n) {  // code >= first always holds here
        in.Drop(static_cast<int>(len));
        return symbols_[index + (code - first)];
      }
      index += n;
      first = (first + n) << 1;
      code <<= 1;
    }
    return kNoSymbol;
  }

 private:
  // entry: symbol (bits 0-8) | length << 12; 0 = take the slow path.
  std::array<uint16_t, 1u << kRootBits> table_{};
  std::array<uint16_t, kMaxCodeBits + 1> count_{};
  std::array<uint16_t, 288> symbols_{};
};

// What the next kRunBits bits hold whole, for one lookup instead of one
// decode per symbol: literals and matches (a length code, its extra bits, a
// distance code and its extra bits) in a row, up to the first symbol that is
// anything else or does not fit. Only how many bytes they produce matters
// here, not which. Entry: bits used (bits 0-3), bytes produced (bits 4-14:
// at most 4 matches of 258), bit 15 when a match is among them (a match's
// distance is valid whatever it is only once kWindow bytes were produced);
// 0 when the bits start with no whole literal or match. Two-bit matches of
// three bytes, the stream that costs a decoder the most per compressed byte,
// go four to a lookup.
class RunTable {
 public:
  static constexpr int kRunBits = 8;  // fewer than kRootBits: a quarter of the build for most of the gain
  static constexpr uint64_t kWindow = 32768;  // the largest distance (RFC 1951 3.2.5)
  static constexpr uint16_t kHasMatch = 0x8000;

  // Two passes of one step per entry: the first whole item of every index,
  // then, for k = 1..kRunBits known bits, the run of index r as its first
  // item and the run of what is left (k - b known bits after a b-bit item),
  // found earlier. runs_ is that table as a heap: k known bits at
  // (1 << k) | r; the lookup table is the last row (k = kRunBits).
  void Build(const Huffman& lit, const Huffman& dist) {
    std::array<uint16_t, 1u << kRunBits> first;  // every entry written here
    for (uint32_t i = 0; i < (1u << kRunBits); ++i) first[i] = FirstItem(lit, dist, i);
    runs_[1] = 0;
    for (uint32_t k = 1; k <= kRunBits; ++k) {
      for (uint32_t r = 0; r < (1u << k); ++r) {
        // An item found with zeros above the k known bits is right when it fits in them.
        const uint16_t item = first[r];
        const uint32_t b = item & 0xFu;
        uint16_t run = 0;
        if (item != 0 && b <= k) {
          const uint16_t rest = runs_[(1u << (k - b)) | (r >> b)];
          run = static_cast<uint16_t>(((item | rest) & kHasMatch) + ((item & 0x7FFFu) + (rest & 0x7FFFu)));
        }
        runs_[(1u << k) | r] = run;
      }
    }
    built_ = true;
  }

  void Reset() { built_ = false; }
  bool built() const { return built_; }
  uint16_t operator[](uint32_t index) const { return runs_[(1u << kRunBits) | index]; }

 private:
  // The first literal or match of index i (its kRunBits bits), packed as a run.
  static uint16_t FirstItem(const Huffman& lit, const Huffman& dist, uint32_t i) {
    const uint16_t entry = lit.Entry(i);
    uint32_t at = entry >> 12u;
    const uint32_t sym = entry & 0x1FFu;
    if (entry == 0 || sym == 256 || sym >= 286) return 0;
    if (sym < 256) return static_cast<uint16_t>((1u << 4) | at);
    const uint32_t extra = kLengthExtra[sym - 257];
    if (at + extra > kRunBits) return 0;
    const uint32_t length = kLengthBase[sym - 257] + ((i >> at) & ((1u << extra) - 1u));
    at += extra;
    const uint16_t dentry = dist.Entry(i >> at);
    at += dentry >> 12u;
    const uint32_t dsym = dentry & 0x1FFu;
    if (dentry == 0 || dsym >= 30 || at + kDistExtra[dsym] > kRunBits) return 0;
    return static_cast<uint16_t>(kHasMatch | (length << 4) | (at + kDistExtra[dsym]));
  }

  std::array<uint16_t, 2u << kRunBits> runs_{};  // runs_[0] unused
  bool built_ = false;
};

class Measurer {
 public:
  Measurer(InputSource& source, uint64_t offset, uint64_t size, uint64_t cap, uint64_t max_blocks)
      : in_(source, offset, size), cap_(cap), max_blocks_(max_blocks) {}

  DeflateMeasure Run() {
    for (;;) {
      if (!Refill()) return result_;
      bool last = in_.Bits(1) != 0;
      uint32_t type = in_.Bits(2);
      bool ok = false;
      if (type == 0) {
        ok = Stored();
      } else if (type == 1) {
        if (!fixed_built_) BuildFixed();
        ok = Codes(fixed_lit_, fixed_dist_, fixed_runs_);
      } else if (type == 2) {
        dynamic_runs_.Reset();
        ok = Dynamic() && Codes(lit_, dist_, dynamic_runs_);
      } else {
        ok = Invalid("invalid block type");
      }
      if (!ok) return result_;
      if (++result_.blocks > max_blocks_) {
        // A block that used bits past the end is a truncation (zlib would
        // still be waiting for input, and never see it end).
        Stop(in_.PastEnd() ? DeflateMeasure::kTruncated : DeflateMeasure::kTooManyBlocks);
        return result_;
      }
      if (last) break;
    }
    if (in_.PastEnd()) {
      result_.status = DeflateMeasure::kTruncated;
      return result_;
    }
    result_.status = DeflateMeasure::kOk;
    result_.consumed_bytes = in_.ConsumedBytes();
    return result_;
  }

 private:
  bool Refill() {
    if (in_.Refill()) return true;
    if (in_.truncated()) return Stop(DeflateMeasure::kTruncated);
    result_.failed_at = in_.failed_at();
    return Stop(DeflateMeasure::kReadFailed);
  }

  bool Stop(DeflateMeasure::Status status) {
    result_.status = status;
    return false;
  }

  // zlib refuses the stream; a refusal that needed bits past the end is a
  // truncation (zlib would still be waiting for input).
  bool Invalid(const char* reason) {
    if (in_.PastEnd()) return Stop(DeflateMeasure::kTruncated);
    result_.reason = reason;
    return Stop(DeflateMeasure::kInvalid);
  }

  // `n` more bytes; false (kOverCap) past the cap.
  bool Produce(uint64_t n) {
    if (n > cap_ - result_.produced) {
      if (in_.PastEnd()) return Stop(DeflateMeasure::kTruncated);
      result_.produced = cap_ == UINT64_MAX ? cap_ : cap_ + 1;
      return Stop(DeflateMeasure::kOverCap);
    }
    result_.produced += n;
    return true;
  }

  // RFC 1951 3.2.4; zlib: "invalid stored block lengths".
  bool Stored() {
    in_.AlignToByte();
    if (!Refill()) return false;
    uint32_t len = in_.Bits(16);
    uint32_t nlen = in_.Bits(16);
    if (len != (~nlen & 0xFFFFu)) return Invalid("invalid stored block lengths");
    uint64_t got = in_.SkipBytes(len);
    if (got > cap_ - result_.produced) return Produce(got);  // over the cap with bytes that are there
    if (got < len) return Stop(DeflateMeasure::kTruncated);
    return Produce(len);
  }

  void BuildFixed() {
    // RFC 1951 3.2.6; symbols 286-287 and distances 30-31 have codes but
    // are refused when used.
    std::array<uint8_t, 288> lit{};
    std::fill(lit.begin(), lit.begin() + 144, 8);
    std::fill(lit.begin() + 144, lit.begin() + 256, 9);
    std::fill(lit.begin() + 256, lit.begin() + 280, 7);
    std::fill(lit.begin() + 280, lit.end(), 8);
    std::array<uint8_t, 32> dist{};
    dist.fill(5);
    (void)fixed_lit_.Build(lit, CodeKind::kLiteralLength);
    (void)fixed_dist_.Build(dist, CodeKind::kDistance);
    fixed_built_ = true;
  }

  // RFC 1951 3.2.7, with zlib's refusals (inflate.c TABLE, LENLENS, CODELENS).
  bool Dynamic() {
    if (!Refill()) return false;
    uint32_t nlen = in_.Bits(5) + 257;
    uint32_t ndist = in_.Bits(5) + 1;
    uint32_t ncode = in_.Bits(4) + 4;
    if (nlen > 286 || ndist > 30) return Invalid("too many length or distance symbols");
    std::array<uint8_t, 19> code_lengths{};
    for (uint32_t i = 0; i < ncode; ++i) {
      if (in_.count() < 3 && !Refill()) return false;
      code_lengths[kCodeLengthOrder[i]] = static_cast<uint8_t>(in_.Bits(3));
    }
    if (!lengths_code_.Build(code_lengths, CodeKind::kCodeLengths)) return Invalid("invalid code lengths set");
    std::array<uint8_t, 286 + 30> lengths{};
    const uint32_t total = nlen + ndist;
    uint32_t have = 0;
    while (have < total) {
      if (in_.count() < 32 && !Refill()) return false;
      uint16_t sym = lengths_code_.Decode(in_);  // a complete code: always a symbol
      if (sym == kNoSymbol) return Invalid("invalid code lengths set");
      if (sym < 16) {
        lengths[have++] = static_cast<uint8_t>(sym);
        continue;
      }
      uint8_t value = 0;
      uint32_t copy = 0;
      if (sym == 16) {
        if (have == 0) return Invalid("invalid bit length repeat");
        value = lengths[have - 1];
        copy = 3 + in_.Bits(2);
      } else if (sym == 17) {
        copy = 3 + in_.Bits(3);
      } else {
        copy = 11 + in_.Bits(7);
      }
      if (copy > total - have) return Invalid("invalid bit length repeat");
      std::fill(lengths.begin() + have, lengths.begin() + have + copy, value);
      have += copy;
    }
    if (lengths[256] == 0) return Invalid("invalid code -- missing end-of-block");
    if (!lit_.Build(std::span<const uint8_t>(lengths.data(), nlen), CodeKind::kLiteralLength)) {
      return Invalid("invalid literal/lengths set");
    }
    if (!dist_.Build(std::span<const uint8_t>(lengths.data() + nlen, ndist), CodeKind::kDistance)) {
      return Invalid("invalid distances set");
    }
    return true;
  }

  // The symbols of one Huffman block, up to its end-of-block code. At most
  // 48 bits per round (15 + 5 + 15 + 13), so one refill per round.
  // The run table is built once a block has decoded kRunTableAfter symbols
  // one by one, so that a block too short to repay the build never pays it.
  bool Codes(const Huffman& lit, const Huffman& dist, RunTable& runs) {
    uint32_t decoded = 0;
    for (;;) {
      if (in_.count() < 48 && !Refill()) return false;
      if (runs.built()) {
        // A run that would pass the cap, or holds a match before the window
        // is full, is taken symbol by symbol, where those are decided.
        const uint16_t run = runs[in_.Peek(RunTable::kRunBits)];
        const uint64_t bytes = (run >> 4) & 0x7FFu;
        if (run != 0 && ((run & RunTable::kHasMatch) == 0 || result_.produced >= RunTable::kWindow) &&
            bytes <= cap_ - result_.produced) {
          in_.Drop(run & 0xFu);
          result_.produced += bytes;
          continue;
        }
      } else if (++decoded == kRunTableAfter) {
        runs.Build(lit, dist);
      }
      uint16_t sym = lit.Decode(in_);
      if (sym < 256) {
        if (!Produce(1)) return false;
        continue;
      }
      if (sym == 256) return true;
      if (sym >= 286) return Invalid("invalid literal/length code");  // includes kNoSymbol
      uint32_t length = kLengthBase[sym - 257] + in_.Bits(kLengthExtra[sym - 257]);
      uint16_t dsym = dist.Decode(in_);
      if (dsym >= 30) return Invalid("invalid distance code");  // includes kNoSymbol
      uint32_t distance = kDistBase[dsym] + in_.Bits(kDistExtra[dsym]);
      if (distance > result_.produced) return Invalid("invalid distance too far back");
      if (!Produce(length)) return false;
    }
  }

  BitReader in_;
  uint64_t cap_;
  uint64_t max_blocks_;
  DeflateMeasure result_;
  Huffman lengths_code_;
  Huffman lit_;
  Huffman dist_;
  Huffman fixed_lit_;
  Huffman fixed_dist_;
  RunTable dynamic_runs_;
  RunTable fixed_runs_;  // built once: the fixed codes never change
  bool fixed_built_ = false;
};

}  // namespace

DeflateMeasure MeasureDeflate(InputSource& source, uint64_t offset, uint64_t compressed_size, uint64_t cap,
                              uint64_t max_blocks) {
  uint64_t end = 0;
  if (!CheckedAdd(offset, compressed_size, &end)) {
    DeflateMeasure failed;
    failed.failed_at = offset;
    return failed;
  }
  Measurer measurer(source, offset, compressed_size, cap, max_blocks);
  return measurer.Run();
}

}  // namespace mrmlguard::internal
