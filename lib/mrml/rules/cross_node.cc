// SPDX-License-Identifier: BSD-3-Clause
// Cross-node rules (checks 18, 19, 31), run once the whole scene is read:
// dangling references, parent chains, and storage/storable pairing. Each is
// linear in the scene: one pass, hashed lookups.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "findings/quote.h"
#include "mrml/rules/chain_walker.h"
#include "mrml/rules/rules.h"

namespace mrmlguard::internal::mrml {
namespace {

void CheckChains(SceneState& scene, bool transform) {
  // Cycles are vtkMRMLTransformNode::IsTransformNodeMyParent /
  // GetTransformToWorldMTime and vtkMRMLHierarchyNode::GetTopParentNode
  // loops; long chains are deep recursion.
  const uint64_t max_depth = scene.findings.limits().max_hierarchy_depth;
  const char* what = transform ? "transform" : "hierarchy";
  const char* attr = transform ? "transformNodeRef" : "parentNodeRef";
  auto parent_of = [&](uint32_t node) -> uint32_t {
    const NodeRecord& r = scene.nodes[node];
    const uint32_t pid = transform ? r.transform_parent : r.hierarchy_parent;
    return pid == kNone ? kNone : scene.Resolve(r.scope, pid);
  };
  auto on_cycle = [&](uint32_t node) {
    const NodeRecord& r = scene.nodes[node];
    scene.findings.Add(Rule::kMrmlParentCycle, scene.AtNode(node, attr),
                       std::string(what) + " parent chain of " +
                           Quote(r.id != kNone ? scene.Name(r.id) : std::string_view(), 80) +
                           " comes back to itself; Slicer loops forever walking it");
  };
  auto on_too_deep = [&](uint32_t node) {
    scene.findings.LimitReached(Rule::kMrmlLimitExceeded, "max_hierarchy_depth", max_depth, scene.AtNode(node, attr),
                                std::string("by the ") + what + " parent chain");
  };
  WalkChains(static_cast<uint32_t>(scene.nodes.size()), max_depth, PastCycle::kMeasure, parent_of, on_cycle,
             on_too_deep);
}

}  // namespace

void CheckDanglingReferences(SceneState& scene) {
  // One finding per (node, id) keeps a node with many refs to one id short.
  std::unordered_set<uint64_t> reported;
  for (const Reference& r : scene.references) {
    const NodeRecord& from = scene.nodes[r.node];
    if (scene.Resolve(from.scope, r.id) != kNone) continue;
    std::string_view target = scene.Name(r.id);
    if (registry::IsBuiltinId(target)) continue;
    if (!reported.insert((uint64_t{r.node} << 32) | r.id).second) continue;
    scene.findings.Add(Rule::kMrmlReferenceDangling, scene.AtNode(r.node, scene.Name(r.attribute)),
                       std::string(scene.Name(r.attribute)) + " names " + Quote(target, 80) +
                           ", which is not a node of this scene nor a Slicer built-in; Slicer removes the reference "
                           "on import (vtkMRMLNode::RemoveInvalidReferences) unless the running application has a "
                           "singleton with that id, so this part of the scene is not connected as written");
  }
}

void CheckParentChains(SceneState& scene) {
  CheckChains(scene, true);
  CheckChains(scene, false);
}

// How many nodes read each main-scene storage node's file, into
// StorageRef::users (the pipeline's max_scene_load_bytes counts an image once
// per reader: vtkMRMLStorableNode::UpdateScene calls ReadData per node).
static void CountStorageUsers(SceneState& scene) {
  std::unordered_map<std::string_view, uint32_t> users_by_id;
  // Ids a SceneView's stored nodes name in their storage role: restoring the
  // view may read through them, so such a storage node counts as used once
  // even when no main-scene node uses it (bundle.storage-outside-unused
  // relies on users == 0 meaning "never read").
  std::unordered_set<std::string_view> used_in_views;
  for (const Reference& use : scene.storage_uses) {
    const NodeRecord& from = scene.nodes[use.node];
    if (from.scope != 0) used_in_views.insert(scene.Name(use.id).substr(0, 128));
    const uint32_t target = scene.Resolve(from.scope, use.id);
    if (target == kNone || from.scope != 0 || scene.nodes[target].scope != 0) continue;
    // Keyed as StorageRef::node_id is written (the id cut at 128 bytes); ids
    // that share those bytes add up, which only counts more loads.
    uint32_t& n = users_by_id[scene.Name(use.id).substr(0, 128)];
    if (n < UINT32_MAX) ++n;
  }
  for (StorageRef& ref : scene.summary.storage) {
    if (ref.in_scene_view) continue;
    auto it = users_by_id.find(ref.node_id);
    ref.users = it != users_by_id.end() ? it->second : used_in_views.count(ref.node_id) != 0 ? 1 : 0;
  }
}

void CheckStoragePairing(SceneState& scene) {
  // vtkMRMLStorableNode::UpdateScene calls ReadData on each node of its
  // "storage" role, and vtkMRMLStorageNode::ReadData refuses a storable node
  // its CanReadInReferenceNode does not accept. A storage node that nothing
  // references is never read.
  std::vector<bool> used(scene.nodes.size(), false);
  // Ids of main-scene storage nodes used in the main scene: a SceneView's
  // stored scene repeats the scene's storage nodes (the SceneView's own
  // SceneViewStorage among them) without the SceneView that uses it, since
  // vtkMRMLSceneViewNode::WriteNodeBodyXML skips scene views.
  std::unordered_set<uint32_t> used_in_main;
  std::unordered_set<uint64_t> reported;
  for (const Reference& use : scene.storage_uses) {
    const NodeRecord& from = scene.nodes[use.node];
    const uint32_t target = scene.Resolve(from.scope, use.id);
    if (target == kNone) continue;  // mrml.reference.dangling
    used[target] = true;
    if (from.scope == 0 && scene.nodes[target].scope == 0) used_in_main.insert(use.id);
    const registry::TagInfo* storage = registry::FindTag(scene.Name(scene.nodes[target].tag));
    const registry::TagInfo* storable = registry::FindTag(scene.Name(from.tag));
    if (storage == nullptr || storable == nullptr) continue;  // unknown tags: mrml.tag.unknown
    const bool is_storage = (storage->flags & registry::kFlagStorage) != 0;
    if (is_storage && registry::StorageCanRead(*storage, *storable)) continue;
    if (!reported.insert((uint64_t{use.node} << 32) | target).second) continue;
    const std::string from_tag(scene.Name(from.tag).substr(0, 64));
    std::string message = "<" + from_tag + "> uses " + Quote(scene.Name(use.id), 80) +
                          " as its storage node, but that is a <" + std::string(storage->tag) + ">";
    message += is_storage ? ", which cannot read a <" + from_tag +
                                ">: vtkMRMLStorageNode::ReadData refuses it (CanReadInReferenceNode) and the data "
                                "is not loaded"
                          : std::string(", not a storage node: Slicer reads no file for it");
    scene.findings.Add(Rule::kMrmlStorageIncompatible, scene.AtNode(use.node, scene.Name(use.attribute)),
                       std::move(message));
  }
  CountStorageUsers(scene);
  for (uint32_t s : scene.storage_nodes) {
    if (used[s]) continue;
    const NodeRecord& rec = scene.nodes[s];
    if (rec.scope != 0 && rec.id != kNone && used_in_main.count(rec.id)) continue;
    scene.findings.Add(Rule::kMrmlStorageUnreferenced, scene.AtNode(s),
                       "storage node <" + std::string(scene.Name(rec.tag).substr(0, 64)) +
                           "> is referenced by no node" + (rec.scope != 0 ? " of its SceneView" : "") +
                           " (storageNodeRef or references \"storage:\"): Slicer never reads its file through it");
  }
}

}  // namespace mrmlguard::internal::mrml
