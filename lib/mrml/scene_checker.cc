// The MRML scene rules: the 35 checks of the scene-loading research that
// concern the scene document (docs/notes/mrml.md maps each one). Each rule
// cites the Slicer function whose behaviour it guards against.
//
// Streaming design: StartElement judges one element from its attributes and
// keeps only interned ids, references, parent links and storage paths;
// EndDocument runs the rules that need the whole scene (dangling references,
// parent cycles and chain lengths, storage/storable pairing) in time linear in
// the scene.

#include "mrml/scene_checker.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "findings/quote.h"
#include "mrml/intern_table.h"
#include "mrml/node_registry.h"
#include "mrml/values.h"
#include "text/ascii.h"
#include "text/slicer_path.h"

namespace mrmlguard::internal {
namespace {

using mrml::ParseStrictInt;
using registry::AttrKind;
using registry::AttrSpec;
using registry::TagInfo;
using registry::TagOrigin;

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Legacy "no reference" spellings (Slicer 3/4 wrote colorNodeID="NULL" etc.).
bool IsNullReference(std::string_view id) {
  return id.empty() || id == "NULL" || id == "None" || id == "none" || id == "(none)" || id == "null";
}

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == ':' || c == '-';
}

// Recognises versions Slicer wrote: "Slicer4", "Slicer4.4.0", "Slicer 5.8.1 33241",
// and bare SVN revisions ("12116") from Slicer 3.
bool IsSlicerVersion(std::string_view v) {
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (digits(v)) return v.size() <= 9;
  if (!StartsWith(v, "Slicer")) return false;
  v.remove_prefix(6);
  if (!v.empty() && v[0] == ' ') v.remove_prefix(1);
  size_t space = v.find(' ');
  std::string_view number = v.substr(0, space);
  if (space != std::string_view::npos && !digits(v.substr(space + 1))) return false;
  size_t parts = 0;
  size_t start = 0;
  while (true) {
    size_t dot = number.find('.', start);
    std::string_view part = number.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!digits(part) || part.size() > 4) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts >= 1 && parts <= 4;
}

// vtkMRMLScene::ParseVersion: "Slicer4.4.0..." (old style) or
// "APPLICATION MAJOR.MINOR.PATCH REVISION..." (new style), both matched at the
// start of the string only. qSlicerSceneReader::load warns when the
// application is not this one or the version is newer.
struct ParsedVersion {
  std::string_view application;
  int64_t major = 0, minor = 0, patch = 0;
};
bool ParseSlicerVersion(std::string_view v, ParsedVersion* out) {
  size_t i = 0;
  auto number = [&](int64_t* value) {
    size_t start = i;
    int64_t n = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
      n = n >= 1'000'000'000 ? n : n * 10 + (v[i] - '0');  // saturates: atoi's overflow is UB anyway
      ++i;
    }
    *value = n;
    return i > start;
  };
  auto dot = [&]() { return i < v.size() && v[i] == '.' ? (++i, true) : false; };
  auto triple = [&]() { return number(&out->major) && dot() && number(&out->minor) && dot() && number(&out->patch); };
  if (StartsWith(v, "Slicer")) {
    i = 6;
    if (triple()) {
      out->application = "Slicer";
      return true;
    }
  }
  size_t space = v.find(' ');
  if (space == 0 || space == std::string_view::npos) return false;
  i = space + 1;
  int64_t revision = 0;
  if (!triple() || i >= v.size() || v[i] != ' ') return false;
  ++i;
  if (!number(&revision)) return false;
  out->application = v.substr(0, space);
  return true;
}

// Which frame an element is in, for nesting rules.
enum class FrameKind : uint8_t { kRoot, kNode, kSceneView, kSubjectHierarchy, kShItem, kOther };

struct Frame {
  FrameKind kind;
  uint32_t node;   // node index for kNode/kSceneView/kSubjectHierarchy, kNone otherwise
  uint32_t scope;  // id scope of elements inside this frame
};

struct NodeRecord {
  uint32_t id = kNone;  // interned id
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t scope = 0;                 // 0 = main scene; k = the k-th SceneView's stored scene
  uint32_t tag = kNone;               // interned tag
  uint32_t transform_parent = kNone;  // interned id of transformNodeRef / references transform:
  uint32_t hierarchy_parent = kNone;  // interned id of parentNodeRef (legacy hierarchies)
};

struct Reference {
  uint32_t node;
  uint32_t id;         // interned
  uint32_t attribute;  // interned attribute name
};

struct ShItem {
  int64_t parent = 0;
  uint32_t line = 0;
  uint32_t column = 0;
};

// The subject hierarchy node that items are being read into.
struct ShScope {
  uint32_t node = kNone;  // the SubjectHierarchy element's node index
  std::unordered_map<int64_t, ShItem> items;
};

struct SceneViewState {
  bool has_children = false;
  uint32_t first_sh = kNone;  // node index of its first SubjectHierarchy child
};

class SceneCheckerImpl final : public SceneChecker {
 public:
  SceneCheckerImpl(FindingSink& sink, const SceneOptions& options) : sink_(sink), options_(options) {
    scene_views_.push_back({});  // scope 0 is the main scene
  }

  // XmlHandler: nothing may throw out of a callback. The only exception
  // possible is allocation failure; it ends the checking with an error.
  void StartElement(std::string_view name, std::span<const XmlAttribute> attributes,
                    const XmlPosition& position) override {
    if (failed_) return;
    try {
      StartElementImpl(name, attributes, position);
    } catch (...) {
      Fail();
    }
  }
  void EndElement(std::string_view name, const XmlPosition& position) override {
    if (failed_) return;
    try {
      EndElementImpl(name, position);
    } catch (...) {
      Fail();
    }
  }
  void EndDocument(bool well_formed) override {
    if (failed_) return;
    try {
      EndDocumentImpl(well_formed);
    } catch (...) {
      Fail();
    }
  }
  const SceneSummary& summary() const override { return summary_; }
  SceneSummary TakeSummary() override { return std::exchange(summary_, SceneSummary{}); }

 private:
  // Findings wait here until EndDocument: if the document turns out not to be
  // well-formed, which elements the parser delivered before its error depends
  // on chunking, so the partial scene's findings are dropped (the XML layer's
  // finding is the verdict). Past max_findings they go straight to the sink.
  struct Pending {
    Rule rule;
    Location where;
    std::string message;
    std::string_view limit_name;  // non-empty: a LimitReached
    uint64_t limit_value = 0;
  };
  void Add(Rule rule, Location where, std::string message) {
    if (direct_ || pending_.size() >= sink_.limits().max_findings) {
      FlushPending();
      sink_.Add(rule, std::move(where), std::move(message));
      return;
    }
    pending_.push_back({rule, std::move(where), std::move(message), {}, 0});
  }
  void LimitReached(Rule rule, std::string_view limit_name, uint64_t limit_value, Location where,
                    std::string_view detail) {
    if (direct_ || pending_.size() >= sink_.limits().max_findings) {
      FlushPending();
      sink_.LimitReached(rule, limit_name, limit_value, std::move(where), detail);
      return;
    }
    pending_.push_back({rule, std::move(where), std::string(detail), limit_name, limit_value});
  }
  void Fail() {
    failed_ = true;
    try {
      pending_.clear();
      // FindingSink counts the error before storing it, so the verdict is a
      // rejection even if storing the message fails too.
      sink_.Add(Rule::kMrmlLimitExceeded, Location{}, "out of memory while checking the scene");
    } catch (...) {
    }
  }
  void StartElementImpl(std::string_view name, std::span<const XmlAttribute> attributes, const XmlPosition& position);
  void EndElementImpl(std::string_view name, const XmlPosition& position);
  void EndDocumentImpl(bool well_formed);

  void FlushPending() {
    direct_ = true;
    for (Pending& p : pending_) {
      if (p.limit_name.empty()) {
        sink_.Add(p.rule, std::move(p.where), std::move(p.message));
      } else {
        sink_.LimitReached(p.rule, p.limit_name, p.limit_value, std::move(p.where), p.message);
      }
    }
    pending_.clear();
    pending_.shrink_to_fit();
  }

  // --- interning: every id, tag and attribute name kept once (intern_table.h) ---
  uint32_t Intern(std::string_view s) { return interned_.Intern(s); }
  std::string_view Name(uint32_t index) const { return interned_.Name(index); }

  Location At(const XmlPosition& pos, std::string_view node_id = {}, std::string_view attribute = {}) const {
    Location loc;
    loc.offset = pos.offset;
    loc.line = pos.line;
    loc.column = pos.column;
    loc.node_id = std::string(node_id);
    loc.attribute = std::string(attribute);
    return loc;
  }
  Location AtNode(uint32_t node, std::string_view attribute = {}) const {
    const NodeRecord& r = nodes_[node];
    Location loc;
    loc.line = r.line;
    loc.column = r.column;
    if (r.id != kNone) loc.node_id = std::string(Name(r.id));
    loc.attribute = std::string(attribute);
    return loc;
  }

  void StartMrml(std::span<const XmlAttribute> attributes, const XmlPosition& pos);
  void StartMrmlExtensions(const XmlAttribute& attr, const XmlPosition& pos);
  void StartShItem(std::span<const XmlAttribute> attributes, const XmlPosition& pos);
  void StartNode(std::string_view tag, std::span<const XmlAttribute> attributes, const XmlPosition& pos);
  void CheckValue(const AttrSpec& spec, std::string_view tag, std::string_view id, const XmlAttribute& attr,
                  const XmlPosition& pos);
  // Check 13: reports how the element's tag resolves (registry::ResolveTag).
  void ReportTagResolution(std::string_view spelled, const registry::Resolution& resolved, const XmlPosition& pos,
                           std::string_view id);
  // Storage- and network-like attributes on an element of no known class.
  void CheckUnknownClassAttributes(std::string_view tag, std::string_view id,
                                   std::span<const XmlAttribute> attributes, const XmlPosition& pos);
  // A storage path that is a URL, slicer: path or UNC path: reported, true.
  bool CheckRemotePath(std::string_view id, const XmlAttribute& attr, const XmlPosition& pos);
  void CheckStoragePath(const TagInfo* info, std::string_view tag, std::string_view id, const XmlAttribute& attr,
                        const XmlPosition& pos, const std::vector<std::string>& text_extensions, bool in_scene_view);
  void FinishShScope(const XmlPosition& pos);
  void CheckParentChains(bool transform);
  void CheckStoragePairing();
  uint32_t Resolve(uint32_t scope, uint32_t id) const;

  FindingSink& sink_;
  SceneOptions options_;
  SceneSummary summary_;

  InternTable interned_;

  std::vector<NodeRecord> nodes_;
  std::vector<Reference> references_;
  // Check 31: references in the "storage" role (storageNodeRef, references
  // storage:), and the storage nodes, by node index.
  std::vector<Reference> storage_uses_;
  std::vector<uint32_t> storage_nodes_;
  // (scope << 32 | interned id) -> node index of the first definition.
  std::unordered_map<uint64_t, uint32_t> defined_;
  // "scope\ttag\tsingletonTag" of singletons seen.
  std::unordered_set<std::string> singletons_;

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
  std::vector<Pending> pending_;
  bool direct_ = false;
  bool failed_ = false;
};

// ---------------------------------------------------------------------------

void SceneCheckerImpl::StartElementImpl(std::string_view name, std::span<const XmlAttribute> attributes,
                                        const XmlPosition& position) {
  if (name == "MRML") {
    // vtkMRMLParser::StartElement treats <MRML> as scene metadata at any depth.
    if (!stack_.empty()) {
      Add(Rule::kMrmlNesting, At(position),
          "<MRML> nested inside another element: Slicer reads it as scene metadata wherever it is");
    } else {
      StartMrml(attributes, position);
    }
    stack_.push_back({FrameKind::kRoot, kNone, stack_.empty() ? 0 : stack_.back().scope});
    return;
  }
  ++summary_.nodes;
  if (name == "SubjectHierarchyItem") {
    StartShItem(attributes, position);
    return;
  }
  StartNode(name, attributes, position);
}

void SceneCheckerImpl::StartMrml(std::span<const XmlAttribute> attributes, const XmlPosition& pos) {
  // A missing version is common (89 of 124 real scenes): not worth a note.
  for (const XmlAttribute& a : attributes) {
    if (a.name == "extensions") {
      StartMrmlExtensions(a, pos);
      continue;
    }
    if (a.name != "version") continue;
    summary_.version = std::string(a.value.substr(0, 256));
    // vtkMRMLScene::ParseVersion / qSlicerSceneReader::load only warn on it.
    if (!IsSlicerVersion(a.value)) {
      Add(Rule::kMrmlVersion, At(pos, {}, "version"),
          "scene version " + Quote(a.value, 80) + " is not a Slicer version this tool knows");
    }
    // Check 35: the registry knows the nodes of one Slicer; a newer one, or
    // another application built on Slicer, may write nodes and attributes it
    // does not know (qSlicerSceneReader::load warns the user likewise).
    ParsedVersion parsed;
    if (!ParseSlicerVersion(a.value, &parsed)) continue;
    const registry::SlicerVersion known = registry::RegistryVersion();
    const std::string known_text = "Slicer " + std::to_string(known.major) + "." + std::to_string(known.minor) + "." +
                                   std::to_string(known.patch) + ", commit " + std::string(registry::RegistryCommit());
    if (parsed.application != "Slicer") {
      Add(Rule::kMrmlVersionApplication, At(pos, {}, "version"),
          "scene version " + Quote(a.value, 80) + " was written by " + Quote(parsed.application, 40) +
              ", not Slicer: its nodes may not be among those this tool knows (" + known_text + ")");
    } else if (std::make_tuple(parsed.major, parsed.minor, parsed.patch) >
               std::make_tuple(int64_t{known.major}, int64_t{known.minor}, int64_t{known.patch})) {
      Add(Rule::kMrmlVersionNewer, At(pos, {}, "version"),
          "scene version " + Quote(a.value, 80) + " is newer than " + known_text +
              ", which the node registry was made from: nodes and attributes added since are not checked");
    }
  }
}

void SceneCheckerImpl::StartMrmlExtensions(const XmlAttribute& attr, const XmlPosition& pos) {
  // vtkMRMLScene::Commit writes the installed extensions as "a;b;c";
  // qSlicerSceneReader::load names those missing now only after a load error.
  // mrmlguard does not know what is installed where Slicer runs: each one is
  // reported so that an operator sees what the scene expects. A crafted list
  // must not flood the report (max_findings): past kMaxExtensionNotes names,
  // one note counts the rest.
  constexpr size_t kMaxExtensionNotes = 32;
  std::vector<std::string_view> seen;
  uint64_t more = 0;
  mrml::ForEachListItem(attr.value, ';', [&](std::string_view item) {
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty() && std::find(seen.begin(), seen.end(), item) == seen.end()) {
      if (seen.size() >= kMaxExtensionNotes) {
        ++more;
      } else {
        seen.push_back(item);
        Add(Rule::kMrmlExtensions, At(pos, {}, "extensions"),
            "the scene was saved with extension " + Quote(item, 80) + " installed and may need it" +
                (registry::IsKnownExtension(item) ? " (its node tags are known here)"
                                                  : " (not one whose node tags are known here)"));
      }
    }
  });
  if (more > 0) {
    Add(Rule::kMrmlExtensions, At(pos, {}, "extensions"),
        "the scene names " + std::to_string(more) + " more extension(s) after the first " +
            std::to_string(kMaxExtensionNotes));
  }
}

void SceneCheckerImpl::StartShItem(std::span<const XmlAttribute> attributes, const XmlPosition& pos) {
  FrameKind parent = stack_.empty() ? FrameKind::kOther : stack_.back().kind;
  uint32_t scope = stack_.empty() ? 0 : stack_.back().scope;
  stack_.push_back({FrameKind::kShItem, kNone, scope});

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
  std::string item_label = has_id ? std::string(id_text.substr(0, 32)) : std::string();

  // Check 14: items belong inside a SubjectHierarchy element (or another item).
  if (parent != FrameKind::kSubjectHierarchy && parent != FrameKind::kShItem) {
    Add(Rule::kMrmlShItemPlacement, At(pos, item_label),
        "SubjectHierarchyItem outside a SubjectHierarchy element; Slicer attaches it to whatever node it "
        "parsed last");
    return;
  }
  // vtkMRMLParser::StartElement binds the item to the last node of its
  // collection; when that is a SceneView it takes the first SH node of
  // GetStoredScene() with no null check on either (poc/01).
  uint32_t enclosing_sh = sh_.node;
  if (last_top_is_scene_view_) {
    const SceneViewState& sv = scene_views_[last_top_scope_];
    if (!sv.has_children || sv.first_sh == kNone) {
      Add(Rule::kMrmlShItemPlacement, At(pos, item_label),
          std::string("SubjectHierarchyItem read while the last node is a SceneView ") +
              (sv.has_children ? "without a SubjectHierarchy child" : "with no stored scene yet") +
              ": Slicer dereferences NULL");
      return;
    }
    if (sv.first_sh != enclosing_sh) {
      Add(Rule::kMrmlShItemPlacement, At(pos, item_label),
          "SubjectHierarchyItem inside a SceneView's second SubjectHierarchy: Slicer adds it to the first one");
      return;
    }
  } else if (last_top_node_ != enclosing_sh) {
    Add(Rule::kMrmlShItemPlacement, At(pos, item_label),
        "SubjectHierarchyItem of a SubjectHierarchy that is not the last node Slicer parsed: Slicer adds it to "
        "another node");
    return;
  }

  // vtkSubjectHierarchyItem::ReadXMLAttributes: id/parent through
  // vtkVariant::ToLongLong with the validity flag ignored.
  int64_t id = 0, parent_id = 0;
  if (!has_id || ParseStrictInt(id_text, &id) != mrml::NumberStatus::kOk || id <= 0) {
    Add(Rule::kMrmlShItemInvalid, At(pos, item_label, "id"),
        has_id ? "subject hierarchy item id " + Quote(id_text, 40) + " is not a positive integer"
               : std::string("subject hierarchy item without an id"));
    return;
  }
  if (has_parent && (ParseStrictInt(parent_text, &parent_id) != mrml::NumberStatus::kOk || parent_id < 0)) {
    Add(Rule::kMrmlShItemInvalid, At(pos, item_label, "parent"),
        "subject hierarchy item parent " + Quote(parent_text, 40) + " is not a non-negative integer");
    return;
  }
  auto [it, inserted] = sh_.items.try_emplace(id, ShItem{parent_id, pos.line, pos.column});
  if (!inserted) {
    Add(Rule::kMrmlShItemInvalid, At(pos, item_label, "id"),
        "subject hierarchy item id " + std::to_string(id) + " repeats the item at line " +
            std::to_string(it->second.line));
  }
  if (has_data_node && !IsNullReference(data_node) && sh_.node != kNone) {
    references_.push_back({sh_.node, Intern(data_node), Intern("dataNode")});
  }
}

void SceneCheckerImpl::FinishShScope(const XmlPosition& pos) {
  // Parents must exist (0 = the scene item); chains must end (no cycle) and
  // stay under max_hierarchy_depth: vtkSubjectHierarchyItem recursion.
  const uint64_t max_depth = sink_.limits().max_hierarchy_depth;
  std::string sh_id =
      sh_.node != kNone && nodes_[sh_.node].id != kNone ? std::string(Name(nodes_[sh_.node].id)) : std::string();
  std::unordered_map<int64_t, uint32_t> depth;  // 0 = in progress
  depth.reserve(sh_.items.size());
  std::vector<int64_t> ordered;
  ordered.reserve(sh_.items.size());
  for (const auto& [id, item] : sh_.items) ordered.push_back(id);
  std::sort(ordered.begin(), ordered.end());  // deterministic report order
  std::vector<int64_t> path;
  for (int64_t start : ordered) {
    if (depth.count(start)) continue;
    path.clear();
    int64_t cur = start;
    uint32_t base = 0;
    bool cycle = false;
    while (true) {
      auto d = depth.find(cur);
      if (d != depth.end()) {
        if (d->second == 0)
          cycle = true;
        else
          base = d->second;
        break;
      }
      auto item = sh_.items.find(cur);
      if (item == sh_.items.end()) break;
      depth[cur] = 0;
      path.push_back(cur);
      int64_t parent = item->second.parent;
      if (parent == 0) break;
      if (!sh_.items.count(parent)) {
        Location loc;
        loc.line = item->second.line;
        loc.column = item->second.column;
        loc.node_id = sh_id;
        loc.attribute = "parent";
        Add(Rule::kMrmlShItemInvalid, loc,
            "subject hierarchy item " + std::to_string(cur) + " names parent " + std::to_string(parent) +
                ", which is not an item of this subject hierarchy");
        break;
      }
      cur = parent;
    }
    if (cycle) {
      const ShItem& item = sh_.items[cur];
      Location loc;
      loc.line = item.line;
      loc.column = item.column;
      loc.node_id = sh_id;
      loc.attribute = "parent";
      Add(Rule::kMrmlParentCycle, loc, "subject hierarchy item " + std::to_string(cur) + " is its own ancestor");
      // Mark the cycle's members so they are not walked again.
      for (int64_t p : path) depth[p] = kNone;
      continue;
    }
    // Assign depths from the top of the path down.
    uint32_t d = base == kNone ? kNone : base;
    bool reported = false;
    for (size_t k = path.size(); k-- > 0;) {
      if (d != kNone) ++d;
      depth[path[k]] = d == kNone ? kNone : d;
      if (d != kNone && d == max_depth + 1 && !reported) {
        reported = true;
        const ShItem& item = sh_.items[path[k]];
        Location loc;
        loc.line = item.line;
        loc.column = item.column;
        loc.node_id = sh_id;
        loc.attribute = "parent";
        LimitReached(Rule::kMrmlLimitExceeded, "max_hierarchy_depth", max_depth, loc,
                     "by the subject hierarchy chain of item " + std::to_string(path[k]));
      }
    }
  }
  (void)pos;
  sh_.items.clear();
  sh_.node = kNone;
}

void SceneCheckerImpl::StartNode(std::string_view tag, std::span<const XmlAttribute> attributes,
                                 const XmlPosition& pos) {
  const FrameKind parent_kind = stack_.empty() ? FrameKind::kOther : stack_.back().kind;
  const uint32_t outer_scope = stack_.empty() ? 0 : stack_.back().scope;
  const bool in_scene_view = parent_kind == FrameKind::kSceneView;
  const uint32_t scope = outer_scope;

  std::string_view id;
  bool has_id = false;
  for (const XmlAttribute& a : attributes) {
    if (a.name == "id") id = a.value, has_id = true;
  }
  const std::string id_label(id.substr(0, 128));

  // --- Check 13: the class Slicer creates (vtkMRMLParser::StartElement: the
  // registered tag, else "vtkMRML" + tag + "Node" when a module or extension
  // registered that class). Every class-keyed rule below sees the tag that
  // class is registered under.
  const registry::Resolution resolved = registry::ResolveTag(tag);
  const TagInfo* info = resolved.info;
  ReportTagResolution(tag, resolved, pos, id_label);
  if (info != nullptr) tag = info->tag;
  const uint32_t flags = info ? info->flags : 0;

  // --- Check 14: only SceneView/SceneSnapshot hold nodes, never another SceneView.
  if (parent_kind == FrameKind::kSceneView) {
    if (flags & registry::kFlagSceneView) {
      Add(Rule::kMrmlNesting, At(pos, id_label),
          "SceneView inside a SceneView: Slicer builds one more scene per level and recurses on restore");
    }
  } else if (parent_kind != FrameKind::kRoot) {
    Add(Rule::kMrmlNesting, At(pos, id_label),
        "<" + std::string(tag.substr(0, 64)) + "> nested inside another node; only SceneView holds nodes");
  }

  // --- Node record.
  const uint32_t node = static_cast<uint32_t>(nodes_.size());
  NodeRecord rec;
  rec.line = pos.line;
  rec.column = pos.column;
  rec.scope = scope;
  rec.tag = Intern(tag);

  // --- Check 15: ids (vtkMRMLScene::AddNodeNoNotify renames clashes; references bind to the last one).
  if (!has_id || id.empty()) {
    Add(Rule::kMrmlIdMissing, At(pos, {}, "id"),
        "<" + std::string(tag.substr(0, 64)) + "> has " + (has_id ? "an empty id" : "no id") +
            "; Slicer generates one and rewires references unpredictably");
  } else {
    rec.id = Intern(id);
    uint64_t key = (uint64_t{scope} << 32) | rec.id;
    auto [it, inserted] = defined_.try_emplace(key, node);
    if (!inserted) {
      Add(Rule::kMrmlIdDuplicate, At(pos, id_label, "id"),
          "id " + Quote(id, 128) + " is already used by the node at line " + std::to_string(nodes_[it->second].line) +
              "; Slicer renames one and binds references to the last");
    }
    if (!std::all_of(id.begin(), id.end(), IsIdChar)) {
      Add(Rule::kMrmlIdCharset, At(pos, id_label, "id"),
          "id " + Quote(id, 128) +
              " has characters outside [A-Za-z0-9_.:-]; whitespace, ';' and '{' break "
              "reference lists");
    }
  }

  // --- One pass over the attributes.
  std::string_view name_value;
  bool has_name = false;
  std::string_view label_format;
  bool has_label_format = false;
  std::string_view singleton_tag;
  bool has_singleton = false;
  std::vector<mrml::ReferenceRole> ref_roles;
  bool references_ok = true;
  // Legacy role -> ids, for the conflict check (check 17).
  std::vector<std::pair<std::string, std::vector<std::string_view>>> legacy_roles;
  int64_t numcolors = -1;
  std::string_view colors;
  bool has_colors = false;
  bool has_uri = false;
  std::string_view read_state, write_state;
  bool has_read_state = false, has_write_state = false;
  std::vector<std::string> text_extensions;
  bool sh_version2 = false;
  // ScriptedModule only: the ModuleName attribute, and the last "ModuleName:" of `attributes`.
  std::string module_names[2];

  for (const XmlAttribute& a : attributes) {
    const std::string_view an = a.name;
    if (an == "id") continue;
    if (an == "name") {
      name_value = a.value;
      has_name = true;
    } else if (an == "singletonTag") {
      singleton_tag = a.value;
      has_singleton = true;
    } else if (an == "references") {
      // Check 17: vtkMRMLNode::ParseReferencesAttribute.
      bool too_many = false;
      const uint64_t max_ids = sink_.limits().max_list_values;
      std::string problem = mrml::ParseReferences(a.value, &ref_roles, max_ids, &too_many);
      if (too_many) {
        references_ok = false;
        LimitReached(Rule::kMrmlLimitExceeded, "max_list_values", max_ids, At(pos, id_label, "references"),
                     "by the ids of references");
      } else if (!problem.empty()) {
        references_ok = false;
        Add(Rule::kMrmlReferencesSyntax, At(pos, id_label, "references"),
            "references " + Quote(a.value, 120) + ": " + problem);
      }
      continue;
    } else if (an == "attributes" && (flags & registry::kFlagSubjectHierarchy)) {
      // vtkMRMLParser: SubjectHierarchyVersion (atoi) < 2 -> vtkMRMLSubjectHierarchyLegacyNode.
      size_t p = a.value.find("SubjectHierarchyVersion:");
      if (p != std::string_view::npos) {
        std::string_view v = a.value.substr(p + 24);
        v = v.substr(0, v.find(';'));
        int64_t version = 0;
        sh_version2 = ParseStrictInt(v, &version) == mrml::NumberStatus::kOk && version >= 2;
      }
    }

    // Legacy reference and id-valued attributes (check 18); *UnitNodeRef is
    // vtkMRMLSelectionNode's generic "unit/" role.
    const registry::RefAttr* ref = registry::FindRefAttr(an);
    bool unit_ref = ref == nullptr && EndsWith(an, "UnitNodeRef");
    if (ref != nullptr || unit_ref) {
      std::vector<std::string_view> ids;
      const uint64_t max_ids = sink_.limits().max_list_values;
      mrml::ForEachToken(a.value, false, [&](std::string_view token) {
        if (ids.size() >= max_ids) {
          LimitReached(Rule::kMrmlLimitExceeded, "max_list_values", max_ids, At(pos, id_label, an),
                       "by the ids of " + std::string(an));
          return false;
        }
        if (!IsNullReference(token)) ids.push_back(token);
        return true;
      });
      uint32_t attr_index = Intern(an);
      // storageNodeRef: vtkMRMLStorableNode's legacy name of the "storage" role (check 31).
      const bool storage_role = ref != nullptr && ref->role == "storage";
      for (std::string_view target : ids) {
        const uint32_t target_index = Intern(target);
        references_.push_back({node, target_index, attr_index});
        if (storage_role) storage_uses_.push_back({node, target_index, attr_index});
      }
      std::string role = unit_ref ? "unit/" + std::string(an.substr(0, an.size() - 11)) : std::string(ref->role);
      if (!role.empty()) legacy_roles.emplace_back(std::move(role), ids);
      if (an == "transformNodeRef" && !ids.empty()) rec.transform_parent = Intern(ids.front());
      if (an == "parentNodeRef" && !ids.empty()) rec.hierarchy_parent = Intern(ids.front());
      if (an == "shaderPropertyNodeId" && !ids.empty()) {
        Add(Rule::kMrmlCodeNode, At(pos, id_label, an),
            "volume rendering display references shader property " + Quote(ids.front(), 64) +
                ": its GLSL code is compiled by the GPU driver");
      }
      continue;
    }

    // Storage nodes (checks 28-32).
    if (flags & registry::kFlagStorage) {
      if (an == "uri" || StartsWith(an, "uriListMember")) {
        if (!a.value.empty()) {
          has_uri = true;
          Add(Rule::kMrmlStorageUri, At(pos, id_label, an),
              std::string(an) + " " + Quote(a.value, 120) +
                  ": Slicer downloads it on load (vtkMRMLStorageNode::StageReadData) and uploads the file "
                  "there on save");
        }
        continue;
      }
      if (an == "readState") {
        read_state = a.value, has_read_state = true;
        continue;
      }
      if (an == "writeState") {
        write_state = a.value, has_write_state = true;
        continue;
      }
      if ((an == "readExtensions" || an == "writeExtensions") && tag == "TextStorage") {
        // vtkMRMLTextStorageNode: the scene chooses which extensions a text node accepts.
        bool ok = true;
        std::string bad;
        mrml::ForEachListItem(a.value, ';', [&](std::string_view item) {
          while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
          while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
          if (!item.empty()) {
            std::string e = mrml::AsciiLower(item);
            if (e[0] != '.') e.insert(e.begin(), '.');
            if (registry::IsAllowedTextExtension(e)) {
              if (an == "readExtensions") text_extensions.push_back(e);
            } else if (ok) {
              ok = false;
              bad = std::string(item);
            }
          }
        });
        if (!ok) {
          Add(Rule::kMrmlStorageExtension, At(pos, id_label, an),
              std::string(an) + " names " + Quote(bad, 40) +
                  ", not on the text extension allow-list (a text node would read any such file)");
        }
        continue;
      }
    }

    if (an == "autorun" && (flags & registry::kFlagCli)) {
      // vtkMRMLCommandLineModuleNode: autorun runs the CLI when inputs change (poc/18).
      if (a.value != "0" && a.value != "false") {
        Add(Rule::kMrmlCodeNode, At(pos, id_label, an),
            "CommandLineModule autorun " + Quote(a.value, 32) +
                ": Slicer runs the module's program whenever its parameters change");
      }
      continue;
    }
    if (tag == "IGTLConnector" && an == "persistent") {
      if (a.value != "0") {
        Add(Rule::kMrmlNetworkNode, At(pos, id_label, an),
            "IGTLConnector persistent " + Quote(a.value, 32) +
                ": SlicerOpenIGTLink starts it at the end of import (listens or connects)");
      }
    }
    if (tag == "PlusServer" && an == "desiredState" && a.value == "On") {
      Add(Rule::kMrmlNetworkNode, At(pos, id_label, an),
          "PlusServer desiredState \"On\": the launcher is told to start a Plus server with this node's "
          "configuration");
    }
    if (flags & registry::kFlagScriptedModule) {
      // Check 27: the module a parameter node belongs to is its ModuleName
      // attribute (vtkMRMLScriptedModuleNode::ReadXMLAttributes) or, as
      // ScriptedLoadableModuleLogic writes it now, the node attribute
      // "ModuleName" in `attributes` (vtkMRMLNode: "name:value;...", the first
      // ':' splits, %3B and %25 decoded; SetAttribute keeps the last one).
      if (an == "ModuleName") {
        if (!a.value.empty()) module_names[0] = std::string(a.value);
      } else if (an == "attributes") {
        std::string_view last;
        mrml::ForEachListItem(a.value, ';', [&](std::string_view item) {
          if (StartsWith(item, "ModuleName:")) last = item.substr(11);
        });
        module_names[1] = mrml::SlicerAttributeValueDecode(last);
      }
      // slicer.parameterNodeWrapper AnySerializer imports the module named by
      // "<param>.type". Parameters are attributes or "parameterN" = "name value".
      std::string_view param = an, value = a.value;
      if (StartsWith(an, "parameter") && an.find('.') == std::string_view::npos) {
        size_t space = a.value.find(' ');
        param = a.value.substr(0, space);
        value = space == std::string_view::npos ? std::string_view() : a.value.substr(space + 1);
      }
      if (mrml::ScriptedTypeImports(param, value)) {
        Add(Rule::kMrmlCodeNode, At(pos, id_label, an),
            "ScriptedModule parameter " + Quote(param, 64) + " names module " + Quote(value, 80) +
                ", which parameterNodeWrapper imports (AnySerializer: importlib.import_module)");
      }
    }

    if (flags & registry::kFlagColorTable) {
      if (an == "colors") {
        colors = a.value;
        has_colors = true;
      } else if (an == "numcolors") {
        int64_t v = 0;
        if (ParseStrictInt(a.value, &v) == mrml::NumberStatus::kOk) numcolors = v;
      }
    }
    if ((flags & registry::kFlagMarkups) && (an == "controlPointLabelFormat" || an == "markupLabelFormat")) {
      label_format = a.value;
      has_label_format = true;
    }

    if (info != nullptr) {
      if (const AttrSpec* spec = registry::FindAttrSpec(*info, an)) CheckValue(*spec, tag, id_label, a, pos);
    }
  }

  // --- Check 17: a role given in references and in a legacy attribute must agree.
  if (references_ok && !ref_roles.empty()) {
    const uint32_t references_attr = Intern("references");
    for (const mrml::ReferenceRole& r : ref_roles) {
      const bool storage_role = r.role == "storage";
      for (std::string_view target : r.ids) {
        if (IsNullReference(target)) continue;
        const uint32_t target_index = Intern(target);
        references_.push_back({node, target_index, references_attr});
        if (storage_role) storage_uses_.push_back({node, target_index, references_attr});
      }
      if (r.role == "transform" && !r.ids.empty() && rec.transform_parent == kNone) {
        rec.transform_parent = Intern(r.ids.front());
      }
      if (r.role == "shaderProperty" && !r.ids.empty()) {
        Add(Rule::kMrmlCodeNode, At(pos, id_label, "references"),
            "references a shader property node " + Quote(r.ids.front(), 64) +
                ": its GLSL code is compiled by the GPU driver");
      }
      for (const auto& [role, ids] : legacy_roles) {
        if (role != r.role) continue;
        std::vector<std::string_view> a_ids = r.ids, b_ids = ids;
        std::sort(a_ids.begin(), a_ids.end());
        std::sort(b_ids.begin(), b_ids.end());
        if (a_ids != b_ids) {
          std::string legacy_list;
          for (std::string_view s : ids) legacy_list += (legacy_list.empty() ? "" : " ") + std::string(s);
          std::string ref_list;
          for (std::string_view s : r.ids) ref_list += (ref_list.empty() ? "" : " ") + std::string(s);
          Add(Rule::kMrmlReferencesConflict, At(pos, id_label, "references"),
              "role \"" + std::string(r.role.substr(0, 64)) + "\" is " + Quote(ref_list, 80) + " in references but " +
                  Quote(legacy_list, 80) +
                  " in its legacy attribute; which one Slicer keeps depends on attribute order");
        }
      }
    }
  }

  // --- Check 16: singletons (vtkMRMLScene::AddNodeNoNotify copies into the existing one).
  // vtkMRMLUnitNode::SetName also sets the singleton tag.
  if (tag == "Unit" && has_name && !has_singleton) {
    singleton_tag = name_value;
    has_singleton = true;
  }
  if (has_singleton && !singleton_tag.empty()) {
    std::string key = std::to_string(scope) + '\t' + std::string(tag) + '\t' + std::string(singleton_tag);
    if (!singletons_.insert(std::move(key)).second) {
      Add(Rule::kMrmlSingletonDuplicate, At(pos, id_label, "singletonTag"),
          "a second <" + std::string(tag.substr(0, 64)) + "> with singleton tag " + Quote(singleton_tag, 64) +
              ": Slicer copies one over the other");
    } else if (scope == 0) {
      Add(Rule::kMrmlSingletonOverride, At(pos, id_label, "singletonTag"),
          "<" + std::string(tag.substr(0, 64)) + "> singleton " + Quote(singleton_tag, 64) +
              " overwrites the application's node of that tag on import");
    }
  }

  // --- Check 24: markups node name is pasted into the label format (%N).
  if (flags & registry::kFlagMarkups) {
    std::string_view effective = has_label_format ? label_format : std::string_view("%N-%d");
    bool uses_name = effective.find("%N") != std::string_view::npos || effective.find("%S") != std::string_view::npos;
    if (uses_name && has_name && name_value.find('%') != std::string_view::npos) {
      Add(Rule::kMrmlFormatString, At(pos, id_label, "name"),
          "markups node name " + Quote(name_value, 80) + " contains '%' and the label format " + Quote(effective, 40) +
              " pastes it into a printf format (vtkMRMLMarkupsNode::"
              "GenerateControlPointLabel)");
    }
  }

  // --- Check 22: ColorTable colors consistent with numcolors
  // (vtkMRMLColorTableNode::ReadXMLAttributes re-appends the attribute per color).
  if ((flags & registry::kFlagColorTable) && has_colors) {
    uint64_t entries = 0;
    std::string problem;
    int64_t field = 0;
    mrml::ForEachToken(colors, false, [&](std::string_view token) {
      int64_t k = field % 6;
      if (k == 0) {
        int64_t index = 0;
        if (ParseStrictInt(token, &index) != mrml::NumberStatus::kOk) {
          problem = "color index " + Quote(token, 32) + " is not an integer";
          return false;
        }
        if (numcolors >= 0 && (index < 0 || index >= numcolors)) {
          problem = "color index " + std::to_string(index) + " is outside 0.." + std::to_string(numcolors - 1);
          return false;
        }
        ++entries;
      } else if (k >= 2) {
        double v = 0;
        if (mrml::ParseStrictReal(token, &v) != mrml::NumberStatus::kOk) {
          problem = "color component " + Quote(token, 32) + " is not a finite number";
          return false;
        }
      }
      ++field;
      return true;
    });
    if (problem.empty() && field % 6 != 0) {
      problem = std::to_string(field) + " fields, not a multiple of 6 (index name r g b a)";
    }
    if (problem.empty() && numcolors >= 0 && entries > static_cast<uint64_t>(numcolors)) {
      problem = std::to_string(entries) + " colors for numcolors " + std::to_string(numcolors);
    }
    if (problem.empty() && numcolors < 0 && entries > 0) problem = "colors without numcolors";
    if (!problem.empty()) {
      Add(Rule::kMrmlColorTableInconsistent, At(pos, id_label, "colors"), "ColorTable colors: " + problem);
    }
    if (numcolors > 0 && static_cast<uint64_t>(numcolors) <= sink_.limits().max_color_table_colors) {
      uint64_t product = 0;
      if (__builtin_mul_overflow(static_cast<uint64_t>(numcolors), uint64_t{colors.size()}, &product) ||
          product > sink_.limits().max_color_table_text_bytes) {
        LimitReached(
            Rule::kMrmlLimitExceeded, "max_color_table_text_bytes", sink_.limits().max_color_table_text_bytes,
            At(pos, id_label, "colors"),
            "by numcolors " + std::to_string(numcolors) + " x " + std::to_string(colors.size()) + " bytes of colors");
      }
    }
  }

  // --- Check 29: readState/writeState. Slicer 3/4 wrote 0 and 4 (TransferDone);
  // with an empty uri StageReadData/StageWriteData return before looking at
  // the state, so those two values are harmless there (see docs/notes/mrml.md).
  auto check_state = [&](std::string_view attr, std::string_view value) {
    int64_t v = -1;
    bool parsed = ParseStrictInt(value, &v) == mrml::NumberStatus::kOk;
    if (parsed && (v == 0 || (v == 4 && !has_uri))) return;
    Add(Rule::kMrmlStorageReadState, At(pos, id_label, attr),
        std::string(attr) + " " + Quote(value, 32) +
            (parsed ? (has_uri ? " with a uri: Slicer skips the download and reads the local file"
                               : ": not Idle (0) or TransferDone (4); changes how Slicer stages the file")
                    : ": not an integer (Slicer reads it with an unchecked stringstream)"));
  };
  if (has_read_state) check_state("readState", read_state);
  if (has_write_state) check_state("writeState", write_state);

  // Storage paths, after the whole element (readExtensions may follow fileName).
  if (flags & registry::kFlagStorage) {
    for (const XmlAttribute& a : attributes) {
      if (a.name == "fileName" || StartsWith(a.name, "fileListMember")) {
        CheckStoragePath(info, tag, id_label, a, pos, text_extensions, in_scene_view || scope != 0);
      }
    }
  }

  if (info == nullptr || (info->class_name.empty() && !(flags & (registry::kFlagStorage | registry::kFlagNetwork)))) {
    CheckUnknownClassAttributes(tag, id_label, attributes, pos);
  }

  // --- Checks 25, 26, 33, 34: node classes.
  if (flags & registry::kFlagCode) {
    Add(Rule::kMrmlCodeNode, At(pos, id_label),
        "<" + std::string(tag) +
            ">: shader property data (GLSL vertex/fragment code) compiled by the GPU "
            "driver");
  }
  if (flags & registry::kFlagCli) {
    Add(Rule::kMrmlCliNode, At(pos, id_label),
        "CommandLineModule node: Slicer runs the installed program when its parameters change");
  }
  if (tag == "PlusServerLauncher") {
    Add(Rule::kMrmlNetworkNode, At(pos, id_label),
        "PlusServerLauncher: SlicerOpenIGTLink connects to its Hostname:Port one second after it is added");
  }
  if (flags & registry::kFlagOpenIgtLink) {
    // Check 33: any OpenIGTLink or Plus node, even one that does not start by
    // itself: a connector can be started from the GUI with the host and port
    // the scene chose, and the Plus nodes drive a remote server.
    Add(Rule::kMrmlIgtlNode, At(pos, id_label),
        "<" + std::string(tag) + "> is a SlicerOpenIGTLink node (" +
            (tag.starts_with("Plus") ? "Plus server control" : "OpenIGTLink network I/O") +
            "): it names hosts and ports Slicer may connect to or listen on");
  }
  for (size_t m = 0; m < 2; ++m) {
    const std::string& module = module_names[m];
    if (module.empty() || registry::IsKnownScriptedModule(module)) continue;
    if (m == 1 && module == module_names[0]) continue;  // the two usually agree
    const registry::SlicerVersion v = registry::RegistryVersion();
    Add(Rule::kMrmlScriptedModuleUnknown, At(pos, id_label, "ModuleName"),
        "ScriptedModule parameter node of module " + Quote(module, 64) + ", which is not a scripted module of Slicer " +
            std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch) +
            " or of a known extension: whatever module of that name is installed reads its parameters");
  }
  if (flags & registry::kFlagLegacy) {
    Add(Rule::kMrmlLegacyNode, At(pos, id_label),
        "legacy <" + std::string(tag) +
            "> node: Slicer converts it on import through code with known "
            "reading defects");
  }
  if ((flags & registry::kFlagSubjectHierarchy) && !sh_version2) {
    Add(Rule::kMrmlLegacyNode, At(pos, id_label, "attributes"),
        "SubjectHierarchy without SubjectHierarchyVersion:2 is read by vtkMRMLSubjectHierarchyLegacyNode");
  }

  if (flags & registry::kFlagStorage) storage_nodes_.push_back(node);
  nodes_.push_back(rec);

  // --- Frames and the parser's "last node" for SubjectHierarchyItem binding.
  FrameKind kind = FrameKind::kNode;
  uint32_t inner_scope = scope;
  if (flags & registry::kFlagSceneView) {
    kind = FrameKind::kSceneView;
    inner_scope = static_cast<uint32_t>(scene_views_.size());
    scene_views_.push_back({});
  } else if (flags & registry::kFlagSubjectHierarchy) {
    kind = FrameKind::kSubjectHierarchy;
    if (sh_.node != kNone) FinishShScope(pos);
    sh_.node = node;
  }
  if (in_scene_view) {
    SceneViewState& sv = scene_views_[scope];
    sv.has_children = true;
    if ((flags & registry::kFlagSubjectHierarchy) && sv.first_sh == kNone) sv.first_sh = node;
  } else if (parent_kind == FrameKind::kRoot) {
    last_top_node_ = node;
    last_top_is_scene_view_ = (flags & registry::kFlagSceneView) != 0;
    last_top_scope_ = inner_scope;
  }
  stack_.push_back({kind, node, inner_scope});
}

void SceneCheckerImpl::CheckValue(const AttrSpec& spec, std::string_view tag, std::string_view id,
                                  const XmlAttribute& attr, const XmlPosition& pos) {
  // Built only when a finding is reported (this runs for most nodes).
  struct Where {
    std::string_view tag, attribute;
    operator std::string() const { return std::string(tag.substr(0, 64)) + " " + std::string(attribute); }
  };
  const Where where_parts{tag, attr.name};
  auto where = [&]() -> std::string { return where_parts; };
  auto syntax = [&](std::string_view why) {
    Add(Rule::kMrmlValueSyntax, At(pos, id, attr.name),
        where() + " " + Quote(attr.value, 80) + ": " + std::string(why));
  };
  switch (spec.kind) {
    case AttrKind::kInt:
    case AttrKind::kIntLimit: {
      int64_t v = 0;
      if (ParseStrictInt(attr.value, &v) != mrml::NumberStatus::kOk) {
        syntax("not an integer (Slicer's stringstream leaves the value uninitialised)");
        return;
      }
      if (v < spec.a) {
        Add(Rule::kMrmlValueRange, At(pos, id, attr.name),
            where() + " " + std::to_string(v) + " is below " + std::to_string(spec.a));
        return;
      }
      if (spec.kind == AttrKind::kIntLimit) {
        uint64_t limit = sink_.limits().*(spec.limit);
        if (static_cast<uint64_t>(v) > limit) {
          LimitReached(Rule::kMrmlLimitExceeded, spec.limit_name, limit, At(pos, id, attr.name),
                       "by " + where() + " " + std::to_string(v));
        }
      } else if (v > spec.b) {
        Add(Rule::kMrmlValueRange, At(pos, id, attr.name),
            where() + " " + std::to_string(v) + " is above " + std::to_string(spec.b));
      }
      return;
    }
    case AttrKind::kReal: {
      double v = 0;
      mrml::NumberStatus st = mrml::ParseStrictReal(attr.value, &v);
      if (st == mrml::NumberStatus::kNonFinite) {
        Add(Rule::kMrmlValueNonFinite, At(pos, id, attr.name),
            where() + " " + Quote(attr.value, 40) + " is not finite");
      } else if (st != mrml::NumberStatus::kOk) {
        syntax("not a number");
      }
      return;
    }
    case AttrKind::kRealVector:
    case AttrKind::kIntVector:
    case AttrKind::kRealList:
    case AttrKind::kIntList: {
      const bool integers = spec.kind == AttrKind::kIntVector || spec.kind == AttrKind::kIntList;
      const bool list = spec.kind == AttrKind::kRealList || spec.kind == AttrKind::kIntList;
      // Legacy annotation point lists separate points with '|'.
      const bool bars = attr.name == "ctrlPtsCoord" || attr.name == "linePtsID";
      const uint64_t max_values = sink_.limits().max_list_values;
      uint64_t count = 0;
      bool stopped = false;
      mrml::ForEachToken(attr.value, bars, [&](std::string_view token) {
        ++count;
        if (count > max_values) {
          LimitReached(Rule::kMrmlLimitExceeded, "max_list_values", max_values, At(pos, id, attr.name),
                       "by " + where());
          stopped = true;
          return false;
        }
        mrml::NumberStatus st;
        if (integers) {
          int64_t v = 0;
          st = ParseStrictInt(token, &v);
        } else {
          double v = 0;
          st = mrml::ParseStrictReal(token, &v);
        }
        if (st == mrml::NumberStatus::kNonFinite) {
          Add(Rule::kMrmlValueNonFinite, At(pos, id, attr.name),
              where() + " value " + std::to_string(count) + " " + Quote(token, 32) + " is not finite" +
                  (attr.name == "gradients" ? " (vtkMRMLDiffusionWeightedVolumeNode loops forever on it)" : ""));
          stopped = true;
          return false;
        }
        if (st != mrml::NumberStatus::kOk) {
          syntax("value " + std::to_string(count) + " " + Quote(token, 32) + " is not " +
                 (integers ? "an integer" : "a number"));
          stopped = true;
          return false;
        }
        return true;
      });
      if (stopped) return;
      const uint64_t n = static_cast<uint64_t>(spec.a);
      if (list ? (n > 0 && count % n != 0) : count != n) {
        Add(Rule::kMrmlValueCount, At(pos, id, attr.name),
            where() + " has " + std::to_string(count) + " values; " +
                (list ? "Slicer reads them in groups of " + std::to_string(n) + " and reads past the end"
                      : "Slicer reads exactly " + std::to_string(n) + " and leaves the rest uninitialised"));
      }
      return;
    }
    case AttrKind::kFormatMarkups: {
      std::string why = mrml::CheckMarkupsLabelFormat(attr.value);
      if (!why.empty()) {
        Add(Rule::kMrmlFormatString, At(pos, id, attr.name),
            where() + " " + Quote(attr.value, 80) + " is passed to snprintf: " + why);
      }
      return;
    }
    case AttrKind::kFormatNoPercent:
      if (attr.value.find('%') != std::string_view::npos) {
        Add(Rule::kMrmlFormatString, At(pos, id, attr.name),
            where() + " " + Quote(attr.value, 80) +
                " contains '%'; vtkMRMLUnitNode pastes it into the measurement print format");
      }
      return;
    case AttrKind::kBool:
      // vtkMRMLReadXMLBooleanMacro: strcmp(value, "true") ? false : true.
      if (attr.value != "true" && attr.value != "false") {
        Add(Rule::kMrmlValueBoolean, At(pos, id, attr.name),
            where() + " " + Quote(attr.value, 40) +
                " is not true or false: Slicer compares it with \"true\" and reads anything else as false");
      }
      return;
    case AttrKind::kRealRange: {
      double v = 0;
      mrml::NumberStatus st = mrml::ParseStrictReal(attr.value, &v);
      if (st == mrml::NumberStatus::kNonFinite) {
        Add(Rule::kMrmlValueNonFinite, At(pos, id, attr.name),
            where() + " " + Quote(attr.value, 40) + " is not finite");
      } else if (st != mrml::NumberStatus::kOk) {
        syntax("not a number");
      } else if (v < spec.lo || v > spec.hi) {
        Add(Rule::kMrmlValueRange, At(pos, id, attr.name),
            where() + " " + Quote(attr.value, 40) + " is outside " + mrml::FormatReal(spec.lo) + ".." +
                mrml::FormatReal(spec.hi));
      }
      return;
    }
    case AttrKind::kCountedList: {
      // vtkMRMLVolumePropertyNode::DataFromString: new double[count], then count values.
      mrml::CountedList list = mrml::ParseCountedList(attr.value, sink_.limits().max_list_values);
      switch (list.status) {
        case mrml::CountedList::kOk:
          if (spec.a > 0 && list.count % static_cast<uint64_t>(spec.a) != 0) {
            Add(Rule::kMrmlValueCount, At(pos, id, attr.name),
                where() + " count " + std::to_string(list.count) + " is not a multiple of " + std::to_string(spec.a) +
                    " (Slicer allocates and fills it, then drops the function)");
          }
          return;
        case mrml::CountedList::kBadCount:
          syntax("the leading count is not an integer (Slicer allocates new double[count] from it)");
          return;
        case mrml::CountedList::kNegative:
          Add(Rule::kMrmlValueRange, At(pos, id, attr.name),
              where() + " count " + Quote(attr.value.substr(0, attr.value.find(' ')), 24) +
                  " is negative: new double[count] aborts Slicer");
          return;
        case mrml::CountedList::kTooMany:
          LimitReached(Rule::kMrmlLimitExceeded, "max_list_values", sink_.limits().max_list_values,
                       At(pos, id, attr.name), "by the count of " + where() + " (new double[count])");
          return;
        case mrml::CountedList::kBadValue:
          syntax("value " + std::to_string(list.bad_index) + " is not a finite number");
          return;
        case mrml::CountedList::kMismatch:
          Add(Rule::kMrmlValueCount, At(pos, id, attr.name),
              where() + " declares " + std::to_string(list.count) + " values and has " + std::to_string(list.found) +
                  " (Slicer reads exactly the declared count)");
          return;
      }
      return;
    }
    case AttrKind::kFormatOne: {
      std::string why = mrml::CheckSingleConversionFormat(attr.value);
      if (!why.empty()) {
        Add(Rule::kMrmlFormatString, At(pos, id, attr.name),
            where() + " " + Quote(attr.value, 80) + " is passed to snprintf: " + why);
      }
      return;
    }
  }
}

void SceneCheckerImpl::ReportTagResolution(std::string_view spelled, const registry::Resolution& resolved,
                                           const XmlPosition& pos, std::string_view id) {
  const TagInfo* info = resolved.info;
  if (resolved.fallback) {
    // vtkMRMLParser::EndElement pops only tags vtkMRMLScene::GetClassNameByTag knows.
    Add(Rule::kMrmlTagAlias, At(pos, id),
        "tag " + Quote(spelled, 64) + " is not registered but creates " + std::string(info->class_name) +
            " (registered as <" + std::string(info->tag) +
            ">) through Slicer's fallback, and is checked as one; vtkMRMLParser::EndElement never pops it, so "
            "every later element becomes its child");
  } else if (info == nullptr) {
    Add(Rule::kMrmlTagUnknown, At(pos, id),
        "tag " + Quote(spelled, 64) + " is not registered by Slicer or a known extension; Slicer skips it");
  } else if (info->origin == TagOrigin::kNotRegistered) {
    Add(Rule::kMrmlTagUnknown, At(pos, id),
        "tag " + Quote(spelled, 64) + " (" + std::string(info->class_name) +
            ") is not registered by any Slicer module; Slicer skips it");
  } else if (info->origin == TagOrigin::kRemoved) {
    Add(Rule::kMrmlTagUnknown, At(pos, id),
        "tag " + Quote(spelled, 64) + " is from an old Slicer (" + std::string(info->module) +
            "); current Slicer skips it");
  }
}

void SceneCheckerImpl::CheckUnknownClassAttributes(std::string_view tag, std::string_view id,
                                                   std::span<const XmlAttribute> attributes,
                                                   const XmlPosition& pos) {
  // An extension this registry has not scanned may register the class: judge
  // the attributes that fetch, connect or listen as a storage or
  // OpenIGTLink node's would be (vtkMRMLStorageNode uri/fileName,
  // vtkMRMLIGTLConnectorNode serverPort/serverHostname/persistent).
  for (const XmlAttribute& a : attributes) {
    const std::string_view an = a.name;
    if (an == "uri" || StartsWith(an, "uriListMember")) {
      if (!a.value.empty()) {
        Add(Rule::kMrmlStorageUri, At(pos, id, an),
            "<" + std::string(tag.substr(0, 64)) + "> of no known class has " + std::string(an) + " " +
                Quote(a.value, 120) + ": a storage class downloads it on load");
      }
    } else if (an == "fileName" || StartsWith(an, "fileListMember")) {
      if (!a.value.empty()) CheckRemotePath(id, a, pos);
    } else if (an == "persistent") {
      if (a.value != "0" && a.value != "false") {
        Add(Rule::kMrmlNetworkNode, At(pos, id, an),
            "<" + std::string(tag.substr(0, 64)) + "> of no known class has persistent " + Quote(a.value, 32) +
                ": an OpenIGTLink connector with it starts at the end of import");
      }
    } else if (an == "serverPort" || an == "hostname" || an == "serverHostname") {
      Add(Rule::kMrmlIgtlNode, At(pos, id, an),
          "<" + std::string(tag.substr(0, 64)) + "> of no known class names " + std::string(an) + " " +
              Quote(a.value, 64) + ": a network node would connect or listen there");
    }
  }
}

bool SceneCheckerImpl::CheckRemotePath(std::string_view id, const XmlAttribute& attr, const XmlPosition& pos) {
  std::string path = mrml::SlicerUrlDecode(attr.value);
  // The reading every layer shares (text/slicer_path.h): '\\' a separator,
  // two leading separators of either kind UNC, a second byte ':' a drive.
  const text::PathReading reading = text::ReadSlicerPath(path);
  if (reading.kind == text::PathKind::kUrl || reading.kind == text::PathKind::kSlicerScheme) {
    Add(Rule::kMrmlStorageUri, At(pos, id, attr.name),
        std::string(attr.name) + " " + Quote(path, 120) +
            " is a URL or slicer: path (remote fetch, or the CLI shared-memory scheme)");
    return true;
  }
  if (reading.kind == text::PathKind::kUnc) {
    Add(Rule::kMrmlStorageUnc, At(pos, id, attr.name),
        std::string(attr.name) + " " + Quote(path, 120) +
            " is a UNC path: opening it makes the OS authenticate to a remote host");
    return true;
  }
  return false;
}

void SceneCheckerImpl::CheckStoragePath(const TagInfo* info, std::string_view tag, std::string_view id,
                                        const XmlAttribute& attr, const XmlPosition& pos,
                                        const std::vector<std::string>& text_extensions, bool in_scene_view) {
  if (attr.value.empty()) return;  // Slicer keeps an empty slot to preserve indices.
  // vtkMRMLStorageNode::ReadXMLAttributes: URLDecodeString, then
  // vtkMRMLScene::IsFilePathRelative, then CollapseFullPath.
  if (CheckRemotePath(id, attr, pos)) return;
  std::string path = mrml::SlicerUrlDecode(attr.value);
  std::string lower = mrml::AsciiLower(path);
  const text::PathReading reading = text::ReadSlicerPath(path);
  StorageRef ref;
  ref.node_id = std::string(id);
  ref.tag = std::string(tag);
  ref.attribute = std::string(attr.name);
  ref.line = pos.line;
  ref.column = pos.column;
  ref.in_scene_view = in_scene_view;
  ref.absolute = text::IsAnchoredLocally(reading.kind);
  ref.climbs = reading.climbs;
  if (!options_.in_bundle && (ref.absolute || ref.climbs)) {
    Add(Rule::kMrmlStoragePathEscapes, At(pos, id, attr.name),
        std::string(attr.name) + " " + Quote(path, 120) +
            (ref.absolute ? " " + std::string(text::DescribeKind(reading.kind))
                          : std::string(" climbs out of the scene folder with '..'")) +
            "; Slicer reads whatever file it names");
  }

  // Check 31: the extension must be one the storage class reads (§3.4).
  if (info != nullptr && !info->any_extension) {
    std::span<const std::string_view> exts = registry::StorageExtensions(*info);
    if (!exts.empty() || !text_extensions.empty()) {
      bool ok = false;
      std::string_view base = text::SlicerBaseName(lower);
      for (std::string_view e : exts) {
        ok = ok || (e == "(none)" ? base.find('.') == std::string_view::npos : EndsWith(lower, e));
      }
      for (const std::string& e : text_extensions) ok = ok || EndsWith(lower, e);
      if (!ok) {
        std::string list;
        for (std::string_view e : exts) list += (list.empty() ? "" : " ") + std::string(e);
        Add(Rule::kMrmlStorageExtension, At(pos, id, attr.name),
            std::string(attr.name) + " " + Quote(path, 120) + ": " + std::string(tag) + " reads only " + list);
      }
    }
  }

  // Check 32: a sequence storage that loads this scene (or an ancestor bundle)
  // recurses without end (vtkMRMLSequenceStorageNode::ReadDataInternal).
  if (tag == "SequenceStorage" && !ref.absolute) {
    bool self = false;
    if (!options_.scene_name.empty()) {
      // Resolve the path lexically against the scene's folder, as
      // CollapseFullPath does, and compare with the scene's own name. The
      // collapse makes every '\\' a separator, so it never yields a name
      // that holds one: such a scene file cannot be named by its storage paths.
      std::string_view scene = options_.scene_name;
      std::optional<std::string> resolved = text::ResolveLexically(text::FolderOf(scene), reading);
      std::optional<std::string> scene_norm = text::ResolveLexically(scene, text::PathReading{});
      self = scene.find('\\') == std::string_view::npos && resolved && scene_norm &&
             text::EqualsIgnoreCase(*resolved, *scene_norm);
    }
    for (const std::string& ancestor : options_.ancestor_names) {
      if (!ancestor.empty() && text::EqualsIgnoreCase(text::SlicerBaseName(path), text::SlicerBaseName(ancestor))) {
        self = true;
      }
    }
    if (self) {
      Add(Rule::kMrmlSequenceSelf, At(pos, id, attr.name),
          std::string(attr.name) + " " + Quote(path, 120) +
              " is the scene itself (or a bundle it is nested in): Slicer loads it again without end");
    }
  }
  ref.path = std::move(path);  // last use of path and of the views into it
  summary_.storage.push_back(std::move(ref));
}

void SceneCheckerImpl::EndElementImpl(std::string_view name, const XmlPosition& position) {
  if (stack_.empty()) return;
  Frame frame = stack_.back();
  stack_.pop_back();
  if (frame.kind == FrameKind::kSubjectHierarchy && sh_.node == frame.node) FinishShScope(position);
  (void)name;
}

uint32_t SceneCheckerImpl::Resolve(uint32_t scope, uint32_t id) const {
  auto it = defined_.find((uint64_t{scope} << 32) | id);
  if (it != defined_.end()) return it->second;
  if (scope != 0) {
    it = defined_.find(id);
    if (it != defined_.end()) return it->second;
  }
  return kNone;
}

void SceneCheckerImpl::CheckParentChains(bool transform) {
  // Walk each node's parent chain once (memoised): cycles are
  // vtkMRMLTransformNode::IsTransformNodeMyParent / GetTransformToWorldMTime
  // and vtkMRMLHierarchyNode::GetTopParentNode loops; long chains are deep recursion.
  const uint64_t max_depth = sink_.limits().max_hierarchy_depth;
  const size_t n = nodes_.size();
  constexpr uint32_t kUnvisited = 0, kInProgress = kNone;
  std::vector<uint32_t> depth(n, kUnvisited);  // chain length including the node, or markers
  std::vector<uint32_t> path;
  auto parent_of = [&](uint32_t node) -> uint32_t {
    uint32_t pid = transform ? nodes_[node].transform_parent : nodes_[node].hierarchy_parent;
    if (pid == kNone) return kNone;
    return Resolve(nodes_[node].scope, pid);
  };
  const char* what = transform ? "transform" : "hierarchy";
  const char* attr = transform ? "transformNodeRef" : "parentNodeRef";
  for (uint32_t start = 0; start < n; ++start) {
    if (depth[start] != kUnvisited) continue;
    path.clear();
    uint32_t cur = start;
    uint32_t base = 0;
    bool cycle = false;
    while (cur != kNone) {
      if (depth[cur] == kInProgress) {
        cycle = true;
        break;
      }
      if (depth[cur] != kUnvisited) {
        base = depth[cur];
        break;
      }
      depth[cur] = kInProgress;
      path.push_back(cur);
      cur = parent_of(cur);
    }
    if (cycle) {
      Add(Rule::kMrmlParentCycle, AtNode(cur, attr),
          std::string(what) + " parent chain of " +
              Quote(nodes_[cur].id != kNone ? Name(nodes_[cur].id) : std::string_view(), 80) +
              " comes back to itself; Slicer loops forever walking it");
      for (uint32_t p : path) depth[p] = 1;  // do not report members again
      continue;
    }
    uint32_t d = base;
    bool reported = false;
    for (size_t k = path.size(); k-- > 0;) {
      d = d >= kInProgress - 1 ? d : d + 1;
      depth[path[k]] = d;
      if (d == max_depth + 1 && !reported) {
        reported = true;
        LimitReached(Rule::kMrmlLimitExceeded, "max_hierarchy_depth", max_depth, AtNode(path[k], attr),
                     std::string("by the ") + what + " parent chain");
      }
    }
  }
}

void SceneCheckerImpl::EndDocumentImpl(bool well_formed) {
  if (ended_) return;
  ended_ = true;
  if (!well_formed) {
    // The tree is incomplete and where it stops depends on the parser's
    // chunking: report nothing from it unless findings already went out.
    if (!direct_) pending_.clear();
    return;
  }
  if (sh_.node != kNone) FinishShScope(XmlPosition{});
  FlushPending();

  // Check 18: every reference names a node of the file or a Slicer built-in.
  // One finding per (node, id) keeps a node with many refs to one id short.
  std::unordered_set<uint64_t> reported;
  for (const Reference& r : references_) {
    const NodeRecord& from = nodes_[r.node];
    if (Resolve(from.scope, r.id) != kNone) continue;
    std::string_view target = Name(r.id);
    if (registry::IsBuiltinId(target)) continue;
    if (!reported.insert((uint64_t{r.node} << 32) | r.id).second) continue;
    Add(Rule::kMrmlReferenceDangling, AtNode(r.node, Name(r.attribute)),
        std::string(Name(r.attribute)) + " names " + Quote(target, 80) +
            ", which is not a node of this scene nor a Slicer built-in; Slicer drops it or binds it to an "
            "existing application node");
  }

  // Check 19: parent cycles and chain lengths.
  CheckParentChains(true);
  CheckParentChains(false);

  // Check 31: storage nodes and the storable nodes that use them.
  CheckStoragePairing();
}

void SceneCheckerImpl::CheckStoragePairing() {
  // vtkMRMLStorableNode::UpdateScene calls ReadData on each node of its
  // "storage" role, and vtkMRMLStorageNode::ReadData refuses a storable node
  // its CanReadInReferenceNode does not accept. A storage node that nothing
  // references is never read. Linear: one pass over the uses, one over the
  // storage nodes, hashed lookups only.
  std::vector<bool> used(nodes_.size(), false);
  // Ids of main-scene storage nodes used in the main scene: a SceneView's
  // stored scene repeats the scene's storage nodes (the SceneView's own
  // SceneViewStorage among them) without the SceneView that uses it, since
  // vtkMRMLSceneViewNode::WriteNodeBodyXML skips scene views.
  std::unordered_set<uint32_t> used_in_main;
  std::unordered_set<uint64_t> reported;
  for (const Reference& use : storage_uses_) {
    const NodeRecord& from = nodes_[use.node];
    const uint32_t target = Resolve(from.scope, use.id);
    if (target == kNone) continue;  // mrml.reference.dangling
    used[target] = true;
    if (from.scope == 0 && nodes_[target].scope == 0) used_in_main.insert(use.id);
    const TagInfo* storage = registry::FindTag(Name(nodes_[target].tag));
    const TagInfo* storable = registry::FindTag(Name(from.tag));
    if (storage == nullptr || storable == nullptr) continue;  // unknown tags: mrml.tag.unknown
    const bool is_storage = (storage->flags & registry::kFlagStorage) != 0;
    if (is_storage && registry::StorageCanRead(*storage, *storable)) continue;
    if (!reported.insert((uint64_t{use.node} << 32) | target).second) continue;
    const std::string target_id(Name(use.id));
    const std::string from_tag(Name(from.tag).substr(0, 64));
    std::string message = "<" + from_tag + "> uses " + Quote(target_id, 80) + " as its storage node, but that is a <" +
                          std::string(storage->tag) + ">";
    if (!is_storage) {
      message += ", not a storage node: Slicer reads no file for it";
    } else {
      message += ", which cannot read a <" + from_tag +
                 ">: vtkMRMLStorageNode::ReadData refuses it (CanReadInReferenceNode) and the data is not loaded";
    }
    Add(Rule::kMrmlStorageIncompatible, AtNode(use.node, Name(use.attribute)), std::move(message));
  }
  // How many nodes read each main-scene storage node's file (the pipeline's
  // max_scene_load_bytes counts an image once per reader).
  std::unordered_map<std::string_view, uint32_t> users_by_id;
  for (const Reference& use : storage_uses_) {
    const NodeRecord& from = nodes_[use.node];
    const uint32_t target = Resolve(from.scope, use.id);
    if (target == kNone || from.scope != 0 || nodes_[target].scope != 0) continue;
    // Keyed as StorageRef::node_id is written (the id cut at 128 bytes); ids
    // that share those bytes add up, which only counts more loads.
    uint32_t& n = users_by_id[Name(use.id).substr(0, 128)];
    if (n < UINT32_MAX) ++n;
  }
  for (StorageRef& ref : summary_.storage) {
    if (ref.in_scene_view) continue;
    auto it = users_by_id.find(ref.node_id);
    ref.users = it == users_by_id.end() ? 0 : it->second;
  }
  for (uint32_t s : storage_nodes_) {
    if (used[s]) continue;
    const NodeRecord& rec = nodes_[s];
    if (rec.scope != 0 && rec.id != kNone && used_in_main.count(rec.id)) continue;
    Add(Rule::kMrmlStorageUnreferenced, AtNode(s),
        "storage node <" + std::string(Name(rec.tag).substr(0, 64)) + "> is referenced by no node" +
            (rec.scope != 0 ? " of its SceneView" : "") +
            " (storageNodeRef or references \"storage:\"): Slicer never reads its file through it");
  }
}

}  // namespace

std::unique_ptr<SceneChecker> SceneChecker::Create(FindingSink& sink, const SceneOptions& options) {
  return std::make_unique<SceneCheckerImpl>(sink, options);
}

}  // namespace mrmlguard::internal
