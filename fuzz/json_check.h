// SPDX-License-Identifier: BSD-3-Clause
// File: json_check.h
//
// A small strict JSON validator (RFC 8259) for the report fuzzer: one value,
// optional whitespace around it, strings of valid UTF-8 with only the escapes
// the RFC allows and no raw control characters, numbers in the RFC grammar,
// nesting bounded. Returns the byte offset of the first error, or npos when
// the text is valid. Written for this project; no allocation, no recursion.

#ifndef MRMLGUARD_FUZZ_JSON_CHECK_H_
#define MRMLGUARD_FUZZ_JSON_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mrmlguard::fuzz {

class JsonChecker {
 public:
  static constexpr size_t kValid = static_cast<size_t>(-1);

  // Returns kValid, or the offset where the text stops being JSON.
  static size_t Check(std::string_view text) {
    JsonChecker c(text);
    return c.Document();
  }

 private:
  static constexpr size_t kMaxDepth = 512;

  explicit JsonChecker(std::string_view text) : s_(text) {}

  bool AtEnd() const { return i_ >= s_.size(); }
  uint8_t Peek() const { return AtEnd() ? 0 : static_cast<uint8_t>(s_[i_]); }
  void SkipSpace() {
    while (!AtEnd() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool Literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  static bool IsDigit(uint8_t c) { return c >= '0' && c <= '9'; }
  static bool IsHex(uint8_t c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

  bool Number() {
    if (Peek() == '-') ++i_;
    if (Peek() == '0') {
      ++i_;
    } else if (IsDigit(Peek())) {
      while (IsDigit(Peek())) ++i_;
    } else {
      return false;
    }
    if (Peek() == '.') {
      ++i_;
      if (!IsDigit(Peek())) return false;
      while (IsDigit(Peek())) ++i_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++i_;
      if (Peek() == '+' || Peek() == '-') ++i_;
      if (!IsDigit(Peek())) return false;
      while (IsDigit(Peek())) ++i_;
    }
    return true;
  }

  // One UTF-8 sequence starting at i_ (RFC 3629: no overlongs, no surrogates).
  bool Utf8() {
    uint8_t c = Peek();
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i_;
      return true;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (s_.size() - i_ <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      uint8_t t = static_cast<uint8_t>(s_[i_ + k]);
      if ((t & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (t & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i_ += n + 1;
    return true;
  }

  bool String() {
    if (Peek() != '"') return false;
    ++i_;
    while (!AtEnd()) {
      uint8_t c = Peek();
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        ++i_;
        uint8_t e = Peek();
        if (e == 'u') {
          ++i_;
          for (int k = 0; k < 4; ++k) {
            if (!IsHex(Peek())) return false;
            ++i_;
          }
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                   e == 't') {
          ++i_;
        } else {
          return false;
        }
        continue;
      }
      if (!Utf8()) return false;
    }
    return false;
  }

  // Iterative: a stack of open containers as bits ('[' = 0, '{' = 1).
  size_t Document() {
    bool stack[kMaxDepth];
    size_t depth = 0;
    SkipSpace();
    for (;;) {
      // Expect a value.
      SkipSpace();
      uint8_t c = Peek();
      if (c == '{' || c == '[') {
        if (depth == kMaxDepth) return i_;
        stack[depth++] = c == '{';
        ++i_;
        SkipSpace();
        if (Peek() == (c == '{' ? '}' : ']')) {
          ++i_;
          --depth;
        } else {
          if (c == '{') {
            if (!String()) return i_;
            SkipSpace();
            if (Peek() != ':') return i_;
            ++i_;
          }
          continue;
        }
      } else if (c == '"') {
        if (!String()) return i_;
      } else if (c == 't') {
        if (!Literal("true")) return i_;
      } else if (c == 'f') {
        if (!Literal("false")) return i_;
      } else if (c == 'n') {
        if (!Literal("null")) return i_;
      } else {
        if (!Number()) return i_;
      }
      // After a value: close containers or take the next member.
      for (;;) {
        SkipSpace();
        if (depth == 0) return AtEnd() ? kValid : i_;
        bool object = stack[depth - 1];
        uint8_t d = Peek();
        if (d == ',') {
          ++i_;
          if (object) {
            SkipSpace();
            if (!String()) return i_;
            SkipSpace();
            if (Peek() != ':') return i_;
            ++i_;
          }
          break;
        }
        if (d == (object ? '}' : ']')) {
          ++i_;
          --depth;
          continue;
        }
        return i_;
      }
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace mrmlguard::fuzz

#endif  // MRMLGUARD_FUZZ_JSON_CHECK_H_
