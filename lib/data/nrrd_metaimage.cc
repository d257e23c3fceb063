// SPDX-License-Identifier: BSD-3-Clause
// Text image headers: NRRD (.nrrd, .nhdr, .seg.nrrd, .seq.nrrd) and
// MetaImage (.mha, .mhd, .seq.mha).
//
// NRRD: http://teem.sourceforge.net/nrrd/format.html (NRRD0001..NRRD0005).
// MetaImage: https://itk.org/Wiki/ITK/MetaIO/Documentation (MetaIO, as ITK reads it).

#include <array>
#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

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

// Reports the end of a header that the prefix does not reach.
void HeaderNotTerminated(Ctx& ctx, std::string_view what) {
  if (ctx.file.prefix.size() >= ctx.limits().max_header_bytes) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_header_bytes", ctx.limits().max_header_bytes, {},
                          std::string("before the end of the ") + std::string(what) + " header");
  } else {
    ctx.Add(Rule::kDataHeaderIncomplete, ctx.file.prefix.size(),
            std::string("the ") + std::string(what) + " header does not end in the " +
                std::to_string(ctx.file.prefix.size()) + " bytes given");
  }
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
    if (in_list) {
      // After "data file: LIST", every line up to the end of the header names a file.
      if (line.empty()) {
        header_ended = true;
        break;
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
  std::vector<uint64_t> sizes;
  for (std::string_view w : size_words) {
    std::optional<int64_t> v = ParseInt(w);
    if (!v || *v < 1) {
      ctx.AddLine(Rule::kDataHeaderRange, sizes_line, "NRRD size " + Quote(w) + " is not a positive integer");
      return;
    }
    sizes.push_back(static_cast<uint64_t>(*v));
  }
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

namespace {

struct MetaType {
  std::string_view name;
  ComponentType type;
};
// MetaIO metaTypes.h: MET_LONG/MET_ULONG are 4 bytes on disk.
constexpr MetaType kMetaTypes[] = {
    {"MET_CHAR", ComponentType::kInt8},       {"MET_UCHAR", ComponentType::kUInt8},
    {"MET_SHORT", ComponentType::kInt16},     {"MET_USHORT", ComponentType::kUInt16},
    {"MET_INT", ComponentType::kInt32},       {"MET_UINT", ComponentType::kUInt32},
    {"MET_LONG", ComponentType::kInt32},      {"MET_ULONG", ComponentType::kUInt32},
    {"MET_LONG_LONG", ComponentType::kInt64}, {"MET_ULONG_LONG", ComponentType::kUInt64},
    {"MET_FLOAT", ComponentType::kFloat32},   {"MET_DOUBLE", ComponentType::kFloat64},
};

// A MetaIO boolean field: true when its first character is T, t or 1
// ("True", "true", "1", "Tomorrow"), false otherwise ("False", "yes", "").
bool MetaIoFlag(std::string_view value) {
  return !value.empty() && (value[0] == 'T' || value[0] == 't' || value[0] == '1');
}
}  // namespace

void ReadMetaImage(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  std::optional<uint64_t> ndims;
  std::vector<std::string_view> dim_words;
  uint32_t dim_line = 0;
  ComponentType type = ComponentType::kUnknown;
  bool have_type = false, compressed = false, binary = true, data_field = false, in_list = false;
  uint64_t channels = 1, list_count = 0;
  std::string_view data_file;
  uint32_t data_line = 0;
  uint64_t data_offset = 0;

  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view line = Trim(*raw);
    if (in_list) {
      if (line.empty()) continue;
      if (++list_count > ctx.limits().max_detached_files) {
        ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_detached_files", ctx.limits().max_detached_files,
                              {.line = lines.line()}, "by the MetaImage ElementDataFile LIST");
        return;
      }
      AddDetached(ctx, line, "MetaImage ElementDataFile", lines.line());
      continue;
    }
    if (line.empty()) continue;
    // MetaIO ends a field name at '=' or ':' (MET_Read); a ':' first would
    // give it another name than ours, so only '=' is taken.
    size_t eq = line.find_first_of("=:");
    if (eq == std::string_view::npos || line[eq] != '=') {
      ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(), "MetaImage line " + Quote(line) + " is not \"Key = Value\"");
      return;
    }
    std::string_view key = Trim(line.substr(0, eq));
    std::string_view value = Trim(line.substr(eq + 1));
    // ITK 5.2's MetaIO copies a field name, and the values of Comment, Name
    // and ObjectSubType, into 255-byte arrays with strcpy: a longer one
    // overflows them (MET_InitReadField, MetaObject::M_Read).
    if (key.size() >= 255) {
      ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                  "MetaImage field name of " + std::to_string(key.size()) + " bytes overflows MetaIO's 255-byte buffer");
      return;
    }
    if ((key == "Comment" || key == "Name" || key == "ObjectSubType") && line.size() - eq - 1 >= 255) {
      ctx.AddLine(Rule::kDataHeaderRange, lines.line(),
                  "MetaImage " + std::string(key) + " value of " + std::to_string(line.size() - eq - 1) +
                      " bytes overflows MetaIO's 255-byte buffer");
      return;
    }
    // MetaIO matches field names case-sensitively (MET_Read: strcmp), so
    // "ElementNumberOfCHannels" or "compresseddata" is a field ITK ignores.
    if (key == "NDims") {
      std::optional<int64_t> v = ParseInt(value);
      if (!v || *v < 1 || *v > 16) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "MetaImage NDims " + Quote(value) + " is outside 1..16");
        return;
      }
      // MetaIO reads DimSize with the NDims in force on its line, so a second,
      // different NDims leaves ITK other sizes than the last NDims implies.
      if (ndims && *ndims != static_cast<uint64_t>(*v)) {
        ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                    "MetaImage NDims " + Quote(value) + " redefines NDims " + std::to_string(*ndims));
        return;
      }
      ndims = static_cast<uint64_t>(*v);
    } else if (key == "DimSize") {
      dim_line = lines.line();
      dim_words = SplitWords(value, 17);
    } else if (key == "ElementType") {
      have_type = true;
      std::string_view base = value;
      if (EndsWith(base, "_ARRAY")) base.remove_suffix(6);
      for (const MetaType& t : kMetaTypes) type = t.name == base ? t.type : type;
      if (type == ComponentType::kUnknown) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "MetaImage ElementType " + Quote(value) + " is not known");
        return;
      }
    } else if (key == "ElementNumberOfChannels") {
      std::optional<int64_t> v = ParseInt(value);
      if (!v || *v < 1) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(),
                    "MetaImage ElementNumberOfChannels " + Quote(value) + " is not a positive integer");
        return;
      }
      channels = static_cast<uint64_t>(*v);
    } else if (key == "CompressedData") {
      // MetaObject::M_Read looks at the first character only: T, t or 1.
      compressed = MetaIoFlag(value);
    } else if (key == "BinaryData") {
      binary = MetaIoFlag(value);
    } else if (key == "ObjectType") {
      if (!EqualsIgnoreCase(value, "Image")) {
        ctx.AddLine(Rule::kDataMagicMismatch, lines.line(),
                    "MetaImage ObjectType " + Quote(value) + " is not an image");
        return;
      }
    } else if (key == "ElementDataFile") {
      // The last field (MetaIO): LOCAL data starts right after this line.
      data_field = true;
      data_line = lines.line();
      data_offset = lines.offset();
      std::vector<std::string_view> words = SplitWords(value, 6);
      // MetaImage::Read takes exactly these three spellings as LOCAL; any
      // other ("LoCaL") is a file name.
      if (value == "LOCAL" || value == "Local" || value == "local") {
        data_file = "LOCAL";
      } else if (!words.empty() && words[0] == "LIST") {
        data_file = "LIST";
        in_list = true;
        continue;
      } else if (words.size() >= 4 && value.find('%') != std::string_view::npos && ParseInt(words[1]) &&
                 ParseInt(words[2]) && ParseInt(words[3])) {
        data_file = words[0];
        ExpandPattern(ctx, words[0], *ParseInt(words[1]), *ParseInt(words[2]), *ParseInt(words[3]),
                      "MetaImage ElementDataFile", lines.line());
      } else {
        data_file = value;
        AddDetached(ctx, value, "MetaImage ElementDataFile", lines.line());
      }
      break;
    }
  }
  if (!data_field) {
    if (!ctx.whole()) {
      HeaderNotTerminated(ctx, "MetaImage");
    } else {
      ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "MetaImage header has no ElementDataFile field");
    }
    return;
  }
  if (!ndims || dim_words.empty() || !have_type) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "MetaImage header lacks NDims, DimSize or ElementType");
    return;
  }
  if (dim_words.size() != *ndims) {
    ctx.AddLine(Rule::kDataHeaderRange, dim_line,
                "MetaImage DimSize gives " + std::to_string(dim_words.size()) + " values for NDims " +
                    std::to_string(*ndims));
    return;
  }
  // Zero sizes are legal here: Slicer writes empty sequences as DimSize = 0 0 0.
  std::vector<uint64_t> sizes;
  for (std::string_view w : dim_words) {
    std::optional<int64_t> v = ParseInt(w);
    if (!v || *v < 0) {
      ctx.AddLine(Rule::kDataHeaderRange, dim_line, "MetaImage DimSize " + Quote(w) + " is negative or not a number");
      return;
    }
    sizes.push_back(static_cast<uint64_t>(*v));
  }
  std::optional<uint64_t> total = CheckedImageBytes(ctx, sizes, channels, ComponentBytes(type), "MetaImage");
  if (!total) return;
  if (data_file == "LOCAL" && binary && !compressed) {
    uint64_t end = 0;
    if (!CheckedAdd(data_offset, *total, &end) || end > ctx.file.total_size) {
      ctx.AddLine(Rule::kDataSizeMismatch, data_line,
                  "MetaImage declares " + std::to_string(*total) + " bytes of data after " +
                      std::to_string(data_offset) + " header bytes, but the file holds " +
                      std::to_string(ctx.file.total_size) + " bytes");
      return;
    }
  } else if (binary && !compressed && ctx.result.detached.size() == 1) {
    ctx.result.detached_raw_bytes = *total;
  } else if (compressed && data_file == "LOCAL") {
    ctx.result.compressed_payload_bytes = data_offset < ctx.file.total_size ? ctx.file.total_size - data_offset : 0;
  } else if (compressed && ctx.result.detached.size() == 1) {
    ctx.result.detached_compressed = true;
  }
  ImageInfo info;
  info.sizes = std::move(sizes);
  info.components = static_cast<uint32_t>(std::min<uint64_t>(channels, UINT32_MAX));
  info.component = type;
  info.total_bytes = *total;
  ctx.result.image = std::move(info);
}

}  // namespace mrmlguard::internal::data
