// SPDX-License-Identifier: BSD-3-Clause
#include "mrmlguard/policy.h"

#include "mrmlguard/report.h"
#include "mrmlguard/version.h"

namespace mrmlguard {

std::string_view ProfileName(Profile profile) {
  return profile == Profile::kStrict ? "strict" : "default";
}

std::optional<Profile> ParseProfile(std::string_view name) {
  if (name == "default") return Profile::kDefault;
  if (name == "strict") return Profile::kStrict;
  return std::nullopt;
}

Policy Policy::Default() { return Policy{}; }

Policy Policy::Strict() {
  Policy p;
  p.profile = Profile::kStrict;
  p.limits = Limits::Strict();
  return p;
}

Severity Policy::SeverityOf(std::string_view rule_id) const {
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    if (it->rule_id == rule_id) return it->severity;
  }
  const RuleInfo* rule = FindRule(rule_id);
  if (rule == nullptr) return Severity::kError;
  return profile == Profile::kStrict ? rule->strict_severity : rule->default_severity;
}

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kIoError: return "io-error";
    case StatusCode::kEmptyInput: return "empty-input";
    case StatusCode::kInvalidArgument: return "invalid-argument";
    case StatusCode::kInternal: return "internal";
  }
  return "internal";
}

size_t Report::Count(Severity severity) const {
  size_t n = 0;
  for (const Finding& f : findings) n += f.severity == severity ? 1 : 0;
  return n;
}

const char* Version() { return MRMLGUARD_VERSION_STRING; }

}  // namespace mrmlguard
