// SPDX-License-Identifier: BSD-3-Clause
// File: event_stream.h
//
// The canonical event stream both parsers write, so that what Expat saw and
// what libxml2 saw can be compared byte for byte (X12). One event is:
//
//   start tag   'S' name 0x00 { attr-name 0x01 attr-value 0x00 } 0x02
//   end tag     'E' name 0x00
//   comment     'C' text 0x00
//   PI          'P' target 0x00
//
// Names and values are UTF-8 after the parser's own decoding (character and
// predefined entity references resolved, attribute-value normalisation
// applied). 0x00-0x02 cannot occur inside them: both parsers refuse C0
// controls, even written as character references. Text is not part of the
// stream: non-whitespace text is refused on its own (xml.text), and parsers
// split whitespace runs differently. CDATA sections are text too.
//
// In locate mode the stream keeps only the current event and remembers the
// one that covers a given stream offset, so the first difference can be
// described without holding either stream whole.

#ifndef MRMLGUARD_LIB_XML_EVENT_STREAM_H_
#define MRMLGUARD_LIB_XML_EVENT_STREAM_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "xml/xml_parser.h"

namespace mrmlguard::internal {

class EventStream {
 public:
  struct Located {
    std::string event;  // the canonical bytes of the event
    uint32_t line = 0;
    uint64_t index = 0;  // 0-based event number
  };

  EventStream() = default;
  // Locate mode: remember the event covering stream offset `target`.
  explicit EventStream(uint64_t target) : locate_(true), target_(target) {}

  // A whole start tag at once (Expat's side): one allocation check and one
  // copy per piece, instead of StartTag + Attribute... + EndStartTag.
  void StartTagWithAttributes(std::string_view name, std::span<const XmlAttribute> attributes, uint32_t line);
  void StartTag(std::string_view name, uint32_t line) {
    Begin(line);
    bytes_ += 'S';
    bytes_ += name;
    bytes_ += '\0';
  }
  void Attribute(std::string_view name, std::string_view value) {
    bytes_ += name;
    bytes_ += '\x01';
    bytes_ += value;
    bytes_ += '\0';
  }
  // libxml2 hands '&' in attribute values on as "&#38;" when it does not
  // substitute entities (parser.c, xmlParseAttValueComplex); every '&' it
  // hands on is such an escape, so turning them back is exact.
  void AttributeAmpEscaped(std::string_view name, std::string_view value);
  void EndStartTag() {
    bytes_ += '\x02';
    Finish();
  }
  void EndTag(std::string_view name, uint32_t line) {
    Begin(line);
    bytes_ += 'E';
    bytes_ += name;
    bytes_ += '\0';
    Finish();
  }
  void Comment(std::string_view text, uint32_t line) {
    Begin(line);
    bytes_ += 'C';
    bytes_ += text;
    bytes_ += '\0';
    Finish();
  }
  void ProcessingInstruction(std::string_view target, uint32_t line) {
    Begin(line);
    bytes_ += 'P';
    bytes_ += target;
    bytes_ += '\0';
    Finish();
  }

  // Normal mode: the bytes written and not yet taken.
  std::string& bytes() { return bytes_; }
  // Drops the first n bytes of bytes() (they were compared).
  void Consume(size_t n) {
    bytes_.erase(0, n);
    dropped_ += n;
  }
  // Total bytes written so far (taken or not).
  uint64_t total() const { return dropped_ + bytes_.size(); }
  uint64_t events() const { return events_; }
  // Locate mode: the event covering the target, once written.
  const std::optional<Located>& located() const { return located_; }

  // Renders one canonical event for a message: <Name a="v">, </Name>,
  // <!--...-->, <?target?>; untrusted text quoted and cut.
  static std::string Describe(std::string_view event);

 private:
  void Begin(uint32_t line) {
    if (locate_) {
      dropped_ += bytes_.size();
      bytes_.clear();
    }
    line_ = line;
  }
  void Finish() {
    ++events_;
    if (locate_ && !located_ && target_ < dropped_ + bytes_.size()) {
      located_ = Located{.event = bytes_, .line = line_, .index = events_ - 1};
    }
  }

  bool locate_ = false;
  uint64_t target_ = 0;
  std::string bytes_;
  uint64_t dropped_ = 0;
  uint64_t events_ = 0;
  uint32_t line_ = 0;
  std::optional<Located> located_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_XML_EVENT_STREAM_H_
