// Subject hierarchy (checks 14, 19, 34 for SubjectHierarchyItem elements):
// where vtkMRMLParser binds an item, the item's id and parent
// (vtkSubjectHierarchyItem::ReadXMLAttributes), and the items' parent chains.

#include <algorithm>
#include <string>
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

}  // namespace

void CheckShItem(std::span<const XmlAttribute> attributes, const XmlPosition& pos, const ShBinding& binding,
                 ShScope& scope, SceneState& scene) {
  std::string_view id_text, parent_text, data_node;
  bool has_id = false, has_parent = false, has_data_node = false;
  for (const XmlAttribute& a : attributes) {
    if (a.name == "id")
      id_text = a.value, has_id = true;
    else if (a.name == "parent")
      parent_text = a.value, has_parent = true;
    else if (a.name == "dataNode")
      data_node = a.value, has_data_node = true;
  }
  const std::string item_label = has_id ? std::string(id_text.substr(0, 32)) : std::string();
  SceneFindings& out = scene.findings;

  // Check 14: items belong inside the SubjectHierarchy element Slicer binds them to.
  if (std::string why = MisboundItem(binding, scope.node); !why.empty()) {
    out.Add(Rule::kMrmlShItemPlacement, At(pos, item_label), std::move(why));
    return;
  }

  // vtkSubjectHierarchyItem::ReadXMLAttributes: id/parent through
  // vtkVariant::ToLongLong with the validity flag ignored.
  int64_t id = 0, parent_id = 0;
  if (!has_id || ParseStrictInt(id_text, &id) != NumberStatus::kOk || id <= 0) {
    out.Add(Rule::kMrmlShItemInvalid, At(pos, item_label, "id"),
            has_id ? "subject hierarchy item id " + Quote(id_text, 40) + " is not a positive integer"
                   : std::string("subject hierarchy item without an id"));
    return;
  }
  if (has_parent && (ParseStrictInt(parent_text, &parent_id) != NumberStatus::kOk || parent_id < 0)) {
    out.Add(Rule::kMrmlShItemInvalid, At(pos, item_label, "parent"),
            "subject hierarchy item parent " + Quote(parent_text, 40) + " is not a non-negative integer");
    return;
  }
  auto [it, inserted] = scope.items.try_emplace(id, ShItem{parent_id, pos.line, pos.column});
  if (!inserted) {
    out.Add(Rule::kMrmlShItemInvalid, At(pos, item_label, "id"),
            "subject hierarchy item id " + std::to_string(id) + " repeats the item at line " +
                std::to_string(it->second.line));
  }
  if (has_data_node && !IsNullReference(data_node) && scope.node != kNone) {
    scene.references.push_back({scope.node, scene.Intern(data_node), scene.Intern("dataNode")});
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

  auto parent_of = [&](uint32_t i) -> uint32_t {
    const int64_t parent = items[i]->parent;
    if (parent == 0) return kNone;
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
