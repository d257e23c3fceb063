// SPDX-License-Identifier: BSD-3-Clause
// JPEG: the markers up to the first start-of-frame.

#include <string>

#include "data/data_internal.h"

namespace mrmlguard::internal::data {

void ReadJpeg(Ctx& ctx) {
  // ITU T.81 B.1.1: markers FF xx, each segment with a big-endian length;
  // a start-of-frame (SOF0..SOF15 except DHT C4, JPG C8, DAC CC) holds the
  // precision, height, width and component count.
  ByteReader r(ctx.file.prefix);
  r.Skip(2);  // SOI
  while (r.ok() && !r.empty()) {
    uint8_t ff = r.U8();
    uint8_t marker = r.U8();
    if (ff != 0xff) break;
    if (marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01 || marker == 0xff) continue;
    uint16_t length = static_cast<uint16_t>((r.U8() << 8) | r.U8());
    if (length < 2) break;
    ByteReader seg = r.Sub(length - 2u);
    bool sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    if (!sof) continue;
    uint8_t precision = seg.U8();
    uint16_t height = static_cast<uint16_t>((seg.U8() << 8) | seg.U8());
    uint16_t width = static_cast<uint16_t>((seg.U8() << 8) | seg.U8());
    uint8_t components = seg.U8();
    if (!seg.ok()) break;
    if (width == 0 || components == 0) {
      ctx.Add(Rule::kDataHeaderRange, std::nullopt,
              "JPEG frame width " + std::to_string(width) + " or component count " + std::to_string(components) + " is 0");
      return;
    }
    // height 0 means "defined later" (DNL); bound what is known.
    (void)CheckedImageBytes(ctx, {width, height == 0 ? 1u : height}, components, precision > 8 ? 2 : 1, "JPEG");
    return;
  }
}

}  // namespace mrmlguard::internal::data
