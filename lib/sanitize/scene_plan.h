// SPDX-License-Identifier: BSD-3-Clause
// File: scene_plan.h
//
// PlanScene: from a scene document and the findings a judgement gave it, the
// splices that carry out each error finding's action (the rule table's
// sanitize column), and the change records of the report. Refuses (blocking
// findings) when a rule has no rewrite or a finding cannot be placed on
// exactly one element and attribute.

#ifndef MRMLGUARD_LIB_SANITIZE_SCENE_PLAN_H_
#define MRMLGUARD_LIB_SANITIZE_SCENE_PLAN_H_

#include <string>
#include <string_view>
#include <vector>

#include "mrmlguard/report.h"
#include "mrmlguard/sanitize.h"
#include "sanitize/xml_splice.h"

namespace mrmlguard::internal::sanitize {

struct ScenePlan {
  std::vector<Splice> splices;
  std::vector<SanitizeChange> changes;
  std::vector<Finding> blocking;  // findings with no rewrite, or not placed
  std::string refusal;            // set when the document itself cannot be rewritten
  bool ok() const { return blocking.empty() && refusal.empty(); }
};

// Plans the rewrite of `doc` for the error findings of `findings` that name
// `entry` ("" for a plain scene). Findings of other entries are ignored.
ScenePlan PlanScene(std::string_view doc, const std::vector<Finding>& findings, std::string_view entry);

// The safe value kResetAttribute writes for `attribute` under `rule_id`, or
// "" with *known false when there is none.
std::string ResetValue(std::string_view rule_id, std::string_view attribute, bool* known);

// Slicer's default for a printf format attribute (kReplaceFormat), or *known
// false. A markups `name` (pasted into the label format) loses its '%'.
std::string DefaultFormat(std::string_view attribute, std::string_view value, bool* known);

}  // namespace mrmlguard::internal::sanitize

#endif  // MRMLGUARD_LIB_SANITIZE_SCENE_PLAN_H_
