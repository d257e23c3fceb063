// SPDX-License-Identifier: BSD-3-Clause
// File: escape.h
//
// Byte-level helpers shared by the writers. Every string a report carries may
// hold bytes taken from a hostile file (entry names, node ids, attribute
// values quoted in messages), so each writer passes it through one of these
// before it reaches a terminal, a JSON document or a URI.

#ifndef MRMLGUARD_LIB_REPORT_ESCAPE_H_
#define MRMLGUARD_LIB_REPORT_ESCAPE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "text/utf8.h"

namespace mrmlguard::internal {

// True for code points that a terminal, editor or browser may act on instead
// of showing: C0 controls, DEL, C1 controls (0x9b is a CSI on some
// terminals), bidirectional embedding/override/isolate controls (they reorder
// what is displayed: "trojan source"), and the line/paragraph separators.
bool IsUnsafeToShow(char32_t code_point);

// Appends `text` so that it shows as written and cannot steer a terminal:
// unsafe code points become \n, \t, \r, \xNN or \u{NNNN}; bytes that are not
// UTF-8 become \xNN; everything else is copied.
void AppendForTerminal(std::string* out, std::string_view text);
std::string ForTerminal(std::string_view text);

// Appends `text` percent-encoded for a URI path: everything except the RFC
// 3986 unreserved characters and '/' is encoded, byte by byte (so ':' in a
// relative path can never be read as a scheme, and '#'/'?' never end it).
void AppendUriPath(std::string* out, std::string_view text);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_REPORT_ESCAPE_H_
