// SPDX-License-Identifier: BSD-3-Clause
// File: rules/rules.h
//
// The scene rules, one file per family. Each rule is a free function over a
// node's context (NodeContext), what its attributes say (NodeFacts) and, for
// rules that record what later rules need, the scene model (SceneState).
// The numbers are the checks of the scene-loading research; docs/notes/mrml.md
// maps each to its rule ids, and every rule cites the Slicer function whose
// behaviour it guards against.
//
// scene_checker.cc calls them in a fixed order, which is the order findings are
// reported in: tag and nesting, id, then for each attribute in document order
// its reference, storage, code/network and value rules, then the node rules.

#ifndef MRMLGUARD_LIB_MRML_RULES_RULES_H_
#define MRMLGUARD_LIB_MRML_RULES_RULES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>

#include "mrml/node_facts.h"
#include "mrml/scene_state.h"
#include "xml/xml_parser.h"

namespace mrmlguard::internal::mrml {

// --- scene_header.cc
// <MRML>: the application and version that wrote the scene (check 35) and the
// extensions it was saved with; records the version in the summary.
void CheckSceneHeader(std::span<const XmlAttribute> attributes, const XmlPosition& pos, SceneState& scene);

// --- tags_and_nesting.cc
// Check 13: how the tag as written resolves to a class
// (vtkMRMLParser::StartElement, vtkMRMLScene::CreateNodeByClass; resolved by
// registry::ResolveTag in the shell).
void CheckTag(const NodeContext& node, SceneFindings& out);
// Check 14: only a SceneView holds nodes, and never another SceneView.
void CheckNesting(const NodeContext& node, SceneFindings& out);
// Check 34: legacy classes converted on import.
void CheckLegacyNode(const NodeContext& node, SceneFindings& out);

// --- ids_and_references.cc
// Check 15: the id is present, unique in its scope and of a safe charset;
// records it in `record` and the scene's id map.
void CheckId(const NodeContext& node, SceneState& scene, NodeRecord& record);
// The `references` value's grammar and size, a legacy reference's size, and
// references to shader properties (check 26), for attribute `index`.
void CheckReferenceAttribute(const NodeContext& node, const NodeFacts& facts, size_t index,
                             const XmlAttribute& attribute, SceneFindings& out);
// Records the node's references for check 18 and 31 and its transform and
// hierarchy parents for check 19; check 17: a role given in `references` and
// in a legacy attribute must agree.
void CheckReferences(const NodeContext& node, const NodeFacts& facts, SceneState& scene, NodeRecord& record);
// Check 16: singletons (vtkMRMLScene::AddNodeNoNotify copies into the existing one).
void CheckSingleton(const NodeContext& node, const NodeFacts& facts, SceneState& scene);

// --- storage.cc
// Check 28 (uri) and TextStorage's extension lists, for one attribute.
void CheckStorageAttribute(const NodeContext& node, const XmlAttribute& attribute, SceneFindings& out);
// Check 29: readState / writeState.
void CheckStorageStates(const NodeContext& node, const NodeFacts& facts, SceneFindings& out);
// Checks 30-32 on every fileName / fileListMember*, which are listed in the
// scene summary for the pipeline.
void CheckStoragePaths(const NodeContext& node, const NodeFacts& facts, std::span<const XmlAttribute> attributes,
                       SceneState& scene);
// Storage- and network-like attributes (uri, fileName, persistent, ports and
// hosts) on an element of no known class, which an extension this registry
// has not scanned may register.
void CheckUnknownClassAttributes(const NodeContext& node, std::span<const XmlAttribute> attributes,
                                 SceneFindings& out);

// --- code_and_network.cc
// Checks 25, 27, 33 for one attribute: CLI autorun, connectors that start
// themselves, module paths in scripted parameters.
void CheckCodeAttribute(const NodeContext& node, const XmlAttribute& attribute, SceneFindings& out);
// Checks 25, 26, 27, 33 on the node's class and module.
void CheckNodeClass(const NodeContext& node, const NodeFacts& facts, SceneFindings& out);

// --- values.cc
// Checks 20-23: the value grammar the registry gives the attribute, if any.
void CheckValue(const NodeContext& node, const XmlAttribute& attribute, SceneFindings& out);
// Check 24: a markups name pasted into the label format.
void CheckLabelFormat(const NodeContext& node, const NodeFacts& facts, SceneFindings& out);
// Check 22: ColorTable colors consistent with numcolors.
void CheckColorTable(const NodeContext& node, const NodeFacts& facts, SceneFindings& out);

// --- subject_hierarchy.cc
struct ShItem {
  int64_t parent = 0;
  uint32_t line = 0;
  uint32_t column = 0;
  // How vtkMRMLSubjectHierarchyNode::vtkInternal::ResolveUnresolvedItems
  // would recognise it as the scene item: its Level attribute is "Scene", or
  // (for scenes without that attribute) its name is "Scene" and its type empty.
  bool scene_by_level = false;
  bool scene_by_name = false;
  bool parent_valid = true;  // the parent is a non-negative integer
  std::string parent_text;   // as written (cut), when it is not
};
// The subject hierarchy node that items are being read into.
struct ShScope {
  uint32_t node = kNone;  // the SubjectHierarchy element's node index
  std::unordered_map<int64_t, ShItem> items;
};
// What vtkMRMLParser binds a SubjectHierarchyItem to: the last node it put in
// its collection (top-level nodes only: SceneView children go to the
// SceneView's stored scene).
struct ShBinding {
  FrameKind parent = FrameKind::kOther;  // the frame the item is in
  uint32_t last_top_node = kNone;
  const SceneViewState* last_scene_view = nullptr;  // set when that last node is a SceneView
};
// Check 14 for items and the item's own id and parent; records it in `scope`.
void CheckShItem(std::span<const XmlAttribute> attributes, const XmlPosition& pos, const ShBinding& binding,
                 ShScope& scope, SceneState& scene);
// The items' parent chains (existence, cycles, depth); empties `scope`.
void FinishShScope(ShScope& scope, SceneState& scene);
// Check 34: a SubjectHierarchy node read by the legacy class.
void CheckShVersion(const NodeContext& node, const NodeFacts& facts, SceneFindings& out);

// --- cross_node.cc (at the end of the document)
// Check 18: every reference names a node of the scene or a Slicer built-in.
void CheckDanglingReferences(SceneState& scene);
// Check 19: transform and legacy hierarchy parent cycles and chain lengths.
void CheckParentChains(SceneState& scene);
// Check 31: storage nodes and the storable nodes that use them.
void CheckStoragePairing(SceneState& scene);

}  // namespace mrmlguard::internal::mrml

#endif  // MRMLGUARD_LIB_MRML_RULES_RULES_H_
