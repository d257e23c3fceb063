// SPDX-License-Identifier: BSD-3-Clause
// The MRML scene checker: the XmlHandler shell around the scene rules
// (rules/rules.h). It keeps the element stack, the id scopes of SceneViews,
// the subject hierarchy being read and the parser's "last node", and calls the
// rules for each element in a fixed order, which is the order findings come
// out in.
//
// Streaming design: StartElement judges one element from its attributes and
// keeps only interned ids, references, parent links and storage paths
// (SceneState); EndDocument runs the rules that need the whole scene
// (dangling references, parent cycles and chain lengths, storage/storable
// pairing) in time linear in the scene.

#include "mrml/scene_checker.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mrml/node_facts.h"
#include "mrml/node_registry.h"
#include "mrml/rules/rules.h"
#include "mrml/scene_state.h"

namespace mrmlguard::internal::mrml {
namespace {

class SceneCheckerImpl final : public SceneChecker {
 public:
  SceneCheckerImpl(FindingSink& sink, const SceneOptions& options) : scene_(sink, options) {
    scene_views_.push_back({});  // scope 0 is the main scene
  }

  // XmlHandler: nothing may throw out of a callback. The only exception
  // possible is allocation failure; it ends the checking with an error.
  void StartElement(std::string_view name, std::span<const XmlAttribute> attributes,
                    const XmlPosition& position) override {
    Guard([&] { StartElementImpl(name, attributes, position); });
  }
  void EndElement(std::string_view, const XmlPosition&) override { Guard([&] { EndElementImpl(); }); }
  void EndDocument(bool well_formed) override { Guard([&] { EndDocumentImpl(well_formed); }); }
  const SceneSummary& summary() const override { return scene_.summary; }
  SceneSummary TakeSummary() override { return std::exchange(scene_.summary, SceneSummary{}); }

 private:
  template <class Fn>
  void Guard(Fn&& fn) {
    if (failed_) return;
    try {
      fn();
    } catch (...) {
      failed_ = true;
      scene_.findings.Fail();
    }
  }
  void StartElementImpl(std::string_view name, std::span<const XmlAttribute> attributes, const XmlPosition& pos);
  void EndElementImpl();
  void EndDocumentImpl(bool well_formed);
  void StartShItem(std::span<const XmlAttribute> attributes, const XmlPosition& pos);
  void StartNode(std::string_view tag, std::span<const XmlAttribute> attributes, const XmlPosition& pos);
  NodeContext MakeContext(std::string_view tag, std::span<const XmlAttribute> attributes,
                          const XmlPosition& pos) const;
  void JudgeAttribute(const NodeContext& node, const NodeFacts& facts, size_t index, const XmlAttribute& attribute);
  void PushNodeFrame(const NodeContext& node);

  SceneState scene_;
  std::vector<Frame> stack_;
  std::vector<SceneViewState> scene_views_;  // indexed by scope
  // The last node the parser put in its collection (top-level nodes only:
  // SceneView children go to the SceneView's stored scene): what
  // vtkMRMLParser binds a SubjectHierarchyItem to.
  uint32_t last_top_node_ = kNone;
  bool last_top_is_scene_view_ = false;
  uint32_t last_top_scope_ = 0;  // the SceneView's scope when last_top_is_scene_view_
  ShScope sh_;                   // items of the SubjectHierarchy element being read
  bool ended_ = false;
  bool failed_ = false;
};

// ---------------------------------------------------------------------------

void SceneCheckerImpl::StartElementImpl(std::string_view name, std::span<const XmlAttribute> attributes,
                                        const XmlPosition& pos) {
  if (name == "MRML") {
    // vtkMRMLParser::StartElement treats <MRML> as scene metadata at any depth.
    if (!stack_.empty()) {
      scene_.findings.Add(Rule::kMrmlNesting, At(pos),
                          "<MRML> nested inside another element: Slicer reads it as scene metadata wherever it is");
    } else {
      CheckSceneHeader(attributes, pos, scene_);
    }
    stack_.push_back({FrameKind::kRoot, kNone, stack_.empty() ? 0 : stack_.back().scope});
    return;
  }
  ++scene_.summary.nodes;
  if (name == "SubjectHierarchyItem") {
    StartShItem(attributes, pos);
    return;
  }
  StartNode(name, attributes, pos);
}

void SceneCheckerImpl::StartShItem(std::span<const XmlAttribute> attributes, const XmlPosition& pos) {
  ShBinding binding;
  binding.parent = stack_.empty() ? FrameKind::kOther : stack_.back().kind;
  binding.last_top_node = last_top_node_;
  if (last_top_is_scene_view_) binding.last_scene_view = &scene_views_[last_top_scope_];
  stack_.push_back({FrameKind::kShItem, kNone, stack_.empty() ? 0 : stack_.back().scope});
  CheckShItem(attributes, pos, binding, sh_, scene_);
}

NodeContext SceneCheckerImpl::MakeContext(std::string_view tag, std::span<const XmlAttribute> attributes,
                                          const XmlPosition& pos) const {
  NodeContext node;
  // vtkMRMLParser::StartElement: the registered tag, else "vtkMRML" + tag +
  // "Node" when a module or extension registered that class.
  const registry::Resolution resolved = registry::ResolveTag(tag);
  node.spelled_tag = tag;
  node.info = resolved.info;
  node.fallback = resolved.fallback;
  node.tag = node.info ? node.info->tag : tag;
  node.flags = node.info ? node.info->flags : 0;
  for (const XmlAttribute& a : attributes) {
    if (a.name == "id") node.id = a.value, node.has_id = true;
  }
  node.id_label = node.id.substr(0, 128);
  node.pos = pos;
  node.node = static_cast<uint32_t>(scene_.nodes.size());
  node.parent_kind = stack_.empty() ? FrameKind::kOther : stack_.back().kind;
  node.scope = stack_.empty() ? 0 : stack_.back().scope;
  node.in_scene_view = node.parent_kind == FrameKind::kSceneView;
  return node;
}

// Every rule that judges one attribute, in a fixed order; each decides from
// the attribute's name (and the node's flags) whether it applies.
void SceneCheckerImpl::JudgeAttribute(const NodeContext& node, const NodeFacts& facts, size_t index,
                                      const XmlAttribute& attribute) {
  if (attribute.name == "id") return;  // CheckId
  SceneFindings& out = scene_.findings;
  CheckReferenceAttribute(node, facts, index, attribute, out);
  CheckStorageAttribute(node, attribute, out);
  CheckCodeAttribute(node, attribute, out);
  CheckValue(node, attribute, out);
}

void SceneCheckerImpl::StartNode(std::string_view tag, std::span<const XmlAttribute> attributes,
                                 const XmlPosition& pos) {
  const NodeContext node = MakeContext(tag, attributes, pos);
  SceneFindings& out = scene_.findings;
  CheckTag(node, out);
  CheckNesting(node, out);

  NodeRecord record;
  record.line = pos.line;
  record.column = pos.column;
  record.scope = node.scope;
  record.tag = scene_.Intern(node.tag);
  CheckId(node, scene_, record);

  const NodeFacts facts = CollectFacts(node, attributes, out.limits().max_list_values);
  for (size_t i = 0; i < attributes.size(); ++i) JudgeAttribute(node, facts, i, attributes[i]);

  CheckReferences(node, facts, scene_, record);
  CheckSingleton(node, facts, scene_);
  CheckLabelFormat(node, facts, out);
  CheckColorTable(node, facts, out);
  CheckStorageStates(node, facts, out);
  CheckStoragePaths(node, facts, attributes, scene_);
  CheckUnknownClassAttributes(node, attributes, out);
  CheckNodeClass(node, facts, out);
  CheckLegacyNode(node, out);
  CheckShVersion(node, facts, out);

  if (node.Has(registry::kFlagStorage)) scene_.storage_nodes.push_back(node.node);
  scene_.nodes.push_back(record);
  PushNodeFrame(node);
}

// Frames, SceneView scopes and the parser's "last node" for
// SubjectHierarchyItem binding.
void SceneCheckerImpl::PushNodeFrame(const NodeContext& node) {
  FrameKind kind = FrameKind::kNode;
  uint32_t inner_scope = node.scope;
  if (node.Has(registry::kFlagSceneView)) {
    kind = FrameKind::kSceneView;
    inner_scope = static_cast<uint32_t>(scene_views_.size());
    scene_views_.push_back({});
  } else if (node.Has(registry::kFlagSubjectHierarchy)) {
    kind = FrameKind::kSubjectHierarchy;
    if (sh_.node != kNone) FinishShScope(sh_, scene_);
    sh_.node = node.node;
  }
  if (node.in_scene_view) {
    SceneViewState& sv = scene_views_[node.scope];
    sv.has_children = true;
    if (node.Has(registry::kFlagSubjectHierarchy) && sv.first_sh == kNone) sv.first_sh = node.node;
  } else if (node.parent_kind == FrameKind::kRoot) {
    last_top_node_ = node.node;
    last_top_is_scene_view_ = node.Has(registry::kFlagSceneView);
    last_top_scope_ = inner_scope;
  }
  stack_.push_back({kind, node.node, inner_scope});
}

void SceneCheckerImpl::EndElementImpl() {
  if (stack_.empty()) return;
  const Frame frame = stack_.back();
  stack_.pop_back();
  if (frame.kind == FrameKind::kSubjectHierarchy && sh_.node == frame.node) FinishShScope(sh_, scene_);
}

void SceneCheckerImpl::EndDocumentImpl(bool well_formed) {
  if (ended_) return;
  ended_ = true;
  if (!well_formed) {
    // The tree is incomplete and where it stops depends on the parser's
    // chunking: report nothing from it unless findings already went out.
    scene_.findings.DropPending();
    return;
  }
  if (sh_.node != kNone) FinishShScope(sh_, scene_);
  scene_.findings.Flush();
  CheckDanglingReferences(scene_);
  CheckParentChains(scene_);
  CheckStoragePairing(scene_);
}

}  // namespace
}  // namespace mrmlguard::internal::mrml

namespace mrmlguard::internal {

std::unique_ptr<SceneChecker> SceneChecker::Create(FindingSink& sink, const SceneOptions& options) {
  return std::make_unique<mrml::SceneCheckerImpl>(sink, options);
}

}  // namespace mrmlguard::internal
