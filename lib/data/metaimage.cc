// SPDX-License-Identifier: BSD-3-Clause
// MetaImage (.mha, .mhd, .seq.mha), as ITK's MetaIO reads it:
// https://itk.org/Wiki/ITK/MetaIO/Documentation.

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
  SizeList size_list = ParseSizeList(dim_words, 0);
  if (!size_list.ok()) {
    ctx.AddLine(Rule::kDataHeaderRange, dim_line,
                "MetaImage DimSize " + Quote(dim_words[size_list.bad]) + " is negative or not a number");
    return;
  }
  std::vector<uint64_t> sizes = std::move(size_list.sizes);
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
