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

#include "findings/finding_sink.h"
#include "zip/zip_archive.h"

namespace mrmlguard::internal {

// Returns the index of the scene Slicer loads: the entry ending in ".mrml"
// with the fewest path components (vtkMRMLScene::UnpackSlicerDataBundle).
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

 private:
  std::unordered_map<std::string_view, size_t> by_name_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_ZIP_BUNDLE_LAYOUT_H_
