// SPDX-License-Identifier: BSD-3-Clause
#include "report/json_writer.h"

#include <string>

#include "report/escape.h"

namespace mrmlguard::internal {
namespace {

void AppendUnicodeEscape(std::string* out, char32_t cp) {
  // Only BMP code points reach here (controls, bidi, separators, U+FFFD), so
  // one \uXXXX suffices and no surrogate pair is ever written.
  constexpr char kHex[] = "0123456789abcdef";
  out->append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(cp >> shift) & 0xf]);
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view text) {
  out->push_back('"');
  size_t pos = 0;
  while (pos < text.size()) {
    const text::Utf8Step step = text::DecodeUtf8(text, pos);
    if (!step.valid) {
      // RFC 8259 §8.1 wants UTF-8; a lost byte is better than invalid JSON.
      AppendUnicodeEscape(out, 0xfffd);
    } else if (step.code_point == '"') {
      out->append("\\\"");
    } else if (step.code_point == '\\') {
      out->append("\\\\");
    } else if (step.code_point == '\n') {
      out->append("\\n");
    } else if (step.code_point == '\t') {
      out->append("\\t");
    } else if (step.code_point == '\r') {
      out->append("\\r");
    } else if (IsUnsafeToShow(step.code_point)) {
      AppendUnicodeEscape(out, step.code_point);
    } else {
      out->append(text.substr(pos, step.length));
    }
    pos += step.length;
  }
  out->push_back('"');
}

void JsonWriter::Newline() {
  if (indent_ <= 0) return;
  out_.push_back('\n');
  out_.append(stack_.size() * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) {
    wrote_root_ = true;
    return;
  }
  Frame& top = stack_.back();
  if (!top.empty) out_.push_back(',');
  top.empty = false;
  Newline();
}

void JsonWriter::Key(std::string_view key) {
  // Keys are written by our own code, but escape them all the same.
  BeforeValue();
  AppendJsonString(&out_, key);
  out_.append(indent_ > 0 ? ": " : ":");
  after_key_ = true;
}

void JsonWriter::Open(char bracket, bool is_object) {
  BeforeValue();
  out_.push_back(bracket);
  stack_.push_back(Frame{is_object, true});
}

void JsonWriter::Close(char bracket) {
  if (stack_.empty()) return;  // unbalanced call: complete() stays false
  const bool was_empty = stack_.back().empty;
  stack_.pop_back();
  if (!was_empty) Newline();
  out_.push_back(bracket);
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(&out_, value);
}

void JsonWriter::Uint(uint64_t value) {
  BeforeValue();
  out_.append(std::to_string(value));
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
}

std::string JsonWriter::Finish() {
  out_.push_back('\n');
  std::string result = std::move(out_);
  out_.clear();
  stack_.clear();
  after_key_ = false;
  wrote_root_ = false;
  return result;
}

}  // namespace mrmlguard::internal
