// SPDX-License-Identifier: BSD-3-Clause
// Pass 2 of the ZIP layer (StreamEntry): read one entry's data exactly once,
// in bounded chunks, and prove that it is what the headers declared (Z15,
// Z16; hardening research A.2 rules 2-3, A.5 finding 6). A deflated entry is
// inflated by zlib only as far as its consumer wants (EntrySink::Wanted);
// the rest is measured by MeasureDeflate, which counts the bytes without
// writing them (a 1 GiB run of zeros costs about 4M symbol decodes instead
// of 1G byte copies), so the size stays exact and only the CRC is skipped.

#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "bytes/checked_math.h"
#include "findings/quote.h"
#include "zip/deflate_measure.h"
#include "zip/zip_archive.h"
#include "zip/zip_crc.h"
#include "zip/zip_names.h"
#include "zip/zip_text.h"

namespace mrmlguard::internal {
namespace {

// Read and inflate in 256 KiB steps: large enough that pread and zlib calls
// are cheap per byte, small enough that memory does not depend on the entry.
constexpr size_t kChunk = 256 * 1024;

// Counts, checks and forwards the uncompressed bytes of one entry.
class Output {
 public:
  Output(const ZipEntry& entry, FindingSink& sink, EntrySink* out)
      : entry_(entry), sink_(sink), out_(out), limits_(sink.limits()) {}

  // Takes the next chunk; false after a finding (nothing past the declared
  // size is ever forwarded).
  bool Take(std::span<const uint8_t> chunk) {
    if (chunk.empty()) return true;
    if (chunk.size() > entry_.declared_size - produced_) {
      sink_.Add(Rule::kZipSizeMismatch, {.entry = entry_.name, .offset = entry_.declared_size},
                "entry " + Quote(entry_.name) + " inflates to more than its declared " +
                    Num(entry_.declared_size) + " bytes");
      return false;
    }
    produced_ += chunk.size();
    // Backstop: StreamEntry refused a declared ratio above the limit, and
    // produced_ never passes the declared size.
    if (RatioAboveLimit(produced_, entry_.compressed_size, limits_)) {
      sink_.LimitReached(Rule::kZipRatio, "max_compression_ratio", limits_.max_compression_ratio,
                         {.entry = entry_.name, .offset = produced_},
                         "(" + Num(produced_) + " bytes from " + Num(entry_.compressed_size) + " compressed bytes)");
      return false;
    }
    crc_ = Crc32Update(crc_, chunk);
    if (out_ != nullptr) out_->Data(chunk);
    return true;
  }

  // The rest of the entry was measured, not inflated: `total` bytes in all
  // (at least produced(), at most the declared size). Checks the ratio as
  // Take does; the CRC is still checked when nothing was left to measure.
  bool Measured(uint64_t total) {
    delivered_ = produced_;
    // A stream that ends where zlib stopped (inflate(Z_BLOCK) returns at a
    // block end, before a last empty block) was inflated whole after all.
    all_inflated_ = total == produced_;
    produced_ = total;
    if (RatioAboveLimit(produced_, entry_.compressed_size, limits_)) {
      sink_.LimitReached(Rule::kZipRatio, "max_compression_ratio", limits_.max_compression_ratio,
                         {.entry = entry_.name, .offset = produced_},
                         "(" + Num(produced_) + " bytes from " + Num(entry_.compressed_size) + " compressed bytes)");
      return false;
    }
    return true;
  }

  // The final size and CRC checks. The CRC is checked only when every byte
  // was inflated: it guards integrity, and the measured size already makes
  // the entry exactly as long as declared.
  bool Finish() {
    if (produced_ != entry_.declared_size) {
      sink_.Add(Rule::kZipSizeMismatch, {.entry = entry_.name, .offset = produced_},
                "entry " + Quote(entry_.name) + " has " + Num(produced_) + " bytes, the headers declare " +
                    Num(entry_.declared_size));
      return false;
    }
    if (all_inflated_ && crc_ != entry_.declared_crc32) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "0x%08x, the headers declare 0x%08x", crc_, entry_.declared_crc32);
      sink_.Add(Rule::kZipCrcMismatch, {.entry = entry_.name},
                "CRC-32 of entry " + Quote(entry_.name) + " is " + buf);
      return false;
    }
    if (!all_inflated_ && out_ != nullptr) out_->Skipped(produced_ - delivered_);
    return true;
  }

  uint64_t produced() const { return produced_; }

 private:
  const ZipEntry& entry_;
  FindingSink& sink_;
  EntrySink* out_;
  const Limits& limits_;
  uint64_t produced_ = 0;
  uint64_t delivered_ = 0;  // bytes passed to out_ (= produced_ while all_inflated_)
  bool all_inflated_ = true;
  uint32_t crc_ = 0;
};

// Deflate blocks an entry may hold: max_deflate_blocks_per_mib for each MiB
// of compressed data, counted from the next whole MiB.
uint64_t DeflateBlockBudget(const ZipEntry& entry, const Limits& limits) {
  uint64_t budget = 0;
  return CheckedMul((entry.compressed_size >> 20) + 1, limits.max_deflate_blocks_per_mib, &budget) ? budget
                                                                                                   : UINT64_MAX;
}

bool TooManyBlocks(const ZipEntry& entry, uint64_t produced, FindingSink& sink) {
  const Limits& limits = sink.limits();
  sink.LimitReached(Rule::kZipLimitExceeded, "max_deflate_blocks_per_mib", limits.max_deflate_blocks_per_mib,
                    {.entry = entry.name, .offset = produced},
                    "(entry " + Quote(entry.name) + " holds more than " + Num(DeflateBlockBudget(entry, limits)) +
                        " deflate blocks in its " + Num(entry.compressed_size) + " compressed bytes)");
  return false;
}

bool ReadFailed(InputSource& source, const ZipEntry& entry, uint64_t at, FindingSink& sink) {
  if (source.io_error().empty()) {
    sink.Add(Rule::kZipTruncated, {.entry = entry.name},
             "data of entry " + Quote(entry.name) + " runs past the end of the file at offset " + Num(at));
  }
  return false;
}

bool StreamStored(InputSource& source, const ZipEntry& entry, FindingSink& sink, Output& output) {
  if (entry.compressed_size != entry.declared_size) {
    sink.Add(Rule::kZipSizeMismatch, {.entry = entry.name},
             "stored entry " + Quote(entry.name) + " declares " + Num(entry.compressed_size) +
                 " compressed but " + Num(entry.declared_size) + " uncompressed bytes");
    return false;
  }
  std::vector<uint8_t> scratch;
  uint64_t done = 0;
  while (done < entry.compressed_size) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, entry.compressed_size - done));
    std::span<const uint8_t> chunk = source.View(entry.data_offset + done, n, &scratch);
    if (chunk.size() != n) return ReadFailed(source, entry, entry.data_offset + done, sink);
    if (!output.Take(chunk)) return false;
    done += n;
  }
  return output.Finish();
}

// The entry's whole deflate stream measured by MeasureDeflate, after zlib
// inflated its first output.produced() bytes from `zlib_consumed` compressed
// bytes without finding fault: the same checks as the inflating path, on the
// measured numbers, and a refusal when the two decoders disagree.
bool MeasureRest(InputSource& source, const ZipEntry& entry, FindingSink& sink, Output& output,
                 uint64_t zlib_consumed) {
  const std::string quoted = Quote(entry.name);
  DeflateMeasure m = MeasureDeflate(source, entry.data_offset, entry.compressed_size, entry.declared_size,
                                    DeflateBlockBudget(entry, sink.limits()));
  switch (m.status) {
    case DeflateMeasure::kTooManyBlocks:
      return TooManyBlocks(entry, m.produced, sink);
    case DeflateMeasure::kReadFailed:
      return ReadFailed(source, entry, m.failed_at, sink);
    case DeflateMeasure::kOverCap:
      sink.Add(Rule::kZipSizeMismatch, {.entry = entry.name, .offset = entry.declared_size},
               "entry " + quoted + " inflates to more than its declared " + Num(entry.declared_size) + " bytes");
      return false;
    case DeflateMeasure::kTruncated:
      sink.Add(Rule::kZipDeflateInvalid, {.entry = entry.name, .offset = m.produced},
               "deflate stream of entry " + quoted + " does not end within its " + Num(entry.compressed_size) +
                   " compressed bytes");
      return false;
    case DeflateMeasure::kInvalid:
      sink.Add(Rule::kZipDeflateInvalid, {.entry = entry.name, .offset = m.produced},
               "deflate stream of entry " + quoted + " is corrupt (" + m.reason + ")" +
                   (m.produced < output.produced() ? ", after zlib inflated " + Num(output.produced()) + " bytes" : ""));
      return false;
    case DeflateMeasure::kOk:
      break;
  }
  if (m.produced < output.produced() || m.consumed_bytes < zlib_consumed) {
    sink.Add(Rule::kZipDeflateInvalid, {.entry = entry.name, .offset = m.produced},
             "deflate stream of entry " + quoted + " ends after " + Num(m.produced) + " bytes from " +
                 Num(m.consumed_bytes) + " compressed bytes when measured, but zlib inflated " +
                 Num(output.produced()) + " bytes from " + Num(zlib_consumed));
    return false;
  }
  if (m.consumed_bytes != entry.compressed_size) {
    sink.Add(Rule::kZipDeflateInvalid, {.entry = entry.name, .offset = m.produced},
             "deflate stream of entry " + quoted + " ends " + Num(entry.compressed_size - m.consumed_bytes) +
                 " bytes before its compressed size " + Num(entry.compressed_size));
    return false;
  }
  return output.Measured(m.produced) && output.Finish();
}

// Inflates with zlib; once `wanted` bytes were produced and the stream goes
// on, measures the rest instead (MeasureRest).
bool StreamDeflated(InputSource& source, const ZipEntry& entry, FindingSink& sink, Output& output,
                    uint64_t wanted) {
  if (wanted == 0) return MeasureRest(source, entry, sink, output, 0);
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {  // raw deflate (APPNOTE 5.5)
    sink.Add(Rule::kZipDeflateInvalid, {.entry = entry.name}, "zlib could not start inflating");
    return false;
  }
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end{&zs};
  std::vector<uint8_t> in_scratch;
  std::vector<uint8_t> out(kChunk);
  const std::string quoted = Quote(entry.name);
  const uint64_t max_blocks = DeflateBlockBudget(entry, sink.limits());
  uint64_t blocks = 0;
  uint64_t fed = 0;
  for (;;) {
    if (zs.avail_in == 0 && fed < entry.compressed_size) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, entry.compressed_size - fed));
      std::span<const uint8_t> chunk = source.View(entry.data_offset + fed, n, &in_scratch);
      if (chunk.size() != n) return ReadFailed(source, entry, entry.data_offset + fed, sink);
      zs.next_in = chunk.data();
      zs.avail_in = static_cast<uInt>(n);
      fed += n;
    }
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    // Z_BLOCK: inflate returns at the end of each block (data_type bit 7),
    // and the next call goes on past it, so each end is seen once.
    int rc = inflate(&zs, Z_BLOCK);
    size_t got = out.size() - zs.avail_out;
    const bool block_end = (zs.data_type & 128) != 0;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      sink.Add(Rule::kZipDeflateInvalid, {.entry = entry.name, .offset = output.produced()},
               "deflate stream of entry " + quoted + " is corrupt (" + (zs.msg != nullptr ? zs.msg : "zlib error") +
                   ")");
      return false;
    }
    if (!output.Take({out.data(), got})) return false;
    if (rc == Z_STREAM_END) break;
    if (block_end && ++blocks > max_blocks) return TooManyBlocks(entry, output.produced(), sink);
    if (output.produced() >= wanted) return MeasureRest(source, entry, sink, output, fed - zs.avail_in);
    // A block that ends from bits zlib already held consumes and produces
    // nothing (Z_BUF_ERROR) and is still progress; so is any output. Every
    // call either progresses (output up to the declared size, block ends up
    // to the budget) or stops the loop here.
    if (rc == Z_BUF_ERROR && got == 0 && !block_end) {
      if (zs.avail_in == 0) {
        sink.Add(Rule::kZipDeflateInvalid, {.entry = entry.name, .offset = output.produced()},
                 "deflate stream of entry " + quoted + " does not end within its " + Num(entry.compressed_size) +
                     " compressed bytes");
        return false;
      }
      // No progress with input and room: never loop on it.
      sink.Add(Rule::kZipDeflateInvalid, {.entry = entry.name, .offset = output.produced()},
               "deflate stream of entry " + quoted + " stalls");
      return false;
    }
  }
  uint64_t left = (entry.compressed_size - fed) + zs.avail_in;
  if (left != 0) {
    // Bytes after the end of the stream are a place to hide data that only
    // some readers skip (libzip 1.7.3 ignores them).
    sink.Add(Rule::kZipDeflateInvalid, {.entry = entry.name, .offset = output.produced()},
             "deflate stream of entry " + quoted + " ends " + Num(left) + " bytes before its compressed size " +
                 Num(entry.compressed_size));
    return false;
  }
  return output.Finish();
}

}  // namespace

bool RatioAboveLimit(uint64_t uncompressed, uint64_t compressed, const Limits& limits) {
  // A product past 2^64 is a bound no 64-bit size exceeds.
  uint64_t bound = 0;
  return uncompressed > limits.ratio_floor_bytes && CheckedMul(compressed, limits.max_compression_ratio, &bound) &&
         uncompressed > bound;
}

bool StreamEntry(InputSource& source, const ZipEntry& entry, InflateBudget* budget, FindingSink& sink,
                 EntrySink* out) {
  const Limits& limits = sink.limits();
  const std::string quoted = Quote(entry.name);
  // Budgets first, from the declared sizes, before one byte is inflated (the
  // same checks as pass 1, for callers that stream without auditing); the
  // declared size then caps the output (declared + 1 is the first refused byte).
  if (entry.declared_size > limits.max_entry_uncompressed_bytes) {
    sink.LimitReached(Rule::kZipLimitExceeded, "max_entry_uncompressed_bytes", limits.max_entry_uncompressed_bytes,
                      {.entry = entry.name}, "(entry " + quoted + " declares " + Num(entry.declared_size) + " bytes)");
    return false;
  }
  if (RatioAboveLimit(entry.declared_size, entry.compressed_size, limits)) {
    sink.LimitReached(Rule::kZipRatio, "max_compression_ratio", limits.max_compression_ratio, {.entry = entry.name},
                      "(entry " + quoted + " declares " + Num(entry.declared_size) + " bytes from " +
                          Num(entry.compressed_size) + " compressed bytes)");
    return false;
  }
  uint64_t used = budget != nullptr ? budget->total_inflated : 0;
  uint64_t room = limits.max_total_uncompressed_bytes > used ? limits.max_total_uncompressed_bytes - used : 0;
  if (entry.declared_size > room) {
    sink.LimitReached(Rule::kZipLimitExceeded, "max_total_uncompressed_bytes", limits.max_total_uncompressed_bytes,
                      {.entry = entry.name},
                      "(" + Num(used) + " bytes inflated so far, entry " + quoted + " declares " +
                          Num(entry.declared_size) + " more)");
    return false;
  }
  Output output(entry, sink, out);
  const uint64_t wanted = out != nullptr ? out->Wanted() : 0;
  bool ok = false;
  if (entry.method == 0) {
    ok = StreamStored(source, entry, sink, output);
  } else if (entry.method == 8) {
    ok = entry.declared_size > wanted ? StreamDeflated(source, entry, sink, output, wanted)
                                      : StreamDeflated(source, entry, sink, output, UINT64_MAX);
  } else {
    sink.Add(Rule::kZipUnsupportedMethod, {.entry = entry.name},
             "entry " + quoted + " uses compression method " + Num(entry.method));
  }
  if (budget != nullptr) budget->total_inflated = used + output.produced();
  return ok;
}

}  // namespace mrmlguard::internal
