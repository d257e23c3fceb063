// SPDX-License-Identifier: BSD-3-Clause
// File: deflate_measure.h
//
// MeasureDeflate: decodes a raw DEFLATE stream (RFC 1951) without producing
// its bytes, only counting them. It accepts and refuses exactly the streams
// zlib's inflate() accepts and refuses (raw, -15 window bits) and reports the
// same length and the same number of compressed bytes used, at a cost of
// O(1) per symbol: a 258-byte match costs what a literal costs, so a
// 1 GiB entry made of long matches is about 4M symbol decodes, not 1G byte
// copies (and literals with short codes are counted several per lookup). StreamEntry uses it for the part of an entry nobody reads (an
// unreferenced entry, a data file past its header) to keep the exact size
// check without the cost of inflating every byte.
//
//   DeflateMeasure m = MeasureDeflate(source, entry.data_offset, entry.compressed_size, entry.declared_size);
//   if (m.status == DeflateMeasure::kOk && m.produced == entry.declared_size
//       && m.consumed_bytes == entry.compressed_size) -> the stream is sound and exactly that long
//
// The zlib rules it follows (inflate.c, inftrees.c): block type 3, a stored
// block whose LEN is not the complement of NLEN, more than 286 length or 30
// distance codes, an over-subscribed or incomplete code-length code, a repeat
// (16) with no previous length or a repeat past the number of lengths, no
// end-of-block code, an over-subscribed literal/length or distance code, an
// incomplete one unless it is a single code of one bit, an all-zero distance
// code (valid until a distance is used), literal/length symbols 286-287 and
// distance symbols 30-31 (fixed blocks), a distance before the first byte.
//
// Memory is constant (a 256 KiB read buffer and the tables); reads go through
// source.View in 256 KiB steps, each bounds-checked.

#ifndef MRMLGUARD_LIB_ZIP_DEFLATE_MEASURE_H_
#define MRMLGUARD_LIB_ZIP_DEFLATE_MEASURE_H_

#include <cstdint>

#include "bytes/input_source.h"

namespace mrmlguard::internal {

struct DeflateMeasure {
  enum Status : uint8_t {
    kReadFailed,  // default: fail closed. The source is shorter than the range, or an I/O error (source.io_error())
    kOk,          // the final block ended within the compressed bytes
    kInvalid,     // zlib refuses the stream; `reason` says why (zlib's wording)
    kOverCap,     // more than `cap` bytes: stopped at the first byte past it (produced == cap + 1)
    kTruncated,   // the stream needs bits past the compressed size
    kTooManyBlocks,  // a block ended past `max_blocks` (blocks == max_blocks + 1)
  };
  Status status = kReadFailed;
  const char* reason = "";  // a static string, for kInvalid
  // Uncompressed bytes the stream decodes to (up to where it stopped).
  uint64_t produced = 0;
  // Compressed bytes used up to the end of the final block (every byte that
  // holds one of its bits); for kOk only. Bytes after it are the caller's to
  // refuse.
  uint64_t consumed_bytes = 0;
  // For kReadFailed: the offset in the source where the read fell short.
  uint64_t failed_at = 0;
  // Blocks that ended (the final one included), as zlib's inflate(Z_BLOCK)
  // returns at their ends.
  uint64_t blocks = 0;
};

// Measures the raw deflate stream in source bytes [offset, offset +
// compressed_size). Stops as soon as the stream would produce more than
// `cap` bytes (kOverCap), or when block max_blocks + 1 ends (kTooManyBlocks):
// each block costs a table build, so its number bounds that work. Never reads
// outside the range.
DeflateMeasure MeasureDeflate(InputSource& source, uint64_t offset, uint64_t compressed_size, uint64_t cap,
                              uint64_t max_blocks = UINT64_MAX);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_DEFLATE_MEASURE_H_
