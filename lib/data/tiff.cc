// SPDX-License-Identifier: BSD-3-Clause
// TIFF: the byte-order mark and the first image file directory.

#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {

void ReadTiff(Ctx& ctx) {
  // TIFF 6.0 section 2: byte order "II"/"MM", 42, offset of the first IFD;
  // an IFD is a count and 12-byte entries (tag, type, count, value/offset).
  // The first image's ImageWidth (256), ImageLength (257), BitsPerSample
  // (258) and SamplesPerPixel (277) drive the reader's allocation.
  std::span<const uint8_t> b = ctx.file.prefix;
  ByteReader head(b);
  bool big = head.U8() == 'M';
  head.Skip(1);
  EndianReader r(b, big);
  (void)r.Chars(2);
  int32_t magic = r.I16();
  if (magic == 43) return;  // BigTIFF: 64-bit offsets, not read here
  auto ifd = static_cast<uint32_t>(r.I32());
  if (!r.ok() || magic != 42) {
    ctx.Add(Rule::kDataHeaderMalformed, 2, "TIFF header is truncated or its magic is not 42");
    return;
  }
  if (ifd < 8 || ifd >= b.size()) {
    if (ifd >= ctx.file.total_size || ifd < 8) {
      ctx.Add(Rule::kDataHeaderMalformed, 4, "TIFF first IFD offset " + std::to_string(ifd) + " is outside the file");
    } else {
      ctx.Add(Rule::kDataHeaderIncomplete, 4, "TIFF first IFD is beyond the bytes given");
    }
    return;
  }
  EndianReader e(b.subspan(ifd), big);
  auto count = static_cast<uint16_t>(e.I16());
  uint64_t width = 0, height = 0, samples = 1, bits = 8;
  for (uint32_t i = 0; i < count && e.ok(); ++i) {
    auto tag = static_cast<uint16_t>(e.I16());
    auto type = static_cast<uint16_t>(e.I16());
    auto n = static_cast<uint32_t>(e.I32());
    // A SHORT (type 3) value sits in the first two bytes of the field.
    uint64_t value = 0;
    if (type == 3) {
      value = static_cast<uint16_t>(e.I16());
      (void)e.I16();
    } else {
      value = static_cast<uint32_t>(e.I32());
    }
    if (tag == 256) width = value;
    if (tag == 257) height = value;
    if (tag == 277) samples = value;
    if (tag == 258 && n == 1) bits = value;
  }
  if (!e.ok()) {
    ctx.Add(ctx.whole() ? Rule::kDataHeaderMalformed : Rule::kDataHeaderIncomplete, ifd,
            "TIFF IFD is cut off");
    return;
  }
  if (width == 0 || height == 0 || samples == 0 || bits == 0 || bits > 64) {
    ctx.Add(Rule::kDataHeaderRange, ifd,
            "TIFF image " + std::to_string(width) + "x" + std::to_string(height) + " with " + std::to_string(samples) +
                " samples of " + std::to_string(bits) + " bits is out of range");
    return;
  }
  (void)CheckedImageBytes(ctx, {width, height}, samples, static_cast<uint32_t>((bits + 7) / 8), "TIFF");
}

}  // namespace mrmlguard::internal::data
