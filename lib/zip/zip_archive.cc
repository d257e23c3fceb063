// SPDX-License-Identifier: BSD-3-Clause
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
// The records are decoded in zip_records.cc, the extra fields checked in
// zip_extras.cc; pass 2 (StreamEntry) lives in zip_stream.cc.

#include "zip/zip_archive.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bytes/byte_reader.h"
#include "bytes/checked_math.h"
#include "findings/quote.h"
#include "zip/libzip_check.h"
#include "zip/zip_extras.h"
#include "zip/zip_names.h"
#include "zip/zip_records.h"
#include "zip/zip_text.h"

namespace mrmlguard::internal {
namespace {

// How far back readers look for an EOCD: a maximal comment plus the record
// and a ZIP64 locator (libzip's CDBUFSIZE).
constexpr uint64_t kEocdSearchWindow = 65535 + Eocd::kSize + Zip64Locator::kSize;

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

// One local header with its name and extra block (views valid until the
// next ReadLocal) and what the block said about ZIP64.
struct Local {
  uint64_t at = 0;  // file offset of the LFH
  LocalHeader header;
  std::string_view name;
  std::span<const uint8_t> extra;
  ExtraInfo extras;  // filled by CompareWithCentral
  uint64_t data_at() const { return at + LocalHeader::kSize + header.name_length + header.extra_length; }
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
  // The same, about one entry: "entry <quoted><rest>".
  void EntryFail(Rule rule, uint64_t offset, std::string_view quoted, std::string_view rest) {
    Fail(rule, offset, "entry " + std::string(quoted) + std::string(rest));
  }
  std::span<const uint8_t> Read(uint64_t offset, size_t n) { return src_.View(offset, n, &scratch_); }
  bool ReadEocd();
  void CheckOtherEocds();
  bool ReadZip64Eocd();
  bool ReadCentralDirectory();
  bool ParseExtraBlock(std::span<const uint8_t> block, uint64_t base, HeaderSide side, const Saturated& sat,
                       const std::string& quoted, ExtraInfo* info);
  bool CheckCentral(const Central& c, const std::string& quoted);
  bool Walk();
  bool WalkEntry(const Central& c, uint64_t* pos);
  bool CheckPosition(const Central& c, uint64_t pos, const std::string& quoted);
  std::optional<Local> ReadLocal(uint64_t at, const std::string& quoted);
  bool CompareWithCentral(Local& local, const Central& c, const std::string& quoted);
  std::optional<uint64_t> DataRange(const Local& local, const Central& c, const std::string& quoted);
  std::optional<uint64_t> ReadDescriptor(const Central& c, uint64_t data_end, bool zip64, const std::string& quoted);
  void AddEntry(const Central& c, const Local& local, uint64_t end);
  void CheckNamesAndLimits();
  void CheckPolyglots();
  void CheckTypes(const Central& c, const std::string& quoted);

  InputSource& src_;
  FindingSink& sink_;
  const Limits& limits_;
  const uint64_t size_;
  InflateBudget* const budget_;  // may be null
  std::vector<uint8_t> scratch_;
  std::vector<uint8_t> local_scratch_;  // name and extras of the local header being walked
  bool structure_ok_ = true;
  bool descriptor_sizes_in_local_header_ = false;  // see libzip_check.h

  // From the EOCD (and ZIP64 EOCD).
  uint64_t eocd_offset_ = 0;
  uint64_t cd_end_ = 0;  // where the CD must end: the ZIP64 EOCD or the EOCD
  uint64_t entry_count_ = 0;
  uint64_t cd_size_ = 0;
  uint64_t cd_offset_ = 0;
  Eocd eocd_;

  std::vector<Central> central_;
  ZipDirectory dir_;
};

// APPNOTE 4.3.16 end of central directory record. Z3: exactly at size - 22,
// no comment, nothing after it.
bool Auditor::ReadEocd() {
  if (size_ < Eocd::kSize) {
    Fail(Rule::kZipEocdMissing, 0, "file has " + Num(size_) + " bytes, fewer than an end-of-central-directory record");
    return false;
  }
  eocd_offset_ = size_ - Eocd::kSize;
  ByteReader r(Read(eocd_offset_, Eocd::kSize), eocd_offset_);
  std::optional<Eocd> eocd = Eocd::Read(r);
  if (!eocd) {
    Fail(Rule::kZipTruncated, eocd_offset_, "could not read the last 22 bytes");
    return false;
  }
  if (eocd->signature != Eocd::kSignature) {
    // Say why: a comment, trailing bytes, or no EOCD at all.
    uint64_t start = size_ > kEocdSearchWindow ? size_ - kEocdSearchWindow : 0;
    std::span<const uint8_t> tail = Read(start, static_cast<size_t>(size_ - start));
    std::optional<Eocd> found;
    uint64_t found_at = 0;
    for (size_t i = tail.size() < Eocd::kSize ? 0 : tail.size() - Eocd::kSize + 1; i-- > 0;) {
      ByteReader probe(tail.subspan(i, Eocd::kSize), start + i);
      std::optional<Eocd> candidate = Eocd::Read(probe);
      if (!candidate || candidate->signature != Eocd::kSignature) continue;
      found = candidate;
      found_at = start + i;
      break;
    }
    const uint16_t comment = found ? found->comment_length : 0;
    if (!found) {
      Fail(Rule::kZipEocdMissing, eocd_offset_,
           "no end-of-central-directory record in the last " + Num(tail.size()) + " bytes");
    } else if (comment > 0 && found_at + Eocd::kSize + comment == size_) {
      Fail(Rule::kZipEocdComment, found_at, "the archive has a comment of " + Num(comment) + " bytes");
    } else {
      uint64_t end = found_at + Eocd::kSize + comment;
      Fail(Rule::kZipTrailingData, std::min(end, size_),
           Num(size_ - std::min(end, size_)) + " bytes follow the end-of-central-directory record at offset " +
               Num(found_at));
    }
    return false;
  }
  eocd_ = *eocd;
  if (eocd_.comment_length != 0) {
    Fail(Rule::kZipEocdComment, eocd_offset_,
         "end-of-central-directory record declares a comment of " + Num(eocd_.comment_length) +
             " bytes but none follows");
    return false;
  }
  const bool zip64 = eocd_.this_disk_count == kSat16 || eocd_.total_count == kSat16 || eocd_.cd_size == kSat32 ||
                     eocd_.cd_offset == kSat32 || eocd_.disk == kSat16 || eocd_.cd_disk == kSat16;
  if (zip64) return ReadZip64Eocd();
  if (eocd_.disk != 0 || eocd_.cd_disk != 0) {
    Fail(Rule::kZipEocdInconsistent, eocd_offset_,
         "archive spans disks (disk " + Num(eocd_.disk) + ", directory on disk " + Num(eocd_.cd_disk) + ")");
    return false;
  }
  if (eocd_.this_disk_count != eocd_.total_count) {
    Fail(Rule::kZipEocdInconsistent, eocd_offset_,
         "entry counts disagree: " + Num(eocd_.this_disk_count) + " on this disk, " + Num(eocd_.total_count) +
             " in total");
    return false;
  }
  entry_count_ = eocd_.total_count;
  cd_size_ = eocd_.cd_size;
  cd_offset_ = eocd_.cd_offset;
  cd_end_ = eocd_offset_;
  // c5: a ZIP64 locator without need is a second, competing directory pointer.
  if (eocd_offset_ >= Zip64Locator::kSize) {
    ByteReader l(Read(eocd_offset_ - Zip64Locator::kSize, 4), eocd_offset_ - Zip64Locator::kSize);
    if (l.U32le() == Zip64Locator::kSignature && l.ok()) {
      Fail(Rule::kZipZip64Invalid, eocd_offset_ - Zip64Locator::kSize,
           "ZIP64 end-of-central-directory locator present although no EOCD field is saturated");
      return false;
    }
  }
  return true;
}

// APPNOTE 4.3.14 / 4.3.15: ZIP64 EOCD record and locator, used only because a
// 32-bit EOCD field is saturated (Z5). The locator must sit right before the
// EOCD and point at a record that ends right before the locator.
bool Auditor::ReadZip64Eocd() {
  if (eocd_offset_ < Zip64Locator::kSize + Zip64Eocd::kSize) {
    Fail(Rule::kZipZip64Invalid, eocd_offset_, "EOCD fields are saturated but there is no room for ZIP64 records");
    return false;
  }
  const uint64_t loc_offset = eocd_offset_ - Zip64Locator::kSize;
  ByteReader l(Read(loc_offset, Zip64Locator::kSize), loc_offset);
  std::optional<Zip64Locator> loc = Zip64Locator::Read(l);
  if (!loc || loc->signature != Zip64Locator::kSignature) {
    Fail(Rule::kZipZip64Invalid, loc_offset, "EOCD fields are saturated but no ZIP64 locator precedes the EOCD");
    return false;
  }
  if (loc->eocd_disk != 0 || loc->total_disks != 1) {
    Fail(Rule::kZipEocdInconsistent, loc_offset,
         "ZIP64 locator says disk " + Num(loc->eocd_disk) + " of " + Num(loc->total_disks) + " disks");
    return false;
  }
  const uint64_t want = loc_offset - Zip64Eocd::kSize;
  if (loc->eocd_offset != want) {
    Fail(Rule::kZipZip64Invalid, loc_offset,
         "ZIP64 locator points at offset " + Num(loc->eocd_offset) + ", not at the record ending before it (offset " +
             Num(want) + ")");
    return false;
  }
  ByteReader zr(Read(want, Zip64Eocd::kSize), want);
  std::optional<Zip64Eocd> z = Zip64Eocd::Read(zr);
  if (!z || z->signature != Zip64Eocd::kSignature) {
    Fail(Rule::kZipZip64Invalid, want, "no ZIP64 end-of-central-directory record where the locator points");
    return false;
  }
  if (z->record_size != Zip64Eocd::kSize - 12) {
    // Extensible data can hide another record (ZipDiff c5).
    Fail(Rule::kZipZip64Invalid, want,
         "ZIP64 EOCD record size is " + Num(z->record_size) + ", not 44 (extensible data is not allowed)");
    return false;
  }
  if (z->disk != 0 || z->cd_disk != 0 || z->this_disk_count != z->total_count) {
    Fail(Rule::kZipEocdInconsistent, want,
         "ZIP64 EOCD disks or counts disagree (" + Num(z->this_disk_count) + " vs " + Num(z->total_count) +
             " entries)");
    return false;
  }
  // D1: where the 16- or 32-bit field is not saturated it must say the same
  // thing; where it is, the 64-bit value must need the room (else ZIP64 was
  // not needed).
  auto agree = [&](auto narrow, uint64_t wide, const char* what) {
    constexpr uint64_t sat = static_cast<decltype(narrow)>(~decltype(narrow){0});
    if (narrow == sat ? wide < sat : wide != narrow) {
      Fail(Rule::kZipZip64Invalid, want,
           std::string("ZIP64 EOCD ") + what + " " + Num(wide) + " disagrees with the EOCD value " + Num(narrow));
      return false;
    }
    return true;
  };
  if (!agree(eocd_.this_disk_count, z->this_disk_count, "entry count on this disk") ||
      !agree(eocd_.total_count, z->total_count, "entry count") ||
      !agree(eocd_.cd_size, z->cd_size, "directory size") ||
      !agree(eocd_.cd_offset, z->cd_offset, "directory offset")) {
    return false;
  }
  entry_count_ = z->total_count;
  cd_size_ = z->cd_size;
  cd_offset_ = z->cd_offset;
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
  if (tail.size() < Eocd::kSize) return;
  // Jump from signature to signature (std::search) instead of decoding a
  // record at every offset of the window: linear either way, but a window
  // of 64 KiB is searched, not decoded 65,536 times.
  static constexpr uint8_t kMagic[4] = {'P', 'K', 5, 6};
  const auto last = tail.end() - static_cast<std::ptrdiff_t>(Eocd::kSize - sizeof kMagic);
  for (auto it = std::search(tail.begin(), last, std::begin(kMagic), std::end(kMagic)); it != last;
       it = std::search(it + 1, last, std::begin(kMagic), std::end(kMagic))) {
    const size_t i = static_cast<size_t>(it - tail.begin());
    uint64_t at = start + i;
    if (at == eocd_offset_) continue;
    ByteReader r(tail.subspan(i, Eocd::kSize), at);
    std::optional<Eocd> other = Eocd::Read(r);
    if (!other || other->signature != Eocd::kSignature) continue;
    uint64_t end = 0, cd_end = 0;
    if (!CheckedAdd<uint64_t>(at + Eocd::kSize, other->comment_length, &end) || end > size_) continue;
    if (!CheckedAdd<uint64_t>(other->cd_offset, other->cd_size, &cd_end) || cd_end > at) continue;
    ByteReader c(Read(other->cd_offset, 4), other->cd_offset);
    uint32_t sig = c.U32le();
    if (!c.ok() || (sig != CentralHeader::kSignature && !(other->cd_size == 0 && sig == Eocd::kSignature))) continue;
    Fail(Rule::kZipEocdMultiple, at,
         "a second end-of-central-directory record at offset " + Num(at) + " points at a directory at offset " +
             Num(other->cd_offset));
    return;
  }
}

// Z12, Z13: the extra block of one header (zip_extras.h); a problem becomes
// a structural finding.
bool Auditor::ParseExtraBlock(std::span<const uint8_t> block, uint64_t base, HeaderSide side, const Saturated& sat,
                              const std::string& quoted, ExtraInfo* info) {
  ExtraProblem problem;
  if (ParseExtras(ByteReader(block, base), side, sat, quoted, info, &problem)) return true;
  Fail(problem.rule, problem.offset, std::move(problem.message));
  return false;
}

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
    if (cd_size_ > 0 && probe.U32le() == CentralHeader::kSignature && probe.ok()) {
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
  if (!CheckedMul<uint64_t>(entry_count_, CentralHeader::kSize, &min_size) || min_size > cd_size_) {
    Fail(Rule::kZipEocdInconsistent, eocd_offset_,
         "the EOCD declares " + Num(entry_count_) + " entries but the directory has only " + Num(cd_size_) + " bytes");
    return false;
  }
  central_.reserve(static_cast<size_t>(entry_count_));
  uint64_t pos = cd_offset_;
  std::vector<uint8_t> var_scratch;
  for (uint64_t i = 0; i < entry_count_; ++i) {
    ByteReader r(Read(pos, CentralHeader::kSize), pos);
    std::optional<CentralHeader> h = CentralHeader::Read(r);
    if (!h || cd_end - pos < CentralHeader::kSize) {
      Fail(Rule::kZipTruncated, pos, "central header " + Num(i) + " runs past the end of the directory");
      return false;
    }
    if (h->signature != CentralHeader::kSignature) {
      Fail(Rule::kZipBadSignature, pos,
           "expected central header " + Num(i) + " of " + Num(entry_count_) + " at offset " + Num(pos) +
               ", found signature " + Hex(h->signature));
      return false;
    }
    const uint64_t var_at = pos + CentralHeader::kSize;
    const size_t var_len = size_t{h->name_length} + h->extra_length + h->comment_length;
    if (cd_end - var_at < var_len) {
      Fail(Rule::kZipTruncated, pos,
           "central header " + Num(i) + " (name, extra and comment " + Num(var_len) +
               " bytes) runs past the end of the directory");
      return false;
    }
    ByteReader v(src_.View(var_at, var_len, &var_scratch), var_at);
    if (v.size() != var_len) {
      Fail(Rule::kZipTruncated, var_at, "could not read central header " + Num(i));
      return false;
    }
    Central c;
    c.header_offset = pos;
    c.made_by = h->made_by;
    c.version_needed = h->version_needed;
    c.flags = h->flags;
    c.method = h->method;
    c.mtime = h->mtime;
    c.mdate = h->mdate;
    c.crc = h->crc;
    c.external_attributes = h->external_attributes;
    c.name.assign(v.Chars(h->name_length));
    std::span<const uint8_t> extra = v.Bytes(h->extra_length);
    const std::string quoted = Quote(c.name);
    if (h->name_length > limits_.max_entry_name_bytes) {
      sink_.LimitReached(Rule::kZipLimitExceeded, "max_entry_name_bytes", limits_.max_entry_name_bytes,
                         {.offset = pos}, "(entry name of " + Num(h->name_length) + " bytes)");
      structure_ok_ = false;
    }
    if (h->comment_length != 0) {
      sink_.Add(Rule::kZipEntryComment, {.offset = var_at + h->name_length + h->extra_length},
                "entry " + quoted + " has a comment of " + Num(h->comment_length) + " bytes");
    }
    if (h->disk_start != 0 && h->disk_start != kSat16) {
      EntryFail(Rule::kZipEocdInconsistent, pos, quoted, " starts on disk " + Num(h->disk_start));
      return false;
    }
    const Saturated sat{.uncompressed = h->uncompressed32 == kSat32,
                        .compressed = h->compressed32 == kSat32,
                        .offset = h->local_header_offset32 == kSat32,
                        .disk = h->disk_start == kSat16};
    ExtraInfo info;
    if (!ParseExtraBlock(extra, var_at + h->name_length, HeaderSide::kCentral, sat, quoted, &info)) return false;
    c.uncompressed = sat.uncompressed ? info.uncompressed : h->uncompressed32;
    c.compressed = sat.compressed ? info.compressed : h->compressed32;
    c.lfh_offset = sat.offset ? info.local_header_offset : h->local_header_offset32;
    c.zip64_sizes = sat.uncompressed || sat.compressed;
    CheckCentral(c, quoted);
    central_.push_back(std::move(c));
    pos = var_at + var_len;
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
  const std::string quoted = Quote(c.name);
  if (!CheckPosition(c, *pos, quoted)) return false;
  std::optional<Local> local = ReadLocal(*pos, quoted);
  if (!local || !CompareWithCentral(*local, c, quoted)) return false;
  std::optional<uint64_t> end = DataRange(*local, c, quoted);
  const bool descriptor = (local->header.flags & kFlagDataDescriptor) != 0;
  if (end && descriptor) end = ReadDescriptor(c, *end, local->extras.zip64, quoted);
  if (!end) return false;
  AddEntry(c, *local, *end);
  *pos = *end;
  return true;
}

// The walked entry, as pass 2 and the pipeline see it.
void Auditor::AddEntry(const Central& c, const Local& local, uint64_t end) {
  ZipEntry e;
  e.name = c.name;
  e.local_header_offset = local.at;
  e.data_offset = local.data_at();
  e.compressed_size = c.compressed;
  e.declared_size = c.uncompressed;
  e.declared_crc32 = c.crc;
  e.method = c.method;
  e.is_directory = !c.name.empty() && c.name.back() == '/';
  e.host_system = static_cast<uint8_t>(c.made_by >> 8);
  e.external_attributes = c.external_attributes;
  e.end_offset = end;
  dir_.entries.push_back(std::move(e));
}

// The entry must start exactly where the previous one ended (Z7, Z9).
bool Auditor::CheckPosition(const Central& c, uint64_t pos, const std::string& quoted) {
  if (c.lfh_offset == pos) return true;
  if (pos == 0 && c.lfh_offset > 0) {
    Fail(Rule::kZipPrependedData, 0,
         Num(c.lfh_offset) + " bytes precede the first local header (entry " + quoted + ")");
  } else if (c.lfh_offset > pos) {
    Fail(Rule::kZipGap, pos,
         Num(c.lfh_offset - pos) + " unaccounted bytes at offset " + Num(pos) + " before entry " + quoted);
  } else {
    EntryFail(Rule::kZipOverlap, c.lfh_offset, quoted,
              " starts at offset " + Num(c.lfh_offset) + ", inside the previous entry (which ends at " + Num(pos) +
                  ")");
  }
  return false;
}

// APPNOTE 4.3.7: the local header at `at`, its name and extra block, all
// before the central directory.
std::optional<Local> Auditor::ReadLocal(uint64_t at, const std::string& quoted) {
  if (cd_offset_ - at < LocalHeader::kSize) {
    Fail(Rule::kZipOverlap, at, "local header of entry " + quoted + " runs into the central directory");
    return std::nullopt;
  }
  ByteReader r(Read(at, LocalHeader::kSize), at);
  std::optional<LocalHeader> h = LocalHeader::Read(r);
  if (!h) {
    Fail(Rule::kZipTruncated, at, "could not read the local header of entry " + quoted);
    return std::nullopt;
  }
  if (h->signature != LocalHeader::kSignature) {
    Fail(Rule::kZipBadSignature, at,
         "expected the local header of entry " + quoted + " at offset " + Num(at) + ", found signature " +
             Hex(h->signature));
    return std::nullopt;
  }
  const uint64_t var_at = at + LocalHeader::kSize;
  if (cd_offset_ - var_at < uint64_t{h->name_length} + h->extra_length) {
    Fail(Rule::kZipOverlap, at, "local header of entry " + quoted + " runs into the central directory");
    return std::nullopt;
  }
  ByteReader v(src_.View(var_at, size_t{h->name_length} + h->extra_length, &local_scratch_), var_at);
  Local local{.at = at, .header = *h, .name = v.Chars(h->name_length), .extra = v.Bytes(h->extra_length)};
  if (!v.ok()) {
    Fail(Rule::kZipTruncated, var_at, "could not read the local header of entry " + quoted);
    return std::nullopt;
  }
  return local;
}

// The local header says what the central one says (ZipDiff a1, a2, a3, a5):
// name, flags, method, version, time, then ZIP64 use, CRC and sizes, where
// (bit 3) the local CRC and sizes may each be zero instead, their values in
// the data descriptor. libarchive's writer leaves the sizes of stored entries
// in place and only zeroes the CRC.
bool Auditor::CompareWithCentral(Local& local, const Central& c, const std::string& quoted) {
  const LocalHeader& h = local.header;
  const uint64_t name_at = local.at + LocalHeader::kSize;
  // a3: the name libarchive uses must be the name libzip uses.
  if (local.name != c.name) {
    Fail(Rule::kZipHeaderMismatch, name_at,
         "local header names the entry " + Quote(local.name) + ", the central directory " + quoted);
    return false;
  }
  struct Row {
    const char* what;  // "<field> is" / "<field> are"
    uint64_t local, central;
    bool hex;
  };
  auto differ = [&](const Row& row) {
    auto text = [&](uint64_t v) { return row.hex ? Hex(v) : Num(v); };
    EntryFail(Rule::kZipHeaderMismatch, local.at, quoted,
              std::string(": ") + row.what + " " + text(row.local) + " in the local header, " + text(row.central) +
                  " in the central directory");
  };
  // a1, a5: method and every flag bit (encryption, data descriptor, UTF-8).
  const Row exact[] = {{"flags are", h.flags, c.flags, true},
                       {"compression method is", h.method, c.method, false},
                       {"version needed to extract is", h.version_needed, c.version_needed, false}};
  for (const Row& row : exact) {
    if (row.local != row.central) {
      differ(row);
      return false;
    }
  }
  if (h.mtime != c.mtime || h.mdate != c.mdate) {
    // libzip's consistency check compares the DOS time too.
    EntryFail(Rule::kZipHeaderMismatch, local.at, quoted, ": modification time differs between the headers");
    return false;
  }
  const Saturated sat{.uncompressed = h.uncompressed32 == kSat32, .compressed = h.compressed32 == kSat32};
  if (!ParseExtraBlock(local.extra, name_at + h.name_length, HeaderSide::kLocal, sat, quoted, &local.extras)) {
    return false;
  }
  const bool descriptor = (h.flags & kFlagDataDescriptor) != 0;
  const bool zip64 = local.extras.zip64;
  if (zip64 != c.zip64_sizes && !(descriptor && !zip64 && h.compressed32 == 0 && h.uncompressed32 == 0)) {
    EntryFail(Rule::kZipZip64Invalid, local.at, quoted,
              std::string(" uses ZIP64 sizes in ") + (zip64 ? "the local header only" : "the central directory only"));
    return false;
  }
  // a2: each may be zero (bit 3) or equal on its own.
  const uint64_t compressed = zip64 ? local.extras.compressed : h.compressed32;
  const uint64_t uncompressed = zip64 ? local.extras.uncompressed : h.uncompressed32;
  const Row sizes[] = {{"CRC-32 is", h.crc, c.crc, true},
                       {"compressed size is", compressed, c.compressed, false},
                       {"uncompressed size is", uncompressed, c.uncompressed, false}};
  for (const Row& row : sizes) {
    if (row.local != row.central && !(descriptor && row.local == 0)) {
      differ(row);
      return false;
    }
  }
  if (descriptor && (compressed != 0 || uncompressed != 0)) descriptor_sizes_in_local_header_ = true;
  return true;
}

// The data lies between the local header and the central directory; returns
// its end.
std::optional<uint64_t> Auditor::DataRange(const Local& local, const Central& c, const std::string& quoted) {
  const uint64_t data_at = local.data_at();
  uint64_t data_end = 0;
  if (!CheckedAdd(data_at, c.compressed, &data_end) || data_end > cd_offset_) {
    Fail(Rule::kZipOverlap, data_at,
         "data of entry " + quoted + " (" + Num(c.compressed) + " bytes at offset " + Num(data_at) +
             ") runs into the central directory at offset " + Num(cd_offset_));
    return std::nullopt;
  }
  return data_end;
}

// APPNOTE 4.3.9: the data descriptor after the data (bit 3), signed or not,
// with 8-byte sizes when the local header has a ZIP64 extra field. It must
// match the central directory and be readable only one way; returns the end
// of the entry.
std::optional<uint64_t> Auditor::ReadDescriptor(const Central& c, uint64_t data_end, bool zip64,
                                                const std::string& quoted) {
  ByteReader d(Read(data_end, DataDescriptor::Size(true, zip64)), data_end);
  auto matches = [&](const DataDescriptor& dd) {
    return dd.crc == c.crc && dd.compressed == c.compressed && dd.uncompressed == c.uncompressed;
  };
  ByteReader signed_r = d;
  const bool has_sig = signed_r.U32le() == DataDescriptor::kSignature;
  DataDescriptor as_signed;
  const bool signed_ok = has_sig && DataDescriptor::Read(signed_r, zip64, &as_signed) && matches(as_signed);
  size_t length = 0;
  if (signed_ok) {
    length = DataDescriptor::Size(true, zip64);
  } else {
    ByteReader unsigned_r = d;
    DataDescriptor as_unsigned;
    const bool unsigned_ok = DataDescriptor::Read(unsigned_r, zip64, &as_unsigned) && matches(as_unsigned);
    if (unsigned_ok && has_sig) {
      // The CRC equals the descriptor signature: a reader that looks for
      // the signature skips 4 more bytes than one that does not.
      Fail(Rule::kZipDataDescriptorMismatch, data_end,
           "data descriptor of entry " + quoted + " is ambiguous: its CRC is the descriptor signature");
      return std::nullopt;
    }
    if (!unsigned_ok) {
      const DataDescriptor& said = has_sig ? as_signed : as_unsigned;
      Fail(Rule::kZipDataDescriptorMismatch, data_end,
           "data descriptor of entry " + quoted + " (" + (has_sig ? "signed" : "unsigned") + ", CRC " + Hex(said.crc) +
               ", sizes " + Num(said.compressed) + "/" + Num(said.uncompressed) +
               ") disagrees with the central directory (CRC " + Hex(c.crc) + ", sizes " + Num(c.compressed) + "/" +
               Num(c.uncompressed) + ")");
      return std::nullopt;
    }
    length = DataDescriptor::Size(false, zip64);
  }
  if (cd_offset_ - data_end < length) {
    Fail(Rule::kZipOverlap, data_end, "data descriptor of entry " + quoted + " runs into the central directory");
    return std::nullopt;
  }
  return data_end + length;
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
    const std::string quoted = Quote(c.name);
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
                  "entry " + quoted + " and entry " + Quote(central_[fit->second].name) +
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
                "entry " + Quote(c.name) + " is a file and also the folder of another entry");
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
    if (first.ok() && sig != LocalHeader::kSignature && !(sig == Eocd::kSignature && size_ == Eocd::kSize)) {
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
