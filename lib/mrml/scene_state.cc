// SPDX-License-Identifier: BSD-3-Clause
// The scene checker's pending findings and scene model (scene_state.h).

#include "mrml/scene_state.h"

#include <utility>

namespace mrmlguard::internal::mrml {

Location At(const XmlPosition& pos, std::string_view node_id, std::string_view attribute) {
  Location loc;
  loc.offset = pos.offset;
  loc.line = pos.line;
  loc.column = pos.column;
  loc.node_id = std::string(node_id);
  loc.attribute = std::string(attribute);
  return loc;
}

void SceneFindings::Add(Rule rule, Location where, std::string message) {
  if (Direct()) {
    Flush();
    sink_.Add(rule, std::move(where), std::move(message));
    return;
  }
  pending_.push_back({rule, std::move(where), std::move(message), {}, 0});
}

void SceneFindings::LimitReached(Rule rule, std::string_view limit_name, uint64_t limit_value, Location where,
                                 std::string_view detail) {
  if (Direct()) {
    Flush();
    sink_.LimitReached(rule, limit_name, limit_value, std::move(where), detail);
    return;
  }
  pending_.push_back({rule, std::move(where), std::string(detail), limit_name, limit_value});
}

void SceneFindings::Flush() {
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

void SceneFindings::DropPending() {
  if (!direct_) pending_.clear();
}

void SceneFindings::Fail() {
  try {
    pending_.clear();
    // FindingSink counts the error before storing it, so the verdict is a
    // rejection even if storing the message fails too.
    sink_.Add(Rule::kMrmlLimitExceeded, Location{}, "out of memory while checking the scene");
  } catch (...) {
  }
}

uint32_t SceneState::Resolve(uint32_t scope, uint32_t id) const {
  auto it = defined.find((uint64_t{scope} << 32) | id);
  if (it != defined.end()) return it->second;
  if (scope != 0) {
    it = defined.find(id);
    if (it != defined.end()) return it->second;
  }
  return kNone;
}

Location SceneState::AtNode(uint32_t node, std::string_view attribute) const {
  const NodeRecord& r = nodes[node];
  Location loc;
  loc.line = r.line;
  loc.column = r.column;
  if (r.id != kNone) loc.node_id = std::string(Name(r.id));
  loc.attribute = std::string(attribute);
  return loc;
}

}  // namespace mrmlguard::internal::mrml
