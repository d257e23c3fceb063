// SPDX-License-Identifier: BSD-3-Clause
// Deterministic mutations of real scenes: whatever the bytes, the findings
// must not depend on the chunk size or on the cross-check's thread, a
// refused document must carry an error finding, and nothing may crash (run
// under the sanitizer build too).

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "xml_test_util.h"

namespace mrmlguard::internal {
namespace {

namespace fs = std::filesystem;
using testing::Parse;
using testing::ParseResult;

// xorshift64*: a fixed sequence, so every run tests the same documents.
struct Rng {
  uint64_t state;
  uint64_t Next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1Dull;
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string out(static_cast<size_t>(fs::file_size(path)), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

const char* const kSnippets[] = {
    "<!DOCTYPE MRML>", "<!--x-->", "<?pi x?>", "<![CDATA[x]]>", "&amp;", "&#38;", "&x;", "\r\n", "\xC3\xA9",
    "\xEF\xBF\xBE", "\x01", "xmlns:a=\"u\" ", "<MRML>", "</MRML>", "<a:b/>", "\"", "<", ">", "&#10;", " b=\"1\" ",
};

std::string Mutate(std::string doc, Rng& rng) {
  int edits = 1 + static_cast<int>(rng.Below(3));
  for (int e = 0; e < edits && !doc.empty(); ++e) {
    size_t at = rng.Below(doc.size());
    switch (rng.Below(4)) {
      case 0:
        doc[at] = static_cast<char>(rng.Below(256));
        break;
      case 1:
        doc.erase(at, 1 + rng.Below(16));
        break;
      case 2:
        doc.insert(at, kSnippets[rng.Below(sizeof kSnippets / sizeof kSnippets[0])]);
        break;
      default:
        doc.insert(at, doc.substr(rng.Below(doc.size()), rng.Below(64)));
        break;
    }
  }
  return doc;
}

TEST(XmlMutation, FindingsIndependentOfChunkingAndThreads) {
  const fs::path corpus = fs::path(MRMLGUARD_SOURCE_DIR) / "corpus" / "real";
  const char* seeds[] = {
      "Slicer/Libs/MRML/Core/Testing/cube.mrml",
      "Slicer/Libs/MRML/Core/Testing/cube-utf8.mrml",
      "SlicerHeart/ValveAnnulusAnalysis/Resources/VrPresets/US-VrPresets.mrml",
  };
  Rng rng{0x9E3779B97F4A7C15ull};
  int refused = 0;
  int runs = 0;
  for (const char* seed : seeds) {
    fs::path path = corpus / seed;
    ASSERT_TRUE(fs::exists(path)) << path;
    std::string original = ReadFile(path);
    for (int i = 0; i < 60; ++i) {
      std::string doc = Mutate(original, rng);
      ParseResult whole = Parse(doc, 0, true);
      bool has_error = false;
      for (const std::string& rule : whole.rules) {
        has_error = has_error || (rule != "xml.comment" && rule != "xml.cdata" && rule != "xml.processing-instruction" &&
                                  rule != "xml.latin1-declaration");
      }
      EXPECT_EQ(whole.ok, !has_error) << seed << " #" << i << " " << ::testing::PrintToString(whole.findings);
      if (!whole.ok) ++refused;
      for (size_t chunk : {size_t{1}, size_t{61}, size_t{1000}}) {
        ParseResult r = Parse(doc, chunk, true);
        EXPECT_EQ(r.findings, whole.findings) << seed << " #" << i << " chunk " << chunk;
        EXPECT_EQ(r.ok, whole.ok) << seed << " #" << i << " chunk " << chunk;
        EXPECT_EQ(r.events, whole.events) << seed << " #" << i << " chunk " << chunk;
        ++runs;
      }
      ParseResult alone = Parse(doc, 0, false);
      // Without the cross-check only the differential can be missing.
      std::vector<std::string> expected;
      for (const std::string& f : whole.findings) {
        if (f.rfind("xml.parser-differential", 0) != 0) expected.push_back(f);
      }
      EXPECT_EQ(alone.findings, expected) << seed << " #" << i;
    }
  }
  EXPECT_GT(refused, 30);  // the mutations do reach the refusals
  EXPECT_GT(runs, 0);
}


// The class behind a fuzz finding (mrml_fuzzer, "</MRML" + 0xcc at the end):
// a document that ends inside markup, followed by bytes that begin but do
// not finish a UTF-8 character. The scanner's end-of-input problem and
// Expat's error for the unfinished markup must come out the same way for
// every chunking: every prefix of a few documents, each with every
// truncated multibyte tail, in every chunk size up to the document's length.
TEST(XmlMutation, TruncatedEndsIndependentOfChunking) {
  const std::string bodies[] = {
      "<MRML><V\nulme id=\"a\"></MRML",
      "<MRML version=\"5\"><V id=\"a\" name=\"\xc3\xa9\"/></MRML>",
      "<MRML><!-- c --><V id=\"a\"><![CDATA[x]]></V></MRML>",
  };
  const std::string tails[] = {"", "\xcc", "\xe2\x82", "\xf0\x9f\x98", "\xff"};
  int runs = 0;
  for (const std::string& body : bodies) {
    for (size_t cut = 1; cut <= body.size(); ++cut) {
      for (const std::string& tail : tails) {
        const std::string doc = body.substr(0, cut) + tail;
        const ParseResult whole = Parse(doc, 0, false);
        for (size_t chunk = 1; chunk <= doc.size(); ++chunk) {
          const ParseResult r = Parse(doc, chunk, false);
          ASSERT_EQ(r.findings, whole.findings) << ::testing::PrintToString(doc) << " chunk " << chunk;
          ASSERT_EQ(r.ok, whole.ok) << ::testing::PrintToString(doc) << " chunk " << chunk;
          ++runs;
        }
      }
    }
  }
  EXPECT_GT(runs, 10000);
}

}  // namespace
}  // namespace mrmlguard::internal
