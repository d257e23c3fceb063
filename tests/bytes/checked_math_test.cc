// SPDX-License-Identifier: BSD-3-Clause
#include "bytes/checked_math.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace mrmlguard::internal {
namespace {

constexpr uint64_t kMax64 = std::numeric_limits<uint64_t>::max();

TEST(CheckedMathTest, AddDetectsOverflowAtTheBoundary) {
  uint64_t out = 0;
  EXPECT_TRUE(CheckedAdd<uint64_t>(kMax64 - 1, 1, &out));
  EXPECT_EQ(out, kMax64);
  EXPECT_FALSE(CheckedAdd<uint64_t>(kMax64, 1, &out));
  uint32_t o32 = 0;
  EXPECT_FALSE(CheckedAdd<uint32_t>(0xffffffffu, 1u, &o32));
  EXPECT_TRUE(CheckedAdd<uint32_t>(0xfffffffeu, 1u, &o32));
}

TEST(CheckedMathTest, SubDetectsUnderflow) {
  uint64_t out = 0;
  EXPECT_TRUE(CheckedSub<uint64_t>(5, 5, &out));
  EXPECT_EQ(out, 0u);
  EXPECT_FALSE(CheckedSub<uint64_t>(4, 5, &out));
}

TEST(CheckedMathTest, MulDetectsOverflow) {
  uint64_t out = 0;
  EXPECT_TRUE(CheckedMul<uint64_t>(1ull << 32, (1ull << 32) - 1, &out));
  EXPECT_FALSE(CheckedMul<uint64_t>(1ull << 32, 1ull << 32, &out));
  EXPECT_TRUE(CheckedMul<uint64_t>(0, kMax64, &out));
  EXPECT_EQ(out, 0u);
  int64_t s = 0;
  EXPECT_FALSE(CheckedMul<int64_t>(std::numeric_limits<int64_t>::min(), -1, &s));
}

TEST(CheckedMathTest, CastRefusesValuesThatDoNotFit) {
  uint32_t u32 = 0;
  EXPECT_TRUE(CheckedCast(uint64_t{0xffffffff}, &u32));
  EXPECT_FALSE(CheckedCast(uint64_t{0x100000000}, &u32));
  EXPECT_FALSE(CheckedCast(int64_t{-1}, &u32));
  int8_t i8 = 0;
  EXPECT_TRUE(CheckedCast(int32_t{-128}, &i8));
  EXPECT_FALSE(CheckedCast(int32_t{-129}, &i8));
  EXPECT_FALSE(CheckedCast(uint32_t{128}, &i8));
  size_t sz = 0;
  EXPECT_TRUE(CheckedCast(kMax64, &sz));
}

TEST(CheckedMathTest, RangeInsideUsesSubtraction) {
  EXPECT_TRUE(RangeInside(0, 10, 10));
  EXPECT_TRUE(RangeInside(10, 0, 10));
  EXPECT_FALSE(RangeInside(11, 0, 10));
  EXPECT_FALSE(RangeInside(5, 6, 10));
  // offset + length would wrap to a small number: still refused.
  EXPECT_FALSE(RangeInside(8, kMax64 - 4, 10));
  EXPECT_FALSE(RangeInside(kMax64, 2, 10));
}

}  // namespace
}  // namespace mrmlguard::internal
