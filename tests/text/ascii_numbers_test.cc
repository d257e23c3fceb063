// SPDX-License-Identifier: BSD-3-Clause
// text/ascii.h and text/numbers.h.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/ascii.h"
#include "text/numbers.h"

namespace mrmlguard::internal::text {
namespace {

TEST(AsciiTest, CaseAndAffixes) {
  EXPECT_EQ(AsciiLower(std::string_view("AbC.MRML\xC3\x89")), "abc.mrml\xC3\x89");  // non-ASCII untouched
  EXPECT_TRUE(EqualsIgnoreCase("Scene.MRML", "scene.mrml"));
  EXPECT_FALSE(EqualsIgnoreCase("scene.mrml", "scene.mrm"));
  EXPECT_TRUE(StartsWith("slicer:x", "slicer:"));
  EXPECT_FALSE(StartsWith("sl", "slicer:"));
  EXPECT_TRUE(EndsWith("a.nrrd", ".nrrd"));
  EXPECT_FALSE(EndsWith("nrrd", ".nrrd"));
  EXPECT_TRUE(StartsWithIgnoreCase("SLICER:x", "slicer:"));
  EXPECT_TRUE(EndsWithIgnoreCase("S/S.MRML", ".mrml"));
  EXPECT_FALSE(EndsWithIgnoreCase("mrml", ".mrml"));
}

TEST(AsciiTest, TrimAndSplit) {
  EXPECT_EQ(Trim(" \t a b \r"), "a b");
  EXPECT_EQ(Trim(""), "");
  size_t dropped = 0;
  std::vector<std::string_view> words = SplitWords("  a \tbb  c d ", 3, &dropped);
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[2], "c");
  EXPECT_EQ(dropped, 1u);
  std::vector<std::string_view> parts = SplitOn("a,,b,c", ',', 3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[2], "b");  // pieces past max_pieces are dropped
}

TEST(NumbersTest, Grammars) {
  EXPECT_EQ(ParseInt("-12"), -12);
  EXPECT_EQ(ParseInt("+7"), 7);
  EXPECT_EQ(ParseInt("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseInt("9223372036854775808"), std::nullopt);
  EXPECT_EQ(ParseInt("1 "), std::nullopt);
  EXPECT_EQ(ParseInt("0x10"), std::nullopt);
  EXPECT_EQ(ParseInt(""), std::nullopt);
  EXPECT_EQ(ParseUint("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(ParseUint("-0"), std::nullopt);
  EXPECT_EQ(ParseUint("+"), std::nullopt);
  EXPECT_EQ(ParseDouble("1.5e3"), 1500.0);
  EXPECT_EQ(ParseDouble("nan"), std::nullopt);
  EXPECT_EQ(ParseDouble("1e999"), std::nullopt);
  EXPECT_EQ(ParseDouble("1.0x"), std::nullopt);
}

}  // namespace
}  // namespace mrmlguard::internal::text
