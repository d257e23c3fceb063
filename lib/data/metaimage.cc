// SPDX-License-Identifier: BSD-3-Clause
// MetaImage (.mha, .mhd, .seq.mha), as ITK's MetaIO reads it:
// https://itk.org/Wiki/ITK/MetaIO/Documentation.

#include <cstdint>
#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"
#include "data/size_list.h"

namespace mrmlguard::internal::data {
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

// What the header has said so far.
struct MetaHeader {
  std::optional<uint64_t> ndims;
  std::vector<std::string_view> dim_words;
  uint32_t dim_line = 0;
  ComponentType type = ComponentType::kUnknown;
  bool have_type = false, compressed = false, binary = true, data_field = false, in_list = false;
  uint64_t channels = 1, list_count = 0;
  std::string_view data_file;
  uint32_t data_line = 0;
  uint64_t data_offset = 0;
};

// What the header loop does after a line.
enum class Field {
  kOn,    // read the next line
  kEnd,   // ElementDataFile was read: the header is over
  kStop,  // stop reading the file (a finding or a limit said why)
};

// One file name of an ElementDataFile LIST. False when the list is past
// max_detached_files.
bool ReadListEntry(Ctx& ctx, const LineReader& lines, std::string_view line, MetaHeader& h) {
  if (line.empty()) return true;
  if (++h.list_count > ctx.limits().max_detached_files) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_detached_files", ctx.limits().max_detached_files,
                          {.line = lines.line()}, "by the MetaImage ElementDataFile LIST");
    return false;
  }
  AddDetached(ctx, line, "MetaImage ElementDataFile", lines.line());
  return true;
}

// ElementDataFile: the last field (MetaIO); LOCAL data starts right after
// this line. kOn when a LIST follows, kEnd otherwise.
Field ReadElementDataFile(Ctx& ctx, const LineReader& lines, std::string_view value, MetaHeader& h) {
  h.data_field = true;
  h.data_line = lines.line();
  h.data_offset = lines.offset();
  std::vector<std::string_view> words = SplitWords(value, 6);
  // MetaImage::Read takes exactly these three spellings as LOCAL; any
  // other ("LoCaL") is a file name.
  if (value == "LOCAL" || value == "Local" || value == "local") {
    h.data_file = "LOCAL";
  } else if (!words.empty() && words[0] == "LIST") {
    h.data_file = "LIST";
    h.in_list = true;
    return Field::kOn;
  } else if (words.size() >= 4 && value.find('%') != std::string_view::npos && ParseInt(words[1]) &&
             ParseInt(words[2]) && ParseInt(words[3])) {
    h.data_file = words[0];
    ExpandPattern(ctx, words[0], *ParseInt(words[1]), *ParseInt(words[2]), *ParseInt(words[3]),
                  "MetaImage ElementDataFile", lines.line());
  } else {
    h.data_file = value;
    AddDetached(ctx, value, "MetaImage ElementDataFile", lines.line());
  }
  return Field::kEnd;
}

// The image fields before ElementDataFile. False (after the finding) when
// one is out of range. MetaIO matches field names case-sensitively
// (MET_Read: strcmp), so "ElementNumberOfCHannels" or "compresseddata" is a
// field ITK ignores, and so do we.
bool ReadImageField(Ctx& ctx, const LineReader& lines, std::string_view key, std::string_view value, MetaHeader& h) {
  if (key == "NDims") {
    std::optional<int64_t> v = ParseInt(value);
    if (!v || *v < 1 || *v > 16) {
      ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "MetaImage NDims " + Quote(value) + " is outside 1..16");
      return false;
    }
    // MetaIO reads DimSize with the NDims in force on its line, so a second,
    // different NDims leaves ITK other sizes than the last NDims implies.
    if (h.ndims && *h.ndims != static_cast<uint64_t>(*v)) {
      ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                  "MetaImage NDims " + Quote(value) + " redefines NDims " + std::to_string(*h.ndims));
      return false;
    }
    h.ndims = static_cast<uint64_t>(*v);
  } else if (key == "DimSize") {
    h.dim_line = lines.line();
    h.dim_words = SplitWords(value, 17);
  } else if (key == "ElementType") {
    h.have_type = true;
    std::string_view base = value;
    if (EndsWith(base, "_ARRAY")) base.remove_suffix(6);
    for (const MetaType& t : kMetaTypes) h.type = t.name == base ? t.type : h.type;
    if (h.type == ComponentType::kUnknown) {
      ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "MetaImage ElementType " + Quote(value) + " is not known");
      return false;
    }
  } else if (key == "ElementNumberOfChannels") {
    std::optional<int64_t> v = ParseInt(value);
    if (!v || *v < 1 || *v > INT32_MAX) {  // MetaIO keeps it in an int, as DimSize
      ctx.AddLine(Rule::kDataHeaderRange, lines.line(),
                  "MetaImage ElementNumberOfChannels " + Quote(value) + " is not a positive int");
      return false;
    }
    h.channels = static_cast<uint64_t>(*v);
  } else if (key == "CompressedData") {
    // MetaObject::M_Read looks at the first character only: T, t or 1.
    h.compressed = MetaIoFlag(value);
  } else if (key == "BinaryData") {
    h.binary = MetaIoFlag(value);
  } else if (key == "ObjectType") {
    if (!EqualsIgnoreCase(value, "Image")) {
      ctx.AddLine(Rule::kDataMagicMismatch, lines.line(), "MetaImage ObjectType " + Quote(value) + " is not an image");
      return false;
    }
  }
  return true;
}

// One "Key = Value" line of the header.
Field ReadField(Ctx& ctx, const LineReader& lines, std::string_view line, MetaHeader& h) {
  // MetaIO ends a field name at '=' or ':' (MET_Read); a ':' first would
  // give it another name than ours, so only '=' is taken.
  size_t eq = line.find_first_of("=:");
  if (eq == std::string_view::npos || line[eq] != '=') {
    ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(), "MetaImage line " + Quote(line) + " is not \"Key = Value\"");
    return Field::kStop;
  }
  std::string_view key = Trim(line.substr(0, eq));
  std::string_view value = Trim(line.substr(eq + 1));
  // ITK 5.2's MetaIO copies a field name, and the values of Comment, Name
  // and ObjectSubType, into 255-byte arrays with strcpy: a longer one
  // overflows them (MET_InitReadField, MetaObject::M_Read).
  if (key.size() >= 255) {
    ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                "MetaImage field name of " + std::to_string(key.size()) + " bytes overflows MetaIO's 255-byte buffer");
    return Field::kStop;
  }
  if ((key == "Comment" || key == "Name" || key == "ObjectSubType") && line.size() - eq - 1 >= 255) {
    ctx.AddLine(Rule::kDataHeaderRange, lines.line(),
                "MetaImage " + std::string(key) + " value of " + std::to_string(line.size() - eq - 1) +
                    " bytes overflows MetaIO's 255-byte buffer");
    return Field::kStop;
  }
  if (key == "ElementDataFile") return ReadElementDataFile(ctx, lines, value, h);
  return ReadImageField(ctx, lines, key, value, h) ? Field::kOn : Field::kStop;
}

// After the header: ElementDataFile, NDims, DimSize and ElementType are
// there, and DimSize has NDims values. False (after the finding) otherwise.
bool CheckRequiredFields(Ctx& ctx, const MetaHeader& h) {
  if (!h.data_field) {
    if (!ctx.whole()) {
      HeaderNotTerminated(ctx, "MetaImage");
    } else {
      ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "MetaImage header has no ElementDataFile field");
    }
    return false;
  }
  if (!h.ndims || h.dim_words.empty() || !h.have_type) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "MetaImage header lacks NDims, DimSize or ElementType");
    return false;
  }
  if (h.dim_words.size() != *h.ndims) {
    ctx.AddLine(Rule::kDataHeaderRange, h.dim_line,
                "MetaImage DimSize gives " + std::to_string(h.dim_words.size()) + " values for NDims " +
                    std::to_string(*h.ndims));
    return false;
  }
  return true;
}

// Where the `total` bytes of the image are: LOCAL raw data must fit in the
// file (false, after the finding, when it does not); one detached raw or
// compressed file, or a LOCAL compressed payload, is noted for the pipeline.
bool RecordPayload(Ctx& ctx, const MetaHeader& h, uint64_t total) {
  if (h.data_file == "LOCAL" && h.binary && !h.compressed) {
    uint64_t end = 0;
    if (!CheckedAdd(h.data_offset, total, &end) || end > ctx.file.total_size) {
      ctx.AddLine(Rule::kDataSizeMismatch, h.data_line,
                  "MetaImage declares " + std::to_string(total) + " bytes of data after " +
                      std::to_string(h.data_offset) + " header bytes, but the file holds " +
                      std::to_string(ctx.file.total_size) + " bytes");
      return false;
    }
  } else if (h.binary && !h.compressed && ctx.result.detached.size() == 1) {
    ctx.result.detached_raw_bytes = total;
  } else if (h.compressed && h.data_file == "LOCAL") {
    ctx.result.compressed_payload_bytes =
        h.data_offset < ctx.file.total_size ? ctx.file.total_size - h.data_offset : 0;
  } else if (h.compressed && ctx.result.detached.size() == 1) {
    ctx.result.detached_compressed = true;
  }
  return true;
}

}  // namespace

void ReadMetaImage(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  MetaHeader h;
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view line = Trim(*raw);
    if (h.in_list) {
      if (!ReadListEntry(ctx, lines, line, h)) return;
      continue;
    }
    if (line.empty()) continue;
    const Field field = ReadField(ctx, lines, line, h);
    if (field == Field::kStop) return;
    if (field == Field::kEnd) break;
  }
  if (!CheckRequiredFields(ctx, h)) return;
  // Zero sizes are legal here: Slicer writes empty sequences as DimSize = 0 0 0.
  SizeList size_list = ParseSizeList(h.dim_words, 0);
  if (!size_list.ok()) {
    ctx.AddLine(Rule::kDataHeaderRange, h.dim_line,
                "MetaImage DimSize " + Quote(h.dim_words[size_list.bad]) + " is negative or not a number");
    return;
  }
  std::vector<uint64_t> sizes = std::move(size_list.sizes);
  // MetaIO keeps DimSize in an int (MetaImage::m_DimSize, metaImage.h),
  // cast from the double it read: a larger size becomes another number
  // there, even when a zero size makes the image empty here.
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] > static_cast<uint64_t>(INT32_MAX)) {
      ctx.AddLine(Rule::kDataHeaderRange, h.dim_line,
                  "MetaImage DimSize " + Quote(h.dim_words[i]) + " is larger than MetaIO's int holds (2147483647)");
      return;
    }
  }
  std::optional<uint64_t> total = CheckedImageBytes(ctx, sizes, h.channels, ComponentBytes(h.type), "MetaImage");
  if (!total) return;
  if (!RecordPayload(ctx, h, *total)) return;
  ImageInfo info;
  info.sizes = std::move(sizes);
  info.components = static_cast<uint32_t>(std::min<uint64_t>(h.channels, UINT32_MAX));
  info.component = h.type;
  info.total_bytes = *total;
  ctx.result.image = std::move(info);
}

}  // namespace mrmlguard::internal::data
