// SPDX-License-Identifier: BSD-3-Clause
// File: values.h
//
// Strict grammars for MRML attribute values (research §2.4): what Slicer's
// hand-written stringstream/atoi parsing would misread is refused here.
// Pure functions over string_views; no allocation except where a string is
// returned.

#ifndef MRMLGUARD_LIB_MRML_VALUES_H_
#define MRMLGUARD_LIB_MRML_VALUES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/ascii.h"

namespace mrmlguard::internal::mrml {

enum class NumberStatus : uint8_t { kOk, kSyntax, kNonFinite, kOutOfRange };

// ^[+-]?[0-9]{1,18}$ -> value. kOutOfRange is never returned (callers range-check).
NumberStatus ParseStrictInt(std::string_view text, int64_t* value);

// A finite decimal or exponent form: [+-]? (digits [. digits?] | . digits) ([eE][+-]?digits)?
// "nan", "inf", "infinity" (any case, signed) and values that overflow a double are kNonFinite.
NumberStatus ParseStrictReal(std::string_view text, double* value);

// Splits on ASCII whitespace (and on '|' when `bar_separates`); empty tokens skipped.
// Calls `fn(token)` for each; stops early when it returns false.
template <typename Fn>
void ForEachToken(std::string_view text, bool bar_separates, Fn&& fn) {
  size_t i = 0;
  const size_t n = text.size();
  auto is_sep = [&](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || (bar_separates && c == '|');
  };
  while (i < n) {
    while (i < n && is_sep(text[i])) ++i;
    size_t start = i;
    while (i < n && !is_sep(text[i])) ++i;
    if (i > start && !fn(text.substr(start, i - start))) return;
  }
}

// Splits a `separator`-separated list ("a;b;;c") and calls `fn(item)` for
// every item, empty ones included, as written (no trimming).
template <typename Fn>
void ForEachListItem(std::string_view list, char separator, Fn&& fn) {
  size_t start = 0;
  for (;;) {
    size_t end = list.find(separator, start);
    fn(list.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return;
    start = end + 1;
  }
}

// vtkMRMLNode::URLDecodeString: replaces, in this order and each over the whole
// string, %22 %3C %3E %27 %20 %25 (case-sensitive). Nothing else is decoded.
std::string SlicerUrlDecode(std::string_view text);

// A value of vtkMRMLNode's `attributes` ("name:value;..."): replaces %3B, then
// %25, as ReadXMLAttributes does. Linear in the length.
std::string SlicerAttributeValueDecode(std::string_view text);

// One parsed `references` segment.
struct ReferenceRole {
  std::string_view role;
  std::vector<std::string_view> ids;
};

// Parses vtkMRMLNode's `references` attribute ("role:id1 id2;role2:id3;").
// Returns an empty string when the whole value follows the grammar Slicer's
// ParseReferencesAttribute reads completely and identically, or a message
// saying where it departs (Slicer stops there, or reads something else).
// `roles` receives the segments read up to the problem.
// At most `max_ids` ids are collected over all roles; past that parsing stops,
// `*too_many` is set and "" is returned (the caller reports the limit).
std::string ParseReferences(std::string_view text, std::vector<ReferenceRole>* roles, size_t max_ids = SIZE_MAX,
                            bool* too_many = nullptr);

// Format-string checks (research §5.2). Each returns "" when safe, else why not.
// Markups controlPointLabelFormat/markupLabelFormat: only %N %S %% and at most
// one %d with flags [-+ 0#] and a width of up to 3 digits.
std::string CheckMarkupsLabelFormat(std::string_view format);
// ColorLegend labelFormat, SequenceBrowser indexDisplayFormat: exactly one
// %[-+ 0#]?[0-9]{0,3}(.[0-9]{1,2})?[fFgGeEs] besides %%; no '$', no %n.
std::string CheckSingleConversionFormat(std::string_view format);

// vtkMRMLVolumePropertyNode::DataFromString's grammar: "count v1 .. vcount".
struct CountedList {
  enum Status : uint8_t { kOk, kBadCount, kNegative, kTooMany, kBadValue, kMismatch };
  Status status = kOk;
  uint64_t count = 0;      // the declared count (kOk, kMismatch)
  uint64_t found = 0;      // values after the count (kMismatch)
  uint64_t bad_index = 0;  // 1-based index of the first bad value (kBadValue)
};
// Refuses a count that is not an integer, is negative or over `max_values`
// (checked before any value is read), a value that is not a finite real, and
// a number of values other than the count. An empty text is kOk with count 0.
CountedList ParseCountedList(std::string_view text, uint64_t max_values);

// True when a ScriptedModule parameter makes slicer.parameterNodeWrapper's
// AnySerializer import a module: "<name>.type" holding a dotted module path
// (older form), or "<name>.type.0", the module half of the (module, class)
// tuple (TupleSerializer writes item i as "<name>.type.<i>"), naming a module
// other than the ones Slicer has already imported (builtins, typing, pathlib,
// slicer, a compiled vtk* wrapping module).
bool ScriptedTypeImports(std::string_view param, std::string_view value);

// A double as the shortest text that reads back the same (std::to_chars).
std::string FormatReal(double value);

// Lower-cases ASCII (text/ascii.h).
using text::AsciiLower;

}  // namespace mrmlguard::internal::mrml

#endif  // MRMLGUARD_LIB_MRML_VALUES_H_
