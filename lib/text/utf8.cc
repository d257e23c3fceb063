// SPDX-License-Identifier: BSD-3-Clause
#include "text/utf8.h"

namespace mrmlguard::internal::text {

Utf8Step DecodeUtf8(std::string_view s, size_t pos) {
  Utf8Step step;
  const Utf8Lead lead = ReadUtf8Lead(static_cast<uint8_t>(s[pos]));
  if (!lead.starts) return step;  // one byte, invalid
  char32_t cp = lead.bits;
  size_t i = 1;
  for (; i <= lead.continuation; ++i) {
    if (pos + i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[pos + i]);
    const bool ok = i == 1 ? c >= lead.second_lo && c <= lead.second_hi : c >= 0x80 && c <= 0xbf;
    if (!ok) break;
    cp = (cp << 6) | (c & 0x3fu);
  }
  step.length = i;  // the maximal subpart when invalid, the whole sequence when valid
  if (i == lead.continuation + 1u) {
    step.valid = true;
    step.code_point = cp;
  }
  return step;
}

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

}  // namespace mrmlguard::internal::text
