// SPDX-License-Identifier: BSD-3-Clause
// DecodeUtf8 against Unicode's table of well-formed sequences, and the
// terminal and URI escaping built on it.

#include "report/escape.h"

#include <gtest/gtest.h>

#include <string>

namespace mrmlguard::internal {
namespace {

struct DecodeCase {
  std::string bytes;
  bool valid;
  size_t length;
  char32_t code_point;
};

TEST(DecodeUtf8, TableOfSequences) {
  const DecodeCase cases[] = {
      {"A", true, 1, 0x41},
      {std::string(1, '\0'), true, 1, 0},
      {"\xc2\x80", true, 2, 0x80},
      {"\xdf\xbf", true, 2, 0x7ff},
      {"\xe0\xa0\x80", true, 3, 0x800},
      {"\xed\x9f\xbf", true, 3, 0xd7ff},
      {"\xee\x80\x80", true, 3, 0xe000},
      {"\xef\xbf\xbf", true, 3, 0xffff},
      {"\xf0\x90\x80\x80", true, 4, 0x10000},
      {"\xf4\x8f\xbf\xbf", true, 4, 0x10ffff},
      // Invalid: length is the maximal subpart.
      {"\x80", false, 1, 0},
      {"\xc0\x80", false, 1, 0},          // C0/C1 never lead
      {"\xc1\xbf", false, 1, 0},
      {"\xc2", false, 1, 0},              // truncated
      {"\xc2\x41", false, 1, 0},
      {"\xe0\x9f\x80", false, 1, 0},      // overlong
      {"\xe0\xa0", false, 2, 0},          // truncated after a good second byte
      {"\xed\xa0\x80", false, 1, 0},      // surrogate D800
      {"\xf0\x8f\xbf\xbf", false, 1, 0},  // overlong
      {"\xf0\x90\x80", false, 3, 0},      // truncated
      {"\xf4\x90\x80\x80", false, 1, 0},  // above U+10FFFF
      {"\xf5\x80\x80\x80", false, 1, 0},
      {"\xff", false, 1, 0},
  };
  for (const DecodeCase& c : cases) {
    const text::Utf8Step step = text::DecodeUtf8(c.bytes, 0);
    EXPECT_EQ(step.valid, c.valid) << ::testing::PrintToString(c.bytes);
    EXPECT_EQ(step.length, c.length) << ::testing::PrintToString(c.bytes);
    if (c.valid) {
      EXPECT_EQ(step.code_point, c.code_point) << ::testing::PrintToString(c.bytes);
    }
  }
}

TEST(ForTerminal, KeepsPrintableTextAndUtf8) {
  EXPECT_EQ(ForTerminal("Scene/Data/caf\xc3\xa9 1.nrrd"), "Scene/Data/caf\xc3\xa9 1.nrrd");
  EXPECT_EQ(ForTerminal("back\\slash \"quoted\""), "back\\slash \"quoted\"");
}

TEST(ForTerminal, NeutralisesWhatATerminalWouldAct) {
  EXPECT_EQ(ForTerminal("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(ForTerminal("\x1b[2J\x07"), "\\x1b[2J\\x07");
  EXPECT_EQ(ForTerminal(std::string("\0\x7f", 2)), "\\x00\\x7f");
  EXPECT_EQ(ForTerminal("\xc2\x9b" "31m"), "\\u{009b}31m");
  EXPECT_EQ(ForTerminal("evil\xe2\x80\xaegpj.mrml"), "evil\\u{202e}gpj.mrml");
  EXPECT_EQ(ForTerminal("\xe2\x80\xa8"), "\\u{2028}");
}

TEST(ForTerminal, InvalidBytesShowAsHex) {
  EXPECT_EQ(ForTerminal("a\xff\xfe" "b"), "a\\xff\\xfeb");
  EXPECT_EQ(ForTerminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");
  EXPECT_EQ(ForTerminal("\xe2\x82"), "\\xe2\\x82");
}

TEST(UriPath, EncodesEverythingButUnreservedAndSlash) {
  std::string out;
  AppendUriPath(&out, "corpus/real/My Scene#1?.mrml");
  EXPECT_EQ(out, "corpus/real/My%20Scene%231%3F.mrml");
  out.clear();
  AppendUriPath(&out, "c:x%\xc3\xa9\\");
  EXPECT_EQ(out, "c%3Ax%25%C3%A9%5C");
  out.clear();
  AppendUriPath(&out, "a-b_c.d~e/f");
  EXPECT_EQ(out, "a-b_c.d~e/f");
}

}  // namespace
}  // namespace mrmlguard::internal
