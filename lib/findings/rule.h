// SPDX-License-Identifier: BSD-3-Clause
// File: rule.h
//
// The Rule enum, built from the one rule table (rules/*.def). Library code
// names rules by enumerator; reports carry the stable string id.

#ifndef MRMLGUARD_LIB_FINDINGS_RULE_H_
#define MRMLGUARD_LIB_FINDINGS_RULE_H_

#include <cstddef>
#include <cstdint>

#include "mrmlguard/finding.h"

namespace mrmlguard::internal {

enum class Rule : uint16_t {
#define MRMLGUARD_RULE(e, id, def, strict, action, doc) e,
#include "findings/rules/all.def"
#undef MRMLGUARD_RULE
  kCount
};

inline constexpr size_t kRuleCount = static_cast<size_t>(Rule::kCount);

// Returns the table row of a rule.
const RuleInfo& InfoOf(Rule rule);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_FINDINGS_RULE_H_
