// SPDX-License-Identifier: BSD-3-Clause
// File: json_reader.h
//
// A bounded JSON reader for the data layer: RFC 8259 plus the NaN, Inf and
// Infinity numbers RapidJSON accepts with kParseNanAndInfFlag (how Slicer
// reads markups, volume property and shader property files). It validates the
// whole document and keeps only the string values the caller asks for, so its
// memory stays near the input size whatever the document declares:
//
//   static bool KeepNames(std::span<const std::string> path) { return path.back() == "name"; }
//   constexpr std::string_view kItems[] = {"items", "[]"};
//   JsonDocument doc = ReadJsonDocument(text, {.max_depth = 64, .keep = KeepNames, .mark_objects_at = kItems});
//   if (!doc.ok) { /* doc.error at doc.error_offset; doc.depth_exceeded, doc.ran_out */ }
//   for (const JsonString& s : doc.strings) { /* s.path, s.value, s.offset */ }
//
// Bounds: nesting deeper than `max_depth` fails (depth_exceeded); the parser
// recurses once per level, so callers cap max_depth (kMaxJsonRecursion).
// The input size is the caller's to bound (max_json_bytes). Never throws
// except std::bad_alloc.

#ifndef MRMLGUARD_LIB_DATA_JSON_READER_H_
#define MRMLGUARD_LIB_DATA_JSON_READER_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::internal::data {

// A string value the reader kept: the keys above it ("[]" for an array
// level), its decoded value and the offset of its opening quote.
struct JsonString {
  std::vector<std::string> path;
  std::string value;
  uint64_t offset;
};

struct JsonOptions {
  // Deepest nesting of objects and arrays accepted (the document's top
  // value is depth 1).
  uint64_t max_depth = 64;
  // Which string values to keep, by their (non-empty) key path; nullptr
  // keeps none. Object keys are never kept.
  bool (*keep)(std::span<const std::string> path) = nullptr;
  // Objects that start at exactly this key path (e.g. {"markups", "[]"}): the
  // number of strings kept before each is recorded in JsonDocument::marks,
  // so the kept strings can be cut per object.
  std::span<const std::string_view> mark_objects_at;
  // Arrays at exactly this key path (e.g. {"markups", "[]", "controlPoints"}):
  // their elements are counted into JsonDocument::counted.
  std::span<const std::string_view> count_elements_at;
};

struct JsonDocument {
  bool ok = false;
  std::string error;          // why it does not parse ("" when ok)
  uint64_t error_offset = 0;  // where the first error is
  bool depth_exceeded = false;  // the error is nesting deeper than max_depth
  bool ran_out = false;         // the error is at the end of the text (a cut document)
  std::vector<JsonString> strings;  // kept strings, in document order (up to the error)
  std::vector<size_t> marks;        // see JsonOptions::mark_objects_at
  uint64_t counted = 0;             // see JsonOptions::count_elements_at
};

// Reads one JSON document from `text` (a UTF-8 byte order mark is the
// caller's to strip).
JsonDocument ReadJsonDocument(std::string_view text, const JsonOptions& options);

}  // namespace mrmlguard::internal::data

#endif  // MRMLGUARD_LIB_DATA_JSON_READER_H_
