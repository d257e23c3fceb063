// SPDX-License-Identifier: BSD-3-Clause
// The memory Slicer's mesh and table readers allocate, for the scene-wide
// load budget (max_scene_load_bytes): binary and ASCII STL, PLY, OBJ and
// delimited text tables. Each function adds to ctx.result.load_bytes what the
// reader allocates for the counts the file declares, or, where the format
// declares none, an upper bound from the file size. A declared count whose
// data the file cannot hold is refused from the declaration
// (data.size-mismatch) before any reader would act on it.
//
// Bytes per element, from the readers Slicer calls
// (vtkMRMLModelStorageNode::ReadDataInternal picks the reader by extension;
// vtkMRMLTableStorageNode::ReadTable reads tables), with VTK's default 64-bit
// vtkIdType (8 bytes) in cell arrays:
//   STL   vtkSTLReader::ReadBinarySTL reserves 3 float points (36 B) and one
//         3-point cell (offset + 3 ids: 32 B) per triangle, for the triangle
//         count the file SIZE gives ((size - 84) / 50; the count field is
//         ignored, RelaxedConformance is on by default); RequestData merges
//         points (Merging on): a second cell array (32 B), up to 3 unique
//         float points (36 B) and a vtkIdType locator id per unique point
//         (24 B). 160 B per triangle in all.
//   PLY   vtkPLYReader::RequestData: SetNumberOfPoints(vertex count) as float
//         (12 B), normals (12 B) when nx is a property, texture coordinates
//         (8 B) when u/v, s/t or texture_u/texture_v are, colors (4 B) when
//         red is; polys->AllocateEstimate(face count, 3) (32 B per face),
//         face intensity (1 B) and colors (4 B) when declared.
//   OBJ   vtkOBJReader::RequestData declares no count: points are doubles
//         (24 B from an 8-byte "v 0 0 0" line), each "f" line opens a cell in
//         three cell arrays (vertex, tcoord, normal polys: 3 x 8 B offsets
//         from a 2-byte "f\n" line, 8 B per 2-byte index), arrays grow by
//         doubling, and vertices are duplicated per face corner when texture
//         coordinates or normals are present (44 B per 2-byte index). Bound:
//         48 B per byte of file.
//   Table vtkDelimitedTextReader makes one vtkStringArray column per field
//         (a 32-byte std::string per cell, libstdc++), pads every column to
//         the row count (vtkDelimitedTextCodecIteratorPrivate's destructor),
//         and vtkMRMLTableStorageNode::ReadTable converts columns to typed
//         arrays (up to 8 B a cell): 40 B per row x widest row.

#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"

namespace mrmlguard::internal::data {

void AddLoad(Ctx& ctx, uint64_t bytes) {
  if (!CheckedAdd(ctx.result.load_bytes, bytes, &ctx.result.load_bytes)) ctx.result.load_bytes = UINT64_MAX;
}

namespace {

constexpr uint64_t kStlHeaderBytes = 84;        // 80-byte header + uint32 triangle count
constexpr uint64_t kStlTriangleBytes = 50;      // normal + 3 vertices (12 floats) + uint16 attribute
constexpr uint64_t kStlLoadPerTriangle = 160;   // see the file comment
// Fewest bytes of an ASCII STL facet vtkSTLReader::ReadASCIISTL accepts:
// "facet normal 0 0 0 outer loop vertex 0 0 0 vertex 0 0 0 vertex 0 0 0
// endloop endfacet" with single spaces is 82 bytes.
constexpr uint64_t kStlAsciiFacetBytes = 82;
constexpr uint64_t kObjLoadPerByte = 48;
constexpr uint64_t kTableLoadPerCell = 40;

// Loads `count` elements of `per` bytes: the one-file allocation limit
// (max_image_bytes, data.limit-exceeded), then the budget.
bool AddCounted(Ctx& ctx, uint64_t count, uint32_t per, std::string_view what) {
  std::optional<uint64_t> bytes = CheckedImageBytes(ctx, {count}, 1, per, what);
  if (!bytes) return false;
  AddLoad(ctx, *bytes);
  return true;
}

uint64_t Le32(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint64_t>(b[at]) | static_cast<uint64_t>(b[at + 1]) << 8 |
         static_cast<uint64_t>(b[at + 2]) << 16 | static_cast<uint64_t>(b[at + 3]) << 24;
}

// PLY scalar types (vtkPLY.cxx type_names and old_type_names) and their sizes.
uint32_t PlyTypeBytes(std::string_view t) {
  if (t == "char" || t == "uchar" || t == "int8" || t == "uint8") return 1;
  if (t == "short" || t == "ushort" || t == "int16" || t == "uint16") return 2;
  if (t == "int" || t == "uint" || t == "float" || t == "int32" || t == "uint32" || t == "float32") return 4;
  if (t == "double" || t == "float64") return 8;
  return 0;
}

struct PlyElement {
  std::string name;
  uint64_t count = 0;
  uint64_t min_bytes = 0;  // fewest bytes one element takes in the file
  std::vector<std::string> properties;
  bool Has(std::string_view p) const {
    for (const std::string& q : properties) {
      if (q == p) return true;
    }
    return false;
  }
};

}  // namespace

void ReadStl(Ctx& ctx) {
  const uint64_t size = ctx.file.total_size;
  std::string_view text(reinterpret_cast<const char*>(ctx.file.prefix.data()), ctx.file.prefix.size());
  size_t first = text.find_first_not_of(" \t\r\n");
  bool ascii = first != std::string_view::npos && text.substr(first, 5) == "solid" &&
               (text.size() == first + 5 || std::string_view(" \t\r\n").find(text[first + 5]) != std::string_view::npos);
  uint64_t triangles = 0;
  if (ascii) {
    // vtkSTLReader::RequestData reads a file whose first word is "solid" as
    // ASCII; it grows its arrays as facets come, and falls back to binary
    // only when the ASCII parse fails (then the binary bound below applies).
    triangles = size / kStlAsciiFacetBytes;
  }
  if (size < kStlHeaderBytes) {
    if (!ascii) {
      ctx.Add(Rule::kDataSizeMismatch, 0,
              "binary STL of " + std::to_string(size) + " bytes ends before its 84-byte header and triangle count");
    }
    AddCounted(ctx, triangles, kStlLoadPerTriangle, "ASCII STL facets");
    return;
  }
  if (ctx.file.prefix.size() < kStlHeaderBytes) {
    ctx.Add(Rule::kDataHeaderIncomplete, 0, "binary STL header does not end in the bytes given");
    return;
  }
  const uint64_t declared = Le32(ctx.file.prefix, 80);
  const bool whole_triangles = (size - kStlHeaderBytes) % kStlTriangleBytes == 0;
  // ReadBinaryTrisFile refuses a payload that is not whole triangles.
  const uint64_t in_file = whole_triangles ? (size - kStlHeaderBytes) / kStlTriangleBytes : 0;
  if (!ascii) {
    // vtkSTLReader::ReadBinaryTrisFile: the triangle count the reader uses
    // comes from the file size; a count field the file cannot hold is
    // refused here from the declaration.
    if (declared * kStlTriangleBytes + kStlHeaderBytes > size) {
      ctx.Add(Rule::kDataSizeMismatch, 80,
              "binary STL declares " + std::to_string(declared) + " triangles (" +
                  std::to_string(declared * kStlTriangleBytes + kStlHeaderBytes) + " bytes) but the file holds " +
                  std::to_string(size) + " bytes");
      return;
    }
    if (!whole_triangles) {
      ctx.Add(Rule::kDataContentOdd, std::nullopt,
              "binary STL payload of " + std::to_string(size - kStlHeaderBytes) +
                  " bytes is not whole 50-byte triangles; VTK does not read the file");
      return;
    }
    if (declared != in_file) {
      ctx.Add(Rule::kDataContentOdd, 80,
              "binary STL declares " + std::to_string(declared) + " triangles but holds " + std::to_string(in_file) +
                  "; VTK reads the " + std::to_string(in_file) + " the file holds");
    }
  }
  AddCounted(ctx, std::max(triangles, in_file), kStlLoadPerTriangle, "STL triangles");
}

void ReadPly(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  std::optional<std::string_view> magic = lines.Next();
  if (!magic || Trim(*magic) != "ply") {
    ctx.Add(Rule::kDataHeaderMalformed, 0, "PLY file does not start with a \"ply\" line");
    return;
  }
  std::optional<std::string_view> format_line = lines.Next();
  std::vector<std::string_view> fw = format_line ? SplitWords(*format_line, 4) : std::vector<std::string_view>{};
  if (fw.size() != 3 || fw[0] != "format" ||
      (fw[1] != "ascii" && fw[1] != "binary_little_endian" && fw[1] != "binary_big_endian")) {
    if (!format_line && !ctx.whole()) {
      ctx.Add(Rule::kDataHeaderIncomplete, 0, "PLY header does not end in the bytes given");
    } else {
      ctx.AddLine(Rule::kDataHeaderMalformed, 2, "PLY format line " + Quote(format_line.value_or("")) +
                                                      " is not ascii or binary_little/big_endian");
    }
    return;
  }
  const bool binary = fw[1] != "ascii";
  std::vector<PlyElement> elements;
  bool ended = false;
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::vector<std::string_view> w = SplitWords(*raw, 6);
    if (w.empty() || w[0] == "comment" || w[0] == "obj_info") continue;
    if (w[0] == "end_header") {
      ended = true;
      break;
    }
    if (w[0] == "element" && w.size() == 3) {
      // vtkPLY::ply_read: the count is read with atoi into an int.
      std::optional<int64_t> n = ParseInt(w[2]);
      if (!n || *n < 0 || *n > INT32_MAX) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(),
                    "PLY element " + Quote(w[1]) + " count " + Quote(w[2]) + " is not an int of 0 or more");
        return;
      }
      elements.push_back({.name = std::string(w[1]), .count = static_cast<uint64_t>(*n)});
      continue;
    }
    if (w[0] == "property" && !elements.empty()) {
      PlyElement& e = elements.back();
      bool list = w.size() >= 2 && w[1] == "list";
      std::string_view type = list && w.size() >= 3 ? w[2] : (w.size() >= 2 ? w[1] : std::string_view());
      uint32_t bytes = PlyTypeBytes(type);
      if (bytes == 0 || w.size() != (list ? 5u : 3u) || (list && PlyTypeBytes(w[3]) == 0)) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(), "PLY property " + Quote(*raw) + " is not one VTK reads");
        return;
      }
      e.properties.emplace_back(w.back());
      // Binary: the scalar, or a list's count (a list may be empty). ASCII:
      // one character and a separator.
      e.min_bytes += binary ? bytes : 2;
      continue;
    }
    ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(), "PLY header line " + Quote(*raw) + " is not one VTK reads");
    return;
  }
  if (!ended) {
    if (ctx.whole()) {
      ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "PLY header has no end_header line");
    } else {
      ctx.Add(Rule::kDataHeaderIncomplete, std::nullopt, "PLY header does not end in the bytes given");
    }
    return;
  }
  // The elements the header declares must fit in the bytes after it.
  const uint64_t payload = ctx.file.total_size - std::min<uint64_t>(lines.offset(), ctx.file.total_size);
  uint64_t need = 0;
  for (const PlyElement& e : elements) {
    uint64_t bytes = 0;
    if (!CheckedMul(e.count, e.min_bytes, &bytes) || !CheckedAdd(need, bytes, &need)) need = UINT64_MAX;
  }
  // ASCII: the last value needs no separator after it.
  if (need > payload + (binary ? 0 : 1)) {
    ctx.Add(Rule::kDataSizeMismatch, lines.offset(),
            "PLY header declares elements of " + std::to_string(need) + " bytes at least but " +
                std::to_string(payload) + " bytes follow it");
    return;
  }
  for (const PlyElement& e : elements) {
    if (e.name == "vertex") {
      if (!e.Has("x") || !e.Has("y") || !e.Has("z")) continue;  // vtkPLYReader reads no geometry
      uint32_t per = 12;
      if (e.Has("nx")) per += 12;
      if ((e.Has("u") && e.Has("v")) || (e.Has("s") && e.Has("t")) ||
          (e.Has("texture_u") && e.Has("texture_v"))) {
        per += 8;
      }
      if (e.Has("red")) per += 4;
      if (!AddCounted(ctx, e.count, per, "PLY vertex element")) return;
    } else if (e.name == "face") {
      uint32_t per = 32;
      if (e.Has("intensity")) per += 1;
      if (e.Has("red")) per += 4;
      if (!AddCounted(ctx, e.count, per, "PLY face element")) return;
    }
  }
}

void BoundObj(Ctx& ctx) {
  uint64_t bytes = 0;
  if (!CheckedMul(ctx.file.total_size, kObjLoadPerByte, &bytes)) bytes = UINT64_MAX;
  AddLoad(ctx, bytes);
}

void BoundTable(Ctx& ctx, char field_delimiter) {
  // vtkDelimitedTextReader as vtkMRMLTableStorageNode::ReadTable sets it up:
  // '"' string delimiters, adjacent record delimiters merged (an empty line
  // makes no row), every column padded to the row count.
  std::string_view text(reinterpret_cast<const char*>(ctx.file.prefix.data()), ctx.file.prefix.size());
  uint64_t rows = 0, fields = 1, widest = 0;
  bool quoted = false, row_open = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) {
      row_open = true;
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (row_open) {
        ++rows;
        widest = std::max(widest, fields);
      }
      row_open = false;
      fields = 1;
    } else {
      row_open = true;
      if (c == field_delimiter) ++fields;
    }
  }
  if (row_open) {
    ++rows;
    widest = std::max(widest, fields);
  }
  // Bytes not given: each further row needs two of them (a character and a
  // record delimiter); its width is not known, the widest seen is used.
  uint64_t rest = ctx.file.total_size - ctx.file.prefix.size();  // prefix <= total_size (CheckDataFile)
  rows += rest / 2;
  uint64_t cells = 0, bytes = 0;
  if (!CheckedMul(rows, widest, &cells) || !CheckedMul(cells, kTableLoadPerCell, &bytes)) bytes = UINT64_MAX;
  AddLoad(ctx, bytes);
}

}  // namespace mrmlguard::internal::data
