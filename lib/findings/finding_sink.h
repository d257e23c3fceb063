// SPDX-License-Identifier: BSD-3-Clause
// File: finding_sink.h
//
// FindingSink collects findings for one input. Layers call Add(); the sink
// looks up the rule's severity in the policy (dropping rules set to kOff),
// fills in the current entry path, and stops recording after
// limits.max_findings (the last slot becomes an input.findings-truncated note).
//
//   sink.Add(Rule::kZipEntryPathTraversal, {.offset = lfh_offset},
//            "entry \"a/../../x\" climbs 1 level above the bundle root");
//   sink.LimitReached(Rule::kXmlLimitExceeded, "max_xml_depth", 64, loc, "at element <Volume>");
//
// EntryScope pushes a bundle entry path for the findings added while it lives;
// nested bundles join with '!'.

#ifndef MRMLGUARD_LIB_FINDINGS_FINDING_SINK_H_
#define MRMLGUARD_LIB_FINDINGS_FINDING_SINK_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "findings/rule.h"
#include "mrmlguard/finding.h"
#include "mrmlguard/policy.h"

namespace mrmlguard::internal {

class FindingSink {
 public:
  explicit FindingSink(const Policy& policy);

  const Policy& policy() const { return policy_; }
  const Limits& limits() const { return policy_.limits; }

  // Records a finding for `rule` at `where`. When where.entry is empty the
  // current entry scope is used; when set, it is taken relative to the scope.
  void Add(Rule rule, Location where, std::string message);

  // Records a limit breach: message "limit NAME (VALUE) reached" + detail.
  void LimitReached(Rule rule, std::string_view limit_name, uint64_t limit_value,
                    Location where, std::string_view detail);

  // Moves the findings of `other` (same policy, no entry scope of its own)
  // to the end of this list, as if added here: they take this sink's entry
  // scope and count against this sink's max_findings; every error `other`
  // counted, recorded or not, counts here. Lets a layer run on another thread
  // with a sink of its own. `other` is empty afterwards.
  void Absorb(FindingSink& other);

  // Number of findings recorded with severity kError.
  size_t error_count() const { return errors_; }
  bool has_errors() const { return errors_ > 0; }
  // True when the rule would be reported (its severity is not kOff).
  bool Enabled(Rule rule) const;
  // True when Add(rule, ...) would record the finding or count it as an
  // error; false once the list is full for a note or warning. Lets a caller
  // skip building a costly message (a system call, a formatted path).
  bool WouldRecord(Rule rule) const {
    Severity severity = SeverityOf(rule);
    return severity == Severity::kError || (severity != Severity::kOff && !truncated_);
  }
  // Severity this sink's policy gives the rule.
  Severity SeverityOf(Rule rule) const;

  const std::vector<Finding>& findings() const { return findings_; }
  std::vector<Finding> TakeFindings() { return std::move(findings_); }

  // Current entry path ("" at the top level).
  const std::string& entry() const { return entry_; }

  class EntryScope {
   public:
    EntryScope(FindingSink* sink, std::string_view entry);
    ~EntryScope();
    EntryScope(const EntryScope&) = delete;
    EntryScope& operator=(const EntryScope&) = delete;

   private:
    FindingSink* sink_;
    size_t saved_length_;
  };

 private:
  // Appends one finding whose severity is already decided (not kOff).
  void Record(Finding finding);
  // True when the list has no room left for a finding of `severity`: past
  // the cap only the first error is kept, after the note, so that a
  // rejected file always shows why (a flood of warnings cannot hide it).
  bool Full(Severity severity) const {
    return truncated_ && (severity != Severity::kError || error_recorded_);
  }

  const Policy& policy_;
  Severity severity_[kRuleCount];
  std::vector<Finding> findings_;
  std::string entry_;
  size_t errors_ = 0;
  bool truncated_ = false;
  bool error_recorded_ = false;  // an error finding is in findings_
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_FINDINGS_FINDING_SINK_H_
