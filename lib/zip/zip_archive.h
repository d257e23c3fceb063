// File: zip_archive.h
//
// The ZIP layer's interface to the pipeline.
//
// Pass 1, AuditZip(): our own single forward pass over the raw bytes with
// ByteReader (EOCD, ZIP64 records, central directory, every local header and
// data descriptor, in file order), the entry-name rules, the polyglot checks
// and the libzip second opinion. Reads headers only, never entry data.
//
// Pass 2, StreamEntry(): inflates one entry exactly once, streaming, under the
// per-entry and total budgets and the ratio limit, checks the size and CRC and
// that inflate ends exactly at the compressed size, and hands the bytes to a
// visitor (scene capture, data-header capture, the extractor).
//
// Every problem becomes a finding on the sink; the return values only say
// what was read. An archive with structural errors must not be streamed.

#ifndef MRMLGUARD_LIB_ZIP_ZIP_ARCHIVE_H_
#define MRMLGUARD_LIB_ZIP_ZIP_ARCHIVE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"

namespace mrmlguard::internal {

struct ZipEntry {
  std::string name;  // raw name bytes, identical in local and central header
  uint64_t local_header_offset = 0;
  uint64_t data_offset = 0;       // first byte of the (compressed) data
  uint64_t compressed_size = 0;   // verified by the linear walk
  uint64_t declared_size = 0;     // declared uncompressed size; not trusted until streamed
  uint32_t declared_crc32 = 0;    // declared CRC-32; not trusted until streamed
  uint16_t method = 0;            // 0 stored, 8 deflate
  bool is_directory = false;
};

struct ZipDirectory {
  std::vector<ZipEntry> entries;  // in central-directory (= file) order
  // False when any structural error was found: entries may be incomplete and
  // must not be streamed or extracted.
  bool structure_ok = false;
};

// Runs pass 1 over `source`. Findings go to `sink` (zip.* rules).
ZipDirectory AuditZip(InputSource& source, FindingSink& sink);

// Receives an entry's uncompressed bytes in order.
class EntrySink {
 public:
  virtual ~EntrySink() = default;
  virtual void Data(std::span<const uint8_t> chunk) = 0;
};

// Budget shared by every StreamEntry call of one bundle (nested ones too).
struct InflateBudget {
  uint64_t total_inflated = 0;  // uncompressed bytes produced so far
};

// Runs pass 2 for one entry: inflates it, passes the bytes to `out` (may be
// null), and checks the budgets, ratio, size and CRC. Returns true when the
// entry's bytes are exactly what the headers declare; false after a finding
// (or an I/O error on the source, see source.io_error()).
bool StreamEntry(InputSource& source, const ZipEntry& entry, InflateBudget* budget,
                 FindingSink& sink, EntrySink* out);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_ZIP_ARCHIVE_H_
