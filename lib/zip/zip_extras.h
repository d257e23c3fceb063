// SPDX-License-Identifier: BSD-3-Clause
// File: zip_extras.h
//
// The extra-field block of a local or central header (APPNOTE 4.5): a run
// of (id, length, data) fields. Only the ids of the allow-list table in
// zip_extras.cc pass, each at most once and well formed (checklist Z12,
// Z13); the ZIP64 field (0x0001) must hold exactly the header's saturated
// fields. ParseExtras reports the first problem as an ExtraProblem that the
// auditor turns into a finding, so this file needs no FindingSink.
//
//   ExtraInfo info;
//   ExtraProblem problem;
//   if (!ParseExtras(ByteReader(block, offset), HeaderSide::kCentral, sat, quoted, &info, &problem))
//     -> finding problem.rule at problem.offset with problem.message

#ifndef MRMLGUARD_LIB_ZIP_ZIP_EXTRAS_H_
#define MRMLGUARD_LIB_ZIP_ZIP_EXTRAS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "bytes/byte_reader.h"
#include "findings/rule.h"

namespace mrmlguard::internal {

enum class HeaderSide { kLocal, kCentral };

// The 32-bit (16-bit for the disk) fields of a header that hold 0xFFFF...
// and so must come from the ZIP64 extra field (APPNOTE 4.5.3).
struct Saturated {
  bool uncompressed = false;
  bool compressed = false;
  bool offset = false;  // central header only
  bool disk = false;    // central header only
  bool any() const { return uncompressed || compressed || offset || disk; }
};

// What the block said about ZIP64.
struct ExtraInfo {
  bool zip64 = false;
  uint64_t uncompressed = 0;
  uint64_t compressed = 0;
  uint64_t local_header_offset = 0;
};

// The first problem found, ready to become a finding.
struct ExtraProblem {
  Rule rule = Rule::kZipExtraField;
  uint64_t offset = 0;  // file offset of the field (or of the block)
  std::string message;
};

// Parses `block` (its base_offset() is the block's file offset). `quoted` is
// the entry name as messages show it. Returns false with *problem set.
bool ParseExtras(ByteReader block, HeaderSide side, const Saturated& sat, std::string_view quoted, ExtraInfo* info,
                 ExtraProblem* problem);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_ZIP_EXTRAS_H_
