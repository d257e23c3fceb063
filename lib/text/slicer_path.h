// SPDX-License-Identifier: BSD-3-Clause
// File: slicer_path.h
//
// The one reader of a path that Slicer (or a reader it calls) will open: a
// storage node's fileName, a data header's detached file, a bundle's entry
// name. Every layer asks it, so two of mrmlguard's own readers cannot disagree
// about the same bytes.
//
// It gives the *worst* reading over the platforms Slicer runs on, from these
// sources:
//
//  * vtkMRMLScene::IsFilePathRelative (Libs/MRML/Core/vtkMRMLScene.cxx): a
//    name starting "slicer:" (compared case-sensitively there, here without
//    case) is the CLI shared-memory scheme; any name holding "://" is a remote
//    reference (vtkCacheManager::IsRemoteReference); otherwise
//    vtksys::SystemTools::FileIsFullPath decides.
//  * vtksys SystemTools.cxx FileIsFullPathImpl: on Windows a name whose second
//    byte is ':' (any first byte, not only a letter) or whose first byte is
//    '\' is full; on every platform a leading '/' is; on Linux and macOS a
//    leading '~' is too (a home folder).
//  * vtksys SystemTools.cxx SplitPath / SplitPathRootComponent, which
//    vtkMRMLStorageNode::ReadXMLAttributes reaches through CollapseFullPath on
//    every platform: '\' and '/' both end a component, "//" and "\\" start a
//    network path, "~" and "~user" a home folder. SystemToolsAppendComponents
//    then drops empty and "." components and lets ".." remove the one before.
//  * Windows' own reading of a name that reaches CreateFile without that
//    collapse (a data header's detached file opened by Teem, ITK or VTK): any
//    two leading separators, '/' or '\' in either order, start a UNC path
//    ("\/host/share" is as remote as "\\host\share").
//
// So: '\' is a separator; two leading separators of either kind are UNC; a
// second byte ':' is a drive; a leading separator is absolute; a leading '~'
// is a home folder; "://" anywhere is a URL.
//
// Example:
//   text::PathReading r = text::ReadSlicerPath(value);
//   if (r.kind != text::PathKind::kRelative || r.climbs) refuse(text::DescribeKind(r.kind));
//   std::optional<std::string> at = text::ResolveLexically("Scene", r);  // "Scene/Data/a.nrrd"

#ifndef MRMLGUARD_LIB_TEXT_SLICER_PATH_H_
#define MRMLGUARD_LIB_TEXT_SLICER_PATH_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrmlguard::internal::text {

// How a path is anchored, first match in this order (Slicer's order in
// IsFilePathRelative: scheme, remote, then full path).
enum class PathKind {
  kRelative,      // joined to the folder of the scene or header
  kSlicerScheme,  // "slicer:..." (any case): the CLI shared-memory scheme
  kUrl,           // holds "://": fetched by the cache manager, or a file: URL
  kUnc,           // two leading separators ('/' or '\', either order): a network share on Windows
  kDrive,         // second byte ':' ("C:\x", "C:x", "1:x"): full on Windows
  kAbsolute,      // one leading '/' or '\': the root (of the current drive on Windows)
  kHome,          // leading '~' ("~/x", "~user/x"): a home folder on Linux and macOS
};

struct PathReading {
  PathKind kind = PathKind::kRelative;
  // Components after the anchor ("//", "/", "C:" or "~user"; none for the
  // other kinds), split at '/' and '\', without empty and "." ones. Views into
  // the string read, which must outlive them.
  std::vector<std::string_view> components;
  bool climbs = false;       // some component is ".."
  size_t levels_above = 0;   // how far the ".." components reach above the start (0: never)
  bool redundant = false;    // an empty component inside the path ("a//b") or a "." component
  bool has_nul = false;      // a NUL byte: C readers see only the part before it
  bool has_backslash = false;
};

// Reads `path` as above. Total: any bytes give a reading; linear in the size.
PathReading ReadSlicerPath(std::string_view path);

// A message fragment for a non-relative kind, e.g. "is a UNC path" (empty for
// kRelative). Every layer words the same kind the same way.
std::string_view DescribeKind(PathKind kind);

// True for the kinds that name a local file outside any folder the path is
// joined to: kAbsolute, kDrive and kHome.
bool IsAnchoredLocally(PathKind kind);

// Joins a relative reading to `base_folder` (split the same way, '/' and '\'
// both; empty and "." components dropped) and collapses ".." lexically, as
// SystemTools::CollapseFullPath does with the scene's root directory. Returns
// the '/'-joined result ("" for the base's root itself), or nullopt when the
// reading is not kRelative or a ".." climbs above the root of `base_folder`.
// The result never has a ".." or "." component and never starts with '/'.
std::optional<std::string> ResolveLexically(std::string_view base_folder, const PathReading& reading);

// The part after the last '/' and the part before it ("" when there is none):
// for names whose only separator is '/' (ZIP entry names, POSIX host paths).
std::string_view BaseName(std::string_view path);
std::string_view FolderOf(std::string_view path);

// The part after the last '/' or '\': the file name as Slicer on Windows
// splits it (SystemTools::GetFilenameName with Windows separators).
std::string_view SlicerBaseName(std::string_view path);

}  // namespace mrmlguard::internal::text

#endif  // MRMLGUARD_LIB_TEXT_SLICER_PATH_H_
