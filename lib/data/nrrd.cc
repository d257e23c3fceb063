// SPDX-License-Identifier: BSD-3-Clause
// NRRD (.nrrd, .nhdr, .seg.nrrd, .seq.nrrd), as Teem's NrrdIO inside ITK
// reads it: http://teem.sourceforge.net/nrrd/format.html (NRRD0001..NRRD0005).

#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"
#include "data/size_list.h"

namespace mrmlguard::internal::data {
namespace {

constexpr uint64_t kMaxDimension = 16;  // NRRD_DIM_MAX in Teem; we use the same bound everywhere

// NRRD "type:" spellings (format.html, "type"). "block" is valid NRRD but no
// ITK/Slicer reader handles it, so it is out of range here.
ComponentType NrrdType(std::string_view t) {
  struct Entry {
    std::string_view name;
    ComponentType type;
  };
  static constexpr Entry kTypes[] = {
      {"signed char", ComponentType::kInt8},        {"int8", ComponentType::kInt8},
      {"int8_t", ComponentType::kInt8},             {"uchar", ComponentType::kUInt8},
      {"unsigned char", ComponentType::kUInt8},     {"uint8", ComponentType::kUInt8},
      {"uint8_t", ComponentType::kUInt8},           {"short", ComponentType::kInt16},
      {"short int", ComponentType::kInt16},         {"signed short", ComponentType::kInt16},
      {"signed short int", ComponentType::kInt16},  {"int16", ComponentType::kInt16},
      {"int16_t", ComponentType::kInt16},           {"ushort", ComponentType::kUInt16},
      {"unsigned short", ComponentType::kUInt16},   {"unsigned short int", ComponentType::kUInt16},
      {"uint16", ComponentType::kUInt16},           {"uint16_t", ComponentType::kUInt16},
      {"int", ComponentType::kInt32},               {"signed int", ComponentType::kInt32},
      {"int32", ComponentType::kInt32},             {"int32_t", ComponentType::kInt32},
      {"uint", ComponentType::kUInt32},             {"unsigned int", ComponentType::kUInt32},
      {"uint32", ComponentType::kUInt32},           {"uint32_t", ComponentType::kUInt32},
      {"longlong", ComponentType::kInt64},          {"long long", ComponentType::kInt64},
      {"long long int", ComponentType::kInt64},     {"signed long long", ComponentType::kInt64},
      {"signed long long int", ComponentType::kInt64}, {"int64", ComponentType::kInt64},
      {"int64_t", ComponentType::kInt64},           {"ulonglong", ComponentType::kUInt64},
      {"unsigned long long", ComponentType::kUInt64}, {"unsigned long long int", ComponentType::kUInt64},
      {"uint64", ComponentType::kUInt64},           {"uint64_t", ComponentType::kUInt64},
      {"float", ComponentType::kFloat32},           {"double", ComponentType::kFloat64},
  };
  for (const Entry& e : kTypes) {
    if (e.name == t) return e.type;
  }
  return ComponentType::kUnknown;
}

// Field names NRRD0005 defines (format.html "Field specifications"), with the
// old spellings Teem still accepts.
bool KnownNrrdField(std::string_view f) {
  static constexpr std::string_view kFields[] = {
      "dimension", "type", "sizes", "encoding", "endian", "content", "block size", "blocksize", "min", "max",
      "old min", "oldmin", "old max", "oldmax", "data file", "datafile", "line skip", "lineskip", "byte skip",
      "byteskip", "number", "sample units", "sampleunits", "spacings", "thicknesses", "axis mins", "axismins",
      "axis maxs", "axismaxs", "centers", "centerings", "labels", "units", "kinds", "space", "space dimension",
      "space units", "space origin", "space directions", "measurement frame"};
  for (std::string_view k : kFields) {
    if (k == f) return true;
  }
  return false;
}

// Axis kinds (format.html "kinds"); "domain", "space", "time" and unknown
// kinds are domain axes (Teem nrrdDomainAxesGet), the others range axes.
enum class KindClass { kDomain, kRange, kInvalid };
KindClass NrrdKind(std::string_view k) {
  static constexpr std::string_view kDomainKinds[] = {"domain", "space", "time", "???", "none"};
  static constexpr std::string_view kRangeKinds[] = {
      "list", "point", "vector", "covariant-vector", "normal", "stub", "scalar", "complex", "2-vector",
      "3-color", "RGB-color", "HSV-color", "XYZ-color", "4-color", "RGBA-color", "3-vector", "3-gradient",
      "3-normal", "4-vector", "quaternion", "2D-symmetric-matrix", "2D-masked-symmetric-matrix", "2D-matrix",
      "2D-masked-matrix", "3D-symmetric-matrix", "3D-masked-symmetric-matrix", "3D-matrix", "3D-masked-matrix"};
  for (std::string_view d : kDomainKinds) {
    if (EqualsIgnoreCase(d, k)) return KindClass::kDomain;
  }
  for (std::string_view r : kRangeKinds) {
    if (EqualsIgnoreCase(r, k)) return KindClass::kRange;
  }
  return KindClass::kInvalid;
}

}  // namespace

void ReadNrrd(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  std::optional<std::string_view> magic = lines.Next();
  // "NRRD000" followed by the format version digit (format.html "magic").
  if (!magic || magic->size() != 8 || !StartsWith(*magic, "NRRD000") || (*magic)[7] < '1' || (*magic)[7] > '9') {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "NRRD magic line " + Quote(magic.value_or("")) + " is not NRRD000x");
    return;
  }
  std::optional<uint64_t> dimension;
  ComponentType type = ComponentType::kUnknown;
  bool have_type = false, have_sizes = false, have_encoding = false, have_endian = false;
  std::vector<std::string_view> size_words, kind_words;
  uint32_t sizes_line = 0, kinds_line = 0;
  std::string encoding;
  int64_t byte_skip = 0, line_skip = 0;
  bool data_file = false, header_ended = false, in_list = false;
  uint64_t list_count = 0;
  std::string space;
  uint64_t space_dimension = 0;
  bool malformed = false;

  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view line = *raw;
    if (line.find('\r') != std::string_view::npos) {
      // Teem reads the header with airOneLine (NrrdIO miscAir.c), which ends
      // a line at a carriage return as at a line feed: "# x\rdata file: y"
      // is a comment here and a data file field there.
      ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                  "NRRD header line " + Quote(line) +
                      " holds a carriage return before its end: Teem ends a line there and reads another header");
      return;
    }
    if (in_list) {
      // After "data file: LIST", Teem reads every line to the end of the
      // file as a name (_nrrdReadNrrdParse_data_file, NrrdIO parseNrrd.c):
      // an empty line is an empty name, and the lines after it more names.
      if (line.empty()) {
        ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                    "NRRD data file LIST holds an empty line: Teem reads it, and every line after it to the end of "
                    "the file, as data file names");
        return;
      }
      if (++list_count > ctx.limits().max_detached_files) {
        ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_detached_files", ctx.limits().max_detached_files,
                              {.line = lines.line()}, "by the NRRD data file LIST");
        return;
      }
      if (!lines.terminated() && ctx.whole()) {
        // Teem does not count a last name without '\n' (ITK reads another
        // list than ours), and ITK 5.2's NrrdIO, failing on that list,
        // formats the unterminated line buffer into its error message (heap
        // over-read under ASan with names of 16-33 bytes).
        ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                    "NRRD data file LIST name " + Quote(line) + " ends the file without a line end");
        return;
      }
      AddDetached(ctx, line, "NRRD data file", lines.line());
      continue;
    }
    if (line.empty()) {
      header_ended = true;  // the blank line ends the header (format.html "header")
      break;
    }
    if (line.front() == '#') continue;
    size_t kv = line.find(":=");
    size_t colon = line.find(": ");
    if (kv != std::string_view::npos && (colon == std::string_view::npos || kv < colon)) continue;  // key/value pair
    if (colon == std::string_view::npos) {
      ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(), "NRRD header line " + Quote(line) + " is not \"field: value\"");
      malformed = true;
      continue;
    }
    std::string_view field = line.substr(0, colon);
    std::string_view value = Trim(line.substr(colon + 2));
    if (!KnownNrrdField(field)) {
      ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(), "NRRD field " + Quote(field) + " is not defined by the format");
      malformed = true;
      continue;
    }
    if (field == "dimension") {
      std::optional<int64_t> d = ParseInt(value);
      if (!d || *d < 1 || static_cast<uint64_t>(*d) > kMaxDimension) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(),
                    "NRRD dimension " + Quote(value) + " is outside 1.." + std::to_string(kMaxDimension));
        return;
      }
      dimension = static_cast<uint64_t>(*d);
    } else if (field == "type") {
      have_type = true;
      type = NrrdType(value);
      if (type == ComponentType::kUnknown) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "NRRD type " + Quote(value) + " is not a type ITK reads");
        return;
      }
    } else if (field == "sizes") {
      have_sizes = true;
      sizes_line = lines.line();
      size_t dropped = 0;
      size_words = SplitWords(value, kMaxDimension + 1, &dropped);
    } else if (field == "kinds") {
      kinds_line = lines.line();
      kind_words = SplitWords(value, kMaxDimension + 1);
    } else if (field == "encoding") {
      have_encoding = true;
      encoding = Lower(value);
      static constexpr std::string_view kEncodings[] = {"raw", "txt", "text", "ascii", "hex", "gz", "gzip",
                                                        "bz2", "bzip2"};
      bool known = false;
      for (std::string_view e : kEncodings) known = known || e == encoding;
      if (!known) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "NRRD encoding " + Quote(value) + " is not known");
        return;
      }
    } else if (field == "endian") {
      have_endian = true;
      if (value != "little" && value != "big") {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "NRRD endian " + Quote(value) + " is not little or big");
        return;
      }
    } else if (field == "byte skip" || field == "byteskip" || field == "line skip" || field == "lineskip") {
      bool bytes = field[0] == 'b';
      std::optional<int64_t> v = ParseInt(value);
      // byte skip -1 means "the data is the last bytes of the file" (raw only);
      // any other negative value is meaningless.
      if (!v || *v < (bytes ? -1 : 0)) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(),
                    "NRRD " + std::string(field) + " " + Quote(value) + " is out of range");
        return;
      }
      (bytes ? byte_skip : line_skip) = *v;
    } else if (field == "space") {
      space = Lower(value);
      static constexpr std::string_view k3[] = {"right-anterior-superior", "ras", "left-anterior-superior", "las",
                                                "left-posterior-superior", "lps", "scanner-xyz", "3d-right-handed",
                                                "3d-left-handed"};
      static constexpr std::string_view k4[] = {"right-anterior-superior-time", "rast", "left-anterior-superior-time",
                                                "last", "left-posterior-superior-time", "lpst", "scanner-xyz-time",
                                                "3d-right-handed-time", "3d-left-handed-time"};
      for (std::string_view s : k3) space_dimension = s == space ? 3 : space_dimension;
      for (std::string_view s : k4) space_dimension = s == space ? 4 : space_dimension;
      if (space_dimension == 0) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "NRRD space " + Quote(value) + " is not known");
        return;
      }
    } else if (field == "space dimension") {
      std::optional<int64_t> v = ParseInt(value);
      if (!v || *v < 1 || static_cast<uint64_t>(*v) > kMaxDimension) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "NRRD space dimension " + Quote(value) + " is out of range");
        return;
      }
      space_dimension = static_cast<uint64_t>(*v);
    } else if (field == "data file" || field == "datafile") {
      data_file = true;
      std::vector<std::string_view> words = SplitWords(value, 6);
      if (!words.empty() && words[0] == "LIST") {
        // "data file: LIST [<subdim>]": the file names follow, one a line.
        in_list = true;
      } else if (words.size() >= 4 && value.find('%') != std::string_view::npos && ParseInt(words[1]) &&
                 ParseInt(words[2]) && ParseInt(words[3])) {
        // "data file: <format> <min> <max> <step> [<subdim>]": Teem passes the
        // format to sprintf with one int, so it must be a safe format.
        ExpandPattern(ctx, words[0], *ParseInt(words[1]), *ParseInt(words[2]), *ParseInt(words[3]),
                      "NRRD data file", lines.line());
      } else {
        AddDetached(ctx, value, "NRRD data file", lines.line());
      }
    }
  }
  if (in_list && list_count == 0) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "NRRD data file LIST names no file");
    return;
  }
  // A detached header may end at the end of the file; an attached one needs
  // the blank line before its data.
  if (!header_ended && !(data_file && ctx.whole())) {
    if (!ctx.whole()) {
      HeaderNotTerminated(ctx, "NRRD");
    } else {
      ctx.Add(Rule::kDataHeaderMalformed, ctx.file.prefix.size(), "NRRD header has no blank line before its data");
    }
    return;
  }
  if (malformed) return;
  if (!dimension || !have_type || !have_sizes || !have_encoding) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt,
            "NRRD header lacks a required field (dimension, type, sizes, encoding)");
    return;
  }
  if (size_words.size() != *dimension) {
    ctx.AddLine(Rule::kDataHeaderRange, sizes_line,
                "NRRD sizes gives " + std::to_string(size_words.size()) + " values for dimension " +
                    std::to_string(*dimension));
    return;
  }
  SizeList size_list = ParseSizeList(size_words, 1);
  if (!size_list.ok()) {
    ctx.AddLine(Rule::kDataHeaderRange, sizes_line,
                "NRRD size " + Quote(size_words[size_list.bad]) + " is not a positive integer");
    return;
  }
  std::vector<uint64_t> sizes = std::move(size_list.sizes);
  uint32_t bytes = ComponentBytes(type);
  bool binary = encoding == "raw" || encoding == "gz" || encoding == "gzip" || encoding == "bz2" || encoding == "bzip2";
  if (binary && bytes > 1 && !have_endian) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "NRRD header of a multi-byte type lacks the endian field");
    return;
  }
  if (byte_skip == -1 && encoding != "raw") {
    ctx.Add(Rule::kDataHeaderRange, std::nullopt, "NRRD byte skip -1 is only defined for raw encoding");
    return;
  }
  // ITK's view (itkNrrdImageIO ReadImageInformation): at most one range axis,
  // which becomes the pixel's components; the domain axes are the image.
  std::vector<uint64_t> domain;
  uint64_t components = 1;
  size_t range_axes = 0;
  if (!kind_words.empty() && kind_words.size() != sizes.size()) {
    ctx.AddLine(Rule::kDataHeaderRange, kinds_line,
                "NRRD kinds gives " + std::to_string(kind_words.size()) + " values for dimension " +
                    std::to_string(sizes.size()));
    return;
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    KindClass k = i < kind_words.size() ? NrrdKind(kind_words[i]) : KindClass::kDomain;
    if (k == KindClass::kInvalid) {
      ctx.AddLine(Rule::kDataHeaderMalformed, kinds_line, "NRRD kind " + Quote(kind_words[i]) + " is not known");
      return;
    }
    if (k == KindClass::kDomain) {
      domain.push_back(sizes[i]);
    } else {
      ++range_axes;
      // 3D-masked-symmetric-matrix: 7 values on disk, the mask is dropped (6 components).
      components = EqualsIgnoreCase(kind_words[i], "3D-masked-symmetric-matrix") && sizes[i] == 7 ? 6 : sizes[i];
    }
  }
  std::optional<uint64_t> total = CheckedImageBytes(ctx, sizes, 1, bytes, "NRRD");
  if (!total) return;
  if (!data_file) {
    // Attached data: header + byte skip + the least the encoding needs must
    // fit in the file (with byte skip -1 the payload is the last bytes).
    // raw: every byte; hex: two characters a byte; text: at least one
    // character a value; gzip/bzip2: at least one byte (the ratio is the ZIP
    // layer's business).
    uint64_t elements = *total / bytes;
    uint64_t need = 1;
    if (encoding == "raw") {
      need = *total;
    } else if (encoding == "hex") {
      if (!CheckedMul(*total, static_cast<uint64_t>(2), &need)) need = UINT64_MAX;
    } else if (encoding == "txt" || encoding == "text" || encoding == "ascii") {
      need = elements;
    }
    uint64_t start = lines.offset();
    uint64_t skip = byte_skip > 0 ? static_cast<uint64_t>(byte_skip) : 0;
    uint64_t end = 0;
    if (!CheckedAdd(start, skip, &end) || !CheckedAdd(end, need, &end) || end > ctx.file.total_size) {
      ctx.Add(Rule::kDataSizeMismatch, start,
              "NRRD declares " + std::to_string(*total) + " bytes of " + encoding + " data (" + std::to_string(need) +
                  " bytes at least) after " + std::to_string(start) + " header bytes and a byte skip of " +
                  std::to_string(skip) + ", but the file holds " + std::to_string(ctx.file.total_size) + " bytes");
      return;
    }
    if (binary && encoding != "raw") {
      ctx.result.compressed_payload_bytes = ctx.file.total_size - (start + skip);  // end <= total_size above
    }
  }
  if (data_file && binary && encoding != "raw" && ctx.result.detached.size() == 1) {
    ctx.result.detached_compressed = true;
  }
  if (data_file && encoding == "raw" && ctx.result.detached.size() == 1 && byte_skip >= 0) {
    uint64_t declared = 0;
    if (CheckedAdd(*total, static_cast<uint64_t>(byte_skip), &declared)) ctx.result.detached_raw_bytes = declared;
  }
  (void)line_skip;
  if (range_axes > 1) {
    ctx.Add(Rule::kDataHeaderRange, std::nullopt,
            "NRRD has " + std::to_string(range_axes) + " non-spatial axes; ITK reads at most one");
    return;
  }
  if (space_dimension != 0 && space_dimension != domain.size()) {
    ctx.Add(Rule::kDataHeaderRange, std::nullopt,
            "NRRD space has " + std::to_string(space_dimension) + " dimensions but the image has " +
                std::to_string(domain.size()) + " spatial axes");
    return;
  }
  if (domain.empty()) {
    ctx.Add(Rule::kDataHeaderRange, std::nullopt, "NRRD has no spatial axis");
    return;
  }
  ImageInfo info;
  info.sizes = std::move(domain);
  info.components = static_cast<uint32_t>(std::min<uint64_t>(components, UINT32_MAX));
  info.component = type;
  info.total_bytes = *total;
  ctx.result.image = std::move(info);
}

}  // namespace mrmlguard::internal::data
