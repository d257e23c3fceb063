// Storage nodes (checks 28-32): where a storage node makes Slicer read from,
// and in what state. The paths are listed in the scene summary: the pipeline
// judges them against the bundle or the file system.

#include <string>
#include <utility>
#include <vector>

#include "findings/quote.h"
#include "mrml/rules/rules.h"

namespace mrmlguard::internal::mrml {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view BaseName(std::string_view s) {
  size_t slash = s.find_last_of("/\\");
  return slash == std::string_view::npos ? s : s.substr(slash + 1);
}

// The components of `path` split at any of `separators`, without empty and "." ones.
std::vector<std::string_view> Components(std::string_view path, std::string_view separators) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find_first_of(separators, start);
    std::string_view part = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!part.empty() && part != ".") parts.push_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string Join(const std::vector<std::string_view>& parts) {
  std::string joined;
  for (std::string_view p : parts) joined += (joined.empty() ? "" : "/") + std::string(p);
  return joined;
}

// Check 31: the extension must be one the storage class reads (research §3.4).
void CheckExtension(const NodeContext& node, const NodeFacts& facts, const XmlAttribute& attr, std::string_view path,
                    std::string_view lower, SceneFindings& out) {
  if (node.info == nullptr || node.info->any_extension) return;
  std::span<const std::string_view> exts = registry::StorageExtensions(*node.info);
  if (exts.empty() && facts.text_extensions.empty()) return;
  bool ok = false;
  const std::string_view base = BaseName(lower);
  for (std::string_view e : exts) {
    ok = ok || (e == "(none)" ? base.find('.') == std::string_view::npos : EndsWith(lower, e));
  }
  for (const std::string& e : facts.text_extensions) ok = ok || EndsWith(lower, e);
  if (ok) return;
  std::string list;
  for (std::string_view e : exts) list += (list.empty() ? "" : " ") + std::string(e);
  out.Add(Rule::kMrmlStorageExtension, At(node.pos, node.id_label, attr.name),
          std::string(attr.name) + " " + Quote(path, 120) + ": " + std::string(node.tag) + " reads only " + list);
}

// Check 32: a sequence storage that loads this scene (or a bundle it is
// nested in) recurses without end (vtkMRMLSequenceStorageNode::ReadDataInternal).
// `parts` are the relative path's components.
bool IsSceneItself(std::string_view path, const std::vector<std::string_view>& parts, const SceneOptions& options) {
  bool self = false;
  if (!options.scene_name.empty()) {
    // Resolve the path lexically against the scene's folder.
    std::string_view scene = options.scene_name;
    size_t slash = scene.find_last_of('/');
    std::vector<std::string_view> resolved =
        Components(slash == std::string_view::npos ? std::string_view() : scene.substr(0, slash), "/");
    bool escaped = false;
    for (std::string_view part : parts) {
      if (part != "..") {
        resolved.push_back(part);
      } else if (resolved.empty()) {
        escaped = true;
      } else {
        resolved.pop_back();
      }
    }
    self = !escaped && AsciiLower(Join(resolved)) == AsciiLower(Join(Components(scene, "/")));
  }
  for (const std::string& ancestor : options.ancestor_names) {
    if (!ancestor.empty() && AsciiLower(BaseName(path)) == AsciiLower(BaseName(ancestor))) self = true;
  }
  return self;
}

// One fileName / fileListMember*.
void CheckStoragePath(const NodeContext& node, const NodeFacts& facts, const XmlAttribute& attr,
                      SceneState& scene) {
  if (attr.value.empty()) return;  // Slicer keeps an empty slot to preserve indices.
  SceneFindings& out = scene.findings;
  // vtkMRMLStorageNode::ReadXMLAttributes: URLDecodeString, then
  // vtkMRMLScene::IsFilePathRelative, then CollapseFullPath.
  std::string path = SlicerUrlDecode(attr.value);
  std::string lower = AsciiLower(path);
  if (lower.find("://") != std::string::npos || StartsWith(lower, "slicer:")) {
    out.Add(Rule::kMrmlStorageUri, At(node.pos, node.id_label, attr.name),
            std::string(attr.name) + " " + Quote(path, 120) +
                " is a URL or slicer: path (remote fetch, or the CLI shared-memory scheme)");
    return;
  }
  if (StartsWith(path, "\\\\") || StartsWith(path, "//") || StartsWith(path, "\\/") || StartsWith(path, "/\\")) {
    out.Add(Rule::kMrmlStorageUnc, At(node.pos, node.id_label, attr.name),
            std::string(attr.name) + " " + Quote(path, 120) +
                " is a UNC path: opening it makes the OS authenticate to a remote host");
    return;
  }
  StorageRef ref;
  ref.node_id = std::string(node.id_label);
  ref.tag = std::string(node.tag);
  ref.attribute = std::string(attr.name);
  ref.line = node.pos.line;
  ref.column = node.pos.column;
  ref.in_scene_view = node.in_scene_view || node.scope != 0;
  ref.absolute = path[0] == '/' || path[0] == '\\' ||
                 (path.size() >= 2 && path[1] == ':' &&
                  ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')));
  // Components, '\\' counting as a separator (Windows).
  const std::vector<std::string_view> parts = Components(path, "/\\");
  for (std::string_view part : parts) ref.climbs = ref.climbs || part == "..";
  if (!scene.options.in_bundle && (ref.absolute || ref.climbs)) {
    out.Add(Rule::kMrmlStoragePathEscapes, At(node.pos, node.id_label, attr.name),
            std::string(attr.name) + " " + Quote(path, 120) +
                (ref.absolute ? " is absolute" : " climbs out of the scene folder with '..'") +
                "; Slicer reads whatever file it names");
  }
  CheckExtension(node, facts, attr, path, lower, out);
  if (node.Has(registry::kFlagSequenceStorage) && !ref.absolute && IsSceneItself(path, parts, scene.options)) {
    out.Add(Rule::kMrmlSequenceSelf, At(node.pos, node.id_label, attr.name),
            std::string(attr.name) + " " + Quote(path, 120) +
                " is the scene itself (or a bundle it is nested in): Slicer loads it again without end");
  }
  ref.path = std::move(path);  // last use of path and of the views into it
  scene.summary.storage.push_back(std::move(ref));
}

}  // namespace

void CheckStorageAttribute(const NodeContext& node, const XmlAttribute& attribute, SceneFindings& out) {
  if (!node.Has(registry::kFlagStorage)) return;
  const std::string_view an = attribute.name;
  if ((an == "uri" || StartsWith(an, "uriListMember")) && !attribute.value.empty()) {
    out.Add(Rule::kMrmlStorageUri, At(node.pos, node.id_label, an),
            std::string(an) + " " + Quote(attribute.value, 120) +
                ": Slicer downloads it on load (vtkMRMLStorageNode::StageReadData) and uploads the file "
                "there on save");
  } else if ((an == "readExtensions" || an == "writeExtensions") && node.Has(registry::kFlagTextStorage)) {
    // vtkMRMLTextStorageNode: the scene chooses which extensions a text node accepts.
    bool ok = true;
    std::string bad;
    ForEachTextExtension(attribute.value, [&](std::string_view item, std::string extension) {
      if (ok && !registry::IsAllowedTextExtension(extension)) {
        ok = false;
        bad = std::string(item);
      }
    });
    if (!ok) {
      out.Add(Rule::kMrmlStorageExtension, At(node.pos, node.id_label, an),
              std::string(an) + " names " + Quote(bad, 40) +
                  ", not on the text extension allow-list (a text node would read any such file)");
    }
  }
}

void CheckStorageStates(const NodeContext& node, const NodeFacts& facts, SceneFindings& out) {
  // Slicer 3/4 wrote 0 and 4 (TransferDone); with an empty uri
  // StageReadData/StageWriteData return before looking at the state, so those
  // two values are harmless there (see docs/notes/mrml.md).
  auto check_state = [&](std::string_view attr, std::string_view value) {
    int64_t v = -1;
    bool parsed = ParseStrictInt(value, &v) == NumberStatus::kOk;
    if (parsed && (v == 0 || (v == 4 && !facts.has_uri))) return;
    out.Add(Rule::kMrmlStorageReadState, At(node.pos, node.id_label, attr),
            std::string(attr) + " " + Quote(value, 32) +
                (parsed ? (facts.has_uri ? " with a uri: Slicer skips the download and reads the local file"
                                         : ": not Idle (0) or TransferDone (4); changes how Slicer stages the file")
                        : ": not an integer (Slicer reads it with an unchecked stringstream)"));
  };
  if (facts.has_read_state) check_state("readState", facts.read_state);
  if (facts.has_write_state) check_state("writeState", facts.write_state);
}

void CheckStoragePaths(const NodeContext& node, const NodeFacts& facts, std::span<const XmlAttribute> attributes,
                       SceneState& scene) {
  // After the whole element: readExtensions may follow fileName.
  if (!node.Has(registry::kFlagStorage)) return;
  for (const XmlAttribute& a : attributes) {
    if (a.name == "fileName" || StartsWith(a.name, "fileListMember")) CheckStoragePath(node, facts, a, scene);
  }
}

}  // namespace mrmlguard::internal::mrml
