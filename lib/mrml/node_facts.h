// SPDX-License-Identifier: BSD-3-Clause
// File: node_facts.h
//
// "What the element says", kept apart from "what is wrong with it": one pass
// over a node's attributes records what the rules under rules/ judge
// (NodeFacts), and reports nothing. The rules then read the facts, and the
// attributes themselves, in a fixed order (scene_checker.cc).

#ifndef MRMLGUARD_LIB_MRML_NODE_FACTS_H_
#define MRMLGUARD_LIB_MRML_NODE_FACTS_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mrml/node_registry.h"
#include "mrml/scene_state.h"
#include "mrml/values.h"
#include "xml/xml_parser.h"

namespace mrmlguard::internal::mrml {

// Where a node element is and what the registry says about its tag.
struct NodeContext {
  // The tag the class Slicer creates is registered under (registry::ResolveTag):
  // every class-keyed rule sees it. `spelled_tag` is the tag as written.
  std::string_view tag;
  std::string_view spelled_tag;
  const registry::TagInfo* info = nullptr;  // nullptr: no table names the tag or its class
  bool fallback = false;                    // resolved through the "vtkMRML" + tag fallback
  uint32_t flags = 0;                       // info->flags, or 0
  std::string_view id;                      // the id attribute as written
  bool has_id = false;
  std::string_view id_label;  // the id as findings name it (at most 128 bytes)
  XmlPosition pos;
  uint32_t node = kNone;  // the index the node record gets
  uint32_t scope = 0;     // its id scope (0: main scene)
  FrameKind parent_kind = FrameKind::kOther;
  bool in_scene_view = false;  // a direct child of a SceneView

  bool Has(uint32_t flag) const { return (flags & flag) != 0; }
};

// One legacy reference or id-valued attribute (transformNodeRef, *UnitNodeRef ...).
struct LegacyReference {
  size_t attribute = 0;   // its index among the element's attributes
  std::string_view name;  // the attribute name
  std::string role;       // the reference role; empty for id-valued attributes outside the reference API
  bool storage_role = false;
  bool truncated = false;             // it names more than max_list_values ids
  std::vector<std::string_view> ids;  // the non-null ids, at most max_list_values
};

struct NodeFacts {
  std::string_view name;
  bool has_name = false;
  std::string_view singleton_tag;
  bool has_singleton = false;
  std::string_view label_format;  // markups controlPointLabelFormat / markupLabelFormat
  bool has_label_format = false;

  // The `references` attribute (vtkMRMLNode::ParseReferencesAttribute).
  std::vector<ReferenceRole> reference_roles;
  std::string references_problem;  // where the value departs from the grammar; empty when it does not
  bool references_too_many = false;
  bool references_ok() const { return references_problem.empty() && !references_too_many; }
  std::vector<LegacyReference> legacy_references;  // in attribute order

  // ColorTable.
  int64_t numcolors = -1;
  std::string_view colors;
  bool has_colors = false;

  // Storage nodes.
  bool has_uri = false;  // a non-empty uri or uriListMember*
  std::string_view read_state, write_state;
  bool has_read_state = false, has_write_state = false;
  std::vector<std::string> text_extensions;  // TextStorage readExtensions on the allow-list, ".ext" lower-case

  bool sh_version2 = false;  // SubjectHierarchy attributes say SubjectHierarchyVersion >= 2
  // ScriptedModule: the ModuleName attribute, and the last "ModuleName:" of `attributes`.
  std::string module_names[2];
};

// Records what `attributes` say about the node; reports nothing.
NodeFacts CollectFacts(const NodeContext& node, std::span<const XmlAttribute> attributes, uint64_t max_list_values);

// The legacy reference recorded for attribute `attribute`, or nullptr.
const LegacyReference* FindLegacyReference(const NodeFacts& facts, size_t attribute);

// Legacy "no reference" spellings (Slicer 3/4 wrote colorNodeID="NULL" etc.).
bool IsNullReference(std::string_view id);

// Calls fn(extension) for each item of a TextStorage readExtensions /
// writeExtensions list: trimmed of spaces, lower-cased, with a leading '.';
// empty items are skipped. `item` is the item as written.
template <typename Fn>
void ForEachTextExtension(std::string_view list, Fn&& fn) {
  ForEachListItem(list, ';', [&](std::string_view item) {
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) return;
    std::string e = AsciiLower(item);
    if (e[0] != '.') e.insert(e.begin(), '.');
    fn(item, std::move(e));
  });
}

}  // namespace mrmlguard::internal::mrml

#endif  // MRMLGUARD_LIB_MRML_NODE_FACTS_H_
