// SPDX-License-Identifier: BSD-3-Clause
// Byte-wise ASCII helpers (ascii.h).

#include "text/ascii.h"

namespace mrmlguard::internal::text {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitWords(std::string_view s, size_t max_pieces, size_t* dropped) {
  std::vector<std::string_view> out;
  size_t extra = 0;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) {
      if (out.size() < max_pieces) {
        out.push_back(s.substr(start, i - start));
      } else {
        ++extra;
      }
    }
  }
  if (dropped) *dropped = extra;
  return out;
}

std::vector<std::string_view> SplitOn(std::string_view s, char sep, size_t max_pieces) {
  std::vector<std::string_view> out;
  while (out.size() < max_pieces) {
    size_t at = s.find(sep);
    if (at == std::string_view::npos) {
      out.push_back(s);
      break;
    }
    out.push_back(s.substr(0, at));
    s.remove_prefix(at + 1);
  }
  return out;
}

}  // namespace mrmlguard::internal::text
