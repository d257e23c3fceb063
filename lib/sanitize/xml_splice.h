// SPDX-License-Identifier: BSD-3-Clause
// File: xml_splice.h
//
// The sanitizer's view of a scene document: where every element, attribute
// and markup construct lies in the original bytes, so that a change copies
// every other byte unchanged (untouched attributes keep their value, quoting
// and order).
//
// ScanMarkup runs only over documents the XML layer has accepted as
// well-formed (Expat and libxml2 agreed, no DOCTYPE, UTF-8): it does not judge
// XML, it finds spans, and it refuses (returns false) anything it does not
// expect, so a surprise never becomes a wrong splice.

#ifndef MRMLGUARD_LIB_SANITIZE_XML_SPLICE_H_
#define MRMLGUARD_LIB_SANITIZE_XML_SPLICE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::internal::sanitize {

struct SpanAttribute {
  std::string_view name;
  size_t lead = 0;         // first whitespace byte before the name
  size_t value_begin = 0;  // first byte inside the quotes
  size_t value_end = 0;    // the closing quote
  char quote = '"';
  std::string value;       // decoded as an XML parser reads it (references, whitespace normalisation)
};

enum class MarkupKind : uint8_t { kElement, kComment, kCdata, kProcessingInstruction, kDeclaration };

struct SpanItem {
  MarkupKind kind = MarkupKind::kElement;
  size_t begin = 0;    // '<'
  size_t end = 0;      // one past the last byte: of the end tag, or of "/>", "-->", "]]>", "?>"
  size_t tag_end = 0;  // elements: one past the start tag's '>'
  std::string_view name;
  std::vector<SpanAttribute> attributes;
  uint32_t line = 0;    // 1-based, as Expat counts (CR, LF and CRLF end a line)
  uint32_t column = 0;  // 1-based, in characters
  int32_t parent = -1;  // index of the enclosing element
  uint32_t depth = 0;   // root element = 1

  const SpanAttribute* Find(std::string_view attribute) const {
    for (const SpanAttribute& a : attributes) {
      if (a.name == attribute) return &a;
    }
    return nullptr;
  }
  std::string_view Id() const {
    const SpanAttribute* a = Find("id");
    return a == nullptr ? std::string_view() : std::string_view(a->value);
  }
};

// Finds every element and markup construct of `doc`, in document order.
// False (with *error set) for anything it does not expect.
bool ScanMarkup(std::string_view doc, std::vector<SpanItem>* items, std::string* error);

// Escapes an attribute value for writing between `quote` characters.
std::string EscapeAttributeValue(std::string_view value);

// One replacement of the bytes [begin, end).
struct Splice {
  size_t begin = 0;
  size_t end = 0;
  std::string text;
};

// Applies splices (any order; none may overlap, checked) to `doc`. False
// when two overlap.
bool ApplySplices(std::string_view doc, std::vector<Splice> splices, std::string* out);

// The start of the whitespace run (spaces, tabs, CR, LF) that ends at `pos`:
// dropping [LeadingSpace(doc, begin), end) takes an element's line with it.
size_t LeadingSpace(std::string_view doc, size_t pos);

}  // namespace mrmlguard::internal::sanitize

#endif  // MRMLGUARD_LIB_SANITIZE_XML_SPLICE_H_
