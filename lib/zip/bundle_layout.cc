// What Slicer makes of a bundle's names (research: slicer-scene-loading.md
// §4.1, §4.2, §3.2).

#include "zip/bundle_layout.h"

#include <string>
#include <string_view>
#include <vector>

#include "text/ascii.h"
#include "text/slicer_path.h"
#include "zip/zip_names.h"

namespace mrmlguard::internal {
namespace {

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

}  // namespace

// vtkMRMLScene::UnpackSlicerDataBundle globs "*.mrml" recursively after
// extraction and keeps the candidate with the fewest path components, the
// first found on a tie (PR #8771). vtksys::Glob matches case-insensitively on
// Windows and macOS and case-sensitively elsewhere, and "first found" depends
// on directory order; so the scene is only unambiguous when exactly one
// candidate, matched either way, sits at the shallowest depth and its
// extension is exactly ".mrml".
std::optional<size_t> SelectMainScene(const ZipDirectory& dir, FindingSink& sink) {
  std::optional<size_t> best;
  size_t best_depth = 0;
  std::vector<size_t> ties;
  for (size_t i = 0; i < dir.entries.size(); ++i) {
    const ZipEntry& e = dir.entries[i];
    if (e.is_directory || !EndsWithMrml(e.name, /*case_sensitive=*/false)) continue;
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
    sink.Add(Rule::kBundleNoScene, {}, "no entry ending in .mrml (Slicer: \"Could not find mrml file in archive\")");
    return std::nullopt;
  }
  const ZipEntry& scene = dir.entries[*best];
  if (!ties.empty()) {
    sink.Add(Rule::kBundleAmbiguousScene, {.entry = scene.name},
             std::to_string(ties.size() + 1) + " scenes at depth " + std::to_string(best_depth) + ", e.g. " +
                 QuoteUntrusted(scene.name) + " and " + QuoteUntrusted(dir.entries[ties.front()].name) +
                 ": which one Slicer loads depends on file order");
    return std::nullopt;
  }
  if (!EndsWithMrml(scene.name, /*case_sensitive=*/true)) {
    sink.Add(Rule::kBundleAmbiguousScene, {.entry = scene.name},
             "scene " + QuoteUntrusted(scene.name) +
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
                 QuoteUntrusted(scene.name));
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
  for (size_t i = 0; i < dir.entries.size(); ++i) by_name_.emplace(dir.entries[i].name, i);  // keeps the first
}

std::optional<size_t> EntryIndex::Find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? std::nullopt : std::optional<size_t>(it->second);
}

}  // namespace mrmlguard::internal
