// SPDX-License-Identifier: BSD-3-Clause
// ReportStream writes the same documents as the whole-batch writers, one file
// at a time; the SARIF run carries per-rule help and fingerprints and keeps
// within its results cap; every rule has help (its own or its family's).

#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "mrmlguard/format.h"
#include "report/rule_help.h"
#include "report/strict_json.h"

namespace mrmlguard {
namespace {

using testing::JsonValue;
using testing::StrictJsonParser;

JsonValue ParseOrFail(const std::string& doc) {
  JsonValue v;
  StrictJsonParser parser;
  EXPECT_TRUE(parser.Parse(doc, &v)) << parser.error() << "\n" << doc.substr(0, 2000);
  return v;
}

Finding MakeFinding(std::string_view rule, Severity severity, Location location) {
  Finding f;
  f.rule_id = rule;
  f.severity = severity;
  f.location = std::move(location);
  f.message = "m";
  return f;
}

std::vector<Report> Batch() {
  std::vector<Report> reports(3);
  reports[0].path = "a.mrml";
  reports[0].kind = InputKind::kScene;
  reports[0].verdict = Verdict::kAccepted;
  reports[0].findings.push_back(MakeFinding("mrml.tag.unknown", Severity::kWarning, {.line = 3, .column = 2}));
  reports[1].path = "two.mrb";
  reports[1].kind = InputKind::kBundle;
  // Two traversal entries: same rule, same line 1 in the .mrb, told apart by entry and offset.
  reports[1].findings.push_back(MakeFinding("zip.entry.path-traversal", Severity::kError, {.entry = "S/../../x", .offset = 10}));
  reports[1].findings.push_back(MakeFinding("zip.entry.path-traversal", Severity::kError, {.entry = "S/../../y", .offset = 90}));
  // The same identity twice in one file still gets two fingerprints.
  reports[1].findings.push_back(MakeFinding("bundle.layout", Severity::kWarning, {}));
  reports[1].findings.push_back(MakeFinding("bundle.layout", Severity::kWarning, {}));
  reports[2].path = "gone.mrml";
  reports[2].status = Status(StatusCode::kIoError, "No such file or directory");
  return reports;
}

std::string Streamed(ReportFormat format, const std::vector<Report>& reports, uint64_t max_results = 0,
                     bool summary = false) {
  ReportStream stream({.format = format, .summary = summary, .max_results = max_results});
  std::string out = stream.Begin();
  for (const Report& r : reports) out += stream.Add(r);
  out += stream.End();
  return out;
}

TEST(ReportStream, JsonIsFormatJson) {
  const std::vector<Report> reports = Batch();
  EXPECT_EQ(Streamed(ReportFormat::kJson, reports), FormatJson(reports));
  const JsonValue doc = ParseOrFail(FormatJson(reports));
  EXPECT_EQ(doc["summary"]["files"].text, "3");
  EXPECT_EQ(doc["summary"]["accepted"].text, "1");
  EXPECT_EQ(doc["summary"]["rejected"].text, "1");
  EXPECT_EQ(doc["summary"]["unreadable"].text, "1");
  EXPECT_EQ(Streamed(ReportFormat::kJson, {}), FormatJson({}));
  ParseOrFail(FormatJson({}));
}

TEST(ReportStream, SarifUncappedIsFormatSarif) {
  const std::vector<Report> reports = Batch();
  EXPECT_EQ(Streamed(ReportFormat::kSarif, reports, 0), FormatSarif(reports));
}

TEST(ReportStream, JsonLinesHoldOneFileObjectPerLine) {
  const std::vector<Report> reports = Batch();
  const std::string text = Streamed(ReportFormat::kJsonLines, reports);
  const JsonValue doc = ParseOrFail(FormatJson(reports));
  size_t start = 0;
  for (size_t i = 0; i < reports.size(); ++i) {
    const size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const JsonValue line = ParseOrFail(text.substr(start, end - start));
    EXPECT_EQ(line["path"].text, doc["files"][i]["path"].text);
    EXPECT_EQ(line["verdict"].text, doc["files"][i]["verdict"].text);
    start = end + 1;
  }
  EXPECT_EQ(start, text.size());
}

TEST(ReportStream, TextEndsWithTheSummaryWhenAsked) {
  const std::vector<Report> reports = Batch();
  std::string expected;
  for (const Report& r : reports) expected += FormatText(r, false);
  EXPECT_EQ(Streamed(ReportFormat::kText, reports), expected);
  EXPECT_EQ(Streamed(ReportFormat::kText, reports, 0, true),
            expected + "mrmlguard: 3 files: 1 accepted, 1 rejected, 1 unreadable\n");
}

TEST(Sarif, RulesCarryHelpAndSecuritySeverity) {
  const JsonValue log = ParseOrFail(FormatSarif({}));
  const JsonValue& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["informationUri"].text, std::string(internal::kHomepage));
  ASSERT_EQ(driver["rules"].items.size(), AllRules().size());
  for (const JsonValue& rule : driver["rules"].items) {
    const std::string id = rule["id"].text;
    EXPECT_EQ(rule["helpUri"].text, internal::RuleHelpUri(id)) << id;
    EXPECT_FALSE(rule["help"]["text"].text.empty()) << id;
    EXPECT_NE(rule["help"]["markdown"].text.find(internal::RuleAnchor(id)), std::string::npos) << id;
    const std::string score = rule["properties"]["security-severity"].text;
    ASSERT_FALSE(score.empty()) << id;
    const double value = std::stod(score);
    EXPECT_GE(value, 0.0) << id;
    EXPECT_LE(value, 10.0) << id;
  }
  EXPECT_EQ(internal::RuleAnchor("zip.entry.path-traversal"), "zipentrypath-traversal");
}

TEST(Sarif, FingerprintsTellFindingsApart) {
  const JsonValue log = ParseOrFail(FormatSarif(Batch()));
  const JsonValue& results = log["runs"][0]["results"];
  ASSERT_EQ(results.items.size(), 5u);
  std::set<std::pair<std::string, std::string>> seen;  // (artifact index, fingerprint)
  for (const JsonValue& r : results.items) {
    const std::string fp = r["partialFingerprints"]["mrmlguardLocation/v1"].text;
    ASSERT_FALSE(fp.empty());
    const std::string index = r["locations"][0]["physicalLocation"]["artifactLocation"]["index"].text;
    EXPECT_TRUE(seen.insert({index, fp}).second) << fp;
  }
  // Stable: the same findings give the same fingerprints run after run.
  EXPECT_EQ(FormatSarif(Batch()), FormatSarif(Batch()));
}

TEST(Sarif, CapLeavesOutResultsAndSaysSo) {
  std::vector<Report> reports(2);
  reports[0].path = "noisy.mrml";
  for (uint32_t i = 1; i <= 50; ++i) {
    reports[0].findings.push_back(MakeFinding("mrml.tag.unknown", Severity::kWarning, {.line = i}));
  }
  reports[1].path = "bad.mrb";
  for (uint64_t i = 1; i <= 5; ++i) {
    reports[1].findings.push_back(MakeFinding("zip.entry.path-traversal", Severity::kError, {.offset = i}));
  }
  const JsonValue log = ParseOrFail(Streamed(ReportFormat::kSarif, reports, 20));
  const JsonValue& run = log["runs"][0];
  const JsonValue& results = run["results"];
  ASSERT_EQ(results.items.size(), 20u);  // 18 warnings, then 2 of the 5 errors
  size_t errors = 0;
  for (const JsonValue& r : results.items) errors += r["level"].text == "error";
  EXPECT_EQ(errors, 2u);
  const JsonValue& notes = run["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.items.size(), 1u);
  EXPECT_EQ(notes[0]["descriptor"]["id"].text, "results-truncated");
  EXPECT_EQ(notes[0]["properties"]["omittedErrors"].text, "3");
  EXPECT_EQ(notes[0]["properties"]["omittedWarningsAndNotes"].text, "32");
  EXPECT_TRUE(run["invocations"][0]["executionSuccessful"].boolean);
}

TEST(RuleHelp, EveryRuleHasAParagraph) {
  for (const RuleInfo& rule : AllRules()) {
    const std::string text = internal::RuleHelpText(rule);
    EXPECT_EQ(text.rfind(std::string(rule.summary), 0), 0u) << rule.id;
  }
  // Rules served by a family's help, or by their summary alone: listed, not
  // failed, so a rule added without help is visible in the test log.
  const std::vector<std::string_view> missing = internal::RulesWithoutOwnHelp();
  std::cout << missing.size() << " of " << AllRules().size() << " rules have no help entry of their own:";
  for (std::string_view id : missing) {
    std::cout << ' ' << id << (internal::FindRuleHelp(id) ? "" : "(summary only)");
  }
  std::cout << "\n";
  // A help entry that serves no rule is a typo or a stale entry.
  EXPECT_TRUE(internal::UnusedHelpKeys().empty()) << internal::UnusedHelpKeys().front();
  // The lookup prefers a rule's own entry, then the longest family.
  EXPECT_EQ(internal::FindRuleHelp("zip.entry.path-traversal")->key, "zip.entry.path-traversal");
  EXPECT_EQ(internal::FindRuleHelp("zip.entry.backslash")->key, "zip.entry.");
  EXPECT_EQ(internal::FindRuleHelp("zip.gap")->key, "zip.");
  EXPECT_FALSE(internal::FindRuleHelp("nosuchfamily.rule").has_value());
}

}  // namespace
}  // namespace mrmlguard
