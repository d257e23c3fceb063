// File: zip_names.h
//
// Entry-name rules (hardening research A.3, checks Z17-Z19) and the helper
// that quotes untrusted bytes for messages. Internal to the zip layer.

#ifndef MRMLGUARD_LIB_ZIP_ZIP_NAMES_H_
#define MRMLGUARD_LIB_ZIP_ZIP_NAMES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "findings/finding_sink.h"

namespace mrmlguard::internal {

// findings/quote.h Quote(): `bytes` in double quotes, escaped, cut after
// `max_bytes`. Safe to put in any message or report format.
std::string QuoteUntrusted(std::string_view bytes, size_t max_bytes = 160);

// Checks one entry name on its own: UTF-8 (and bit 11 for non-ASCII), control
// and invisible code points, absolute/drive/UNC, backslash, empty/'.'/'..'
// components, Windows-reserved names and characters, and AppleDouble/__MACOSX
// (bundle.mac-metadata). Each rule is reported at most once per name, at
// `offset` (the central header). Returns false when an error-class rule fired.
bool CheckEntryName(std::string_view name, bool utf8_flag, uint64_t offset, FindingSink& sink);

// The key two names collide under on a case-insensitive, normalising file
// system. `name` must already have passed CheckEntryName (valid UTF-8).
// Folded: ASCII A-Z; Latin-1 Supplement, Latin Extended-A and -B letters are
// lowercased and decomposed (NFD) from a table generated with Python's
// unicodedata (Unicode 14), so "É", "é" and "e\u0301" share a key. Not
// folded: Greek, Cyrillic and other scripts, compatibility forms, Hangul.
std::string FoldKey(std::string_view name);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_ZIP_NAMES_H_
