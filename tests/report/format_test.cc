// SPDX-License-Identifier: BSD-3-Clause
// The text, JSON, SARIF and Markdown writers over hand-built reports,
// hostile strings included: exact text lines, and JSON/SARIF that a strict
// parser accepts and that hold the fields their schemas promise.

#include "mrmlguard/format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mrmlguard/limits.h"
#include "report/strict_json.h"

namespace mrmlguard {
namespace {

using testing::JsonValue;
using testing::StrictJsonParser;

// Every hostile thing a file could put in a report: terminal escapes, newlines
// (a forged second report line), bidi overrides, quotes, NUL, invalid UTF-8.
const std::string kHostile = std::string("\x1b[2J\n/etc/passwd:1:1: error: forged [x]\r\"\\\0", 44) +
                             "\xe2\x80\xae\xc2\x9b\xff\xed\xa0\x80\xf0\x9f";

Finding MakeFinding(std::string_view rule, Severity severity, Location location, std::string message,
                    std::string_view limit = {}) {
  Finding f;
  f.rule_id = rule;
  f.severity = severity;
  f.location = std::move(location);
  f.message = std::move(message);
  f.limit = limit;
  return f;
}

Report RejectedBundle() {
  Report r;
  r.path = "case.mrb";
  r.kind = InputKind::kBundle;
  r.verdict = Verdict::kRejected;
  r.main_scene = "Scene/Scene.mrml";
  r.stats.bytes_read = 1234;
  r.stats.entries = 3;
  r.findings.push_back(MakeFinding("zip.entry.path-traversal", Severity::kError, {.offset = 120},
                                   "entry \"a/../../x\" climbs 1 level above the bundle root"));
  r.findings.push_back(MakeFinding(
      "mrml.storage.uri", Severity::kError,
      {.entry = "Scene/Scene.mrml", .line = 12, .column = 3, .node_id = "vtkMRMLVolumeArchetypeStorageNode1",
       .attribute = "uri"},
      "storage uri \"http://x\" is fetched on load"));
  r.findings.push_back(MakeFinding("bundle.layout", Severity::kWarning, {.entry = "Scene/Data/a.nrrd", .offset = 7},
                                   "odd layout"));
  r.findings.push_back(MakeFinding("xml.limit-exceeded", Severity::kError, {.entry = "Scene/Scene.mrml", .line = 40},
                                   "limit max_xml_depth (64) reached", "max_xml_depth"));
  r.findings.push_back(MakeFinding("mrml.version", Severity::kNote, {}, "unknown version"));
  return r;
}

Report AcceptedScene() {
  Report r;
  r.path = "corpus/real/scene.mrml";
  r.kind = InputKind::kScene;
  r.verdict = Verdict::kAccepted;
  r.findings.push_back(MakeFinding("mrml.reference.dangling", Severity::kWarning,
                                   {.line = 5, .column = 9, .node_id = "vtkMRMLModelNode4"},
                                   "reference to \"vtkMRMLX\" not in the file"));
  return r;
}

Report Unreadable() {
  Report r;
  r.path = "missing.mrb";
  r.status = Status(StatusCode::kIoError, "No such file or directory");
  return r;
}

Report HostileReport() {
  Report r;
  r.path = kHostile;
  r.kind = InputKind::kBundle;
  r.main_scene = kHostile;
  r.findings.push_back(MakeFinding(
      "zip.entry.name-charset", Severity::kError,
      {.entry = kHostile, .offset = 1, .line = 2, .column = 3, .node_id = kHostile, .attribute = kHostile}, kHostile));
  return r;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

JsonValue ParseOrFail(const std::string& doc) {
  JsonValue v;
  StrictJsonParser parser;
  EXPECT_TRUE(parser.Parse(doc, &v)) << parser.error();
  return v;
}

// ---- text -------------------------------------------------------------------

TEST(FormatText, OneLinePerFindingThenTheVerdict) {
  const std::vector<std::string> lines = Lines(FormatText(RejectedBundle(), false));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0],
            "case.mrb@120: error: entry \"a/../../x\" climbs 1 level above the bundle root [zip.entry.path-traversal]");
  EXPECT_EQ(lines[1],
            "case.mrb!Scene/Scene.mrml:12:3: error: storage uri \"http://x\" is fetched on load "
            "(node \"vtkMRMLVolumeArchetypeStorageNode1\", attribute \"uri\") [mrml.storage.uri]");
  EXPECT_EQ(lines[2], "case.mrb!Scene/Data/a.nrrd@7: warning: odd layout [bundle.layout]");
  EXPECT_EQ(lines[3], "case.mrb!Scene/Scene.mrml:40: error: limit max_xml_depth (64) reached [xml.limit-exceeded]");
  EXPECT_EQ(lines[4], "case.mrb: note: unknown version [mrml.version]");
  EXPECT_EQ(lines[5], "case.mrb: rejected (3 errors, 1 warning, 1 note)");
}

TEST(FormatText, AcceptedWithWarnings) {
  EXPECT_EQ(FormatText(AcceptedScene(), false),
            "corpus/real/scene.mrml:5:9: warning: reference to \"vtkMRMLX\" not in the file "
            "(node \"vtkMRMLModelNode4\") [mrml.reference.dangling]\n"
            "corpus/real/scene.mrml: accepted (1 warning)\n");
  Report clean;
  clean.path = "a.mrml";
  clean.verdict = Verdict::kAccepted;
  EXPECT_EQ(FormatText(clean, false), "a.mrml: accepted\n");
}

TEST(FormatText, QuietShowsOnlyErrorsOfRejectedFiles) {
  EXPECT_EQ(FormatText(AcceptedScene(), true), "");
  const std::vector<std::string> lines = Lines(FormatText(RejectedBundle(), true));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[0].find("[zip.entry.path-traversal]"), std::string::npos);
  EXPECT_NE(lines[1].find("[mrml.storage.uri]"), std::string::npos);
  EXPECT_NE(lines[2].find("[xml.limit-exceeded]"), std::string::npos);
  EXPECT_EQ(lines[3], "case.mrb: rejected (3 errors, 1 warning, 1 note)");
}

TEST(FormatText, UnreadableFile) {
  EXPECT_EQ(FormatText(Unreadable(), false), "missing.mrb: error: cannot read: No such file or directory\n");
  EXPECT_EQ(FormatText(Unreadable(), true), "missing.mrb: error: cannot read: No such file or directory\n");
  Report internal;
  internal.path = "x";
  internal.status = Status(StatusCode::kInternal, "");
  EXPECT_EQ(FormatText(internal, false),
            "x: error: internal error (a bug in mrmlguard, please report it): internal\n");
}

TEST(FormatText, RejectedWithoutErrorFindingsSaysSo) {
  Report r;
  r.path = "a.mrml";
  r.findings.push_back(MakeFinding("input.findings-truncated", Severity::kNote, {}, "cut"));
  EXPECT_EQ(Lines(FormatText(r, false)).back(), "a.mrml: rejected (0 errors, 1 note)");
  r.findings.clear();
  EXPECT_EQ(FormatText(r, false), "a.mrml: rejected (0 errors)\n");
}

TEST(FormatText, HostileStringsCannotForgeLinesOrSteerTheTerminal) {
  const std::string text = FormatText(HostileReport(), false);
  // Exactly one finding line and one verdict line: the embedded "\n" did not
  // start a forged line.
  EXPECT_EQ(Lines(text).size(), 2u);
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    EXPECT_TRUE(c == '\n' || (c >= 0x20 && c != 0x7f)) << "raw control byte " << static_cast<int>(c);
  }
  EXPECT_EQ(text.find("\x1b"), std::string::npos);
  EXPECT_EQ(text.find("\xe2\x80\xae"), std::string::npos);  // RLO
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos);      // C1 CSI
  EXPECT_NE(text.find("\\x1b[2J\\n/etc/passwd"), std::string::npos);
}

// ---- JSON -------------------------------------------------------------------

TEST(FormatJson, SchemaFields) {
  const std::vector<Report> reports = {RejectedBundle(), AcceptedScene(), Unreadable()};
  const JsonValue doc = ParseOrFail(FormatJson(reports));
  EXPECT_EQ(doc["schema"].text, "mrmlguard-report");
  EXPECT_EQ(doc["version"].AsUint(), 1u);
  EXPECT_EQ(doc["tool"]["name"].text, "mrmlguard");
  EXPECT_FALSE(doc["tool"]["version"].text.empty());
  EXPECT_EQ(doc["summary"]["files"].AsUint(), 3u);
  EXPECT_EQ(doc["summary"]["accepted"].AsUint(), 1u);
  EXPECT_EQ(doc["summary"]["rejected"].AsUint(), 1u);
  EXPECT_EQ(doc["summary"]["unreadable"].AsUint(), 1u);
  ASSERT_EQ(doc["files"].items.size(), 3u);

  const JsonValue& bundle = doc["files"][0];
  EXPECT_EQ(bundle["path"].text, "case.mrb");
  EXPECT_EQ(bundle["kind"].text, "bundle");
  EXPECT_EQ(bundle["status"].text, "ok");
  EXPECT_EQ(bundle["verdict"].text, "rejected");
  EXPECT_EQ(bundle["main_scene"].text, "Scene/Scene.mrml");
  EXPECT_EQ(bundle["counts"]["error"].AsUint(), 3u);
  EXPECT_EQ(bundle["stats"]["bytes_read"].AsUint(), 1234u);
  EXPECT_EQ(bundle["stats"]["entries"].AsUint(), 3u);
  ASSERT_EQ(bundle["findings"].items.size(), 5u);
  const JsonValue& f1 = bundle["findings"][1];
  EXPECT_EQ(f1["rule"].text, "mrml.storage.uri");
  EXPECT_EQ(f1["severity"].text, "error");
  EXPECT_EQ(f1["location"]["entry"].text, "Scene/Scene.mrml");
  EXPECT_EQ(f1["location"]["line"].AsUint(), 12u);
  EXPECT_EQ(f1["location"]["column"].AsUint(), 3u);
  EXPECT_EQ(f1["location"]["node_id"].text, "vtkMRMLVolumeArchetypeStorageNode1");
  EXPECT_EQ(f1["location"]["attribute"].text, "uri");
  EXPECT_EQ(f1["location"].Find("offset"), nullptr);  // unknown parts are absent
  EXPECT_EQ(f1.Find("limit"), nullptr);
  EXPECT_EQ(bundle["findings"][0]["location"]["offset"].AsUint(), 120u);
  EXPECT_EQ(bundle["findings"][3]["limit"].text, "max_xml_depth");
  EXPECT_TRUE(bundle["findings"][4]["location"].keys.empty());

  EXPECT_EQ(doc["files"][1]["verdict"].text, "accepted");
  EXPECT_EQ(doc["files"][1]["main_scene"].type, JsonValue::Type::kNull);

  const JsonValue& missing = doc["files"][2];
  EXPECT_EQ(missing["status"].text, "io-error");
  EXPECT_EQ(missing["status_message"].text, "No such file or directory");
  EXPECT_EQ(missing["verdict"].text, "rejected");
  EXPECT_EQ(missing["kind"].text, "unknown");
}

TEST(FormatJson, HostileStringsStayValidJson) {
  const std::vector<Report> reports = {HostileReport()};
  const std::string doc_text = FormatJson(reports);
  const JsonValue doc = ParseOrFail(doc_text);
  const JsonValue& f = doc["files"][0]["findings"][0];
  // Valid parts come back byte for byte; invalid bytes became U+FFFD.
  const std::string& message = f["message"].text;
  EXPECT_EQ(message.substr(0, 44), kHostile.substr(0, 44));
  EXPECT_NE(message.find("\xef\xbf\xbd"), std::string::npos);
  EXPECT_EQ(f["location"]["entry"].text, message);
  EXPECT_EQ(doc["files"][0]["path"].text, message);
  EXPECT_EQ(doc_text.find('\x1b'), std::string::npos);
}

TEST(FormatJson, NoReports) {
  const JsonValue doc = ParseOrFail(FormatJson({}));
  EXPECT_EQ(doc["summary"]["files"].AsUint(), 0u);
  EXPECT_TRUE(doc["files"].is_array());
}

// ---- SARIF ------------------------------------------------------------------

TEST(FormatSarif, RequiredFieldsForGithubCodeScanning) {
  const std::vector<Report> reports = {RejectedBundle(), AcceptedScene(), Unreadable()};
  const JsonValue log = ParseOrFail(FormatSarif(reports));
  EXPECT_EQ(log["version"].text, "2.1.0");
  EXPECT_FALSE(log["$schema"].text.empty());
  ASSERT_EQ(log["runs"].items.size(), 1u);
  const JsonValue& run = log["runs"][0];
  const JsonValue& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"].text, "mrmlguard");
  ASSERT_EQ(driver["rules"].items.size(), AllRules().size());
  for (size_t i = 0; i < AllRules().size(); ++i) {
    const JsonValue& rule = driver["rules"][i];
    EXPECT_EQ(rule["id"].text, AllRules()[i].id);
    EXPECT_EQ(rule["shortDescription"]["text"].text, AllRules()[i].summary);
    const std::string& level = rule["defaultConfiguration"]["level"].text;
    EXPECT_TRUE(level == "error" || level == "warning" || level == "note" || level == "none") << level;
  }

  ASSERT_EQ(run["results"].items.size(), 6u);
  for (const JsonValue& result : run["results"].items) {
    EXPECT_FALSE(result["ruleId"].text.empty());
    const JsonValue* index = result.Find("ruleIndex");
    ASSERT_NE(index, nullptr);
    EXPECT_EQ(driver["rules"][index->AsUint()]["id"].text, result["ruleId"].text);
    EXPECT_FALSE(result["message"]["text"].text.empty());
    ASSERT_EQ(result["locations"].items.size(), 1u);
    const JsonValue& physical = result["locations"][0]["physicalLocation"];
    EXPECT_FALSE(physical["artifactLocation"]["uri"].text.empty());
    EXPECT_GE(physical["region"]["startLine"].AsUint(), 1u);
  }

  // A finding inside a bundle entry: the artifact is the bundle, the entry a
  // logical location, the entry's position in the message.
  const JsonValue& in_entry = run["results"][1];
  EXPECT_EQ(in_entry["ruleId"].text, "mrml.storage.uri");
  EXPECT_EQ(in_entry["level"].text, "error");
  EXPECT_EQ(in_entry["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].text, "case.mrb");
  EXPECT_EQ(in_entry["locations"][0]["physicalLocation"]["region"]["startLine"].AsUint(), 1u);
  EXPECT_EQ(in_entry["locations"][0]["logicalLocations"][0]["name"].text, "Scene/Scene.mrml");
  EXPECT_EQ(in_entry["locations"][0]["logicalLocations"][0]["kind"].text, "resource");
  EXPECT_EQ(in_entry["message"]["text"].text.rfind("Scene/Scene.mrml:12:3: storage uri", 0), 0u);
  EXPECT_EQ(in_entry["properties"]["line"].AsUint(), 12u);
  EXPECT_EQ(in_entry["properties"]["entry"].text, "Scene/Scene.mrml");

  // A finding in a plain scene: the region is the real position.
  const JsonValue& in_scene = run["results"][5];
  EXPECT_EQ(in_scene["level"].text, "warning");
  EXPECT_EQ(in_scene["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].text, "corpus/real/scene.mrml");
  EXPECT_EQ(in_scene["locations"][0]["physicalLocation"]["region"]["startLine"].AsUint(), 5u);
  EXPECT_EQ(in_scene["locations"][0]["physicalLocation"]["region"]["startColumn"].AsUint(), 9u);

  // Byte offset only: said in the message and the property bag.
  EXPECT_EQ(run["results"][0]["message"]["text"].text.rfind("at byte 120: ", 0), 0u);
  EXPECT_EQ(run["results"][0]["properties"]["byteOffset"].AsUint(), 120u);

  // The unreadable file: a failed invocation with a notification.
  const JsonValue& invocation = run["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"].type, JsonValue::Type::kBool);
  EXPECT_FALSE(invocation["executionSuccessful"].boolean);
  ASSERT_EQ(invocation["toolExecutionNotifications"].items.size(), 1u);
  const JsonValue& note = invocation["toolExecutionNotifications"][0];
  EXPECT_EQ(note["level"].text, "error");
  EXPECT_EQ(note["message"]["text"].text, "missing.mrb: cannot read: No such file or directory");
  EXPECT_EQ(note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].text, "missing.mrb");
  EXPECT_EQ(run["artifacts"].items.size(), 3u);
}

TEST(FormatSarif, UrisAreEncoded) {
  Report r = AcceptedScene();
  r.path = "/tmp/My Scene#1.mrml";
  Report rel = AcceptedScene();
  rel.path = "./a:b/c d.mrml";
  const std::vector<Report> reports = {r, rel};
  const JsonValue log = ParseOrFail(FormatSarif(reports));
  const JsonValue& results = log["runs"][0]["results"];
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].text,
            "file:///tmp/My%20Scene%231.mrml");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].text, "a%3Ab/c%20d.mrml");
  EXPECT_TRUE(log["runs"][0]["invocations"][0]["executionSuccessful"].boolean);
}

TEST(FormatSarif, HostileStringsStayValidJson) {
  const std::vector<Report> reports = {HostileReport(), Unreadable()};
  const std::string text = FormatSarif(reports);
  const JsonValue log = ParseOrFail(text);
  const JsonValue& result = log["runs"][0]["results"][0];
  const std::string& uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].text;
  for (char ch : uri) {
    const auto c = static_cast<unsigned char>(ch);
    EXPECT_TRUE(c > 0x20 && c < 0x7f) << "uri byte " << static_cast<int>(c);
  }
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

TEST(FormatSarif, UnknownRuleIdIsStillReported) {
  Report r = AcceptedScene();
  r.findings[0].rule_id = "not.in.the-table";
  const std::vector<Report> reports = {r};
  const JsonValue log = ParseOrFail(FormatSarif(reports));
  EXPECT_EQ(log["runs"][0]["results"][0]["ruleId"].text, "not.in.the-table");
  EXPECT_EQ(log["runs"][0]["results"][0].Find("ruleIndex"), nullptr);
}

// ---- tables -----------------------------------------------------------------

TEST(FormatRules, MarkdownHasEveryRuleOnceAndWellFormedRows) {
  const std::string md = FormatRulesMarkdown();
  size_t rows = 0;
  for (const std::string& line : Lines(md)) {
    if (line.rfind("| `", 0) != 0) continue;
    ++rows;
    // Six unescaped pipes: five cells.
    size_t pipes = 0;
    for (size_t i = 0; i < line.size(); ++i) pipes += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
    EXPECT_EQ(pipes, 6u) << line;
  }
  EXPECT_EQ(rows, AllRules().size());
  for (const RuleInfo& rule : AllRules()) {
    EXPECT_NE(md.find("| `" + std::string(rule.id) + "` |"), std::string::npos) << rule.id;
  }
}

TEST(FormatRules, TextAndJson) {
  const std::string text = FormatRulesText();
  EXPECT_EQ(Lines(text).size(), AllRules().size() + 1);
  const JsonValue doc = ParseOrFail(FormatRulesJson());
  ASSERT_EQ(doc["rules"].items.size(), AllRules().size());
  EXPECT_EQ(doc["rules"][0]["id"].text, AllRules()[0].id);
  EXPECT_EQ(doc["rules"][0]["default"].text, SeverityName(AllRules()[0].default_severity));
  EXPECT_EQ(doc["rules"][0]["sanitize"].text, SanitizeActionName(AllRules()[0].sanitize_action));
  EXPECT_NE(text.find("SANITIZE"), std::string::npos);
}

TEST(FormatLimits, EveryLimitInEveryForm) {
  const std::string text = FormatLimitsText();
  const std::string md = FormatLimitsMarkdown();
  const JsonValue doc = ParseOrFail(FormatLimitsJson());
  ASSERT_EQ(doc["limits"].items.size(), AllLimits().size());
  for (size_t i = 0; i < AllLimits().size(); ++i) {
    const LimitInfo& limit = AllLimits()[i];
    EXPECT_NE(text.find(std::string(limit.name) + ' '), std::string::npos) << limit.name;
    EXPECT_NE(md.find("| `" + std::string(limit.name) + "` | " + std::to_string(limit.default_value)),
              std::string::npos)
        << limit.name;
    EXPECT_EQ(doc["limits"][i]["name"].text, limit.name);
    EXPECT_EQ(doc["limits"][i]["default"].AsUint(), limit.default_value);
  }
  // Byte limits read back the way --limit takes them.
  EXPECT_NE(text.find("max_input_bytes"), std::string::npos);
  EXPECT_NE(md.find("17179869184 (16 GiB)"), std::string::npos);
}

}  // namespace
}  // namespace mrmlguard
