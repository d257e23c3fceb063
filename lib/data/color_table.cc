// SPDX-License-Identifier: BSD-3-Clause
// Color tables: vtkMRMLColorTableStorageNode ("index name r g b a" lines;
// CSV with a LabelValue column).

#include <string>

#include "data/data_internal.h"

namespace mrmlguard::internal::data {
namespace {

// Checks one color index against the allocation it drives:
// vtkMRMLColorTableNode::SetNumberOfColors(max index + 1).
bool CheckColorIndex(Ctx& ctx, int64_t index, uint32_t line) {
  if (index < 0) {
    ctx.AddLine(Rule::kDataHeaderRange, line, "color index " + std::to_string(index) + " is negative");
    return false;
  }
  if (static_cast<uint64_t>(index) >= ctx.limits().max_color_table_colors) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_color_table_colors", ctx.limits().max_color_table_colors,
                          {.line = line}, "by color index " + std::to_string(index) + " (the table holds index + 1 colors)");
    return false;
  }
  return true;
}

bool ColorComponent(std::string_view s) {
  std::optional<int64_t> v = ParseInt(s);
  if (v) return *v >= 0 && *v <= 255;
  std::optional<double> d = ParseDouble(s);
  return d && *d >= 0 && *d <= 255;
}

}  // namespace

void ReadColorTable(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  uint64_t odd = 0, colors = 0;
  uint32_t first_odd = 0;
  bool csv = false;
  int label_column = -1, r_column = -1;
  auto odd_line = [&](uint32_t line) {
    if (++odd == 1) first_odd = line;
  };
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view line = Trim(*raw);
    if (line.empty() || line.front() == '#') continue;
    if (!lines.terminated() && !ctx.whole()) break;
    if (lines.line() == 1 || (colors == 0 && !csv && line.find(',') != std::string_view::npos)) {
      // CSV color tables start with a header row naming the columns.
      std::vector<std::string_view> head = SplitOn(line, ',', 64);
      if (head.size() > 1) {
        csv = true;
        for (size_t i = 0; i < head.size(); ++i) {
          if (Trim(head[i]) == "LabelValue") label_column = static_cast<int>(i);
          if (Trim(head[i]) == "Color_R") r_column = static_cast<int>(i);
        }
        continue;
      }
    }
    if (csv) {
      std::vector<std::string_view> f = SplitOn(line, ',', 64);
      bool good = true;
      if (label_column >= 0) {
        std::optional<int64_t> index =
            static_cast<size_t>(label_column) < f.size() ? ParseInt(Trim(f[static_cast<size_t>(label_column)])) : std::nullopt;
        if (!index) {
          good = false;
        } else if (!CheckColorIndex(ctx, *index, lines.line())) {
          return;
        }
      }
      if (r_column >= 0) {
        for (size_t c = static_cast<size_t>(r_column); c < static_cast<size_t>(r_column) + 3; ++c) {
          good = good && c < f.size() && ColorComponent(Trim(f[c]));
        }
      }
      if (!good) odd_line(lines.line());
      if (++colors > ctx.limits().max_color_table_colors) break;
      continue;
    }
    // "index name r g b [a]" (vtkMRMLColorTableStorageNode::ReadDataInternal).
    std::vector<std::string_view> w = SplitWords(line, 8);
    std::optional<int64_t> index = w.empty() ? std::nullopt : ParseInt(w[0]);
    if (w.size() < 5 || !index) {
      odd_line(lines.line());
      continue;
    }
    if (!CheckColorIndex(ctx, *index, lines.line())) return;
    bool good = ColorComponent(w[2]) && ColorComponent(w[3]) && ColorComponent(w[4]) &&
                (w.size() < 6 || ColorComponent(w[5]));
    if (!good) odd_line(lines.line());
    if (++colors > ctx.limits().max_color_table_colors) break;
  }
  if (colors > ctx.limits().max_color_table_colors) {
    ctx.sink.LimitReached(Rule::kDataLimitExceeded, "max_color_table_colors", ctx.limits().max_color_table_colors,
                          {}, "by the number of color lines");
    return;
  }
  if (odd > 0) {
    ctx.AddLine(Rule::kDataContentOdd, first_odd,
                std::to_string(odd) + " color line(s) that are not \"index name r g b a\" with components 0..255");
  }
}

}  // namespace mrmlguard::internal::data
