// SPDX-License-Identifier: BSD-3-Clause
// File: zip_records.h
//
// The fixed-size ZIP records (APPNOTE.TXT 6.3.x, section 4.3), one struct
// each, every field with its offset in the record. Read() decodes through
// ByteReader (little-endian, with shifts, never a cast onto the bytes) and
// returns nullopt when the reader holds fewer bytes than the record; it
// checks nothing else, the signature included: the auditor decides what a
// wrong value means and says so in its finding.
//
//   ByteReader r(source.View(at, LocalHeader::kSize, &scratch), at);
//   std::optional<LocalHeader> lfh = LocalHeader::Read(r);
//   if (!lfh) -> truncated; if (lfh->signature != LocalHeader::kSignature) -> bad signature

#ifndef MRMLGUARD_LIB_ZIP_ZIP_RECORDS_H_
#define MRMLGUARD_LIB_ZIP_ZIP_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "bytes/byte_reader.h"

namespace mrmlguard::internal {

// 0xFFFF / 0xFFFFFFFF in a 16- or 32-bit field: the value is in a ZIP64
// record or extra field instead (APPNOTE 4.4.1.4).
inline constexpr uint16_t kSat16 = 0xFFFFu;
inline constexpr uint32_t kSat32 = 0xFFFFFFFFu;

// APPNOTE 4.3.7 local file header; name and extra field follow.
struct LocalHeader {
  static constexpr uint32_t kSignature = 0x04034b50;  // "PK\3\4"
  static constexpr size_t kSize = 30;
  uint32_t signature = 0;       // 0
  uint16_t version_needed = 0;  // 4
  uint16_t flags = 0;           // 6  general purpose bits (APPNOTE 4.4.4)
  uint16_t method = 0;          // 8
  uint16_t mtime = 0;           // 10 MS-DOS time
  uint16_t mdate = 0;           // 12 MS-DOS date
  uint32_t crc = 0;             // 14
  uint32_t compressed32 = 0;    // 18
  uint32_t uncompressed32 = 0;  // 22
  uint16_t name_length = 0;     // 26
  uint16_t extra_length = 0;    // 28
  static std::optional<LocalHeader> Read(ByteReader& r);
};

// APPNOTE 4.3.12 central directory file header; name, extra field and
// comment follow.
struct CentralHeader {
  static constexpr uint32_t kSignature = 0x02014b50;  // "PK\1\2"
  static constexpr size_t kSize = 46;
  uint32_t signature = 0;            // 0
  uint16_t made_by = 0;              // 4  high byte: host system (APPNOTE 4.4.2)
  uint16_t version_needed = 0;       // 6
  uint16_t flags = 0;                // 8
  uint16_t method = 0;               // 10
  uint16_t mtime = 0;                // 12
  uint16_t mdate = 0;                // 14
  uint32_t crc = 0;                  // 16
  uint32_t compressed32 = 0;         // 20
  uint32_t uncompressed32 = 0;       // 24
  uint16_t name_length = 0;          // 28
  uint16_t extra_length = 0;         // 30
  uint16_t comment_length = 0;       // 32
  uint16_t disk_start = 0;           // 34
  uint16_t internal_attributes = 0;  // 36
  uint32_t external_attributes = 0;  // 38 (APPNOTE 4.4.15)
  uint32_t local_header_offset32 = 0;  // 42
  static std::optional<CentralHeader> Read(ByteReader& r);
};

// APPNOTE 4.3.16 end of central directory record; the comment follows.
struct Eocd {
  static constexpr uint32_t kSignature = 0x06054b50;  // "PK\5\6"
  static constexpr size_t kSize = 22;
  uint32_t signature = 0;        // 0
  uint16_t disk = 0;             // 4  number of this disk
  uint16_t cd_disk = 0;          // 6  disk where the central directory starts
  uint16_t this_disk_count = 0;  // 8  entries on this disk
  uint16_t total_count = 0;      // 10 entries in total
  uint32_t cd_size = 0;          // 12
  uint32_t cd_offset = 0;        // 16
  uint16_t comment_length = 0;   // 20
  static std::optional<Eocd> Read(ByteReader& r);
};

// APPNOTE 4.3.14 ZIP64 end of central directory record, without the
// extensible data (record_size counts the bytes after offset 12).
struct Zip64Eocd {
  static constexpr uint32_t kSignature = 0x06064b50;  // "PK\6\6"
  static constexpr size_t kSize = 56;
  uint32_t signature = 0;        // 0
  uint64_t record_size = 0;      // 4
  uint16_t made_by = 0;          // 12
  uint16_t version_needed = 0;   // 14
  uint32_t disk = 0;             // 16
  uint32_t cd_disk = 0;          // 20
  uint64_t this_disk_count = 0;  // 24
  uint64_t total_count = 0;      // 32
  uint64_t cd_size = 0;          // 40
  uint64_t cd_offset = 0;        // 48
  static std::optional<Zip64Eocd> Read(ByteReader& r);
};

// APPNOTE 4.3.15 ZIP64 end of central directory locator.
struct Zip64Locator {
  static constexpr uint32_t kSignature = 0x07064b50;  // "PK\6\7"
  static constexpr size_t kSize = 20;
  uint32_t signature = 0;    // 0
  uint32_t eocd_disk = 0;    // 4  disk with the ZIP64 EOCD record
  uint64_t eocd_offset = 0;  // 8
  uint32_t total_disks = 0;  // 16
  static std::optional<Zip64Locator> Read(ByteReader& r);
};

// APPNOTE 4.3.9 data descriptor: an optional signature, the CRC-32, then
// both sizes in 4 bytes, or in 8 when the local header has a ZIP64 extra
// field (4.3.9.2).
struct DataDescriptor {
  static constexpr uint32_t kSignature = 0x08074b50;  // "PK\7\8"
  // Bytes of the record: (signature) + CRC + 2 sizes.
  static constexpr size_t Size(bool with_signature, bool zip64) {
    return (with_signature ? 4 : 0) + 4 + 2 * (zip64 ? 8 : 4);
  }
  uint32_t crc = 0;
  uint64_t compressed = 0;
  uint64_t uncompressed = 0;
  // Reads from the CRC on (the caller consumed any signature). Unlike the
  // other records, the fields are filled even on a short read (zeros from
  // there on, as ByteReader returns them), because a finding quotes what a
  // descriptor that does not match says; returns r.ok().
  static bool Read(ByteReader& r, bool zip64, DataDescriptor* out);
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_ZIP_RECORDS_H_
