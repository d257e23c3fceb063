// SPDX-License-Identifier: BSD-3-Clause
// ByteScanner's fast path against its byte path. Fed one byte at a time the
// scanner never takes the fast path (it needs 8 bytes in the chunk), so that
// run is the reference: every other way of cutting the document into chunks
// must give the same problem (rule, offset, line, column, message, limit,
// attribute), the same bytes fed and the same safe_end()/feed_end() after
// every chunk.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mrmlguard/limits.h"
#include "xml/byte_scanner.h"

namespace mrmlguard::internal {
namespace {

struct Run {
  std::optional<ScanProblem> problem;
  // Scan returned, for the chunk with the problem, exactly the bytes of it
  // before the problem's offset (none when that is in an earlier chunk).
  bool fed_to_problem = true;
  bool saw_non_ascii = false;
  // safe_end() and feed_end() after each document offset scanned up to (the
  // reference keeps them for every offset, the others at chunk ends).
  std::vector<uint64_t> safe_end;
  std::vector<uint64_t> feed_end;
};

std::string Describe(const std::optional<ScanProblem>& p) {
  if (!p) return "none";
  return std::to_string(static_cast<int>(p->rule)) + " @" + std::to_string(p->offset) + " " +
         std::to_string(p->line) + ":" + std::to_string(p->column) + " " + p->message + " limit " +
         (p->limit ? p->limit : "-") + "=" + std::to_string(p->limit_value) + " attribute " + p->attribute;
}

// Scans `doc` in pieces ending at the offsets `cuts` (ascending, the last
// one doc.size()).
Run ScanCut(const std::string& doc, const std::vector<size_t>& cuts, const Limits& limits, bool ascii_only) {
  ByteScanner scanner(ascii_only, limits);
  Run run;
  run.safe_end.assign(doc.size() + 1, UINT64_MAX);
  run.feed_end.assign(doc.size() + 1, UINT64_MAX);
  const auto* bytes = reinterpret_cast<const uint8_t*>(doc.data());
  size_t start = 0;
  for (size_t cut : cuts) {
    const size_t got = scanner.Scan(std::span<const uint8_t>(bytes + start, cut - start));
    if (scanner.problem()) {
      const uint64_t bad = scanner.problem()->offset;
      run.fed_to_problem = start + got == (bad > start ? bad : start);
    } else {
      run.fed_to_problem = got == cut - start;
    }
    run.safe_end[cut] = scanner.safe_end();
    run.feed_end[cut] = scanner.feed_end();
    start = cut;
    if (scanner.problem()) break;
  }
  scanner.Finish();
  run.problem = scanner.problem();
  run.saw_non_ascii = scanner.saw_non_ascii();
  return run;
}

std::vector<size_t> Chunks(size_t size, size_t chunk) {
  std::vector<size_t> cuts;
  for (size_t end = chunk; end < size; end += chunk) cuts.push_back(end);
  cuts.push_back(size);
  return cuts;
}

void ExpectSame(const Run& ref, const Run& run, const std::string& how, const std::string& doc) {
  ASSERT_EQ(Describe(run.problem), Describe(ref.problem)) << how << "\n" << doc;
  EXPECT_TRUE(run.fed_to_problem) << how << "\n" << doc;
  EXPECT_TRUE(ref.fed_to_problem) << how << "\n" << doc;
  EXPECT_EQ(run.saw_non_ascii, ref.saw_non_ascii) << how << "\n" << doc;
  for (size_t k = 0; k < run.safe_end.size(); ++k) {
    if (run.safe_end[k] == UINT64_MAX) continue;
    // After a problem the scanner stops; the reference stopped there too.
    if (ref.safe_end[k] == UINT64_MAX) break;
    ASSERT_EQ(run.safe_end[k], ref.safe_end[k]) << how << " safe_end at " << k << "\n" << doc;
    ASSERT_EQ(run.feed_end[k], ref.feed_end[k]) << how << " feed_end at " << k << "\n" << doc;
  }
}

// Checks `doc` at chunk sizes 2 to 40, whole, and cut once at every offset,
// against the byte-at-a-time run; returns that run's problem.
std::optional<ScanProblem> ScanEverywhere(const std::string& doc, const Limits& limits, bool ascii_only = false) {
  const Run ref = ScanCut(doc, Chunks(doc.size(), 1), limits, ascii_only);
  for (size_t chunk = 2; chunk <= 40; ++chunk) {
    ExpectSame(ref, ScanCut(doc, Chunks(doc.size(), chunk), limits, ascii_only), "chunk " + std::to_string(chunk), doc);
  }
  ExpectSame(ref, ScanCut(doc, {doc.size()}, limits, ascii_only), "whole", doc);
  for (size_t cut = 1; cut < doc.size(); ++cut) {
    ExpectSame(ref, ScanCut(doc, {cut, doc.size()}, limits, ascii_only), "cut at " + std::to_string(cut), doc);
  }
  return ref.problem;
}

Limits Small() {
  Limits limits = Limits::Default();
  limits.max_xml_name_bytes = 20;
  limits.max_tag_bytes = 64;
  limits.max_attribute_value_bytes = 24;
  limits.max_markup_bytes = 48;
  return limits;
}

std::string LimitOf(const std::optional<ScanProblem>& p) { return p && p->limit ? p->limit : ""; }

TEST(ByteScannerFastPath, NamesAtTheLimitAndOneOver) {
  const Limits limits = Small();
  for (size_t lead = 0; lead < 9; ++lead) {
    const std::string pad(lead, ' ');
    // Element names: 20 bytes pass, 21 do not, whatever ends the name.
    for (const char* end : {">", "/>", " a='1'>", "\t>", "\n>"}) {
      EXPECT_FALSE(ScanEverywhere(pad + "<" + std::string(20, 'e') + end + "</x>", limits));
      auto over = ScanEverywhere(pad + "<" + std::string(21, 'e') + end, limits);
      EXPECT_EQ(LimitOf(over), "max_xml_name_bytes");
      ASSERT_TRUE(over);
      EXPECT_EQ(over->offset, lead);
    }
    // Attribute names, ended by '=', a space, '/' or '>'.
    for (const char* end : {"='v'", " = 'v'", "/>", ">"}) {
      EXPECT_FALSE(ScanEverywhere(pad + "<A " + std::string(20, 'a') + end + "/>", limits));
      auto over = ScanEverywhere(pad + "<A " + std::string(21, 'a') + end + "/>", limits);
      EXPECT_EQ(LimitOf(over), "max_xml_name_bytes");
      ASSERT_TRUE(over);
      EXPECT_EQ(over->attribute, "");
      EXPECT_NE(over->message.find(std::string(21, 'a')), std::string::npos) << over->message;
    }
  }
}

TEST(ByteScannerFastPath, LongNamesKeepA64ByteSample) {
  Limits limits = Limits::Default();
  limits.max_xml_name_bytes = 100;
  std::string name;
  for (int k = 0; k < 101; ++k) name += static_cast<char>('a' + k % 26);
  auto element = ScanEverywhere("<" + name + "/>", limits);
  ASSERT_EQ(LimitOf(element), "max_xml_name_bytes");
  auto attribute = ScanEverywhere("<A " + name + "='1'/>", limits);
  ASSERT_EQ(LimitOf(attribute), "max_xml_name_bytes");
  // A name sample of 61 to 64 bytes with a multi-byte character across the
  // 64th byte: the sample keeps the whole character.
  for (size_t ascii = 58; ascii < 66; ++ascii) {
    ScanEverywhere("<" + std::string(ascii, 'n') + "\xC3\xA9\xE2\x82\xAC" + std::string(40, 'm') + "/>", limits);
  }
}

TEST(ByteScannerFastPath, TagLimitAgainstNameLimit) {
  // The tag's bytes are checked before the name's at each byte: on a tie
  // the tag limit is reported.
  for (uint64_t tag = 10; tag < 40; ++tag) {
    for (uint64_t name = 5; name < 40; ++name) {
      Limits limits = Limits::Default();
      limits.max_tag_bytes = tag;
      limits.max_xml_name_bytes = name;
      // The element name's byte k is tag byte k + 1: byte `tag` of the name
      // passes the tag limit, byte name + 1 the name limit.
      auto element = ScanEverywhere("<" + std::string(50, 'E') + ">", limits);
      EXPECT_EQ(LimitOf(element), tag <= name + 1 ? "max_tag_bytes" : "max_xml_name_bytes") << tag << " " << name;
      // "<E " then the attribute name: its byte k is tag byte k + 3.
      auto attribute = ScanEverywhere("<E " + std::string(50, 'a') + "='1'>", limits);
      EXPECT_EQ(LimitOf(attribute), tag <= name + 3 ? "max_tag_bytes" : "max_xml_name_bytes") << tag << " " << name;
    }
  }
}

TEST(ByteScannerFastPath, NameBytesThatDoNotEndAName) {
  const Limits limits = Small();
  // '<', '=' and quotes do not end an element name; '<' does not end an
  // attribute name; non-ASCII names take the byte path.
  for (const char* doc : {"<ab<cd<ef<gh<ij<kl<mn/>", "<ab=cd=ef=gh=ij/>", "<ab\"cd'ef\"gh'ij/>",
                                 "<A ab<cd<ef<gh<ij<kl='1'/>", "<\xC3\xA9l\xC3\xA9ment attr\xC3\xAE" "but='1'/>",
                                 "<A b\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82"
                                 "\xAC='1'/>",
                                 "<A \xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80"
                                 "\xF0\x9F\x98\x80='1'/>"}) {
    ScanEverywhere(doc, limits);
  }
  EXPECT_EQ(LimitOf(ScanEverywhere("<ab<cd<ef<gh<ij<kl<mn<op<qr/>", limits)), "max_xml_name_bytes");
}

TEST(ByteScannerFastPath, AttributeNamesEndingInsideAWord) {
  Limits limits = Limits::Default();
  // The '=' (or space) at every place of the 8- and 16-byte words.
  for (size_t len = 1; len < 34; ++len) {
    for (size_t lead = 0; lead < 3; ++lead) {
      const std::string name(len, 'n');
      EXPECT_FALSE(ScanEverywhere(std::string(lead, ' ') + "<Element " + name + "=\"v\"  " + name +
                                      "  =  'w'   other=\"x\"></Element>",
                                  limits));
    }
  }
}

TEST(ByteScannerFastPath, ForbiddenBytesInsideRuns) {
  const Limits limits = Small();
  for (size_t at = 0; at < 20; ++at) {
    for (const std::string& bad : {std::string(1, '\0'), std::string("\x01"), std::string("\xFF"),
                                  std::string("\xC3"), std::string("\xEF\xBF\xBE")}) {
      std::string name(19, 'n');
      name.insert(at, bad);
      for (const std::string& doc : {"<" + name + "/>", "<A " + name + "='1'/>", "<A b='" + name + "'/>",
                                     "<A>" + name + "</A>", "<!--" + name + "-->", "<A" + name + "/>"}) {
        auto problem = ScanEverywhere(doc, limits);
        ASSERT_TRUE(problem) << doc;
      }
    }
  }
  // ASCII-only documents refuse the first byte above 0x7F.
  EXPECT_TRUE(ScanEverywhere("<A b='12345678901234\xC3\xA9'/>", limits, /*ascii_only=*/true));
}

TEST(ByteScannerFastPath, SpacesInTagsCountTowardsTheTagLimit) {
  Limits limits = Limits::Default();
  limits.max_tag_bytes = 40;
  for (size_t spaces = 20; spaces < 40; ++spaces) {
    const std::string pad(spaces, ' ');
    auto problem = ScanEverywhere("<A" + pad + "b" + pad + "=" + pad + "'1'" + pad + "/></A" + pad + ">", limits);
    EXPECT_EQ(LimitOf(problem), "max_tag_bytes");
    ScanEverywhere("<A" + pad + "/><?pi" + pad + "?><!--" + pad + "--><![CDATA[" + pad + "]]>", limits);
  }
}

// Documents made of the pieces the scanner reacts to, at small limits.
TEST(ByteScannerFastPath, GeneratedDocumentsMatchTheBytePath) {
  const std::vector<std::string> pieces = {
      "<", "</", ">", "/>", " ", "        ", "\t", "\n", "\r\n", "\r", "=", "\"", "'", "&amp;", "&#x10FFFF;", "&#",
      "&", ";", "<!--", "-->", "--", "-", "<![CDATA[", "]]>", "]", "<?", "?>", "?", "<!DOCTYPE", "\xC3\xA9",
      "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\x01", "\xFF", "abcdefghijklmnop", "Volume", "id", "name=\"x\" ",
      "<A b=\"0123456789abcdef\" c='0123456789abcdef'>", "xyz"};
  uint64_t state = 0x9E3779B97F4A7C15ull;  // a fixed LCG: the same documents every run
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  for (int doc_index = 0; doc_index < 300; ++doc_index) {
    Limits limits = Limits::Default();
    limits.max_xml_name_bytes = 4 + next(30);
    limits.max_tag_bytes = 8 + next(120);
    limits.max_attribute_value_bytes = 2 + next(40);
    limits.max_markup_bytes = 4 + next(80);
    limits.max_attributes_per_element = 1 + next(6);
    limits.max_document_references = 1 + next(8);
    limits.max_xml_depth = 1 + next(8);
    std::string doc;
    const size_t count = 5 + next(40);
    for (size_t k = 0; k < count; ++k) {
      // Mostly printable pieces, so that documents get past their first bytes.
      const std::string& piece = pieces[next(pieces.size())];
      if ((piece == "\x01" || piece == "\xFF") && next(4) != 0) continue;
      doc += piece;
    }
    ScanEverywhere(doc, limits, next(8) == 0);
  }
}

}  // namespace
}  // namespace mrmlguard::internal
