// SPDX-License-Identifier: BSD-3-Clause
// VTK headers: the legacy format (.vtk) and the root of the XML formats
// (.vtp .vtu .vti .vts .vtr .vtm).
//
// Legacy: "VTK File Formats" (VTK User's Guide, ch. 19, "Simple Legacy Formats"):
//   line 1 "# vtk DataFile Version x.y", line 2 title (<= 256 chars),
//   line 3 ASCII | BINARY, line 4 "DATASET <type>", then POINTS n <type> or
//   DIMENSIONS nx ny nz.
// XML: "VTK XML formats": <VTKFile type=... version=... byte_order=...
//   header_type=... compressor=...>; vtkMultiBlockDataSet files list children
//   as <DataSet ... file="..."/>.
// This is a bounded scan, not an XML parser: it reads the start tags it needs
// and refuses DOCTYPE and entity declarations outright.

#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {
namespace {

// Bytes of one value of a legacy VTK data type (0 when unknown).
uint32_t VtkTypeBytes(std::string_view t) {
  std::string l = Lower(t);
  if (l == "bit" || l == "unsigned_char" || l == "char") return 1;
  if (l == "unsigned_short" || l == "short") return 2;
  if (l == "unsigned_int" || l == "int" || l == "float") return 4;
  if (l == "unsigned_long" || l == "long" || l == "double" || l == "vtktypeint64" || l == "vtktypeuint64" ||
      l == "vtkidtype") {
    return 8;
  }
  return 0;
}

}  // namespace

namespace {

// Cell sections after the points ("POLYGONS n size", "LINES n size",
// "VERTICES", "TRIANGLE_STRIPS", "CELLS", "CELL_TYPES n"): vtkDataReader
// allocates `size` ids (vtkIdType, 8 bytes) and `n` cells before reading
// them. ASCII files are scanned line by line through the prefix (number lines
// never start with a letter); in BINARY files the points are skipped and the
// next keyword line is read (the payload after it has a layout that depends
// on the file version, so the scan stops there).
//
// Load (max_scene_load_bytes): vtkPolyDataReader::ReadMeshSimple (and the
// unstructured grid reader alike) reads a version < 5 section "n size" into a
// vtkIntArray and a vtkIdTypeArray of `size` values, then
// vtkCellArray::ImportLegacyFormat builds n + 1 offsets and size - n ids
// (8 bytes each): 4 + 8 + 8 bytes per value at the peak. Version >= 5
// ("OFFSETS"/"CONNECTIVITY", vtkDataReader::ReadCells) reads the two
// arrays as declared, counted at 8 bytes a value (vtktypeint64, what VTK
// writes). CELL_TYPES: one byte per cell (vtkUnsignedCharArray).
// A section's values must fit in the rest of the file: 4 bytes each in a
// version < 5 BINARY file (ReadCellsLegacy reads ints), one byte each
// otherwise (the least a value and its separator or type can take).
void ReadVtkCellSections(Ctx& ctx, LineReader& after_points, bool binary, uint64_t point_bytes, int major) {
  std::optional<LineReader> skipped;
  LineReader* lines = &after_points;
  uint64_t base = 0;  // file offset of `lines`' first byte
  if (binary) {
    uint64_t at = after_points.offset();
    if (!RangeInside(at, point_bytes, ctx.file.prefix.size())) return;  // beyond the bytes given
    skipped.emplace(ctx.file.prefix.subspan(static_cast<size_t>(at + point_bytes)));
    lines = &*skipped;
    base = at + point_bytes;
  }
  int keyword_lines = 0;
  while (std::optional<std::string_view> raw = lines->Next()) {
    std::vector<std::string_view> w = SplitWords(*raw, 4);
    if (w.empty()) continue;
    char first = w[0][0];
    if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) {
      if (binary) return;  // not a keyword where one must be
      continue;
    }
    std::string k = Lower(w[0]);
    if (k == "point_data" || k == "cell_data" || k == "field") return;
    bool cells = k == "vertices" || k == "lines" || k == "polygons" || k == "triangle_strips" || k == "cells";
    if (cells || k == "cell_types") {
      uint64_t counts[2] = {0, 0};
      for (size_t i = 1; i < w.size() && i <= (cells ? 2u : 1u); ++i) {
        std::optional<int64_t> v = ParseInt(w[i]);
        if (!v || *v < 0) {
          ctx.Add(Rule::kDataHeaderRange, std::nullopt,
                  "legacy VTK " + Lower(w[0]) + " count " + Quote(w[i]) + " is out of range");
          return;
        }
        if (!CheckedImageBytes(ctx, {static_cast<uint64_t>(*v)}, 1, 8, "legacy VTK " + k)) return;
        counts[i - 1] = static_cast<uint64_t>(*v);
      }
      // Values the section holds, and the least bytes they take.
      uint64_t values = 0, load = 0;
      if (!cells) {
        values = counts[0];
        load = counts[0];
      } else if (major >= 5) {
        values = counts[0] + counts[1];  // each < 2^61 (CheckedImageBytes above)
        load = values * 8;
      } else {
        values = counts[1];
        load = counts[1] * 20 + 8;
      }
      const uint64_t per_value = binary && cells && major < 5 ? 4 : 1;
      const uint64_t at = base + lines->offset();
      if (!RangeInside(at, values * per_value, ctx.file.total_size)) {
        ctx.Add(Rule::kDataSizeMismatch, at,
                    "legacy VTK " + k + " declares " + std::to_string(values) + " values (" +
                        std::to_string(values * per_value) + " bytes at least) after offset " + std::to_string(at) +
                        ", but the file holds " + std::to_string(ctx.file.total_size) + " bytes");
        return;
      }
      AddLoad(ctx, load);
    }
    if (binary || ++keyword_lines > 64) return;
  }
}

}  // namespace

void ReadVtkLegacy(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  std::optional<std::string_view> version = lines.Next();
  // "# vtk DataFile Version 5.1": the major version picks the cell layout.
  int major = 0;
  if (version) {
    size_t v = version->find("Version");
    if (v != std::string_view::npos) {
      std::string_view number = Trim(version->substr(v + 7));
      std::optional<int64_t> m = ParseInt(number.substr(0, number.find('.')));
      if (m && *m >= 0 && *m < 100) major = static_cast<int>(*m);
    }
  }
  std::optional<std::string_view> title = lines.Next();
  std::optional<std::string_view> mode = lines.Next();
  if (!version || !title || !mode) {
    if (ctx.whole()) {
      ctx.Add(Rule::kDataHeaderMalformed, 0, "legacy VTK header ends before its third line");
    } else {
      ctx.Add(Rule::kDataHeaderIncomplete, 0, "legacy VTK header does not end in the bytes given");
    }
    return;
  }
  if (title->size() > 256) {
    ctx.AddLine(Rule::kDataContentOdd, 2, "legacy VTK title is longer than 256 characters; VTK cuts it");
  }
  std::string m = Lower(Trim(*mode));
  bool binary = m == "binary";
  if (m != "ascii" && !binary) {
    ctx.AddLine(Rule::kDataHeaderMalformed, 3, "legacy VTK file type " + Quote(*mode) + " is not ASCII or BINARY");
    return;
  }
  // The dataset line may follow blank lines.
  std::optional<std::string_view> dataset;
  while ((dataset = lines.Next()) && Trim(*dataset).empty()) {
  }
  if (!dataset) {
    if (!ctx.whole()) ctx.Add(Rule::kDataHeaderIncomplete, lines.offset(), "legacy VTK header does not end in the bytes given");
    return;
  }
  std::vector<std::string_view> words = SplitWords(*dataset, 3);
  if (words.empty()) return;
  std::string keyword = Lower(words[0]);
  if (keyword == "field" || keyword == "point_data" || keyword == "cell_data") return;  // field data only
  static constexpr std::string_view kTypes[] = {"structured_points", "structured_grid", "unstructured_grid",
                                                "polydata", "rectilinear_grid", "field"};
  bool known = false;
  for (std::string_view t : kTypes) known = known || (words.size() >= 2 && Lower(words[1]) == t);
  if (keyword != "dataset" || !known) {
    ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                "legacy VTK dataset line " + Quote(*dataset) + " names no dataset type VTK reads");
    return;
  }
  // Look for the first size-declaring keyword in the next lines (ASCII lines
  // like SPACING/ORIGIN or a FIELD block may come first).
  for (int i = 0; i < 64; ++i) {
    std::optional<std::string_view> raw = lines.Next();
    if (!raw) break;
    std::vector<std::string_view> w = SplitWords(*raw, 5);
    if (w.empty()) continue;
    std::string k = Lower(w[0]);
    if (k == "points" && w.size() >= 3) {
      std::optional<int64_t> n = ParseInt(w[1]);
      uint32_t bytes = VtkTypeBytes(w[2]);
      if (!n || *n < 0) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "legacy VTK POINTS count " + Quote(w[1]) + " is out of range");
        return;
      }
      if (bytes == 0) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "legacy VTK POINTS type " + Quote(w[2]) + " is not known");
        return;
      }
      std::optional<uint64_t> total = CheckedImageBytes(ctx, {static_cast<uint64_t>(*n)}, 3, bytes, "legacy VTK POINTS");
      if (!total) return;
      // Binary points follow the line; ASCII points take at least one byte per value.
      uint64_t need = binary ? *total : static_cast<uint64_t>(*n) * 3;
      if (!RangeInside(lines.offset(), need, ctx.file.total_size)) {
        ctx.AddLine(Rule::kDataSizeMismatch, lines.line(),
                    "legacy VTK declares " + std::to_string(*n) + " points (" + std::to_string(need) +
                        " bytes at least) after offset " + std::to_string(lines.offset()) +
                        ", but the file holds " + std::to_string(ctx.file.total_size) + " bytes");
        return;
      }
      // vtkDataReader::ReadPointCoordinates: one array of the declared type,
      // 3 values a point.
      AddLoad(ctx, *total);
      ReadVtkCellSections(ctx, lines, binary, need, major);
      return;
    }
    if (k == "dimensions" && w.size() >= 4) {
      std::vector<uint64_t> dims;
      for (size_t d = 1; d < 4; ++d) {
        std::optional<int64_t> v = ParseInt(w[d]);
        if (!v || *v < 0) {
          ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "legacy VTK DIMENSIONS " + Quote(w[d]) + " is out of range");
          return;
        }
        dims.push_back(static_cast<uint64_t>(*v));
      }
      (void)CheckedImageBytes(ctx, dims, 1, 1, "legacy VTK DIMENSIONS");
      return;
    }
    if (binary && k == "field") return;  // binary field arrays follow; stop reading lines
  }
}

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

}  // namespace

void ReadVtkXml(Ctx& ctx) {
  ByteReader r(ctx.file.prefix);
  std::string_view text = r.Chars(ctx.file.prefix.size());
  TagScanner scanner(text);
  bool declaration = false, cut = false;
  std::optional<Tag> root = scanner.Next(&declaration, &cut);
  if (declaration) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "VTK XML file has a DOCTYPE or entity declaration (refused)");
    return;
  }
  if (!root || root->name != "VTKFile") {
    if (cut && !ctx.whole()) {
      ctx.Add(Rule::kDataHeaderIncomplete, 0, "VTK XML root element does not end in the bytes given");
    } else {
      ctx.Add(Rule::kDataHeaderMalformed, root ? std::optional<uint64_t>(root->offset) : std::nullopt,
              "VTK XML root element is not <VTKFile>");
    }
    return;
  }
  std::string_view type = Attribute(root->attributes, "type").value_or("");
  std::string_view byte_order = Attribute(root->attributes, "byte_order").value_or("LittleEndian");
  std::string_view header_type = Attribute(root->attributes, "header_type").value_or("UInt32");
  std::string_view compressor = Attribute(root->attributes, "compressor").value_or("");
  if (byte_order != "LittleEndian" && byte_order != "BigEndian") {
    ctx.Add(Rule::kDataHeaderRange, root->offset, "VTK XML byte_order " + Quote(byte_order) + " is not known");
  }
  if (header_type != "UInt32" && header_type != "UInt64") {
    ctx.Add(Rule::kDataHeaderRange, root->offset, "VTK XML header_type " + Quote(header_type) + " is not known");
  }
  if (!compressor.empty() && compressor != "vtkZLibDataCompressor" && compressor != "vtkLZ4DataCompressor" &&
      compressor != "vtkLZMADataCompressor") {
    ctx.Add(Rule::kDataHeaderRange, root->offset, "VTK XML compressor " + Quote(compressor) + " is not known");
  }
  // The extension decides which VTK reader Slicer uses; it must match the type.
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
      ctx.Add(Rule::kDataMagicMismatch, root->offset,
              "a " + ext + " file whose VTKFile type is " + Quote(type) + ", not " + std::string(p.type));
    }
  }
  uint64_t children = 0;
  uint64_t piece_points = 0;  // NumberOfPoints of the last Piece
  bool in_points = false;     // a <Points> whose DataArray comes next
  while (std::optional<Tag> tag = scanner.Next(&declaration, &cut)) {
    if (tag->name == "DataSet" || tag->name == "Piece" || tag->name == "Block") {
      if (std::optional<std::string_view> file = Attribute(tag->attributes, "file")) {
        if (++children > ctx.limits().max_detached_files) {
          ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_detached_files", ctx.limits().max_detached_files,
                                {.offset = tag->offset}, "by the VTK multiblock file list");
          return;
        }
        std::optional<std::string> decoded = DecodeAttribute(*file);
        if (!decoded) {
          ctx.Add(Rule::kDataHeaderMalformed, tag->offset,
                  "VTK XML file attribute " + Quote(*file) + " uses a reference this scan does not decode");
          continue;
        }
        AddDetached(ctx, *decoded, "VTK multiblock child", 0);
      }
    }
    if (tag->name == "Piece") {
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
        std::optional<std::string_view> v = Attribute(tag->attributes, count);
        if (!v) continue;
        std::optional<int64_t> n = ParseInt(Trim(*v));
        if (!n || *n < 0) {
          ctx.Add(Rule::kDataHeaderRange, tag->offset, "VTK XML " + std::string(count) + " " + Quote(*v) + " is out of range");
          return;
        }
        const uint64_t c = static_cast<uint64_t>(*n);
        const bool points = count == "NumberOfPoints";
        if (!CheckedImageBytes(ctx, {c}, 3, 4, "VTK XML Piece")) return;
        AddLoad(ctx, c * (points ? 12 : count == "NumberOfCells" ? 17 : 16));  // c x 12 <= max_image_bytes
        if (points) piece_points = c;
      }
    }
    if (tag->name == "Points") in_points = true;
    if (tag->name == "DataArray" && in_points) {
      in_points = false;
      if (Attribute(tag->attributes, "type").value_or("") == "Float64") AddLoad(ctx, piece_points * 12);
    }
    if (tag->name == "ImageData" || tag->name == "StructuredGrid" || tag->name == "RectilinearGrid") {
      if (std::optional<std::string_view> extent = Attribute(tag->attributes, "WholeExtent")) {
        std::vector<std::string_view> w = SplitWords(*extent, 7);
        std::vector<uint64_t> dims;
        for (size_t a = 0; a + 1 < w.size() && dims.size() < 3; a += 2) {
          std::optional<int64_t> lo = ParseInt(w[a]), hi = ParseInt(w[a + 1]);
          int64_t span = 0;
          if (!lo || !hi || !CheckedSub(*hi, *lo, &span) || span < -1 || span == INT64_MAX) {
            ctx.Add(Rule::kDataHeaderRange, tag->offset, "VTK XML WholeExtent " + Quote(*extent) + " is out of range");
            return;
          }
          dims.push_back(static_cast<uint64_t>(span + 1));
        }
        if (dims.size() != 3 || w.size() != 6) {
          ctx.Add(Rule::kDataHeaderRange, tag->offset, "VTK XML WholeExtent " + Quote(*extent) + " is not 6 integers");
          return;
        }
        if (!CheckedImageBytes(ctx, dims, 1, 1, "VTK XML WholeExtent")) return;
      }
    }
    if (tag->name == "AppendedData") break;  // raw bytes follow
  }
  if (declaration) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "VTK XML file has a DOCTYPE or entity declaration (refused)");
  } else if (cut && type == "vtkMultiBlockDataSet" && !ctx.whole()) {
    ctx.Add(Rule::kDataHeaderIncomplete, std::nullopt,
            "VTK multiblock file list does not end in the bytes given; later children were not checked");
  }
}

}  // namespace mrmlguard::internal::data
