// SPDX-License-Identifier: BSD-3-Clause
// Decoding of the fixed ZIP records (zip_records.h). Each Read() takes the
// fields in on-disk order; ByteReader latches the first short read, so one
// ok() check at the end covers the whole record.

#include "zip/zip_records.h"

namespace mrmlguard::internal {

std::optional<LocalHeader> LocalHeader::Read(ByteReader& r) {
  LocalHeader h;
  h.signature = r.U32le();
  h.version_needed = r.U16le();
  h.flags = r.U16le();
  h.method = r.U16le();
  h.mtime = r.U16le();
  h.mdate = r.U16le();
  h.crc = r.U32le();
  h.compressed32 = r.U32le();
  h.uncompressed32 = r.U32le();
  h.name_length = r.U16le();
  h.extra_length = r.U16le();
  if (!r.ok()) return std::nullopt;
  return h;
}

std::optional<CentralHeader> CentralHeader::Read(ByteReader& r) {
  CentralHeader h;
  h.signature = r.U32le();
  h.made_by = r.U16le();
  h.version_needed = r.U16le();
  h.flags = r.U16le();
  h.method = r.U16le();
  h.mtime = r.U16le();
  h.mdate = r.U16le();
  h.crc = r.U32le();
  h.compressed32 = r.U32le();
  h.uncompressed32 = r.U32le();
  h.name_length = r.U16le();
  h.extra_length = r.U16le();
  h.comment_length = r.U16le();
  h.disk_start = r.U16le();
  h.internal_attributes = r.U16le();
  h.external_attributes = r.U32le();
  h.local_header_offset32 = r.U32le();
  if (!r.ok()) return std::nullopt;
  return h;
}

std::optional<Eocd> Eocd::Read(ByteReader& r) {
  Eocd e;
  e.signature = r.U32le();
  e.disk = r.U16le();
  e.cd_disk = r.U16le();
  e.this_disk_count = r.U16le();
  e.total_count = r.U16le();
  e.cd_size = r.U32le();
  e.cd_offset = r.U32le();
  e.comment_length = r.U16le();
  if (!r.ok()) return std::nullopt;
  return e;
}

std::optional<Zip64Eocd> Zip64Eocd::Read(ByteReader& r) {
  Zip64Eocd z;
  z.signature = r.U32le();
  z.record_size = r.U64le();
  z.made_by = r.U16le();
  z.version_needed = r.U16le();
  z.disk = r.U32le();
  z.cd_disk = r.U32le();
  z.this_disk_count = r.U64le();
  z.total_count = r.U64le();
  z.cd_size = r.U64le();
  z.cd_offset = r.U64le();
  if (!r.ok()) return std::nullopt;
  return z;
}

std::optional<Zip64Locator> Zip64Locator::Read(ByteReader& r) {
  Zip64Locator l;
  l.signature = r.U32le();
  l.eocd_disk = r.U32le();
  l.eocd_offset = r.U64le();
  l.total_disks = r.U32le();
  if (!r.ok()) return std::nullopt;
  return l;
}

bool DataDescriptor::Read(ByteReader& r, bool zip64, DataDescriptor* out) {
  out->crc = r.U32le();
  out->compressed = zip64 ? r.U64le() : r.U32le();
  out->uncompressed = zip64 ? r.U64le() : r.U32le();
  return r.ok();
}

}  // namespace mrmlguard::internal
