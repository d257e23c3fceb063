// SPDX-License-Identifier: BSD-3-Clause
#include "support/zip_builder.h"

#include <algorithm>
#include <zlib.h>

#include <stdexcept>
#include <utility>

namespace mrmlguard::test_support {

std::string Le16(uint16_t v) { return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; }
std::string Le32(uint32_t v) { return Le16(static_cast<uint16_t>(v & 0xFFFF)) + Le16(static_cast<uint16_t>(v >> 16)); }
std::string Le64(uint64_t v) {
  return Le32(static_cast<uint32_t>(v & 0xFFFFFFFFu)) + Le32(static_cast<uint32_t>(v >> 32));
}
std::string ExtraField(uint16_t id, std::string_view payload) {
  return Le16(id) + Le16(static_cast<uint16_t>(payload.size())) + std::string(payload);
}

std::string Deflate(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflate");
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

std::string DeflateFlushed(std::string_view data, size_t step, int flush) {
  z_stream zs{};
  if (step == 0 || deflateInit2(&zs, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflate");
  }
  std::string out(data.size() * 2 + 64 * (data.size() / step + 2), '\0');
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = Z_OK;
  for (size_t at = 0; at < data.size() && rc == Z_OK; at += step) {
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + at));
    zs.avail_in = static_cast<uInt>(std::min(step, data.size() - at));
    rc = deflate(&zs, flush);
  }
  if (rc == Z_OK) rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

uint32_t Crc32(std::string_view data) {
  return static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

ZipBuilder& ZipBuilder::Entry(std::string name, std::string_view data, EntryOptions opt) {
  items_.push_back({std::move(name), std::string(data), std::move(opt), false});
  return *this;
}
ZipBuilder& ZipBuilder::Directory(std::string name, EntryOptions opt) {
  items_.push_back({std::move(name), std::string(), std::move(opt), true});
  return *this;
}
ZipBuilder& ZipBuilder::Prepend(std::string bytes) {
  prepend_ = std::move(bytes);
  return *this;
}
ZipBuilder& ZipBuilder::PrependUnadjusted() {
  prepend_unadjusted_ = true;
  return *this;
}
ZipBuilder& ZipBuilder::Append(std::string bytes) {
  append_ = std::move(bytes);
  return *this;
}
ZipBuilder& ZipBuilder::GapBeforeDirectory(std::string bytes) {
  gap_before_cd_ = std::move(bytes);
  return *this;
}
ZipBuilder& ZipBuilder::GapBeforeEocd(std::string bytes) {
  gap_before_eocd_ = std::move(bytes);
  return *this;
}
ZipBuilder& ZipBuilder::Comment(std::string bytes) {
  comment_ = std::move(bytes);
  return *this;
}
ZipBuilder& ZipBuilder::EocdCounts(uint16_t this_disk, uint16_t total) {
  eocd_this_disk_ = this_disk;
  eocd_total_ = total;
  return *this;
}
ZipBuilder& ZipBuilder::EocdDirectorySize(uint32_t size) {
  eocd_cd_size_ = size;
  return *this;
}
ZipBuilder& ZipBuilder::EocdDirectoryOffset(uint32_t offset) {
  eocd_cd_offset_ = offset;
  return *this;
}
ZipBuilder& ZipBuilder::EocdDisks(uint16_t disk, uint16_t cd_disk) {
  eocd_disk_ = disk;
  eocd_cd_disk_ = cd_disk;
  return *this;
}
ZipBuilder& ZipBuilder::EocdCommentLength(uint16_t length) {
  eocd_comment_length_ = length;
  return *this;
}
ZipBuilder& ZipBuilder::Zip64Eocd(bool saturate) {
  zip64_eocd_ = true;
  zip64_saturate_ = saturate;
  return *this;
}
ZipBuilder& ZipBuilder::Zip64LocatorOffset(uint64_t offset) {
  zip64_locator_offset_ = offset;
  return *this;
}
ZipBuilder& ZipBuilder::EocdCopyInLastEntry() {
  eocd_copy_ = true;
  return *this;
}

std::vector<uint8_t> ZipBuilder::Build() const {
  if (!eocd_copy_) return BuildOnce(nullptr, nullptr);
  // The EOCD depends only on counts, sizes and offsets: build once with a
  // 22-byte placeholder, then again with the EOCD itself as the data.
  std::string placeholder(22, 'x');
  std::vector<uint8_t> eocd;
  BuildOnce(&placeholder, &eocd);
  std::string copy(eocd.begin(), eocd.end());
  return BuildOnce(&copy, nullptr);
}

std::string ZipBuilder::BuildString() const {
  std::vector<uint8_t> b = Build();
  return {b.begin(), b.end()};
}

std::vector<uint8_t> ZipBuilder::BuildOnce(const std::string* last_data_override, std::vector<uint8_t>* eocd_out) const {
  constexpr uint16_t kTime = 0x1858, kDate = 0x5d76;
  const std::string ut = ExtraField(0x5455, std::string("\x07", 1) + Le32(0x6b025b59) + Le32(0x6b025b59) + Le32(0x6b025b59));
  const std::string ux = ExtraField(0x7875, std::string("\x01\x04", 2) + Le32(0) + std::string("\x04", 1) + Le32(0));
  const uint64_t shift = prepend_unadjusted_ ? prepend_.size() : 0;
  std::string out = prepend_;
  std::string cd;
  for (size_t index = 0; index < items_.size(); ++index) {
    const Item& item = items_[index];
    const EntryOptions& o = item.opt;
    std::string data = item.data;
    if (last_data_override != nullptr && index + 1 == items_.size()) data = *last_data_override;
    const uint16_t method = item.directory ? 0 : o.method;
    std::string stored = o.raw_data ? *o.raw_data : (method == 8 ? Deflate(data) : data);
    const uint32_t crc = Crc32(data);
    const uint64_t csize = stored.size(), usize = data.size();
    uint16_t flags = o.flags;
    if (o.data_descriptor) flags |= 1u << 3;
    const uint32_t attrs = o.external_attributes ? *o.external_attributes
                                                 : (item.directory ? (040755u << 16) : (0100644u << 16));
    std::string base_extra = o.slicer_extras ? ut + ux : std::string();

    out += o.gap_before;
    const uint64_t lfh_offset = out.size() - shift;
    // APPNOTE 4.3.7 local file header.
    uint32_t l_crc = crc, l_c = static_cast<uint32_t>(csize), l_u = static_cast<uint32_t>(usize);
    if (o.data_descriptor) {
      l_crc = 0;
      if (!o.dd_keep_local_sizes) l_c = l_u = 0;
    }
    std::string l_extra = base_extra;
    if (o.zip64) {
      l_extra = ExtraField(0x0001, Le64(o.data_descriptor ? 0 : usize) + Le64(o.data_descriptor ? 0 : csize)) + l_extra;
      l_c = l_u = 0xFFFFFFFFu;
    }
    l_extra += o.local_extra;
    const std::string& l_name = o.local_name ? *o.local_name : item.name;
    out += Le32(0x04034b50);
    out += Le16(o.local_version_needed.value_or(o.version_needed));
    out += Le16(o.local_flags.value_or(flags));
    out += Le16(o.local_method.value_or(method));
    out += Le16(o.local_mtime.value_or(kTime));
    out += Le16(kDate);
    out += Le32(o.local_crc.value_or(l_crc));
    out += Le32(o.local_compressed.value_or(l_c));
    out += Le32(o.local_uncompressed.value_or(l_u));
    out += Le16(static_cast<uint16_t>(l_name.size()));
    out += Le16(static_cast<uint16_t>(l_extra.size()));
    out += l_name;
    out += l_extra;
    out += stored;
    if (o.data_descriptor) {
      // APPNOTE 4.3.9 data descriptor.
      if (o.dd_signature) out += Le32(0x08074b50);
      out += Le32(o.dd_crc.value_or(crc));
      if (o.zip64) {
        out += Le64(o.dd_compressed.value_or(csize));
        out += Le64(o.dd_uncompressed.value_or(usize));
      } else {
        out += Le32(static_cast<uint32_t>(o.dd_compressed.value_or(csize)));
        out += Le32(static_cast<uint32_t>(o.dd_uncompressed.value_or(usize)));
      }
    }
    // APPNOTE 4.3.12 central directory header.
    uint32_t c_c = static_cast<uint32_t>(csize), c_u = static_cast<uint32_t>(usize);
    std::string c_extra = base_extra;
    if (o.zip64) {
      c_extra = ExtraField(0x0001, Le64(usize) + Le64(csize)) + c_extra;
      c_c = c_u = 0xFFFFFFFFu;
    }
    c_extra += o.central_extra;
    cd += Le32(0x02014b50);
    cd += Le16(o.version_made_by);
    cd += Le16(o.version_needed);
    cd += Le16(flags);
    cd += Le16(o.central_method.value_or(method));
    cd += Le16(kTime);
    cd += Le16(kDate);
    cd += Le32(o.central_crc.value_or(crc));
    cd += Le32(o.central_compressed.value_or(c_c));
    cd += Le32(o.central_uncompressed.value_or(c_u));
    cd += Le16(static_cast<uint16_t>(item.name.size()));
    cd += Le16(static_cast<uint16_t>(c_extra.size()));
    cd += Le16(static_cast<uint16_t>(o.comment.size()));
    cd += Le16(o.central_disk.value_or(0));
    cd += Le16(0);  // internal attributes
    cd += Le32(attrs);
    cd += Le32(o.central_offset.value_or(static_cast<uint32_t>(lfh_offset)));
    cd += item.name;
    cd += c_extra;
    cd += o.comment;
  }
  out += gap_before_cd_;
  const uint64_t cd_offset = out.size() - shift;
  out += cd;
  out += gap_before_eocd_;
  const uint16_t count = static_cast<uint16_t>(items_.size());
  std::string eocd;
  if (zip64_eocd_) {
    const uint64_t z_offset = out.size() - shift;
    // APPNOTE 4.3.14 ZIP64 EOCD record (no extensible data) and 4.3.15 locator.
    out += Le32(0x06064b50);
    out += Le64(44);
    out += Le16(0x032d);
    out += Le16(45);
    out += Le32(0);
    out += Le32(0);
    out += Le64(items_.size());
    out += Le64(items_.size());
    out += Le64(cd.size());
    out += Le64(cd_offset);
    out += Le32(0x07064b50);
    out += Le32(0);
    out += Le64(zip64_locator_offset_.value_or(z_offset));
    out += Le32(1);
  }
  // APPNOTE 4.3.16 end of central directory record.
  eocd += Le32(0x06054b50);
  eocd += Le16(eocd_disk_.value_or(0));
  eocd += Le16(eocd_cd_disk_.value_or(0));
  eocd += Le16(eocd_this_disk_.value_or(zip64_saturate_ ? 0xFFFF : count));
  eocd += Le16(eocd_total_.value_or(zip64_saturate_ ? 0xFFFF : count));
  eocd += Le32(eocd_cd_size_.value_or(zip64_saturate_ ? 0xFFFFFFFFu : static_cast<uint32_t>(cd.size())));
  eocd += Le32(eocd_cd_offset_.value_or(zip64_saturate_ ? 0xFFFFFFFFu : static_cast<uint32_t>(cd_offset)));
  eocd += Le16(eocd_comment_length_.value_or(static_cast<uint16_t>(comment_.size())));
  if (eocd_out != nullptr) eocd_out->assign(eocd.begin(), eocd.end());
  out += eocd;
  out += comment_;
  out += append_;
  return {out.begin(), out.end()};
}

}  // namespace mrmlguard::test_support
