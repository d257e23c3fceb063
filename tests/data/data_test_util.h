// SPDX-License-Identifier: BSD-3-Clause
// Helpers for the data-file tests: run CheckDataFile on bytes, and build
// binary headers (NIfTI-1/2, gzip) field by field so the layout is readable.

#ifndef MRMLGUARD_TESTS_DATA_DATA_TEST_UTIL_H_
#define MRMLGUARD_TESTS_DATA_DATA_TEST_UTIL_H_

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "data/data_file.h"
#include "findings/finding_sink.h"
#include "mrmlguard/policy.h"

namespace mrmlguard::internal::testing {

struct Checked {
  DataFileResult result;
  std::vector<Finding> findings;

  bool Has(std::string_view rule) const {
    for (const Finding& f : findings) {
      if (f.rule_id == rule) return true;
    }
    return false;
  }
  size_t Errors() const {
    size_t n = 0;
    for (const Finding& f : findings) n += f.severity == Severity::kError ? 1 : 0;
    return n;
  }
  std::string Describe() const {
    std::string s;
    for (const Finding& f : findings) {
      s += std::string(f.rule_id) + " [" + std::string(SeverityName(f.severity)) + "] " + f.message + "\n";
    }
    return s.empty() ? "(no findings)\n" : s;
  }
};

// Checks `content` as the file `name`; total_size defaults to the content size.
inline Checked Check(std::string_view name, std::string_view tag, std::string_view content,
                     uint64_t total_size = UINT64_MAX, const Policy& policy = Policy::Default()) {
  FindingSink sink(policy);
  DataFileView view{.name = name,
                    .storage_tag = tag,
                    .prefix = {reinterpret_cast<const uint8_t*>(content.data()), content.size()},
                    .total_size = total_size == UINT64_MAX ? content.size() : total_size};
  Checked out;
  out.result = CheckDataFile(view, sink);
  out.findings = sink.TakeFindings();
  return out;
}

// Little/big-endian field writer over a fixed-size header.
class HeaderBuilder {
 public:
  HeaderBuilder(size_t size, bool big) : bytes_(size, '\0'), big_(big) {}
  HeaderBuilder& Put(size_t offset, uint64_t value, int width) {
    for (int i = 0; i < width; ++i) {
      int shift = big_ ? 8 * (width - 1 - i) : 8 * i;
      bytes_[offset + static_cast<size_t>(i)] = static_cast<char>((value >> shift) & 0xff);
    }
    return *this;
  }
  HeaderBuilder& I16(size_t offset, int64_t v) { return Put(offset, static_cast<uint64_t>(v), 2); }
  HeaderBuilder& I32(size_t offset, int64_t v) { return Put(offset, static_cast<uint64_t>(v), 4); }
  HeaderBuilder& I64(size_t offset, int64_t v) { return Put(offset, static_cast<uint64_t>(v), 8); }
  HeaderBuilder& F32(size_t offset, float v) {
    uint32_t u;
    std::memcpy(&u, &v, 4);
    return Put(offset, u, 4);
  }
  HeaderBuilder& F64(size_t offset, double v) {
    uint64_t u;
    std::memcpy(&u, &v, 8);
    return Put(offset, u, 8);
  }
  HeaderBuilder& Str(size_t offset, std::string_view s) {
    std::memcpy(bytes_.data() + offset, s.data(), s.size());
    return *this;
  }
  std::string bytes() const { return bytes_; }

 private:
  std::string bytes_;
  bool big_;
};

struct NiftiSpec {
  std::vector<int64_t> dims = {64, 64, 32};  // dim[1..]
  int64_t ndim = -1;                          // dim[0]; -1 = dims.size()
  int16_t datatype = 4;                       // DT_INT16
  int16_t bitpix = 16;
  double vox_offset = 352;
  bool big = false;
  std::string_view magic = std::string_view("n+1\0", 4);
  int16_t intent = 0;  // intent_code (1007 = NIFTI_INTENT_VECTOR)
};

// NIfTI-1 header (nifti1.h offsets) + the 4-byte extension flag.
inline std::string Nifti1(const NiftiSpec& s) {
  HeaderBuilder h(352, s.big);
  h.I32(0, 348);                                                   // sizeof_hdr
  h.I16(40, s.ndim >= 0 ? s.ndim : static_cast<int64_t>(s.dims.size()));  // dim[0]
  for (size_t i = 0; i < s.dims.size() && i < 7; ++i) h.I16(42 + 2 * i, s.dims[i]);
  h.I16(68, s.intent).I16(70, s.datatype).I16(72, s.bitpix);
  for (size_t i = 0; i < 8; ++i) h.F32(76 + 4 * i, 1.0f);          // pixdim
  h.F32(108, static_cast<float>(s.vox_offset));
  h.Str(344, s.magic);
  return h.bytes();
}

// NIfTI-2 header (nifti2.h offsets) + the 4-byte extension flag.
inline std::string Nifti2(const NiftiSpec& s) {
  HeaderBuilder h(544, s.big);
  h.I32(0, 540);
  h.Str(4, s.magic.size() == 8 ? s.magic : std::string_view("n+2\0\r\n\032\n", 8));
  h.I16(12, s.datatype).I16(14, s.bitpix);
  h.I64(16, s.ndim >= 0 ? s.ndim : static_cast<int64_t>(s.dims.size()));
  for (size_t i = 0; i < s.dims.size() && i < 7; ++i) h.I64(24 + 8 * i, s.dims[i]);
  for (size_t i = 0; i < 8; ++i) h.F64(104 + 8 * i, 1.0);
  h.I64(168, static_cast<int64_t>(s.vox_offset));
  h.I32(504, s.intent);
  return h.bytes();
}

// Gzip-compresses bytes (RFC 1952 framing via zlib).
inline std::string Gzip(std::string_view data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}


// DICOM Part 10 writer: preamble, "DICM", a file meta group naming the
// transfer syntax, then data-set elements in that syntax (explicit or
// implicit VR, little or big endian).
class DicomWriter {
 public:
  static constexpr std::string_view kExplicitLittle = "1.2.840.10008.1.2.1";
  static constexpr std::string_view kImplicitLittle = "1.2.840.10008.1.2";
  static constexpr std::string_view kExplicitBig = "1.2.840.10008.1.2.2";
  static constexpr std::string_view kJpegBaseline = "1.2.840.10008.1.2.4.50";

  explicit DicomWriter(std::string_view syntax) : out_(128, '\0') {
    out_ += "DICM";
    std::string uid(syntax);
    if (uid.size() % 2) uid += '\0';
    // (0002,0010) UI, explicit VR little endian whatever the data set uses.
    Raw(0x0002, 0x0010, "UI", uid, true, false);
    explicit_ = syntax != kImplicitLittle;
    big_ = syntax == kExplicitBig;
  }
  // One element with a defined length.
  DicomWriter& Add(uint16_t group, uint16_t element, std::string_view vr, std::string_view value) {
    Raw(group, element, vr, value, explicit_, big_);
    return *this;
  }
  DicomWriter& Us(uint16_t group, uint16_t element, uint16_t v) {
    return Add(group, element, "US", Bytes(v, 2));
  }
  // A header whose length is `length` (the value is not written).
  DicomWriter& Header(uint16_t group, uint16_t element, std::string_view vr, uint32_t length) {
    Tag(group, element);
    if (explicit_ && group != 0xfffe) {
      out_ += vr;
      bool long_vr = vr == "OB" || vr == "OW" || vr == "SQ" || vr == "UN" || vr == "UT";
      if (long_vr) {
        out_ += std::string(2, '\0');
        out_ += Bytes(length, 4);
      } else {
        out_ += Bytes(length, 2);
      }
    } else {
      out_ += Bytes(length, 4);
    }
    return *this;
  }
  DicomWriter& Append(std::string_view raw) {
    out_ += raw;
    return *this;
  }
  const std::string& bytes() const { return out_; }

 private:
  std::string Bytes(uint64_t v, int width) const {
    std::string s;
    for (int i = 0; i < width; ++i) {
      int shift = big_ ? 8 * (width - 1 - i) : 8 * i;
      s += static_cast<char>((v >> shift) & 0xff);
    }
    return s;
  }
  void Tag(uint16_t group, uint16_t element) { out_ += Bytes(group, 2) + Bytes(element, 2); }
  void Raw(uint16_t group, uint16_t element, std::string_view vr, std::string_view value, bool explicit_vr, bool big) {
    bool saved_explicit = explicit_, saved_big = big_;
    explicit_ = explicit_vr;
    big_ = big;
    Header(group, element, vr, static_cast<uint32_t>(value.size()));
    out_ += value;
    explicit_ = saved_explicit;
    big_ = saved_big;
  }

  std::string out_;
  bool explicit_ = true;
  bool big_ = false;
};

struct DicomSpec {
  std::string_view syntax = DicomWriter::kExplicitLittle;
  uint16_t rows = 4, columns = 4, samples = 1, bits = 8;
  std::string frames;        // NumberOfFrames value; empty: absent
  int64_t pixel_bytes = -1;  // Pixel Data length; -1: what the attributes declare
};

// An image: SOP class, the image attributes, Pixel Data.
inline std::string Dicom(const DicomSpec& s) {
  DicomWriter w(s.syntax);
  w.Add(0x0008, 0x0016, "UI", std::string("1.2.840.10008.5.1.4.1.1.7", 25) + '\0');
  w.Us(0x0028, 0x0002, s.samples);
  if (!s.frames.empty()) w.Add(0x0028, 0x0008, "IS", s.frames.size() % 2 ? s.frames + " " : s.frames);
  w.Us(0x0028, 0x0010, s.rows).Us(0x0028, 0x0011, s.columns).Us(0x0028, 0x0100, s.bits);
  uint64_t frames = s.frames.empty() ? 1 : std::stoull(s.frames);
  uint64_t n = s.pixel_bytes >= 0 ? static_cast<uint64_t>(s.pixel_bytes)
                                  : uint64_t{s.rows} * s.columns * s.samples * frames * ((s.bits + 7u) / 8u);
  w.Header(0x7fe0, 0x0010, s.bits > 8 ? "OW" : "OB", static_cast<uint32_t>(n));
  return w.bytes() + std::string(n, '\0');
}

}  // namespace mrmlguard::internal::testing

#endif  // MRMLGUARD_TESTS_DATA_DATA_TEST_UTIL_H_
