// SPDX-License-Identifier: BSD-3-Clause
// File: scene_checker.h
//
// The MRML layer's interface: an XmlHandler that judges a scene with Slicer's
// rules (node registry, ids, references, cycles, values, format strings,
// storage, network and code-in-data nodes), and collects what the pipeline
// needs to check beyond the scene: the storage paths.
//
//   SceneOptions options{.in_bundle = true, .scene_name = "Scene/Scene.mrml"};
//   std::unique_ptr<SceneChecker> checker = SceneChecker::Create(sink, options);
//   ParseXml(source, *checker, sink, xml_options);
//   for (const StorageRef& ref : checker->summary().storage) { ... }
//
// The checker streams: it keeps only what rules across nodes need (interned
// ids, reference lists, parent links, storage paths, positions), never the
// attribute values, so memory stays far below the document size and time is
// linear in it. Findings carry line:column, node id and attribute; every rule
// id is in lib/findings/rules/mrml.def; docs/notes/mrml.md maps the 35 checks
// of the scene-loading research to them. No exception leaves any method.

#ifndef MRMLGUARD_LIB_MRML_SCENE_CHECKER_H_
#define MRMLGUARD_LIB_MRML_SCENE_CHECKER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "findings/finding_sink.h"
#include "xml/xml_parser.h"

namespace mrmlguard::internal {

// One file a storage node makes Slicer read.
struct StorageRef {
  std::string node_id;    // the storage node
  std::string tag;        // its tag, e.g. "VolumeArchetypeStorage"
  std::string attribute;  // "fileName", "fileListMember3", ...
  std::string path;       // after Slicer's URLDecodeString, separators as written
  uint32_t line = 0;
  uint32_t column = 0;
  bool absolute = false;       // '/', '\\', drive, '~' (text::IsAnchoredLocally; UNC and URLs are refused, not listed)
  bool climbs = false;         // has a '..' component ('\\' counts as a separator)
  bool in_scene_view = false;  // the node sits inside a SceneView (Slicer reads it only on restore)
  // Nodes of the scene whose "storage" role names this storage node: each
  // reads the file once (vtkMRMLStorableNode::UpdateScene calls ReadData per
  // storable node). 1 when not counted (a SceneView's copy).
  uint32_t users = 1;
};

struct SceneSummary {
  uint64_t nodes = 0;               // elements seen below <MRML> (nodes and SH items)
  std::string version;              // <MRML version=...>, as written
  std::vector<StorageRef> storage;  // every non-empty file path the scene reads, in document order
};

struct SceneOptions {
  // True when the scene came out of a bundle: storage paths are judged by the
  // pipeline against the bundle (bundle.storage-outside) instead of by
  // mrml.storage.path-escapes.
  bool in_bundle = false;
  // The scene's own path ('/'-separated; in a bundle, the entry name such as
  // "Scene/Scene.mrml"; for a plain file, its file name). A SequenceStorage
  // file that resolves to it is mrml.sequence.self-reference. Empty: unknown.
  std::string scene_name;
  // File names of the bundles this scene is nested in, outermost first
  // ("Scene.mrb", "Scene/Data/Seq.seq.mrb"); a SequenceStorage file with the
  // same base name as one of them is also a self-reference.
  std::vector<std::string> ancestor_names;
};

class SceneChecker : public XmlHandler {
 public:
  // Never returns null. `sink` must outlive the checker.
  static std::unique_ptr<SceneChecker> Create(FindingSink& sink, const SceneOptions& options);
  // Complete after EndDocument.
  virtual const SceneSummary& summary() const = 0;
  // Moves the summary out (complete after EndDocument); summary() is empty after.
  virtual SceneSummary TakeSummary() = 0;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_MRML_SCENE_CHECKER_H_
