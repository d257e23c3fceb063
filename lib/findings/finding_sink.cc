// SPDX-License-Identifier: BSD-3-Clause
#include "findings/finding_sink.h"

#include <string>

namespace mrmlguard::internal {

FindingSink::FindingSink(const Policy& policy) : policy_(policy) {
  for (size_t i = 0; i < kRuleCount; ++i) {
    severity_[i] = policy_.SeverityOf(InfoOf(static_cast<Rule>(i)).id);
  }
}

Severity FindingSink::SeverityOf(Rule rule) const { return severity_[static_cast<size_t>(rule)]; }

bool FindingSink::Enabled(Rule rule) const { return SeverityOf(rule) != Severity::kOff; }

void FindingSink::Add(Rule rule, Location where, std::string message) {
  Severity severity = SeverityOf(rule);
  if (severity == Severity::kOff) return;
  // Errors are counted even past the cap so the verdict never depends on it.
  if (severity == Severity::kError) ++errors_;
  if (Full(severity)) return;
  Record(Finding{.rule_id = InfoOf(rule).id,
                 .severity = severity,
                 .location = std::move(where),
                 .message = std::move(message),
                 .limit = {}});
}

void FindingSink::Record(Finding finding) {
  const uint64_t cap = policy_.limits.max_findings;
  const bool error = finding.severity == Severity::kError;
  if (cap == 0 || Full(finding.severity)) {
    truncated_ = true;
    return;
  }
  Location& where = finding.location;
  if (where.entry.empty()) {
    where.entry = entry_;
  } else if (!entry_.empty()) {
    where.entry = entry_ + "!" + where.entry;
  }
  if (!truncated_ && findings_.size() + 1 >= cap) {
    // The last slot says the list was cut, so the cap is never silent.
    truncated_ = true;
    findings_.push_back(Finding{
        .rule_id = InfoOf(Rule::kInputFindingsTruncated).id,
        .severity = Severity::kNote,
        .location = {},
        .message = "limit max_findings (" + std::to_string(cap) + ") reached; later findings not recorded but the "
                   "first error",
        .limit = "max_findings",
    });
    if (!error || error_recorded_) return;  // the first error goes after the note
  }
  error_recorded_ = error_recorded_ || error;
  findings_.push_back(std::move(finding));
}

void FindingSink::Absorb(FindingSink& other) {
  errors_ += other.errors_;
  for (Finding& f : other.findings_) {
    if (f.rule_id == InfoOf(Rule::kInputFindingsTruncated).id && f.limit == "max_findings") {
      // `other` ran out of room: so does the combined list.
      if (!truncated_) {
        Record(Finding{.rule_id = f.rule_id, .severity = Severity::kNote, .location = {},
                       .message = std::move(f.message), .limit = f.limit});
        truncated_ = true;
      }
      continue;  // what follows the note is the first error past `other`'s cap
    }
    Record(std::move(f));
  }
  other.findings_.clear();
  other.errors_ = 0;
  other.truncated_ = false;
}

void FindingSink::LimitReached(Rule rule, std::string_view limit_name, uint64_t limit_value,
                               Location where, std::string_view detail) {
  std::string message = "limit " + std::string(limit_name) + " (" + std::to_string(limit_value) + ") reached";
  if (!detail.empty()) {
    message += ' ';
    message += detail;
  }
  size_t before = findings_.size();
  Add(rule, std::move(where), std::move(message));
  if (findings_.size() > before && findings_.back().limit.empty()) {
    // limit_name may point at caller memory; the canonical copy lives in the limits table.
    for (const LimitInfo& info : AllLimits()) {
      if (info.name == limit_name) findings_.back().limit = info.name;
    }
  }
}

FindingSink::EntryScope::EntryScope(FindingSink* sink, std::string_view entry)
    : sink_(sink), saved_length_(sink->entry_.size()) {
  if (!sink_->entry_.empty()) sink_->entry_ += '!';
  sink_->entry_ += entry;
}

FindingSink::EntryScope::~EntryScope() { sink_->entry_.resize(saved_length_); }

}  // namespace mrmlguard::internal
