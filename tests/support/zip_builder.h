// SPDX-License-Identifier: BSD-3-Clause
// File: zip_builder.h
//
// ZipBuilder: writes small ZIP archives in code, so a test shows the byte
// layout it checks. By default every entry looks like what Slicer's
// libarchive writer produces (Unix host, UT + ux extra fields, DOS time), and
// every knob below breaks exactly one thing:
//
//   std::vector<uint8_t> zip =
//       ZipBuilder()
//           .Directory("Scene/")
//           .Entry("Scene/Scene.mrml", "<MRML/>", {.method = 8, .data_descriptor = true})
//           .Entry("Scene/Data/a.nrrd", bytes, {.local_name = "Scene/Data/b.nrrd"})  // LFH != CDH
//           .Build();
//
// Offsets written in headers are file offsets (prepended bytes included)
// unless PrependUnadjusted() is used. Build() is deterministic.

#ifndef MRMLGUARD_TESTS_SUPPORT_ZIP_BUILDER_H_
#define MRMLGUARD_TESTS_SUPPORT_ZIP_BUILDER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::test_support {

struct EntryOptions {
  // --- what a well-formed entry is ---
  uint16_t method = 0;              // 0 stored, 8 deflate (zlib, raw)
  bool data_descriptor = false;     // flag bit 3, zero CRC/sizes in the LFH, descriptor after the data
  bool dd_signature = true;         // descriptor starts with PK\7\8
  bool dd_keep_local_sizes = false; // with a descriptor, keep the sizes in the LFH (libarchive, stored)
  bool slicer_extras = true;        // UT (0x5455) and ux (0x7875) extra fields in both headers
  uint16_t version_made_by = 0x0314;   // high byte: host (3 Unix, 0 MS-DOS); low: 2.0
  uint16_t version_needed = 20;
  uint16_t flags = 0;               // OR'ed into both headers (e.g. 1 << 11 for UTF-8 names)
  std::optional<uint32_t> external_attributes;  // default: 0100644 << 16 (file), 040755 << 16 (dir)
  bool zip64 = false;               // sizes 0xFFFFFFFF + ZIP64 extra (0x0001) in both headers
  // --- corruptions: local header ---
  std::optional<std::string> local_name;
  std::optional<uint16_t> local_flags, local_method, local_mtime, local_version_needed;
  std::optional<uint32_t> local_crc, local_compressed, local_uncompressed;
  std::string local_extra;          // raw bytes appended to the LFH extra field
  // --- corruptions: central header ---
  std::optional<uint16_t> central_method;
  std::optional<uint32_t> central_crc, central_compressed, central_uncompressed;
  std::optional<uint32_t> central_offset;   // LFH offset written in the CDH
  std::optional<uint16_t> central_disk;
  std::string central_extra;        // raw bytes appended to the CDH extra field
  std::string comment;              // entry comment (CDH)
  // --- corruptions: data and descriptor ---
  std::optional<std::string> raw_data;      // stored as the (compressed) data as is; sizes/CRC still
                                            // describe `data` unless overridden
  std::optional<uint32_t> dd_crc;
  std::optional<uint64_t> dd_compressed, dd_uncompressed;
  std::string gap_before;           // bytes before this entry's LFH that nothing accounts for
};

class ZipBuilder {
 public:
  // A file entry holding `data` (compressed per opt.method).
  ZipBuilder& Entry(std::string name, std::string_view data, EntryOptions opt = {});
  // A directory entry (name should end in '/'): stored, empty, directory attributes.
  ZipBuilder& Directory(std::string name, EntryOptions opt = {});

  // --- archive-level knobs ---
  ZipBuilder& Prepend(std::string bytes);        // before the first LFH; offsets include them
  ZipBuilder& PrependUnadjusted();               // ...but header offsets do not (libarchive "corrects")
  ZipBuilder& Append(std::string bytes);         // after the EOCD (trailing data)
  ZipBuilder& GapBeforeDirectory(std::string bytes);
  ZipBuilder& GapBeforeEocd(std::string bytes);  // between the CD and the EOCD
  ZipBuilder& Comment(std::string bytes);        // archive comment (EOCD comment length set)
  ZipBuilder& EocdCounts(uint16_t this_disk, uint16_t total);
  ZipBuilder& EocdDirectorySize(uint32_t size);
  ZipBuilder& EocdDirectoryOffset(uint32_t offset);
  ZipBuilder& EocdDisks(uint16_t disk, uint16_t cd_disk);
  ZipBuilder& EocdCommentLength(uint16_t length); // declared, without writing a comment
  // ZIP64 EOCD record + locator before the EOCD; `saturate` writes 0xFFFF /
  // 0xFFFFFFFF in the 32-bit EOCD (as a real ZIP64 archive does).
  ZipBuilder& Zip64Eocd(bool saturate);
  ZipBuilder& Zip64LocatorOffset(uint64_t offset);  // where the locator points
  // The last entry's data becomes a copy of the archive's own EOCD (a second
  // EOCD a reader could pick). The last entry must be stored.
  ZipBuilder& EocdCopyInLastEntry();

  std::vector<uint8_t> Build() const;
  std::string BuildString() const;

 private:
  struct Item {
    std::string name;
    std::string data;
    EntryOptions opt;
    bool directory = false;
  };
  std::vector<uint8_t> BuildOnce(const std::string* last_data_override, std::vector<uint8_t>* eocd) const;

  std::vector<Item> items_;
  std::string prepend_, append_, gap_before_cd_, gap_before_eocd_, comment_;
  bool prepend_unadjusted_ = false;
  std::optional<uint16_t> eocd_this_disk_, eocd_total_, eocd_disk_, eocd_cd_disk_, eocd_comment_length_;
  std::optional<uint32_t> eocd_cd_size_, eocd_cd_offset_;
  bool zip64_eocd_ = false, zip64_saturate_ = false, eocd_copy_ = false;
  std::optional<uint64_t> zip64_locator_offset_;
};

// Helpers to write little-endian fields and extra fields in tests.
std::string Le16(uint16_t v);
std::string Le32(uint32_t v);
std::string Le64(uint64_t v);
std::string ExtraField(uint16_t id, std::string_view payload);  // id, length, payload
// Raw deflate of `data` (zlib level 9), as ZIP method 8 stores it.
std::string Deflate(std::string_view data);
// Raw deflate of `data` (zlib level 6) with a flush of kind `flush` after
// every `step` bytes: Z_SYNC_FLUSH and Z_FULL_FLUSH add an empty stored block,
// Z_PARTIAL_FLUSH an empty fixed one (ten bits, often ending inside a byte
// the inflater already holds). One block or more per step.
std::string DeflateFlushed(std::string_view data, size_t step, int flush);
uint32_t Crc32(std::string_view data);

}  // namespace mrmlguard::test_support

#endif  // MRMLGUARD_TESTS_SUPPORT_ZIP_BUILDER_H_
