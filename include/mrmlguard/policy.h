// File: policy.h
//
// A Policy says how strictly to judge: a profile (which sets each rule's
// severity), the limits, and per-rule severity overrides.
//
//   mrmlguard::Policy policy = mrmlguard::Policy::Strict();
//   policy.overrides.push_back({"mrml.tag.unknown", mrmlguard::Severity::kWarning});

#ifndef MRMLGUARD_POLICY_H_
#define MRMLGUARD_POLICY_H_

#include "mrmlguard/export.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mrmlguard/finding.h"
#include "mrmlguard/limits.h"

namespace mrmlguard {

enum class Profile : uint8_t { kDefault, kStrict };

// Returns "default" or "strict".
MRMLGUARD_EXPORT std::string_view ProfileName(Profile profile);
// Parses "default" or "strict"; nullopt otherwise.
MRMLGUARD_EXPORT std::optional<Profile> ParseProfile(std::string_view name);

struct SeverityOverride {
  std::string rule_id;  // must name a rule of the table
  Severity severity;
};

struct MRMLGUARD_EXPORT Policy {
  Profile profile = Profile::kDefault;
  Limits limits = Limits::Default();
  std::vector<SeverityOverride> overrides;  // later entries win

  static Policy Default();
  static Policy Strict();  // strict profile and Limits::Strict()

  // Returns the severity this policy gives the rule (overrides first, then the
  // profile's column of the rule table). Unknown ids give kError: fail closed.
  Severity SeverityOf(std::string_view rule_id) const;
};

}  // namespace mrmlguard

#endif  // MRMLGUARD_POLICY_H_
