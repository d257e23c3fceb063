#include "report/escape.h"

#include <cstdint>

namespace mrmlguard::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool InRange(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

void AppendHexByte(std::string* out, unsigned char c) {
  out->append("\\x");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xf]);
}

}  // namespace

Utf8Step DecodeUtf8(std::string_view s, size_t pos) {
  Utf8Step step;
  const auto lead = static_cast<unsigned char>(s[pos]);
  if (lead < 0x80) {
    step.code_point = lead;
    step.valid = true;
    return step;
  }
  // Unicode 15, table 3-7: the lead byte fixes the length and the range the
  // second byte must fall in; later bytes are always 80..BF.
  size_t need = 0;
  unsigned char second_lo = 0x80, second_hi = 0xbf;
  char32_t cp = 0;
  if (InRange(lead, 0xc2, 0xdf)) {
    need = 1;
    cp = lead & 0x1fu;
  } else if (InRange(lead, 0xe0, 0xef)) {
    need = 2;
    cp = lead & 0x0fu;
    if (lead == 0xe0) second_lo = 0xa0;  // no overlongs
    if (lead == 0xed) second_hi = 0x9f;  // no UTF-16 surrogates
  } else if (InRange(lead, 0xf0, 0xf4)) {
    need = 3;
    cp = lead & 0x07u;
    if (lead == 0xf0) second_lo = 0x90;  // no overlongs
    if (lead == 0xf4) second_hi = 0x8f;  // nothing above U+10FFFF
  } else {
    return step;  // 80..C1, F5..FF never start a sequence
  }
  size_t i = 1;
  for (; i <= need; ++i) {
    if (pos + i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[pos + i]);
    const bool ok = i == 1 ? InRange(c, second_lo, second_hi) : InRange(c, 0x80, 0xbf);
    if (!ok) break;
    cp = (cp << 6) | (c & 0x3fu);
  }
  step.length = i;  // the maximal subpart when invalid, the whole sequence when valid
  if (i == need + 1) {
    step.valid = true;
    step.code_point = cp;
  }
  return step;
}

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
