// SPDX-License-Identifier: BSD-3-Clause
// JsonWriter and AppendJsonString: the output parses as strict JSON for every
// byte string, and decodes back to the input with U+FFFD in place of bytes
// that were not UTF-8.

#include "report/json_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "report/escape.h"
#include "report/strict_json.h"

namespace mrmlguard::internal {
namespace {

using testing::JsonValue;
using testing::StrictJsonParser;

// Writes `s` as the only string of a document and parses it back.
std::string RoundTrip(std::string_view s) {
  JsonWriter w;
  w.BeginArray();
  w.String(s);
  w.EndArray();
  EXPECT_TRUE(w.complete());
  const std::string doc = w.Finish();
  JsonValue v;
  StrictJsonParser parser;
  EXPECT_TRUE(parser.Parse(doc, &v)) << parser.error() << " in " << doc;
  return v[0].text;
}

TEST(JsonString, EscapesQuotesBackslashesAndControls) {
  std::string out;
  AppendJsonString(&out, std::string("a\"b\\c\n\t\r\x01\x1f\x7f", 11));
  EXPECT_EQ(out, R"("a\"b\\c\n\t\r\u0001\u001f\u007f")");
}

TEST(JsonString, NulByteIsEscapedNotTruncated) {
  std::string out;
  AppendJsonString(&out, std::string("a\0b", 3));
  EXPECT_EQ(out, R"("a\u0000b")");
}

TEST(JsonString, TerminalEscapeSequenceBecomesText) {
  std::string out;
  AppendJsonString(&out, "\x1b[31mred\x1b]0;title\x07");
  EXPECT_EQ(out, R"("\u001b[31mred\u001b]0;title\u0007")");
}

TEST(JsonString, C1BidiAndSeparatorsAreEscaped) {
  std::string out;
  AppendJsonString(&out, "\xc2\x9b|\xe2\x80\xae|\xe2\x81\xa6|\xe2\x80\xa8|\xe2\x80\xa9");
  EXPECT_EQ(out, R"("\u009b|\u202e|\u2066|\u2028|\u2029")");
}

TEST(JsonString, ValidUtf8IsCopied) {
  const std::string text = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf";
  std::string out;
  AppendJsonString(&out, text);
  EXPECT_EQ(out, "\"" + text + "\"");
  EXPECT_EQ(RoundTrip(text), text);
}

TEST(JsonString, InvalidUtf8BecomesReplacementCharacters) {
  const std::string fffd = "\xef\xbf\xbd";
  // One replacement per maximal subpart (Unicode 15 §3.9, U+FFFD substitution).
  EXPECT_EQ(RoundTrip("\xff"), fffd);
  EXPECT_EQ(RoundTrip("\xc0\xaf"), fffd + fffd);              // overlong '/'
  EXPECT_EQ(RoundTrip("\xe0\x80\xaf"), fffd + fffd + fffd);    // overlong, 3 bytes
  EXPECT_EQ(RoundTrip("\xed\xa0\x80"), fffd + fffd + fffd);    // encoded surrogate
  EXPECT_EQ(RoundTrip("\xf4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
  EXPECT_EQ(RoundTrip("\xf0\x9f\x98"), fffd);                  // truncated 4-byte
  EXPECT_EQ(RoundTrip("a\xe2\x82z"), "a" + fffd + "z");        // truncated 3-byte
  EXPECT_EQ(RoundTrip("\x80\x80"), fffd + fffd);               // lone continuations
  EXPECT_EQ(RoundTrip("\xf8\x88\x80\x80\x80"), fffd + fffd + fffd + fffd + fffd);
}

TEST(JsonString, EverySingleByteAndBytePairIsValidJson) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const char pair[2] = {static_cast<char>(a), static_cast<char>(b)};
      std::string out;
      AppendJsonString(&out, std::string_view(pair, 2));
      JsonValue v;
      StrictJsonParser parser;
      ASSERT_TRUE(parser.Parse(out, &v)) << parser.error() << " for bytes " << a << "," << b;
    }
  }
}

TEST(JsonString, PseudoRandomBytesAreValidJsonAndValidBytesSurvive) {
  uint64_t state = 0x9e3779b97f4a7c15ull;  // fixed seed: the test is deterministic
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string s(next() % 48, '\0');
    for (char& c : s) {
      // Bias towards the interesting bytes: controls, quotes, lead bytes.
      const uint64_t r = next();
      constexpr char kInteresting[] = "\"\\\x00\x1b\xc2\xe2\xed\xf0\xf4\x80\xbf";
      c = (r & 3) == 0 ? kInteresting[(r >> 2) % 11] : static_cast<char>((r >> 8) & 0xff);
    }
    std::string out;
    AppendJsonString(&out, s);
    JsonValue v;
    StrictJsonParser parser;
    ASSERT_TRUE(parser.Parse(out, &v)) << parser.error() << " in " << out;
    ASSERT_TRUE(v.is_string());
    // Decoding gives the input back, each invalid subpart replaced by one
    // U+FFFD: escaping loses nothing else (DecodeUtf8 has its own table test).
    std::string expected;
    for (size_t pos = 0; pos < s.size();) {
      const text::Utf8Step step = text::DecodeUtf8(s, pos);
      expected += step.valid ? s.substr(pos, step.length) : "\xef\xbf\xbd";
      pos += step.length;
    }
    ASSERT_EQ(v.text, expected);
  }
}

TEST(JsonWriter, PlacesCommasAndIndentation) {
  JsonWriter w;
  w.BeginObject();
  w.Field("a", "x");
  w.FieldUint("b", 18446744073709551615ull);
  w.Key("c");
  w.BeginArray();
  w.Bool(true);
  w.Null();
  w.BeginObject();
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.EndArray();
  w.EndObject();
  ASSERT_TRUE(w.complete());
  EXPECT_EQ(w.Finish(),
            "{\n"
            "  \"a\": \"x\",\n"
            "  \"b\": 18446744073709551615,\n"
            "  \"c\": [\n"
            "    true,\n"
            "    null,\n"
            "    {},\n"
            "    []\n"
            "  ]\n"
            "}\n");
}

TEST(JsonWriter, CompactMode) {
  JsonWriter w(0);
  w.BeginObject();
  w.Field("k", "v");
  w.Key("l");
  w.BeginArray();
  w.Uint(1);
  w.Uint(2);
  w.EndArray();
  w.EndObject();
  EXPECT_EQ(w.Finish(), "{\"k\":\"v\",\"l\":[1,2]}\n");
}

TEST(JsonWriter, IncompleteDocumentIsDetected) {
  JsonWriter w;
  EXPECT_FALSE(w.complete());
  w.BeginObject();
  EXPECT_FALSE(w.complete());
  w.Key("x");
  w.EndObject();  // a key without its value
  EXPECT_FALSE(w.complete());
}

TEST(JsonWriter, HostileKeysAreEscapedToo) {
  JsonWriter w;
  w.BeginObject();
  w.Field(std::string("k\"\n\xff", 4), "v");
  w.EndObject();
  const std::string doc = w.Finish();
  JsonValue v;
  StrictJsonParser parser;
  ASSERT_TRUE(parser.Parse(doc, &v)) << parser.error();
  EXPECT_EQ(v.keys[0], "k\"\n\xef\xbf\xbd");
}

}  // namespace
}  // namespace mrmlguard::internal
