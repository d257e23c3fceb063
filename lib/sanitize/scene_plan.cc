// SPDX-License-Identifier: BSD-3-Clause
// PlanScene (scene_plan.h): each error finding's action, placed on the exact
// element and attribute it names, as splices over the original bytes.
// docs/notes/sanitize.md gives the reason for every action and safe value.

#include "sanitize/scene_plan.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "mrml/node_facts.h"
#include "mrml/node_registry.h"
#include "mrml/values.h"

namespace mrmlguard::internal::sanitize {
namespace {

constexpr size_t kShownBytes = 200;

std::string Cut(std::string_view text) {
  std::string out(text.substr(0, kShownBytes));
  if (text.size() > kShownBytes) out += "...";
  return out;
}

// The elements of a scanned document, and the ways findings name them.
class ElementIndex {
 public:
  explicit ElementIndex(const std::vector<SpanItem>& items) : items_(items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].kind != MarkupKind::kElement) continue;
      by_offset_.emplace(items[i].begin, i);
      by_line_.emplace(items[i].line, i);
    }
  }

  // The one element a finding's location names: its start tag's byte
  // offset, or its line (then node id, then column) when there is no offset.
  std::optional<size_t> Locate(const Location& where) const {
    if (where.offset) {
      auto it = by_offset_.find(*where.offset);
      if (it == by_offset_.end()) return std::nullopt;
      if (where.line != 0 && items_[it->second].line != where.line) return std::nullopt;
      return it->second;
    }
    if (where.line == 0) return std::nullopt;
    std::vector<size_t> found;
    auto [first, last] = by_line_.equal_range(where.line);
    for (auto it = first; it != last; ++it) {
      const SpanItem& e = items_[it->second];
      if (!where.node_id.empty() && e.Id().substr(0, 128) != where.node_id) continue;
      found.push_back(it->second);
    }
    if (found.size() > 1 && where.column != 0) {
      std::erase_if(found, [&](size_t i) { return items_[i].column != where.column; });
    }
    if (found.size() != 1) return std::nullopt;
    return found.front();
  }

 private:
  const std::vector<SpanItem>& items_;
  std::map<size_t, size_t> by_offset_;
  std::multimap<uint32_t, size_t> by_line_;
};

bool KnownOrBuiltin(std::string_view id, const std::unordered_set<std::string>& known) {
  return mrml::IsNullReference(id) || known.count(std::string(id)) != 0 || registry::IsBuiltinId(id);
}

// kDropReference: the attribute's value without the ids no node of the
// output has (mrml.reference.dangling), or without its storage role
// (mrml.storage.incompatible). nullopt: the value cannot be rebuilt.
std::optional<std::string> DropReferences(std::string_view rule_id, std::string_view attribute,
                                          std::string_view value, const std::unordered_set<std::string>& known) {
  const bool storage_only = rule_id == "mrml.storage.incompatible";
  std::string out;
  if (attribute == "references") {
    std::vector<mrml::ReferenceRole> roles;
    if (!mrml::ParseReferences(value, &roles).empty()) return std::nullopt;
    for (const mrml::ReferenceRole& role : roles) {
      if (storage_only && role.role == "storage") continue;
      std::string ids;
      for (std::string_view id : role.ids) {
        if (!storage_only && !KnownOrBuiltin(id, known)) continue;
        if (!ids.empty()) ids += ' ';
        ids += id;
      }
      if (ids.empty()) continue;
      out += std::string(role.role) + ":" + ids + ";";
    }
    return out;
  }
  if (storage_only) return std::string();  // storageNodeRef: the legacy storage role
  mrml::ForEachToken(value, false, [&](std::string_view id) {
    if (KnownOrBuiltin(id, known)) {
      if (!out.empty()) out += ' ';
      out += id;
    }
    return true;
  });
  return out;
}

// kClamp: the value clamped into the range the registry gives the
// attribute (vtkMRML*Node::ReadXMLAttributes takes any number there).
std::optional<std::string> Clamp(std::string_view tag, std::string_view attribute, std::string_view value) {
  const registry::Resolution resolved = registry::ResolveTag(tag);
  if (resolved.info == nullptr) return std::nullopt;
  const registry::AttrSpec* spec = registry::FindAttrSpec(*resolved.info, attribute);
  if (spec == nullptr) return std::nullopt;
  if (spec->kind == registry::AttrKind::kInt || spec->kind == registry::AttrKind::kIntLimit) {
    int64_t v = 0;
    if (mrml::ParseStrictInt(value, &v) != mrml::NumberStatus::kOk) return std::nullopt;
    // Above a limit is mrml.limit-exceeded (refused), so only the floor here.
    if (spec->kind == registry::AttrKind::kIntLimit) return std::to_string(std::max(v, spec->a));
    return std::to_string(std::clamp(v, spec->a, spec->b));
  }
  if (spec->kind == registry::AttrKind::kRealRange) {
    double v = 0;
    if (mrml::ParseStrictReal(value, &v) != mrml::NumberStatus::kOk) return std::nullopt;
    return mrml::FormatReal(std::clamp(v, spec->lo, spec->hi));
  }
  return std::nullopt;
}

bool InsideAny(const std::vector<std::pair<size_t, size_t>>& spans, size_t pos) {
  for (const auto& [begin, end] : spans) {
    if (pos >= begin && pos < end) return true;
  }
  return false;
}

}  // namespace

std::string ResetValue(std::string_view rule_id, std::string_view attribute, bool* known) {
  *known = true;
  // vtkMRMLNodePropertyMacros.h, vtkMRMLReadXMLBooleanMacro: strcmp(value,
  // "true") ? false : true -- anything but "true" already reads as false.
  if (rule_id == "mrml.value.boolean") return "false";
  // vtkMRMLStorageNode: ReadState/WriteState 0 is Idle, what Slicer writes.
  if (attribute == "readState" || attribute == "writeState") return "0";
  // vtkMRMLIGTLConnectorNode: persistent 0 is "not persistent" (never
  // started on import); PlusServer desiredState "Off" (not started).
  if (attribute == "persistent") return "0";
  if (attribute == "desiredState") return "Off";
  *known = false;
  return {};
}

std::string DefaultFormat(std::string_view attribute, std::string_view value, bool* known) {
  *known = true;
  // vtkMRMLMarkupsNode.h: ControlPointLabelFormat{ "%N-%d" } (markupLabelFormat is its older name).
  if (attribute == "controlPointLabelFormat" || attribute == "markupLabelFormat") return "%N-%d";
  // vtkMRMLColorLegendDisplayNode::GetDefaultNumericLabelFormat: "%.1f".
  if (attribute == "labelFormat") return "%.1f";
  // vtkMRMLSequenceBrowserNode: IndexDisplayFormat("%.2f").
  if (attribute == "indexDisplayFormat") return "%.2f";
  // vtkMRMLUnitNode Prefix/Suffix default to "" (pasted into the format).
  if (attribute == "Prefix" || attribute == "Suffix") return "";
  // A markups name pasted into the label format by %N: the name without '%'.
  if (attribute == "name") {
    std::string out;
    for (char c : value) {
      if (c != '%') out += c;
    }
    return out;
  }
  *known = false;
  return {};
}

ScenePlan PlanScene(std::string_view doc, const std::vector<Finding>& findings, std::string_view entry) {
  ScenePlan plan;
  // Findings with no rewrite refuse before the document is looked at.
  for (const Finding& f : findings) {
    if (f.severity != Severity::kError || f.location.entry != entry) continue;
    const RuleInfo* rule = FindRule(f.rule_id);
    const SanitizeAction action = rule == nullptr ? SanitizeAction::kRefuse : rule->sanitize_action;
    if (action == SanitizeAction::kRefuse || action == SanitizeAction::kDropEntry) plan.blocking.push_back(f);
  }
  if (!plan.ok()) return plan;
  std::vector<SpanItem> items;
  std::string error;
  if (!ScanMarkup(doc, &items, &error)) {
    plan.refusal = "the scene cannot be rewritten: " + error;
    return plan;
  }
  const ElementIndex index(items);

  struct Act {
    const Finding* finding;
    SanitizeAction action;
    size_t element;
  };
  std::vector<Act> drops, edits;
  const Finding* replace_declaration = nullptr;
  bool drop_markup[5] = {};
  std::vector<const Finding*> markup_findings(5, nullptr);
  for (const Finding& f : findings) {
    if (f.severity != Severity::kError || f.location.entry != entry) continue;
    const RuleInfo* rule = FindRule(f.rule_id);
    const SanitizeAction action = rule == nullptr ? SanitizeAction::kRefuse : rule->sanitize_action;
    switch (action) {
      case SanitizeAction::kRefuse:
      case SanitizeAction::kDropEntry:  // refused above: a scene is rewritten, not an entry dropped
        continue;
      case SanitizeAction::kNone:
        continue;  // nothing to rewrite; the judgement of the output decides
      case SanitizeAction::kReplaceDeclaration:
        replace_declaration = &f;
        continue;
      case SanitizeAction::kDropMarkup: {
        const MarkupKind kind = f.rule_id == "xml.comment" ? MarkupKind::kComment
                                : f.rule_id == "xml.cdata" ? MarkupKind::kCdata
                                                           : MarkupKind::kProcessingInstruction;
        drop_markup[static_cast<size_t>(kind)] = true;
        if (markup_findings[static_cast<size_t>(kind)] == nullptr) markup_findings[static_cast<size_t>(kind)] = &f;
        continue;
      }
      default:
        break;
    }
    const std::optional<size_t> element = index.Locate(f.location);
    if (!element) {
      plan.blocking.push_back(f);
      continue;
    }
    bool no_attribute = f.location.attribute.empty() || items[*element].Find(f.location.attribute) == nullptr;
    if (no_attribute && action == SanitizeAction::kDropReference && !f.location.attribute.empty()) {
      // A subject hierarchy node's references are written on its items
      // (SubjectHierarchyItem dataNode): the items inside the element that
      // carry the attribute are edited instead.
      for (size_t i = *element + 1; i < items.size() && items[i].begin < items[*element].end; ++i) {
        if (items[i].kind == MarkupKind::kElement && items[i].Find(f.location.attribute) != nullptr) {
          edits.push_back({&f, action, i});
        }
      }
      continue;
    }
    if (action == SanitizeAction::kDropNode || (action == SanitizeAction::kResetAttribute && no_attribute)) {
      drops.push_back({&f, SanitizeAction::kDropNode, *element});
    } else if (no_attribute) {
      plan.blocking.push_back(f);
    } else {
      edits.push_back({&f, action, *element});
    }
  }
  if (!plan.ok()) return plan;

  auto record = [&](const Finding& f, SanitizeAction action, const SpanItem& e, std::string before,
                    std::string after) {
    SanitizeChange c;
    c.rule_id = f.rule_id;
    c.action = action;
    c.location = f.location;
    c.location.entry = std::string(entry);
    c.location.offset = e.begin;
    c.location.line = e.line;
    c.location.column = e.column;
    if (c.location.node_id.empty()) c.location.node_id = std::string(e.Id().substr(0, 128));
    c.before = std::move(before);
    c.after = std::move(after);
    plan.changes.push_back(std::move(c));
  };

  // Elements first: an edit inside a dropped element is moot.
  std::sort(drops.begin(), drops.end(), [&](const Act& a, const Act& b) {
    return items[a.element].begin < items[b.element].begin;
  });
  std::vector<std::pair<size_t, size_t>> dropped;
  for (const Act& d : drops) {
    const SpanItem& e = items[d.element];
    if (InsideAny(dropped, e.begin)) continue;
    if (e.depth <= 1) {  // the <MRML> root: nothing would be left
      plan.blocking.push_back(*d.finding);
      continue;
    }
    dropped.emplace_back(e.begin, e.end);
    plan.splices.push_back({LeadingSpace(doc, e.begin), e.end, ""});
    record(*d.finding, SanitizeAction::kDropNode, e, Cut(doc.substr(e.begin, e.tag_end - e.begin)), "");
  }
  if (!plan.ok()) return plan;
  for (size_t i = 0; i < items.size(); ++i) {
    const SpanItem& m = items[i];
    if (m.kind == MarkupKind::kElement || !drop_markup[static_cast<size_t>(m.kind)]) continue;
    if (InsideAny(dropped, m.begin)) continue;
    dropped.emplace_back(m.begin, m.end);
    plan.splices.push_back({LeadingSpace(doc, m.begin), m.end, ""});
    record(*markup_findings[static_cast<size_t>(m.kind)], SanitizeAction::kDropMarkup, m,
           Cut(doc.substr(m.begin, m.end - m.begin)), "");
  }

  // xml.latin1-declaration: the document is ASCII only (the rule says so), so
  // it reads the same as UTF-8; xml.version refuses any version but 1.0 and
  // any standalone declaration, so nothing else in the declaration is lost.
  if (replace_declaration != nullptr) {
    constexpr std::string_view kUtf8Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    const SpanItem* decl = nullptr;
    for (const SpanItem& m : items) {
      if (m.kind == MarkupKind::kDeclaration) decl = &m;
    }
    const bool ascii = std::all_of(doc.begin(), doc.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (decl == nullptr || !ascii) {
      plan.blocking.push_back(*replace_declaration);
      return plan;
    }
    plan.splices.push_back({decl->begin, decl->end, std::string(kUtf8Declaration)});
    record(*replace_declaration, SanitizeAction::kReplaceDeclaration, *decl,
           Cut(doc.substr(decl->begin, decl->end - decl->begin)), std::string(kUtf8Declaration));
  }

  // The ids the output keeps, for kDropReference.
  std::unordered_set<std::string> known;
  for (const SpanItem& e : items) {
    if (e.kind == MarkupKind::kElement && e.Find("id") != nullptr && !InsideAny(dropped, e.begin)) {
      known.insert(std::string(e.Id()));
    }
  }

  std::unordered_set<size_t> edited;  // value_begin of every attribute already changed
  for (const Act& a : edits) {
    const SpanItem& e = items[a.element];
    if (InsideAny(dropped, e.begin)) continue;
    const SpanAttribute& attr = *e.Find(a.finding->location.attribute);
    if (!edited.insert(attr.value_begin).second) continue;  // one change per attribute and round
    const std::string_view rule_id = a.finding->rule_id;
    std::optional<std::string> value;
    bool remove = false;
    switch (a.action) {
      case SanitizeAction::kDropAttribute:
        remove = true;
        break;
      case SanitizeAction::kClearAttribute:
        value = std::string();
        break;
      case SanitizeAction::kResetAttribute: {
        bool ok = false;
        std::string v = ResetValue(rule_id, attr.name, &ok);
        if (ok) value = std::move(v);
        break;
      }
      case SanitizeAction::kReplaceFormat: {
        bool ok = false;
        std::string v = DefaultFormat(attr.name, attr.value, &ok);
        if (ok) value = std::move(v);
        break;
      }
      case SanitizeAction::kClamp:
        // A value that is no single number in a range (a counted list with
        // a negative count) cannot be clamped: the attribute goes, and
        // Slicer keeps the class default.
        value = Clamp(e.name, attr.name, attr.value);
        if (!value) remove = true;
        break;
      case SanitizeAction::kDropReference:
        value = DropReferences(rule_id, attr.name, attr.value, known);
        if (value && value->empty()) remove = true;
        break;
      default:
        break;
    }
    if (a.action == SanitizeAction::kDropReference && value && *value == attr.value &&
        a.element != *index.Locate(a.finding->location)) {
      continue;  // an item of a subject hierarchy whose reference is not the dangling one
    }
    if ((!remove && !value) || (value && *value == attr.value && !remove)) {
      plan.blocking.push_back(*a.finding);  // no rewrite, or one that changes nothing
      continue;
    }
    if (remove) {
      plan.splices.push_back({attr.lead, attr.value_end + 1, ""});
      const SanitizeAction done = a.action == SanitizeAction::kClamp ? SanitizeAction::kDropAttribute : a.action;
      record(*a.finding, done, e, Cut(attr.value), "");
    } else {
      plan.splices.push_back({attr.value_begin, attr.value_end, EscapeAttributeValue(*value)});
      record(*a.finding, a.action, e, Cut(attr.value), Cut(*value));
    }
  }
  return plan;
}

}  // namespace mrmlguard::internal::sanitize
