// SPDX-License-Identifier: BSD-3-Clause
// File: ascii.h
//
// Byte-wise ASCII helpers shared by every layer: case folding of A-Z only
// (never the locale's), prefix and suffix tests, trimming and splitting of
// lines. Non-ASCII bytes pass through unchanged.
//
// Example:
//   if (text::EndsWithIgnoreCase(name, ".mrml")) ...
//   for (std::string_view word : text::SplitWords(line, 16)) ...

#ifndef MRMLGUARD_LIB_TEXT_ASCII_H_
#define MRMLGUARD_LIB_TEXT_ASCII_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::internal::text {

constexpr char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
constexpr bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// `s` with A-Z lowered.
std::string AsciiLower(std::string_view s);

bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix);

// Drops spaces, tabs and carriage returns at both ends.
std::string_view Trim(std::string_view s);

// Splits on spaces/tabs, dropping empty pieces; at most `max_pieces` pieces
// are kept (the rest are counted in *dropped when given).
std::vector<std::string_view> SplitWords(std::string_view s, size_t max_pieces, size_t* dropped = nullptr);

// Splits on one separator character, keeping empty pieces; pieces past
// `max_pieces` are dropped.
std::vector<std::string_view> SplitOn(std::string_view s, char sep, size_t max_pieces);

}  // namespace mrmlguard::internal::text

#endif  // MRMLGUARD_LIB_TEXT_ASCII_H_
