// SPDX-License-Identifier: BSD-3-Clause
// File: scene_state.h
//
// What the scene checker keeps between elements, shared by the rule files
// under rules/: the findings waiting for the end of the document
// (SceneFindings), and the scene model the cross-node rules need (SceneState:
// interned ids, node records, references, storage uses, singletons, the id map).
// Internal to the MRML layer; nothing here throws except std::bad_alloc, which
// SceneChecker turns into a finding.

#ifndef MRMLGUARD_LIB_MRML_SCENE_STATE_H_
#define MRMLGUARD_LIB_MRML_SCENE_STATE_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "findings/finding_sink.h"
#include "mrml/intern_table.h"
#include "mrml/scene_checker.h"
#include "xml/xml_parser.h"

namespace mrmlguard::internal::mrml {

inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// Which frame an element is in, for nesting rules.
enum class FrameKind : uint8_t { kRoot, kNode, kSceneView, kSubjectHierarchy, kShItem, kOther };

struct Frame {
  FrameKind kind;
  uint32_t node;   // node index for kNode/kSceneView/kSubjectHierarchy, kNone otherwise
  uint32_t scope;  // id scope of elements inside this frame
};

struct NodeRecord {
  uint32_t id = kNone;  // interned id
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t scope = 0;                 // 0 = main scene; k = the k-th SceneView's stored scene
  uint32_t tag = kNone;               // interned tag
  uint32_t transform_parent = kNone;  // interned id of transformNodeRef / references transform:
  uint32_t hierarchy_parent = kNone;  // interned id of parentNodeRef (legacy hierarchies)
};

struct Reference {
  uint32_t node;
  uint32_t id;         // interned
  uint32_t attribute;  // interned attribute name
};

struct SceneViewState {
  bool has_children = false;
  uint32_t first_sh = kNone;  // node index of its first SubjectHierarchy child
};

// A finding's location from an element's position.
Location At(const XmlPosition& pos, std::string_view node_id = {}, std::string_view attribute = {});

// Findings wait here until the end of the document: if the document turns out
// not to be well-formed, which elements the parser delivered before its error
// depends on chunking, so the partial scene's findings are dropped (the XML
// layer's finding is the verdict). Past max_findings they go straight to the
// sink, in the order they were added.
class SceneFindings {
 public:
  explicit SceneFindings(FindingSink& sink) : sink_(sink) {}
  const Limits& limits() const { return sink_.limits(); }
  void Add(Rule rule, Location where, std::string message);
  void LimitReached(Rule rule, std::string_view limit_name, uint64_t limit_value, Location where,
                    std::string_view detail);
  // Sends what waits to the sink; later findings go there directly.
  void Flush();
  // Drops what waits, unless findings already went to the sink.
  void DropPending();
  // After an allocation failure: drops what waits and reports the failure.
  void Fail();

 private:
  struct Pending {
    Rule rule;
    Location where;
    std::string message;
    std::string_view limit_name;  // non-empty: a LimitReached
    uint64_t limit_value = 0;
  };
  bool Direct() const { return direct_ || pending_.size() >= sink_.limits().max_findings; }

  FindingSink& sink_;
  std::vector<Pending> pending_;
  bool direct_ = false;
};

// The scene model: what rules across nodes need, as interned indices.
struct SceneState {
  SceneState(FindingSink& sink, const SceneOptions& scene_options) : findings(sink), options(scene_options) {}

  uint32_t Intern(std::string_view s) { return interned.Intern(s); }
  std::string_view Name(uint32_t index) const { return interned.Name(index); }
  // The node an interned id names from `scope` (a SceneView's stored scene
  // sees its own nodes first, then the main scene's), or kNone.
  uint32_t Resolve(uint32_t scope, uint32_t id) const;
  // A finding's location at node `node` (by index).
  Location AtNode(uint32_t node, std::string_view attribute = {}) const;

  SceneFindings findings;
  SceneOptions options;
  SceneSummary summary;
  InternTable interned;
  std::vector<NodeRecord> nodes;
  std::vector<Reference> references;
  // Check 31: references in the "storage" role (storageNodeRef, references
  // storage:), and the storage nodes, by node index.
  std::vector<Reference> storage_uses;
  std::vector<uint32_t> storage_nodes;
  bool storage_paths_over = false;  // max_storage_paths reported; later paths are not listed
  // (scope << 32 | interned id) -> node index of the first definition.
  std::unordered_map<uint64_t, uint32_t> defined;
  // "scope\ttag\tsingletonTag" of singletons seen.
  std::unordered_set<std::string> singletons;
};

}  // namespace mrmlguard::internal::mrml

#endif  // MRMLGUARD_LIB_MRML_SCENE_STATE_H_
