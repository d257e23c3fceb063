// SPDX-License-Identifier: BSD-3-Clause
// Ids and references (checks 15-18): node ids, singletons, the `references`
// attribute and the legacy reference attributes.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "findings/quote.h"
#include "mrml/rules/rules.h"

namespace mrmlguard::internal::mrml {
namespace {

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == ':' || c == '-';
}

std::string JoinIds(const std::vector<std::string_view>& ids) {
  std::string list;
  for (std::string_view s : ids) list += (list.empty() ? "" : " ") + std::string(s);
  return list;
}

void ReportShaderReference(const NodeContext& node, std::string_view attribute, std::string_view target,
                           std::string_view what, SceneFindings& out) {
  out.Add(Rule::kMrmlCodeNode, At(node.pos, node.id_label, attribute),
          std::string(what) + Quote(target, 64) + ": its GLSL code is compiled by the GPU driver");
}

}  // namespace

void CheckId(const NodeContext& node, SceneState& scene, NodeRecord& record) {
  // vtkMRMLScene::AddNodeNoNotify renames clashes; references bind to the last one.
  SceneFindings& out = scene.findings;
  const std::string_view id = node.id;
  if (!node.has_id || id.empty()) {
    out.Add(Rule::kMrmlIdMissing, At(node.pos, {}, "id"),
            "<" + std::string(node.tag.substr(0, 64)) + "> has " + (node.has_id ? "an empty id" : "no id") +
                "; Slicer generates one and rewires references unpredictably");
    return;
  }
  record.id = scene.Intern(id);
  const uint64_t key = (uint64_t{node.scope} << 32) | record.id;
  auto [it, inserted] = scene.defined.try_emplace(key, node.node);
  if (!inserted) {
    out.Add(Rule::kMrmlIdDuplicate, At(node.pos, node.id_label, "id"),
            "id " + Quote(id, 128) + " is already used by the node at line " +
                std::to_string(scene.nodes[it->second].line) + "; Slicer renames one and binds references to the last");
  }
  if (!std::all_of(id.begin(), id.end(), IsIdChar)) {
    out.Add(Rule::kMrmlIdCharset, At(node.pos, node.id_label, "id"),
            "id " + Quote(id, 128) +
                " has characters outside [A-Za-z0-9_.:-]; whitespace, ';' and '{' break "
                "reference lists");
  }
}

void CheckReferenceAttribute(const NodeContext& node, const NodeFacts& facts, size_t index,
                             const XmlAttribute& attribute, SceneFindings& out) {
  const std::string_view an = attribute.name;
  const uint64_t max_ids = out.limits().max_list_values;
  if (an == "references") {
    if (facts.references_too_many) {
      out.LimitReached(Rule::kMrmlLimitExceeded, "max_list_values", max_ids, At(node.pos, node.id_label, an),
                       "by the ids of references");
    } else if (!facts.references_problem.empty()) {
      out.Add(Rule::kMrmlReferencesSyntax, At(node.pos, node.id_label, an),
              "references " + Quote(attribute.value, 120) + ": " + facts.references_problem);
    }
    return;
  }
  const LegacyReference* legacy = FindLegacyReference(facts, index);
  if (legacy == nullptr) return;
  if (legacy->truncated) {
    out.LimitReached(Rule::kMrmlLimitExceeded, "max_list_values", max_ids, At(node.pos, node.id_label, an),
                     "by the ids of " + std::string(an));
  }
  if (an == "shaderPropertyNodeId" && !legacy->ids.empty()) {
    ReportShaderReference(node, an, legacy->ids.front(), "volume rendering display references shader property ",
                          out);
  }
}

void CheckReferences(const NodeContext& node, const NodeFacts& facts, SceneState& scene, NodeRecord& record) {
  for (const LegacyReference& legacy : facts.legacy_references) {
    const uint32_t attr_index = scene.Intern(legacy.name);
    for (std::string_view target : legacy.ids) {
      const uint32_t target_index = scene.Intern(target);
      scene.references.push_back({node.node, target_index, attr_index});
      if (legacy.storage_role) scene.storage_uses.push_back({node.node, target_index, attr_index});
    }
    if (legacy.ids.empty()) continue;
    if (legacy.name == "transformNodeRef") record.transform_parent = scene.Intern(legacy.ids.front());
    if (legacy.name == "parentNodeRef") record.hierarchy_parent = scene.Intern(legacy.ids.front());
  }
  if (!facts.references_ok()) return;
  const uint32_t references_attr = facts.reference_roles.empty() ? kNone : scene.Intern("references");
  for (const ReferenceRole& r : facts.reference_roles) {
    const bool storage_role = r.role == "storage";
    for (std::string_view target : r.ids) {
      if (IsNullReference(target)) continue;
      const uint32_t target_index = scene.Intern(target);
      scene.references.push_back({node.node, target_index, references_attr});
      if (storage_role) scene.storage_uses.push_back({node.node, target_index, references_attr});
    }
    if (r.role == "transform" && !r.ids.empty() && record.transform_parent == kNone) {
      record.transform_parent = scene.Intern(r.ids.front());
    }
    if (r.role == "shaderProperty" && !r.ids.empty()) {
      ReportShaderReference(node, "references", r.ids.front(), "references a shader property node ",
                            scene.findings);
    }
    // Which of the two Slicer keeps depends on the order ReadXMLAttributes sees them.
    for (const LegacyReference& legacy : facts.legacy_references) {
      if (legacy.role.empty() || legacy.role != r.role) continue;
      std::vector<std::string_view> a_ids = r.ids, b_ids = legacy.ids;
      std::sort(a_ids.begin(), a_ids.end());
      std::sort(b_ids.begin(), b_ids.end());
      if (a_ids == b_ids) continue;
      scene.findings.Add(Rule::kMrmlReferencesConflict, At(node.pos, node.id_label, "references"),
                         "role \"" + std::string(r.role.substr(0, 64)) + "\" is " + Quote(JoinIds(r.ids), 80) +
                             " in references but " + Quote(JoinIds(legacy.ids), 80) +
                             " in its legacy attribute; which one Slicer keeps depends on attribute order");
    }
  }
}

void CheckSingleton(const NodeContext& node, const NodeFacts& facts, SceneState& scene) {
  std::string_view singleton_tag = facts.singleton_tag;
  bool has_singleton = facts.has_singleton;
  // vtkMRMLUnitNode::SetName also sets the singleton tag.
  if (node.Has(registry::kFlagUnitSingleton) && facts.has_name && !has_singleton) {
    singleton_tag = facts.name;
    has_singleton = true;
  }
  if (!has_singleton || singleton_tag.empty()) return;
  const std::string_view tag = node.tag;
  std::string key = std::to_string(node.scope) + '\t' + std::string(tag) + '\t' + std::string(singleton_tag);
  if (!scene.singletons.insert(std::move(key)).second) {
    scene.findings.Add(Rule::kMrmlSingletonDuplicate, At(node.pos, node.id_label, "singletonTag"),
                       "a second <" + std::string(tag.substr(0, 64)) + "> with singleton tag " +
                           Quote(singleton_tag, 64) + ": Slicer copies one over the other");
  } else if (node.scope == 0) {
    scene.findings.Add(Rule::kMrmlSingletonOverride, At(node.pos, node.id_label, "singletonTag"),
                       "<" + std::string(tag.substr(0, 64)) + "> singleton " + Quote(singleton_tag, 64) +
                           " overwrites the application's node of that tag on import");
  }
}

}  // namespace mrmlguard::internal::mrml
