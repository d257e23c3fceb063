// SPDX-License-Identifier: BSD-3-Clause
// File: json_writer.h
//
// A small streaming JSON writer for the report formats. Its one promise: the
// output is valid JSON (RFC 8259) whatever bytes the strings hold.
//
//   JsonWriter w;
//   w.BeginObject();
//   w.Key("path"); w.String(report.path);   // any bytes
//   w.Key("findings"); w.BeginArray(); ... w.EndArray();
//   w.EndObject();
//   std::string text = w.Finish();
//
// Strings: '"' and '\' are escaped; control characters, DEL, C1 controls,
// bidi controls and U+2028/U+2029 become \u escapes (JavaScript and terminals
// then see them as text, not as actions); bytes that are not UTF-8 become
// \ufffd. Other UTF-8 is copied unchanged. Commas, colons and indentation are
// placed by the writer; callers only say what comes next.

#ifndef MRMLGUARD_LIB_REPORT_JSON_WRITER_H_
#define MRMLGUARD_LIB_REPORT_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::internal {

// Appends `text` as a JSON string literal, quotes included.
void AppendJsonString(std::string* out, std::string_view text);

class JsonWriter {
 public:
  // indent = spaces per level; 0 writes everything on one line.
  explicit JsonWriter(int indent = 2) : indent_(indent) {}

  void BeginObject() { Open('{', true); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('[', false); }
  void EndArray() { Close(']'); }

  // In an object, names the next value.
  void Key(std::string_view key);

  void String(std::string_view value);
  void Uint(uint64_t value);
  void Bool(bool value);
  void Null();

  // Key + value in one call, for the common case.
  void Field(std::string_view key, std::string_view value) { Key(key); String(value); }
  void FieldUint(std::string_view key, uint64_t value) { Key(key); Uint(value); }
  void FieldBool(std::string_view key, bool value) { Key(key); Bool(value); }

  // True when every object and array opened was closed and nothing is
  // pending; the writers check it in their tests.
  bool complete() const { return stack_.empty() && wrote_root_ && !after_key_; }

  // Returns the document with a final newline; the writer is left empty.
  std::string Finish();

  // Returns what was written so far and forgets it, keeping the nesting: a
  // long document (one report per file) is written out piece by piece while
  // the writer still places the commas. Finish() returns the rest.
  std::string TakeOutput() {
    std::string piece = std::move(out_);
    out_.clear();
    return piece;
  }

 private:
  struct Frame {
    bool is_object;
    bool empty;
  };
  void BeforeValue();
  void Newline();
  void Open(char bracket, bool is_object);
  void Close(char bracket);

  std::string out_;
  std::vector<Frame> stack_;
  int indent_;
  bool after_key_ = false;
  bool wrote_root_ = false;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_REPORT_JSON_WRITER_H_
