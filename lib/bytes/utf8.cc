// SPDX-License-Identifier: BSD-3-Clause
#include "bytes/utf8.h"

namespace mrmlguard::internal {
namespace {

bool InRange(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

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

}  // namespace mrmlguard::internal
