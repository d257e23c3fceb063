// SPDX-License-Identifier: BSD-3-Clause
#include "report/escape.h"

#include <cstdint>

#include "text/quote.h"

namespace mrmlguard::internal {

bool IsUnsafeToShow(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||  // C0, DEL, C1
         (cp >= 0x202a && cp <= 0x202e) ||            // LRE RLE PDF LRO RLO
         (cp >= 0x2066 && cp <= 0x2069) ||            // LRI RLI FSI PDI
         cp == 0x200e || cp == 0x200f || cp == 0x061c ||  // LRM RLM ALM
         cp == 0x2028 || cp == 0x2029;                // line / paragraph separator
}

void AppendForTerminal(std::string* out, std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const text::Utf8Step step = text::DecodeUtf8(text, pos);
    if (!step.valid) {
      for (size_t i = 0; i < step.length; ++i) text::AppendHexEscape(out, static_cast<uint8_t>(text[pos + i]));
    } else if (!IsUnsafeToShow(step.code_point)) {
      out->append(text.substr(pos, step.length));
    } else if (step.code_point == '\n') {
      out->append("\\n");
    } else if (step.code_point == '\t') {
      out->append("\\t");
    } else if (step.code_point == '\r') {
      out->append("\\r");
    } else if (step.code_point < 0x80) {
      text::AppendHexEscape(out, static_cast<uint8_t>(step.code_point));
    } else {
      text::AppendCodePointEscape(out, step.code_point);
    }
    pos += step.length;
  }
}

std::string ForTerminal(std::string_view text) {
  std::string out;
  AppendForTerminal(&out, text);
  return out;
}

void AppendUriPath(std::string* out, std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (unreserved) {
      out->push_back(ch);
    } else {
      out->push_back('%');
      out->push_back("0123456789ABCDEF"[c >> 4]);
      out->push_back("0123456789ABCDEF"[c & 0xf]);
    }
  }
}

}  // namespace mrmlguard::internal
