// SPDX-License-Identifier: BSD-3-Clause
// File: xml_decl.h
//
// Reads the byte order mark and the XML declaration at the very start of a
// document, before any parser runs, and decides how the rest is scanned (X2).
// Deciding up front keeps the verdict independent of chunking: the scanner
// knows from the first byte whether non-ASCII bytes are allowed.
//
//   absent declaration, or encoding="UTF-8" (any case), optional UTF-8 BOM -> kUtf8
//   encoding="ISO-8859-1" or "US-ASCII" (the two single-byte encodings Expat
//     knows; any case)                                    -> kAsciiOnly (warning if pure ASCII)
//   UTF-16/UTF-32 BOM, UTF-16/32/EBCDIC without BOM,
//   any other declared encoding                           -> kRefused (xml.encoding)
//
// version and standalone are judged by the Expat driver's declaration handler,
// which sees the same declaration.

#ifndef MRMLGUARD_LIB_XML_XML_DECL_H_
#define MRMLGUARD_LIB_XML_XML_DECL_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace mrmlguard::internal {

// How many bytes PrescanDeclaration wants to see (fewer when the document is
// shorter). A real declaration is under 60 bytes; a longer one is refused.
inline constexpr size_t kDeclPrefixBytes = 1024;

struct DeclInfo {
  enum class Kind { kUtf8, kAsciiOnly, kRefused };
  Kind kind = Kind::kRefused;
  std::string encoding;  // as declared (kAsciiOnly), for messages
  std::string message;   // why (kRefused)
  uint64_t offset = 0;   // where the problem is (kRefused)
};

// `prefix` is the first min(kDeclPrefixBytes, size) bytes of the document.
DeclInfo PrescanDeclaration(std::span<const uint8_t> prefix);

// True for names Expat knows as a single-byte encoding ("ISO-8859-1",
// "US-ASCII"), compared without case.
bool IsSingleByteEncodingName(std::string_view name);
// True for "UTF-8" without case.
bool IsUtf8EncodingName(std::string_view name);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_XML_XML_DECL_H_
