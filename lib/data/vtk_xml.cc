// SPDX-License-Identifier: BSD-3-Clause
// The root of the VTK XML formats (.vtp .vtu .vti .vts .vtr .vtm): "VTK XML
// formats": <VTKFile type=... version=... byte_order=... header_type=...
// compressor=...>; vtkMultiBlockDataSet files list children as
// <DataSet ... file="..."/>. This is a bounded scan, not an XML parser: it
// reads the start tags it needs and refuses DOCTYPE and entity declarations
// outright.

#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {
namespace {

// A start tag found by the scan: its name and raw attribute text.
struct Tag {
  std::string_view name;
  std::string_view attributes;
  uint64_t offset = 0;
};

// Decodes the XML predefined entities and ASCII character references of an
// attribute value; other references make it nullopt.
std::optional<std::string> DecodeAttribute(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '&') {
      out += v[i];
      continue;
    }
    size_t semi = v.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) return std::nullopt;
    std::string_view ref = v.substr(i + 1, semi - i - 1);
    if (ref == "amp") out += '&';
    else if (ref == "lt") out += '<';
    else if (ref == "gt") out += '>';
    else if (ref == "quot") out += '"';
    else if (ref == "apos") out += '\'';
    else if (ref.size() > 1 && ref[0] == '#') {
      uint64_t code = 0;
      bool hex = ref[1] == 'x';
      for (char c : ref.substr(hex ? 2 : 1)) {
        int digit = (c >= '0' && c <= '9') ? c - '0' : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10
                                                       : (hex && c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (digit < 0 || code > 0x10ffff) return std::nullopt;
        code = code * (hex ? 16 : 10) + static_cast<uint64_t>(digit);
      }
      if (code == 0 || code > 0x7f) return std::nullopt;
      out += static_cast<char>(code);
    } else {
      return std::nullopt;
    }
    i = semi;
  }
  return out;
}

// Returns the value of attribute `name` in the raw attribute text.
std::optional<std::string_view> Attribute(std::string_view attrs, std::string_view name) {
  size_t i = 0;
  while (i < attrs.size()) {
    while (i < attrs.size() && (attrs[i] == ' ' || attrs[i] == '\t' || attrs[i] == '\n' || attrs[i] == '\r')) ++i;
    size_t start = i;
    while (i < attrs.size() && attrs[i] != '=' && attrs[i] != ' ' && attrs[i] != '\t' && attrs[i] != '\n' &&
           attrs[i] != '\r' && attrs[i] != '/') {
      ++i;
    }
    std::string_view key = attrs.substr(start, i - start);
    while (i < attrs.size() && (attrs[i] == ' ' || attrs[i] == '\t' || attrs[i] == '\n' || attrs[i] == '\r')) ++i;
    if (i >= attrs.size() || attrs[i] != '=') {
      if (i < attrs.size()) ++i;
      continue;
    }
    ++i;
    while (i < attrs.size() && (attrs[i] == ' ' || attrs[i] == '\t' || attrs[i] == '\n' || attrs[i] == '\r')) ++i;
    if (i >= attrs.size() || (attrs[i] != '"' && attrs[i] != '\'')) return std::nullopt;
    char quote = attrs[i++];
    size_t end = attrs.find(quote, i);
    if (end == std::string_view::npos) return std::nullopt;
    if (key == name) return attrs.substr(i, end - i);
    i = end + 1;
  }
  return std::nullopt;
}

// Scans the text for start tags. Comments, processing instructions and
// CDATA are skipped; DOCTYPE and other declarations stop the scan.
class TagScanner {
 public:
  explicit TagScanner(std::string_view text) : text_(text) {}
  // Next start tag, nullopt at the end; *declaration is set when a <!DOCTYPE
  // or <!ENTITY stopped the scan, *cut when a tag runs past the text.
  std::optional<Tag> Next(bool* declaration, bool* cut) {
    while (true) {
      size_t lt = text_.find('<', pos_);
      if (lt == std::string_view::npos) return std::nullopt;
      std::string_view rest = text_.substr(lt);
      if (StartsWith(rest, "<!--")) {
        size_t end = text_.find("-->", lt + 4);
        if (end == std::string_view::npos) return Cut(cut);
        pos_ = end + 3;
        continue;
      }
      if (StartsWith(rest, "<![CDATA[")) {
        size_t end = text_.find("]]>", lt + 9);
        if (end == std::string_view::npos) return Cut(cut);
        pos_ = end + 3;
        continue;
      }
      if (StartsWith(rest, "<!")) {
        *declaration = true;
        pos_ = text_.size();
        return std::nullopt;
      }
      if (StartsWith(rest, "<?") || StartsWith(rest, "</")) {
        size_t end = text_.find('>', lt);
        if (end == std::string_view::npos) return Cut(cut);
        pos_ = end + 1;
        continue;
      }
      // A start tag: name, then attributes up to '>' (quotes may hold '>').
      size_t i = lt + 1;
      while (i < text_.size() && text_[i] != ' ' && text_[i] != '>' && text_[i] != '/' && text_[i] != '\t' &&
             text_[i] != '\n' && text_[i] != '\r') {
        ++i;
      }
      Tag tag{.name = text_.substr(lt + 1, i - lt - 1), .offset = lt};
      char quote = 0;
      size_t attr_start = i;
      for (; i < text_.size(); ++i) {
        char c = text_[i];
        if (quote) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      if (i >= text_.size()) return Cut(cut);
      tag.attributes = text_.substr(attr_start, i - attr_start);
      pos_ = i + 1;
      return tag;
    }
  }

 private:
  std::optional<Tag> Cut(bool* cut) {
    *cut = true;
    pos_ = text_.size();
    return std::nullopt;
  }
  std::string_view text_;
  size_t pos_ = 0;
};

// The root must be <VTKFile>, with no declaration before it. False (after
// the finding) when it is not.
bool CheckRoot(Ctx& ctx, const std::optional<Tag>& root, bool declaration, bool cut) {
  if (declaration) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "VTK XML file has a DOCTYPE or entity declaration (refused)");
    return false;
  }
  if (!root || root->name != "VTKFile") {
    if (cut && !ctx.whole()) {
      ctx.Add(Rule::kDataHeaderIncomplete, 0, "VTK XML root element does not end in the bytes given");
    } else {
      ctx.Add(Rule::kDataHeaderMalformed, root ? std::optional<uint64_t>(root->offset) : std::nullopt,
              "VTK XML root element is not <VTKFile>");
    }
    return false;
  }
  return true;
}

// byte_order, header_type and compressor of <VTKFile>: values VTK knows.
void CheckRootAttributes(Ctx& ctx, const Tag& root) {
  std::string_view byte_order = Attribute(root.attributes, "byte_order").value_or("LittleEndian");
  std::string_view header_type = Attribute(root.attributes, "header_type").value_or("UInt32");
  std::string_view compressor = Attribute(root.attributes, "compressor").value_or("");
  if (byte_order != "LittleEndian" && byte_order != "BigEndian") {
    ctx.Add(Rule::kDataHeaderRange, root.offset, "VTK XML byte_order " + Quote(byte_order) + " is not known");
  }
  if (header_type != "UInt32" && header_type != "UInt64") {
    ctx.Add(Rule::kDataHeaderRange, root.offset, "VTK XML header_type " + Quote(header_type) + " is not known");
  }
  if (!compressor.empty() && compressor != "vtkZLibDataCompressor" && compressor != "vtkLZ4DataCompressor" &&
      compressor != "vtkLZMADataCompressor") {
    ctx.Add(Rule::kDataHeaderRange, root.offset, "VTK XML compressor " + Quote(compressor) + " is not known");
  }
}

// The extension decides which VTK reader Slicer uses; it must match the type.
void CheckTypeMatchesExtension(Ctx& ctx, const Tag& root, std::string_view type) {
  struct Pair {
    std::string_view ext, type;
  };
  static constexpr Pair kPairs[] = {{".vtp", "PolyData"},         {".vtu", "UnstructuredGrid"},
                                    {".vti", "ImageData"},        {".vts", "StructuredGrid"},
                                    {".vtr", "RectilinearGrid"},  {".vtm", "vtkMultiBlockDataSet"},
                                    {".seg.vtm", "vtkMultiBlockDataSet"}};
  std::string ext = ExtensionOf(ctx.file.name);
  for (const Pair& p : kPairs) {
    if (p.ext == ext && p.type != type) {
      ctx.Add(Rule::kDataMagicMismatch, root.offset,
              "a " + ext + " file whose VTKFile type is " + Quote(type) + ", not " + std::string(p.type));
    }
  }
}

// What the scan of the body does after a step.
enum class Walk {
  kOn,        // go on with this tag, or with the next one
  kSkipTag,   // nothing more about this tag; go on with the next one
  kEndOfTags,  // stop the scan; the end-of-scan checks still run
  kStop,      // stop reading the file (a finding or a limit said why)
};

// What the scan of the body carries from tag to tag.
struct BodyState {
  uint64_t children = 0;
  uint64_t piece_points = 0;  // NumberOfPoints of the last Piece
  bool in_points = false;     // a <Points> whose DataArray comes next
};

// A child file of a multiblock (DataSet, Piece or Block with file="...").
Walk CheckChildFile(Ctx& ctx, const Tag& tag, uint64_t* children) {
  if (tag.name != "DataSet" && tag.name != "Piece" && tag.name != "Block") return Walk::kOn;
  std::optional<std::string_view> file = Attribute(tag.attributes, "file");
  if (!file) return Walk::kOn;
  if (++*children > ctx.limits().max_detached_files) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_detached_files", ctx.limits().max_detached_files,
                          {.offset = tag.offset}, "by the VTK multiblock file list");
    return Walk::kStop;
  }
  std::optional<std::string> decoded = DecodeAttribute(*file);
  if (!decoded) {
    ctx.Add(Rule::kDataHeaderMalformed, tag.offset,
            "VTK XML file attribute " + Quote(*file) + " uses a reference this scan does not decode");
    return Walk::kSkipTag;
  }
  AddDetached(ctx, *decoded, "VTK multiblock child", 0);
  return Walk::kOn;
}

// The counts of a <Piece>. False (after the finding) when one is out of range.
bool CountPiece(Ctx& ctx, const Tag& tag, uint64_t* piece_points) {
  // Load (max_scene_load_bytes), vtkXMLUnstructuredDataReader::
  // SetupOutputData: NumberOfPoints points of the Points array's type
  // (3 x 4 bytes for Float32, 8 more a point when the array is Float64,
  // added at its DataArray below); per cell an offset and at least one
  // connectivity id (8 bytes each, vtkCellArray), and for
  // NumberOfCells (vtkXMLUnstructuredGridReader) a cell type byte.
  // vtkXMLPolyDataReader counts NumberOfVerts/Lines/Strips/Polys.
  static constexpr std::string_view kCounts[] = {"NumberOfPoints", "NumberOfCells", "NumberOfVerts",
                                                 "NumberOfLines",  "NumberOfStrips", "NumberOfPolys"};
  for (std::string_view count : kCounts) {
    std::optional<std::string_view> v = Attribute(tag.attributes, count);
    if (!v) continue;
    std::optional<int64_t> n = ParseInt(Trim(*v));
    if (!n || *n < 0) {
      ctx.Add(Rule::kDataHeaderRange, tag.offset, "VTK XML " + std::string(count) + " " + Quote(*v) + " is out of range");
      return false;
    }
    const uint64_t c = static_cast<uint64_t>(*n);
    const bool points = count == "NumberOfPoints";
    if (!CheckedImageBytes(ctx, {c}, 3, 4, "VTK XML Piece")) return false;
    AddLoad(ctx, c * (points ? 12 : count == "NumberOfCells" ? 17 : 16));  // c x 12 <= max_image_bytes
    if (points) *piece_points = c;
  }
  return true;
}

// WholeExtent of an ImageData, StructuredGrid or RectilinearGrid: six
// integers, three spans. False (after the finding) when it is not.
bool CheckWholeExtent(Ctx& ctx, const Tag& tag) {
  std::optional<std::string_view> extent = Attribute(tag.attributes, "WholeExtent");
  if (!extent) return true;
  std::vector<std::string_view> w = SplitWords(*extent, 7);
  std::vector<uint64_t> dims;
  for (size_t a = 0; a + 1 < w.size() && dims.size() < 3; a += 2) {
    std::optional<int64_t> lo = ParseInt(w[a]), hi = ParseInt(w[a + 1]);
    int64_t span = 0;
    if (!lo || !hi || !CheckedSub(*hi, *lo, &span) || span < -1 || span == INT64_MAX) {
      ctx.Add(Rule::kDataHeaderRange, tag.offset, "VTK XML WholeExtent " + Quote(*extent) + " is out of range");
      return false;
    }
    dims.push_back(static_cast<uint64_t>(span + 1));
  }
  if (dims.size() != 3 || w.size() != 6) {
    ctx.Add(Rule::kDataHeaderRange, tag.offset, "VTK XML WholeExtent " + Quote(*extent) + " is not 6 integers");
    return false;
  }
  return CheckedImageBytes(ctx, dims, 1, 1, "VTK XML WholeExtent").has_value();
}

// One start tag after the root.
Walk ReadBodyTag(Ctx& ctx, const Tag& tag, BodyState& state) {
  const Walk child = CheckChildFile(ctx, tag, &state.children);
  if (child == Walk::kSkipTag) return Walk::kOn;
  if (child != Walk::kOn) return child;
  if (tag.name == "Piece" && !CountPiece(ctx, tag, &state.piece_points)) return Walk::kStop;
  if (tag.name == "Points") state.in_points = true;
  if (tag.name == "DataArray" && state.in_points) {
    state.in_points = false;
    if (Attribute(tag.attributes, "type").value_or("") == "Float64") AddLoad(ctx, state.piece_points * 12);
  }
  if ((tag.name == "ImageData" || tag.name == "StructuredGrid" || tag.name == "RectilinearGrid") &&
      !CheckWholeExtent(ctx, tag)) {
    return Walk::kStop;
  }
  if (tag.name == "AppendedData") return Walk::kEndOfTags;  // raw bytes follow
  return Walk::kOn;
}

}  // namespace

void ReadVtkXml(Ctx& ctx) {
  ByteReader r(ctx.file.prefix);
  std::string_view text = r.Chars(ctx.file.prefix.size());
  TagScanner scanner(text);
  bool declaration = false, cut = false;
  std::optional<Tag> root = scanner.Next(&declaration, &cut);
  if (!CheckRoot(ctx, root, declaration, cut)) return;
  const std::string_view type = Attribute(root->attributes, "type").value_or("");
  CheckRootAttributes(ctx, *root);
  CheckTypeMatchesExtension(ctx, *root, type);
  BodyState state;
  while (std::optional<Tag> tag = scanner.Next(&declaration, &cut)) {
    const Walk step = ReadBodyTag(ctx, *tag, state);
    if (step == Walk::kStop) return;
    if (step == Walk::kEndOfTags) break;
  }
  if (declaration) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "VTK XML file has a DOCTYPE or entity declaration (refused)");
  } else if (cut && type == "vtkMultiBlockDataSet" && !ctx.whole()) {
    ctx.Add(Rule::kDataHeaderIncomplete, std::nullopt,
            "VTK multiblock file list does not end in the bytes given; later children were not checked");
  }
}

}  // namespace mrmlguard::internal::data
