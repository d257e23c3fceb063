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
void ReadVtkCellSections(Ctx& ctx, LineReader& after_points, bool binary, uint64_t point_bytes) {
  std::optional<LineReader> skipped;
  LineReader* lines = &after_points;
  if (binary) {
    uint64_t at = after_points.offset();
    if (!RangeInside(at, point_bytes, ctx.file.prefix.size())) return;  // beyond the bytes given
    skipped.emplace(ctx.file.prefix.subspan(static_cast<size_t>(at + point_bytes)));
    lines = &*skipped;
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
      for (size_t i = 1; i < w.size() && i <= (cells ? 2u : 1u); ++i) {
        std::optional<int64_t> v = ParseInt(w[i]);
        if (!v || *v < 0) {
          ctx.Add(Rule::kDataHeaderRange, std::nullopt,
                  "legacy VTK " + Lower(w[0]) + " count " + Quote(w[i]) + " is out of range");
          return;
        }
        if (!CheckedImageBytes(ctx, {static_cast<uint64_t>(*v)}, 1, 8, "legacy VTK " + k)) return;
      }
    }
    if (binary || ++keyword_lines > 64) return;
  }
}

}  // namespace

void ReadVtkLegacy(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  std::optional<std::string_view> version = lines.Next();
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
      ReadVtkCellSections(ctx, lines, binary, need);
      return;
    }
    if (k == "dimensions" && w.size() >= 4) {
      std::span<const std::string_view> dim_words = std::span(w).subspan(1, 3);
      SizeList dims = ParseSizeList(dim_words, 0);
      if (!dims.ok()) {
        ctx.AddLine(Rule::kDataHeaderRange, lines.line(),
                    "legacy VTK DIMENSIONS " + Quote(dim_words[dims.bad]) + " is out of range");
        return;
      }
      (void)CheckedImageBytes(ctx, dims.sizes, 1, 1, "legacy VTK DIMENSIONS");
      return;
    }
    if (binary && k == "field") return;  // binary field arrays follow; stop reading lines
  }
}

}  // namespace mrmlguard::internal::data
