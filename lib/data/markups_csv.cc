// SPDX-License-Identifier: BSD-3-Clause
// Markups CSV: .fcsv fiducial lists (fields separated by ',', "# columns"
// names them) and .acsv annotation files (fields separated by '|').

#include <string>

#include "data/data_internal.h"

namespace mrmlguard::internal::data {
void ReadMarkupsCsv(Ctx& ctx) {
  // .fcsv (fields separated by ',', "# columns = ..." names them) and .acsv
  // (annotation files, fields separated by '|').
  bool acsv = ExtensionOf(ctx.file.name) == ".acsv";
  LineReader lines(ctx.file.prefix);
  uint64_t columns = 0, odd = 0;
  uint32_t first_odd = 0;
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view line = Trim(*raw);
    if (line.empty()) continue;
    if (line.front() == '#') {
      std::string_view body = Trim(line.substr(1));
      size_t eq = body.find('=');
      if (eq == std::string_view::npos) continue;
      std::string key = Lower(Trim(body.substr(0, eq)));
      std::string_view value = Trim(body.substr(eq + 1));
      if (key == "name") {
        // The node name replaces %N in the control point label format (default "%N-%d").
        CheckLabelFormat(ctx, "%N-%d", value, acsv ? "annotation" : "fiducial list", std::nullopt);
      } else if (key == "columns" && !acsv) {
        columns = SplitOn(value, ',', 64).size();
      }
      continue;
    }
    if (!lines.terminated() && !ctx.whole()) break;  // the last line is cut by the prefix
    // Count fields; .fcsv quotes fields that hold commas.
    uint64_t fields = 1;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (!quoted && c == (acsv ? '|' : ',')) ++fields;
    }
    bool bad = fields < 4 || (columns != 0 && fields != columns);
    if (bad && ++odd == 1) first_odd = lines.line();
  }
  if (odd > 0) {
    ctx.AddLine(Rule::kDataContentOdd, first_odd,
                std::to_string(odd) + " point line(s) with too few fields or a field count unlike \"# columns\"");
  }
}

}  // namespace mrmlguard::internal::data
