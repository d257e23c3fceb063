// SPDX-License-Identifier: BSD-3-Clause
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
//
// Locations: findings of pass 1 carry a file offset and no entry (the entry
// name is quoted in the message, because it may be exactly what is wrong);
// findings of pass 2 carry the entry name and an offset inside the
// uncompressed entry. docs/notes/zip.md lists every check.
//
//   MemorySource src(bytes);               // or FileSource(fd, size)
//   InflateBudget budget;                  // one per outer bundle
//   ZipDirectory dir = AuditZip(src, sink, {}, &budget);
//   if (!dir.structure_ok || dir.total_over_limit) -> reject, do not stream
//   for (const ZipEntry& e : dir.entries)
//     if (!e.declared_over_limit) StreamEntry(src, e, &budget, sink, &visitor);
//
// Budgets (entry size, bundle total, compression ratio) are checked twice:
// from the declared sizes before any byte is inflated (pass 1, and again at
// the start of StreamEntry), then against the bytes actually produced.

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
  bool is_directory = false;      // name ends in '/', attributes agree, no data
  uint8_t host_system = 0;        // "version made by" high byte: 0 MS-DOS, 3 Unix (APPNOTE 4.4.2)
  uint32_t external_attributes = 0;  // as in the central header (APPNOTE 4.4.15)
  uint64_t end_offset = 0;        // one past the entry's last byte (data descriptor included)
  // Pass 1 refused the entry from its declared sizes (max_entry_uncompressed_bytes
  // or max_compression_ratio) and reported it: it must not be inflated.
  bool declared_over_limit = false;
};

struct ZipDirectory {
  std::vector<ZipEntry> entries;  // in central-directory (= file) order
  // False when any structural error was found: entries may be incomplete and
  // must not be streamed or extracted. True does not mean "accepted": the
  // name, type and limit rules may still have added errors to the sink.
  bool structure_ok = false;
  // Sum of the declared uncompressed sizes (checked against
  // max_total_uncompressed_bytes before anything is inflated).
  uint64_t total_declared_size = 0;
  // The declared sizes, with those of the enclosing bundles (see AuditZip's
  // budget), exceed max_total_uncompressed_bytes; pass 1 reported it and no
  // entry must be inflated.
  bool total_over_limit = false;
};

struct AuditOptions {
  // Run the libzip second opinion (zip.libzip-disagrees) when our own audit
  // found the structure sound. Off only for tests that isolate one rule.
  bool libzip_second_opinion = true;
};

// Budget shared by every AuditZip and StreamEntry call of one bundle
// (nested ones too).
struct InflateBudget {
  uint64_t total_declared = 0;  // declared uncompressed bytes of every directory audited so far
  uint64_t total_inflated = 0;  // uncompressed bytes produced so far
};

// Runs pass 1 over `source`. Findings go to `sink` (zip.* rules and
// bundle.mac-metadata). Never reads entry data; memory is proportional to the
// central directory (itself bounded by max_zip_entries and
// max_entry_name_bytes), never to the file.
// With a `budget`, the directory's declared total is added to
// budget->total_declared, and that sum (the outer bundle's declared bytes
// plus a nested bundle's) is what max_total_uncompressed_bytes bounds.
ZipDirectory AuditZip(InputSource& source, FindingSink& sink, const AuditOptions& options = {},
                      InflateBudget* budget = nullptr);

// The max_compression_ratio rule, one definition for the declared sizes
// (pass 1 and the start of StreamEntry) and the bytes produced while
// inflating: `uncompressed` above ratio_floor_bytes and more than
// max_compression_ratio times `compressed`.
bool RatioAboveLimit(uint64_t uncompressed, uint64_t compressed, const Limits& limits);

// Receives an entry's uncompressed bytes in order.
class EntrySink {
 public:
  virtual ~EntrySink() = default;
  virtual void Data(std::span<const uint8_t> chunk) = 0;
  // How many leading bytes of the entry this consumer needs. StreamEntry
  // inflates a deflated entry until at least this many bytes were produced
  // (Data may still see more), then only measures the rest (MeasureDeflate)
  // and reports its size with Skipped(). The default, all of them, keeps
  // every byte flowing (the extractor's writer).
  virtual uint64_t Wanted() const { return UINT64_MAX; }
  // Called once, after the last Data() and only for an entry StreamEntry
  // accepts, when the entry has `n` more bytes than Data() was given
  // (measured, never inflated).
  virtual void Skipped(uint64_t n) { (void)n; }
};

// Runs pass 2 for one entry: checks the declared size and ratio against the
// budgets (refusing before one byte is inflated), inflates it, passes the
// bytes to `out` (may be null), and checks the budgets, ratio, size and CRC
// against the bytes produced. A deflated entry is inflated only as far as
// out->Wanted() asks (nothing when `out` is null); the rest is measured
// without being written (MeasureDeflate), which keeps the exact size, ratio,
// budget and stream-end checks but not the CRC (integrity only, checked
// when every byte was inflated). Returns true when the
// entry's bytes are exactly what the headers declare; false after a finding
// (or an I/O error on the source, see source.io_error()). Memory stays
// bounded (a few 256 KiB buffers) whatever the entry size; `out` may see
// bytes of an entry that is then refused (a size or CRC error is known only
// at the end), so a writer must be able to abort.
// `budget` may be null (no total budget shared across calls).
bool StreamEntry(InputSource& source, const ZipEntry& entry, InflateBudget* budget,
                 FindingSink& sink, EntrySink* out);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_ZIP_ARCHIVE_H_
