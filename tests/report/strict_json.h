// SPDX-License-Identifier: BSD-3-Clause
// File: strict_json.h
//
// A strict RFC 8259 JSON parser for the writer tests, written independently
// of the code under test (it shares no decoder with lib/report; it encodes
// its \u escapes with text/utf8.h's AppendUtf8, which the writers never call). It refuses
// what lenient parsers let through: raw control characters in strings, bytes
// that are not UTF-8 (overlongs, surrogates, > U+10FFFF), \u escapes that
// leave a lone surrogate, NaN/Infinity, leading zeros, trailing commas,
// duplicate keys and trailing garbage.

#ifndef MRMLGUARD_TESTS_REPORT_STRICT_JSON_H_
#define MRMLGUARD_TESTS_REPORT_STRICT_JSON_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/utf8.h"

namespace mrmlguard::testing {

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;  // number literal, or decoded string (UTF-8)
  std::vector<JsonValue> items;
  // Object members in document order: keys[i] names values[i]. (Two vectors:
  // a vector of pair<string, JsonValue> would need JsonValue complete here.)
  std::vector<std::string> keys;
  std::vector<JsonValue> values;

  bool is_string() const { return type == Type::kString; }
  bool is_object() const { return type == Type::kObject; }
  bool is_array() const { return type == Type::kArray; }
  // Member with this key, or nullptr.
  const JsonValue* Find(std::string_view key) const {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return &values[i];
    }
    return nullptr;
  }
  // Member by key; a static null when missing (tests then fail on its type).
  const JsonValue& operator[](std::string_view key) const {
    static const JsonValue kNull;
    const JsonValue* v = Find(key);
    return v != nullptr ? *v : kNull;
  }
  const JsonValue& operator[](size_t i) const {
    static const JsonValue kNull;
    return i < items.size() ? items[i] : kNull;
  }
  uint64_t AsUint() const { return type == Type::kNumber ? std::stoull(text) : ~0ull; }
};

class StrictJsonParser {
 public:
  // Parses `doc`; on failure returns false and error() says where and why.
  bool Parse(std::string_view doc, JsonValue* out) {
    s_ = doc;
    pos_ = 0;
    error_.clear();
    SkipSpace();
    if (!Value(out, 0)) return false;
    SkipSpace();
    if (pos_ != s_.size()) return Fail("trailing content");
    return true;
  }
  const std::string& error() const { return error_; }

 private:
  bool Fail(const std::string& why) {
    if (error_.empty()) error_ = why + " at byte " + std::to_string(pos_);
    return false;
  }
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return Fail("bad literal");
    pos_ += word.size();
    return true;
  }
  bool Value(JsonValue* v, int depth) {
    if (depth > 200) return Fail("too deep");
    if (pos_ >= s_.size()) return Fail("unexpected end");
    char c = s_[pos_];
    if (c == '{') return Object(v, depth);
    if (c == '[') return Array(v, depth);
    if (c == '"') {
      v->type = JsonValue::Type::kString;
      return String(&v->text);
    }
    if (c == 't') { v->type = JsonValue::Type::kBool; v->boolean = true; return Literal("true"); }
    if (c == 'f') { v->type = JsonValue::Type::kBool; return Literal("false"); }
    if (c == 'n') { v->type = JsonValue::Type::kNull; return Literal("null"); }
    if (c == '-' || (c >= '0' && c <= '9')) return Number(v);
    return Fail("unexpected character");
  }
  bool Digits() {
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > start || Fail("digit expected");
  }
  bool Number(JsonValue* v) {
    size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '0') {
      ++pos_;
      if (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') return Fail("leading zero");
    } else if (!Digits()) {
      return false;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') { ++pos_; if (!Digits()) return false; }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!Digits()) return false;
    }
    v->type = JsonValue::Type::kNumber;
    v->text = std::string(s_.substr(start, pos_ - start));
    return true;
  }
  bool Hex4(uint32_t* cp) {
    if (s_.size() - pos_ < 4) return Fail("short \\u escape");
    *cp = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      uint32_t d = 0;
      if (c >= '0' && c <= '9') d = static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') d = static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') d = static_cast<uint32_t>(c - 'A' + 10);
      else return Fail("bad hex digit");
      *cp = *cp * 16 + d;
    }
    return true;
  }
  // Checks one raw UTF-8 sequence by decoding it fully and range-checking
  // the code point (a different method from lib/report's table walk).
  bool RawUtf8(std::string* out) {
    auto b0 = static_cast<unsigned char>(s_[pos_]);
    size_t n = 0;
    uint32_t cp = 0, min = 0;
    if (b0 < 0x80) { n = 1; cp = b0; min = 0; }
    else if ((b0 & 0xe0) == 0xc0) { n = 2; cp = b0 & 0x1fu; min = 0x80; }
    else if ((b0 & 0xf0) == 0xe0) { n = 3; cp = b0 & 0x0fu; min = 0x800; }
    else if ((b0 & 0xf8) == 0xf0) { n = 4; cp = b0 & 0x07u; min = 0x10000; }
    else return Fail("invalid UTF-8 lead byte");
    if (s_.size() - pos_ < n) return Fail("truncated UTF-8");
    for (size_t i = 1; i < n; ++i) {
      auto b = static_cast<unsigned char>(s_[pos_ + i]);
      if ((b & 0xc0) != 0x80) return Fail("invalid UTF-8 continuation");
      cp = (cp << 6) | (b & 0x3fu);
    }
    if (cp < min) return Fail("overlong UTF-8");
    if (cp > 0x10ffff) return Fail("UTF-8 above U+10FFFF");
    if (cp >= 0xd800 && cp <= 0xdfff) return Fail("UTF-8 encoded surrogate");
    out->append(s_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool String(std::string* out) {
    ++pos_;  // opening quote
    out->clear();
    while (true) {
      if (pos_ >= s_.size()) return Fail("unterminated string");
      auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') { ++pos_; return true; }
      if (c < 0x20) return Fail("raw control character in string");
      if (c != '\\') {
        if (!RawUtf8(out)) return false;
        continue;
      }
      ++pos_;
      if (pos_ >= s_.size()) return Fail("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xdc00 && cp <= 0xdfff) return Fail("lone low surrogate escape");
          if (cp >= 0xd800 && cp <= 0xdbff) {
            uint32_t low = 0;
            if (s_.substr(pos_, 2) != "\\u") return Fail("lone high surrogate escape");
            pos_ += 2;
            if (!Hex4(&low)) return false;
            if (low < 0xdc00 || low > 0xdfff) return Fail("high surrogate without low");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          }
          internal::text::AppendUtf8(out, cp);
          break;
        }
        default: return Fail("unknown escape");
      }
    }
  }
  bool Array(JsonValue* v, int depth) {
    v->type = JsonValue::Type::kArray;
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') { ++pos_; return true; }
    while (true) {
      SkipSpace();
      v->items.emplace_back();
      if (!Value(&v->items.back(), depth + 1)) return false;
      SkipSpace();
      if (pos_ >= s_.size()) return Fail("unterminated array");
      if (s_[pos_] == ',') { ++pos_; continue; }
      if (s_[pos_] == ']') { ++pos_; return true; }
      return Fail("',' or ']' expected");
    }
  }
  bool Object(JsonValue* v, int depth) {
    v->type = JsonValue::Type::kObject;
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') { ++pos_; return true; }
    while (true) {
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("key expected");
      std::string key;
      if (!String(&key)) return false;
      if (v->Find(key) != nullptr) return Fail("duplicate key \"" + key + "\"");
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != ':') return Fail("':' expected");
      ++pos_;
      SkipSpace();
      v->keys.push_back(std::move(key));
      v->values.emplace_back();
      if (!Value(&v->values.back(), depth + 1)) return false;
      SkipSpace();
      if (pos_ >= s_.size()) return Fail("unterminated object");
      if (s_[pos_] == ',') { ++pos_; continue; }
      if (s_[pos_] == '}') { ++pos_; return true; }
      return Fail("',' or '}' expected");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace mrmlguard::testing

#endif  // MRMLGUARD_TESTS_REPORT_STRICT_JSON_H_
