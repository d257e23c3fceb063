// SPDX-License-Identifier: BSD-3-Clause
// The span scanner and splicer of the sanitizer (xml_splice.h).

#include "sanitize/xml_splice.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace mrmlguard::internal::sanitize {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool StartsAt(std::string_view doc, size_t pos, std::string_view what) {
  return doc.size() - pos >= what.size() && doc.substr(pos, what.size()) == what;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// XML 1.0 §3.3.3 attribute-value normalisation of a CDATA attribute after
// §2.11 line-end handling: CR LF, CR, LF and TAB become one space each;
// character references are kept as the character they name.
bool DecodeValue(std::string_view raw, std::string* out) {
  out->clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\r') {
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      *out += ' ';
    } else if (c == '\n' || c == '\t') {
      *out += ' ';
    } else if (c == '&') {
      const size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos) return false;
      const std::string_view ref = raw.substr(i + 1, semi - i - 1);
      if (ref == "lt") {
        *out += '<';
      } else if (ref == "gt") {
        *out += '>';
      } else if (ref == "amp") {
        *out += '&';
      } else if (ref == "quot") {
        *out += '"';
      } else if (ref == "apos") {
        *out += '\'';
      } else if (ref.size() >= 2 && ref[0] == '#') {
        const bool hex = ref[1] == 'x';
        uint32_t cp = 0;
        const size_t first = hex ? 2 : 1;
        if (ref.size() <= first || ref.size() - first > 8) return false;
        for (size_t k = first; k < ref.size(); ++k) {
          const char d = ref[k];
          uint32_t v = 0;
          if (d >= '0' && d <= '9') {
            v = static_cast<uint32_t>(d - '0');
          } else if (hex && d >= 'a' && d <= 'f') {
            v = static_cast<uint32_t>(d - 'a' + 10);
          } else if (hex && d >= 'A' && d <= 'F') {
            v = static_cast<uint32_t>(d - 'A' + 10);
          } else {
            return false;
          }
          cp = cp * (hex ? 16 : 10) + v;
        }
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        AppendUtf8(cp, out);
      } else {
        return false;  // no DOCTYPE, so no other entity exists
      }
      i = semi;
    } else {
      *out += c;
    }
  }
  return true;
}

// Line and column as Expat counts them, advanced byte by byte.
class Cursor {
 public:
  explicit Cursor(std::string_view doc) : doc_(doc) {}
  void AdvanceTo(size_t pos) {
    for (; at_ < pos && at_ < doc_.size(); ++at_) {
      const unsigned char c = static_cast<unsigned char>(doc_[at_]);
      if (c == '\n') {
        if (!after_cr_) ++line_;
        column_ = 0;
        after_cr_ = false;
      } else if (c == '\r') {
        ++line_;
        column_ = 0;
        after_cr_ = true;
      } else {
        after_cr_ = false;
        if ((c & 0xC0) != 0x80) ++column_;  // one per character, not per byte
      }
    }
  }
  uint32_t line() const { return line_; }
  uint32_t column() const { return column_ + 1; }

 private:
  std::string_view doc_;
  size_t at_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 0;
  bool after_cr_ = false;
};

bool ScanStartTag(std::string_view doc, size_t pos, SpanItem* item, bool* empty, std::string* error) {
  size_t i = pos + 1;
  const size_t name_begin = i;
  while (i < doc.size() && !IsSpace(doc[i]) && doc[i] != '/' && doc[i] != '>') ++i;
  if (i == name_begin) {
    *error = "start tag without a name";
    return false;
  }
  item->name = doc.substr(name_begin, i - name_begin);
  for (;;) {
    const size_t lead = i;
    while (i < doc.size() && IsSpace(doc[i])) ++i;
    if (i >= doc.size()) break;
    if (doc[i] == '>') {
      item->tag_end = i + 1;
      *empty = false;
      return true;
    }
    if (doc[i] == '/') {
      if (!StartsAt(doc, i, "/>")) break;
      item->tag_end = i + 2;
      *empty = true;
      return true;
    }
    if (i == lead) break;  // attributes are separated by whitespace
    SpanAttribute a;
    a.lead = lead;
    const size_t an = i;
    while (i < doc.size() && !IsSpace(doc[i]) && doc[i] != '=' && doc[i] != '>' && doc[i] != '/') ++i;
    if (i == an) break;
    a.name = doc.substr(an, i - an);
    while (i < doc.size() && IsSpace(doc[i])) ++i;
    if (i >= doc.size() || doc[i] != '=') break;
    ++i;
    while (i < doc.size() && IsSpace(doc[i])) ++i;
    if (i >= doc.size() || (doc[i] != '"' && doc[i] != '\'')) break;
    a.quote = doc[i];
    a.value_begin = ++i;
    const size_t close = doc.find(a.quote, i);
    if (close == std::string_view::npos) break;
    a.value_end = close;
    const std::string_view raw = doc.substr(a.value_begin, close - a.value_begin);
    if (raw.find('<') != std::string_view::npos || !DecodeValue(raw, &a.value)) break;
    i = close + 1;
    item->attributes.push_back(std::move(a));
  }
  *error = "start tag at byte " + std::to_string(pos) + " does not scan";
  return false;
}

}  // namespace

bool ScanMarkup(std::string_view doc, std::vector<SpanItem>* items, std::string* error) {
  items->clear();
  Cursor cursor(doc);
  std::vector<int32_t> open;
  size_t pos = StartsAt(doc, 0, "\xEF\xBB\xBF") ? 3 : 0;
  const size_t content_start = pos;
  auto closed_by = [&](size_t from, std::string_view terminator, MarkupKind kind) {
    const size_t at = doc.find(terminator, from);
    if (at == std::string_view::npos) {
      *error = "unterminated markup at byte " + std::to_string(pos);
      return false;
    }
    SpanItem item;
    item.kind = kind;
    item.begin = pos;
    item.end = at + terminator.size();
    cursor.AdvanceTo(pos);
    item.line = cursor.line();
    item.column = cursor.column();
    item.parent = open.empty() ? -1 : open.back();
    item.depth = static_cast<uint32_t>(open.size());
    items->push_back(std::move(item));
    pos = at + terminator.size();
    return true;
  };
  while (pos < doc.size()) {
    if (doc[pos] != '<') {
      ++pos;
      continue;
    }
    if (StartsAt(doc, pos, "<!--")) {
      if (!closed_by(pos + 4, "-->", MarkupKind::kComment)) return false;
    } else if (StartsAt(doc, pos, "<![CDATA[")) {
      if (!closed_by(pos + 9, "]]>", MarkupKind::kCdata)) return false;
    } else if (StartsAt(doc, pos, "<?")) {
      const bool declaration = pos == content_start && StartsAt(doc, pos, "<?xml") && pos + 5 < doc.size() &&
                               IsSpace(doc[pos + 5]);
      if (!closed_by(pos + 2, "?>", declaration ? MarkupKind::kDeclaration : MarkupKind::kProcessingInstruction)) {
        return false;
      }
    } else if (StartsAt(doc, pos, "<!")) {
      *error = "declaration at byte " + std::to_string(pos);
      return false;
    } else if (StartsAt(doc, pos, "</")) {
      const size_t gt = doc.find('>', pos);
      if (gt == std::string_view::npos || open.empty()) {
        *error = "end tag at byte " + std::to_string(pos) + " closes nothing";
        return false;
      }
      std::string_view name = doc.substr(pos + 2, gt - pos - 2);
      while (!name.empty() && IsSpace(name.back())) name.remove_suffix(1);
      SpanItem& start = (*items)[static_cast<size_t>(open.back())];
      if (name != start.name) {
        *error = "end tag at byte " + std::to_string(pos) + " does not match its start tag";
        return false;
      }
      start.end = gt + 1;
      open.pop_back();
      pos = gt + 1;
    } else {
      SpanItem item;
      item.begin = pos;
      bool empty = false;
      if (!ScanStartTag(doc, pos, &item, &empty, error)) return false;
      cursor.AdvanceTo(pos);
      item.line = cursor.line();
      item.column = cursor.column();
      item.parent = open.empty() ? -1 : open.back();
      item.depth = static_cast<uint32_t>(open.size() + 1);
      pos = item.tag_end;
      if (empty) item.end = item.tag_end;
      items->push_back(std::move(item));
      if (!empty) open.push_back(static_cast<int32_t>(items->size() - 1));
    }
  }
  if (!open.empty()) {
    *error = "element not closed";
    return false;
  }
  return true;
}

std::string EscapeAttributeValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default: out += c;
    }
  }
  return out;
}

bool ApplySplices(std::string_view doc, std::vector<Splice> splices, std::string* out) {
  std::sort(splices.begin(), splices.end(), [](const Splice& a, const Splice& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  out->clear();
  size_t at = 0;
  for (const Splice& s : splices) {
    if (s.begin < at || s.end < s.begin || s.end > doc.size()) return false;
    out->append(doc.substr(at, s.begin - at));
    out->append(s.text);
    at = s.end;
  }
  out->append(doc.substr(at));
  return true;
}

size_t LeadingSpace(std::string_view doc, size_t pos) {
  while (pos > 0 && IsSpace(doc[pos - 1])) --pos;
  return pos;
}

}  // namespace mrmlguard::internal::sanitize
