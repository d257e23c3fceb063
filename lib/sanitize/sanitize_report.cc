// SPDX-License-Identifier: BSD-3-Clause
// The change report of sanitize, as text and as JSON (sanitize.h).

#include <string>
#include <string_view>

#include "mrmlguard/sanitize.h"
#include "mrmlguard/version.h"
#include "report/escape.h"
#include "report/format_common.h"
#include "report/json_writer.h"

namespace mrmlguard {
namespace {

using internal::JsonWriter;

constexpr uint64_t kSchemaVersion = 1;


std::string Where(std::string_view path, const Location& loc) {
  std::string out = internal::ForTerminal(path);
  if (!loc.entry.empty()) out += "!" + internal::ForTerminal(loc.entry);
  out += internal::PositionSuffix(loc);
  out += internal::NodeContext(loc);
  return out;
}

std::string_view Outcome(const SanitizeResult& r) {
  if (!r.status.ok()) return "error";
  if (!r.written) return "refused";
  return r.changed() ? "written" : "unchanged";
}

}  // namespace

std::string FormatSanitizeText(const SanitizeResult& r, std::string_view in, std::string_view out) {
  std::string text;
  for (const SanitizeChange& c : r.changes) {
    text += std::string(c.rule_id) + " " + std::string(SanitizeActionName(c.action)) + " at " + Where(in, c.location) +
            ": \"" + internal::ForTerminal(c.before) + "\" -> \"" + internal::ForTerminal(c.after) + "\"\n";
  }
  for (const Finding& f : r.blocking) {
    text += "blocked by " + std::string(f.rule_id) + " at " + Where(in, f.location) + ": " +
            internal::ForTerminal(f.message) + "\n";
  }
  const std::string from = internal::ForTerminal(in);
  const std::string to = internal::ForTerminal(out);
  if (!r.status.ok()) {
    text += from + ": " + internal::StatusPhrase(r.status) + "; nothing written\n";
  } else if (!r.written) {
    text += from + ": refused, nothing written: " + internal::ForTerminal(r.refusal) + "\n";
  } else if (r.changed()) {
    text += from + ": sanitized into " + to + " (" + std::to_string(r.changes.size()) + " change" +
            (r.changes.size() == 1 ? "" : "s") + ")\n";
  } else {
    text += from + ": accepted as it is, copied unchanged to " + to + "\n";
  }
  return text;
}

std::string FormatSanitizeJson(const SanitizeResult& r, std::string_view in, std::string_view out) {
  JsonWriter w;
  w.BeginObject();
  w.Field("schema", "mrmlguard-sanitize");
  w.FieldUint("version", kSchemaVersion);
  w.Key("tool");
  w.BeginObject();
  w.Field("name", "mrmlguard");
  w.Field("version", Version());
  w.EndObject();
  w.Field("input", in);
  w.Field("output", out);
  w.Field("kind", internal::InputKindName(r.kind));
  w.Field("outcome", Outcome(r));
  w.FieldBool("written", r.written);
  if (!r.status.ok()) {
    w.Field("status", StatusCodeName(r.status.code()));
    w.Field("error", r.status.message());
  }
  if (!r.refusal.empty()) w.Field("refusal", r.refusal);
  w.FieldUint("rounds", r.rounds);
  w.Key("changes");
  w.BeginArray();
  for (const SanitizeChange& c : r.changes) {
    w.BeginObject();
    w.Field("rule", c.rule_id);
    w.Field("action", SanitizeActionName(c.action));
    internal::WriteLocationJson(&w, c.location);
    w.Field("before", c.before);
    w.Field("after", c.after);
    w.EndObject();
  }
  w.EndArray();
  w.Key("blocking");
  w.BeginArray();
  for (const Finding& f : r.blocking) {
    w.BeginObject();
    w.Field("rule", f.rule_id);
    w.Field("severity", SeverityName(f.severity));
    internal::WriteLocationJson(&w, f.location);
    w.Field("message", f.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Finish();
}

}  // namespace mrmlguard
