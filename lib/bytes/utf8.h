// SPDX-License-Identifier: BSD-3-Clause
// File: utf8.h
//
// The one UTF-8 decoder for untrusted text: used to quote values in finding
// messages (findings/quote.h), to escape them in reports (report/escape.h) and
// to check and fold ZIP entry names (zip/zip_names.cc). The XML layer's
// streaming scanner (xml/byte_scanner.cc) keeps a state machine of its own
// over the same table, because its sequences may span two chunks.

#ifndef MRMLGUARD_LIB_BYTES_UTF8_H_
#define MRMLGUARD_LIB_BYTES_UTF8_H_

#include <cstddef>
#include <string_view>

namespace mrmlguard::internal {

// One step of UTF-8 decoding.
struct Utf8Step {
  char32_t code_point = 0;  // valid only when `valid`
  size_t length = 1;        // bytes consumed, always >= 1 when pos < size
  bool valid = false;
};

// Decodes the sequence starting at s[pos] (pos < s.size()). Follows Unicode's
// table 3-7 of well-formed sequences: overlongs, surrogates and code points
// above U+10FFFF are invalid. An invalid sequence consumes its "maximal
// subpart" (the longest prefix that could have started a valid sequence, at
// least one byte), as WHATWG and ICU do, so each bad byte run maps to one
// replacement.
Utf8Step DecodeUtf8(std::string_view s, size_t pos);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_BYTES_UTF8_H_
