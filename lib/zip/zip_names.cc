// SPDX-License-Identifier: BSD-3-Clause
#include "zip/zip_names.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "findings/quote.h"
#include "text/ascii.h"
#include "text/slicer_path.h"
#include "text/utf8.h"

namespace mrmlguard::internal {
namespace {

// C0/C1 controls, DEL, and code points that are invisible or reorder text:
// file systems and terminals ignore or act on them, so two names that print
// the same can differ (git CVE-2014-9390 list plus Unicode
// Default_Ignorable_Code_Point and Bidi_Control).
bool IsControlOrInvisible(uint32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  struct Range {
    uint32_t first, last;
  };
  static constexpr std::array<Range, 19> kRanges = {{
      {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160}, {0x17B4, 0x17B5},
      {0x180B, 0x180F}, {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x206F}, {0x3164, 0x3164},
      {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFFB}, {0x1BCA0, 0x1BCA3},
      {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF}, {0xD800, 0xDFFF}, {0xFDD0, 0xFDEF},
  }};
  for (const Range& range : kRanges) {
    if (cp >= range.first && cp <= range.last) return true;
  }
  return (cp & 0xFFFEu) == 0xFFFEu;  // noncharacters U+xxFFFE, U+xxFFFF
}

bool EqualsUpper(std::string_view s, std::string_view upper) {
  if (s.size() != upper.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (text::AsciiUpper(s[i]) != upper[i]) return false;
  }
  return true;
}

// Windows device names, compared case-insensitively on the part before the
// first '.', trailing spaces dropped ("nul.txt", "COM1 .mrml").
bool IsWindowsDeviceName(std::string_view component) {
  std::string_view stem = component.substr(0, component.find('.'));
  while (!stem.empty() && stem.back() == ' ') stem.remove_suffix(1);
  static constexpr std::array<std::string_view, 6> kNames = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"};
  for (std::string_view n : kNames) {
    if (EqualsUpper(stem, n)) return true;
  }
  if (stem.size() == 4 && (EqualsUpper(stem.substr(0, 3), "COM") || EqualsUpper(stem.substr(0, 3), "LPT")) &&
      stem[3] >= '0' && stem[3] <= '9') {
    return true;
  }
  return false;
}


#include "zip/name_fold_table.inc"

// Hangul syllables decompose algorithmically (Unicode 15, section 3.12).
constexpr uint32_t kHangulSBase = 0xAC00, kHangulLBase = 0x1100, kHangulVBase = 0x1161, kHangulTBase = 0x11A7;
constexpr uint32_t kHangulVCount = 21, kHangulTCount = 28, kHangulSCount = 11172;

void AppendFolded(uint32_t cp, std::vector<uint32_t>* out) {
  if (cp >= kHangulSBase && cp < kHangulSBase + kHangulSCount) {
    uint32_t s = cp - kHangulSBase;
    out->push_back(kHangulLBase + s / (kHangulVCount * kHangulTCount));
    out->push_back(kHangulVBase + (s % (kHangulVCount * kHangulTCount)) / kHangulTCount);
    if (s % kHangulTCount != 0) out->push_back(kHangulTBase + s % kHangulTCount);
    return;
  }
  const NameFold* end = kNameFold + std::size(kNameFold);
  const NameFold* hit = std::lower_bound(kNameFold, end, cp, [](const NameFold& f, uint32_t c) { return f.cp < c; });
  if (hit == end || hit->cp != cp) {
    out->push_back(cp);
    return;
  }
  for (uint32_t o : hit->out) {
    if (o != 0) out->push_back(o);
  }
}

uint8_t CombiningClassOf(uint32_t cp) {
  const CombiningClass* end = kCombiningClass + std::size(kCombiningClass);
  const CombiningClass* hit =
      std::lower_bound(kCombiningClass, end, cp, [](const CombiningClass& c, uint32_t v) { return c.cp < v; });
  return hit != end && hit->cp == cp ? hit->ccc : 0;
}

}  // namespace

bool CheckEntryName(std::string_view name, bool utf8_flag, uint64_t offset, FindingSink& sink) {
  const std::string quoted = Quote(name);
  const Location at{.offset = offset};
  bool ok = true;
  auto report = [&](Rule rule, std::string message) {
    sink.Add(rule, at, std::move(message));
    if (rule != Rule::kBundleMacMetadata) ok = false;
  };
  if (name.empty()) {
    report(Rule::kZipEntryNonCanonical, "entry name is empty");
    return false;
  }

  // Z17: encoding and invisible characters.
  bool non_ascii = false, bad_utf8 = false, control = false;
  uint32_t control_cp = 0;
  // The one UTF-8 decoder (text/utf8.h: RFC 3629, no overlongs or surrogates).
  for (size_t pos = 0; pos < name.size();) {
    text::Utf8Step step = text::DecodeUtf8(name, pos);
    pos += step.length;
    if (!step.valid) {
      bad_utf8 = true;
      continue;
    }
    const uint32_t cp = step.code_point;
    if (cp >= 0x80) non_ascii = true;
    if (!control && IsControlOrInvisible(cp)) {
      control = true;
      control_cp = cp;
    }
  }
  if (bad_utf8) {
    report(Rule::kZipEntryInvalidUtf8, "entry " + quoted + " is not valid UTF-8");
  } else if (non_ascii && !utf8_flag) {
    // Readers then guess CP437 or the locale's encoding, and disagree.
    report(Rule::kZipEntryInvalidUtf8,
           "entry " + quoted + " has non-ASCII bytes but the UTF-8 flag (bit 11) is not set");
  }
  if (control) {
    char hex[16];
    static constexpr char kHex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (int shift = control_cp > 0xFFFF ? 20 : 12; shift >= 0; shift -= 4) {
      hex[n++] = kHex[(control_cp >> shift) & 0xF];
    }
    report(Rule::kZipEntryControlChar,
           "entry " + quoted + " contains the control or invisible code point U+" + std::string(hex, n));
  }

  // Z18: shape of the path, read as Slicer and the OS read it (text/slicer_path.h):
  // '\' is a separator (Windows, and libarchive for an archive made on DOS),
  // and two leading separators of either kind are a UNC path.
  const text::PathReading reading = text::ReadSlicerPath(name);
  const bool absolute = reading.kind == text::PathKind::kUnc || reading.kind == text::PathKind::kDrive ||
                        reading.kind == text::PathKind::kAbsolute;
  if (absolute) {
    report(Rule::kZipEntryAbsolutePath, "entry " + quoted + " " + std::string(text::DescribeKind(reading.kind)));
  }
  if (reading.has_backslash) {
    report(Rule::kZipEntryBackslash,
           "entry " + quoted + " contains a backslash (a separator on Windows and for libarchive with DOS host)");
  }

  // A directory entry ends in one '/', which the reading does not count.
  const bool non_canonical = reading.redundant;
  const bool traversal = reading.climbs;
  bool reserved = false, mac = false;
  for (size_t i = 0; i < reading.components.size(); ++i) {
    std::string_view comp = reading.components[i];
    if (comp == "..") continue;
    if (!reserved) {
      for (char c : comp) {
        if (c == ':' || c == '<' || c == '>' || c == '"' || c == '|' || c == '?' || c == '*') reserved = true;
      }
      if (comp.back() == '.' || comp.back() == ' ' || IsWindowsDeviceName(comp)) reserved = true;
    }
    if ((i == 0 && comp == "__MACOSX") || comp.substr(0, 2) == "._") mac = true;
  }
  if (non_canonical) {
    report(Rule::kZipEntryNonCanonical, "entry " + quoted + " has an empty or '.' path component");
  }
  if (traversal) {
    if (reading.levels_above > 0) {
      report(Rule::kZipEntryPathTraversal, "entry " + quoted + " climbs " + std::to_string(reading.levels_above) +
                                               " level(s) above the bundle root");
    } else {
      report(Rule::kZipEntryPathTraversal, "entry " + quoted + " has a '..' component");
    }
  }
  if (reserved) {
    report(Rule::kZipEntryReservedName,
           "entry " + quoted +
               " is unsafe on Windows (device name, one of :<>\"|?*, or a component ending in '.' or space)");
  }
  if (mac) {
    report(Rule::kBundleMacMetadata, "entry " + quoted + " is macOS metadata (__MACOSX/ or ._ AppleDouble)");
  }
  return ok;
}

std::string FoldKey(std::string_view name) {
  std::vector<uint32_t> cps;
  cps.reserve(name.size());
  for (size_t pos = 0; pos < name.size();) {
    text::Utf8Step step = text::DecodeUtf8(name, pos);
    pos += step.length;
    if (!step.valid) continue;  // callers check UTF-8 first
    AppendFolded(step.code_point, &cps);
  }
  // Canonical ordering: each run of combining marks sorted, stably, by class.
  for (size_t i = 0; i < cps.size();) {
    if (CombiningClassOf(cps[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < cps.size() && CombiningClassOf(cps[j]) != 0) ++j;
    std::stable_sort(cps.begin() + static_cast<std::ptrdiff_t>(i), cps.begin() + static_cast<std::ptrdiff_t>(j),
                     [](uint32_t a, uint32_t b) { return CombiningClassOf(a) < CombiningClassOf(b); });
    i = j;
  }
  std::string out;
  out.reserve(name.size());
  for (uint32_t cp : cps) text::AppendUtf8(&out, cp);
  return out;
}

}  // namespace mrmlguard::internal
