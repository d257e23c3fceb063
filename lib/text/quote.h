// SPDX-License-Identifier: BSD-3-Clause
// File: quote.h
//
// Quote() makes untrusted bytes (entry names, attribute values, paths) safe to
// put in a finding message: wrapped in double quotes, with '"' and '\\'
// escaped, control bytes and bytes that are not valid UTF-8 written as \xNN,
// and cut after `max_bytes` with "..." so one hostile value cannot flood a
// report. The two escapes it writes are shared with the report writers
// (report/escape.h), so a byte reads the same in a message and in a report.
//
// Example:
//   "entry " + text::Quote(name) + " climbs 2 levels above the bundle root"

#ifndef MRMLGUARD_LIB_TEXT_QUOTE_H_
#define MRMLGUARD_LIB_TEXT_QUOTE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mrmlguard::internal::text {

std::string Quote(std::string_view untrusted, size_t max_bytes = 160);

// Appends `byte` as \xNN (lower-case hex).
void AppendHexEscape(std::string* out, uint8_t byte);
// Appends the low 16 bits of `code_point` as \u{NNNN} (lower-case hex): the
// form for the invisible and bidi controls, all in the BMP.
void AppendCodePointEscape(std::string* out, char32_t code_point);

}  // namespace mrmlguard::internal::text

#endif  // MRMLGUARD_LIB_TEXT_QUOTE_H_
