// SPDX-License-Identifier: BSD-3-Clause
#include "findings/finding_sink.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mrmlguard::internal {
namespace {

TEST(RuleTableTest, EveryRuleHasAUniqueIdAndLookupWorks) {
  std::set<std::string_view> ids;
  for (const RuleInfo& r : AllRules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_EQ(FindRule(r.id), &r);
  }
  EXPECT_EQ(ids.size(), kRuleCount);
  EXPECT_EQ(FindRule("no.such-rule"), nullptr);
  EXPECT_EQ(InfoOf(Rule::kZipEntryPathTraversal).id, "zip.entry.path-traversal");
}

TEST(PolicyTest, ProfilesAndOverridesPickTheSeverity) {
  Policy p = Policy::Default();
  EXPECT_EQ(p.SeverityOf("mrml.tag.unknown"), Severity::kWarning);
  EXPECT_EQ(Policy::Strict().SeverityOf("mrml.tag.unknown"), Severity::kError);
  p.overrides.push_back({"mrml.tag.unknown", Severity::kOff});
  EXPECT_EQ(p.SeverityOf("mrml.tag.unknown"), Severity::kOff);
  // Unknown ids fail closed.
  EXPECT_EQ(p.SeverityOf("nope"), Severity::kError);
}

TEST(FindingSinkTest, AddsSeverityFromPolicyAndEntryScope) {
  Policy policy;
  FindingSink sink(policy);
  {
    FindingSink::EntryScope outer(&sink, "Scene/Data/a.seq.mrb");
    FindingSink::EntryScope inner(&sink, "a/a.mrml");
    sink.Add(Rule::kMrmlTagUnknown, {.line = 3, .column = 5}, "tag <Foo> is not known");
  }
  sink.Add(Rule::kZipEntryPathTraversal, {.offset = 42}, "entry \"../x\" climbs 1 level");
  ASSERT_EQ(sink.findings().size(), 2u);
  EXPECT_EQ(sink.findings()[0].severity, Severity::kWarning);
  EXPECT_EQ(sink.findings()[0].location.entry, "Scene/Data/a.seq.mrb!a/a.mrml");
  EXPECT_EQ(sink.findings()[1].rule_id, "zip.entry.path-traversal");
  EXPECT_EQ(sink.findings()[1].location.entry, "");
  EXPECT_EQ(sink.findings()[1].location.offset, 42u);
  EXPECT_EQ(sink.error_count(), 1u);
}

TEST(FindingSinkTest, OffRulesAreDropped) {
  Policy policy;
  policy.overrides.push_back({"xml.comment", Severity::kOff});
  FindingSink sink(policy);
  sink.Add(Rule::kXmlComment, {}, "comment");
  EXPECT_TRUE(sink.findings().empty());
  EXPECT_FALSE(sink.Enabled(Rule::kXmlComment));
}

TEST(FindingSinkTest, LimitBreachNamesTheLimit) {
  Policy policy;
  FindingSink sink(policy);
  sink.LimitReached(Rule::kXmlLimitExceeded, "max_xml_depth", 64, {.line = 9120}, "at <Volume>");
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].message, "limit max_xml_depth (64) reached at <Volume>");
  EXPECT_EQ(sink.findings()[0].limit, "max_xml_depth");
}

TEST(FindingSinkTest, CapKeepsCountingErrorsAndSaysItWasCut) {
  Policy policy;
  policy.limits.max_findings = 3;
  FindingSink sink(policy);
  for (int i = 0; i < 10; ++i) sink.Add(Rule::kZipGap, {}, "gap " + std::to_string(i));
  ASSERT_EQ(sink.findings().size(), 3u);
  EXPECT_EQ(sink.findings().back().rule_id, "input.findings-truncated");
  EXPECT_EQ(sink.error_count(), 10u);
}

// A flood of warnings must not hide why a file is rejected: past the cap,
// the first error is still kept, after the note; later ones are counted.
TEST(FindingSinkTest, CapKeepsTheFirstErrorPastIt) {
  Policy policy;
  policy.limits.max_findings = 3;
  FindingSink sink(policy);
  for (int i = 0; i < 5; ++i) sink.Add(Rule::kMrmlStorageMissing, {}, "missing " + std::to_string(i));
  ASSERT_EQ(sink.findings().size(), 3u);
  sink.Add(Rule::kZipGap, {.offset = 7}, "first error");
  sink.Add(Rule::kZipGap, {.offset = 8}, "second error");
  sink.Add(Rule::kMrmlStorageMissing, {}, "missing again");
  ASSERT_EQ(sink.findings().size(), 4u);
  EXPECT_EQ(sink.findings()[2].rule_id, "input.findings-truncated");
  EXPECT_EQ(sink.findings()[3].rule_id, "zip.gap");
  EXPECT_EQ(sink.findings()[3].message, "first error");
  EXPECT_EQ(sink.error_count(), 2u);
  // The same through Absorb (the scene layer's sink on its own thread).
  FindingSink outer(policy);
  FindingSink inner(policy);
  for (int i = 0; i < 5; ++i) inner.Add(Rule::kMrmlStorageMissing, {}, "missing");
  inner.Add(Rule::kZipGap, {}, "error in inner");
  outer.Add(Rule::kMrmlStorageMissing, {}, "missing");
  outer.Absorb(inner);
  ASSERT_EQ(outer.findings().size(), 4u);
  EXPECT_EQ(outer.findings()[2].rule_id, "input.findings-truncated");
  EXPECT_EQ(outer.findings()[3].message, "error in inner");
  // No finding at all with a cap of 0.
  policy.limits.max_findings = 0;
  FindingSink none(policy);
  none.Add(Rule::kZipGap, {}, "error");
  EXPECT_TRUE(none.findings().empty());
  EXPECT_EQ(none.error_count(), 1u);
}

}  // namespace
}  // namespace mrmlguard::internal

#include "findings/quote.h"

namespace mrmlguard::internal {
namespace {

TEST(FindingSinkTest, AbsorbAppendsUnderThisScopeAndCountsEveryError) {
  Policy policy;
  FindingSink sink(policy);
  FindingSink other(policy);
  other.Add(Rule::kMrmlTagUnknown, {.line = 7}, "tag <Foo> is not known");
  other.Add(Rule::kMrmlIdDuplicate, {.line = 9, .node_id = "a"}, "id \"a\" is already used");
  FindingSink::EntryScope scope(&sink, "Scene/Scene.mrml");
  sink.Add(Rule::kXmlComment, {.line = 2}, "comment");
  sink.Absorb(other);
  ASSERT_EQ(sink.findings().size(), 3u);
  EXPECT_EQ(sink.findings()[0].rule_id, "xml.comment");
  EXPECT_EQ(sink.findings()[1].rule_id, "mrml.tag.unknown");
  EXPECT_EQ(sink.findings()[2].rule_id, "mrml.id.duplicate");
  EXPECT_EQ(sink.findings()[2].location.entry, "Scene/Scene.mrml");
  EXPECT_EQ(sink.findings()[2].location.line, 9u);
  EXPECT_EQ(sink.error_count(), 1u);
  EXPECT_TRUE(other.findings().empty());
  EXPECT_EQ(other.error_count(), 0u);
}

TEST(FindingSinkTest, AbsorbRespectsTheCapAndKeepsOneTruncationNote) {
  Policy policy;
  policy.limits.max_findings = 3;
  FindingSink sink(policy);
  FindingSink other(policy);
  for (int i = 0; i < 5; ++i) other.Add(Rule::kMrmlIdDuplicate, {.line = static_cast<uint32_t>(i)}, "dup");
  EXPECT_EQ(other.error_count(), 5u);
  sink.Add(Rule::kXmlComment, {}, "comment");
  EXPECT_TRUE(sink.WouldRecord(Rule::kXmlComment));
  sink.Absorb(other);
  ASSERT_EQ(sink.findings().size(), 3u);
  EXPECT_EQ(sink.findings()[1].rule_id, "mrml.id.duplicate");
  EXPECT_EQ(sink.findings()[2].rule_id, "input.findings-truncated");
  EXPECT_EQ(sink.error_count(), 5u);  // every error counted, recorded or not
  EXPECT_FALSE(sink.WouldRecord(Rule::kXmlComment));  // a note once the list is full
  EXPECT_TRUE(sink.WouldRecord(Rule::kMrmlIdDuplicate));  // errors are always counted
  int notes = 0;
  for (const Finding& f : sink.findings()) notes += f.rule_id == "input.findings-truncated";
  EXPECT_EQ(notes, 1);
}

TEST(QuoteTest, EscapesControlQuotesAndInvalidUtf8) {
  EXPECT_EQ(Quote("a/b.mrml"), "\"a/b.mrml\"");
  EXPECT_EQ(Quote("x\"y\\z"), "\"x\\\"y\\\\z\"");
  EXPECT_EQ(Quote(std::string_view("a\0b\n\x1b", 5)), "\"a\\x00b\\x0a\\x1b\"");
  EXPECT_EQ(Quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");       // valid UTF-8 kept
  EXPECT_EQ(Quote("\xc0\xaf"), "\"\\xc0\\xaf\"");           // overlong '/'
  EXPECT_EQ(Quote("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");  // surrogate
  EXPECT_EQ(Quote("\xe2\x82"), "\"\\xe2\\x82\"");           // truncated sequence
}

TEST(QuoteTest, ShowsInvisibleAndBidiControls) {
  EXPECT_EQ(Quote("a\xc2\x9b" "b"), "\"a\\u{009b}b\"");            // C1 CSI
  EXPECT_EQ(Quote("x\xe2\x80\xaetxt.exe"), "\"x\\u{202e}txt.exe\"");  // right-to-left override
  EXPECT_EQ(Quote("\xef\xbb\xbfz"), "\"\\u{feff}z\"");                // BOM / zero-width no-break
}

TEST(QuoteTest, CutsLongValues) {
  std::string q = Quote(std::string(1000, 'a'), 10);
  EXPECT_EQ(q, "\"aaaaaaaaaa...\"");
}

}  // namespace
}  // namespace mrmlguard::internal
