// SPDX-License-Identifier: BSD-3-Clause
// Table of one-line XML documents, one check per line, each with the exact
// rule ids it must produce. Every case runs whole and in chunks of 1, 2, 3, 7
// and 4096 bytes, with and without the libxml2 cross-check; the findings and
// the events the handler sees must not change with either.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "xml/xml_parser.h"
#include "xml_test_util.h"

namespace mrmlguard::internal {
namespace {

using testing::Parse;
using testing::ParseResult;

struct Case {
  const char* name;
  std::string doc;
  std::vector<std::string> rules;  // exact rule ids, in order; empty = clean
};

const std::string kLaughs =
    "<!DOCTYPE MRML [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
    "<MRML a=\"&d;\">&d;</MRML>";

std::string Nested(int depth) {
  std::string doc = "<MRML>";
  for (int i = 1; i < depth; ++i) doc += "<N>";
  for (int i = 1; i < depth; ++i) doc += "</N>";
  return doc + "</MRML>";
}

std::string ManyAttributes(int count) {
  std::string doc = "<MRML><Volume";
  for (int i = 0; i < count; ++i) doc += " a" + std::to_string(i) + "=\"1\"";
  return doc + "/></MRML>";
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out += static_cast<char>(b);
  return out;
}

std::vector<Case> Cases() {
  return {
      // Accepted.
      {"minimal", "<MRML></MRML>", {}},
      {"self-closing root", "<MRML/>", {}},
      {"comment after root", "<MRML/>\n<!-- end -->\n", {"xml.comment"}},
      {"gt and apos in values", "<MRML a=\">'\" b='\"'/>", {}},
      {"typical", "<MRML version=\"Slicer4\"><Volume id=\"v1\" name=\"a &amp; b\"></Volume></MRML>", {}},
      {"decl utf8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MRML></MRML>", {}},
      {"decl utf8 lower", "<?xml version='1.0' encoding='utf-8'?><MRML/>", {}},
      {"decl no encoding", "<?xml version=\"1.0\"?><MRML/>", {}},
      {"utf8 bom", "\xEF\xBB\xBF<MRML/>", {}},
      {"utf8 bom and decl", "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?><MRML/>", {}},
      {"crlf", "<MRML>\r\n<Volume\r\n id=\"1\"/>\r\n</MRML>\r\n", {}},
      {"utf8 text in attribute", "<MRML><Volume name=\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"/></MRML>", {}},
      {"char refs", "<MRML><V a=\"&#13;&#10;&#9;&#x41;&lt;&gt;&quot;&apos;&#38;\"/></MRML>", {}},
      {"attribute normalisation", "<MRML><V a=\"x\ty\nz\r\nw\"/></MRML>", {}},
      {"whitespace text", "<MRML>\n  \t<V/>\r\n</MRML>\n\n", {}},
      {"c1 control is XML", "<MRML><V a=\"\xC2\x85\x7F\"/></MRML>", {}},
      {"latin1 pure ascii", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><MRML/>", {"xml.latin1-declaration"}},
      {"us-ascii pure ascii", "<?xml version=\"1.0\" encoding=\"us-ascii\"?><MRML/>", {"xml.latin1-declaration"}},

      // X3/X4: DOCTYPE and everything it brings.
      {"doctype", "<!DOCTYPE MRML><MRML/>", {"xml.doctype"}},
      {"doctype system", "<!DOCTYPE MRML SYSTEM \"http://example.com/a.dtd\"><MRML/>", {"xml.doctype"}},
      {"billion laughs", kLaughs, {"xml.doctype"}},
      {"quadratic blowup", "<!DOCTYPE MRML [<!ENTITY x \"" + std::string(1000, 'x') + "\">]><MRML a=\"&x;&x;&x;&x;\"/>",
       {"xml.doctype"}},
      {"external entity", "<!DOCTYPE MRML [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><MRML>&x;</MRML>", {"xml.doctype"}},
      {"parameter entity", "<!DOCTYPE MRML [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]><MRML/>", {"xml.doctype"}},
      {"notation", "<!DOCTYPE MRML [<!NOTATION n SYSTEM \"x\">]><MRML/>", {"xml.doctype"}},
      {"undeclared entity", "<MRML a=\"&x;\"/>", {"xml.malformed"}},
      {"public external entity",
       "<!DOCTYPE MRML [<!ENTITY x PUBLIC \"-//x//EN\" \"http://example.com/x\">]><MRML>&x;</MRML>", {"xml.doctype"}},
      {"doctype after comment", "<!-- c --><!DOCTYPE MRML><MRML/>", {"xml.comment", "xml.doctype"}},
      {"doctype after root", "<MRML/><!DOCTYPE MRML>", {"xml.malformed"}},
      {"doctype in latin1 document", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><!DOCTYPE MRML><MRML/>",
       {"xml.doctype"}},

      // X2: encodings.
      {"utf16le bom", Bytes({0xFF, 0xFE, '<', 0, 'M', 0, '/', 0, '>', 0}), {"xml.encoding"}},
      {"utf16be bom", Bytes({0xFE, 0xFF, 0, '<', 0, 'M', 0, '/', 0, '>'}), {"xml.encoding"}},
      {"utf32le bom", Bytes({0xFF, 0xFE, 0, 0, '<', 0, 0, 0}), {"xml.encoding"}},
      {"utf16 no bom", Bytes({'<', 0, '?', 0, 'x', 0, 'm', 0, 'l', 0}), {"xml.encoding"}},
      {"ebcdic", Bytes({0x4C, 0x6F, 0xA7, 0x94, 0x40}), {"xml.encoding"}},
      {"utf16 declared", "<?xml version=\"1.0\" encoding=\"UTF-16\"?><MRML/>", {"xml.encoding"}},
      {"utf7 declared", "<?xml version=\"1.0\" encoding=\"UTF-7\"?><MRML>+AGEAYgBj-</MRML>", {"xml.encoding"}},
      {"utf8 bom then utf16 declared", "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-16\"?><MRML/>",
       {"xml.encoding"}},
      {"utf8 bom then latin1 declared", "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><MRML/>",
       {"xml.encoding"}},
      {"latin1 declared with single quotes and spaces",
       "<?xml version = '1.0'  encoding = 'iso-8859-1' ?><MRML a=\"\xE9\"/>", {"xml.encoding"}},
      {"decl too long", "<?xml" + std::string(2000, ' ') + "version=\"1.0\"?><MRML/>", {"xml.encoding"}},
      {"latin1 alias", "<?xml version=\"1.0\" encoding=\"latin1\"?><MRML/>", {"xml.encoding"}},
      {"latin1 non-ascii", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><MRML><V a=\"caf\xE9\"/></MRML>",
       {"xml.encoding"}},
      {"latin1 utf8 bytes", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><MRML a=\"\xC3\xA9\"/>", {"xml.encoding"}},
      {"invalid utf8", "<MRML a=\"\xC3\x28\"/>", {"xml.encoding"}},
      {"overlong utf8", "<MRML a=\"\xC0\xAF\"/>", {"xml.encoding"}},
      {"surrogate utf8", "<MRML a=\"\xED\xA0\x80\"/>", {"xml.encoding"}},
      {"truncated utf8 at end", "<MRML/>\xE2\x82", {"xml.encoding"}},

      // X2: version and standalone.
      {"version 1.1", "<?xml version=\"1.1\"?><MRML/>", {"xml.version"}},
      {"standalone", "<?xml version=\"1.0\" standalone=\"yes\"?><MRML/>", {"xml.version"}},

      // Control characters and non-characters.
      {"nul in attribute", std::string("<MRML a=\"x\0y\"/>", 15), {"xml.control-char"}},
      {"nul after root", std::string("<MRML/>\0", 8), {"xml.control-char"}},
      {"control char", "<MRML a=\"\x01\"/>", {"xml.control-char"}},
      {"escape char", "<MRML>\x1B</MRML>", {"xml.control-char"}},
      {"U+FFFE", "<MRML a=\"\xEF\xBF\xBE\"/>", {"xml.control-char"}},
      {"U+FFFF", "<MRML a=\"\xEF\xBF\xBF\"/>", {"xml.control-char"}},
      {"char ref to control", "<MRML a=\"&#1;\"/>", {"xml.malformed"}},
      {"char ref to nul", "<MRML a=\"&#0;\"/>", {"xml.malformed"}},

      // X7, X11: comments, PIs, CDATA, text.
      {"comment", "<MRML><!-- hi --></MRML>", {"xml.comment"}},
      {"comment before root", "<!-- hi --><MRML/>", {"xml.comment"}},
      {"two comments once", "<MRML><!--a--><!--b--></MRML>", {"xml.comment"}},
      {"pi", "<MRML><?php echo 1; ?></MRML>", {"xml.processing-instruction"}},
      {"xml-stylesheet", "<?xml-stylesheet href=\"a.xsl\"?><MRML/>", {"xml.processing-instruction"}},
      {"cdata whitespace", "<MRML><![CDATA[  ]]></MRML>", {"xml.cdata"}},
      {"cdata text", "<MRML><![CDATA[x]]></MRML>", {"xml.cdata", "xml.text"}},
      {"text", "<MRML>hello</MRML>", {"xml.text"}},
      {"text in node", "<MRML><Volume>x</Volume></MRML>", {"xml.text"}},
      {"char ref text", "<MRML>&#65;</MRML>", {"xml.text"}},

      // X8: namespaces.
      {"xmlns default", "<MRML xmlns=\"http://x\"/>", {"xml.namespace"}},
      {"xmlns prefix", "<MRML xmlns:a=\"http://x\"/>", {"xml.namespace"}},
      {"prefixed element", "<MRML><a:Volume/></MRML>", {"xml.namespace"}},
      {"prefixed attribute", "<MRML><Volume a:b=\"1\"/></MRML>", {"xml.namespace"}},
      {"xinclude", "<MRML xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"/etc/passwd\"/></MRML>",
       {"xml.namespace"}},
      {"prefixed root", "<x:MRML/>", {"xml.namespace"}},
      {"xml:lang", "<MRML xml:lang=\"en\"/>", {"xml.namespace"}},
      {"xmlnsfoo attribute", "<MRML xmlnsfoo=\"1\"/>", {"xml.namespace"}},

      // X10: root.
      {"root not MRML", "<Volume/>", {"xml.root"}},
      {"root lowercase", "<mrml/>", {"xml.root"}},
      {"MRML nested", "<MRML><Volume><MRML/></Volume></MRML>", {"xml.root"}},
      {"two roots", "<MRML/><MRML/>", {"xml.malformed"}},
      {"several roots", "<VolumeProperty/><VolumeProperty/>", {"xml.root"}},
      {"text after root", "<MRML/>x", {"xml.malformed"}},
      {"empty", "", {"xml.malformed"}},
      {"only whitespace", " \n", {"xml.malformed"}},
      {"unclosed", "<MRML>", {"xml.malformed"}},
      {"mismatched tag", "<MRML><A></B></MRML>", {"xml.malformed"}},
      {"duplicate attribute", "<MRML a=\"1\" a=\"2\"/>", {"xml.malformed"}},
      {"lt in attribute", "<MRML a=\"<\"/>", {"xml.malformed"}},
      {"bad decl", "<?xml encoding=\"UTF-8\"?><MRML/>", {"xml.malformed"}},
      {"decl not first", " <?xml version=\"1.0\"?><MRML/>", {"xml.malformed"}},

      // X9: limits (default profile: depth 64, 512 attributes, names of
      // 1024 bytes), refused by the byte scanner before the parsers.
      {"depth 64", Nested(64), {}},
      {"depth 65", Nested(65), {"xml.limit-exceeded"}},
      {"attributes 512", ManyAttributes(512), {}},
      {"attributes 513", ManyAttributes(513), {"xml.limit-exceeded"}},
      {"element name 1024", "<MRML><" + std::string(1024, 'V') + "/></MRML>", {}},
      {"element name 1025", "<MRML><" + std::string(1025, 'V') + "/></MRML>", {"xml.limit-exceeded"}},
      {"attribute name 1024", "<MRML " + std::string(1024, 'a') + "=\"1\"/>", {}},
      {"attribute name 1025", "<MRML " + std::string(1025, 'a') + "=\"1\"/>", {"xml.limit-exceeded"}},
      {"name 1025 in end tag only", "<MRML></" + std::string(1025, 'V') + ">", {"xml.malformed"}},
  };
}

class XmlCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(XmlCaseTest, ExactRulesAtEveryChunkSize) {
  const Case& c = GetParam();
  ParseResult reference = Parse(c.doc, 0, /*cross_check=*/true);
  EXPECT_EQ(reference.rules, c.rules) << c.name << "\n" << ::testing::PrintToString(reference.findings);
  EXPECT_EQ(reference.end_calls, 1);
  bool has_error = false;
  for (const std::string& rule : c.rules) {
    has_error = has_error || (rule != "xml.comment" && rule != "xml.cdata" && rule != "xml.processing-instruction" &&
                              rule != "xml.latin1-declaration");
  }
  EXPECT_EQ(reference.ok, !has_error) << c.name;
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{4096}}) {
    for (bool cross : {true, false}) {
      ParseResult r = Parse(c.doc, chunk, cross);
      EXPECT_EQ(r.findings, reference.findings) << c.name << " chunk " << chunk << " cross " << cross;
      EXPECT_EQ(r.events, reference.events) << c.name << " chunk " << chunk << " cross " << cross;
      EXPECT_EQ(r.ok, reference.ok) << c.name << " chunk " << chunk << " cross " << cross;
    }
  }
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string out;
  for (const char* p = info.param.name; *p != '\0'; ++p) {
    char ch = *p;
    out += ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) ? ch : '_';
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Table, XmlCaseTest, ::testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace mrmlguard::internal
