// SPDX-License-Identifier: BSD-3-Clause
// JSON (RFC 8259, with RapidJSON's NaN/Inf extension) read by a small
// recursive-descent parser: see json_reader.h.

#include "data/json_reader.h"

#include <string>
#include <utility>

#include "text/utf8.h"

namespace mrmlguard::internal::data {
namespace {

class JsonParser {
 public:
  JsonParser(std::string_view text, const JsonOptions& options) : text_(text), options_(options) {}

  // Parses one document. On failure the result's error says why and where.
  JsonDocument Run() {
    JsonDocument doc;
    doc.ok = Parse();
    doc.error = std::move(error_);
    doc.error_offset = error_offset_;
    doc.depth_exceeded = depth_exceeded_;
    doc.ran_out = ran_out_;
    doc.strings = std::move(strings_);
    doc.marks = std::move(marks_);
    doc.counted = counted_;
    return doc;
  }

 private:
  bool Parse() {
    SkipSpace();
    if (!Value(0)) return false;
    SkipSpace();
    if (pos_ != text_.size()) return Fail("text after the JSON document");
    return true;
  }
  bool AtPath(std::span<const std::string_view> want) const {
    if (want.empty() || path_.size() != want.size()) return false;
    for (size_t i = 0; i < path_.size(); ++i) {
      if (path_[i] != want[i]) return false;
    }
    return true;
  }
  bool AtMarkedPath() const { return AtPath(options_.mark_objects_at); }
  bool Fail(std::string why) {
    if (error_.empty()) {
      error_ = std::move(why);
      error_offset_ = pos_;
      ran_out_ = pos_ >= text_.size();
    }
    return false;
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Value(uint64_t depth) {
    if (pos_ >= text_.size()) return Fail("the document ends where a value is expected");
    char c = text_[pos_];
    if (c == '{' || c == '[') {
      if (depth + 1 > options_.max_depth) {
        depth_exceeded_ = true;
        return Fail("nesting deeper than max_json_depth");
      }
      return c == '{' ? Object(depth + 1) : Array(depth + 1);
    }
    if (c == '"') {
      std::string s;
      uint64_t at = pos_;
      if (!String(&s)) return false;
      if (Wanted()) strings_.push_back({path_, std::move(s), at});
      return true;
    }
    if (c == 't') return Literal("true");
    if (c == 'f') return Literal("false");
    if (c == 'n') return Literal("null");
    return Number();
  }
  // Only the strings the checks read are kept, so memory stays near the
  // input size whatever the document holds.
  bool Wanted() const { return !path_.empty() && options_.keep != nullptr && options_.keep(path_); }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return Fail("a literal that is not true, false or null");
    pos_ += word.size();
    return true;
  }
  bool Number() {
    // RFC 8259 section 6: -? int frac? exp?
    size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == 'N' || text_[pos_] == 'I')) return NonFinite();
    auto digits = [&] {
      size_t d = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - d;
    };
    size_t int_start = pos_;
    size_t n = digits();
    if (n == 0) return Fail("a value that is not JSON");
    if (n > 1 && text_[int_start] == '0') return Fail("a number with a leading zero");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return Fail("a number without digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return Fail("a number without exponent digits");
    }
    return pos_ > start;
  }
  // Slicer reads every scene JSON file (markups, volume property, shader
  // property) with RapidJSON and RAPIDJSON_PARSE_DEFAULT_FLAGS 256,
  // kParseNanAndInfFlag (Libs/MRML/Core/vtkMRMLJsonElement.cxx; before 5.4
  // Modules/Loadable/Markups/MRML/vtkMRMLMarkupsJsonStorageNode.cxx), and its
  // writer emits NaN for undefined coordinates. RapidJSON's
  // GenericReader::ParseNumber then takes, after an optional '-', exactly
  // "NaN", "Inf" or "Infinity"; "Infi" or "Nan" is still a parse error.
  bool NonFinite() {
    std::string_view rest = text_.substr(pos_);
    if (rest.substr(0, 3) == "NaN") {
      pos_ += 3;
      return true;
    }
    if (rest.substr(0, 3) == "Inf") {
      pos_ += 3;
      if (pos_ < text_.size() && text_[pos_] == 'i') {
        if (text_.substr(pos_, 5) != "inity") return Fail("a number that is neither Inf nor Infinity");
        pos_ += 5;
      }
      return true;
    }
    return Fail("a value that is not JSON");
  }
  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool Hex4(uint32_t* out) {
    if (text_.size() - pos_ < 4) return Fail("a \\u escape cut short");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = Hex(text_[pos_++]);
      if (h < 0) return Fail("a \\u escape with a non-hex digit");
      v = v * 16 + static_cast<uint32_t>(h);
    }
    *out = v;
    return true;
  }

  bool String(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) return Fail("a string that does not end");
      char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return Fail("a control character inside a string");
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (pos_ >= text_.size()) return Fail("a string that does not end");
      char e = text_[pos_++];
      switch (e) {
        case '"': *out += '"'; break;
        case '\\': *out += '\\'; break;
        case '/': *out += '/'; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00) {
            uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return Fail("a lone high surrogate");
            pos_ += 2;
            if (!Hex4(&low)) return false;
            if (low < 0xdc00 || low >= 0xe000) return Fail("a high surrogate without its low half");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          } else if (cp >= 0xdc00 && cp < 0xe000) {
            return Fail("a lone low surrogate");
          }
          text::AppendUtf8(out, cp);
          break;
        }
        default:
          return Fail("an unknown escape in a string");
      }
    }
  }
  bool Object(uint64_t depth) {
    if (AtMarkedPath()) marks_.push_back(strings_.size());
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("an object key that is not a string");
      std::string key;
      if (!String(&key)) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("an object key without ':'");
      ++pos_;
      SkipSpace();
      path_.push_back(std::move(key));
      bool ok = Value(depth);
      path_.pop_back();
      if (!ok) return false;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return Fail("an object member not followed by ',' or '}'");
    }
  }
  bool Array(uint64_t depth) {
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    const bool count = AtPath(options_.count_elements_at);
    path_.emplace_back("[]");
    while (true) {
      SkipSpace();
      if (count) ++counted_;
      if (!Value(depth)) return false;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        path_.pop_back();
        return true;
      }
      return Fail("an array element not followed by ',' or ']'");
    }
  }

  std::string_view text_;
  const JsonOptions& options_;
  size_t pos_ = 0;
  std::vector<std::string> path_;
  std::vector<JsonString> strings_;
  std::vector<size_t> marks_;
  uint64_t counted_ = 0;
  std::string error_;
  uint64_t error_offset_ = 0;
  bool depth_exceeded_ = false;
  bool ran_out_ = false;
};

}  // namespace

JsonDocument ReadJsonDocument(std::string_view text, const JsonOptions& options) {
  return JsonParser(text, options).Run();
}

}  // namespace mrmlguard::internal::data
