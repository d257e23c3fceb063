// SPDX-License-Identifier: BSD-3-Clause
// The rule table and the public lookups over it.

#include <array>
#include <string_view>

#include "findings/rule.h"
#include "mrmlguard/finding.h"

namespace mrmlguard {
namespace {

using enum Severity;
using enum SanitizeAction;

constexpr std::array<RuleInfo, internal::kRuleCount> kRules = {{
#define MRMLGUARD_RULE(e, id, def, strict, action, doc) {id, def, strict, doc, action},
#include "findings/rules/all.def"
#undef MRMLGUARD_RULE
}};

// Ids are stable API: lowercase words separated by '.' and '-'.
constexpr bool IdWellFormed(std::string_view id) {
  if (id.empty() || id.front() == '.' || id.back() == '.') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  return true;
}

constexpr bool AllIdsUniqueAndWellFormed() {
  for (size_t i = 0; i < kRules.size(); ++i) {
    if (!IdWellFormed(kRules[i].id) || kRules[i].summary.empty()) return false;
    // The strict profile never judges more leniently than the default one.
    if (kRules[i].strict_severity < kRules[i].default_severity) return false;
    for (size_t j = i + 1; j < kRules.size(); ++j) {
      if (kRules[i].id == kRules[j].id) return false;
    }
  }
  return true;
}
static_assert(AllIdsUniqueAndWellFormed(), "rule table: ids must be unique, well-formed, documented");

}  // namespace

std::span<const RuleInfo> AllRules() { return kRules; }

const RuleInfo* AllRules(size_t* count) {
  if (count != nullptr) *count = AllRules().size();
  return AllRules().data();
}

const RuleInfo* FindRule(std::string_view id) {
  for (const RuleInfo& rule : kRules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case kOff: return "off";
    case kNote: return "note";
    case kWarning: return "warning";
    case kError: return "error";
  }
  return "error";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (Severity s : {kOff, kNote, kWarning, kError}) {
    if (SeverityName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view SanitizeActionName(SanitizeAction action) {
  switch (action) {
    case kRefuse: return "refuse";
    case kNone: return "none";
    case kDropNode: return "drop-node";
    case kDropAttribute: return "drop-attribute";
    case kClearAttribute: return "clear-attribute";
    case kResetAttribute: return "reset-attribute";
    case kReplaceFormat: return "replace-format";
    case kClamp: return "clamp";
    case kDropReference: return "drop-reference";
    case kDropMarkup: return "drop-markup";
    case kDropEntry: return "drop-entry";
    case kReplaceDeclaration: return "replace-declaration";
  }
  return "refuse";
}

namespace internal {
const RuleInfo& InfoOf(Rule rule) { return kRules[static_cast<size_t>(rule)]; }
}  // namespace internal

}  // namespace mrmlguard
