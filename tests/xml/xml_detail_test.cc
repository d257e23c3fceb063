// SPDX-License-Identifier: BSD-3-Clause
// Positions, limits, messages, the parser differential, and file sources.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "xml_test_util.h"

namespace mrmlguard::internal {
namespace {

using testing::Parse;
using testing::ParseResult;
using testing::RecordingHandler;

Policy WithOverride(std::string rule, Severity severity) {
  Policy policy = Policy::Default();
  policy.overrides.push_back(SeverityOverride{.rule_id = std::move(rule), .severity = severity});
  return policy;
}

TEST(XmlPositions, StartAndEndTagsCarryLineColumnOffsetDepth) {
  ParseResult r = Parse("<MRML>\r\n  <Volume id=\"a\">\n\t<X/></Volume>\n</MRML>", 0, true);
  ASSERT_TRUE(r.ok);
  std::vector<std::string> expected = {
      "S MRML @1:1+0/1",         "S Volume id=a @2:3+10/2", "S X @3:2+27/3", "E X @3:6/3",
      "E Volume @3:6/2",         "E MRML @4:1/1",           "END well-formed",
  };
  EXPECT_EQ(r.events, expected);
}

TEST(XmlPositions, ColumnsCountCharactersNotBytes) {
  ParseResult r = Parse("<MRML><V a=\"\xC3\xA9\xE2\x82\xAC\"/><W/></MRML>", 0, true);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.events[3], "S W @1:18+20/2");  // 20 bytes before <W>, 17 characters
}

TEST(XmlPositions, ScannerFindingsSayWhere) {
  ParseResult r = Parse(std::string("<MRML>\r\n<V a=\"x\0\"/></MRML>", 24), 0, true);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0], "xml.control-char 2:8 NUL byte at line 2 column 8 (offset 15); XML 1.0 forbids it");
  for (size_t chunk : {size_t{1}, size_t{5}, size_t{16}}) {
    EXPECT_EQ(Parse(std::string("<MRML>\r\n<V a=\"x\0\"/></MRML>", 24), chunk, true).findings, r.findings);
  }
}

TEST(XmlPositions, ExpatErrorsSayWhere) {
  ParseResult r = Parse("<MRML>\n<A></B>\n</MRML>", 0, true);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0], "xml.malformed 2:6 Expat: mismatched tag at line 2 column 6");
}

TEST(XmlMessages, UntrustedTextIsQuotedAndCut) {
  std::string name(500, 'Q');
  ParseResult r = Parse("<" + name + "/>", 0, true);
  ASSERT_EQ(r.rules, std::vector<std::string>{"xml.root"});
  EXPECT_LT(r.findings[0].size(), 200u);
  ParseResult quote = Parse("<MRML>\"\\\x7F</MRML>", 0, true);
  ASSERT_EQ(quote.rules, std::vector<std::string>{"xml.text"});
  EXPECT_NE(quote.findings[0].find("\"\\\"\\\\\\x7f\""), std::string::npos) << quote.findings[0];
}

TEST(XmlLimits, EachLimitNamesItselfAndStops) {
  Policy policy = Policy::Default();
  policy.limits.max_nodes = 3;
  ParseResult nodes = Parse("<MRML><A/><B/><C/></MRML>", 0, true, policy);
  ASSERT_EQ(nodes.rules, std::vector<std::string>{"xml.limit-exceeded"});
  EXPECT_NE(nodes.findings[0].find("limit max_nodes (3) reached at element <\"C\">"), std::string::npos)
      << nodes.findings[0];
  EXPECT_FALSE(nodes.ok);
  EXPECT_EQ(nodes.events.back(), "END stopped");
  EXPECT_EQ(Parse("<MRML><A/><B/></MRML>", 0, true, policy).rules, std::vector<std::string>{});

  policy = Policy::Default();
  policy.limits.max_attribute_value_bytes = 4;
  EXPECT_TRUE(Parse("<MRML a=\"1234\"/>", 0, true, policy).ok);
  ParseResult value = Parse("<MRML a=\"12&amp;45\"/>", 0, true, policy);
  ASSERT_EQ(value.rules, std::vector<std::string>{"xml.limit-exceeded"});
  EXPECT_NE(value.findings[0].find("max_attribute_value_bytes (4)"), std::string::npos);

  policy = Policy::Default();
  policy.limits.max_scene_bytes = 10;
  ParseResult size = Parse("<MRML a=\"1\"/>", 0, true, policy);
  ASSERT_EQ(size.rules, std::vector<std::string>{"xml.limit-exceeded"});
  EXPECT_NE(size.findings[0].find("max_scene_bytes (10) reached the document holds 13 bytes"), std::string::npos)
      << size.findings[0];
  EXPECT_EQ(size.events, std::vector<std::string>{"END stopped"});

  policy = Policy::Default();
  policy.limits.max_xml_depth = 2;
  ParseResult depth = Parse("<MRML><A><B/></A></MRML>", 0, true, policy);
  ASSERT_EQ(depth.rules, std::vector<std::string>{"xml.limit-exceeded"});
  EXPECT_EQ(depth.events, (std::vector<std::string>{"S MRML @1:1+0/1", "S A @1:7+6/2", "END stopped"}));
}

TEST(XmlPolicy, DemotedRulesDoNotStop) {
  ParseResult r = Parse("<MRML>x<A/></MRML>", 0, true, WithOverride("xml.text", Severity::kWarning));
  EXPECT_EQ(r.rules, std::vector<std::string>{"xml.text"});
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.events.back(), "END well-formed");
  // A DOCTYPE stops whatever the policy says: nothing after it can be trusted.
  ParseResult off = Parse("<!DOCTYPE MRML><MRML/>", 0, true, WithOverride("xml.doctype", Severity::kOff));
  EXPECT_TRUE(off.rules.empty());
  EXPECT_FALSE(off.ok);
  // Strict profile: comments refuse.
  ParseResult strict = Parse("<MRML><!--x--><A/></MRML>", 0, true, Policy::Strict());
  EXPECT_EQ(strict.rules, std::vector<std::string>{"xml.comment"});
  EXPECT_FALSE(strict.ok);
}

// Documents the two parsers read differently. Expat's side refuses most of
// them by itself; these get through only with rules or limits relaxed, which
// is exactly when the cross-check must still catch them.
TEST(XmlDifferential, NamespaceDeclarationOrder) {
  Policy policy = WithOverride("xml.namespace", Severity::kWarning);
  std::string doc = "<MRML>\n<Volume b=\"1\" xmlns:a=\"urn:x\"/></MRML>";
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{7}}) {
    ParseResult r = Parse(doc, chunk, true, policy);
    ASSERT_EQ(r.rules, (std::vector<std::string>{"xml.namespace", "xml.parser-differential"})) << chunk;
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.findings[1],
              "xml.parser-differential 2:0 Expat and libxml2 read the document differently; first difference in "
              "event 2: Expat saw start tag <\"Volume\" \"b\"=\"1\" \"xmlns:a\"=\"urn:x\"> at line 2, libxml2 saw "
              "start tag <\"Volume\" \"xmlns:a\"=\"urn:x\" \"b\"=\"1\"> at line 2")
        << chunk;
    // Without the cross-check the same document passes with a warning.
    EXPECT_TRUE(Parse(doc, chunk, false, policy).ok);
  }
}

TEST(XmlDifferential, UndeclaredPrefixIsALibxml2Error) {
  Policy policy = WithOverride("xml.namespace", Severity::kWarning);
  ParseResult r = Parse("<MRML><a:V/></MRML>", 0, true, policy);
  ASSERT_EQ(r.rules, (std::vector<std::string>{"xml.namespace", "xml.parser-differential"}));
  EXPECT_NE(r.findings[1].find("libxml2 reported"), std::string::npos) << r.findings[1];
  EXPECT_NE(r.findings[1].find("Namespace prefix a on V is not defined"), std::string::npos) << r.findings[1];
}

TEST(XmlDifferential, Libxml2NameLengthLimit) {
  // libxml2 refuses names over XML_MAX_NAME_LENGTH (50,000) without
  // XML_PARSE_HUGE; Expat has no such limit. max_xml_name_bytes refuses
  // such a name first unless it is raised.
  std::string doc = "<MRML><V " + std::string(60000, 'a') + "=\"1\"/></MRML>";
  EXPECT_EQ(Parse(doc, 0, true).rules, std::vector<std::string>{"xml.limit-exceeded"});
  Policy policy = Policy::Default();
  policy.limits.max_xml_name_bytes = 100000;
  for (size_t chunk : {size_t{0}, size_t{4096}}) {
    ParseResult r = Parse(doc, chunk, true, policy);
    ASSERT_EQ(r.rules, std::vector<std::string>{"xml.parser-differential"}) << chunk;
    EXPECT_NE(r.findings[0].find("libxml2 reported"), std::string::npos) << r.findings[0];
  }
}

TEST(XmlDifferential, AgreesOnEscapesAndNormalisation) {
  std::string doc =
      "<MRML><V a=\"&amp;&amp;amp;&#38;&lt;&#x26;#38;\" b=\"\t\r\n&#9;&#13;&#10;\" c='\"' d=\"&apos;\"/></MRML>";
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{3}}) {
    ParseResult r = Parse(doc, chunk, true);
    EXPECT_TRUE(r.ok) << ::testing::PrintToString(r.findings);
    EXPECT_TRUE(r.rules.empty());
  }
}

std::string BigScene(int nodes) {
  std::string doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MRML version=\"Slicer 5.6.2\">\n";
  for (int i = 0; i < nodes; ++i) {
    doc += " <Volume id=\"vtkMRMLScalarVolumeNode" + std::to_string(i) + "\" name=\"n&amp;" + std::to_string(i) +
           "\" spacing=\"1 1 1\" origin=\"0 0 0\"></Volume>\n";
  }
  return doc + "</MRML>\n";
}

TEST(XmlFileSource, ThreadedCrossCheckOverAFile) {
  std::string doc = BigScene(20000);  // ~2 MB: several default-size chunks
  char path[] = "/tmp/mrmlguard_xml_test_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, doc.data(), doc.size()), static_cast<ssize_t>(doc.size()));
  FileSource source(fd, doc.size());
  const Policy policy = Policy::Default();  // the sink keeps a reference
  FindingSink sink(policy);
  RecordingHandler handler;
  XmlOptions options;
  EXPECT_TRUE(ParseXml(source, handler, sink, options));
  EXPECT_TRUE(sink.findings().empty());
  EXPECT_EQ(handler.events.size(), 2u + 2u * 20000u + 1u);
  // The same file in small chunks, and in memory, give the same events.
  FileSource again(fd, doc.size());
  FindingSink sink2(policy);
  RecordingHandler handler2;
  options.chunk_size = 4093;
  EXPECT_TRUE(ParseXml(again, handler2, sink2, options));
  EXPECT_EQ(handler2.events, handler.events);
  close(fd);
  unlink(path);
  EXPECT_EQ(Parse(doc, 0, true).events, handler.events);
}

TEST(XmlFileSource, DifferenceFoundInALargeDocument) {
  // A differential near the end of a multi-chunk document: found while
  // streaming on the worker thread, described by the locate pass.
  std::string doc = BigScene(30000);
  doc.insert(doc.size() - 8, "<V z=\"1\" xmlns:q=\"urn:q\"/>\n");
  Policy policy = WithOverride("xml.namespace", Severity::kWarning);
  std::vector<std::string> first;
  for (size_t chunk : {size_t{0}, size_t{65536}, size_t{1000003}}) {
    ParseResult r = Parse(doc, chunk, true, policy);
    ASSERT_EQ(r.rules, (std::vector<std::string>{"xml.namespace", "xml.parser-differential"})) << chunk;
    EXPECT_NE(r.findings[1].find("event 60002"), std::string::npos) << r.findings[1];
    if (first.empty()) first = r.findings;
    EXPECT_EQ(r.findings, first);
  }
}

TEST(XmlFileSource, Libxml2HaltsEarlyInALargeDocument) {
  // libxml2 stops at once (a 60,000-byte name); the reading thread stops
  // keeping Expat's events as soon as it knows, and the finding is the same
  // as when everything is compared at the end (the inline path, one chunk).
  std::string doc = BigScene(30000);
  doc.insert(doc.find("<Volume"), "<V " + std::string(60000, 'n') + "=\"1\"/>\n");
  Policy policy = Policy::Default();
  policy.limits.max_xml_name_bytes = 100000;  // so the name reaches libxml2
  std::vector<std::string> first;
  for (size_t chunk : {size_t{0}, size_t{65536}, size_t{8} << 20}) {
    ParseResult r = Parse(doc, chunk, true, policy);
    ASSERT_EQ(r.rules, std::vector<std::string>{"xml.parser-differential"}) << chunk;
    EXPECT_NE(r.findings[0].find("libxml2 reported a problem where Expat reported none"), std::string::npos)
        << r.findings[0];
    if (first.empty()) first = r.findings;
    EXPECT_EQ(r.findings, first) << chunk;
    EXPECT_EQ(r.events.back(), "END well-formed");  // Expat read it all; the handler saw every element
  }
}

}  // namespace
}  // namespace mrmlguard::internal
