// SPDX-License-Identifier: BSD-3-Clause
// The JSON writer (schema: docs/json-schema.md) and the JSON forms of the rule
// and limit tables. Bump kSchemaVersion whenever a field changes meaning or
// disappears; adding a field does not bump it.

#include <string>

#include "mrmlguard/format.h"
#include "mrmlguard/limits.h"
#include "mrmlguard/version.h"
#include "report/format_common.h"
#include "report/json_writer.h"
#include "report/streams.h"

namespace mrmlguard {
namespace {

constexpr uint64_t kSchemaVersion = 1;

using internal::JsonWriter;

void WriteTool(JsonWriter* w) {
  w->Key("tool");
  w->BeginObject();
  w->Field("name", "mrmlguard");
  w->Field("version", Version());
  w->EndObject();
}

}  // namespace

namespace internal {

void WriteLocationJson(JsonWriter* w, const Location& loc) {
  w->Key("location");
  w->BeginObject();
  if (!loc.entry.empty()) w->Field("entry", loc.entry);
  if (loc.offset.has_value()) w->FieldUint("offset", *loc.offset);
  if (loc.line > 0) w->FieldUint("line", loc.line);
  if (loc.column > 0) w->FieldUint("column", loc.column);
  if (!loc.node_id.empty()) w->Field("node_id", loc.node_id);
  if (!loc.attribute.empty()) w->Field("attribute", loc.attribute);
  w->EndObject();
}

void WriteJsonReport(JsonWriter* w, const Report& r) {
  w->BeginObject();
  w->Field("path", r.path);
  w->Field("kind", internal::InputKindName(r.kind));
  w->Field("status", StatusCodeName(r.status.code()));
  w->Field("status_message", r.status.message());
  w->Field("verdict", r.accepted() ? "accepted" : "rejected");
  w->Key("main_scene");
  if (r.main_scene.empty()) {
    w->Null();
  } else {
    w->String(r.main_scene);
  }
  w->Key("counts");
  w->BeginObject();
  w->FieldUint("error", r.Count(Severity::kError));
  w->FieldUint("warning", r.Count(Severity::kWarning));
  w->FieldUint("note", r.Count(Severity::kNote));
  w->EndObject();
  w->Key("stats");
  w->BeginObject();
  w->FieldUint("bytes_read", r.stats.bytes_read);
  w->FieldUint("bytes_inflated", r.stats.bytes_inflated);
  w->FieldUint("entries", r.stats.entries);
  w->FieldUint("nodes", r.stats.nodes);
  w->FieldUint("data_files", r.stats.data_files);
  w->FieldUint("elapsed_microseconds", r.stats.elapsed_microseconds);
  w->EndObject();
  w->Key("findings");
  w->BeginArray();
  for (const Finding& f : r.findings) {
    w->BeginObject();
    w->Field("rule", f.rule_id);
    w->Field("severity", SeverityName(f.severity));
    WriteLocationJson(w, f.location);
    w->Field("message", f.message);
    if (!f.limit.empty()) w->Field("limit", f.limit);
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
}

// The document is written in the order a stream can produce it: the files
// as they are judged, the summary (which needs them all) last. Readers look
// keys up by name (docs/json-schema.md), so the order is not part of the schema.
void BeginJsonDocument(JsonWriter* w) {
  w->BeginObject();
  w->Field("schema", "mrmlguard-report");
  w->FieldUint("version", kSchemaVersion);
  WriteTool(w);
  w->Key("files");
  w->BeginArray();
}

void EndJsonDocument(JsonWriter* w, const BatchCounts& counts) {
  w->EndArray();
  w->Key("summary");
  w->BeginObject();
  w->FieldUint("files", counts.files);
  w->FieldUint("accepted", counts.accepted);
  w->FieldUint("rejected", counts.rejected);
  w->FieldUint("unreadable", counts.unreadable);
  w->EndObject();
  w->EndObject();
}

}  // namespace internal

std::string FormatJson(const Report* reports, size_t count) {
  return FormatJson(reports == nullptr ? std::span<const Report>() : std::span<const Report>(reports, count));
}

std::string FormatJson(std::span<const Report> reports) {
  BatchCounts counts;
  JsonWriter w;
  internal::BeginJsonDocument(&w);
  for (const Report& r : reports) {
    counts.Add(r);
    internal::WriteJsonReport(&w, r);
  }
  internal::EndJsonDocument(&w, counts);
  return w.Finish();
}

std::string FormatRulesJson() {
  JsonWriter w;
  w.BeginObject();
  w.Field("schema", "mrmlguard-rules");
  w.FieldUint("version", kSchemaVersion);
  WriteTool(&w);
  w.Key("rules");
  w.BeginArray();
  for (const RuleInfo& rule : AllRules()) {
    w.BeginObject();
    w.Field("id", rule.id);
    w.Field("default", SeverityName(rule.default_severity));
    w.Field("strict", SeverityName(rule.strict_severity));
    w.Field("sanitize", SanitizeActionName(rule.sanitize_action));
    w.Field("summary", rule.summary);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Finish();
}

std::string FormatLimitsJson() {
  JsonWriter w;
  w.BeginObject();
  w.Field("schema", "mrmlguard-limits");
  w.FieldUint("version", kSchemaVersion);
  WriteTool(&w);
  w.Key("limits");
  w.BeginArray();
  for (const LimitInfo& limit : AllLimits()) {
    w.BeginObject();
    w.Field("name", limit.name);
    w.FieldUint("default", limit.default_value);
    w.FieldUint("strict", limit.strict_value);
    w.FieldBool("bytes", internal::IsByteLimit(limit.name));
    w.Field("description", limit.description);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Finish();
}

}  // namespace mrmlguard
