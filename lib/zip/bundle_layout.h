// SPDX-License-Identifier: BSD-3-Clause
// File: bundle_layout.h
//
// What Slicer makes of a bundle's entry names, without reading any data:
// which .mrml it loads, and where a storage path lands after extraction.

#ifndef MRMLGUARD_LIB_ZIP_BUNDLE_LAYOUT_H_
#define MRMLGUARD_LIB_ZIP_BUNDLE_LAYOUT_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "findings/finding_sink.h"
#include "zip/zip_archive.h"

namespace mrmlguard::internal {

// What Slicer's extraction (vtkArchive::UnZip) leaves on disk for its scene
// search.
struct Landing {
  // Entries [0, landed) are written; extraction stops at entry `landed`
  // (dir.entries.size() when every entry lands).
  size_t landed = 0;
  // Per entry: written, and no folder above it has a mode that hides it
  // from a directory listing.
  std::vector<bool> findable;
};

// Models the extraction of `dir`: entries in directory order, stopping at the
// first name with a component longer than 255 bytes (bundle.entry-not-writable),
// Unix mode bits applied (bundle.entry-unreadable for a file its owner cannot
// read, a folder its owner cannot list or search).
Landing ModelLanding(const ZipDirectory& dir, FindingSink& sink);

// Returns the index of the scene Slicer loads: among the entries ending in
// ".mrml" that land findable (ModelLanding, whose findings it reports), the
// one with the fewest path components (vtkMRMLScene::UnpackSlicerDataBundle).
// Reports bundle.no-scene, bundle.ambiguous-scene (a tie) and bundle.layout.
std::optional<size_t> SelectMainScene(const ZipDirectory& dir, FindingSink& sink);

// Resolves `relative_path` (already percent-decoded, '/'-separated) against the
// folder of entry `base_entry`, lexically as Slicer's CollapseFullPath does.
// Returns the entry name it lands on, or nullopt when it leaves the bundle
// root (any reading of text::ReadSlicerPath but kRelative, or too many '..').
std::optional<std::string> ResolveInBundle(std::string_view base_entry, std::string_view relative_path);

// The entries of a directory by exact name, indexed once, so that resolving
// every storage and detached path of a large scene stays linear. Holds views
// into `dir`, which must outlive it. With two entries of one name (which the
// audit reports) the first is found.
class EntryIndex {
 public:
  explicit EntryIndex(const ZipDirectory& dir);
  // The index in dir.entries of the entry called `name`, or nullopt.
  std::optional<size_t> Find(std::string_view name) const;
  // The entry whose name has the same FoldKey as `name` (the first such), or
  // nullopt: what a case-insensitive, normalising file system (NTFS, APFS,
  // HFS+) opens for `name` after extraction.
  std::optional<size_t> FindFolded(std::string_view name) const;
  std::string_view Name(size_t index) const { return names_[index]; }

 private:
  std::unordered_map<std::string_view, size_t> by_name_;
  std::unordered_map<std::string, size_t> by_fold_;
  std::vector<std::string_view> names_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_BUNDLE_LAYOUT_H_
