// SPDX-License-Identifier: BSD-3-Clause
#include "report/escape.h"

#include <cstdint>

namespace mrmlguard::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";


void AppendHexByte(std::string* out, unsigned char c) {
  out->append("\\x");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xf]);
}

}  // namespace

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
    const Utf8Step step = DecodeUtf8(text, pos);
    if (!step.valid) {
      for (size_t i = 0; i < step.length; ++i) AppendHexByte(out, static_cast<unsigned char>(text[pos + i]));
    } else if (!IsUnsafeToShow(step.code_point)) {
      out->append(text.substr(pos, step.length));
    } else if (step.code_point == '\n') {
      out->append("\\n");
    } else if (step.code_point == '\t') {
      out->append("\\t");
    } else if (step.code_point == '\r') {
      out->append("\\r");
    } else if (step.code_point < 0x80) {
      AppendHexByte(out, static_cast<unsigned char>(step.code_point));
    } else {
      out->append("\\u{");
      for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(step.code_point >> shift) & 0xf]);
      out->push_back('}');
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
