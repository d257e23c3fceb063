// SPDX-License-Identifier: BSD-3-Clause
// The legacy VTK format (.vtk): "VTK File Formats" (VTK User's Guide, ch. 19,
// "Simple Legacy Formats"): line 1 "# vtk DataFile Version x.y", line 2 title
// (<= 256 chars), line 3 ASCII | BINARY, line 4 "DATASET <type>", then POINTS n
// <type> or DIMENSIONS nx ny nz.

#include <string>

#include "bytes/checked_math.h"
#include "data/data_internal.h"
#include "data/size_list.h"

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
    if (!text::IsAsciiLetter(w[0][0])) {
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

// "# vtk DataFile Version 5.1": the major version picks the cell layout (0
// when the line names none).
int MajorVersion(const std::optional<std::string_view>& version) {
  if (!version) return 0;
  size_t v = version->find("Version");
  if (v == std::string_view::npos) return 0;
  std::string_view number = Trim(version->substr(v + 7));
  std::optional<int64_t> m = ParseInt(number.substr(0, number.find('.')));
  return m && *m >= 0 && *m < 100 ? static_cast<int>(*m) : 0;
}

// Lines 1 to 3: version, title, ASCII | BINARY. False (after the finding)
// when the file cannot be read on.
bool ReadPreamble(Ctx& ctx, LineReader& lines, int* major, bool* binary) {
  std::optional<std::string_view> version = lines.Next();
  *major = MajorVersion(version);
  std::optional<std::string_view> title = lines.Next();
  std::optional<std::string_view> mode = lines.Next();
  if (!version || !title || !mode) {
    if (ctx.whole()) {
      ctx.Add(Rule::kDataHeaderMalformed, 0, "legacy VTK header ends before its third line");
    } else {
      ctx.Add(Rule::kDataHeaderIncomplete, 0, "legacy VTK header does not end in the bytes given");
    }
    return false;
  }
  if (title->size() > 256) {
    ctx.AddLine(Rule::kDataContentOdd, 2, "legacy VTK title is longer than 256 characters; VTK cuts it");
  }
  std::string m = Lower(Trim(*mode));
  *binary = m == "binary";
  if (m != "ascii" && !*binary) {
    ctx.AddLine(Rule::kDataHeaderMalformed, 3, "legacy VTK file type " + Quote(*mode) + " is not ASCII or BINARY");
    return false;
  }
  return true;
}

// "DATASET <type>", after any blank lines. False when there is nothing more
// to read: no dataset line (a finding when the prefix is cut), field data
// only, or a type VTK does not read (a finding).
bool ReadDatasetLine(Ctx& ctx, LineReader& lines) {
  std::optional<std::string_view> dataset;
  while ((dataset = lines.Next()) && Trim(*dataset).empty()) {
  }
  if (!dataset) {
    if (!ctx.whole()) ctx.Add(Rule::kDataHeaderIncomplete, lines.offset(), "legacy VTK header does not end in the bytes given");
    return false;
  }
  std::vector<std::string_view> words = SplitWords(*dataset, 3);
  if (words.empty()) return false;
  std::string keyword = Lower(words[0]);
  if (keyword == "field" || keyword == "point_data" || keyword == "cell_data") return false;  // field data only
  static constexpr std::string_view kTypes[] = {"structured_points", "structured_grid", "unstructured_grid",
                                                "polydata", "rectilinear_grid", "field"};
  bool known = false;
  for (std::string_view t : kTypes) known = known || (words.size() >= 2 && Lower(words[1]) == t);
  if (keyword != "dataset" || !known) {
    ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                "legacy VTK dataset line " + Quote(*dataset) + " names no dataset type VTK reads");
    return false;
  }
  return true;
}

// "POINTS n type" (words w): the points must fit in the file; then the cell
// sections that follow.
void ReadPoints(Ctx& ctx, LineReader& lines, const std::vector<std::string_view>& w, bool binary, int major) {
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
}

// "DIMENSIONS nx ny nz" (words w).
void ReadDimensions(Ctx& ctx, const LineReader& lines, const std::vector<std::string_view>& w) {
  std::span<const std::string_view> dim_words = std::span(w).subspan(1, 3);
  SizeList dims = ParseSizeList(dim_words, 0);
  if (!dims.ok()) {
    ctx.AddLine(Rule::kDataHeaderRange, lines.line(),
                "legacy VTK DIMENSIONS " + Quote(dim_words[dims.bad]) + " is out of range");
    return;
  }
  (void)CheckedImageBytes(ctx, dims.sizes, 1, 1, "legacy VTK DIMENSIONS");
}

}  // namespace

void ReadVtkLegacy(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  int major = 0;
  bool binary = false;
  if (!ReadPreamble(ctx, lines, &major, &binary)) return;
  if (!ReadDatasetLine(ctx, lines)) return;
  // Look for the first size-declaring keyword in the next lines (ASCII lines
  // like SPACING/ORIGIN or a FIELD block may come first).
  for (int i = 0; i < 64; ++i) {
    std::optional<std::string_view> raw = lines.Next();
    if (!raw) break;
    std::vector<std::string_view> w = SplitWords(*raw, 5);
    if (w.empty()) continue;
    std::string k = Lower(w[0]);
    if (k == "points" && w.size() >= 3) {
      ReadPoints(ctx, lines, w, binary, major);
      return;
    }
    if (k == "dimensions" && w.size() >= 4) {
      ReadDimensions(ctx, lines, w);
      return;
    }
    if (binary && k == "field") return;  // binary field arrays follow; stop reading lines
  }
}

}  // namespace mrmlguard::internal::data
