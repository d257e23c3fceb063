// SPDX-License-Identifier: BSD-3-Clause
#include "xml/xml_decl.h"

#include <string_view>

#include "findings/quote.h"

namespace mrmlguard::internal {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

bool StartsWith(std::span<const uint8_t> bytes, std::initializer_list<uint8_t> magic) {
  if (bytes.size() < magic.size()) return false;
  size_t i = 0;
  for (uint8_t b : magic) {
    if (bytes[i++] != b) return false;
  }
  return true;
}

bool IsSpace(uint8_t c) { return c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A; }

DeclInfo Refuse(std::string message, uint64_t offset = 0) {
  return DeclInfo{.kind = DeclInfo::Kind::kRefused, .encoding = {}, .message = std::move(message), .offset = offset};
}

// Cursor over the declaration's pseudo-attributes (XML 1.0 [23]-[32]).
struct DeclReader {
  std::span<const uint8_t> bytes;
  size_t pos;

  void SkipSpace() {
    while (pos < bytes.size() && IsSpace(bytes[pos])) ++pos;
  }
  // Reads `name S? = S? quoted`; false when the bytes are not that shape.
  bool ReadPseudoAttribute(std::string_view* name, std::string_view* value) {
    size_t start = pos;
    while (pos < bytes.size() && bytes[pos] >= 'a' && bytes[pos] <= 'z') ++pos;
    if (pos == start) return false;
    *name = std::string_view(reinterpret_cast<const char*>(bytes.data() + start), pos - start);
    SkipSpace();
    if (pos >= bytes.size() || bytes[pos] != '=') return false;
    ++pos;
    SkipSpace();
    if (pos >= bytes.size() || (bytes[pos] != '"' && bytes[pos] != '\'')) return false;
    uint8_t quote = bytes[pos++];
    size_t value_start = pos;
    while (pos < bytes.size() && bytes[pos] != quote) ++pos;
    if (pos >= bytes.size()) return false;
    *value = std::string_view(reinterpret_cast<const char*>(bytes.data() + value_start), pos - value_start);
    ++pos;
    return true;
  }
};

}  // namespace

bool IsSingleByteEncodingName(std::string_view name) {
  return EqualsNoCase(name, "ISO-8859-1") || EqualsNoCase(name, "US-ASCII");
}

bool IsUtf8EncodingName(std::string_view name) { return EqualsNoCase(name, "UTF-8"); }

DeclInfo PrescanDeclaration(std::span<const uint8_t> prefix) {
  // Byte order marks and the autodetection table of XML 1.0 appendix F.1.
  // The four-byte UTF-32 marks come first: FF FE 00 00 also starts with the
  // UTF-16LE mark.
  if (StartsWith(prefix, {0x00, 0x00, 0xFE, 0xFF})) return Refuse("UTF-32BE byte order mark; only UTF-8 is accepted");
  if (StartsWith(prefix, {0xFF, 0xFE, 0x00, 0x00})) return Refuse("UTF-32LE byte order mark; only UTF-8 is accepted");
  if (StartsWith(prefix, {0xFE, 0xFF})) return Refuse("UTF-16BE byte order mark; only UTF-8 is accepted");
  if (StartsWith(prefix, {0xFF, 0xFE})) return Refuse("UTF-16LE byte order mark; only UTF-8 is accepted");
  if (StartsWith(prefix, {0x00, 0x00, 0x00, 0x3C}) || StartsWith(prefix, {0x3C, 0x00, 0x00, 0x00})) {
    return Refuse("the document starts like UTF-32 without a byte order mark; only UTF-8 is accepted");
  }
  if (StartsWith(prefix, {0x00, 0x3C, 0x00, 0x3F}) || StartsWith(prefix, {0x3C, 0x00, 0x3F, 0x00})) {
    return Refuse("the document starts like UTF-16 without a byte order mark; only UTF-8 is accepted");
  }
  if (StartsWith(prefix, {0x4C, 0x6F, 0xA7, 0x94})) return Refuse("the document starts like EBCDIC; only UTF-8 is accepted");

  DeclInfo utf8{.kind = DeclInfo::Kind::kUtf8};
  size_t pos = StartsWith(prefix, {0xEF, 0xBB, 0xBF}) ? 3 : 0;
  // "<?xml" followed by white space opens a declaration; anything else (an
  // element, a PI such as <?xml-stylesheet, a comment) means there is none.
  if (!StartsWith(prefix.subspan(pos), {'<', '?', 'x', 'm', 'l'}) || prefix.size() < pos + 6 ||
      !IsSpace(prefix[pos + 5])) {
    return utf8;
  }
  DeclReader reader{.bytes = prefix, .pos = pos + 5};
  std::string_view encoding;
  bool has_encoding = false;
  for (;;) {
    reader.SkipSpace();
    if (reader.pos + 1 < prefix.size() && prefix[reader.pos] == '?' && prefix[reader.pos + 1] == '>') break;
    std::string_view name;
    std::string_view value;
    if (!reader.ReadPseudoAttribute(&name, &value)) {
      if (reader.pos >= prefix.size() && prefix.size() >= kDeclPrefixBytes) {
        return Refuse("the XML declaration does not end within its first " + std::to_string(kDeclPrefixBytes) +
                          " bytes",
                      pos);
      }
      // Not a well-formed declaration: Expat reports it as malformed.
      return utf8;
    }
    if (name == "encoding") {
      encoding = value;
      has_encoding = true;
    }
  }
  if (!has_encoding || IsUtf8EncodingName(encoding)) return utf8;
  if (IsSingleByteEncodingName(encoding)) {
    return DeclInfo{.kind = DeclInfo::Kind::kAsciiOnly, .encoding = std::string(encoding)};
  }
  return Refuse("declared encoding " + Quote(encoding, 40) +
                    "; only UTF-8 is accepted (Expat and libxml2 support different encodings)",
                pos);
}

}  // namespace mrmlguard::internal
