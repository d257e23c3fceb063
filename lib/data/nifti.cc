// SPDX-License-Identifier: BSD-3-Clause
// NIfTI-1 and Analyze 7.5 (348-byte header) and NIfTI-2 (540 bytes), as ITK's
// NiftiImageIO reads them.
//
// NIfTI-1: https://nifti.nimh.nih.gov/pub/dist/src/niftilib/nifti1.h
// NIfTI-2: https://nifti.nimh.nih.gov/pub/dist/doc/nifti2.h

#include <algorithm>
#include <cmath>
#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {
namespace {

// The largest |srow| value of a NIfTI sform accepted (see ReadNifti1): 1e9 mm
// is far past any scanner, and its square stays far below FLT_MAX.
constexpr float kMaxSrowMagnitude = 1e9f;

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

}  // namespace mrmlguard::internal::data
