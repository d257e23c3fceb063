// SPDX-License-Identifier: BSD-3-Clause
#include "bytes/byte_reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace mrmlguard::internal {
namespace {

TEST(ByteReaderTest, ReadsLittleEndianWithShifts) {
  const std::vector<uint8_t> b = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
                                  0x0c, 0x0d, 0x0e, 0x0f};
  ByteReader r(b, 100);
  EXPECT_EQ(r.U8(), 0x01);
  EXPECT_EQ(r.U16le(), 0x0302);
  EXPECT_EQ(r.U32le(), 0x07060504u);
  EXPECT_EQ(r.U64le(), 0x0f0e0d0c0b0a0908ull);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.offset(), 115u);
}

TEST(ByteReaderTest, ReadsBigEndian) {
  const std::vector<uint8_t> b = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  ByteReader r(b);
  EXPECT_EQ(r.U32be(), 0x01020304u);
  ByteReader r2(b);
  EXPECT_EQ(r2.U64be(), 0x0102030405060708ull);
  EXPECT_TRUE(r2.ok());
}

TEST(ByteReaderTest, ShortReadLatchesAndReturnsZero) {
  const std::vector<uint8_t> b = {0xff, 0xff, 0xff};
  ByteReader r(b);
  EXPECT_EQ(r.U32le(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.position(), r.size());
  // Once latched, even reads that would fit return zero.
  EXPECT_EQ(r.U8(), 0u);
  EXPECT_TRUE(r.Bytes(0).empty());
  EXPECT_FALSE(r.ok());
}

TEST(ByteReaderTest, EveryWidthFailsExactlyAtItsSize) {
  std::vector<uint8_t> b(16, 0xab);
  for (size_t size = 0; size <= 16; ++size) {
    std::span<const uint8_t> s(b.data(), size);
    { ByteReader r(s); (void)r.U8(); EXPECT_EQ(r.ok(), size >= 1) << size; }
    { ByteReader r(s); (void)r.U16le(); EXPECT_EQ(r.ok(), size >= 2) << size; }
    { ByteReader r(s); (void)r.U32le(); EXPECT_EQ(r.ok(), size >= 4) << size; }
    { ByteReader r(s); (void)r.U32be(); EXPECT_EQ(r.ok(), size >= 4) << size; }
    { ByteReader r(s); (void)r.U64le(); EXPECT_EQ(r.ok(), size >= 8) << size; }
    { ByteReader r(s); (void)r.U64be(); EXPECT_EQ(r.ok(), size >= 8) << size; }
    for (size_t n = 0; n <= 17; ++n) {
      ByteReader r(s);
      std::span<const uint8_t> got = r.Bytes(n);
      EXPECT_EQ(r.ok(), n <= size) << size << " " << n;
      EXPECT_EQ(got.size(), n <= size ? n : 0u);
    }
  }
}

TEST(ByteReaderTest, HugeLengthNeverWraps) {
  const std::vector<uint8_t> b = {1, 2, 3, 4};
  ByteReader r(b);
  r.Skip(1);
  EXPECT_TRUE(r.Bytes(SIZE_MAX).empty());
  EXPECT_FALSE(r.ok());
  ByteReader r2(b);
  r2.Skip(2);
  ByteReader child = r2.Sub(SIZE_MAX - 1);
  EXPECT_FALSE(child.ok());
  EXPECT_FALSE(r2.ok());
}

TEST(ByteReaderTest, SubReaderCannotSeePastItsBytes) {
  const std::vector<uint8_t> b = {0x01, 0x00, 0x02, 0x00, 0xaa, 0xbb, 0xcc};
  ByteReader r(b, 1000);
  (void)r.U16le();
  ByteReader child = r.Sub(3);
  EXPECT_EQ(child.base_offset(), 1002u);
  EXPECT_EQ(child.size(), 3u);
  EXPECT_EQ(child.U16le(), 0x0002);
  EXPECT_EQ(child.U16le(), 0u);  // only 0xaa is left in the child
  EXPECT_FALSE(child.ok());
  // The parent is unaffected by the child's short read.
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.U16le(), 0xccbb);
  EXPECT_TRUE(r.ok());
}

TEST(ByteReaderTest, PeekDoesNotAdvanceOrLatch) {
  const std::vector<uint8_t> b = {'P', 'K', 3, 4};
  ByteReader r(b);
  EXPECT_EQ(r.Peek(2).size(), 2u);
  EXPECT_TRUE(r.Peek(5).empty());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.position(), 0u);
  EXPECT_EQ(r.Chars(2), "PK");
  EXPECT_EQ(r.Rest().size(), 2u);
}

TEST(ByteReaderTest, DefaultReaderIsEmptyAndOk) {
  ByteReader r;
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.U8(), 0u);
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace mrmlguard::internal
