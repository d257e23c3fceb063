// File: scene_checker.h
//
// The MRML layer's interface: an XmlHandler that judges a scene with Slicer's
// rules (node registry, ids, references, cycles, values, format strings,
// storage, network and code-in-data nodes), and collects what the pipeline
// needs to check beyond the scene: the storage paths.

#ifndef MRMLGUARD_LIB_MRML_SCENE_CHECKER_H_
#define MRMLGUARD_LIB_MRML_SCENE_CHECKER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "findings/finding_sink.h"
#include "xml/xml_parser.h"

namespace mrmlguard::internal {

// One file a storage node (or a legacy path attribute) makes Slicer read.
struct StorageRef {
  std::string node_id;     // the storage node
  std::string tag;         // its tag, e.g. "VolumeArchetypeStorage"
  std::string attribute;   // "fileName", "fileListMember3", ...
  std::string path;        // after Slicer's URLDecodeString, '/'-separated as written
  uint32_t line = 0;
  uint32_t column = 0;
  bool absolute = false;   // '/', drive letter (already refused: UNC, schemes)
  bool climbs = false;     // has a '..' component
};

struct SceneSummary {
  uint64_t nodes = 0;                  // elements seen (nodes and SH items)
  std::vector<StorageRef> storage;     // every file path the scene reads
};

struct SceneOptions {
  // True when the scene came out of a bundle: storage paths are judged by the
  // pipeline against the bundle (bundle.storage-outside) instead of by
  // mrml.storage.path-escapes.
  bool in_bundle = false;
};

class SceneChecker : public XmlHandler {
 public:
  static std::unique_ptr<SceneChecker> Create(FindingSink& sink, const SceneOptions& options);
  // Valid after EndDocument.
  virtual const SceneSummary& summary() const = 0;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_MRML_SCENE_CHECKER_H_
