// SPDX-License-Identifier: BSD-3-Clause
// CollectFacts: one pass over a node's attributes that records and never
// reports (node_facts.h). Each attribute is recorded by what its name means;
// which rules judge it is decided in scene_checker.cc, never here.

#include "mrml/node_facts.h"

#include <algorithm>
#include <utility>

#include "text/ascii.h"

namespace mrmlguard::internal::mrml {
namespace {

using text::EndsWith;
using text::StartsWith;

// Legacy reference and id-valued attributes (check 18); *UnitNodeRef is
// vtkMRMLSelectionNode's generic "unit/" role. False when `name` is neither.
bool CollectLegacyReference(size_t index, const XmlAttribute& a, uint64_t max_ids, NodeFacts& facts) {
  const std::string_view an = a.name;
  const registry::RefAttr* ref = registry::FindRefAttr(an);
  const bool unit_ref = ref == nullptr && EndsWith(an, "UnitNodeRef");
  if (ref == nullptr && !unit_ref) return false;
  LegacyReference legacy;
  legacy.attribute = index;
  legacy.name = an;
  ForEachToken(a.value, false, [&](std::string_view token) {
    if (legacy.ids.size() >= max_ids) {
      legacy.truncated = true;
      return false;
    }
    if (!IsNullReference(token)) legacy.ids.push_back(token);
    return true;
  });
  legacy.role = unit_ref ? "unit/" + std::string(an.substr(0, an.size() - 11)) : std::string(ref->role);
  // storageNodeRef: vtkMRMLStorableNode's legacy name of the "storage" role (check 31).
  legacy.storage_role = ref != nullptr && ref->role == "storage";
  facts.legacy_references.push_back(std::move(legacy));
  return true;
}

// Storage nodes (checks 28-32).
void CollectStorage(const NodeContext& node, const XmlAttribute& a, NodeFacts& facts) {
  const std::string_view an = a.name;
  if (an == "uri" || StartsWith(an, "uriListMember")) {
    facts.has_uri = facts.has_uri || !a.value.empty();
  } else if (an == "readState") {
    facts.read_state = a.value, facts.has_read_state = true;
  } else if (an == "writeState") {
    facts.write_state = a.value, facts.has_write_state = true;
  } else if (an == "readExtensions" && node.Has(registry::kFlagTextStorage)) {
    // vtkMRMLTextStorageNode: the scene chooses which extensions a text node accepts.
    ForEachTextExtension(a.value, [&](std::string_view, std::string extension) {
      if (registry::IsAllowedTextExtension(extension)) facts.text_extensions.push_back(std::move(extension));
    });
  }
}

// Check 27: the module a parameter node belongs to is its ModuleName
// attribute (vtkMRMLScriptedModuleNode::ReadXMLAttributes) or, as
// ScriptedLoadableModuleLogic writes it now, the node attribute "ModuleName"
// in `attributes` (vtkMRMLNode: "name:value;...", the first ':' splits, %3B
// and %25 decoded; SetAttribute keeps the last one).
void CollectScriptedModule(const XmlAttribute& a, NodeFacts& facts) {
  if (a.name == "ModuleName") {
    if (!a.value.empty()) facts.module_names[0] = std::string(a.value);
  } else if (a.name == "attributes") {
    std::string_view last;
    ForEachListItem(a.value, ';', [&](std::string_view item) {
      if (StartsWith(item, "ModuleName:")) last = item.substr(11);
    });
    facts.module_names[1] = SlicerAttributeValueDecode(last);
  }
}

// vtkMRMLParser: SubjectHierarchyVersion (atoi) < 2 -> vtkMRMLSubjectHierarchyLegacyNode.
void CollectShVersion(std::string_view attributes, NodeFacts& facts) {
  size_t p = attributes.find("SubjectHierarchyVersion:");
  if (p == std::string_view::npos) return;
  std::string_view v = attributes.substr(p + 24);
  v = v.substr(0, v.find(';'));
  int64_t version = 0;
  facts.sh_version2 = ParseStrictInt(v, &version) == NumberStatus::kOk && version >= 2;
}

}  // namespace

bool IsNullReference(std::string_view id) {
  return id.empty() || id == "NULL" || id == "None" || id == "none" || id == "(none)" || id == "null";
}

NodeFacts CollectFacts(const NodeContext& node, std::span<const XmlAttribute> attributes, uint64_t max_list_values) {
  NodeFacts facts;
  for (size_t i = 0; i < attributes.size(); ++i) {
    const XmlAttribute& a = attributes[i];
    const std::string_view an = a.name;
    if (an == "id") continue;  // NodeContext::id
    if (an == "name") {
      facts.name = a.value, facts.has_name = true;
    } else if (an == "singletonTag") {
      facts.singleton_tag = a.value, facts.has_singleton = true;
    } else if (an == "references") {
      // Check 17: vtkMRMLNode::ParseReferencesAttribute.
      facts.references_problem =
          ParseReferences(a.value, &facts.reference_roles, max_list_values, &facts.references_too_many);
      continue;
    } else if (an == "attributes" && node.Has(registry::kFlagSubjectHierarchy)) {
      CollectShVersion(a.value, facts);
    }
    if (CollectLegacyReference(i, a, max_list_values, facts)) continue;
    if (node.Has(registry::kFlagStorage)) CollectStorage(node, a, facts);
    if (node.Has(registry::kFlagScriptedModule)) CollectScriptedModule(a, facts);
    if (node.Has(registry::kFlagColorTable)) {
      if (an == "colors") {
        facts.colors = a.value, facts.has_colors = true;
      } else if (an == "numcolors") {
        int64_t v = 0;
        if (ParseStrictInt(a.value, &v) == NumberStatus::kOk) facts.numcolors = v;
      }
    }
    if (node.Has(registry::kFlagMarkups) && (an == "controlPointLabelFormat" || an == "markupLabelFormat")) {
      facts.label_format = a.value, facts.has_label_format = true;
    }
  }
  return facts;
}

const LegacyReference* FindLegacyReference(const NodeFacts& facts, size_t attribute) {
  auto it = std::lower_bound(facts.legacy_references.begin(), facts.legacy_references.end(), attribute,
                             [](const LegacyReference& r, size_t index) { return r.attribute < index; });
  return it != facts.legacy_references.end() && it->attribute == attribute ? &*it : nullptr;
}

}  // namespace mrmlguard::internal::mrml
