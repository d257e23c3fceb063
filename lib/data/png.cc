// SPDX-License-Identifier: BSD-3-Clause
// PNG: the signature and the IHDR chunk (ISO/IEC 15948 11.2.2).

#include <string>

#include "data/data_internal.h"

namespace mrmlguard::internal::data {

void ReadPng(Ctx& ctx) {
  // PNG signature (8 bytes), then the IHDR chunk: length 13, "IHDR", width,
  // height (big-endian, 1..2^31-1), bit depth, colour type.
  ByteReader r(ctx.file.prefix);
  r.Skip(8);
  uint32_t length = r.U32be();
  std::string_view type = r.Chars(4);
  uint32_t width = r.U32be(), height = r.U32be();
  uint8_t depth = r.U8(), color = r.U8();
  if (!r.ok() || length != 13 || type != "IHDR") {
    ctx.Add(Rule::kDataHeaderMalformed, 8, "PNG does not start with an IHDR chunk");
    return;
  }
  if (width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu) {
    ctx.Add(Rule::kDataHeaderRange, 16,
            "PNG size " + std::to_string(width) + "x" + std::to_string(height) + " is outside 1..2^31-1");
    return;
  }
  uint64_t channels = color == 2 ? 3 : color == 4 ? 2 : color == 6 ? 4 : 1;
  uint32_t bytes = depth > 8 ? 2 : 1;
  (void)CheckedImageBytes(ctx, {width, height}, channels, bytes, "PNG");
}

}  // namespace mrmlguard::internal::data
