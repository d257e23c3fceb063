// SPDX-License-Identifier: BSD-3-Clause
// The compiler-style text writer, and the text forms of the rule and limit
// tables. Everything taken from a report goes through ForTerminal: paths,
// entry names, node ids and messages may all hold bytes from the file.

#include <algorithm>
#include <string>

#include "findings/quote.h"
#include "mrmlguard/format.h"
#include "mrmlguard/limits.h"
#include "report/escape.h"
#include "report/format_common.h"

namespace mrmlguard {
namespace internal {

std::string_view InputKindName(InputKind kind) {
  switch (kind) {
    case InputKind::kBundle: return "bundle";
    case InputKind::kScene: return "scene";
    case InputKind::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string PositionSuffix(const Location& location) {
  std::string out;
  if (location.line > 0) {
    out += ':' + std::to_string(location.line);
    if (location.column > 0) out += ':' + std::to_string(location.column);
  } else if (location.offset.has_value()) {
    out += '@' + std::to_string(*location.offset);
  }
  return out;
}

std::string NodeContext(const Location& location) {
  if (location.node_id.empty() && location.attribute.empty()) return {};
  // Quote (the findings layer's quoting for messages) escapes quotes and C0
  // controls and cuts long values; ForTerminal then neutralises what Quote
  // lets through as valid UTF-8 (C1 and bidi controls).
  std::string out = " (";
  if (!location.node_id.empty()) {
    out += "node ";
    AppendForTerminal(&out, Quote(location.node_id));
  }
  if (!location.attribute.empty()) {
    if (!location.node_id.empty()) out += ", ";
    out += "attribute ";
    AppendForTerminal(&out, Quote(location.attribute));
  }
  out += ')';
  return out;
}

std::string CountsPhrase(const Report& report) {
  std::string out;
  auto add = [&](Severity severity, std::string_view word) {
    const size_t n = report.Count(severity);
    if (n == 0) return;
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + ' ' + std::string(word) + (n == 1 ? "" : "s");
  };
  add(Severity::kError, "error");
  add(Severity::kWarning, "warning");
  add(Severity::kNote, "note");
  return out;
}

std::string StatusPhrase(const Status& status) {
  std::string out;
  switch (status.code()) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kIoError:
    case StatusCode::kEmptyInput: out = "cannot read: "; break;
    case StatusCode::kInvalidArgument: out = "invalid argument: "; break;
    case StatusCode::kInternal: out = "internal error (a bug in mrmlguard, please report it): "; break;
  }
  if (status.message().empty()) {
    out += StatusCodeName(status.code());
  } else {
    AppendForTerminal(&out, status.message());
  }
  return out;
}

bool IsByteLimit(std::string_view name) { return name.ends_with("_bytes"); }

std::string LimitValueText(uint64_t value, bool bytes) {
  if (bytes && value != 0) {
    if (value % (1ull << 30) == 0) return std::to_string(value >> 30) + 'G';
    if (value % (1ull << 20) == 0) return std::to_string(value >> 20) + 'M';
    if (value % (1ull << 10) == 0) return std::to_string(value >> 10) + 'K';
  }
  return std::to_string(value);
}

}  // namespace internal

std::string FormatText(const Report& report, bool quiet) {
  using internal::AppendForTerminal;
  const bool readable = report.status.ok();
  if (quiet && report.accepted()) return {};

  std::string out;
  const std::string path = internal::ForTerminal(report.path);
  for (const Finding& f : report.findings) {
    if (quiet && f.severity != Severity::kError) continue;
    out += path;
    if (!f.location.entry.empty()) {
      out += '!';
      AppendForTerminal(&out, f.location.entry);
    }
    out += internal::PositionSuffix(f.location);
    out += ": ";
    out += SeverityName(f.severity);
    out += ": ";
    AppendForTerminal(&out, f.message);
    out += internal::NodeContext(f.location);
    out += " [";
    AppendForTerminal(&out, f.rule_id);
    out += "]\n";
  }

  out += path;
  if (!readable) {
    out += ": error: " + internal::StatusPhrase(report.status) + '\n';
    return out;
  }
  const std::string counts = internal::CountsPhrase(report);
  if (report.accepted()) {
    out += ": accepted";
    if (!counts.empty()) out += " (" + counts + ')';
  } else {
    // A rejection always says how many errors, even zero (which would mean a
    // finding was dropped after max_findings, or a bug: never hide it).
    out += ": rejected (";
    if (report.Count(Severity::kError) == 0) out += counts.empty() ? "0 errors" : "0 errors, ";
    out += counts + ')';
  }
  out += '\n';
  return out;
}

std::string FormatRulesText() {
  size_t id_width = 0;
  for (const RuleInfo& rule : AllRules()) id_width = std::max(id_width, rule.id.size());
  std::string out;
  auto pad = [&](std::string_view text, size_t width) {
    out += text;
    out.append(width > text.size() ? width - text.size() : 0, ' ');
  };
  pad("RULE", id_width + 2);
  pad("DEFAULT", 9);
  pad("STRICT", 9);
  pad("SANITIZE", 17);
  out += "DESCRIPTION\n";
  for (const RuleInfo& rule : AllRules()) {
    pad(rule.id, id_width + 2);
    pad(SeverityName(rule.default_severity), 9);
    pad(SeverityName(rule.strict_severity), 9);
    pad(SanitizeActionName(rule.sanitize_action), 17);
    out += rule.summary;
    out += '\n';
  }
  return out;
}

std::string FormatLimitsText() {
  size_t name_width = 0;
  for (const LimitInfo& limit : AllLimits()) name_width = std::max(name_width, limit.name.size());
  std::string out;
  auto pad = [&](std::string_view text, size_t width) {
    out += text;
    out.append(width > text.size() ? width - text.size() : 0, ' ');
  };
  pad("LIMIT", name_width + 2);
  pad("DEFAULT", 10);
  pad("STRICT", 10);
  out += "WHAT IT BOUNDS\n";
  for (const LimitInfo& limit : AllLimits()) {
    const bool bytes = internal::IsByteLimit(limit.name);
    pad(limit.name, name_width + 2);
    pad(internal::LimitValueText(limit.default_value, bytes), 10);
    pad(internal::LimitValueText(limit.strict_value, bytes), 10);
    out += limit.description;
    out += '\n';
  }
  out += "\nSet one with --limit NAME=VALUE (K, M, G = powers of 1024). Each is an inclusive maximum.\n";
  return out;
}

}  // namespace mrmlguard
