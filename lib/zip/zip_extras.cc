// SPDX-License-Identifier: BSD-3-Clause
// Extra fields (zip_extras.h): the allow-list table, one function per
// allowed id, and the walk over the block.

#include "zip/zip_extras.h"

#include <string>

#include "zip/zip_records.h"
#include "zip/zip_text.h"

namespace mrmlguard::internal {
namespace {

// One field: where it is and what the header around it says.
struct FieldContext {
  HeaderSide side;
  const Saturated& sat;
  std::string_view quoted;
  uint64_t offset;  // file offset of the field's id
  uint16_t length;  // bytes of data
};

const char* Where(HeaderSide side) { return side == HeaderSide::kLocal ? "local" : "central"; }

// Checks one allowed field's data. Returns false when it is malformed; a
// problem message left empty gets the generic "malformed extra field" one.
using FieldCheck = bool (*)(const FieldContext& field, ByteReader data, ExtraInfo* info, ExtraProblem* problem);

// 0x0001, APPNOTE 4.5.3: only the saturated fields, in order; a local
// header carries both sizes.
bool ReadZip64Extra(const FieldContext& field, ByteReader data, ExtraInfo* info, ExtraProblem* problem) {
  const bool local = field.side == HeaderSide::kLocal;
  Saturated want = field.sat;
  if (local && (want.uncompressed || want.compressed)) want.uncompressed = want.compressed = true;
  const std::string header = std::string("the ") + Where(field.side) + " header of entry " + std::string(field.quoted);
  if (!want.any()) {
    *problem = {Rule::kZipZip64Invalid, field.offset,
                "ZIP64 extra field in " + header + " although no field is saturated"};
    return false;
  }
  size_t need = (want.uncompressed ? 8u : 0u) + (want.compressed ? 8u : 0u) + (want.offset ? 8u : 0u) +
                (want.disk ? 4u : 0u);
  if (field.length != need) {
    *problem = {Rule::kZipZip64Invalid, field.offset,
                "ZIP64 extra field in " + header + " has " + Num(field.length) + " bytes, expected " + Num(need)};
    return false;
  }
  info->zip64 = true;
  if (want.uncompressed) info->uncompressed = data.U64le();
  if (want.compressed) info->compressed = data.U64le();
  if (want.offset) info->local_header_offset = data.U64le();
  if (want.disk && data.U32le() != 0) {
    *problem = {Rule::kZipEocdInconsistent, field.offset,
                "entry " + std::string(field.quoted) + " starts on another disk"};
    return false;
  }
  return true;
}

// 0x5455 "UT" (Info-ZIP extrafld.txt): a flags byte, then up to three
// 4-byte times.
bool CheckTimestampExtra(const FieldContext& field, ByteReader, ExtraInfo*, ExtraProblem*) {
  return field.length >= 1 && field.length <= 13 && (field.length - 1) % 4 == 0;
}

// 0x7875 "ux" (Info-ZIP extrafld.txt): version 1, then size-prefixed UID
// and GID.
bool CheckUnixExtra(const FieldContext& field, ByteReader data, ExtraInfo*, ExtraProblem*) {
  // libarchive 3.0.4-3.1.2 (archive_write_zip_close; Slicer's
  // External_LibArchive from 2012) wrote "ux" with no data in every
  // central header, the full field in the local header. It carries
  // nothing: libarchive's reader (process_extra) needs datasize >= 1
  // and libzip does not read 0x7875.
  if (field.length == 0 && field.side == HeaderSide::kCentral) return true;
  uint8_t version = data.U8();
  uint8_t uid_size = data.U8();
  data.Skip(uid_size);
  uint8_t gid_size = data.U8();
  data.Skip(gid_size);
  return data.ok() && data.empty() && version == 1 && uid_size <= 8 && gid_size <= 8;
}

// 0x000a NTFS, APPNOTE 4.5.5: reserved, then (tag, size, data). Only tag 1
// (three 8-byte times) is defined; others could carry arbitrary bytes.
bool CheckNtfsExtra(const FieldContext&, ByteReader data, ExtraInfo*, ExtraProblem*) {
  bool well_formed = true;
  data.Skip(4);
  while (data.ok() && !data.empty()) {
    uint16_t tag = data.U16le();
    uint16_t tag_size = data.U16le();
    data.Skip(tag_size);
    if (tag != 1 || tag_size != 24) well_formed = false;
  }
  return well_formed && data.ok();
}

// The ids a header may carry. A field with a `refused` reason is known and
// refused: the Info-ZIP Unicode path and comment, which libarchive and libzip
// substitute for the name and others do not (ZipDiff a3).
struct ExtraKind {
  uint16_t id;
  FieldCheck check;     // null for a refused id
  const char* refused;  // why, for a refused id
};
constexpr ExtraKind kExtraKinds[] = {
    {0x0001, ReadZip64Extra, nullptr},
    {0x000a, CheckNtfsExtra, nullptr},
    {0x5455, CheckTimestampExtra, nullptr},
    {0x7875, CheckUnixExtra, nullptr},
    {0x7075, nullptr, "Info-ZIP Unicode path"},
    {0x6375, nullptr, "Info-ZIP Unicode comment"},
};

const ExtraKind* FindKind(uint16_t id) {
  for (const ExtraKind& kind : kExtraKinds) {
    if (kind.id == id) return &kind;
  }
  return nullptr;
}

// "0x0001, 0x000a, 0x5455, 0x7875": the allowed ids, for messages.
std::string AllowedIds() {
  std::string out;
  for (const ExtraKind& kind : kExtraKinds) {
    if (kind.check == nullptr) continue;
    if (!out.empty()) out += ", ";
    std::string hex = Hex(kind.id).substr(2);
    out += "0x" + std::string(4 - hex.size(), '0') + hex;
  }
  return out;
}

// After the block: every saturated field came from a ZIP64 field, and (in
// the central header) every ZIP64 value needs the room (ZipDiff a2/c5).
bool CheckZip64Need(HeaderSide side, const Saturated& sat, const ExtraInfo& info, std::string_view quoted,
                    uint64_t base, ExtraProblem* problem) {
  const std::string header = std::string(Where(side)) + " header of entry " + std::string(quoted);
  if (sat.any() && !info.zip64) {
    *problem = {Rule::kZipZip64Invalid, base,
                "the " + header + " has a saturated size or offset but no ZIP64 extra field"};
    return false;
  }
  if (info.zip64 && side == HeaderSide::kCentral) {
    bool small = (sat.uncompressed && info.uncompressed < kSat32) ||
                 (sat.compressed && info.compressed < kSat32) ||
                 (sat.offset && info.local_header_offset < kSat32);
    if (small) {
      *problem = {Rule::kZipZip64Invalid, base,
                  "the ZIP64 extra field in the " + header + " holds a value that fits in 32 bits"};
      return false;
    }
  }
  return true;
}

}  // namespace

bool ParseExtras(ByteReader block, HeaderSide side, const Saturated& sat, std::string_view quoted, ExtraInfo* info,
                 ExtraProblem* problem) {
  const std::string header = std::string(Where(side)) + " header of entry " + std::string(quoted);
  uint16_t seen[8] = {};
  size_t seen_count = 0;
  while (!block.empty()) {
    const uint64_t field_offset = block.offset();
    const uint16_t id = block.U16le();
    const uint16_t length = block.U16le();
    ByteReader data = block.Sub(length);
    if (!block.ok()) {
      *problem = {Rule::kZipExtraField, field_offset,
                  "malformed extra field in the " + header + ": field " + Hex(id) + " of " + Num(length) +
                      " bytes runs past the extra block"};
      return false;
    }
    for (size_t i = 0; i < seen_count; ++i) {
      if (seen[i] == id) {
        *problem = {Rule::kZipExtraField, field_offset,
                    "extra field " + Hex(id) + " appears twice in the " + header};
        return false;
      }
    }
    if (seen_count < 8) seen[seen_count++] = id;
    const ExtraKind* kind = FindKind(id);
    if (kind == nullptr) {
      *problem = {Rule::kZipExtraField, field_offset,
                  "extra field " + Hex(id) + " in the " + header + " is not on the allow-list (" + AllowedIds() + ")"};
      return false;
    }
    if (kind->check == nullptr) {
      *problem = {Rule::kZipExtraField, field_offset,
                  "extra field " + Hex(id) + " (" + kind->refused + ") in the " + header +
                      ": readers disagree on whether it renames the entry"};
      return false;
    }
    const FieldContext field{side, sat, quoted, field_offset, length};
    ExtraProblem found;
    if (!kind->check(field, data, info, &found)) {
      if (found.message.empty()) {
        found = {Rule::kZipExtraField, field_offset,
                 "malformed extra field " + Hex(id) + " (" + Num(length) + " bytes) in the " + header};
      }
      *problem = std::move(found);
      return false;
    }
  }
  return CheckZip64Need(side, sat, *info, quoted, block.base_offset(), problem);
}

}  // namespace mrmlguard::internal
