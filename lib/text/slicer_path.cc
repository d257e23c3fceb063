// SPDX-License-Identifier: BSD-3-Clause
// Slicer's reading of a path; sources in slicer_path.h.

#include "text/slicer_path.h"

#include <cstdint>

#include "text/ascii.h"

namespace mrmlguard::internal::text {
namespace {

bool IsSeparator(char c) { return c == '/' || c == '\\'; }

// The anchor's length and kind. The order is IsFilePathRelative's.
PathKind Anchor(std::string_view path, size_t* anchor) {
  *anchor = 0;
  if (StartsWithIgnoreCase(path, "slicer:")) return PathKind::kSlicerScheme;
  if (path.find("://") != std::string_view::npos) return PathKind::kUrl;
  if (path.size() >= 2 && IsSeparator(path[0]) && IsSeparator(path[1])) {
    *anchor = 2;
    return PathKind::kUnc;
  }
  if (path.size() >= 2 && path[1] == ':') {
    *anchor = 2;
    return PathKind::kDrive;
  }
  if (!path.empty() && IsSeparator(path[0])) {
    *anchor = 1;
    return PathKind::kAbsolute;
  }
  if (!path.empty() && path[0] == '~') {
    // SplitPathRootComponent: "~" or "~user", up to the first '/'. A '\'
    // also ends it here (the worse reading: fewer bytes swallowed).
    size_t n = 1;
    while (n < path.size() && !IsSeparator(path[n])) ++n;
    *anchor = n;
    return PathKind::kHome;
  }
  return PathKind::kRelative;
}

}  // namespace

PathReading ReadSlicerPath(std::string_view path) {
  PathReading r;
  size_t anchor = 0;
  r.kind = Anchor(path, &anchor);
  r.has_nul = path.find('\0') != std::string_view::npos;
  r.has_backslash = path.find('\\') != std::string_view::npos;
  std::string_view rest = path.substr(anchor);
  // One separator right after the anchor belongs to it ("C:\x", "~/x").
  if ((r.kind == PathKind::kDrive || r.kind == PathKind::kHome) && !rest.empty() && IsSeparator(rest[0])) {
    rest.remove_prefix(1);
  }
  int64_t depth = 0;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t end = start;
    while (end < rest.size() && !IsSeparator(rest[end])) ++end;
    std::string_view part = rest.substr(start, end - start);
    bool last = end >= rest.size();
    start = end + 1;
    if (part.empty()) {
      // A trailing separator ("dir/") and an empty path are not redundant.
      if (!last) r.redundant = true;
      if (last) break;
      continue;
    }
    if (part == ".") {
      r.redundant = true;
    } else if (part == "..") {
      r.climbs = true;
      --depth;
      if (depth < 0 && static_cast<size_t>(-depth) > r.levels_above) r.levels_above = static_cast<size_t>(-depth);
      r.components.push_back(part);
    } else {
      ++depth;
      r.components.push_back(part);
    }
    if (last) break;
  }
  return r;
}

std::string_view DescribeKind(PathKind kind) {
  switch (kind) {
    case PathKind::kRelative:
      return "";
    case PathKind::kSlicerScheme:
      return "uses the slicer: scheme";
    case PathKind::kUrl:
      return "is a URL";
    case PathKind::kUnc:
      return "is a UNC path";
    case PathKind::kDrive:
      return "starts with a drive letter";
    case PathKind::kAbsolute:
      return "is absolute";
    case PathKind::kHome:
      return "starts with '~' (a home folder on Linux and macOS)";
  }
  return "";
}

bool IsAnchoredLocally(PathKind kind) {
  return kind == PathKind::kAbsolute || kind == PathKind::kDrive || kind == PathKind::kHome;
}

std::optional<std::string> ResolveLexically(std::string_view base_folder, const PathReading& reading) {
  if (reading.kind != PathKind::kRelative) return std::nullopt;
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start < base_folder.size()) {
    size_t end = start;
    while (end < base_folder.size() && !IsSeparator(base_folder[end])) ++end;
    std::string_view part = base_folder.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  for (std::string_view part : reading.components) {
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view FolderOf(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view SlicerBaseName(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace mrmlguard::internal::text
