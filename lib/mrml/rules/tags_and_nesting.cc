// SPDX-License-Identifier: BSD-3-Clause
// Tags and nesting (checks 13, 14, 34): what Slicer creates from an element's
// tag, and where an element may stand.

#include <string>

#include "findings/quote.h"
#include "mrml/rules/rules.h"

namespace mrmlguard::internal::mrml {

void CheckTag(const NodeContext& node, SceneFindings& out) {
  const std::string_view spelled = node.spelled_tag;
  const registry::TagInfo* info = node.info;
  if (node.fallback) {
    // vtkMRMLParser::EndElement pops only tags vtkMRMLScene::GetClassNameByTag knows.
    out.Add(Rule::kMrmlTagAlias, At(node.pos, node.id_label),
            "tag " + Quote(spelled, 64) + " is not registered but creates " + std::string(info->class_name) +
                " (registered as <" + std::string(info->tag) +
                ">) through Slicer's fallback, and is checked as one; vtkMRMLParser::EndElement never pops it, "
                "so every later element becomes its child");
  } else if (info == nullptr) {
    // vtkMRMLScene::CreateNodeByClass finds no class: vtkMRMLParser::StartElement skips the element.
    if (const registry::HistoryEntry* past = registry::FindHistoricTag(spelled)) {
      out.Add(Rule::kMrmlTagUnknown, At(node.pos, node.id_label),
              "tag " + Quote(spelled, 64) + " is a node of a past Slicer or extension (" + std::string(past->where) +
                  ") that no module of current Slicer registers; Slicer skips it");
    } else {
      out.Add(Rule::kMrmlTagUnknown, At(node.pos, node.id_label),
              "tag " + Quote(spelled, 64) + " is registered by no release of " + registry::HistoryCoverage() +
                  " nor by a known extension; Slicer skips it unless an extension not known here registers it");
    }
  } else if (info->origin == registry::TagOrigin::kNotRegistered) {
    out.Add(Rule::kMrmlTagUnknown, At(node.pos, node.id_label),
            "tag " + Quote(spelled, 64) + " (" + std::string(info->class_name) +
                ") is not registered by any Slicer module; Slicer skips it");
  } else if (info->origin == registry::TagOrigin::kRemoved) {
    out.Add(Rule::kMrmlTagUnknown, At(node.pos, node.id_label),
            "tag " + Quote(spelled, 64) + " is from an old Slicer (" + std::string(info->module) +
                "); current Slicer skips it");
  }
}

void CheckNesting(const NodeContext& node, SceneFindings& out) {
  // vtkMRMLParser::StartElement hands a SceneView's children to its stored
  // scene; any other parent keeps them as top-level nodes of the scene.
  if (node.parent_kind == FrameKind::kSceneView) {
    if (node.Has(registry::kFlagSceneView)) {
      out.Add(Rule::kMrmlNesting, At(node.pos, node.id_label),
              "SceneView inside a SceneView: Slicer builds one more scene per level and recurses on restore");
    }
  } else if (node.parent_kind != FrameKind::kRoot) {
    out.Add(Rule::kMrmlNesting, At(node.pos, node.id_label),
            "<" + std::string(node.tag.substr(0, 64)) + "> nested inside another node; only SceneView holds nodes");
  }
}

void CheckLegacyNode(const NodeContext& node, SceneFindings& out) {
  if (!node.Has(registry::kFlagLegacy)) return;
  out.Add(Rule::kMrmlLegacyNode, At(node.pos, node.id_label),
          "legacy <" + std::string(node.tag) +
              "> node: Slicer converts it on import through code with known "
              "reading defects");
}

}  // namespace mrmlguard::internal::mrml
