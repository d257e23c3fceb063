// SPDX-License-Identifier: BSD-3-Clause
// A gzip stream (RFC 1952) whose first bytes hold a NIfTI header (.nii.gz,
// .hdr.gz): only that header is inflated, into a fixed buffer.

#include <algorithm>
#include <string>

#include <zlib.h>

#include "data/data_internal.h"

namespace mrmlguard::internal::data {

void ReadGzip(Ctx& ctx) {
  std::string ext = ExtensionOf(ctx.file.name);
  // Only .nii.gz (and .hdr.gz) hide a header we read; other gzip files
  // (.raw.gz, .img.gz payloads) are data.
  if (ext != ".nii.gz" && ext != ".hdr.gz") return;
  // Inflate just the first 544 bytes (a NIfTI-2 header plus its extension
  // flag) into a fixed buffer; zlib never writes past avail_out.
  uint8_t out[544] = {};
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "gzip stream could not be opened");
    return;
  }
  std::span<const uint8_t> in = ctx.file.prefix;
  zs.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct; it only reads
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  zs.next_out = out;
  zs.avail_out = sizeof(out);
  int rc = Z_OK;
  while (zs.avail_out > 0 && rc == Z_OK) rc = inflate(&zs, Z_NO_FLUSH);
  size_t produced = sizeof(out) - zs.avail_out;
  inflateEnd(&zs);
  if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "gzip stream is corrupt before the NIfTI header ends");
    return;
  }
  std::span<const uint8_t> header(out, produced);
  ByteReader probe(header);
  uint32_t le = probe.U32le();
  ByteReader probe_be(header);
  uint32_t be = probe_be.U32be();
  if (le == 348 || be == 348 || le == 540 || be == 540) {
    ctx.inflated = true;
    if (le == 348 || be == 348) {
      ReadNifti1(ctx, header, true, false);
    } else {
      ReadNifti2(ctx, header, true);
    }
    ctx.inflated = false;
  } else if (produced < 4 && !ctx.whole()) {
    ctx.Add(Rule::kDataHeaderIncomplete, 0, "the gzip prefix given inflates to fewer than 4 bytes");
  } else {
    ctx.Add(Rule::kDataMagicMismatch, 0, "a " + ext + " file whose inflated content is not a NIfTI header");
  }
}

}  // namespace mrmlguard::internal::data
