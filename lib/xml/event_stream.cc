// SPDX-License-Identifier: BSD-3-Clause
#include "xml/event_stream.h"

#include <cstring>

#include "findings/quote.h"

namespace mrmlguard::internal {

void EventStream::StartTagWithAttributes(std::string_view name, std::span<const XmlAttribute> attributes,
                                         uint32_t line) {
  Begin(line);
  // Sizes are bounded by the XML limits checked before any event is written
  // (max_attributes_per_element x max_attribute_value_bytes), far from size_t's.
  size_t n = name.size() + 3;  // 'S' name 0x00 ... 0x02
  for (const XmlAttribute& a : attributes) n += a.name.size() + a.value.size() + 2;
  const size_t at = bytes_.size();
  bytes_.resize(at + n);
  char* p = bytes_.data() + at;
  auto put = [&p](std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  };
  *p++ = 'S';
  put(name);
  *p++ = '\0';
  for (const XmlAttribute& a : attributes) {
    put(a.name);
    *p++ = '\x01';
    put(a.value);
    *p++ = '\0';
  }
  *p++ = '\x02';
  Finish();
}

void EventStream::AttributeAmpEscaped(std::string_view name, std::string_view value) {
  bytes_ += name;
  bytes_ += '\x01';
  constexpr std::string_view kEscape = "&#38;";
  size_t pos = 0;
  while (pos < value.size()) {
    size_t amp = value.find('&', pos);
    if (amp == std::string_view::npos) {
      bytes_ += value.substr(pos);
      break;
    }
    bytes_ += value.substr(pos, amp - pos);
    bytes_ += '&';
    // Anything but the escape is kept as is, so the comparison sees it.
    pos = value.substr(amp).starts_with(kEscape) ? amp + kEscape.size() : amp + 1;
  }
  bytes_ += '\0';
}

std::string EventStream::Describe(std::string_view event) {
  if (event.empty()) return "the end of the document";
  char kind = event[0];
  std::string_view rest = event.substr(1);
  size_t end = rest.find('\0');
  std::string_view first = rest.substr(0, end);
  switch (kind) {
    case 'S': {
      std::string out = "start tag <" + Quote(first, 60);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      int shown = 0;
      while (!rest.empty() && rest[0] != '\x02') {
        size_t eq = rest.find('\x01');
        size_t stop = rest.find('\0');
        if (eq == std::string_view::npos || stop == std::string_view::npos || eq > stop) break;
        if (shown++ == 8) {
          out += " ...";
          break;
        }
        out += ' ' + Quote(rest.substr(0, eq), 40) + '=' + Quote(rest.substr(eq + 1, stop - eq - 1), 60);
        rest = rest.substr(stop + 1);
      }
      return out + '>';
    }
    case 'E':
      return "end tag </" + Quote(first, 60) + '>';
    case 'C':
      return "comment " + Quote(first, 60);
    case 'P':
      return "processing instruction <?" + Quote(first, 60) + "?>";
    default:
      return "event " + Quote(event, 60);
  }
}

}  // namespace mrmlguard::internal
