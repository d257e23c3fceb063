// SPDX-License-Identifier: BSD-3-Clause
// ITK transform text files (.tfm, .txt): itkTxtTransformIO ("#Insight
// Transform File V1.0", "Transform:", "Parameters:", "FixedParameters:").

#include <string>

#include "data/data_internal.h"

namespace mrmlguard::internal::data {
void ReadItkTransform(Ctx& ctx) {
  LineReader lines(ctx.file.prefix);
  (void)lines.Next();  // "#Insight Transform File V1.0"
  uint64_t transforms = 0;
  while (std::optional<std::string_view> raw = lines.Next()) {
    std::string_view line = Trim(*raw);
    if (line.empty() || line.front() == '#') continue;
    if (!lines.terminated() && !ctx.whole()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(), "ITK transform line " + Quote(line) + " is not \"Key: value\"");
      return;
    }
    std::string_view key = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (key == "Transform") {
      ++transforms;
      // The ITK transform factory instantiates the class by this name.
      for (char c : value) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
          ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(), "ITK transform name " + Quote(value) + " is not an identifier");
          return;
        }
      }
    } else if (key == "Parameters" || key == "FixedParameters") {
      size_t count = 0;
      for (std::string_view w : SplitWords(value, SIZE_MAX)) {
        ++count;
        if (!ParseDouble(w)) {
          ctx.AddLine(Rule::kDataHeaderMalformed, lines.line(),
                      "ITK transform " + std::string(key) + " value " + Quote(w) + " is not a finite number");
          return;
        }
      }
      (void)count;
    } else {
      ctx.AddLine(Rule::kDataContentOdd, lines.line(), "ITK transform key " + Quote(key) + " is not known");
    }
  }
  if (transforms == 0 && ctx.whole()) {
    ctx.Add(Rule::kDataHeaderMalformed, std::nullopt, "ITK transform file names no transform");
  }
}

}  // namespace mrmlguard::internal::data
