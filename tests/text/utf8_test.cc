// SPDX-License-Identifier: BSD-3-Clause
// The UTF-8 table shared by the decoder and the XML scanner, and the encoder:
// every lead byte against Unicode's table 3-7, and every scalar value through
// AppendUtf8 and back through DecodeUtf8. (The decoder's sequence table test
// is tests/report/escape_test.cc.)

#include "text/utf8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace mrmlguard::internal::text {
namespace {

TEST(Utf8Lead, EveryLeadByte) {
  for (int b = 0; b < 256; ++b) {
    const Utf8Lead lead = ReadUtf8Lead(static_cast<uint8_t>(b));
    SCOPED_TRACE(b);
    if (b < 0x80) {
      EXPECT_TRUE(lead.starts);
      EXPECT_EQ(lead.continuation, 0);
      EXPECT_EQ(static_cast<uint32_t>(lead.bits), static_cast<uint32_t>(b));
    } else if (b < 0xc2 || b > 0xf4) {
      EXPECT_FALSE(lead.starts);
    } else {
      EXPECT_TRUE(lead.starts);
      EXPECT_EQ(lead.continuation, b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3);
    }
  }
  EXPECT_EQ(ReadUtf8Lead(0xe0).second_lo, 0xa0);
  EXPECT_EQ(ReadUtf8Lead(0xed).second_hi, 0x9f);
  EXPECT_EQ(ReadUtf8Lead(0xf0).second_lo, 0x90);
  EXPECT_EQ(ReadUtf8Lead(0xf4).second_hi, 0x8f);
  EXPECT_EQ(ReadUtf8Lead(0xe1).second_lo, 0x80);
  EXPECT_EQ(ReadUtf8Lead(0xe1).second_hi, 0xbf);
}

TEST(Utf8, EveryScalarValueRoundTrips) {
  std::string s;
  for (char32_t cp = 0; cp <= 0x10ffff; ++cp) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    s.clear();
    AppendUtf8(&s, cp);
    ASSERT_EQ(s.size(), cp < 0x80 ? 1u : cp < 0x800 ? 2u : cp < 0x10000 ? 3u : 4u) << static_cast<uint32_t>(cp);
    const Utf8Step step = DecodeUtf8(s, 0);
    ASSERT_TRUE(step.valid) << static_cast<uint32_t>(cp);
    ASSERT_EQ(step.length, s.size()) << static_cast<uint32_t>(cp);
    ASSERT_EQ(static_cast<uint32_t>(step.code_point), static_cast<uint32_t>(cp));
  }
}

}  // namespace
}  // namespace mrmlguard::internal::text
