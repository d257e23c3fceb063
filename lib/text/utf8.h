// SPDX-License-Identifier: BSD-3-Clause
// File: utf8.h
//
// The one UTF-8 table and decoder for untrusted text: used to quote values in
// finding messages (text/quote.h), to escape them in reports
// (report/escape.h), to check and fold ZIP entry names (zip/zip_names.cc),
// and by the XML layer's streaming scanner (xml/byte_scanner.cc), which reads
// the lead byte here and keeps the rest of a sequence in a state machine of
// its own, because its sequences may span two chunks. AppendUtf8 is the one
// encoder (JSON \u escapes, folded ZIP names).

#ifndef MRMLGUARD_LIB_TEXT_UTF8_H_
#define MRMLGUARD_LIB_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mrmlguard::internal::text {

// What a lead byte says about its sequence: Unicode 15, table 3-7 of
// well-formed sequences. The byte after the lead must fall in
// [second_lo, second_hi] (this excludes overlongs, UTF-16 surrogates and code
// points above U+10FFFF); the later ones in 80..BF.
struct Utf8Lead {
  bool starts = false;        // ASCII or C2..F4; 80..C1 and F5..FF never start a sequence
  uint8_t continuation = 0;   // bytes that follow the lead (0 for ASCII)
  uint8_t second_lo = 0x80;
  uint8_t second_hi = 0xbf;
  char32_t bits = 0;          // the lead's share of the code point
};

constexpr Utf8Lead ReadUtf8Lead(uint8_t lead) {
  Utf8Lead out;
  if (lead < 0x80) {
    out.starts = true;
    out.bits = lead;
  } else if (lead >= 0xc2 && lead <= 0xdf) {
    out = {.starts = true, .continuation = 1, .bits = lead & 0x1fu};
  } else if (lead >= 0xe0 && lead <= 0xef) {
    out = {.starts = true, .continuation = 2, .bits = lead & 0x0fu};
    if (lead == 0xe0) out.second_lo = 0xa0;  // no overlong 3-byte forms
    if (lead == 0xed) out.second_hi = 0x9f;  // no UTF-16 surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    out = {.starts = true, .continuation = 3, .bits = lead & 0x07u};
    if (lead == 0xf0) out.second_lo = 0x90;  // no overlong 4-byte forms
    if (lead == 0xf4) out.second_hi = 0x8f;  // nothing above U+10FFFF
  }
  return out;
}

// One step of UTF-8 decoding.
struct Utf8Step {
  char32_t code_point = 0;  // valid only when `valid`
  size_t length = 1;        // bytes consumed, always >= 1 when pos < size
  bool valid = false;
};

// Decodes the sequence starting at s[pos] (pos < s.size()), by the table
// above. An invalid sequence consumes its "maximal subpart" (the longest
// prefix that could have started a valid sequence, at least one byte), as
// WHATWG and ICU do, so each bad byte run maps to one replacement.
Utf8Step DecodeUtf8(std::string_view s, size_t pos);

// Appends code point `cp` (at most U+10FFFF, not a surrogate) in UTF-8.
void AppendUtf8(std::string* out, char32_t cp);

}  // namespace mrmlguard::internal::text

#endif  // MRMLGUARD_LIB_TEXT_UTF8_H_
