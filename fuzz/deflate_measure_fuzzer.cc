// SPDX-License-Identifier: BSD-3-Clause
// Differential: MeasureDeflate against zlib's raw inflate. The first byte
// chooses the mode: bit 0 clear, the rest of the input is the deflate
// stream; set, the rest (after a flip count and 16-bit flip positions) is
// compressed by zlib at level (bits 1-4) % 10 and strategy (bits 5-7) % 5,
// then those bits of the stream are flipped. Both decoders must accept or
// refuse alike and, when they accept, give the same length and the same
// compressed bytes used and the same number of blocks (zlib's inflate with
// Z_BLOCK, as StreamEntry counts them); the cap must stop the measure at
// length + 1, and a block budget one under the count at the last block.

#define ZLIB_CONST
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bytes/input_source.h"
#include "fuzz_common.h"
#include "zip/deflate_measure.h"

namespace {

struct Inflated {
  bool ok = false;
  uint64_t produced = 0, consumed = 0, blocks = 0;
};

Inflated ZlibInflate(std::span<const uint8_t> in) {
  Inflated r;
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) mrmlguard::fuzz::Fail("inflateInit2");
  zs.next_in = in.data();
  zs.avail_in = static_cast<uInt>(in.size());
  std::vector<uint8_t> out(1 << 16);
  int rc = Z_OK;
  for (;;) {
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    rc = inflate(&zs, Z_BLOCK);
    r.produced += out.size() - zs.avail_out;
    const bool block_end = (zs.data_type & 128) != 0;
    if (block_end && rc != Z_STREAM_END) ++r.blocks;
    // A block may end from bits zlib already held: no byte in or out.
    if (rc == Z_OK || (rc == Z_BUF_ERROR && block_end)) continue;
    break;
  }
  r.ok = rc == Z_STREAM_END;
  r.consumed = in.size() - zs.avail_in;
  inflateEnd(&zs);
  return r;
}

std::vector<uint8_t> Compress(std::span<const uint8_t> data, int level, int strategy) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, -MAX_WBITS, 8, strategy) != Z_OK) mrmlguard::fuzz::Fail("deflateInit2");
  std::vector<uint8_t> out(deflateBound(&zs, data.size()) + 16);
  zs.next_in = data.data();
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) mrmlguard::fuzz::Fail("deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

mrmlguard::internal::DeflateMeasure Measure(std::span<const uint8_t> in, uint64_t cap) {
  mrmlguard::internal::MemorySource source(in);
  return mrmlguard::internal::MeasureDeflate(source, 0, in.size(), cap);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using mrmlguard::internal::DeflateMeasure;
  mrmlguard::fuzz::FuzzReader reader(data, size);
  uint8_t config = reader.Byte();
  std::vector<uint8_t> stream;
  if ((config & 1) == 0) {
    std::span<const uint8_t> rest = reader.Rest();
    stream.assign(rest.begin(), rest.end());
  } else {
    static constexpr int kStrategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
    std::vector<uint16_t> flips(reader.Byte() % 4);
    for (uint16_t& f : flips) f = reader.U16();
    stream = Compress(reader.Rest(), (config >> 1 & 15) % 10, kStrategies[(config >> 5) % 5]);
    for (uint16_t f : flips) {
      if (!stream.empty()) stream[f / 8 % stream.size()] ^= static_cast<uint8_t>(1u << (f % 8));
    }
  }
  Inflated z = ZlibInflate(stream);
  DeflateMeasure m = Measure(stream, UINT64_MAX);
  MRMLGUARD_FUZZ_CHECK(m.status != DeflateMeasure::kReadFailed, "read failed on memory");
  MRMLGUARD_FUZZ_CHECK((m.status == DeflateMeasure::kOk) == z.ok, z.ok ? m.reason : "zlib refuses, measure accepts");
  if (!z.ok) return 0;
  MRMLGUARD_FUZZ_CHECK(m.produced == z.produced, std::to_string(m.produced) + " vs " + std::to_string(z.produced));
  MRMLGUARD_FUZZ_CHECK(m.consumed_bytes == z.consumed, std::to_string(m.consumed_bytes) + " vs " +
                                                           std::to_string(z.consumed));
  MRMLGUARD_FUZZ_CHECK(m.blocks == z.blocks, std::to_string(m.blocks) + " blocks vs " + std::to_string(z.blocks));
  MRMLGUARD_FUZZ_CHECK(Measure(stream, z.produced).status == DeflateMeasure::kOk, "cap = length refused");
  {
    mrmlguard::internal::MemorySource source(stream);
    DeflateMeasure at = mrmlguard::internal::MeasureDeflate(source, 0, stream.size(), UINT64_MAX, z.blocks);
    MRMLGUARD_FUZZ_CHECK(at.status == DeflateMeasure::kOk, "block budget = count refused");
    DeflateMeasure under = mrmlguard::internal::MeasureDeflate(source, 0, stream.size(), UINT64_MAX, z.blocks - 1);
    MRMLGUARD_FUZZ_CHECK(under.status == DeflateMeasure::kTooManyBlocks && under.blocks == z.blocks,
                         "block budget = count - 1");
  }
  if (z.produced > 0) {
    DeflateMeasure over = Measure(stream, z.produced - 1);
    MRMLGUARD_FUZZ_CHECK(over.status == DeflateMeasure::kOverCap && over.produced == z.produced, "cap = length - 1");
  }
  return 0;
}
