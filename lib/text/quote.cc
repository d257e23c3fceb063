// SPDX-License-Identifier: BSD-3-Clause
#include "text/quote.h"

#include "text/utf8.h"

namespace mrmlguard::internal::text {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// C1 controls (0x9b can start a terminal escape), bidi overrides and
// isolates, invisible marks and line separators: shown, never passed on, so a
// message cannot reorder or hide what a reader of the report sees.
bool IsInvisibleControl(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

}  // namespace

void AppendHexEscape(std::string* out, uint8_t byte) {
  out->append("\\x");
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 0xf]);
}

void AppendCodePointEscape(std::string* out, char32_t code_point) {
  out->append("\\u{");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(code_point >> shift) & 0xf]);
  out->push_back('}');
}

std::string Quote(std::string_view untrusted, size_t max_bytes) {
  std::string out = "\"";
  size_t i = 0;
  while (i < untrusted.size()) {
    if (i >= max_bytes) {
      out += "...";
      break;
    }
    const Utf8Step step = DecodeUtf8(untrusted, i);
    const char32_t cp = step.code_point;
    if (!step.valid) {
      for (size_t k = 0; k < step.length; ++k) AppendHexEscape(&out, static_cast<uint8_t>(untrusted[i + k]));
    } else if (cp == '"' || cp == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x20 || cp == 0x7f) {
      AppendHexEscape(&out, static_cast<uint8_t>(cp));
    } else if (IsInvisibleControl(cp)) {
      AppendCodePointEscape(&out, cp);
    } else {
      out.append(untrusted.substr(i, step.length));
    }
    i += step.length;
  }
  out.push_back('"');
  return out;
}

}  // namespace mrmlguard::internal::text
