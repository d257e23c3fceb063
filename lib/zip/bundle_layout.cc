// SPDX-License-Identifier: BSD-3-Clause
// What Slicer makes of a bundle's names (research: slicer-scene-loading.md
// §4.1, §4.2, §3.2).

#include "zip/bundle_layout.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "findings/quote.h"
#include "text/ascii.h"
#include "text/slicer_path.h"
#include "zip/zip_names.h"

namespace mrmlguard::internal {
namespace {

std::string ToOctal(uint32_t v) {
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('0' + (v & 7u)));
    v >>= 3;
  } while (v != 0);
  return "0" + out;
}

size_t ComponentCount(std::string_view name) {
  size_t n = 1;
  for (char c : name) n += c == '/' ? 1 : 0;
  return n;
}

bool EndsWithMrml(std::string_view name, bool case_sensitive) {
  static constexpr std::string_view kExt = ".mrml";
  if (name.size() <= kExt.size()) return false;
  return case_sensitive ? text::EndsWith(name, kExt) : text::EndsWithIgnoreCase(name, kExt);
}

// The longest file name component (bytes) that common file systems store:
// NAME_MAX of ext4, XFS and Btrfs, APFS's 255 UTF-8 bytes. (NTFS counts 255
// UTF-16 units, which a longer UTF-8 name can still fit; the worst reading
// is judged.)
constexpr size_t kMaxComponentBytes = 255;

// APPNOTE 4.4.2: "version made by" high byte 3 is Unix, and then the high 16
// bits of the external attributes are st_mode (APPNOTE 4.4.15), which
// libarchive's ZIP reader hands to archive_write_disk. Other hosts get
// libarchive's own modes (0664 files, 0775 folders, less write for read-only),
// always readable.
bool HasUnixMode(const ZipEntry& e) { return e.host_system == 3; }
uint32_t UnixMode(const ZipEntry& e) { return e.external_attributes >> 16; }

// The longest component of `name`, in bytes.
size_t LongestComponent(std::string_view name) {
  size_t longest = 0;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    longest = std::max(longest, end - start);
    start = end + 1;
  }
  return longest;
}

std::string_view WithoutSlash(std::string_view name) {
  return !name.empty() && name.back() == '/' ? name.substr(0, name.size() - 1) : name;
}

}  // namespace

// vtkArchive::UnZip (Libs/MRML/Core/vtkArchive.cxx) walks the entries in
// order with archive_read_next_header/archive_write_header and breaks out of
// the loop at the first header that fails (result < ARCHIVE_WARN): a name
// the file system refuses (a component over 255 bytes: ENAMETOOLONG) stops
// the extraction there, and no later entry lands. UnZip sets no
// ARCHIVE_EXTRACT_PERM, so archive_write_disk applies the entry's mode less
// the umask, which never adds permission: a file without the owner's read
// bit cannot be read, a folder without the owner's read bit cannot be listed
// by the scene search (vtksys::Glob, through Directory::Load) and one
// without the search bit hides everything in it. libarchive creates folders
// writable while extracting and sets their final mode when it closes, so the
// order of a folder entry and its contents does not matter.
Landing ModelLanding(const ZipDirectory& dir, FindingSink& sink) {
  Landing landing;
  landing.landed = dir.entries.size();
  landing.findable.assign(dir.entries.size(), false);
  for (size_t i = 0; i < dir.entries.size(); ++i) {
    const ZipEntry& e = dir.entries[i];
    size_t longest = LongestComponent(WithoutSlash(e.name));
    if (longest > kMaxComponentBytes) {
      sink.Add(Rule::kBundleEntryNotWritable, {.offset = e.local_header_offset},
               "entry " + Quote(e.name) + " has a path component of " + std::to_string(longest) +
                   " bytes; file systems store at most " + std::to_string(kMaxComponentBytes) +
                   ", so Slicer's extraction stops at this entry and the " +
                   std::to_string(dir.entries.size() - i - 1) + " entries after it are not written");
      landing.landed = i;
      break;
    }
  }
  // Folders whose mode hides what they hold, by name without the '/'.
  std::unordered_map<std::string_view, bool> hidden_folders;  // name -> not even searchable
  for (size_t i = 0; i < landing.landed; ++i) {
    const ZipEntry& e = dir.entries[i];
    if (!HasUnixMode(e)) continue;
    uint32_t mode = UnixMode(e);
    if (e.is_directory) {
      // A folder named with '/' but typed otherwise gets 0111 added by
      // libarchive's ZIP reader; its own type bits say folder here already
      // (zip.entry.directory-data otherwise).
      bool search = (mode & 0100u) != 0 || (mode & 0170000u) != 0040000u;
      bool list = (mode & 0400u) != 0;
      if (search && list) continue;
      hidden_folders.emplace(WithoutSlash(e.name), !search);
      sink.Add(Rule::kBundleEntryUnreadable, {.offset = e.local_header_offset},
               "folder " + Quote(e.name) + " has Unix mode " + ToOctal(mode & 07777u) + ": after extraction " +
                   (search ? "Slicer's scene search cannot list it" : "nothing in it can be opened"));
    } else if ((mode & 0400u) == 0) {
      sink.Add(Rule::kBundleEntryUnreadable, {.offset = e.local_header_offset},
               "entry " + Quote(e.name) + " has Unix mode " + ToOctal(mode & 07777u) +
                   " (no read permission for its owner): Slicer cannot read it after extraction");
    }
  }
  for (size_t i = 0; i < landing.landed; ++i) {
    std::string_view name = WithoutSlash(dir.entries[i].name);
    bool visible = true;
    for (size_t slash = name.find('/'); visible && slash != std::string_view::npos;
         slash = name.find('/', slash + 1)) {
      if (hidden_folders.count(name.substr(0, slash)) != 0) visible = false;
    }
    landing.findable[i] = visible;
  }
  return landing;
}

// vtkMRMLScene::UnpackSlicerDataBundle globs "*.mrml" recursively after
// extraction and keeps the candidate with the fewest path components, the
// first found on a tie (PR #8771). vtksys::Glob matches case-insensitively on
// Windows and macOS and case-sensitively elsewhere, and "first found" depends
// on directory order; so the scene is only unambiguous when exactly one
// candidate, matched either way, sits at the shallowest depth and its
// extension is exactly ".mrml".
std::optional<size_t> SelectMainScene(const ZipDirectory& dir, FindingSink& sink) {
  Landing landing = ModelLanding(dir, sink);
  std::optional<size_t> best;
  size_t best_depth = 0;
  std::vector<size_t> ties;
  size_t hidden_scenes = 0;
  for (size_t i = 0; i < dir.entries.size(); ++i) {
    const ZipEntry& e = dir.entries[i];
    if (e.is_directory || !EndsWithMrml(e.name, /*case_sensitive=*/false)) continue;
    // Only what lands on disk where the search can list it is a candidate.
    if (!landing.findable[i]) {
      ++hidden_scenes;
      continue;
    }
    size_t depth = ComponentCount(e.name);
    if (!best || depth < best_depth) {
      best = i;
      best_depth = depth;
      ties.clear();
    } else if (depth == best_depth) {
      ties.push_back(i);
    }
  }
  if (!best) {
    sink.Add(Rule::kBundleNoScene, {},
             hidden_scenes == 0
                 ? std::string("no entry ending in .mrml (Slicer: \"Could not find mrml file in archive\")")
                 : std::to_string(hidden_scenes) +
                       " .mrml entries, none of which Slicer's scene search finds after extraction");
    return std::nullopt;
  }
  const ZipEntry& scene = dir.entries[*best];
  if (!ties.empty()) {
    sink.Add(Rule::kBundleAmbiguousScene, {.entry = scene.name},
             std::to_string(ties.size() + 1) + " scenes at depth " + std::to_string(best_depth) + ", e.g. " +
                 Quote(scene.name) + " and " + Quote(dir.entries[ties.front()].name) +
                 ": which one Slicer loads depends on file order");
    return std::nullopt;
  }
  if (!EndsWithMrml(scene.name, /*case_sensitive=*/true)) {
    sink.Add(Rule::kBundleAmbiguousScene, {.entry = scene.name},
             "scene " + Quote(scene.name) +
                 " ends in .mrml only when case is ignored: Slicer on Windows/macOS loads it, on Linux another "
                 "or none");
    return std::nullopt;
  }
  // Slicer's writer: one top-level folder <Base>, the scene <Base>/<Base'>.mrml
  // where Base' is Base cut at its first '.', every entry under <Base>/.
  std::string_view name = scene.name;
  size_t slash = name.find('/');
  bool layout_ok = slash != std::string_view::npos && name.find('/', slash + 1) == std::string_view::npos;
  if (layout_ok) {
    std::string_view base = name.substr(0, slash);
    std::string_view file = name.substr(slash + 1);
    std::string_view stem = file.substr(0, file.size() - 5);
    layout_ok = stem == base || stem == base.substr(0, base.find('.'));
    for (const ZipEntry& e : dir.entries) {
      std::string_view n = e.name;
      if (!(n.size() > base.size() && n.substr(0, base.size()) == base && n[base.size()] == '/')) layout_ok = false;
    }
  }
  if (!layout_ok) {
    sink.Add(Rule::kBundleLayout, {.entry = scene.name},
             "bundle is not laid out as Slicer writes it (one top-level folder <Name>/ holding <Name>/<Name>.mrml); "
             "main scene is " +
                 Quote(scene.name));
  }
  return best;
}

// vtkMRMLStorageNode: relative names are joined to the scene's folder and
// collapsed lexically (SystemTools::CollapseFullPath). Inside a bundle, the
// root is the extraction folder, so a '..' above it leaves the bundle. The
// reading ('\' a separator; absolute, drive, UNC, home, URL and slicer: not
// in the bundle) is the one every layer shares (text/slicer_path.h).
std::optional<std::string> ResolveInBundle(std::string_view base_entry, std::string_view relative_path) {
  if (relative_path.empty()) return std::nullopt;
  std::optional<std::string> resolved =
      text::ResolveLexically(text::FolderOf(base_entry), text::ReadSlicerPath(relative_path));
  if (resolved && resolved->empty()) return std::nullopt;  // the root itself is not an entry
  return resolved;
}

EntryIndex::EntryIndex(const ZipDirectory& dir) {
  by_name_.reserve(dir.entries.size());
  by_fold_.reserve(dir.entries.size());
  names_.reserve(dir.entries.size());
  for (size_t i = 0; i < dir.entries.size(); ++i) {
    by_name_.emplace(dir.entries[i].name, i);  // keeps the first
    by_fold_.emplace(FoldKey(dir.entries[i].name), i);
    names_.push_back(dir.entries[i].name);
  }
}

std::optional<size_t> EntryIndex::FindFolded(std::string_view name) const {
  auto it = by_fold_.find(FoldKey(name));
  return it == by_fold_.end() ? std::nullopt : std::optional<size_t>(it->second);
}

std::optional<size_t> EntryIndex::Find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? std::nullopt : std::optional<size_t>(it->second);
}

}  // namespace mrmlguard::internal
