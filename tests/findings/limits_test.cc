// SPDX-License-Identifier: BSD-3-Clause
#include "mrmlguard/limits.h"

#include <gtest/gtest.h>

namespace mrmlguard {
namespace {

TEST(LimitsTest, SetAndGetByName) {
  Limits l = Limits::Default();
  uint64_t v = 0;
  ASSERT_TRUE(l.Get("max_xml_depth", &v));
  EXPECT_EQ(v, 64u);
  EXPECT_TRUE(l.Set("max_xml_depth", "32"));
  EXPECT_EQ(l.max_xml_depth, 32u);
  EXPECT_TRUE(l.Set("max_scene_bytes", "2M"));
  EXPECT_EQ(l.max_scene_bytes, 2u << 20);
  EXPECT_FALSE(l.Set("max_scene_bytes", "-1"));
  EXPECT_FALSE(l.Set("max_scene_bytes", "12x"));
  EXPECT_FALSE(l.Set("max_scene_bytes", ""));
  EXPECT_FALSE(l.Set("max_scene_bytes", "99999999999999999999"));
  EXPECT_FALSE(l.Set("max_scene_bytes", "17179869184G"));  // overflows with the suffix
  EXPECT_FALSE(l.Set("no_such_limit", "1"));
  EXPECT_FALSE(l.Get("no_such_limit", &v));
}

TEST(LimitsTest, EveryLimitIsDocumentedAndProfilesDiffer) {
  for (const LimitInfo& info : AllLimits()) {
    EXPECT_TRUE(info.name.starts_with("max_") || info.name == "ratio_floor_bytes") << info.name;
    EXPECT_FALSE(info.description.empty()) << info.name;
  }
  EXPECT_LT(Limits::ForFuzzing().max_input_bytes, Limits::Default().max_input_bytes);
}

}  // namespace
}  // namespace mrmlguard
