#include "findings/quote.h"

#include <cstdint>

namespace mrmlguard::internal {
namespace {

// Length of the valid UTF-8 sequence starting at s[i] (1-4), or 0 when the
// bytes there are not valid UTF-8 (overlong forms and surrogates included).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b0 = byte(i);
  size_t n = 0;
  uint32_t min = 0;
  uint32_t cp = 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) { n = 2; cp = b0 & 0x1fu; min = 0x80; }
  else if (b0 >= 0xe0 && b0 <= 0xef) { n = 3; cp = b0 & 0x0fu; min = 0x800; }
  else if (b0 >= 0xf0 && b0 <= 0xf4) { n = 4; cp = b0 & 0x07u; min = 0x10000; }
  else return 0;
  if (n > s.size() - i) return 0;
  for (size_t k = 1; k < n; ++k) {
    uint8_t b = byte(i + k);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

// Decodes a sequence Utf8SequenceLength() accepted.
uint32_t CodePoint(std::string_view seq) {
  auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(seq[k])); };
  switch (seq.size()) {
    case 2: return ((b(0) & 0x1fu) << 6) | (b(1) & 0x3fu);
    case 3: return ((b(0) & 0x0fu) << 12) | ((b(1) & 0x3fu) << 6) | (b(2) & 0x3fu);
    default: return ((b(0) & 0x07u) << 18) | ((b(1) & 0x3fu) << 12) | ((b(2) & 0x3fu) << 6) | (b(3) & 0x3fu);
  }
}

// C1 controls (0x9b can start a terminal escape), bidi overrides and
// isolates, invisible marks and line separators: shown, never passed on, so a
// message cannot reorder or hide what a reader of the report sees.
bool IsInvisibleControl(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

void AppendCodePoint(std::string* out, uint32_t cp) {
  static constexpr char kHex[] = "0123456789abcdef";
  // The same \u{XXXX} form the text report uses for what it escapes itself.
  out->append("\\u{");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(cp >> shift) & 0xf]);
  out->push_back('}');
}

void AppendHex(std::string* out, uint8_t b) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[b >> 4]);
  out->push_back(kHex[b & 0xf]);
}

}  // namespace

std::string Quote(std::string_view untrusted, size_t max_bytes) {
  std::string out = "\"";
  size_t i = 0;
  while (i < untrusted.size()) {
    if (i >= max_bytes) {
      out += "...";
      break;
    }
    uint8_t b = static_cast<uint8_t>(untrusted[i]);
    if (b == '"' || b == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(b));
      ++i;
    } else if (b < 0x20 || b == 0x7f) {
      AppendHex(&out, b);
      ++i;
    } else if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      ++i;
    } else if (size_t n = Utf8SequenceLength(untrusted, i); n != 0) {
      uint32_t cp = CodePoint(untrusted.substr(i, n));
      if (IsInvisibleControl(cp)) {
        AppendCodePoint(&out, cp);
      } else {
        out.append(untrusted.substr(i, n));
      }
      i += n;
    } else {
      AppendHex(&out, b);
      ++i;
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace mrmlguard::internal
