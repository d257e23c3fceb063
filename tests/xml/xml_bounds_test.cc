// SPDX-License-Identifier: BSD-3-Clause
// The per-element limits the byte scanner enforces before either parser sees
// an element (max_xml_depth, max_xml_name_bytes, max_attributes_per_element,
// max_attribute_value_bytes): exact rule ids and messages, the element never
// reaching the handler, the same result at every chunk size with and without
// the cross-check, and markup the scanner must not miscount (comments, CDATA,
// processing instructions, quotes and references inside values).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "xml_test_util.h"

namespace mrmlguard::internal {
namespace {

using testing::Parse;
using testing::ParseResult;

constexpr size_t kChunks[] = {0, 1, 2, 3, 5, 7, 8, 9, 16, 4096};

// Parses `doc` at every chunk size, with and without the cross-check, and
// checks that all runs agree; returns the whole-document run.
ParseResult ParseEverywhere(const std::string& doc, const Policy& policy) {
  ParseResult reference = Parse(doc, 0, true, policy);
  for (size_t chunk : kChunks) {
    for (bool cross : {true, false}) {
      ParseResult r = Parse(doc, chunk, cross, policy);
      EXPECT_EQ(r.findings, reference.findings) << "chunk " << chunk << " cross " << cross << "\n" << doc;
      EXPECT_EQ(r.events, reference.events) << "chunk " << chunk << " cross " << cross << "\n" << doc;
      EXPECT_EQ(r.ok, reference.ok) << "chunk " << chunk << " cross " << cross << "\n" << doc;
    }
  }
  return reference;
}

Policy Small() {
  Policy policy = Policy::Default();
  policy.limits.max_xml_depth = 3;
  policy.limits.max_attributes_per_element = 2;
  policy.limits.max_xml_name_bytes = 6;
  policy.limits.max_attribute_value_bytes = 4;
  return policy;
}

const std::vector<std::string> kRefusedFirstChild = {"S MRML @1:1+0/1", "END stopped"};

TEST(XmlBounds, AttributeCountIsRefusedAtTheStartTag) {
  ParseResult ok = ParseEverywhere("<MRML><A a=\"1\" b=\"2\"/></MRML>", Small());
  EXPECT_TRUE(ok.ok);
  ParseResult r = ParseEverywhere("<MRML>\n <A a=\"1\" b=\"2\" c=\"3\" d=\"4\"/></MRML>", Small());
  ASSERT_EQ(r.findings, std::vector<std::string>{
                            "xml.limit-exceeded 2:2 limit max_attributes_per_element (2) reached element <\"A\"> at "
                            "line 2 column 2 has more than 2 attributes"});
  EXPECT_EQ(r.events, kRefusedFirstChild);  // <A> never reaches the handler
  EXPECT_FALSE(r.ok);
}

TEST(XmlBounds, DepthIsRefusedAtTheStartTag) {
  EXPECT_TRUE(ParseEverywhere("<MRML><A><B/></A><C><D/></C></MRML>", Small()).ok);
  ParseResult r = ParseEverywhere("<MRML><A><B><Deep/></B></A></MRML>", Small());
  ASSERT_EQ(r.findings, std::vector<std::string>{"xml.limit-exceeded 1:13 limit max_xml_depth (3) reached at element "
                                                 "<\"Deep\"> at line 1 column 13 (depth 4)"});
  EXPECT_EQ(r.events, (std::vector<std::string>{"S MRML @1:1+0/1", "S A @1:7+6/2", "S B @1:10+9/3", "END stopped"}));
}

TEST(XmlBounds, NameLengthIsRefusedForElementsAndAttributes) {
  EXPECT_TRUE(ParseEverywhere("<MRML><Abcdef abcdef=\"1\"/></MRML>", Small()).ok);
  ParseResult element = ParseEverywhere("<MRML><Abcdefg/></MRML>", Small());
  ASSERT_EQ(element.findings, std::vector<std::string>{"xml.limit-exceeded 1:7 limit max_xml_name_bytes (6) reached "
                                                       "element name <\"Abcdefg\"> at line 1 column 7 is longer than 6 "
                                                       "bytes"});
  EXPECT_EQ(element.events, kRefusedFirstChild);
  ParseResult attribute = ParseEverywhere("<MRML><A abcdefg=\"1\"/></MRML>", Small());
  ASSERT_EQ(attribute.findings,
            std::vector<std::string>{"xml.limit-exceeded 1:7 limit max_xml_name_bytes (6) reached attribute name "
                                     "\"abcdefg\" of <\"A\"> at line 1 column 7 is longer than 6 bytes"});
  // Bytes, not characters: three two-byte characters fit, a fourth does not.
  EXPECT_TRUE(ParseEverywhere("<MRML><\xC3\xA9\xC3\xA9\xC3\xA9/></MRML>", Small()).ok);
  EXPECT_EQ(ParseEverywhere("<MRML><\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9/></MRML>", Small()).rules,
            std::vector<std::string>{"xml.limit-exceeded"});
}

TEST(XmlBounds, ValueBytesCountAfterNormalisation) {
  // Four bytes after parsing: references decoded, CR LF read as one byte.
  for (const char* doc : {"<MRML><A a=\"1234\"/></MRML>", "<MRML><A a='&lt;&#x41;&amp;&quot;'/></MRML>",
                          "<MRML><A a=\"1\r\n2\r\n\"/></MRML>", "<MRML><A a=\"&#xE9;&#233;\"/></MRML>",
                          "<MRML><A a=\"&#x1F600;\"/></MRML>", "<MRML><A a='\"\"\"\"'/></MRML>"}) {
    ParseResult r = ParseEverywhere(doc, Small());
    EXPECT_TRUE(r.ok) << doc << "\n" << ::testing::PrintToString(r.findings);
  }
  for (const char* doc : {"<MRML><A a=\"12345\"/></MRML>", "<MRML><A a=\"&#x1F600;x\"/></MRML>",
                          "<MRML><A a=\"\xC3\xA9\xC3\xA9x\"/></MRML>", "<MRML><A a=\"1\r\r\r\r\r\"/></MRML>",
                          "<MRML><A a=\"12&amp;45\"/></MRML>", "<MRML><A a=\"123456789012345678\"/></MRML>"}) {
    ParseResult r = ParseEverywhere(doc, Small());
    ASSERT_EQ(r.rules, std::vector<std::string>{"xml.limit-exceeded"}) << doc;
    EXPECT_NE(r.findings[0].find("limit max_attribute_value_bytes (4) reached attribute \"a\" of <\"A\"> at line 1 "
                                 "column 7 holds more than 4 bytes"),
              std::string::npos)
        << r.findings[0];
    EXPECT_EQ(r.events, kRefusedFirstChild) << doc;
  }
}

TEST(XmlBounds, LimitFindingNamesTheLimitAndAttribute) {
  Policy policy = Small();
  MemorySource source(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>("<MRML x=\"12345\"/>"), 17));
  FindingSink sink(policy);
  testing::RecordingHandler handler;
  EXPECT_FALSE(ParseXml(source, handler, sink, XmlOptions{}));
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].limit, "max_attribute_value_bytes");
  EXPECT_EQ(sink.findings()[0].location.attribute, "x");
  EXPECT_EQ(sink.findings()[0].location.offset, 0u);
}

TEST(XmlBounds, MarkupOutsideStartTagsIsNotCounted) {
  // Comments, CDATA sections, processing instructions and attribute values
  // may hold text that looks like tags, attributes and nesting.
  const std::string fake = "<X a=\"1\" b=\"2\" c=\"3\"><Y><Z><W>";
  ParseResult comment = ParseEverywhere("<MRML><!-- " + fake + " -- >-> --><A/></MRML>",
                                        Small());
  EXPECT_EQ(comment.rules, std::vector<std::string>{"xml.malformed"});  // "--" inside a comment
  ParseResult comment_ok = ParseEverywhere("<MRML><!--" + fake + "- ->--><A/></MRML>", Small());
  EXPECT_EQ(comment_ok.rules, std::vector<std::string>{"xml.comment"});
  EXPECT_TRUE(comment_ok.ok);
  ParseResult cdata = ParseEverywhere("<MRML><![CDATA[" + fake + "]>]]]><A/></MRML>", Small());
  EXPECT_EQ(cdata.rules, (std::vector<std::string>{"xml.cdata", "xml.text"}));
  ParseResult pi = ParseEverywhere("<MRML><?pi " + fake + "? > ?" "?><A/></MRML>", Small());
  EXPECT_EQ(pi.rules, std::vector<std::string>{"xml.processing-instruction"});
  EXPECT_TRUE(pi.ok);
  ParseResult values = ParseEverywhere("<MRML><A a=\"/>\" b='>'/><B a='\"' b=\"'\"></B></MRML>", Small());
  EXPECT_TRUE(values.ok) << ::testing::PrintToString(values.findings);
  ParseResult spaces = ParseEverywhere("<MRML><A\n a \t=\r\n '1'\n b='2'\n/><B\n></B\n></MRML>", Small());
  EXPECT_TRUE(spaces.ok) << ::testing::PrintToString(spaces.findings);
  // Closing tags give the depth back: many siblings at the deepest level.
  std::string siblings = "<MRML><A>";
  for (int i = 0; i < 20; ++i) siblings += "<B/><C></C>";
  EXPECT_TRUE(ParseEverywhere(siblings + "</A></MRML>", Small()).ok);
}

TEST(XmlBounds, MalformedMarkupStaysRefusedByExpat) {
  for (const char* doc : {"<MRML><A a=1/></MRML>", "<MRML>< A/></MRML>", "<MRML><A =\"1\"/></MRML>",
                          "<MRML><A a/></MRML>", "<MRML><A a=\"&u;\"/></MRML>", "<MRML><A a=\"&#;\"/></MRML>",
                          "<MRML><A a=\"&#1;\"/></MRML>"}) {
    ParseResult r = ParseEverywhere(doc, Small());
    EXPECT_EQ(r.rules, std::vector<std::string>{"xml.malformed"}) << doc << ::testing::PrintToString(r.findings);
  }
  // Inside a start tag, a limit comes before Expat's error, at every chunk
  // size: the parsers never see an unfinished tag.
  for (const char* doc : {"<MRML><A a b c d/></MRML>", "<MRML><A a=1 b=2 c=3/></MRML>"}) {
    EXPECT_EQ(ParseEverywhere(doc, Small()).rules, std::vector<std::string>{"xml.limit-exceeded"}) << doc;
  }
  // A DOCTYPE is refused whatever follows it.
  ParseResult doctype = ParseEverywhere("<!DOCTYPE MRML [<!ATTLIST A a CDATA \"1\">]><MRML/>", Small());
  EXPECT_EQ(doctype.rules, std::vector<std::string>{"xml.doctype"});
}

TEST(XmlBounds, ScannerRefusalAndEarlierExpatErrorKeepTheirOrder) {
  // Expat's own error before the refused element is the one reported.
  ParseResult r = ParseEverywhere("<MRML><A></B><C a=\"1\" b=\"2\" c=\"3\"/></MRML>", Small());
  EXPECT_EQ(r.rules, std::vector<std::string>{"xml.malformed"});
  // A control character before the refused element comes first; after it,
  // the limit does.
  EXPECT_EQ(ParseEverywhere(std::string("<MRML>\x01<C a=\"1\" b=\"2\" c=\"3\"/></MRML>"), Small()).rules,
            std::vector<std::string>{"xml.control-char"});
  ParseResult limit_first =
      ParseEverywhere(std::string("<MRML><C a=\"1\" b=\"2\" c=\"3\"/>\x01</MRML>"), Small());
  EXPECT_EQ(limit_first.rules, std::vector<std::string>{"xml.limit-exceeded"});
}

// The document-wide budgets (max_document_attributes, max_document_references,
// max_markup_bytes): at the budget accepted, one over refused with the limit's
// name, at the same place for every chunk size.
// True when no limit refused the document (text, CDATA and comments have
// rules of their own, which these documents may fire).
bool NoLimit(const ParseResult& r) {
  return std::find(r.rules.begin(), r.rules.end(), "xml.limit-exceeded") == r.rules.end();
}

Policy Budgets() {
  Policy policy = Policy::Default();
  policy.limits.max_document_attributes = 3;
  policy.limits.max_document_references = 2;
  policy.limits.max_markup_bytes = 16;
  return policy;
}

TEST(XmlBudgets, DocumentAttributesAreRefusedAtTheStartTagThatPassesThem) {
  ParseResult ok = ParseEverywhere("<MRML a=\"1\"><A b=\"2\"/><B c=\"3\"/></MRML>", Budgets());
  EXPECT_TRUE(ok.ok) << ::testing::PrintToString(ok.findings);
  ParseResult r = ParseEverywhere("<MRML a=\"1\"><A b=\"2\"/><B c=\"3\" d=\"4\"/></MRML>", Budgets());
  ASSERT_EQ(r.findings, std::vector<std::string>{"xml.limit-exceeded 1:23 limit max_document_attributes (3) reached "
                                                 "element <\"B\"> at line 1 column 23 takes the document past 3 "
                                                 "attributes"});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.events.back(), "END stopped");
}

TEST(XmlBudgets, ReferencesAreCountedInValuesAndText) {
  for (const std::string doc : {"<MRML a=\"&amp;&#10;\"/>", "<MRML a=\"&lt;\">&#x41;</MRML>", "<MRML>&gt;&apos;</MRML>"}) {
    ParseResult r = ParseEverywhere(doc, Budgets());
    EXPECT_TRUE(NoLimit(r)) << doc << ::testing::PrintToString(r.findings);
  }
  ParseResult value = ParseEverywhere("<MRML a=\"&amp;\"><A b=\"x&#13;&quot;\"/></MRML>", Budgets());
  ASSERT_EQ(value.findings, std::vector<std::string>{"xml.limit-exceeded 1:17 limit max_document_references (2) "
                                                     "reached more than 2 character and entity references in the "
                                                     "document, the first one over in attribute \"b\" of <\"A\"> at "
                                                     "line 1 column 17"});
  EXPECT_EQ(value.events, (std::vector<std::string>{"S MRML a=& @1:1+0/1", "END stopped"}));
  ParseResult text = ParseEverywhere("<MRML a=\"&amp;\">\n&#10;&lt;</MRML>", Budgets());
  ASSERT_EQ(text.findings, std::vector<std::string>{"xml.limit-exceeded 2:6 limit max_document_references (2) "
                                                    "reached more than 2 character and entity references in the "
                                                    "document, the first one over at line 2 column 6 (offset 22)"});
  EXPECT_FALSE(text.ok);
}

TEST(XmlBudgets, MarkupBytesAreRefusedAtTheCommentPiOrCdataThatPassesThem) {
  // 16 bytes, '<' to '>', alone or together.
  for (const std::string doc : {"<MRML><!--abcdefghi--></MRML>", "<MRML><![CDATA[abcd]]></MRML>",
                                "<MRML><?pi abcdefghi?></MRML>", "<MRML><!--a--><!--b--></MRML>"}) {
    ParseResult r = ParseEverywhere(doc, Budgets());
    EXPECT_TRUE(NoLimit(r)) << doc << ::testing::PrintToString(r.findings);
  }
  const std::string refused = "limit max_markup_bytes (16) reached the ";
  const std::string past = " takes the document's comments, processing instructions and CDATA sections past 16 "
                           "bytes; Slicer's scene writer (vtkMRMLScene::Commit) writes none but the XML declaration";
  struct Case {
    std::string doc;
    std::string finding;
  };
  for (const Case& c : std::vector<Case>{
           {"<MRML><!--abcdefghij--></MRML>", "xml.limit-exceeded 1:7 " + refused + "comment at line 1 column 7" + past},
           {"<MRML><![CDATA[abcde]]></MRML>",
            "xml.limit-exceeded 1:7 " + refused + "CDATA section at line 1 column 7" + past},
           {"<MRML><?pi abcdefghij?></MRML>",
            "xml.limit-exceeded 1:7 " + refused + "processing instruction at line 1 column 7" + past},
           {"<MRML><!--a--><!--bc--></MRML>",
            "xml.limit-exceeded 1:15 " + refused + "comment at line 1 column 15" + past},
       }) {
    ParseResult r = ParseEverywhere(c.doc, Budgets());
    // After the xml.comment warning, where the document has an earlier comment.
    ASSERT_FALSE(r.findings.empty()) << c.doc;
    EXPECT_EQ(r.findings.back(), c.finding) << c.doc;
    EXPECT_EQ(std::count(r.rules.begin(), r.rules.end(), "xml.limit-exceeded"), 1) << c.doc;
    EXPECT_FALSE(r.ok);
  }
  // The XML declaration counts (38 bytes as Slicer writes it).
  const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MRML/>";
  Policy declared = Policy::Default();
  declared.limits.max_markup_bytes = 38;
  EXPECT_TRUE(ParseEverywhere(decl, declared).ok);
  declared.limits.max_markup_bytes = 37;
  EXPECT_EQ(ParseEverywhere(decl, declared).findings,
            std::vector<std::string>{"xml.limit-exceeded 1:1 limit max_markup_bytes (37) reached the processing "
                                     "instruction at line 1 column 1 takes the document's comments, processing "
                                     "instructions and CDATA sections past 37 bytes; Slicer's scene writer "
                                     "(vtkMRMLScene::Commit) writes none but the XML declaration"});
  // The 8-byte fast path inside a long comment counts every byte: 64 bytes
  // pass a budget of 64, 65 do not.
  Policy policy = Policy::Default();
  policy.limits.max_markup_bytes = 64;
  EXPECT_TRUE(NoLimit(ParseEverywhere("<MRML><!--" + std::string(57, 'x') + "--></MRML>", policy)));
  EXPECT_FALSE(NoLimit(ParseEverywhere("<MRML><!--" + std::string(58, 'x') + "--></MRML>", policy)));
  EXPECT_TRUE(NoLimit(ParseEverywhere("<MRML><![CDATA[" + std::string(52, 'x') + "]]></MRML>", policy)));
  EXPECT_FALSE(NoLimit(ParseEverywhere("<MRML><![CDATA[" + std::string(53, 'x') + "]]></MRML>", policy)));
}

TEST(XmlBudgets, TagBytesAreRefusedAtTheTagsLessThanSign) {
  Policy policy = Policy::Default();
  policy.limits.max_tag_bytes = 16;
  // <A a="1234567"/> and </MRML         > hold 16 bytes each.
  ParseResult ok = ParseEverywhere("<MRML><A a=\"1234567\"/></MRML         >", policy);
  EXPECT_TRUE(ok.ok) << ::testing::PrintToString(ok.findings);
  ParseResult start = ParseEverywhere("<MRML><A a=\"12345678\"/></MRML>", policy);
  EXPECT_EQ(start.findings, std::vector<std::string>{"xml.limit-exceeded 1:7 limit max_tag_bytes (16) reached the "
                                                     "start tag <\"A\"> at line 1 column 7 is longer than 16 bytes"});
  EXPECT_EQ(start.events, (std::vector<std::string>{"S MRML @1:1+0/1", "END stopped"}));
  ParseResult end = ParseEverywhere("<MRML><A/></MRML          >", policy);
  EXPECT_EQ(end.findings, std::vector<std::string>{"xml.limit-exceeded 1:11 limit max_tag_bytes (16) reached the end "
                                                   "tag at line 1 column 11 is longer than 16 bytes"});
  // Through the 8-byte fast path of a long value: 64 bytes pass 64, 65 do not.
  policy.limits.max_tag_bytes = 64;
  EXPECT_TRUE(ParseEverywhere("<MRML><A a=\"" + std::string(55, 'v') + "\"/></MRML>", policy).ok);
  EXPECT_EQ(ParseEverywhere("<MRML><A a=\"" + std::string(56, 'v') + "\"/></MRML>", policy).rules,
            std::vector<std::string>{"xml.limit-exceeded"});
  // Both limits passed inside one 8-byte stretch of a value: the one passed
  // first is reported, at every chunk size (ParseEverywhere compares them).
  for (uint64_t value_limit = 40; value_limit < 64; ++value_limit) {
    Policy both = policy;
    both.limits.max_attribute_value_bytes = value_limit;
    ParseResult r = ParseEverywhere("<MRML><A abcdef=\"" + std::string(80, 'v') + "\"/></MRML>", both);
    ASSERT_EQ(r.findings.size(), 1u);
    // The value starts 11 bytes into the tag: the tag passes 64 at value byte 54.
    const bool tag_first = value_limit + 1 >= 54;
    EXPECT_NE(r.findings[0].find(tag_first ? "max_tag_bytes" : "max_attribute_value_bytes"), std::string::npos)
        << value_limit << ": " << r.findings[0];
  }
  EXPECT_TRUE(ParseEverywhere("<MRML><A/></MRML" + std::string(57, ' ') + ">", policy).ok);
  EXPECT_EQ(ParseEverywhere("<MRML><A/></MRML" + std::string(58, ' ') + ">", policy).rules,
            std::vector<std::string>{"xml.limit-exceeded"});
}

TEST(XmlBudgets, DefaultsLeaveWhatSlicerWritesAlone) {
  // vtkMRMLScene::Commit: the XML declaration, then elements whose string
  // values vtkMRMLNode::XMLAttributeEncodeString encodes (& " ' < > LF CR).
  ParseResult r = ParseEverywhere(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MRML version=\"5.8\">\n<Text name=\"a&amp;b &quot;c&quot; "
      "&apos;d&apos; &lt;e&gt;&#10;&#13;\"></Text>\n</MRML>\n",
      Policy::Default());
  EXPECT_TRUE(r.ok) << ::testing::PrintToString(r.findings);
}

}  // namespace
}  // namespace mrmlguard::internal
