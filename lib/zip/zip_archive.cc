// Pass 1 (AuditZip) of the ZIP layer: one strict, canonical-layout reading of
// the archive. Every byte of the file must belong to exactly one record, in
// this order (APPNOTE.TXT 6.3.x, section 4.3.6 "overall .ZIP file format"):
//
//   [LFH name extra data [DD]]*  CDH*  [ZIP64-EOCD ZIP64-locator]  EOCD
//
// starting at offset 0 and ending at the end of the file, with the local and
// central views of each entry identical. Anything else is a place where two
// readers (libzip reads the central directory, libarchive the local headers)
// can see different archives (ZipDiff a1-c5, hardening research A.1, A.6).
// Pass 2 (StreamEntry) lives in zip_stream.cc.

#include "zip/zip_archive.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bytes/byte_reader.h"
#include "bytes/checked_math.h"
#include "zip/libzip_check.h"
#include "zip/zip_names.h"

namespace mrmlguard::internal {
namespace {

// Record signatures (APPNOTE 4.3.7, 4.3.9.3, 4.3.12, 4.3.14, 4.3.15, 4.3.16).
constexpr uint32_t kLfhSignature = 0x04034b50;        // "PK\3\4"
constexpr uint32_t kCdhSignature = 0x02014b50;        // "PK\1\2"
constexpr uint32_t kEocdSignature = 0x06054b50;       // "PK\5\6"
constexpr uint32_t kZip64EocdSignature = 0x06064b50;  // "PK\6\6"
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;  // "PK\6\7"
constexpr uint32_t kDataDescriptorSignature = 0x08074b50;  // "PK\7\8"

constexpr size_t kLfhSize = 30;
constexpr size_t kCdhSize = 46;
constexpr size_t kEocdSize = 22;
constexpr size_t kZip64EocdSize = 56;  // without extensible data (APPNOTE 4.3.14)
constexpr size_t kZip64LocatorSize = 20;
// How far back readers look for an EOCD: a maximal comment plus the record
// and a ZIP64 locator (libzip's CDBUFSIZE).
constexpr uint64_t kEocdSearchWindow = 65535 + kEocdSize + kZip64LocatorSize;

constexpr uint32_t kSat32 = 0xFFFFFFFFu;
constexpr uint16_t kSat16 = 0xFFFFu;

// General purpose flag bits (APPNOTE 4.4.4).
constexpr uint16_t kFlagEncrypted = 1u << 0;
constexpr uint16_t kFlagDataDescriptor = 1u << 3;
constexpr uint16_t kFlagStrongEncryption = 1u << 6;
constexpr uint16_t kFlagUtf8 = 1u << 11;
constexpr uint16_t kFlagMaskedHeaders = 1u << 13;
// Bits 1 and 2 are deflate options, 3 the data descriptor, 11 UTF-8 names.
// Everything else (enhanced deflate, patched data, reserved bits) changes how
// the data is read or is undefined.
constexpr uint16_t kFlagsAllowed = (1u << 1) | (1u << 2) | kFlagDataDescriptor | kFlagUtf8;

// Extra field ids (APPNOTE 4.5.2, 4.6).
constexpr uint16_t kExtraZip64 = 0x0001;
constexpr uint16_t kExtraNtfs = 0x000a;
constexpr uint16_t kExtraUnicodeComment = 0x6375;
constexpr uint16_t kExtraUnicodePath = 0x7075;
constexpr uint16_t kExtraExtendedTimestamp = 0x5455;  // "UT"
constexpr uint16_t kExtraUnixUidGid = 0x7875;         // "ux"

std::string Hex(uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kHex[v & 0xF]);
    v >>= 4;
  } while (v != 0);
  return "0x" + out;
}

std::string Num(uint64_t v) { return std::to_string(v); }

// What an extra-field block said about ZIP64.
struct ExtraInfo {
  bool zip64 = false;
  uint64_t uncompressed = 0;
  uint64_t compressed = 0;
  uint64_t local_header_offset = 0;
};

// The 32-bit fields of a header that may be replaced by ZIP64 values.
struct Saturated {
  bool uncompressed = false;
  bool compressed = false;
  bool offset = false;  // central header only
  bool disk = false;    // central header only
  bool any() const { return uncompressed || compressed || offset || disk; }
};

// One central directory header, as declared.
struct Central {
  uint64_t header_offset = 0;  // of the CDH itself
  uint16_t made_by = 0;
  uint16_t version_needed = 0;
  uint16_t flags = 0;
  uint16_t method = 0;
  uint16_t mtime = 0;
  uint16_t mdate = 0;
  uint32_t crc = 0;
  uint64_t compressed = 0;    // after ZIP64
  uint64_t uncompressed = 0;  // after ZIP64
  uint64_t lfh_offset = 0;    // after ZIP64
  uint32_t external_attributes = 0;
  bool zip64_sizes = false;  // sizes came from a ZIP64 extra field
  std::string name;
};

class Auditor {
 public:
  Auditor(InputSource& source, FindingSink& sink, InflateBudget* budget)
      : src_(source), sink_(sink), limits_(sink.limits()), size_(source.size()), budget_(budget) {}

  ZipDirectory Run(const AuditOptions& options);

 private:
  // A structural finding: the archive cannot be read canonically.
  void Fail(Rule rule, uint64_t offset, std::string message) {
    sink_.Add(rule, {.offset = offset}, std::move(message));
    structure_ok_ = false;
  }
  std::span<const uint8_t> Read(uint64_t offset, size_t n) { return src_.View(offset, n, &scratch_); }
  bool ReadEocd();
  void CheckOtherEocds();
  bool ReadZip64Eocd();
  bool ReadCentralDirectory();
  bool ParseExtras(std::span<const uint8_t> block, uint64_t base, bool local, const Saturated& sat,
                   const std::string& quoted, ExtraInfo* info);
  bool CheckCentral(const Central& c, const std::string& quoted);
  bool Walk();
  bool WalkEntry(const Central& c, uint64_t* pos);
  void CheckNamesAndLimits();
  void CheckPolyglots();
  void CheckTypes(const Central& c, const std::string& quoted);

  InputSource& src_;
  FindingSink& sink_;
  const Limits& limits_;
  const uint64_t size_;
  InflateBudget* const budget_;  // may be null
  std::vector<uint8_t> scratch_;
  bool structure_ok_ = true;
  bool descriptor_sizes_in_local_header_ = false;  // see libzip_check.h

  // From the EOCD (and ZIP64 EOCD).
  uint64_t eocd_offset_ = 0;
  uint64_t cd_end_ = 0;  // where the CD must end: the ZIP64 EOCD or the EOCD
  uint64_t entry_count_ = 0;
  uint64_t cd_size_ = 0;
  uint64_t cd_offset_ = 0;
  bool zip64_ = false;
  uint16_t eocd_this_disk_count_ = 0, eocd_total_count_ = 0;
  uint32_t eocd_cd_size_ = 0, eocd_cd_offset_ = 0;

  std::vector<Central> central_;
  ZipDirectory dir_;
};

// APPNOTE 4.3.16 end of central directory record. Z3: exactly at size - 22,
// no comment, nothing after it.
bool Auditor::ReadEocd() {
  if (size_ < kEocdSize) {
    Fail(Rule::kZipEocdMissing, 0, "file has " + Num(size_) + " bytes, fewer than an end-of-central-directory record");
    return false;
  }
  eocd_offset_ = size_ - kEocdSize;
  ByteReader r(Read(eocd_offset_, kEocdSize), eocd_offset_);
  if (r.size() != kEocdSize) {
    Fail(Rule::kZipTruncated, eocd_offset_, "could not read the last 22 bytes");
    return false;
  }
  if (r.U32le() != kEocdSignature) {
    // Say why: a comment, trailing bytes, or no EOCD at all.
    uint64_t start = size_ > kEocdSearchWindow ? size_ - kEocdSearchWindow : 0;
    std::span<const uint8_t> tail = Read(start, static_cast<size_t>(size_ - start));
    uint64_t found = 0;
    bool have = false;
    uint16_t comment = 0;
    for (size_t i = tail.size() < kEocdSize ? 0 : tail.size() - kEocdSize + 1; i-- > 0;) {
      ByteReader probe(tail.subspan(i, kEocdSize), start + i);
      if (probe.U32le() != kEocdSignature) continue;
      probe.Skip(16);
      comment = probe.U16le();
      found = start + i;
      have = true;
      break;
    }
    if (!have) {
      Fail(Rule::kZipEocdMissing, eocd_offset_,
           "no end-of-central-directory record in the last " + Num(tail.size()) + " bytes");
    } else if (comment > 0 && found + kEocdSize + comment == size_) {
      Fail(Rule::kZipEocdComment, found, "the archive has a comment of " + Num(comment) + " bytes");
    } else {
      uint64_t end = found + kEocdSize + comment;
      Fail(Rule::kZipTrailingData, std::min(end, size_),
           Num(size_ - std::min(end, size_)) + " bytes follow the end-of-central-directory record at offset " +
               Num(found));
    }
    return false;
  }
  uint16_t disk = r.U16le();
  uint16_t cd_disk = r.U16le();
  eocd_this_disk_count_ = r.U16le();
  eocd_total_count_ = r.U16le();
  eocd_cd_size_ = r.U32le();
  eocd_cd_offset_ = r.U32le();
  uint16_t comment = r.U16le();
  if (comment != 0) {
    Fail(Rule::kZipEocdComment, eocd_offset_,
         "end-of-central-directory record declares a comment of " + Num(comment) + " bytes but none follows");
    return false;
  }
  zip64_ = eocd_this_disk_count_ == kSat16 || eocd_total_count_ == kSat16 || eocd_cd_size_ == kSat32 ||
           eocd_cd_offset_ == kSat32 || disk == kSat16 || cd_disk == kSat16;
  if (!zip64_) {
    if (disk != 0 || cd_disk != 0) {
      Fail(Rule::kZipEocdInconsistent, eocd_offset_,
           "archive spans disks (disk " + Num(disk) + ", directory on disk " + Num(cd_disk) + ")");
      return false;
    }
    if (eocd_this_disk_count_ != eocd_total_count_) {
      Fail(Rule::kZipEocdInconsistent, eocd_offset_,
           "entry counts disagree: " + Num(eocd_this_disk_count_) + " on this disk, " + Num(eocd_total_count_) +
               " in total");
      return false;
    }
    entry_count_ = eocd_total_count_;
    cd_size_ = eocd_cd_size_;
    cd_offset_ = eocd_cd_offset_;
    cd_end_ = eocd_offset_;
    // c5: a ZIP64 locator without need is a second, competing directory pointer.
    if (eocd_offset_ >= kZip64LocatorSize) {
      ByteReader l(Read(eocd_offset_ - kZip64LocatorSize, 4), eocd_offset_ - kZip64LocatorSize);
      if (l.U32le() == kZip64LocatorSignature && l.ok()) {
        Fail(Rule::kZipZip64Invalid, eocd_offset_ - kZip64LocatorSize,
             "ZIP64 end-of-central-directory locator present although no EOCD field is saturated");
        return false;
      }
    }
    return true;
  }
  return ReadZip64Eocd();
}

// APPNOTE 4.3.14 / 4.3.15: ZIP64 EOCD record and locator, used only because a
// 32-bit EOCD field is saturated (Z5). The locator must sit right before the
// EOCD and point at a record that ends right before the locator.
bool Auditor::ReadZip64Eocd() {
  if (eocd_offset_ < kZip64LocatorSize + kZip64EocdSize) {
    Fail(Rule::kZipZip64Invalid, eocd_offset_, "EOCD fields are saturated but there is no room for ZIP64 records");
    return false;
  }
  const uint64_t loc_offset = eocd_offset_ - kZip64LocatorSize;
  ByteReader l(Read(loc_offset, kZip64LocatorSize), loc_offset);
  uint32_t sig = l.U32le();
  uint32_t z_disk = l.U32le();
  uint64_t z_offset = l.U64le();
  uint32_t total_disks = l.U32le();
  if (!l.ok() || sig != kZip64LocatorSignature) {
    Fail(Rule::kZipZip64Invalid, loc_offset, "EOCD fields are saturated but no ZIP64 locator precedes the EOCD");
    return false;
  }
  if (z_disk != 0 || total_disks != 1) {
    Fail(Rule::kZipEocdInconsistent, loc_offset,
         "ZIP64 locator says disk " + Num(z_disk) + " of " + Num(total_disks) + " disks");
    return false;
  }
  const uint64_t want = loc_offset - kZip64EocdSize;
  if (z_offset != want) {
    Fail(Rule::kZipZip64Invalid, loc_offset,
         "ZIP64 locator points at offset " + Num(z_offset) + ", not at the record ending before it (offset " +
             Num(want) + ")");
    return false;
  }
  ByteReader z(Read(want, kZip64EocdSize), want);
  uint32_t zsig = z.U32le();
  uint64_t record_size = z.U64le();
  z.Skip(4);  // version made by, version needed
  uint32_t disk = z.U32le();
  uint32_t cd_disk = z.U32le();
  uint64_t this_count = z.U64le();
  uint64_t total = z.U64le();
  uint64_t cd_size = z.U64le();
  uint64_t cd_offset = z.U64le();
  if (!z.ok() || zsig != kZip64EocdSignature) {
    Fail(Rule::kZipZip64Invalid, want, "no ZIP64 end-of-central-directory record where the locator points");
    return false;
  }
  if (record_size != kZip64EocdSize - 12) {
    // Extensible data can hide another record (ZipDiff c5).
    Fail(Rule::kZipZip64Invalid, want,
         "ZIP64 EOCD record size is " + Num(record_size) + ", not 44 (extensible data is not allowed)");
    return false;
  }
  if (disk != 0 || cd_disk != 0 || this_count != total) {
    Fail(Rule::kZipEocdInconsistent, want, "ZIP64 EOCD disks or counts disagree (" + Num(this_count) + " vs " +
                                               Num(total) + " entries)");
    return false;
  }
  // Where the 32-bit field is not saturated it must say the same thing; where
  // it is, the 64-bit value must need the room (else ZIP64 was not needed).
  auto agree16 = [&](uint16_t v32, uint64_t v64, const char* what) {
    if (v32 == kSat16 ? v64 < kSat16 : v64 != v32) {
      Fail(Rule::kZipZip64Invalid, want,
           std::string("ZIP64 EOCD ") + what + " " + Num(v64) + " disagrees with the EOCD value " + Num(v32));
      return false;
    }
    return true;
  };
  auto agree32 = [&](uint32_t v32, uint64_t v64, const char* what) {
    if (v32 == kSat32 ? v64 < kSat32 : v64 != v32) {
      Fail(Rule::kZipZip64Invalid, want,
           std::string("ZIP64 EOCD ") + what + " " + Num(v64) + " disagrees with the EOCD value " + Num(v32));
      return false;
    }
    return true;
  };
  if (!agree16(eocd_this_disk_count_, this_count, "entry count on this disk") ||
      !agree16(eocd_total_count_, total, "entry count") || !agree32(eocd_cd_size_, cd_size, "directory size") ||
      !agree32(eocd_cd_offset_, cd_offset, "directory offset")) {
    return false;
  }
  entry_count_ = total;
  cd_size_ = cd_size;
  cd_offset_ = cd_offset;
  cd_end_ = want;
  return true;
}

// Z4: no second EOCD that a reader could pick (libzip 1.7.3 tries every
// "PK\5\6" in the last 64 KiB). A candidate counts when its comment fits in
// the file and its directory pointer lands on a central header of this file;
// an EOCD inside a stored nested bundle points elsewhere and is not one.
void Auditor::CheckOtherEocds() {
  uint64_t start = size_ > kEocdSearchWindow ? size_ - kEocdSearchWindow : 0;
  std::vector<uint8_t> own;
  std::span<const uint8_t> tail = src_.View(start, static_cast<size_t>(size_ - start), &own);
  if (tail.size() < kEocdSize) return;
  for (size_t i = 0; i + kEocdSize <= tail.size(); ++i) {
    uint64_t at = start + i;
    if (at == eocd_offset_) continue;
    ByteReader r(tail.subspan(i, kEocdSize), at);
    if (r.U32le() != kEocdSignature) continue;
    r.Skip(8);
    uint64_t cd_size = r.U32le();
    uint64_t cd_offset = r.U32le();
    uint64_t comment = r.U16le();
    uint64_t end = 0, cd_end = 0;
    if (!CheckedAdd<uint64_t>(at + kEocdSize, comment, &end) || end > size_) continue;
    if (!CheckedAdd(cd_offset, cd_size, &cd_end) || cd_end > at) continue;
    ByteReader c(Read(cd_offset, 4), cd_offset);
    uint32_t sig = c.U32le();
    if (!c.ok() || (sig != kCdhSignature && !(cd_size == 0 && sig == kEocdSignature))) continue;
    Fail(Rule::kZipEocdMultiple, at,
         "a second end-of-central-directory record at offset " + Num(at) + " points at a directory at offset " +
             Num(cd_offset));
    return;
  }
}

// APPNOTE 4.5: a block of (id, length, data) extra fields. Only the
// allow-listed ids, each at most once, each well formed (Z12, Z13).
bool Auditor::ParseExtras(std::span<const uint8_t> block, uint64_t base, bool local, const Saturated& sat,
                          const std::string& quoted, ExtraInfo* info) {
  const char* where = local ? "local" : "central";
  ByteReader r(block, base);
  uint16_t seen[8] = {};
  size_t seen_count = 0;
  while (!r.empty()) {
    uint64_t field_offset = r.offset();
    uint16_t id = r.U16le();
    uint16_t len = r.U16le();
    ByteReader f = r.Sub(len);
    if (!r.ok()) {
      Fail(Rule::kZipExtraField, field_offset,
           std::string("malformed extra field in the ") + where + " header of entry " + quoted + ": field " +
               Hex(id) + " of " + Num(len) + " bytes runs past the extra block");
      return false;
    }
    for (size_t i = 0; i < seen_count; ++i) {
      if (seen[i] == id) {
        Fail(Rule::kZipExtraField, field_offset,
             std::string("extra field ") + Hex(id) + " appears twice in the " + where + " header of entry " + quoted);
        return false;
      }
    }
    if (seen_count < 8) seen[seen_count++] = id;
    bool well_formed = true;
    switch (id) {
      case kExtraZip64: {
        // APPNOTE 4.5.3: only the saturated fields, in order; a local header
        // carries both sizes.
        Saturated want = sat;
        if (local && (sat.uncompressed || sat.compressed)) want.uncompressed = want.compressed = true;
        if (!want.any()) {
          Fail(Rule::kZipZip64Invalid, field_offset,
               std::string("ZIP64 extra field in the ") + where + " header of entry " + quoted +
                   " although no field is saturated");
          return false;
        }
        size_t need = (want.uncompressed ? 8u : 0u) + (want.compressed ? 8u : 0u) + (want.offset ? 8u : 0u) +
                      (want.disk ? 4u : 0u);
        if (len != need) {
          Fail(Rule::kZipZip64Invalid, field_offset,
               std::string("ZIP64 extra field in the ") + where + " header of entry " + quoted + " has " + Num(len) +
                   " bytes, expected " + Num(need));
          return false;
        }
        info->zip64 = true;
        if (want.uncompressed) info->uncompressed = f.U64le();
        if (want.compressed) info->compressed = f.U64le();
        if (want.offset) info->local_header_offset = f.U64le();
        if (want.disk && f.U32le() != 0) {
          Fail(Rule::kZipEocdInconsistent, field_offset, "entry " + quoted + " starts on another disk");
          return false;
        }
        break;
      }
      case kExtraExtendedTimestamp: {
        // Flags byte, then up to three 4-byte times (Info-ZIP extrafld.txt).
        well_formed = len >= 1 && len <= 13 && (len - 1) % 4 == 0;
        break;
      }
      case kExtraUnixUidGid: {
        // libarchive 3.0.4-3.1.2 (archive_write_zip_close; Slicer's
        // External_LibArchive from 2012) wrote "ux" with no data in every
        // central header, the full field in the local header. It carries
        // nothing: libarchive's reader (process_extra) needs datasize >= 1
        // and libzip does not read 0x7875.
        if (len == 0 && !local) break;
        // Version 1, then size-prefixed UID and GID (Info-ZIP extrafld.txt).
        uint8_t version = f.U8();
        uint8_t uid_size = f.U8();
        f.Skip(uid_size);
        uint8_t gid_size = f.U8();
        f.Skip(gid_size);
        well_formed = f.ok() && f.empty() && version == 1 && uid_size <= 8 && gid_size <= 8;
        break;
      }
      case kExtraNtfs: {
        // APPNOTE 4.5.5: reserved, then (tag, size, data). Only tag 1 (three
        // 8-byte times) is defined; others could carry arbitrary bytes.
        f.Skip(4);
        while (f.ok() && !f.empty()) {
          uint16_t tag = f.U16le();
          uint16_t tag_size = f.U16le();
          f.Skip(tag_size);
          if (tag != 1 || tag_size != 24) well_formed = false;
        }
        well_formed = well_formed && f.ok();
        break;
      }
      case kExtraUnicodePath:
      case kExtraUnicodeComment:
        // Info-ZIP Unicode path/comment: libarchive and libzip substitute the
        // name from it, others do not (ZipDiff a3).
        Fail(Rule::kZipExtraField, field_offset,
             std::string("extra field ") + Hex(id) + " (Info-ZIP Unicode " +
                 (id == kExtraUnicodePath ? "path" : "comment") + ") in the " + where + " header of entry " + quoted +
                 ": readers disagree on whether it renames the entry");
        return false;
      default:
        Fail(Rule::kZipExtraField, field_offset,
             std::string("extra field ") + Hex(id) + " in the " + where + " header of entry " + quoted +
                 " is not on the allow-list (0x0001, 0x000a, 0x5455, 0x7875)");
        return false;
    }
    if (!well_formed) {
      Fail(Rule::kZipExtraField, field_offset,
           std::string("malformed extra field ") + Hex(id) + " (" + Num(len) + " bytes) in the " + where +
               " header of entry " + quoted);
      return false;
    }
  }
  if ((sat.uncompressed || sat.compressed || sat.offset || sat.disk) && !info->zip64) {
    Fail(Rule::kZipZip64Invalid, base,
         std::string("the ") + where + " header of entry " + quoted +
             " has a saturated size or offset but no ZIP64 extra field");
    return false;
  }
  if (info->zip64 && !local) {
    // A ZIP64 value must need the room (ZipDiff a2/c5: ZIP64 only when needed).
    bool small = (sat.uncompressed && info->uncompressed < kSat32) ||
                 (sat.compressed && info->compressed < kSat32) ||
                 (sat.offset && info->local_header_offset < kSat32);
    if (small) {
      Fail(Rule::kZipZip64Invalid, base,
           std::string("the ZIP64 extra field in the ") + where + " header of entry " + quoted +
               " holds a value that fits in 32 bits");
      return false;
    }
  }
  return true;
}

// Per-entry checks that need only the central header (Z14, Z16, Z20).
bool Auditor::CheckCentral(const Central& c, const std::string& quoted) {
  const uint64_t at = c.header_offset;
  bool ok = true;
  if ((c.flags & (kFlagEncrypted | kFlagStrongEncryption | kFlagMaskedHeaders)) != 0 || c.method == 99) {
    sink_.Add(Rule::kZipEncrypted, {.offset = at},
              "entry " + quoted + " is encrypted (flags " + Hex(c.flags) + ", method " + Num(c.method) + ")");
    ok = false;
  } else if (c.method != 0 && c.method != 8) {
    sink_.Add(Rule::kZipUnsupportedMethod, {.offset = at},
              "entry " + quoted + " uses compression method " + Num(c.method) + "; only 0 (stored) and 8 (deflate)");
    ok = false;
  } else if ((c.flags & ~(kFlagsAllowed | kFlagEncrypted | kFlagStrongEncryption | kFlagMaskedHeaders)) != 0) {
    sink_.Add(Rule::kZipUnsupportedMethod, {.offset = at},
              "entry " + quoted + " sets general purpose flag bits " +
                  Hex(c.flags & ~(kFlagsAllowed | kFlagEncrypted | kFlagStrongEncryption | kFlagMaskedHeaders)) +
                  " (enhanced deflate, patched data or reserved)");
    ok = false;
  }
  if (c.method == 0 && c.compressed != c.uncompressed) {
    sink_.Add(Rule::kZipSizeMismatch, {.offset = at},
              "stored entry " + quoted + " declares " + Num(c.compressed) + " compressed but " +
                  Num(c.uncompressed) + " uncompressed bytes");
    ok = false;
  }
  CheckTypes(c, quoted);
  return ok;
}

// Z20: entry types from the external attributes (APPNOTE 4.4.15). libarchive
// takes the Unix mode from the high 16 bits when the host is Unix (3) and
// creates symlinks, devices and FIFOs from it.
void Auditor::CheckTypes(const Central& c, const std::string& quoted) {
  const uint64_t at = c.header_offset;
  const uint8_t host = static_cast<uint8_t>(c.made_by >> 8);
  const uint32_t attr = c.external_attributes;
  const bool dir_name = !c.name.empty() && c.name.back() == '/';
  bool dir_attr = (attr & 0x10u) != 0;  // MS-DOS directory bit
  if ((attr & 0xFFu & ~0x31u) != 0) {
    sink_.Add(Rule::kZipEntryType, {.offset = at},
              "entry " + quoted + " has MS-DOS attributes " + Hex(attr & 0xFFu) +
                  " (only read-only 0x01, directory 0x10 and archive 0x20 are allowed)");
  }
  if (host == 3) {
    uint32_t mode = attr >> 16;
    uint32_t type = mode & 0170000u;
    if (type == 0040000u) {
      dir_attr = true;
    } else if (type != 0100000u && type != 0) {
      const char* what = type == 0120000u   ? "a symbolic link"
                         : type == 0020000u ? "a character device"
                         : type == 0060000u ? "a block device"
                         : type == 0010000u ? "a FIFO"
                         : type == 0140000u ? "a socket"
                                            : "of an unknown type";
      sink_.Add(Rule::kZipEntryType, {.offset = at},
                "entry " + quoted + " is " + what + " (Unix mode " + Hex(mode) + ")");
    }
    if ((mode & 07000u) != 0) {
      sink_.Add(Rule::kZipEntryType, {.offset = at},
                "entry " + quoted + " has setuid/setgid/sticky bits (Unix mode " + Hex(mode) + ")");
    }
  } else if ((attr >> 16) != 0 && host == 0) {
    sink_.Add(Rule::kZipEntryType, {.offset = at},
              "entry " + quoted + " from an MS-DOS host has high attribute bits " + Hex(attr >> 16));
  }
  if (dir_attr != dir_name) {
    sink_.Add(Rule::kZipEntryDirectoryData, {.offset = at},
              "entry " + quoted + (dir_name ? " ends in '/' but its attributes say it is a file"
                                            : " has directory attributes but does not end in '/'"));
  }
  if (dir_name && (c.uncompressed != 0 || c.compressed != 0 || c.method != 0)) {
    sink_.Add(Rule::kZipEntryDirectoryData, {.offset = at},
              "directory entry " + quoted + " carries data (" + Num(c.compressed) + " compressed, " +
                  Num(c.uncompressed) + " uncompressed bytes, method " + Num(c.method) + ")");
  }
}

// APPNOTE 4.3.12 central directory headers, exactly entry_count_ of them
// filling exactly [cd_offset_, cd_end_) (Z6, Z9).
bool Auditor::ReadCentralDirectory() {
  uint64_t cd_end = 0;
  if (!CheckedAdd(cd_offset_, cd_size_, &cd_end) || cd_end > cd_end_) {
    Fail(Rule::kZipEocdInconsistent, eocd_offset_,
         "central directory (offset " + Num(cd_offset_) + ", " + Num(cd_size_) + " bytes) runs past offset " +
             Num(cd_end_) + " where it must end");
    return false;
  }
  if (cd_end < cd_end_) {
    // libarchive assumes the directory ends at the EOCD and shifts every
    // offset by the difference (prepended data); libzip does not (ZipDiff c4).
    uint64_t delta = cd_end_ - cd_end;
    ByteReader probe(Read(cd_end_ - cd_size_, 4), cd_end_ - cd_size_);
    if (cd_size_ > 0 && probe.U32le() == kCdhSignature && probe.ok()) {
      Fail(Rule::kZipPrependedData, 0,
           Num(delta) + " bytes precede the archive (the directory sits " + Num(delta) +
               " bytes after its declared offset " + Num(cd_offset_) + ")");
    } else {
      Fail(Rule::kZipGap, cd_end,
           Num(delta) + " bytes between the end of the central directory (offset " + Num(cd_end) +
               ") and the end-of-central-directory record");
    }
    return false;
  }
  if (entry_count_ > limits_.max_zip_entries) {
    sink_.LimitReached(Rule::kZipLimitExceeded, "max_zip_entries", limits_.max_zip_entries, {.offset = eocd_offset_},
                       "(the archive declares " + Num(entry_count_) + " entries)");
    structure_ok_ = false;
    return false;
  }
  uint64_t min_size = 0;
  if (!CheckedMul<uint64_t>(entry_count_, kCdhSize, &min_size) || min_size > cd_size_) {
    Fail(Rule::kZipEocdInconsistent, eocd_offset_,
         "the EOCD declares " + Num(entry_count_) + " entries but the directory has only " + Num(cd_size_) + " bytes");
    return false;
  }
  central_.reserve(static_cast<size_t>(entry_count_));
  uint64_t pos = cd_offset_;
  std::vector<uint8_t> var_scratch;
  for (uint64_t i = 0; i < entry_count_; ++i) {
    Central c;
    c.header_offset = pos;
    ByteReader r(Read(pos, kCdhSize), pos);
    if (r.size() != kCdhSize || cd_end - pos < kCdhSize) {
      Fail(Rule::kZipTruncated, pos, "central header " + Num(i) + " runs past the end of the directory");
      return false;
    }
    uint32_t sig = r.U32le();
    if (sig != kCdhSignature) {
      Fail(Rule::kZipBadSignature, pos,
           "expected central header " + Num(i) + " of " + Num(entry_count_) + " at offset " + Num(pos) +
               ", found signature " + Hex(sig));
      return false;
    }
    c.made_by = r.U16le();
    c.version_needed = r.U16le();
    c.flags = r.U16le();
    c.method = r.U16le();
    c.mtime = r.U16le();
    c.mdate = r.U16le();
    c.crc = r.U32le();
    uint32_t csize32 = r.U32le();
    uint32_t usize32 = r.U32le();
    uint16_t name_len = r.U16le();
    uint16_t extra_len = r.U16le();
    uint16_t comment_len = r.U16le();
    uint16_t disk = r.U16le();
    r.Skip(2);  // internal attributes
    c.external_attributes = r.U32le();
    uint32_t lfh32 = r.U32le();
    size_t var_len = size_t{name_len} + extra_len + comment_len;
    if (cd_end - pos - kCdhSize < var_len) {
      Fail(Rule::kZipTruncated, pos,
           "central header " + Num(i) + " (name, extra and comment " + Num(var_len) +
               " bytes) runs past the end of the directory");
      return false;
    }
    ByteReader v(src_.View(pos + kCdhSize, var_len, &var_scratch), pos + kCdhSize);
    if (v.size() != var_len) {
      Fail(Rule::kZipTruncated, pos + kCdhSize, "could not read central header " + Num(i));
      return false;
    }
    c.name.assign(v.Chars(name_len));
    std::span<const uint8_t> extra = v.Bytes(extra_len);
    const std::string quoted = QuoteUntrusted(c.name);
    if (name_len > limits_.max_entry_name_bytes) {
      sink_.LimitReached(Rule::kZipLimitExceeded, "max_entry_name_bytes", limits_.max_entry_name_bytes,
                         {.offset = pos}, "(entry name of " + Num(name_len) + " bytes)");
      structure_ok_ = false;
    }
    if (comment_len != 0) {
      sink_.Add(Rule::kZipEntryComment, {.offset = pos + kCdhSize + name_len + extra_len},
                "entry " + quoted + " has a comment of " + Num(comment_len) + " bytes");
    }
    if (disk != 0 && disk != kSat16) {
      Fail(Rule::kZipEocdInconsistent, pos, "entry " + quoted + " starts on disk " + Num(disk));
      return false;
    }
    Saturated sat{.uncompressed = usize32 == kSat32,
                  .compressed = csize32 == kSat32,
                  .offset = lfh32 == kSat32,
                  .disk = disk == kSat16};
    ExtraInfo info;
    if (!ParseExtras(extra, pos + kCdhSize + name_len, /*local=*/false, sat, quoted, &info)) return false;
    c.uncompressed = sat.uncompressed ? info.uncompressed : usize32;
    c.compressed = sat.compressed ? info.compressed : csize32;
    c.lfh_offset = sat.offset ? info.local_header_offset : lfh32;
    c.zip64_sizes = sat.uncompressed || sat.compressed;
    CheckCentral(c, quoted);
    central_.push_back(std::move(c));
    pos += kCdhSize + var_len;
  }
  if (pos != cd_end) {
    Fail(Rule::kZipEocdInconsistent, pos,
         Num(cd_end - pos) + " bytes remain in the central directory after the " + Num(entry_count_) +
             " declared entries");
    return false;
  }
  return true;
}

// Z7, Z8, Z10, Z11: local header, data and data descriptor of one entry, at
// exactly *pos; advances *pos past them.
bool Auditor::WalkEntry(const Central& c, uint64_t* pos) {
  const std::string quoted = QuoteUntrusted(c.name);
  if (c.lfh_offset != *pos) {
    if (*pos == 0 && c.lfh_offset > 0) {
      Fail(Rule::kZipPrependedData, 0,
           Num(c.lfh_offset) + " bytes precede the first local header (entry " + quoted + ")");
    } else if (c.lfh_offset > *pos) {
      Fail(Rule::kZipGap, *pos,
           Num(c.lfh_offset - *pos) + " unaccounted bytes at offset " + Num(*pos) + " before entry " + quoted);
    } else {
      Fail(Rule::kZipOverlap, c.lfh_offset,
           "entry " + quoted + " starts at offset " + Num(c.lfh_offset) +
               ", inside the previous entry (which ends at " + Num(*pos) + ")");
    }
    return false;
  }
  const uint64_t at = *pos;
  if (cd_offset_ - at < kLfhSize) {
    Fail(Rule::kZipOverlap, at, "local header of entry " + quoted + " runs into the central directory");
    return false;
  }
  ByteReader r(Read(at, kLfhSize), at);
  uint32_t sig = r.U32le();
  uint16_t version_needed = r.U16le();
  uint16_t flags = r.U16le();
  uint16_t method = r.U16le();
  uint16_t mtime = r.U16le();
  uint16_t mdate = r.U16le();
  uint32_t crc = r.U32le();
  uint32_t csize32 = r.U32le();
  uint32_t usize32 = r.U32le();
  uint16_t name_len = r.U16le();
  uint16_t extra_len = r.U16le();
  if (!r.ok()) {
    Fail(Rule::kZipTruncated, at, "could not read the local header of entry " + quoted);
    return false;
  }
  if (sig != kLfhSignature) {
    Fail(Rule::kZipBadSignature, at,
         "expected the local header of entry " + quoted + " at offset " + Num(at) + ", found signature " + Hex(sig));
    return false;
  }
  const uint64_t var_at = at + kLfhSize;
  if (cd_offset_ - var_at < uint64_t{name_len} + extra_len) {
    Fail(Rule::kZipOverlap, at, "local header of entry " + quoted + " runs into the central directory");
    return false;
  }
  std::vector<uint8_t> var_scratch;
  ByteReader v(src_.View(var_at, size_t{name_len} + extra_len, &var_scratch), var_at);
  std::string_view lname = v.Chars(name_len);
  std::span<const uint8_t> lextra = v.Bytes(extra_len);
  if (!v.ok()) {
    Fail(Rule::kZipTruncated, var_at, "could not read the local header of entry " + quoted);
    return false;
  }
  // a3: the name libarchive uses must be the name libzip uses.
  if (lname != c.name) {
    Fail(Rule::kZipHeaderMismatch, var_at,
         "local header names the entry " + QuoteUntrusted(lname) + ", the central directory " + quoted);
    return false;
  }
  // a1, a5: method and every flag bit (encryption, data descriptor, UTF-8).
  auto mismatch = [&](const char* what, uint64_t local, uint64_t central) {
    Fail(Rule::kZipHeaderMismatch, at,
         std::string("entry ") + quoted + ": " + what + " is " + Num(local) + " in the local header, " + Num(central) +
             " in the central directory");
  };
  if (flags != c.flags) {
    Fail(Rule::kZipHeaderMismatch, at,
         "entry " + quoted + ": flags are " + Hex(flags) + " in the local header, " + Hex(c.flags) +
             " in the central directory");
    return false;
  }
  if (method != c.method) {
    mismatch("compression method", method, c.method);
    return false;
  }
  if (version_needed != c.version_needed) {
    mismatch("version needed to extract", version_needed, c.version_needed);
    return false;
  }
  if (mtime != c.mtime || mdate != c.mdate) {
    // libzip's consistency check compares the DOS time too.
    Fail(Rule::kZipHeaderMismatch, at, "entry " + quoted + ": modification time differs between the headers");
    return false;
  }
  Saturated lsat{.uncompressed = usize32 == kSat32, .compressed = csize32 == kSat32};
  ExtraInfo linfo;
  if (!ParseExtras(lextra, var_at + name_len, /*local=*/true, lsat, quoted, &linfo)) return false;
  const bool descriptor = (flags & kFlagDataDescriptor) != 0;
  uint64_t lcsize = linfo.zip64 ? linfo.compressed : csize32;
  uint64_t lusize = linfo.zip64 ? linfo.uncompressed : usize32;
  if (linfo.zip64 != c.zip64_sizes && !(descriptor && !linfo.zip64 && csize32 == 0 && usize32 == 0)) {
    Fail(Rule::kZipZip64Invalid, at,
         "entry " + quoted + " uses ZIP64 sizes in " + (linfo.zip64 ? "the local header only" : "the central directory only"));
    return false;
  }
  // a2: sizes and CRC agree, or (bit 3) are zero in the local header and
  // come from the data descriptor. libarchive's writer leaves the sizes of
  // stored entries in place and only zeroes the CRC, so each field may be
  // zero or equal on its own.
  auto field_ok = [&](uint64_t local, uint64_t central) { return local == central || (descriptor && local == 0); };
  if (!field_ok(crc, c.crc)) {
    Fail(Rule::kZipHeaderMismatch, at,
         "entry " + quoted + ": CRC-32 is " + Hex(crc) + " in the local header, " + Hex(c.crc) +
             " in the central directory");
    return false;
  }
  if (!field_ok(lcsize, c.compressed)) {
    mismatch("compressed size", lcsize, c.compressed);
    return false;
  }
  if (!field_ok(lusize, c.uncompressed)) {
    mismatch("uncompressed size", lusize, c.uncompressed);
    return false;
  }
  if (descriptor && (lcsize != 0 || lusize != 0)) descriptor_sizes_in_local_header_ = true;

  uint64_t data_at = var_at + name_len + extra_len;
  uint64_t data_end = 0;
  if (!CheckedAdd(data_at, c.compressed, &data_end) || data_end > cd_offset_) {
    Fail(Rule::kZipOverlap, data_at,
         "data of entry " + quoted + " (" + Num(c.compressed) + " bytes at offset " + Num(data_at) +
             ") runs into the central directory at offset " + Num(cd_offset_));
    return false;
  }
  uint64_t end = data_end;
  if (descriptor) {
    // APPNOTE 4.3.9: optional signature, CRC, then 4- or 8-byte sizes (8 when
    // the local header has a ZIP64 extra field).
    const size_t width = linfo.zip64 ? 8 : 4;
    ByteReader d(Read(data_end, 4 + 4 + 2 * width), data_end);
    auto read_sizes = [&](ByteReader& rr, uint32_t* dcrc, uint64_t* dc, uint64_t* du) {
      *dcrc = rr.U32le();
      *dc = width == 8 ? rr.U64le() : rr.U32le();
      *du = width == 8 ? rr.U64le() : rr.U32le();
      return rr.ok();
    };
    uint32_t dcrc = 0;
    uint64_t dc = 0, du = 0;
    ByteReader signed_r = d;
    bool has_sig = signed_r.U32le() == kDataDescriptorSignature;
    bool signed_ok = has_sig && read_sizes(signed_r, &dcrc, &dc, &du) && dcrc == c.crc && dc == c.compressed &&
                     du == c.uncompressed;
    size_t dd_len = 0;
    if (signed_ok) {
      dd_len = 4 + 4 + 2 * width;
    } else {
      ByteReader unsigned_r = d;
      uint32_t ucrc = 0;
      uint64_t uc = 0, uu = 0;
      bool unsigned_ok = read_sizes(unsigned_r, &ucrc, &uc, &uu) && ucrc == c.crc && uc == c.compressed &&
                         uu == c.uncompressed;
      if (unsigned_ok && has_sig) {
        // The CRC equals the descriptor signature: a reader that looks for
        // the signature skips 4 more bytes than one that does not.
        Fail(Rule::kZipDataDescriptorMismatch, data_end,
             "data descriptor of entry " + quoted + " is ambiguous: its CRC is the descriptor signature");
        return false;
      }
      if (unsigned_ok) {
        dd_len = 4 + 2 * width;
      } else {
        if (!has_sig) {
          dcrc = ucrc;
          dc = uc;
          du = uu;
        }
        Fail(Rule::kZipDataDescriptorMismatch, data_end,
             "data descriptor of entry " + quoted + " (" + (has_sig ? "signed" : "unsigned") + ", CRC " + Hex(dcrc) +
                 ", sizes " + Num(dc) + "/" + Num(du) + ") disagrees with the central directory (CRC " + Hex(c.crc) +
                 ", sizes " + Num(c.compressed) + "/" + Num(c.uncompressed) + ")");
        return false;
      }
    }
    if (cd_offset_ - data_end < dd_len) {
      Fail(Rule::kZipOverlap, data_end, "data descriptor of entry " + quoted + " runs into the central directory");
      return false;
    }
    end = data_end + dd_len;
  }
  ZipEntry e;
  e.name = c.name;
  e.local_header_offset = at;
  e.data_offset = data_at;
  e.compressed_size = c.compressed;
  e.declared_size = c.uncompressed;
  e.declared_crc32 = c.crc;
  e.method = c.method;
  e.is_directory = !c.name.empty() && c.name.back() == '/';
  e.host_system = static_cast<uint8_t>(c.made_by >> 8);
  e.external_attributes = c.external_attributes;
  e.end_offset = end;
  dir_.entries.push_back(std::move(e));
  *pos = end;
  return true;
}

bool Auditor::Walk() {
  dir_.entries.reserve(central_.size());
  uint64_t pos = 0;
  for (const Central& c : central_) {
    if (!WalkEntry(c, &pos)) return false;
  }
  if (pos < cd_offset_) {
    if (central_.empty()) {
      Fail(Rule::kZipPrependedData, 0, Num(cd_offset_) + " bytes precede the (empty) central directory");
    } else {
      Fail(Rule::kZipGap, pos,
           Num(cd_offset_ - pos) + " unaccounted bytes between the last entry (ends at " + Num(pos) +
               ") and the central directory");
    }
    return false;
  }
  return true;
}

// Z9, Z17-Z19 over the whole set, and the declared-size budgets (Z15 before
// any inflating: a bomb that declares its size is refused here).
void Auditor::CheckNamesAndLimits() {
  std::unordered_map<std::string_view, size_t> exact;
  std::unordered_map<std::string, size_t> folded;
  std::unordered_set<std::string> folded_dirs;  // fold keys of every implied parent folder
  std::vector<std::string> keys(central_.size());
  exact.reserve(central_.size());
  folded.reserve(central_.size());
  // Enclosing bundles' declared bytes count against the same budget.
  const uint64_t outer = budget_ != nullptr ? budget_->total_declared : 0;
  uint64_t total = 0;
  for (size_t i = 0; i < central_.size(); ++i) {
    const Central& c = central_[i];
    const std::string quoted = QuoteUntrusted(c.name);
    const Location at{.offset = c.header_offset};
    bool name_ok = CheckEntryName(c.name, (c.flags & kFlagUtf8) != 0, c.header_offset, sink_);
    auto [it, inserted] = exact.emplace(std::string_view(c.name), i);
    if (!inserted) {
      sink_.Add(Rule::kZipEntryDuplicate, at,
                "entry " + quoted + " appears twice (entries " + Num(it->second) + " and " + Num(i) +
                    "; libzip keeps the first, libarchive the last)");
    } else if (name_ok) {
      std::string key = FoldKey(c.name);
      if (!key.empty() && key.back() == '/') key.pop_back();
      auto [fit, finserted] = folded.emplace(key, i);
      if (!finserted) {
        sink_.Add(Rule::kZipEntryCaseCollision, at,
                  "entry " + quoted + " and entry " + QuoteUntrusted(central_[fit->second].name) +
                      " differ only by case or Unicode normalisation");
      }
      for (size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1)) {
        folded_dirs.insert(key.substr(0, slash));
      }
      keys[i] = std::move(key);
    }
    // The budgets, from the declared sizes: an entry over a limit is
    // reported here and never inflated (ZipEntry::declared_over_limit).
    if (c.uncompressed > limits_.max_entry_uncompressed_bytes) {
      sink_.LimitReached(Rule::kZipLimitExceeded, "max_entry_uncompressed_bytes",
                         limits_.max_entry_uncompressed_bytes, at,
                         "(entry " + quoted + " declares " + Num(c.uncompressed) + " bytes)");
      dir_.entries[i].declared_over_limit = true;
    }
    if (!CheckedAdd(total, c.uncompressed, &total)) total = UINT64_MAX;
    uint64_t with_outer = 0;
    if (!CheckedAdd(outer, total, &with_outer)) with_outer = UINT64_MAX;
    if (!dir_.total_over_limit && with_outer > limits_.max_total_uncompressed_bytes) {
      dir_.total_over_limit = true;
      sink_.LimitReached(Rule::kZipLimitExceeded, "max_total_uncompressed_bytes",
                         limits_.max_total_uncompressed_bytes, at,
                         "(declared sizes add up to more, at entry " + quoted +
                             (outer != 0 ? ", counting " + Num(outer) + " bytes declared by the enclosing bundle)"
                                         : std::string(")")));
    }
    if (RatioAboveLimit(c.uncompressed, c.compressed, limits_)) {
      sink_.LimitReached(Rule::kZipRatio, "max_compression_ratio", limits_.max_compression_ratio, at,
                         "(entry " + quoted + " declares " + Num(c.uncompressed) + " bytes from " +
                             Num(c.compressed) + " compressed bytes)");
      dir_.entries[i].declared_over_limit = true;
    }
  }
  dir_.total_declared_size = total;
  if (budget_ != nullptr && !CheckedAdd(outer, total, &budget_->total_declared)) {
    budget_->total_declared = UINT64_MAX;
  }
  // File/folder collisions: a file whose (folded) name is also a folder of
  // another entry; extraction writes one through or over the other.
  for (size_t i = 0; i < central_.size(); ++i) {
    const Central& c = central_[i];
    if (keys[i].empty() || c.name.back() == '/') continue;
    if (folded_dirs.count(keys[i]) != 0) {
      sink_.Add(Rule::kZipEntryFileDirCollision, {.offset = c.header_offset},
                "entry " + QuoteUntrusted(c.name) + " is a file and also the folder of another entry");
    }
  }
}

// Z21: bytes that another libarchive bidder would claim before the ZIP
// bidder (Slicer enables every format). Formats with magic at offset 0 (ar,
// cpio, 7-Zip, CAB, RAR, LHA, XAR, WARC, and the SFX variants that need "MZ"
// or ELF at 0) cannot match a file that starts with "PK\3\4".
void Auditor::CheckPolyglots() {
  // tar (archive_read_support_format_tar.c checksum()): the header checksum
  // at 148..155, octal, over bytes 0..511 with the field as spaces, summed
  // as unsigned or as signed bytes. A valid one bids 48 > zip's 32.
  if (size_ >= 512) {
    ByteReader r(Read(0, 512), 0);
    if (r.size() == 512) {
      uint64_t unsigned_sum = 0;
      int64_t signed_sum = 0;
      uint64_t declared = 0;
      bool digits = false, stopped = false;
      for (size_t i = 0; i < 512; ++i) {
        uint8_t b = r.U8();
        if (i >= 148 && i < 156) {
          unsigned_sum += 0x20;
          signed_sum += 0x20;
          // tar_atol8: leading spaces/tabs, then octal digits.
          if (!stopped) {
            if (b >= '0' && b <= '7') {
              declared = declared * 8 + (b - '0');
              digits = true;
            } else if (!((b == ' ' || b == '\t') && !digits)) {
              stopped = true;
            }
          }
          continue;
        }
        unsigned_sum += b;
        signed_sum += static_cast<int8_t>(b);
      }
      if (declared == unsigned_sum || (signed_sum >= 0 && declared == static_cast<uint64_t>(signed_sum))) {
        sink_.Add(Rule::kZipPolyglot, {.offset = 148},
                  "bytes 0-511 form a tar header with a valid checksum (" + Num(declared) +
                      "): libarchive, as Slicer uses it, would read the file as tar");
      }
    }
  }
  // ISO 9660 (archive_read_support_format_iso9660.c bid): "CD001" in a
  // volume descriptor at 32768 + k * 2048, k = 0..7.
  for (uint64_t k = 0; k < 8; ++k) {
    uint64_t at = 32768 + k * 2048 + 1;
    if (!RangeInside(at, 5, size_)) break;
    ByteReader r(Read(at, 5), at);
    if (r.Chars(5) == "CD001") {
      sink_.Add(Rule::kZipPolyglot, {.offset = at},
                "ISO 9660 volume descriptor signature \"CD001\" at offset " + Num(at) +
                    ": libarchive would read the file as an ISO image");
      break;
    }
  }
}

ZipDirectory Auditor::Run(const AuditOptions& options) {
  const size_t errors_before = sink_.error_count();
  if (size_ >= 4) {
    ByteReader first(Read(0, 4), 0);
    uint32_t sig = first.U32le();
    if (first.ok() && sig != kLfhSignature && !(sig == kEocdSignature && size_ == kEocdSize)) {
      // Z2: report once here; the walk would only repeat it.
      Fail(Rule::kZipPrependedData, 0, "the file does not start with a local header (found " + Hex(sig) + ")");
    }
  }
  if (structure_ok_ && ReadEocd()) {
    CheckOtherEocds();
    if (structure_ok_ && ReadCentralDirectory() && structure_ok_) Walk();
  }
  if (!src_.io_error().empty()) structure_ok_ = false;
  if (structure_ok_) {
    CheckNamesAndLimits();
    CheckPolyglots();
  }
  if (structure_ok_ && options.libzip_second_opinion && sink_.error_count() == errors_before) {
    LibzipSecondOpinion(src_, dir_.entries, sink_, descriptor_sizes_in_local_header_);
  }
  dir_.structure_ok = structure_ok_;
  if (!structure_ok_) dir_.entries.clear();
  return std::move(dir_);
}

}  // namespace

ZipDirectory AuditZip(InputSource& source, FindingSink& sink, const AuditOptions& options, InflateBudget* budget) {
  Auditor auditor(source, sink, budget);
  return auditor.Run(options);
}

}  // namespace mrmlguard::internal
