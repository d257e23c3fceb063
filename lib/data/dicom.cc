// SPDX-License-Identifier: BSD-3-Clause
// DICOM Part 10 files (PS3.10 7.1): a 128-byte preamble, "DICM", the file
// meta group (0002,xxxx, always explicit VR little endian, PS3.10 7.1), then
// the data set in the transfer syntax named by (0002,0010) (PS3.5 10).
//
// What a reader trusts. Slicer's vtkITKArchetypeImageSeriesReader::
// ExecuteInformation (Libs/vtkITK/vtkITKArchetypeImageSeriesReader.cxx)
// tests each archetype with ITK's GDCMImageIO (DCMTKImageIO when
// DICOMImageIOApproach is DCMTK) and reads DICOM through it. GDCMImageIO::
// InternalReadImageInformation (itkGDCMImageIO.cxx) runs gdcm::ImageReader,
// whose gdcm::ImageHelper::GetDimensionsValue takes Columns (0028,0011),
// Rows (0028,0010) and NumberOfFrames (0028,0008) as the image size, and
// gdcm::PixelFormat takes SamplesPerPixel (0028,0002) and BitsAllocated
// (0028,0100) as the pixel; GDCMImageIO::Read then fills a buffer of
// GetImageSizeInBytes() (the product of those) before decoding. DCMTK's
// DicomImage (DiImage constructor, diimage.cc) sizes its buffer from the same
// five attributes. So those five are the declared allocation, read here and
// bounded by max_image_bytes before any reader sees them.
//
// This reader walks only the top level of the data set, iteratively: nested
// sequences (defined or undefined length) are stepped over by length or by a
// depth counter, never recursed into, and what they hold (an Icon Image
// Sequence has its own Rows/Columns) is ignored. Every length is checked
// against the bytes left before it is used.

#include <algorithm>
#include <optional>
#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {
namespace {

constexpr uint16_t kItemGroup = 0xfffe;
constexpr uint16_t kItem = 0xe000;
constexpr uint16_t kItemDelimitation = 0xe00d;
constexpr uint16_t kSequenceDelimitation = 0xe0dd;
constexpr uint32_t kUndefinedLength = 0xffffffffu;

// Transfer syntaxes (PS3.5 A.1-A.3, PS3.6 A).
constexpr std::string_view kImplicitLittle = "1.2.840.10008.1.2";
constexpr std::string_view kExplicitLittle = "1.2.840.10008.1.2.1";
constexpr std::string_view kDeflatedLittle = "1.2.840.10008.1.2.1.99";
constexpr std::string_view kExplicitBig = "1.2.840.10008.1.2.2";

// Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2).
bool LongVr(std::string_view vr) {
  for (std::string_view v : {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"}) {
    if (vr == v) return true;
  }
  return false;
}

bool IsVr(std::string_view vr) {
  return vr.size() == 2 && vr[0] >= 'A' && vr[0] <= 'Z' && vr[1] >= 'A' && vr[1] <= 'Z';
}

// Value trimmed of the padding DICOM allows (trailing NUL for UI, spaces for
// strings, PS3.5 6.2).
std::string_view Unpad(std::string_view s) {
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

std::string TagName(uint16_t group, uint16_t element) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s = "(";
  for (int shift = 12; shift >= 0; shift -= 4) s += kHex[(group >> shift) & 0xf];
  s += ',';
  for (int shift = 12; shift >= 0; shift -= 4) s += kHex[(element >> shift) & 0xf];
  return s + ")";
}

struct Element {
  uint16_t group = 0;
  uint16_t element = 0;
  std::string_view vr;  // empty in implicit VR
  uint32_t length = 0;
  uint64_t offset = 0;  // of the tag
};

// Reads element headers in one encoding.
class ElementReader {
 public:
  ElementReader(ByteReader& r, bool explicit_vr, bool big) : r_(r), explicit_(explicit_vr), big_(big) {}
  uint16_t U16() {
    uint16_t v = r_.U16le();
    return big_ ? static_cast<uint16_t>((v >> 8) | (v << 8)) : v;
  }
  uint32_t U32() { return big_ ? r_.U32be() : r_.U32le(); }
  // Reads a tag, VR and length; false when the bytes ran out.
  bool Next(Element* e) {
    e->offset = r_.offset();
    e->group = U16();
    e->element = U16();
    e->vr = {};
    // Item and delimitation tags have no VR in any encoding (PS3.5 7.5).
    if (explicit_ && e->group != kItemGroup) {
      e->vr = r_.Chars(2);
      if (LongVr(e->vr)) {
        r_.Skip(2);
        e->length = U32();
      } else {
        e->length = U16();
      }
    } else {
      e->length = U32();
    }
    return r_.ok();
  }

 private:
  ByteReader& r_;
  bool explicit_;
  bool big_;
};

struct Attributes {
  std::optional<uint64_t> samples, frames, rows, columns, bits;
  std::optional<uint64_t> pixel_length;  // defined length of top-level Pixel Data
  bool encapsulated = false;             // Pixel Data of undefined length
  uint64_t pixel_offset = 0;             // of the Pixel Data value
};

// Reports a read that ran past the bytes: malformed when they are the whole
// file, incomplete otherwise.
void ShortRead(Ctx& ctx, uint64_t offset, const std::string& what) {
  if (ctx.whole()) {
    ctx.Add(Rule::kDataHeaderMalformed, offset, "DICOM " + what + " runs past the end of the file");
  } else {
    ctx.Add(Rule::kDataHeaderIncomplete, offset, "DICOM " + what + " runs past the bytes given; checks not done");
  }
}

// Reads an unsigned short value (US) of one of the image attributes.
bool ReadUs(Ctx& ctx, ElementReader& er, const Element& e, std::optional<uint64_t>* out) {
  if (e.length != 2 || (!e.vr.empty() && e.vr != "US")) {
    ctx.Add(Rule::kDataHeaderMalformed, e.offset,
            "DICOM " + TagName(e.group, e.element) + " is not one US value (VR " + Quote(e.vr) + ", " +
                std::to_string(e.length) + " bytes)");
    return false;
  }
  *out = er.U16();
  return true;
}

// Walks the data set; false when a finding ended the walk.
bool Walk(Ctx& ctx, ByteReader& r, bool explicit_vr, bool big, Attributes* a) {
  ElementReader er(r, explicit_vr, big);
  // Depth of undefined-length sequences and items being stepped over.
  uint64_t depth = 0;
  while (!r.empty()) {
    Element e;
    if (!er.Next(&e)) {
      ShortRead(ctx, e.offset, "element header at byte " + std::to_string(e.offset));
      return false;
    }
    if (e.group == kItemGroup) {
      if (depth == 0) {
        ctx.Add(Rule::kDataHeaderMalformed, e.offset,
                "DICOM item tag " + TagName(e.group, e.element) + " outside a sequence");
        return false;
      }
      if (e.element == kSequenceDelimitation) {
        --depth;
      } else if (e.element == kItem && e.length != kUndefinedLength) {
        if (e.length > r.remaining()) {
          ShortRead(ctx, e.offset, "item at byte " + std::to_string(e.offset));
          return false;
        }
        r.Skip(e.length);
      } else if (e.element != kItem && e.element != kItemDelimitation) {
        ctx.Add(Rule::kDataHeaderMalformed, e.offset, "DICOM unknown item tag " + TagName(e.group, e.element));
        return false;
      }
      continue;  // an undefined-length item: its elements follow
    }
    bool pixel = e.group == 0x7fe0 && e.element == 0x0010;
    if (e.length == kUndefinedLength) {
      if (pixel && depth == 0) {
        // Encapsulated (compressed) pixel data (PS3.5 A.4): fragments follow.
        a->encapsulated = true;
        a->pixel_offset = r.offset();
        return true;
      }
      // An undefined length is legal for SQ, for encapsulated Pixel Data
      // (nested here: an Icon Image Sequence of a compressed file, whose
      // fragments are items ended by a sequence delimiter), and for UN holding
      // a sequence (PS3.5 7.1.2, 6.2.2); the UN content is then implicit VR
      // little endian, which this walk does not switch to.
      if (explicit_vr && e.vr != "SQ" && !pixel) {
        ctx.Add(ctx.whole() || e.vr != "UN" ? Rule::kDataHeaderMalformed : Rule::kDataHeaderIncomplete, e.offset,
                "DICOM " + TagName(e.group, e.element) + " (VR " + Quote(e.vr) +
                    ") has an undefined length; its content is not read, checks not done");
        return false;
      }
      ++depth;
      continue;
    }
    if (pixel && depth == 0) {
      a->pixel_length = e.length;
      a->pixel_offset = r.offset();
      return true;
    }
    if (e.length > r.remaining()) {
      ShortRead(ctx, e.offset, TagName(e.group, e.element) + " value of " + std::to_string(e.length) + " bytes");
      return false;
    }
    if (depth == 0 && e.group == 0x0028) {
      std::optional<uint64_t>* us = e.element == 0x0002   ? &a->samples
                                    : e.element == 0x0010 ? &a->rows
                                    : e.element == 0x0011 ? &a->columns
                                    : e.element == 0x0100 ? &a->bits
                                                          : nullptr;
      if (us != nullptr || e.element == 0x0008) {
        if ((us != nullptr && us->has_value()) || (e.element == 0x0008 && a->frames)) {
          // Readers keep one of two copies (gdcm::DataSet is a set of tags);
          // which one is not a fact to depend on.
          ctx.Add(Rule::kDataHeaderMalformed, e.offset, "DICOM " + TagName(e.group, e.element) + " appears twice");
          return false;
        }
      }
      if (us != nullptr) {
        if (!ReadUs(ctx, er, e, us)) return false;
        continue;
      }
      if (e.element == 0x0008) {
        // NumberOfFrames, IS: a decimal integer string of at most 12 bytes.
        std::string_view v = Unpad(r.Chars(e.length));
        std::optional<int64_t> n = e.length <= 12 ? ParseInt(v) : std::nullopt;
        if (!n) {
          ctx.Add(Rule::kDataHeaderMalformed, e.offset, "DICOM NumberOfFrames " + Quote(v) + " is not an integer");
          return false;
        }
        if (*n < 1) {
          ctx.Add(Rule::kDataHeaderRange, e.offset,
                  "DICOM NumberOfFrames " + std::to_string(*n) + " is not positive");
          return false;
        }
        a->frames = static_cast<uint64_t>(*n);
        continue;
      }
    }
    if (depth == 0 && e.group > 0x7fe0) return true;  // past Pixel Data: no image attributes follow
    r.Skip(e.length);
  }
  // The walk reached the end of the bytes without Pixel Data.
  if (!ctx.whole()) {
    ctx.Add(Rule::kDataHeaderIncomplete, r.offset(), "DICOM data set continues past the bytes given");
    return false;
  }
  if (depth != 0) {
    ctx.Add(Rule::kDataHeaderMalformed, r.offset(), "DICOM file ends inside a sequence");
    return false;
  }
  return true;
}

}  // namespace

void ReadDicom(Ctx& ctx) {
  ByteReader r(ctx.file.prefix);
  r.Skip(128);
  if (r.Chars(4) != "DICM") {
    ctx.Add(Rule::kDataHeaderMalformed, 128, "DICOM file has no DICM prefix");
    return;
  }
  // File meta information: group 0002, explicit VR little endian.
  std::string_view syntax;
  bool have_syntax = false;
  {
    ElementReader meta(r, true, false);
    while (true) {
      std::span<const uint8_t> peek = r.Peek(2);
      if (peek.size() < 2 || (peek[0] | (peek[1] << 8)) != 0x0002) break;
      Element e;
      if (!meta.Next(&e)) {
        ShortRead(ctx, e.offset, "file meta element header");
        return;
      }
      if (e.length == kUndefinedLength || e.length > r.remaining()) {
        if (e.length == kUndefinedLength) {
          ctx.Add(Rule::kDataHeaderMalformed, e.offset,
                  "DICOM file meta element " + TagName(e.group, e.element) + " has an undefined length");
        } else {
          ShortRead(ctx, e.offset, "file meta element " + TagName(e.group, e.element));
        }
        return;
      }
      std::string_view value = r.Chars(e.length);
      if (e.element == 0x0010) {
        syntax = Unpad(value);
        have_syntax = true;
      }
    }
  }
  bool explicit_vr = true, big = false, compressed = false;
  if (!have_syntax) {
    // No transfer syntax: GDCM and DCMTK guess from the bytes (a VR after
    // the first tag means explicit VR little endian). Guess the same way.
    std::span<const uint8_t> p = r.Peek(6);
    explicit_vr = p.size() == 6 && IsVr(std::string_view(reinterpret_cast<const char*>(p.data()) + 4, 2));
  } else if (syntax == kImplicitLittle) {
    explicit_vr = false;
  } else if (syntax == kExplicitBig) {
    big = true;
  } else if (syntax == kDeflatedLittle) {
    // The data set is a deflate stream: nothing to walk without inflating.
    ctx.Add(Rule::kDataHeaderIncomplete, r.offset(),
            "DICOM deflated transfer syntax: the data set is not read, checks not done");
    return;
  } else if (syntax != kExplicitLittle) {
    // JPEG, JPEG-LS, JPEG 2000, RLE, MPEG...: explicit VR little endian with
    // encapsulated pixel data (PS3.5 A.4).
    compressed = true;
  }
  Attributes a;
  if (!Walk(ctx, r, explicit_vr, big, &a)) return;
  if (!a.rows && !a.columns && !a.pixel_length && !a.encapsulated) return;  // not an image (SR, a Slicer data bundle)
  if (!a.rows || !a.columns) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "DICOM Pixel Data without Rows and Columns");
    return;
  }
  uint64_t samples = a.samples.value_or(1), bits = a.bits.value_or(0), frames = a.frames.value_or(1);
  if (*a.rows == 0 || *a.columns == 0) {
    ctx.Add(Rule::kDataHeaderRange, std::nullopt,
            "DICOM size " + std::to_string(*a.columns) + "x" + std::to_string(*a.rows) + " has a zero side");
    return;
  }
  if (bits != 1 && bits != 8 && bits != 16 && bits != 32 && bits != 64) {
    ctx.Add(Rule::kDataHeaderRange, std::nullopt,
            "DICOM BitsAllocated " + std::to_string(bits) + " is not 1, 8, 16, 32 or 64");
    return;
  }
  if (samples != 1 && samples != 3 && samples != 4) {
    ctx.Add(Rule::kDataHeaderRange, std::nullopt,
            "DICOM SamplesPerPixel " + std::to_string(samples) + " is not 1, 3 or 4");
    return;
  }
  std::optional<uint64_t> total = CheckedImageBytes(ctx, {*a.columns, *a.rows, frames}, samples,
                                                    static_cast<uint32_t>((bits + 7) / 8), "DICOM");
  if (!total) return;
  if (a.pixel_length) {
    // The defined length must fit in the file, and (uncompressed) hold every
    // frame: 1-bit data is packed (PS3.5 8.1.1).
    uint64_t end = 0;
    if (!CheckedAdd(a.pixel_offset, *a.pixel_length, &end) || end > ctx.file.total_size) {
      ctx.Add(Rule::kDataSizeMismatch, a.pixel_offset,
              "DICOM Pixel Data declares " + std::to_string(*a.pixel_length) + " bytes at byte " +
                  std::to_string(a.pixel_offset) + ", but the file holds " + std::to_string(ctx.file.total_size) +
                  " bytes");
      return;
    }
    uint64_t need = bits == 1 ? (*total + 7) / 8 : *total;  // total counted 1 byte a 1-bit sample
    if (!compressed && *a.pixel_length < need) {
      ctx.Add(Rule::kDataSizeMismatch, a.pixel_offset,
              "DICOM Pixel Data holds " + std::to_string(*a.pixel_length) + " bytes; Rows x Columns x frames x " +
                  "samples x bits declare " + std::to_string(need));
    }
  }
}

}  // namespace mrmlguard::internal::data
