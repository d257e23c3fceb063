// SPDX-License-Identifier: BSD-3-Clause
#include "bytes/input_source.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace mrmlguard::internal {
namespace {

TEST(InputSourceTest, MemoryViewsClampAtTheEnd) {
  const std::vector<uint8_t> b = {1, 2, 3, 4, 5};
  MemorySource src(b);
  std::vector<uint8_t> scratch;
  EXPECT_EQ(src.size(), 5u);
  EXPECT_EQ(src.View(1, 3, &scratch).size(), 3u);
  EXPECT_EQ(src.View(3, 10, &scratch).size(), 2u);
  EXPECT_TRUE(src.View(5, 1, &scratch).empty());
  EXPECT_TRUE(src.View(~0ull, 1, &scratch).empty());
  EXPECT_EQ(src.Memory().size(), 5u);
  EXPECT_TRUE(src.io_error().empty());
}

TEST(InputSourceTest, FileViewsReadWithPread) {
  char path[] = "/tmp/mrmlguard_input_source_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string content = "0123456789";
  ASSERT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  FileSource src(fd, content.size());
  std::vector<uint8_t> scratch;
  std::span<const uint8_t> v = src.View(7, 10, &scratch);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], '7');
  EXPECT_EQ(src.bytes_read(), 3u);
  EXPECT_TRUE(src.Memory().empty());
  // A file that shrank after fstat is an I/O error, not short data.
  ASSERT_EQ(ftruncate(fd, 4), 0);
  EXPECT_TRUE(src.View(2, 6, &scratch).empty());
  EXPECT_FALSE(src.io_error().empty());
  close(fd);
  unlink(path);
}

}  // namespace
}  // namespace mrmlguard::internal
