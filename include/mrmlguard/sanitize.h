/* SPDX-License-Identifier: BSD-3-Clause */
// File: sanitize.h
//
// Content disarm: rebuild a scene (.mrml) or bundle (.mrb) that Slicer still
// opens, with every construct a rule judges as an error neutralised by the
// rule's action (RuleInfo::sanitize_action, SanitizeAction in finding.h).
//
//   mrmlguard::SanitizeResult r = mrmlguard::Sanitize("in.mrml", "out.mrml", mrmlguard::Policy::Strict());
//   if (!r.status.ok())      { /* could not read IN or write OUT: r.status.message() */ }
//   else if (!r.written)     { /* refused, nothing written: r.refusal, r.blocking */ }
//   else for (const auto& c : r.changes) { /* rule_id, location, before, after */ }
//
// What it does:
//   - judges the input with `policy`; every finding at severity error is
//     mapped to its rule's action and its exact place (byte offset, or line,
//     node id and attribute); a rule whose action is kRefuse, or a finding
//     that cannot be placed exactly, refuses the whole input;
//   - rewrites the scene by splicing the original bytes: every byte outside
//     a changed attribute value or a dropped element is copied unchanged, so
//     untouched attributes keep their value, quoting and order;
//   - judges the result again, and repeats (a dropped node leaves references
//     to drop) at most kMaxSanitizeRounds times; the output is written only
//     when it is accepted under `policy`, otherwise nothing is written
//     (fail closed);
//   - writes OUT atomically (a temporary file in OUT's folder, renamed), never
//     over IN, and nothing else.
// An input accepted as it is comes back byte for byte, with no change listed.
// A bundle with an error is re-packed by the canonical ZIP writer (one top
// folder, stored or deflated entries, no extra fields, no data descriptors)
// from the validated bytes only: the main scene spliced, AppleDouble entries
// and entries a kDropEntry finding names left out.
// Nothing here throws or keeps global state.

#ifndef MRMLGUARD_SANITIZE_H_
#define MRMLGUARD_SANITIZE_H_

#include "mrmlguard/export.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mrmlguard/finding.h"
#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"

namespace mrmlguard {

// Judge-and-rewrite rounds before sanitize gives up (each round acts on what
// the previous one left, e.g. references to a node it dropped).
inline constexpr uint32_t kMaxSanitizeRounds = 8;

// One change sanitize made.
struct SanitizeChange {
  std::string_view rule_id;  // the rule whose finding asked for it; points into the rule table
  SanitizeAction action = SanitizeAction::kRefuse;
  // Where, in the input of the round that made it (the input itself in the
  // first round): entry, byte offset of the element or markup, line:column,
  // node id and attribute.
  Location location;
  std::string before;  // the attribute value, the element's start tag or the entry name (cut, as written)
  std::string after;   // the new value; empty when removed
};

struct SanitizeResult {
  Status status;         // not ok: IN could not be read, or OUT not written (I/O, bad arguments)
  bool written = false;  // OUT holds the sanitized file
  // Why nothing was written, when status is ok and written is false.
  std::string refusal;
  // The findings that have no safe rewrite (or could not be placed).
  std::vector<Finding> blocking;
  std::vector<SanitizeChange> changes;  // in the order made
  InputKind kind = InputKind::kUnknown;
  uint32_t rounds = 0;  // judgements of rewritten bytes
  Report input_report;  // the judgement of the input
  Report output_report; // the judgement of what was written (when written)

  bool changed() const { return !changes.empty(); }
};

// Sanitizes the file at `in_path` into `out_path` (see the file comment).
// Refuses (status kInvalidArgument) when OUT is IN or OUT's folder does not
// exist. Never throws.
MRMLGUARD_EXPORT SanitizeResult Sanitize(const std::string& in_path, const std::string& out_path,
                                         const Policy& policy);

// Sanitizes bytes held by the caller into `*output` (nothing is written to
// disk). `name_hint` is the name the output is judged under (its extension
// is cross-checked). *output is cleared and holds the result only when
// result.written is true.
MRMLGUARD_EXPORT SanitizeResult SanitizeBytes(const uint8_t* data, size_t size, std::string_view name_hint,
                                              const Policy& policy, std::string* output);

// The change report: one line per change ("RULE ACTION at LOCATION: BEFORE
// -> AFTER") and a verdict line, or a JSON document
// {"schema": "mrmlguard-sanitize", ...}. `in` and `out` name the files.
MRMLGUARD_EXPORT std::string FormatSanitizeText(const SanitizeResult& result, std::string_view in,
                                                std::string_view out);
MRMLGUARD_EXPORT std::string FormatSanitizeJson(const SanitizeResult& result, std::string_view in,
                                                std::string_view out);

}  // namespace mrmlguard

#endif  // MRMLGUARD_SANITIZE_H_
