// SPDX-License-Identifier: BSD-3-Clause
// Subject hierarchy (checks 14, 19, 34 for SubjectHierarchyItem elements):
// where vtkMRMLParser binds an item, the item's id and parent
// (vtkSubjectHierarchyItem::ReadXMLAttributes), and the items' parent chains.

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "findings/quote.h"
#include "mrml/rules/chain_walker.h"
#include "mrml/rules/rules.h"

namespace mrmlguard::internal::mrml {
namespace {

// The node vtkMRMLParser::StartElement binds the item to is the last node of
// its collection; when that is a SceneView it takes the first SH node of
// GetStoredScene() with no null check on either (poc/01). Returns why the
// item lands elsewhere than in the enclosing SubjectHierarchy, or "".
std::string MisboundItem(const ShBinding& binding, uint32_t enclosing_sh) {
  if (binding.parent != FrameKind::kSubjectHierarchy && binding.parent != FrameKind::kShItem) {
    return "SubjectHierarchyItem outside a SubjectHierarchy element; Slicer attaches it to whatever node it "
           "parsed last";
  }
  if (binding.last_scene_view != nullptr) {
    const SceneViewState& sv = *binding.last_scene_view;
    if (!sv.has_children || sv.first_sh == kNone) {
      return std::string("SubjectHierarchyItem read while the last node is a SceneView ") +
             (sv.has_children ? "without a SubjectHierarchy child" : "with no stored scene yet") +
             ": Slicer dereferences NULL";
    }
    if (sv.first_sh != enclosing_sh) {
      return "SubjectHierarchyItem inside a SceneView's second SubjectHierarchy: Slicer adds it to the first one";
    }
  } else if (binding.last_top_node != enclosing_sh) {
    return "SubjectHierarchyItem of a SubjectHierarchy that is not the last node Slicer parsed: Slicer adds it to "
           "another node";
  }
  return {};
}

Location AtItem(const ShItem& item, std::string_view sh_id) {
  Location loc;
  loc.line = item.line;
  loc.column = item.column;
  loc.node_id = std::string(sh_id);
  loc.attribute = "parent";
  return loc;
}


// What vtkSubjectHierarchyItem::ReadXMLAttributes reads from an item.
struct ItemAttributes {
  std::string_view id, parent, data_node, name, type, level;
  bool has_id = false, has_parent = false;
};

// The value of `key` in an item's `attributes` ("key^value|key^value|"):
// ReadXMLAttributes splits at '|' and at the first '^', and the last one of a
// key wins.
std::string_view ItemAttribute(std::string_view attributes, std::string_view key) {
  std::string_view found;
  ForEachListItem(attributes, '|', [&](std::string_view item) {
    size_t caret = item.find('^');
    if (caret != std::string_view::npos && item.substr(0, caret) == key) found = item.substr(caret + 1);
  });
  return found;
}

ItemAttributes ReadItemAttributes(std::span<const XmlAttribute> attributes) {
  ItemAttributes item;
  for (const XmlAttribute& a : attributes) {
    if (a.name == "id") {
      item.id = a.value, item.has_id = true;
    } else if (a.name == "parent") {
      item.parent = a.value, item.has_parent = true;
    } else if (a.name == "dataNode") {
      item.data_node = a.value;
    } else if (a.name == "name") {
      // ReadXMLAttributes ignores a name that follows a non-empty dataNode
      // (and a dataNode that follows a name; its reference is still checked).
      if (item.data_node.empty()) item.name = a.value;
    } else if (a.name == "type") {
      item.type = a.value;
    } else if (a.name == "attributes") {
      item.level = ItemAttribute(a.value, "Level");
    }
  }
  return item;
}

// The item ResolveUnresolvedItems takes for the scene item: the first whose
// Level is "Scene", else the first named "Scene" with no owner plugin; kNone
// when there is none. `order` lists the items in document order.
uint32_t FindSceneItem(const std::vector<const ShItem*>& items, const std::vector<uint32_t>& order) {
  for (uint32_t i : order) {
    if (items[i]->scene_by_level) return i;
  }
  for (uint32_t i : order) {
    if (items[i]->scene_by_name) return i;
  }
  return kNone;
}

// The scene item's parent: ResolveUnresolvedItems takes the scene item out of
// the unresolved items before it resolves any parent, so its parent is never
// read. Slicer 4.7 (before commit 0106032e41 made INVALID_ITEM_ID 0) wrote
// VTK_UNSIGNED_LONG_MAX there: "4294967295" where unsigned long has 32 bits.
void CheckSceneItemParent(const ShItem& item, std::string_view sh_id, SceneFindings& out) {
  if (item.parent_valid && item.parent == 0) return;
  const std::string parent = item.parent_valid ? std::to_string(item.parent) : item.parent_text;
  out.Add(Rule::kMrmlShItemUnusual, AtItem(item, sh_id),
          "the scene item names parent " + Quote(parent, 40) +
              ", which Slicer ignores (Slicer 4.7 wrote its invalid item id there)");
}

}  // namespace

void CheckShItem(std::span<const XmlAttribute> attributes, const XmlPosition& pos, const ShBinding& binding,
                 ShScope& scope, SceneState& scene) {
  const ItemAttributes a = ReadItemAttributes(attributes);
  const std::string item_label = a.has_id ? std::string(a.id.substr(0, 32)) : std::string();
  SceneFindings& out = scene.findings;

  // Check 14: items belong inside the SubjectHierarchy element Slicer binds them to.
  if (std::string why = MisboundItem(binding, scope.node); !why.empty()) {
    out.Add(Rule::kMrmlShItemPlacement, At(pos, item_label), std::move(why));
    return;
  }

  // vtkSubjectHierarchyItem::ReadXMLAttributes: id/parent through
  // vtkVariant::ToLongLong with the validity flag ignored; the item waits
  // among the unresolved items (vtkMRMLSubjectHierarchyNode::ReadItemFromXML)
  // until ResolveUnresolvedItems places it under its parent.
  ShItem item{0, pos.line, pos.column};
  item.scene_by_level = a.level == "Scene";
  item.scene_by_name = a.name == "Scene" && a.type.empty();
  int64_t id = 0;
  if (!a.has_id || ParseStrictInt(a.id, &id) != NumberStatus::kOk || id < 0) {
    out.Add(Rule::kMrmlShItemInvalid, At(pos, item_label, "id"),
            a.has_id ? "subject hierarchy item id " + Quote(a.id, 40) + " is not a non-negative integer"
                     : std::string("subject hierarchy item without an id"));
    return;
  }
  if (id == 0) {
    // 0 is INVALID_ITEM_ID. ResolveUnresolvedItems tests the scene item's id
    // for 0: with id 0 it finds no scene item, fails, and
    // ResolveSubjectHierarchy removes the node and rebuilds the hierarchy
    // from the scene's nodes. Any other item with id 0 is resolved like the
    // rest, and items naming parent 0 are placed under it.
    out.Add(Rule::kMrmlShItemUnusual, At(pos, item_label, "id"),
            item.scene_by_level || item.scene_by_name
                ? std::string("the scene item has id 0 (INVALID_ITEM_ID): Slicer finds no scene item, drops this "
                              "subject hierarchy and rebuilds one from the scene's nodes")
                : std::string("subject hierarchy item id 0 is INVALID_ITEM_ID: Slicer reads it as any other id and "
                              "places the items naming parent 0 under it"));
  }
  const bool candidate = item.scene_by_level || item.scene_by_name;
  if (a.has_parent && (ParseStrictInt(a.parent, &item.parent) != NumberStatus::kOk || item.parent < 0)) {
    // The scene item's parent is never read (FinishShScope); judge it once
    // it is known which item that is.
    if (!candidate) {
      out.Add(Rule::kMrmlShItemInvalid, At(pos, item_label, "parent"),
              "subject hierarchy item parent " + Quote(a.parent, 40) + " is not a non-negative integer");
      return;
    }
    item.parent = 0;
    item.parent_valid = false;
    item.parent_text = std::string(a.parent.substr(0, 64));
  }
  auto [it, inserted] = scope.items.try_emplace(id, std::move(item));
  if (!inserted) {
    // ResolveUnresolvedItems maps each id to the item it placed last
    // (idMap[TemporaryID]): children naming the id go under whichever of
    // the two was placed before them. No crash, no loop.
    out.Add(Rule::kMrmlShItemUnusual, At(pos, item_label, "id"),
            "subject hierarchy item id " + std::to_string(id) + " repeats the item at line " +
                std::to_string(it->second.line) +
                ": Slicer places the items naming it as parent under either of the two");
  }
  if (!a.data_node.empty() && !IsNullReference(a.data_node) && scope.node != kNone) {
    scene.references.push_back({scope.node, scene.Intern(a.data_node), scene.Intern("dataNode")});
  }
}

void FinishShScope(ShScope& scope, SceneState& scene) {
  // Parents must exist (0 = the scene item); chains must end (no cycle) and
  // stay under max_hierarchy_depth: vtkSubjectHierarchyItem recursion.
  const std::string sh_id = scope.node != kNone && scene.nodes[scope.node].id != kNone
                                ? std::string(scene.Name(scene.nodes[scope.node].id))
                                : std::string();
  // Items by id, walked in id order (a deterministic report order).
  std::vector<int64_t> ids;
  ids.reserve(scope.items.size());
  for (const auto& [id, item] : scope.items) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  std::vector<const ShItem*> items;
  items.reserve(ids.size());
  for (int64_t id : ids) items.push_back(&scope.items.at(id));

  // The scene item, and scene-item look-alikes that are not it.
  std::vector<uint32_t> order(items.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return std::tie(items[x]->line, items[x]->column) < std::tie(items[y]->line, items[y]->column);
  });
  const uint32_t scene_item = FindSceneItem(items, order);
  for (uint32_t i : order) {
    if (i == scene_item) {
      CheckSceneItemParent(*items[i], sh_id, scene.findings);
    } else if (!items[i]->parent_valid) {
      scene.findings.Add(Rule::kMrmlShItemInvalid, AtItem(*items[i], sh_id),
                         "subject hierarchy item parent " + Quote(items[i]->parent_text, 40) +
                             " is not a non-negative integer");
    }
  }

  auto parent_of = [&](uint32_t i) -> uint32_t {
    const int64_t parent = items[i]->parent;
    if (parent == 0 || i == scene_item || !items[i]->parent_valid) return kNone;
    auto p = std::lower_bound(ids.begin(), ids.end(), parent);
    if (p != ids.end() && *p == parent) return static_cast<uint32_t>(p - ids.begin());
    scene.findings.Add(Rule::kMrmlShItemInvalid, AtItem(*items[i], sh_id),
                       "subject hierarchy item " + std::to_string(ids[i]) + " names parent " +
                           std::to_string(parent) + ", which is not an item of this subject hierarchy");
    return kNone;
  };
  auto on_cycle = [&](uint32_t i) {
    scene.findings.Add(Rule::kMrmlParentCycle, AtItem(*items[i], sh_id),
                       "subject hierarchy item " + std::to_string(ids[i]) + " is its own ancestor");
  };
  const uint64_t max_depth = scene.findings.limits().max_hierarchy_depth;
  auto on_too_deep = [&](uint32_t i) {
    scene.findings.LimitReached(Rule::kMrmlLimitExceeded, "max_hierarchy_depth", max_depth, AtItem(*items[i], sh_id),
                                "by the subject hierarchy chain of item " + std::to_string(ids[i]));
  };
  WalkChains(static_cast<uint32_t>(ids.size()), max_depth, PastCycle::kSkip, parent_of, on_cycle, on_too_deep);
  scope.items.clear();
  scope.node = kNone;
}

void CheckShVersion(const NodeContext& node, const NodeFacts& facts, SceneFindings& out) {
  if (!node.Has(registry::kFlagSubjectHierarchy) || facts.sh_version2) return;
  out.Add(Rule::kMrmlLegacyNode, At(node.pos, node.id_label, "attributes"),
          "SubjectHierarchy without SubjectHierarchyVersion:2 is read by vtkMRMLSubjectHierarchyLegacyNode");
}

}  // namespace mrmlguard::internal::mrml
