// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes text::ReadSlicerPath, ResolveLexically, BaseName and FolderOf, the
// one path reader the scene, bundle, data and pipeline layers share. The
// input is a base folder (length byte, then bytes) and a path (the rest).
// Invariants: the reading is total and agrees with the bytes (components are
// non-empty, never ".", hold no separator, and are views into the path;
// climbs, has_nul and has_backslash say what the bytes hold; a relative
// reading has none of the anchors); a resolved path never has a ".." or "."
// component and never starts with a separator, and exists exactly when the
// reading is relative and its ".." do not climb above the base's root.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "text/slicer_path.h"

namespace {

using mrmlguard::fuzz::FuzzReader;
namespace text = mrmlguard::internal::text;

bool IsSeparator(char c) { return c == '/' || c == '\\'; }

// Components of `s` split at '/' and '\', empty ones dropped.
template <typename F>
void ForEachPart(std::string_view s, F f) {
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = start;
    while (end < s.size() && !IsSeparator(s[end])) ++end;
    if (end > start) f(s.substr(start, end - start));
    start = end + 1;
  }
}

void CheckResolved(const std::optional<std::string>& resolved, std::string_view what) {
  if (!resolved) return;
  MRMLGUARD_FUZZ_CHECK(resolved->empty() || !IsSeparator(resolved->front()), *resolved);
  ForEachPart(*resolved, [&](std::string_view part) {
    MRMLGUARD_FUZZ_CHECK(part != ".." && part != ".", std::string(what) + ": " + *resolved);
  });
  MRMLGUARD_FUZZ_CHECK(resolved->find("//") == std::string::npos, *resolved);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  FuzzReader in(data, size);
  std::string base = in.String(96);
  std::span<const uint8_t> rest = in.Rest();
  std::string path(reinterpret_cast<const char*>(rest.data()), rest.size());

  text::PathReading r = text::ReadSlicerPath(path);
  const char* begin = path.data();
  const char* end = path.data() + path.size();
  bool has_dotdot = false;
  for (std::string_view c : r.components) {
    MRMLGUARD_FUZZ_CHECK(!c.empty() && c != ".", path);
    MRMLGUARD_FUZZ_CHECK(c.find_first_of("/\\") == std::string_view::npos, path);
    MRMLGUARD_FUZZ_CHECK(c.data() >= begin && c.data() + c.size() <= end, path);
    has_dotdot = has_dotdot || c == "..";
  }
  MRMLGUARD_FUZZ_CHECK(r.climbs == has_dotdot, path);
  MRMLGUARD_FUZZ_CHECK(r.has_nul == (path.find('\0') != std::string::npos), path);
  MRMLGUARD_FUZZ_CHECK(r.has_backslash == (path.find('\\') != std::string::npos), path);
  MRMLGUARD_FUZZ_CHECK(r.climbs || r.levels_above == 0, path);
  MRMLGUARD_FUZZ_CHECK(text::DescribeKind(r.kind).empty() == (r.kind == text::PathKind::kRelative), path);
  if (r.kind == text::PathKind::kRelative) {
    MRMLGUARD_FUZZ_CHECK(path.empty() || (!IsSeparator(path[0]) && path[0] != '~'), path);
    MRMLGUARD_FUZZ_CHECK(path.size() < 2 || path[1] != ':', path);
    MRMLGUARD_FUZZ_CHECK(path.find("://") == std::string::npos, path);
  }

  // Resolving: against the input's base, and against the root.
  std::optional<std::string> resolved = text::ResolveLexically(base, r);
  CheckResolved(resolved, "resolved");
  if (r.kind != text::PathKind::kRelative) MRMLGUARD_FUZZ_CHECK(!resolved, path);
  std::optional<std::string> at_root = text::ResolveLexically("", r);
  CheckResolved(at_root, "at root");
  if (r.kind == text::PathKind::kRelative) {
    MRMLGUARD_FUZZ_CHECK(at_root.has_value() == (r.levels_above == 0), path);
    if (!r.climbs) {
      std::string joined;
      for (std::string_view c : r.components) joined += (joined.empty() ? "" : "/") + std::string(c);
      MRMLGUARD_FUZZ_CHECK(at_root && *at_root == joined, path);
    }
  }
  // Normalising a resolved name changes nothing.
  if (resolved) {
    std::optional<std::string> again = text::ResolveLexically(*resolved, text::PathReading{});
    MRMLGUARD_FUZZ_CHECK(again && *again == *resolved, *resolved);
  }

  // BaseName and FolderOf split at the last '/' and give the name back.
  std::string_view name = text::BaseName(path);
  std::string_view folder = text::FolderOf(path);
  MRMLGUARD_FUZZ_CHECK(name.find('/') == std::string_view::npos, path);
  if (path.find('/') == std::string::npos) {
    MRMLGUARD_FUZZ_CHECK(name == path && folder.empty(), path);
  } else {
    MRMLGUARD_FUZZ_CHECK(std::string(folder) + "/" + std::string(name) == path, path);
  }
  std::string_view slicer_name = text::SlicerBaseName(path);
  MRMLGUARD_FUZZ_CHECK(slicer_name.find_first_of("/\\") == std::string_view::npos, path);
  MRMLGUARD_FUZZ_CHECK(slicer_name.size() <= name.size(), path);
  return 0;
}
