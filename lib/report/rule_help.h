// SPDX-License-Identifier: BSD-3-Clause
// File: rule_help.h
//
// Help for each rule (rule_help.def): what it protects against, what to do,
// its security-severity, and where its paragraph in docs/rules.md is. Feeds
// the SARIF rule metadata and the generated docs/rules.md.

#ifndef MRMLGUARD_LIB_REPORT_RULE_HELP_H_
#define MRMLGUARD_LIB_REPORT_RULE_HELP_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mrmlguard/finding.h"

namespace mrmlguard::internal {

// The project's home, from which the documentation links are built.
inline constexpr std::string_view kHomepage = "https://github.com/mrmlguard/mrmlguard";

struct RuleHelp {
  std::string_view key;                // the rule id, or the family ("zip.entry.") it came from
  std::string_view security_severity;  // "0.0" to "10.0"
  std::string_view protects;
  std::string_view todo;
};

// The rule's own entry, else its longest family, else nullopt.
std::optional<RuleHelp> FindRuleHelp(std::string_view rule_id);

// Rules of the table with no entry of their own (they use a family's help,
// or only their summary). A test prints them so gaps stay visible.
std::vector<std::string_view> RulesWithoutOwnHelp();

// Help keys that name no rule and begin no rule's id (stale entries).
std::vector<std::string_view> UnusedHelpKeys();

// The anchor GitHub gives the heading "### `zip.entry.path-traversal`" in
// docs/rules.md: "zipentrypath-traversal" (lowercase; letters, digits, '-'
// and '_' kept, everything else dropped).
std::string RuleAnchor(std::string_view rule_id);

// kHomepage + "/blob/main/docs/rules.md#" + RuleAnchor(rule_id).
std::string RuleHelpUri(std::string_view rule_id);

// The rule's paragraph: summary, what it protects against, what to do. A
// rule without help gets its summary alone.
std::string RuleHelpText(const RuleInfo& rule);

// The security-severity of a rule: from its own help entry; from its family's
// when the rule is an error by default; else by its default severity (error
// 7.0, warning 4.0, note 1.0, off 0.0).
std::string_view RuleSecuritySeverity(const RuleInfo& rule);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_REPORT_RULE_HELP_H_
