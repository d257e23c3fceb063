// SPDX-License-Identifier: BSD-3-Clause
// The SARIF 2.1.0 writer (OASIS sarif-v2.1.0, §3), shaped for GitHub code
// scanning: every result has exactly one location whose artifactLocation.uri
// is the scanned file (relative URI as given, file:// for an absolute path)
// and a region with startLine, which GitHub requires to show an alert.
//
// A finding inside a bundle entry has line:column in the *entry*, which is
// compressed inside the .mrb: pointing a region of the .mrb at them would be
// false, so such results get region.startLine 1, the entry as a logical
// location (and in result.properties), and "entry:line:col: " in front of the
// message, which is what a reader of the alert sees.

#include <map>
#include <string>
#include <vector>

#include "mrmlguard/format.h"
#include "mrmlguard/version.h"
#include "report/escape.h"
#include "report/format_common.h"
#include "report/json_writer.h"
#include "report/rule_help.h"
#include "report/streams.h"

namespace mrmlguard {
namespace {

using internal::JsonWriter;

constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

// SARIF §3.27.10: level is "none", "note", "warning" or "error".
std::string_view Level(Severity severity) {
  switch (severity) {
    case Severity::kOff: return "none";
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "error";
}

std::string ArtifactUri(std::string_view path) {
  std::string uri;
  if (path.empty()) return "unnamed-input";
  if (path.front() == '/') {
    uri = "file://";
  } else {
    while (path.starts_with("./")) path.remove_prefix(2);
  }
  internal::AppendUriPath(&uri, path);
  return uri;
}

// "zip.entry.path-traversal" -> "ZipEntryPathTraversal" (SARIF §3.49.7: a
// readable identifier beside the opaque id).
std::string RuleName(std::string_view id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (c == '.' || c == '-') {
      upper = true;
      continue;
    }
    name.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    upper = false;
  }
  return name;
}

void WriteMessage(JsonWriter* w, std::string_view text) {
  w->Key("message");
  w->BeginObject();
  w->Field("text", text);
  w->EndObject();
}

void WriteArtifactLocation(JsonWriter* w, std::string_view path, size_t index) {
  w->Key("artifactLocation");
  w->BeginObject();
  w->Field("uri", ArtifactUri(path));
  w->FieldUint("index", index);
  w->EndObject();
}

void WriteDriver(JsonWriter* w) {
  w->Key("tool");
  w->BeginObject();
  w->Key("driver");
  w->BeginObject();
  w->Field("name", "mrmlguard");
  w->Field("version", Version());
  w->Field("semanticVersion", Version());
  w->Field("informationUri", internal::kHomepage);
  w->Key("rules");
  w->BeginArray();
  for (const RuleInfo& rule : AllRules()) {
    const std::string help = internal::RuleHelpText(rule);
    w->BeginObject();
    w->Field("id", rule.id);
    w->Field("name", RuleName(rule.id));
    w->Key("shortDescription");
    w->BeginObject();
    w->Field("text", rule.summary);
    w->EndObject();
    w->Key("fullDescription");
    w->BeginObject();
    w->Field("text", help);
    w->EndObject();
    // GitHub shows `help` in the alert's panel and links `helpUri`.
    w->Field("helpUri", internal::RuleHelpUri(rule.id));
    w->Key("help");
    w->BeginObject();
    w->Field("text", help);
    w->Field("markdown", help + " See [" + std::string(rule.id) + "](" + internal::RuleHelpUri(rule.id) + ").");
    w->EndObject();
    w->Key("defaultConfiguration");
    w->BeginObject();
    w->Field("level", Level(rule.default_severity));
    if (rule.default_severity == Severity::kOff) w->FieldBool("enabled", false);
    w->EndObject();
    w->Key("properties");
    w->BeginObject();
    w->Field("strictLevel", Level(rule.strict_severity));
    // GitHub code scanning rates alerts from this (critical, high, ...).
    w->Field("security-severity", internal::RuleSecuritySeverity(rule));
    w->Key("tags");
    w->BeginArray();
    w->String("security");
    w->EndArray();
    w->EndObject();
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
  w->EndObject();
}

// Index of the rule in the driver's rules array, or -1 (a finding with an id
// the table does not hold: still reported, only without ruleIndex).
long RuleIndex(std::string_view id) {
  const auto rules = AllRules();
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].id == id) return static_cast<long>(i);
  }
  return -1;
}

// The identity of a finding within its file, for partialFingerprints: rule,
// entry, position, node and attribute, but not the message (which carries
// counts that change between versions). FNV-1a, 64 bits, in hex.
std::string LocationHash(const Finding& f) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  auto mix = [&hash](std::string_view part) {
    for (char ch : part) {
      hash ^= static_cast<uint8_t>(ch);
      hash *= 0x100000001b3ULL;
    }
    hash ^= 0xff;  // separator: ("ab","c") and ("a","bc") differ
    hash *= 0x100000001b3ULL;
  };
  const Location& loc = f.location;
  mix(f.rule_id);
  mix(loc.entry);
  mix(std::to_string(loc.line));
  mix(std::to_string(loc.column));
  mix(loc.offset ? std::to_string(*loc.offset) : std::string());
  mix(loc.node_id);
  mix(loc.attribute);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) text[static_cast<size_t>(i)] = kHex[hash & 0xf];
  return text;
}

// `fingerprint` tells findings of one file apart (GitHub adds the file).
void WriteResult(JsonWriter* w, const Finding& f, const Report& r, size_t artifact_index,
                 std::string_view fingerprint) {
  const Location& loc = f.location;
  const bool in_entry = !loc.entry.empty();

  // The message carries what the region cannot: the entry and its position,
  // or a byte offset, and the node context.
  std::string text;
  if (in_entry) {
    internal::AppendForTerminal(&text, loc.entry);
    text += internal::PositionSuffix(loc);
    text += ": ";
  } else if (loc.line == 0 && loc.offset.has_value()) {
    text += "at byte " + std::to_string(*loc.offset) + ": ";
  }
  text += f.message;
  text += internal::NodeContext(loc);

  w->BeginObject();
  w->Field("ruleId", f.rule_id);
  if (long index = RuleIndex(f.rule_id); index >= 0) w->FieldUint("ruleIndex", static_cast<uint64_t>(index));
  w->Field("level", Level(f.severity));
  WriteMessage(w, text);

  w->Key("locations");
  w->BeginArray();
  w->BeginObject();
  w->Key("physicalLocation");
  w->BeginObject();
  WriteArtifactLocation(w, r.path, artifact_index);
  w->Key("region");
  w->BeginObject();
  if (!in_entry && loc.line > 0) {
    w->FieldUint("startLine", loc.line);
    if (loc.column > 0) w->FieldUint("startColumn", loc.column);
  } else {
    w->FieldUint("startLine", 1);
  }
  w->EndObject();
  w->EndObject();
  if (in_entry || !loc.node_id.empty() || !loc.attribute.empty()) {
    // SARIF §3.33: logical locations name things that are not files; the
    // bundle entry is a resource inside the artifact, the node an element.
    w->Key("logicalLocations");
    w->BeginArray();
    if (in_entry) {
      w->BeginObject();
      w->Field("name", loc.entry);
      w->Field("fullyQualifiedName", r.path + "!" + loc.entry);
      w->Field("kind", "resource");
      w->EndObject();
    }
    if (!loc.node_id.empty()) {
      w->BeginObject();
      w->Field("name", loc.node_id);
      w->Field("kind", "element");
      w->EndObject();
    }
    if (!loc.attribute.empty()) {
      w->BeginObject();
      w->Field("name", loc.attribute);
      if (!loc.node_id.empty()) w->Field("fullyQualifiedName", loc.node_id + "/@" + loc.attribute);
      w->Field("kind", "attribute");
      w->EndObject();
    }
    w->EndArray();
  }
  w->EndObject();
  w->EndArray();

  w->Key("partialFingerprints");
  w->BeginObject();
  w->Field("mrmlguardLocation/v1", fingerprint);
  w->EndObject();

  // The exact position again, machine-readable (mrmlguard's own property bag).
  w->Key("properties");
  w->BeginObject();
  if (in_entry) w->Field("entry", loc.entry);
  if (loc.line > 0) w->FieldUint("line", loc.line);
  if (loc.column > 0) w->FieldUint("column", loc.column);
  if (loc.offset.has_value()) w->FieldUint("byteOffset", *loc.offset);
  if (!loc.node_id.empty()) w->Field("nodeId", loc.node_id);
  if (!loc.attribute.empty()) w->Field("attribute", loc.attribute);
  if (!f.limit.empty()) w->Field("limit", f.limit);
  w->EndObject();
  w->EndObject();
}

}  // namespace

namespace internal {

struct SarifRun::State {
  uint64_t max_results = 0;
  JsonWriter w;
  std::vector<std::string> artifact_uris;  // one per file, in order
  struct Unreadable {
    size_t index;
    std::string path;
    Status status;
  };
  std::vector<Unreadable> unreadable;
  uint64_t written = 0;
  uint64_t omitted_errors = 0;
  uint64_t omitted_others = 0;
};

SarifRun::SarifRun(uint64_t max_results) : state_(std::make_unique<State>()) { state_->max_results = max_results; }
SarifRun::~SarifRun() = default;

std::string SarifRun::Begin() {
  JsonWriter& w = state_->w;
  w.BeginObject();
  w.Field("$schema", kSarifSchema);
  w.Field("version", "2.1.0");
  w.Key("runs");
  w.BeginArray();
  w.BeginObject();
  WriteDriver(&w);
  w.Key("results");
  w.BeginArray();
  return w.TakeOutput();
}

std::string SarifRun::Add(const Report& r) {
  State& s = *state_;
  const size_t index = s.artifact_uris.size();
  s.artifact_uris.push_back(ArtifactUri(r.path));
  if (!r.status.ok()) s.unreadable.push_back({index, r.path, r.status});
  // Two findings with the same identity in one file get ":2", ":3", ...
  std::map<std::string, uint64_t> seen;
  const uint64_t reserve_for_errors = s.max_results / 10;
  for (const Finding& f : r.findings) {
    const bool is_error = f.severity == Severity::kError;
    if (s.max_results != 0 && s.written >= s.max_results - (is_error ? 0 : reserve_for_errors)) {
      ++(is_error ? s.omitted_errors : s.omitted_others);
      continue;
    }
    std::string fingerprint = LocationHash(f);
    const uint64_t n = ++seen[fingerprint];
    if (n > 1) fingerprint += ":" + std::to_string(n);
    WriteResult(&s.w, f, r, index, fingerprint);
    ++s.written;
  }
  return s.w.TakeOutput();
}

std::string SarifRun::End() {
  State& s = *state_;
  JsonWriter& w = s.w;
  w.EndArray();  // results

  w.Key("artifacts");
  w.BeginArray();
  for (const std::string& uri : s.artifact_uris) {
    w.BeginObject();
    w.Key("location");
    w.BeginObject();
    w.Field("uri", uri);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();

  // Files that could not be judged have no findings to show; SARIF §3.20
  // reports them as tool execution notifications of a failed invocation.
  w.Key("invocations");
  w.BeginArray();
  w.BeginObject();
  w.FieldBool("executionSuccessful", s.unreadable.empty());
  w.Key("toolExecutionNotifications");
  w.BeginArray();
  for (const State::Unreadable& u : s.unreadable) {
    w.BeginObject();
    w.Field("level", "error");
    WriteMessage(&w, ForTerminal(u.path) + ": " + StatusPhrase(u.status));
    w.Key("descriptor");
    w.BeginObject();
    w.Field("id", StatusCodeName(u.status.code()));
    w.EndObject();
    w.Key("locations");
    w.BeginArray();
    w.BeginObject();
    w.Key("physicalLocation");
    w.BeginObject();
    WriteArtifactLocation(&w, u.path, u.index);
    w.EndObject();
    w.EndObject();
    w.EndArray();
    w.EndObject();
  }
  const uint64_t omitted = s.omitted_errors + s.omitted_others;
  if (omitted > 0) {
    w.BeginObject();
    w.Field("level", "warning");
    WriteMessage(&w, std::to_string(omitted) + " results left out (" + std::to_string(s.omitted_errors) +
                         " errors, " + std::to_string(s.omitted_others) +
                         " warnings and notes): this run holds at most " + std::to_string(s.max_results) +
                         " results (--max-results); the JSON report holds every finding");
    w.Key("descriptor");
    w.BeginObject();
    w.Field("id", "results-truncated");
    w.EndObject();
    w.Key("properties");
    w.BeginObject();
    w.FieldUint("maxResults", s.max_results);
    w.FieldUint("omittedErrors", s.omitted_errors);
    w.FieldUint("omittedWarningsAndNotes", s.omitted_others);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();  // invocations

  w.EndObject();
  w.EndArray();  // runs
  w.EndObject();
  return w.Finish();
}

}  // namespace internal

std::string FormatSarif(const Report* reports, size_t count) {
  return FormatSarif(reports == nullptr ? std::span<const Report>() : std::span<const Report>(reports, count));
}

std::string FormatSarif(std::span<const Report> reports) {
  internal::SarifRun run(0);
  std::string out = run.Begin();
  for (const Report& r : reports) out += run.Add(r);
  out += run.End();
  return out;
}

}  // namespace mrmlguard
