/* SPDX-License-Identifier: BSD-3-Clause */
// File: policy.h
//
// A Policy says how strictly to judge: a profile (which sets each rule's
// severity), the limits, per-rule severity overrides, and whether to ask ITK
// for a second reading of every image header (deep mode).
//
//   mrmlguard::Policy policy = mrmlguard::Policy::Strict();
//   policy.overrides.push_back({"mrml.tag.unknown", mrmlguard::Severity::kWarning});
//   policy.deep = mrmlguard::DeepModeAvailable();   // validate.h

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
  // Deep mode: every image header (NRRD, MetaImage, NIfTI, Analyze) that our
  // own reader accepted without an error is read again by ITK's ImageIO
  // (header only, in this process), and a refusal or a different reading of
  // sizes, component type or components is data.itk-disagrees. ITK needs a
  // file: a bundle entry is written, for the time of the reading, to a
  // private folder (mode 0700) made under $TMPDIR (else /tmp) and then
  // removed. Needs a library built with ITK (DeepModeAvailable() in
  // validate.h); otherwise Validate, ValidateBytes and Extract refuse the
  // policy with StatusCode::kInvalidArgument. No profile turns it on.
  bool deep = false;

  static Policy Default();
  static Policy Strict();  // strict profile and Limits::Strict()

  // Returns the severity this policy gives the rule (overrides first, then the
  // profile's column of the rule table). Unknown ids give kError: fail closed.
  Severity SeverityOf(std::string_view rule_id) const;
};

}  // namespace mrmlguard

#endif  // MRMLGUARD_POLICY_H_
