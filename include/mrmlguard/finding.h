/* SPDX-License-Identifier: BSD-3-Clause */
// File: finding.h
//
// A Finding is one thing mrmlguard read and judged wrong (or worth a note):
// a stable rule id, a severity, where it is, and a concrete message.
// Findings are separate from Status, which says mrmlguard could not read the
// input at all (see report.h).

#ifndef MRMLGUARD_FINDING_H_
#define MRMLGUARD_FINDING_H_

#include "mrmlguard/export.h"
#include "mrmlguard/span.h"

#include <cstdint>
#include <optional>
#include <cstddef>
#include <string>
#include <string_view>

namespace mrmlguard {

// Severity of a finding. Any kError finding rejects the file.
enum class Severity : uint8_t {
  kOff = 0,   // only as a policy override: the rule is not reported
  kNote,      // informational
  kWarning,   // accepted, but worth a look
  kError,     // rejected
};

// Returns "off", "note", "warning" or "error".
MRMLGUARD_EXPORT std::string_view SeverityName(Severity severity);
// Parses a severity name; nullopt when unknown.
MRMLGUARD_EXPORT std::optional<Severity> ParseSeverity(std::string_view name);

// Where a finding is. Every field is optional; empty strings and zero mean
// "not known". Offsets and line numbers refer to the innermost document: the
// bundle entry when `entry` is set, otherwise the file itself.
struct Location {
  // Entry path inside the bundle; nested bundles are joined with '!':
  // "Scene/Data/seq.seq.mrb!Scene/Scene.mrml".
  std::string entry;
  // Byte offset in the file (or in the uncompressed entry), when known.
  std::optional<uint64_t> offset;
  uint32_t line = 0;    // 1-based; 0 = unknown
  uint32_t column = 0;  // 1-based; 0 = unknown
  std::string node_id;     // MRML node id, when the finding is about a node
  std::string attribute;   // attribute name, when about one attribute
};

struct Finding {
  std::string_view rule_id;  // stable, e.g. "zip.entry.path-traversal"; points into the rule table
  Severity severity = Severity::kError;
  Location location;
  // For programmers and operators: lowercase, concrete, with numbers; never
  // localised. Untrusted text from the file is quoted and escaped.
  std::string message;
  // The limit's name when the finding is a limit breach ("max_xml_depth").
  std::string_view limit;
};

// What `mrmlguard sanitize` (sanitize.h) does with a finding of a rule when
// it rebuilds a safe copy of the input. One per rule, in the rule table;
// docs/notes/sanitize.md gives the reason for each.
enum class SanitizeAction : uint8_t {
  kRefuse = 0,      // no safe rewrite: nothing is written (the default)
  kNone,            // nothing to rewrite; the check of the output decides (notes, name-only rules)
  kDropNode,        // remove the element and everything inside it; references to it are dropped after
  kDropAttribute,   // remove the attribute: Slicer keeps the class default
  kClearAttribute,  // set the attribute to "" (a uri, a storage path)
  kResetAttribute,  // set the attribute to its documented safe value (readState 0, persistent 0, ...)
  kReplaceFormat,   // replace a printf format by Slicer's default for that attribute
  kClamp,           // clamp a number to the range the registry gives the attribute
  kDropReference,   // remove the ids a reference attribute names that no node of the output has
  kDropMarkup,      // remove the comment, CDATA section or processing instruction
  kDropEntry,       // leave the bundle entry out of the re-packed bundle
  kReplaceDeclaration,  // write the XML declaration as <?xml version="1.0" encoding="UTF-8"?>
};

// Returns "refuse", "none", "drop-node", "drop-attribute", "clear-attribute",
// "reset-attribute", "replace-format", "clamp", "drop-reference",
// "drop-markup", "drop-entry" or "replace-declaration".
MRMLGUARD_EXPORT std::string_view SanitizeActionName(SanitizeAction action);

// Describes one rule of the rule table.
struct RuleInfo {
  std::string_view id;
  Severity default_severity;  // in the default profile
  Severity strict_severity;   // in the strict profile
  std::string_view summary;   // one line
  SanitizeAction sanitize_action = SanitizeAction::kRefuse;  // what sanitize does with a finding
};

#if MRMLGUARD_HAS_STD_SPAN
// Returns every rule, in table order.
MRMLGUARD_EXPORT std::span<const RuleInfo> AllRules();
#endif
// The same for C++17: the first rule, and the number of rules in *count.
MRMLGUARD_EXPORT const RuleInfo* AllRules(size_t* count);
// Returns the rule with this id, or nullptr.
MRMLGUARD_EXPORT const RuleInfo* FindRule(std::string_view id);

}  // namespace mrmlguard

#endif  // MRMLGUARD_FINDING_H_
