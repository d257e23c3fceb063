// SPDX-License-Identifier: BSD-3-Clause
// Binary headers: NIfTI-1/Analyze 7.5 (348 bytes), NIfTI-2 (540 bytes), the
// first bytes of a gzip stream (.nii.gz), PNG, BMP and the HDF5 superblock.
//
// NIfTI-1: https://nifti.nimh.nih.gov/pub/dist/src/niftilib/nifti1.h
// NIfTI-2: https://nifti.nimh.nih.gov/pub/dist/doc/nifti2.h
// gzip: RFC 1952; PNG: ISO/IEC 15948 11.2.2 (IHDR); BMP: BITMAPINFOHEADER;
// HDF5: File Format Specification 3.0, II.A (superblock).

#include <bit>
#include <algorithm>
#include <cmath>
#include <string>

#include <zlib.h>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {
namespace {

// The largest |srow| value of a NIfTI sform accepted (see ReadNifti1): 1e9 mm
// is far past any scanner, and its square stays far below FLT_MAX.
constexpr float kMaxSrowMagnitude = 1e9f;

// Reads little- or big-endian fields of one fixed header.
class EndianReader {
 public:
  EndianReader(std::span<const uint8_t> bytes, bool big) : r_(bytes), big_(big) {}
  int16_t I16() {
    uint8_t a = r_.U8(), b = r_.U8();
    return static_cast<int16_t>(big_ ? (a << 8) | b : (b << 8) | a);
  }
  int32_t I32() { return static_cast<int32_t>(big_ ? r_.U32be() : r_.U32le()); }
  int64_t I64() { return static_cast<int64_t>(big_ ? r_.U64be() : r_.U64le()); }
  float F32() { return std::bit_cast<float>(big_ ? r_.U32be() : r_.U32le()); }
  std::string_view Chars(size_t n) { return r_.Chars(n); }
  bool ok() const { return r_.ok(); }

 private:
  ByteReader r_;
  bool big_;
};

struct NiftiType {
  int16_t code;
  ComponentType type;
  uint32_t components;
  int16_t bitpix;
};
// nifti1.h DT_* codes. Complex types are two float components, RGB/RGBA are
// 3/4 uint8 components (as ITK's NiftiImageIO presents them). float128,
// complex256 and binary have no reader in ITK/Slicer.
constexpr NiftiType kNiftiTypes[] = {
    {2, ComponentType::kUInt8, 1, 8},      {4, ComponentType::kInt16, 1, 16},
    {8, ComponentType::kInt32, 1, 32},     {16, ComponentType::kFloat32, 1, 32},
    {32, ComponentType::kFloat32, 2, 64},  {64, ComponentType::kFloat64, 1, 64},
    {128, ComponentType::kUInt8, 3, 24},   {256, ComponentType::kInt8, 1, 8},
    {512, ComponentType::kUInt16, 1, 16},  {768, ComponentType::kUInt32, 1, 32},
    {1024, ComponentType::kInt64, 1, 64},  {1280, ComponentType::kUInt64, 1, 64},
    {1792, ComponentType::kFloat64, 2, 128}, {2304, ComponentType::kUInt8, 4, 32},
};

// The common tail of both NIfTI versions: dims, type, offset, size checks.
void FinishNifti(Ctx& ctx, std::string_view what, const int64_t (&dim)[8], int16_t datatype, int16_t bitpix,
                 int32_t intent_code, double vox_offset, bool compressed, bool pair) {
  if (dim[0] < 1 || dim[0] > 7) {
    ctx.Add(Rule::kDataHeaderRange, 40, std::string(what) + " dim[0] " + std::to_string(dim[0]) + " is outside 1..7");
    return;
  }
  std::vector<uint64_t> sizes;
  for (int64_t i = 1; i <= dim[0]; ++i) {
    if (dim[i] < 1) {
      ctx.Add(Rule::kDataHeaderRange, std::nullopt,
              std::string(what) + " dim[" + std::to_string(i) + "] " + std::to_string(dim[i]) + " is not positive");
      return;
    }
    sizes.push_back(static_cast<uint64_t>(dim[i]));
  }
  const NiftiType* t = nullptr;
  for (const NiftiType& n : kNiftiTypes) t = n.code == datatype ? &n : t;
  if (t == nullptr) {
    ctx.Add(Rule::kDataHeaderRange, std::nullopt,
            std::string(what) + " datatype " + std::to_string(datatype) + " is not a type ITK reads");
    return;
  }
  if (bitpix != t->bitpix) {
    ctx.Add(Rule::kDataContentOdd, std::nullopt,
            std::string(what) + " bitpix " + std::to_string(bitpix) + " does not match datatype " +
                std::to_string(datatype) + " (" + std::to_string(t->bitpix) + " bits); readers use the datatype");
  }
  if (!std::isfinite(vox_offset) || vox_offset < 0 || vox_offset > 9.0e18) {
    ctx.Add(Rule::kDataHeaderRange, std::nullopt,
            std::string(what) + " vox_offset " + std::to_string(vox_offset) + " is negative or not finite");
    return;
  }
  // Both versions keep vector components in dim[5]; ITK's NiftiImageIO
  // turns them into the pixel's components only when the intent says so
  // (NIFTI_INTENT_SYMMATRIX 1005, NIFTI_INTENT_VECTOR 1007); otherwise
  // dim[5] stays an image axis.
  uint64_t components = t->components;
  std::vector<uint64_t> image = sizes;
  if (sizes.size() >= 5 && (intent_code == 1005 || intent_code == 1007)) {
    uint64_t c = 0;
    if (!CheckedMul(components, sizes[4], &c)) c = UINT64_MAX;
    components = c;
    image.erase(image.begin() + 4);
  }
  std::optional<uint64_t> total = CheckedImageBytes(ctx, sizes, t->components, ComponentBytes(t->type), what);
  if (!total) return;
  uint64_t offset = static_cast<uint64_t>(vox_offset);
  if (!pair && !compressed) {
    uint64_t end = 0;
    if (!CheckedAdd(offset, *total, &end) || end > ctx.file.total_size) {
      ctx.Add(Rule::kDataSizeMismatch, 108,
              std::string(what) + " declares " + std::to_string(*total) + " bytes of data at vox_offset " +
                  std::to_string(offset) + ", but the file holds " + std::to_string(ctx.file.total_size) + " bytes");
      return;
    }
  }
  if (pair) {
    // The .hdr/.img pair (NIfTI "ni1"/"ni2", Analyze 7.5): data in the .img next to it.
    std::string_view name = ctx.file.name;
    size_t slash = name.find_last_of("/\\");
    std::string base(slash == std::string_view::npos ? name : name.substr(slash + 1));
    std::string ext = ExtensionOf(base);
    std::string img;
    if (ext == ".hdr") {
      img = base.substr(0, base.size() - 4) + (base.substr(base.size() - 4) == ".HDR" ? ".IMG" : ".img");
    } else if (ext == ".hdr.gz") {
      img = base.substr(0, base.size() - 7) + ".img.gz";
    }
    if (!img.empty()) AddDetached(ctx, img, std::string(what) + " image file", 0);
    uint64_t declared = 0;
    if (!compressed && CheckedAdd(offset, *total, &declared)) ctx.result.detached_raw_bytes = declared;
    if (compressed && !img.empty()) ctx.result.detached_compressed = true;
  } else if (compressed) {
    ctx.result.compressed_payload_bytes = ctx.file.total_size;  // the whole .nii.gz is the gzip stream
  }
  while (image.size() > 1 && image.back() == 1) image.pop_back();  // ITK drops trailing 1s (nifti1_io)
  ImageInfo info;
  info.sizes = std::move(image);
  info.components = static_cast<uint32_t>(std::min<uint64_t>(components, UINT32_MAX));
  info.component = t->type;
  info.total_bytes = *total;
  ctx.result.image = std::move(info);
}

}  // namespace

void ReadNifti1(Ctx& ctx, std::span<const uint8_t> header, bool compressed, bool analyze) {
  if (header.size() < 348) {
    if (ctx.whole() && !compressed) {
      ctx.Add(Rule::kDataHeaderMalformed, 0,
              "NIfTI-1/Analyze header is truncated: " + std::to_string(header.size()) + " of 348 bytes");
    } else {
      ctx.Add(Rule::kDataHeaderIncomplete, 0,
              "only " + std::to_string(header.size()) + " of the 348 NIfTI-1 header bytes were given");
    }
    return;
  }
  ByteReader probe(header);
  bool big = probe.U32le() != 348;  // sizeof_hdr decides the byte order (nifti1.h "sizeof_hdr")
  EndianReader r(header, big);
  int32_t sizeof_hdr = r.I32();
  if (sizeof_hdr != 348) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "NIfTI-1 sizeof_hdr is " + std::to_string(sizeof_hdr) + ", not 348");
    return;
  }
  (void)r.Chars(36);  // data_type, db_name, extents, session_error, regular, dim_info
  int64_t dim[8];
  for (int64_t& d : dim) d = r.I16();  // offset 40
  (void)r.Chars(12);                   // intent_p1..p3
  int16_t intent_code = r.I16();       // offset 68
  int16_t datatype = r.I16();          // offset 70
  int16_t bitpix = r.I16();            // offset 72
  (void)r.I16();                       // slice_start
  (void)r.Chars(32);                   // pixdim[8]
  float vox_offset = r.F32();          // offset 108
  (void)r.Chars(254 - 112);            // scl_slope .. qform_code
  int16_t sform_code = r.I16();        // offset 254
  (void)r.Chars(24);                   // quatern_b .. qoffset_z
  bool srow_finite = true;
  float srow_largest = 0;  // largest magnitude, finite values
  for (int i = 0; i < 12; ++i) {  // offset 280: srow_x/y/z
    float v = r.F32();
    srow_finite = std::isfinite(v) && srow_finite;
    if (std::isfinite(v)) srow_largest = std::max(srow_largest, std::fabs(v));
  }
  (void)r.Chars(16);                   // intent_name
  std::string_view magic = r.Chars(4);  // offset 344
  if (!r.ok()) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "NIfTI-1 header is truncated");
    return;
  }
  bool single = magic == std::string_view("n+1\0", 4);
  bool pair = magic == std::string_view("ni1\0", 4);
  if (!single && !pair && !analyze) {
    ctx.Add(Rule::kDataHeaderMalformed, 344, "NIfTI-1 magic " + Quote(magic) + " is neither n+1 nor ni1");
    return;
  }
  if ((single || pair) && sform_code > 0 && !srow_finite) {
    // ITK's NiftiImageIO builds the sform matrix whenever sform_code > 0 and
    // aborts the process on a non-finite element (vnl_matrix assert_finite).
    ctx.Add(Rule::kDataHeaderRange, 280,
            "NIfTI-1 sform_code " + std::to_string(sform_code) + " comes with a non-finite srow value");
    return;
  }
  if ((single || pair) && sform_code > 0 && srow_largest > kMaxSrowMagnitude) {
    // ITK 5.2 orthonormalises the sform's 3x3 part with a single-precision
    // SVD (NiftiImageIO::SetImageIOOrientationFromNIfTI, vnl_svd<float>);
    // values whose squares overflow a float make it run without end
    // (data_itk_fuzzer timeout). No scanner writes a millimetre transform
    // anywhere near this bound.
    ctx.Add(Rule::kDataHeaderRange, 280,
            "NIfTI-1 sform_code " + std::to_string(sform_code) + " comes with an srow value of magnitude " +
                std::to_string(srow_largest) + ", above " + std::to_string(kMaxSrowMagnitude) +
                " (ITK's single-precision orientation SVD does not finish)");
    return;
  }
  if (single && vox_offset < 352) {
    // nifti1.h: vox_offset of a single .nii file is at least 352 (header + extension flag).
    ctx.Add(Rule::kDataHeaderRange, 108,
            "NIfTI-1 vox_offset " + std::to_string(vox_offset) + " of a single-file image is below 352");
    return;
  }
  FinishNifti(ctx, analyze ? "Analyze" : "NIfTI-1", dim, datatype, bitpix, analyze ? 0 : intent_code, vox_offset,
              compressed, !single);
}

void ReadNifti2(Ctx& ctx, std::span<const uint8_t> header, bool compressed) {
  if (header.size() < 540) {
    if (ctx.whole() && !compressed) {
      ctx.Add(Rule::kDataHeaderMalformed, 0,
              "NIfTI-2 header is truncated: " + std::to_string(header.size()) + " of 540 bytes");
    } else {
      ctx.Add(Rule::kDataHeaderIncomplete, 0,
              "only " + std::to_string(header.size()) + " of the 540 NIfTI-2 header bytes were given");
    }
    return;
  }
  ByteReader probe(header);
  bool big = probe.U32le() != 540;
  EndianReader r(header, big);
  int32_t sizeof_hdr = r.I32();
  if (sizeof_hdr != 540) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "NIfTI-2 sizeof_hdr is " + std::to_string(sizeof_hdr) + ", not 540");
    return;
  }
  std::string_view magic = r.Chars(8);  // offset 4
  int16_t datatype = r.I16();           // offset 12
  int16_t bitpix = r.I16();             // offset 14
  int64_t dim[8];
  for (int64_t& d : dim) d = r.I64();  // offset 16
  (void)r.Chars(24 + 64);              // intent_p1..p3 (double), pixdim[8] (double)
  int64_t vox_offset = r.I64();        // offset 168
  (void)r.Chars(504 - 176);            // scl_slope .. xyzt_units
  int32_t intent_code = r.I32();       // offset 504
  if (!r.ok()) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "NIfTI-2 header is truncated");
    return;
  }
  bool single = magic == std::string_view("n+2\0\r\n\032\n", 8);
  bool pair = magic == std::string_view("ni2\0\r\n\032\n", 8);
  if (!single && !pair) {
    ctx.Add(Rule::kDataHeaderMalformed, 4, "NIfTI-2 magic " + Quote(magic) + " is neither n+2 nor ni2");
    return;
  }
  if (vox_offset < 0 || (single && vox_offset < 544)) {
    ctx.Add(Rule::kDataHeaderRange, 168,
            "NIfTI-2 vox_offset " + std::to_string(vox_offset) + " is negative or inside the header");
    return;
  }
  FinishNifti(ctx, "NIfTI-2", dim, datatype, bitpix, intent_code, static_cast<double>(vox_offset), compressed, pair);
}

void ReadGzip(Ctx& ctx) {
  std::string ext = ExtensionOf(ctx.file.name);
  // Only .nii.gz (and .hdr.gz) hide a header we read; other gzip files
  // (.raw.gz, .img.gz payloads) are data.
  if (ext != ".nii.gz" && ext != ".hdr.gz") return;
  // Inflate just the first 544 bytes (a NIfTI-2 header plus its extension
  // flag) into a fixed buffer; zlib never writes past avail_out.
  uint8_t out[544] = {};
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "gzip stream could not be opened");
    return;
  }
  std::span<const uint8_t> in = ctx.file.prefix;
  zs.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct; it only reads
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  zs.next_out = out;
  zs.avail_out = sizeof(out);
  int rc = Z_OK;
  while (zs.avail_out > 0 && rc == Z_OK) rc = inflate(&zs, Z_NO_FLUSH);
  size_t produced = sizeof(out) - zs.avail_out;
  inflateEnd(&zs);
  if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "gzip stream is corrupt before the NIfTI header ends");
    return;
  }
  std::span<const uint8_t> header(out, produced);
  ByteReader probe(header);
  uint32_t le = probe.U32le();
  ByteReader probe_be(header);
  uint32_t be = probe_be.U32be();
  if (le == 348 || be == 348 || le == 540 || be == 540) {
    ctx.inflated = true;
    if (le == 348 || be == 348) {
      ReadNifti1(ctx, header, true, false);
    } else {
      ReadNifti2(ctx, header, true);
    }
    ctx.inflated = false;
  } else if (produced < 4 && !ctx.whole()) {
    ctx.Add(Rule::kDataHeaderIncomplete, 0, "the gzip prefix given inflates to fewer than 4 bytes");
  } else {
    ctx.Add(Rule::kDataMagicMismatch, 0, "a " + ext + " file whose inflated content is not a NIfTI header");
  }
}

void ReadPng(Ctx& ctx) {
  // PNG signature (8 bytes), then the IHDR chunk: length 13, "IHDR", width,
  // height (big-endian, 1..2^31-1), bit depth, colour type.
  ByteReader r(ctx.file.prefix);
  r.Skip(8);
  uint32_t length = r.U32be();
  std::string_view type = r.Chars(4);
  uint32_t width = r.U32be(), height = r.U32be();
  uint8_t depth = r.U8(), color = r.U8();
  if (!r.ok() || length != 13 || type != "IHDR") {
    ctx.Add(Rule::kDataHeaderMalformed, 8, "PNG does not start with an IHDR chunk");
    return;
  }
  if (width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu) {
    ctx.Add(Rule::kDataHeaderRange, 16,
            "PNG size " + std::to_string(width) + "x" + std::to_string(height) + " is outside 1..2^31-1");
    return;
  }
  uint64_t channels = color == 2 ? 3 : color == 4 ? 2 : color == 6 ? 4 : 1;
  uint32_t bytes = depth > 8 ? 2 : 1;
  (void)CheckedImageBytes(ctx, {width, height}, channels, bytes, "PNG");
}

void ReadBmp(Ctx& ctx) {
  // BITMAPFILEHEADER (14 bytes) then BITMAPINFOHEADER: width, height (int32,
  // negative height = top-down), planes, bit count.
  ByteReader r(ctx.file.prefix);
  r.Skip(18);
  auto width = static_cast<int32_t>(r.U32le());
  auto height = static_cast<int32_t>(r.U32le());
  r.Skip(2);
  uint16_t bits = r.U16le();
  if (!r.ok()) {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "BMP header is truncated");
    return;
  }
  if (width <= 0 || height == 0 || height == INT32_MIN) {
    ctx.Add(Rule::kDataHeaderRange, 18,
            "BMP size " + std::to_string(width) + "x" + std::to_string(height) + " is out of range");
    return;
  }
  uint64_t h = height < 0 ? static_cast<uint64_t>(-static_cast<int64_t>(height)) : static_cast<uint64_t>(height);
  (void)CheckedImageBytes(ctx, {static_cast<uint64_t>(width), h}, bits > 8 ? (bits + 7u) / 8u : 1u, 1, "BMP");
}

void ReadTiff(Ctx& ctx) {
  // TIFF 6.0 section 2: byte order "II"/"MM", 42, offset of the first IFD;
  // an IFD is a count and 12-byte entries (tag, type, count, value/offset).
  // The first image's ImageWidth (256), ImageLength (257), BitsPerSample
  // (258) and SamplesPerPixel (277) drive the reader's allocation.
  std::span<const uint8_t> b = ctx.file.prefix;
  ByteReader head(b);
  bool big = head.U8() == 'M';
  head.Skip(1);
  EndianReader r(b, big);
  (void)r.Chars(2);
  int32_t magic = r.I16();
  if (magic == 43) return;  // BigTIFF: 64-bit offsets, not read here
  auto ifd = static_cast<uint32_t>(r.I32());
  if (!r.ok() || magic != 42) {
    ctx.Add(Rule::kDataHeaderMalformed, 2, "TIFF header is truncated or its magic is not 42");
    return;
  }
  if (ifd < 8 || ifd >= b.size()) {
    if (ifd >= ctx.file.total_size || ifd < 8) {
      ctx.Add(Rule::kDataHeaderMalformed, 4, "TIFF first IFD offset " + std::to_string(ifd) + " is outside the file");
    } else {
      ctx.Add(Rule::kDataHeaderIncomplete, 4, "TIFF first IFD is beyond the bytes given");
    }
    return;
  }
  EndianReader e(b.subspan(ifd), big);
  auto count = static_cast<uint16_t>(e.I16());
  uint64_t width = 0, height = 0, samples = 1, bits = 8;
  for (uint32_t i = 0; i < count && e.ok(); ++i) {
    auto tag = static_cast<uint16_t>(e.I16());
    auto type = static_cast<uint16_t>(e.I16());
    auto n = static_cast<uint32_t>(e.I32());
    // A SHORT (type 3) value sits in the first two bytes of the field.
    uint64_t value = 0;
    if (type == 3) {
      value = static_cast<uint16_t>(e.I16());
      (void)e.I16();
    } else {
      value = static_cast<uint32_t>(e.I32());
    }
    if (tag == 256) width = value;
    if (tag == 257) height = value;
    if (tag == 277) samples = value;
    if (tag == 258 && n == 1) bits = value;
  }
  if (!e.ok()) {
    ctx.Add(ctx.whole() ? Rule::kDataHeaderMalformed : Rule::kDataHeaderIncomplete, ifd,
            "TIFF IFD is cut off");
    return;
  }
  if (width == 0 || height == 0 || samples == 0 || bits == 0 || bits > 64) {
    ctx.Add(Rule::kDataHeaderRange, ifd,
            "TIFF image " + std::to_string(width) + "x" + std::to_string(height) + " with " + std::to_string(samples) +
                " samples of " + std::to_string(bits) + " bits is out of range");
    return;
  }
  (void)CheckedImageBytes(ctx, {width, height}, samples, static_cast<uint32_t>((bits + 7) / 8), "TIFF");
}

void ReadJpeg(Ctx& ctx) {
  // ITU T.81 B.1.1: markers FF xx, each segment with a big-endian length;
  // a start-of-frame (SOF0..SOF15 except DHT C4, JPG C8, DAC CC) holds the
  // precision, height, width and component count.
  ByteReader r(ctx.file.prefix);
  r.Skip(2);  // SOI
  while (r.ok() && !r.empty()) {
    uint8_t ff = r.U8();
    uint8_t marker = r.U8();
    if (ff != 0xff) break;
    if (marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01 || marker == 0xff) continue;
    uint16_t length = static_cast<uint16_t>((r.U8() << 8) | r.U8());
    if (length < 2) break;
    ByteReader seg = r.Sub(length - 2u);
    bool sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    if (!sof) continue;
    uint8_t precision = seg.U8();
    uint16_t height = static_cast<uint16_t>((seg.U8() << 8) | seg.U8());
    uint16_t width = static_cast<uint16_t>((seg.U8() << 8) | seg.U8());
    uint8_t components = seg.U8();
    if (!seg.ok()) break;
    if (width == 0 || components == 0) {
      ctx.Add(Rule::kDataHeaderRange, std::nullopt,
              "JPEG frame width " + std::to_string(width) + " or component count " + std::to_string(components) + " is 0");
      return;
    }
    // height 0 means "defined later" (DNL); bound what is known.
    (void)CheckedImageBytes(ctx, {width, height == 0 ? 1u : height}, components, precision > 8 ? 2 : 1, "JPEG");
    return;
  }
}

void ReadHdf5(Ctx& ctx, uint64_t signature_offset) {
  // Superblock version follows the 8-byte signature (versions 0..3 exist).
  ByteReader r(ctx.file.prefix);
  r.Skip(static_cast<size_t>(signature_offset) + 8);
  uint8_t version = r.U8();
  if (!r.ok()) {
    ctx.Add(Rule::kDataHeaderIncomplete, signature_offset, "HDF5 superblock is cut off in the bytes given");
    return;
  }
  if (version > 3) {
    ctx.Add(Rule::kDataHeaderRange, signature_offset + 8,
            "HDF5 superblock version " + std::to_string(version) + " is not defined");
  }
}

}  // namespace mrmlguard::internal::data
