// SPDX-License-Identifier: BSD-3-Clause
// File: data_internal.h
//
// Shared pieces of the data-file readers: the per-file context, a line reader
// over ByteReader, an endian-switching field reader, number parsing, the
// detached-path and printf-format checks, and one entry point per format
// (one file per format: nrrd.cc, metaimage.cc, nifti.cc, ...). Internal to
// lib/data.

#ifndef MRMLGUARD_LIB_DATA_DATA_INTERNAL_H_
#define MRMLGUARD_LIB_DATA_DATA_INTERNAL_H_

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bytes/byte_reader.h"
#include "data/data_file.h"
#include "findings/finding_sink.h"
#include "text/ascii.h"
#include "text/numbers.h"

namespace mrmlguard::internal::data {

// Everything a reader needs about the file it reads.
struct Ctx {
  const DataFileView& file;
  FindingSink& sink;
  DataFileResult& result;
  // Set once max_detached_files was reported: every way of naming detached
  // files (LIST lines, patterns, repeated fields, .vtm children) shares it.
  bool detached_capped = false;

  const Limits& limits() const { return sink.limits(); }
  // True when the prefix holds the whole file.
  bool whole() const { return file.prefix.size() >= file.total_size; }
  // Set while a reader reads an inflated copy (the NIfTI header inside a
  // .nii.gz): its offsets are not the file's, so they go into the message.
  bool inflated = false;

  void Add(Rule rule, std::optional<uint64_t> offset, std::string message) {
    if (inflated && offset) {
      message += " (at byte " + std::to_string(*offset) + " of the decompressed stream)";
      offset.reset();
    }
    sink.Add(rule, {.offset = offset}, std::move(message));
  }
  void AddLine(Rule rule, uint32_t line, std::string message) {
    sink.Add(rule, {.line = line}, std::move(message));
  }
};

// Reads text lines out of a ByteReader: '\n' ends a line, a '\r' before it is
// dropped. The last line may end at the end of the bytes (ended() tells).
class LineReader {
 public:
  explicit LineReader(std::span<const uint8_t> bytes) : reader_(bytes) {}
  // Next line without its terminator; nullopt at the end of the bytes.
  std::optional<std::string_view> Next();
  // 1-based number of the line Next() returned last.
  uint32_t line() const { return line_; }
  // Offset just after the line Next() returned last (its '\n' included).
  uint64_t offset() const { return reader_.offset(); }
  // True when the last line returned had a '\n' (false: it ran to the end).
  bool terminated() const { return terminated_; }
  bool at_end() const { return reader_.empty(); }

 private:
  ByteReader reader_;
  uint32_t line_ = 0;
  bool terminated_ = false;
};

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

// Text helpers (on string_views of lines already cut by LineReader) and the
// header number grammars live in the text layer (text/ascii.h, text/numbers.h).
using text::EndsWith;
using text::EqualsIgnoreCase;
using text::ParseDouble;
using text::ParseInt;
using text::ParseUint;
using text::SplitOn;
using text::SplitWords;
using text::StartsWith;
using text::Trim;
inline std::string Lower(std::string_view s) { return text::AsciiLower(s); }
// Quotes untrusted text for a message: at most 80 characters, control and
// non-ASCII bytes escaped.
std::string Quote(std::string_view s);

// Lowercase file name extension including compound ones we know
// (".nii.gz", ".seq.nrrd", ".mrk.json", ".raw.gz", ".seg.vtm" ...).
std::string ExtensionOf(std::string_view name);

// Why a detached path is refused; empty when it is a plain relative path.
std::string DetachedPathProblem(std::string_view path);
// Checks a detached path: records it in result.detached, or reports
// data.detached-outside and records it in result.refused_detached.
// Longest detached file name accepted (PATH_MAX on Linux).
inline constexpr size_t kMaxDetachedNameBytes = 4096;
// Deepest JSON nesting the recursive parser follows whatever max_json_depth
// says (bounds the stack).
inline constexpr uint64_t kMaxJsonRecursion = 1024;
// Returns true when the path was accepted.
bool AddDetached(Ctx& ctx, std::string_view path, std::string_view field, uint32_t line);

// printf format checks. A "safe" format has only the conversions listed, each
// at most once in total `max_conversions`, flags from "-+ #0", a width and a
// precision of at most 3 digits, no '*', no '$' positional argument, no
// length modifier except as allowed, and "%%" as a literal percent.
struct FormatRule {
  std::string_view conversions;   // e.g. "diuxXo" or "eEfFgG"
  int max_conversions = 1;
  std::string_view second;        // conversions allowed after the first ("s" for units)
  bool allow_int_length = false;  // allow 'l'/'ll'/'h'/'z' length modifiers before an integer conversion
};
// Returns the problem ("" when safe).
std::string FormatProblem(std::string_view format, const FormatRule& rule);

// Checks a markups control point label format (vtkMRMLMarkupsNode::
// GenerateControlPointLabel: "%N" replaced by the node name, then snprintf
// with one int); reports data.format-string at `offset` naming `where`.
void CheckLabelFormat(Ctx& ctx, std::string_view label_format, std::string_view name, std::string_view where,
                      std::optional<uint64_t> offset);

// Element count x component bytes with the max_image_bytes check; reports
// data.limit-exceeded (or data.header-range on overflow) and returns nullopt
// when refused. `what` names the header for the message.
std::optional<uint64_t> CheckedImageBytes(Ctx& ctx, const std::vector<uint64_t>& sizes, uint64_t components,
                                          uint32_t component_bytes, std::string_view what);

// Expands a file-name pattern "fmt min max step" (NRRD and MetaImage): the
// format is checked with FormatProblem (one integer conversion), the count with
// max_detached_files, each name with AddDetached.
void ExpandPattern(Ctx& ctx, std::string_view format, int64_t min, int64_t max, int64_t step,
                   std::string_view field, uint32_t line);

// Reports the end of a header that the prefix does not reach: a prefix of
// max_header_bytes is data.limit-exceeded, a shorter one (the caller gave
// less) data.header-incomplete. `what` names the format ("NRRD").
void HeaderNotTerminated(Ctx& ctx, std::string_view what);

// Readers, one per format (nrrd.cc, metaimage.cc, ...); data_file.cc's
// dispatch table picks one by the identified format. Each reads only
// ctx.file.prefix.
void ReadNrrd(Ctx& ctx);
void ReadMetaImage(Ctx& ctx);
void ReadNifti1(Ctx& ctx, std::span<const uint8_t> header, bool compressed, bool analyze);
void ReadNifti2(Ctx& ctx, std::span<const uint8_t> header, bool compressed);
void ReadGzip(Ctx& ctx);
void ReadVtkLegacy(Ctx& ctx);
void ReadVtkXml(Ctx& ctx);
void ReadJson(Ctx& ctx);
void ReadMarkupsCsv(Ctx& ctx);
void ReadColorTable(Ctx& ctx);
void ReadItkTransform(Ctx& ctx);
void ReadHdf5(Ctx& ctx, uint64_t signature_offset);
void ReadPng(Ctx& ctx);
void ReadBmp(Ctx& ctx);
void ReadTiff(Ctx& ctx);
void ReadJpeg(Ctx& ctx);
void ReadDicom(Ctx& ctx);
// Meshes and tables (load_bounds.cc): the memory their readers allocate,
// into ctx.result.load_bytes, and declared counts the file cannot hold.
void ReadStl(Ctx& ctx);
void ReadPly(Ctx& ctx);
void BoundObj(Ctx& ctx);
void BoundTable(Ctx& ctx, char field_delimiter);
// Adds bytes to ctx.result.load_bytes (saturating).
void AddLoad(Ctx& ctx, uint64_t bytes);
// Segmentation labelmaps (segmentation.cc): run after the image reader when
// SegmentationStorage reads the file; `nrrd` when the header is NRRD (its
// Segment<N>_* key/value pairs are read from ctx.file.prefix).
void CheckSegmentation(Ctx& ctx, bool nrrd);

}  // namespace mrmlguard::internal::data

#endif  // MRMLGUARD_LIB_DATA_DATA_INTERNAL_H_
