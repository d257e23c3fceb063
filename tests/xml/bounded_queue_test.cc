// SPDX-License-Identifier: BSD-3-Clause
// BoundedQueue: first in, first out within a fixed capacity; a full queue
// refuses a value and leaves it with the caller, an empty one refuses to pop,
// and the slots wrap around the end of the array without losing order.

#include "xml/bounded_queue.h"

#include <gtest/gtest.h>

#include <memory>

namespace mrmlguard::internal {
namespace {

TEST(BoundedQueue, EmptyRefusesToPop) {
  BoundedQueue<int, 3> queue;
  EXPECT_TRUE(queue.empty());
  EXPECT_FALSE(queue.full());
  EXPECT_EQ(queue.size(), 0u);
  int out = 42;
  EXPECT_FALSE(queue.Pop(&out));
  EXPECT_EQ(out, 42);  // untouched
}

TEST(BoundedQueue, FullRefusesAndKeepsTheValueWithTheCaller) {
  BoundedQueue<std::unique_ptr<int>, 2> queue;
  EXPECT_TRUE(queue.Push(std::make_unique<int>(1)));
  EXPECT_TRUE(queue.Push(std::make_unique<int>(2)));
  EXPECT_TRUE(queue.full());
  EXPECT_EQ(queue.size(), 2u);
  auto third = std::make_unique<int>(3);
  EXPECT_FALSE(queue.Push(std::move(third)));
  ASSERT_NE(third, nullptr);  // not moved from
  EXPECT_EQ(*third, 3);
  std::unique_ptr<int> out;
  ASSERT_TRUE(queue.Pop(&out));
  EXPECT_EQ(*out, 1);
  ASSERT_TRUE(queue.Pop(&out));
  EXPECT_EQ(*out, 2);
  EXPECT_FALSE(queue.Pop(&out));
  EXPECT_EQ(*out, 2);  // untouched
}

TEST(BoundedQueue, WrapsAroundInOrder) {
  BoundedQueue<int, 3> queue;
  int next_in = 0;
  int next_out = 0;
  // Every fill level, many times round the array: the head crosses the end
  // at each position.
  for (int round = 0; round < 10; ++round) {
    for (size_t fill = 1; fill <= queue.capacity(); ++fill) {
      while (queue.size() < fill) ASSERT_TRUE(queue.Push(int{next_in++}));
      int out = -1;
      ASSERT_TRUE(queue.Pop(&out));
      EXPECT_EQ(out, next_out++);
    }
  }
  while (!queue.empty()) {
    int out = -1;
    ASSERT_TRUE(queue.Pop(&out));
    EXPECT_EQ(out, next_out++);
  }
  EXPECT_EQ(next_in, next_out);
}

TEST(BoundedQueue, CapacityOne) {
  BoundedQueue<int, 1> queue;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(queue.Push(int{i}));
    EXPECT_FALSE(queue.Push(int{-1}));
    int out = -1;
    ASSERT_TRUE(queue.Pop(&out));
    EXPECT_EQ(out, i);
    EXPECT_TRUE(queue.empty());
  }
}

TEST(BoundedQueue, PopReleasesTheSlot) {
  auto shared = std::make_shared<int>(7);
  BoundedQueue<std::shared_ptr<int>, 2> queue;
  ASSERT_TRUE(queue.Push(std::shared_ptr<int>(shared)));
  EXPECT_EQ(shared.use_count(), 2);
  std::shared_ptr<int> out;
  ASSERT_TRUE(queue.Pop(&out));
  out.reset();
  EXPECT_EQ(shared.use_count(), 1);  // nothing left behind in the array
}

}  // namespace
}  // namespace mrmlguard::internal
