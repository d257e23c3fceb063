// SPDX-License-Identifier: BSD-3-Clause
// BMP: the file header and BITMAPINFOHEADER.

#include <string>

#include "data/data_internal.h"

namespace mrmlguard::internal::data {

void ReadBmp(Ctx& ctx) {
  // BITMAPFILEHEADER (14 bytes) then BITMAPINFOHEADER: width, height (int32,
  // negative height = top-down), planes, bit count.
  ByteReader r(ctx.file.prefix);
  r.Skip(18);
  auto width = static_cast<int32_t>(r.U32le());
  auto height = static_cast<int32_t>(r.U32le());
  r.Skip(2);
  uint16_t bits = r.U16le();
  if (!r.ok()) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "BMP header is truncated");
    return;
  }
  if (width <= 0 || height == 0 || height == INT32_MIN) {
    ctx.Add(Rule::kDataHeaderRange, 18,
            "BMP size " + std::to_string(width) + "x" + std::to_string(height) + " is out of range");
    return;
  }
  uint64_t h = height < 0 ? static_cast<uint64_t>(-static_cast<int64_t>(height)) : static_cast<uint64_t>(height);
  (void)CheckedImageBytes(ctx, {static_cast<uint64_t>(width), h}, bits > 8 ? (bits + 7u) / 8u : 1u, 1, "BMP");
}

}  // namespace mrmlguard::internal::data
