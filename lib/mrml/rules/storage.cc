// SPDX-License-Identifier: BSD-3-Clause
// Storage nodes (checks 28-32): where a storage node makes Slicer read from,
// and in what state. The paths are listed in the scene summary: the pipeline
// judges them against the bundle or the file system.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "findings/quote.h"
#include "mrml/rules/rules.h"
#include "text/ascii.h"
#include "text/slicer_path.h"

namespace mrmlguard::internal::mrml {
namespace {

using text::EndsWith;
using text::StartsWith;

// Check 31: the extension must be one the storage class reads (research §3.4).
// Only the fileName: vtkMRMLStorageNode::ReadData opens it
// (GetFullNameFromFileName); fileListMembers are read by that file's own
// reader (a .nhdr's data files, a .seg.vtm's .vtp blocks written by
// vtkMRMLSegmentationStorageNode::AddPolyDataFileNames), so the class's list
// does not apply to them. A member that repeats the fileName is judged there.
void CheckExtension(const NodeContext& node, const NodeFacts& facts, const XmlAttribute& attr, std::string_view path,
                    std::string_view lower, SceneFindings& out) {
  if (attr.name != "fileName") return;
  if (node.info == nullptr || node.info->any_extension) return;
  std::span<const std::string_view> exts = registry::StorageExtensions(*node.info);
  if (exts.empty() && facts.text_extensions.empty()) return;
  bool ok = false;
  const std::string_view base = text::SlicerBaseName(lower);
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
bool IsSceneItself(std::string_view path, const text::PathReading& reading, const SceneOptions& options) {
  bool self = false;
  if (!options.scene_name.empty()) {
    // Resolve the path lexically against the scene's folder, as
    // CollapseFullPath does, and compare with the scene's own name. The
    // collapse makes every '\\' a separator, so it never yields a name
    // that holds one: such a scene file cannot be named by its storage paths.
    std::string_view scene = options.scene_name;
    std::optional<std::string> resolved = text::ResolveLexically(text::FolderOf(scene), reading);
    std::optional<std::string> scene_norm = text::ResolveLexically(scene, text::PathReading{});
    self = scene.find('\\') == std::string_view::npos && resolved && scene_norm &&
           text::EqualsIgnoreCase(*resolved, *scene_norm);
  }
  for (const std::string& ancestor : options.ancestor_names) {
    if (!ancestor.empty() && text::EqualsIgnoreCase(text::SlicerBaseName(path), text::SlicerBaseName(ancestor))) {
      self = true;
    }
  }
  return self;
}

// A storage path that is a URL, slicer: path or UNC path: reported, true.
// vtkMRMLStorageNode::ReadXMLAttributes URL-decodes it first (URLDecodeString).
bool CheckRemotePath(const NodeContext& node, const XmlAttribute& attr, SceneFindings& out) {
  const std::string path = SlicerUrlDecode(attr.value);
  // The reading every layer shares (text/slicer_path.h): '\\' a separator,
  // two leading separators of either kind UNC, a second byte ':' a drive.
  const text::PathReading reading = text::ReadSlicerPath(path);
  if (reading.kind == text::PathKind::kUrl || reading.kind == text::PathKind::kSlicerScheme) {
    out.Add(Rule::kMrmlStorageUri, At(node.pos, node.id_label, attr.name),
            std::string(attr.name) + " " + Quote(path, 120) +
                " is a URL or slicer: path (remote fetch, or the CLI shared-memory scheme)");
    return true;
  }
  if (reading.kind == text::PathKind::kUnc) {
    out.Add(Rule::kMrmlStorageUnc, At(node.pos, node.id_label, attr.name),
            std::string(attr.name) + " " + Quote(path, 120) +
                " is a UNC path: opening it makes the OS authenticate to a remote host");
    return true;
  }
  return false;
}

// One fileName / fileListMember*.
void CheckStoragePath(const NodeContext& node, const NodeFacts& facts, const XmlAttribute& attr,
                      SceneState& scene) {
  if (attr.value.empty()) return;  // Slicer keeps an empty slot to preserve indices.
  SceneFindings& out = scene.findings;
  // vtkMRMLStorageNode::ReadXMLAttributes: URLDecodeString, then
  // vtkMRMLScene::IsFilePathRelative, then CollapseFullPath.
  if (CheckRemotePath(node, attr, out)) return;
  std::string path = SlicerUrlDecode(attr.value);
  std::string lower = AsciiLower(path);
  const text::PathReading reading = text::ReadSlicerPath(path);
  StorageRef ref;
  ref.node_id = std::string(node.id_label);
  ref.tag = std::string(node.tag);
  ref.attribute = std::string(attr.name);
  ref.line = node.pos.line;
  ref.column = node.pos.column;
  ref.in_scene_view = node.in_scene_view || node.scope != 0;
  ref.absolute = text::IsAnchoredLocally(reading.kind);
  ref.climbs = reading.climbs;
  if (!scene.options.in_bundle && (ref.absolute || ref.climbs)) {
    out.Add(Rule::kMrmlStoragePathEscapes, At(node.pos, node.id_label, attr.name),
            std::string(attr.name) + " " + Quote(path, 120) +
                (ref.absolute ? " " + std::string(text::DescribeKind(reading.kind))
                              : std::string(" climbs out of the scene folder with '..'")) +
                "; Slicer reads whatever file it names");
  }
  CheckExtension(node, facts, attr, path, lower, out);
  if (node.Has(registry::kFlagSequenceStorage) && !ref.absolute && IsSceneItself(path, reading, scene.options)) {
    out.Add(Rule::kMrmlSequenceSelf, At(node.pos, node.id_label, attr.name),
            std::string(attr.name) + " " + Quote(path, 120) +
                " is the scene itself (or a bundle it is nested in): Slicer loads it again without end");
  }
  // Judged above whatever their number; listing a path costs the pipeline a
  // look-up (an openat beside a plain scene, a name search in a bundle) and
  // Slicer a read (vtkMRMLStorableNode::UpdateScene calls ReadData per
  // storable node): 999,000 storage nodes took 3 s of CPU for their
  // look-ups. The corpora's real scenes name at most 122
  // (docs/bench/worst-case.md).
  const uint64_t max_paths = out.limits().max_storage_paths;
  if (scene.summary.storage.size() >= max_paths) {
    if (!scene.storage_paths_over) {
      scene.storage_paths_over = true;
      out.LimitReached(Rule::kMrmlLimitExceeded, "max_storage_paths", max_paths,
                       At(node.pos, node.id_label, attr.name), "by " + std::string(attr.name) + " of node " +
                                                                   Quote(node.id_label, 120));
    }
    return;
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
    const bool read = attr == "readState";
    std::string what;
    if (!parsed) {
      what = ": not an integer (vtkMRMLStorageNode::ReadXMLAttributes reads it with an unchecked stringstream)";
    } else if (read) {
      // vtkMRMLStorageNode::StageReadData queues a download only in Idle; with
      // any other state ReadData goes on to the local fileName.
      what = facts.has_uri ? " with a uri: vtkMRMLStorageNode::StageReadData queues no download and ReadData "
                             "reads the local file instead"
                           : ": not Idle (0) or TransferDone (4); changes how vtkMRMLStorageNode::StageReadData "
                             "stages the file";
    } else {
      // writeState only matters when saving: vtkMRMLStorageNode::StageWriteData
      // returns at Cancelled/SkippedNoData and queues an upload only in Idle.
      what = ": affects only saving, not loading: vtkMRMLStorageNode::StageWriteData queues an upload only in "
             "Idle (0) and skips the write at Cancelled (5) or SkippedNoData (6)";
    }
    out.Add(Rule::kMrmlStorageReadState, At(node.pos, node.id_label, attr), std::string(attr) + " " +
                                                                              Quote(value, 32) + what);
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

void CheckUnknownClassAttributes(const NodeContext& node, std::span<const XmlAttribute> attributes,
                                 SceneFindings& out) {
  // A class of no known kind: no table names the tag or its class, or the
  // overlay names the tag without a class and without the storage or network flag.
  const registry::TagInfo* info = node.info;
  const bool known = info != nullptr && (!info->class_name.empty() ||
                                         node.Has(registry::kFlagStorage | registry::kFlagNetwork));
  if (known) return;
  // An extension this registry has not scanned may register the class: judge
  // the attributes that fetch, connect or listen as a storage or
  // OpenIGTLink node's would be (vtkMRMLStorageNode uri/fileName,
  // vtkMRMLIGTLConnectorNode serverPort/serverHostname/persistent).
  const std::string element = "<" + std::string(node.tag.substr(0, 64)) + "> of no known class";
  for (const XmlAttribute& a : attributes) {
    const std::string_view an = a.name;
    if (an == "uri" || StartsWith(an, "uriListMember")) {
      if (!a.value.empty()) {
        out.Add(Rule::kMrmlStorageUri, At(node.pos, node.id_label, an),
                element + " has " + std::string(an) + " " + Quote(a.value, 120) +
                    ": a storage class downloads it on load");
      }
    } else if (an == "fileName" || StartsWith(an, "fileListMember")) {
      if (!a.value.empty()) CheckRemotePath(node, a, out);
    } else if (an == "persistent") {
      if (a.value != "0" && a.value != "false") {
        out.Add(Rule::kMrmlNetworkNode, At(node.pos, node.id_label, an),
                element + " has persistent " + Quote(a.value, 32) +
                    ": an OpenIGTLink connector with it starts at the end of import");
      }
    } else if (an == "serverPort" || an == "hostname" || an == "serverHostname") {
      out.Add(Rule::kMrmlIgtlNode, At(node.pos, node.id_label, an),
              element + " names " + std::string(an) + " " + Quote(a.value, 64) +
                  ": a network node would connect or listen there");
    }
  }
}

}  // namespace mrmlguard::internal::mrml
