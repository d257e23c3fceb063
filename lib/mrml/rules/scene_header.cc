// SPDX-License-Identifier: BSD-3-Clause
// The scene header (<MRML version extensions>): which Slicer wrote the scene
// and which extensions it was saved with (check 35).

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "findings/quote.h"
#include "mrml/rules/rules.h"

namespace mrmlguard::internal::mrml {
namespace {

// Recognises versions Slicer wrote: "Slicer4", "Slicer4.4.0", "Slicer 5.8.1 33241",
// and bare SVN revisions ("12116") from Slicer 3.
bool IsSlicerVersion(std::string_view v) {
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (digits(v)) return v.size() <= 9;
  if (!v.starts_with("Slicer")) return false;
  v.remove_prefix(6);
  if (!v.empty() && v[0] == ' ') v.remove_prefix(1);
  size_t space = v.find(' ');
  std::string_view number = v.substr(0, space);
  if (space != std::string_view::npos && !digits(v.substr(space + 1))) return false;
  size_t parts = 0;
  size_t start = 0;
  while (true) {
    size_t dot = number.find('.', start);
    std::string_view part = number.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!digits(part) || part.size() > 4) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts >= 1 && parts <= 4;
}

// vtkMRMLScene::ParseVersion: "Slicer4.4.0..." (old style) or
// "APPLICATION MAJOR.MINOR.PATCH REVISION..." (new style), both matched at the
// start of the string only. qSlicerSceneReader::load warns when the
// application is not this one or the version is newer.
struct ParsedVersion {
  std::string_view application;
  int64_t major = 0, minor = 0, patch = 0;
};
bool ParseSlicerVersion(std::string_view v, ParsedVersion* out) {
  size_t i = 0;
  auto number = [&](int64_t* value) {
    size_t start = i;
    int64_t n = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
      n = n >= 1'000'000'000 ? n : n * 10 + (v[i] - '0');  // saturates: atoi's overflow is UB anyway
      ++i;
    }
    *value = n;
    return i > start;
  };
  auto dot = [&]() { return i < v.size() && v[i] == '.' ? (++i, true) : false; };
  auto triple = [&]() { return number(&out->major) && dot() && number(&out->minor) && dot() && number(&out->patch); };
  if (v.starts_with("Slicer")) {
    i = 6;
    if (triple()) {
      out->application = "Slicer";
      return true;
    }
  }
  size_t space = v.find(' ');
  if (space == 0 || space == std::string_view::npos) return false;
  i = space + 1;
  int64_t revision = 0;
  if (!triple() || i >= v.size() || v[i] != ' ') return false;
  ++i;
  if (!number(&revision)) return false;
  out->application = v.substr(0, space);
  return true;
}

void CheckExtensions(const XmlAttribute& attr, const XmlPosition& pos, SceneFindings& out) {
  // vtkMRMLScene::Commit writes the installed extensions as "a;b;c";
  // qSlicerSceneReader::load names those missing now only after a load error.
  // mrmlguard does not know what is installed where Slicer runs: each one is
  // reported so that an operator sees what the scene expects. A crafted list
  // must not flood the report (max_findings): past kMaxExtensionNotes names,
  // one note counts the rest.
  constexpr size_t kMaxExtensionNotes = 32;
  std::vector<std::string_view> seen;
  uint64_t more = 0;
  ForEachListItem(attr.value, ';', [&](std::string_view item) {
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty() && std::find(seen.begin(), seen.end(), item) == seen.end()) {
      if (seen.size() >= kMaxExtensionNotes) {
        ++more;
      } else {
        seen.push_back(item);
        out.Add(Rule::kMrmlExtensions, At(pos, {}, "extensions"),
            "the scene was saved with extension " + Quote(item, 80) + " installed and may need it" +
                (registry::IsKnownExtension(item) ? " (its node tags are known here)"
                                                  : " (not one whose node tags are known here)"));
      }
    }
  });
  if (more > 0) {
    out.Add(Rule::kMrmlExtensions, At(pos, {}, "extensions"),
        "the scene names " + std::to_string(more) + " more extension(s) after the first " +
            std::to_string(kMaxExtensionNotes));
  }
}

}  // namespace

void CheckSceneHeader(std::span<const XmlAttribute> attributes, const XmlPosition& pos, SceneState& scene) {
  SceneFindings& out = scene.findings;
  // A missing version is common (89 of 124 real scenes): not worth a note.
  for (const XmlAttribute& a : attributes) {
    if (a.name == "extensions") {
      CheckExtensions(a, pos, out);
      continue;
    }
    if (a.name != "version") continue;
    scene.summary.version = std::string(a.value.substr(0, 256));
    // vtkMRMLScene::ParseVersion / qSlicerSceneReader::load only warn on it.
    if (!IsSlicerVersion(a.value)) {
      out.Add(Rule::kMrmlVersion, At(pos, {}, "version"),
          "scene version " + Quote(a.value, 80) + " is not a Slicer version this tool knows");
    }
    // Check 35: the registry knows the nodes of one Slicer; a newer one, or
    // another application built on Slicer, may write nodes and attributes it
    // does not know (qSlicerSceneReader::load warns the user likewise).
    ParsedVersion parsed;
    if (!ParseSlicerVersion(a.value, &parsed)) continue;
    const registry::SlicerVersion known = registry::RegistryVersion();
    const std::string known_text = "Slicer " + std::to_string(known.major) + "." + std::to_string(known.minor) + "." +
                                   std::to_string(known.patch) + ", commit " + std::string(registry::RegistryCommit());
    if (parsed.application != "Slicer") {
      out.Add(Rule::kMrmlVersionApplication, At(pos, {}, "version"),
          "scene version " + Quote(a.value, 80) + " was written by " + Quote(parsed.application, 40) +
              ", not Slicer: its nodes may not be among those this tool knows (" + known_text + ")");
    } else if (std::make_tuple(parsed.major, parsed.minor, parsed.patch) >
               std::make_tuple(int64_t{known.major}, int64_t{known.minor}, int64_t{known.patch})) {
      out.Add(Rule::kMrmlVersionNewer, At(pos, {}, "version"),
          "scene version " + Quote(a.value, 80) + " is newer than " + known_text +
              ", which the node registry was made from: nodes and attributes added since are not checked");
    }
  }
}

}  // namespace mrmlguard::internal::mrml
