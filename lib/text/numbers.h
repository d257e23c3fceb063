// SPDX-License-Identifier: BSD-3-Clause
// File: numbers.h
//
// Number grammars for header fields (NRRD, MetaImage, NIfTI text, VTK): the
// whole view must be the number, an optional leading '+' or '-' is allowed,
// and nothing else (no spaces, no trailing text, no hex). std::from_chars
// decides, so the result never depends on the locale.
//
// The MRML layer keeps its own stricter forms (mrml::ParseStrictInt and
// ParseStrictReal in lib/mrml/values.h), which follow what Slicer's
// std::stringstream reading of a node attribute accepts.
//
// Example:
//   std::optional<uint64_t> size = text::ParseUint(word);
//   if (!size) return Malformed("sizes");

#ifndef MRMLGUARD_LIB_TEXT_NUMBERS_H_
#define MRMLGUARD_LIB_TEXT_NUMBERS_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace mrmlguard::internal::text {

// A decimal integer in int64 range.
std::optional<int64_t> ParseInt(std::string_view s);
// A non-negative decimal integer in uint64 range ("-0" is refused).
std::optional<uint64_t> ParseUint(std::string_view s);
// A finite floating point number (decimal or exponent form; "nan" and "inf" refused).
std::optional<double> ParseDouble(std::string_view s);

}  // namespace mrmlguard::internal::text

#endif  // MRMLGUARD_LIB_TEXT_NUMBERS_H_
