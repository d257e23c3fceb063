// SPDX-License-Identifier: BSD-3-Clause
// The rule help table (rule_help.def) and the lookups over it.

#include "report/rule_help.h"

#include <array>
#include <string>

#include "text/ascii.h"

namespace mrmlguard::internal {
namespace {

constexpr RuleHelp kHelp[] = {
#define MRMLGUARD_RULE_HELP(key, severity, protects, todo) RuleHelp{key, severity, protects, todo},
#include "report/rule_help.def"
#undef MRMLGUARD_RULE_HELP
};

bool IsFamily(std::string_view key) { return !key.empty() && key.back() == '.'; }

}  // namespace

std::optional<RuleHelp> FindRuleHelp(std::string_view rule_id) {
  const RuleHelp* best = nullptr;
  for (const RuleHelp& help : kHelp) {
    if (help.key == rule_id) return help;
    if (IsFamily(help.key) && rule_id.starts_with(help.key) &&
        (best == nullptr || help.key.size() > best->key.size())) {
      best = &help;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

std::vector<std::string_view> RulesWithoutOwnHelp() {
  std::vector<std::string_view> out;
  for (const RuleInfo& rule : AllRules()) {
    const std::optional<RuleHelp> help = FindRuleHelp(rule.id);
    if (!help || help->key != rule.id) out.push_back(rule.id);
  }
  return out;
}

std::vector<std::string_view> UnusedHelpKeys() {
  std::vector<std::string_view> out;
  for (const RuleHelp& help : kHelp) {
    bool used = false;
    for (const RuleInfo& rule : AllRules()) {
      used = used || (IsFamily(help.key) ? rule.id.starts_with(help.key) : rule.id == help.key);
    }
    if (!used) out.push_back(help.key);
  }
  return out;
}

std::string RuleAnchor(std::string_view rule_id) {
  std::string anchor;
  for (char c : rule_id) {
    c = text::AsciiLower(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') anchor.push_back(c);
  }
  return anchor;
}

std::string RuleHelpUri(std::string_view rule_id) {
  return std::string(kHomepage) + "/blob/main/docs/rules.md#" + RuleAnchor(rule_id);
}

std::string RuleHelpText(const RuleInfo& rule) {
  std::string text(rule.summary);
  text += '.';
  const std::optional<RuleHelp> help = FindRuleHelp(rule.id);
  if (help) {
    text += " Protects against ";
    text += help->protects;
    text += ". What to do: ";
    text += help->todo;
    text += '.';
  }
  return text;
}

std::string_view RuleSecuritySeverity(const RuleInfo& rule) {
  // A family's score is for its errors: a warning or note of the family,
  // with no entry of its own, gets the score of its level instead.
  const std::optional<RuleHelp> help = FindRuleHelp(rule.id);
  if (help && (help->key == rule.id || rule.default_severity == Severity::kError)) return help->security_severity;
  switch (rule.default_severity) {
    case Severity::kError: return "7.0";
    case Severity::kWarning: return "4.0";
    case Severity::kNote: return "1.0";
    case Severity::kOff: return "0.0";
  }
  return "7.0";
}

}  // namespace mrmlguard::internal
