// SPDX-License-Identifier: BSD-3-Clause
// File: bounded_queue.h
//
// BoundedQueue<T, N>: first in, first out, at most N values, held in a fixed
// array. Nothing is allocated after construction and nothing throws: a full
// queue refuses the value (and leaves it with the caller) instead of growing,
// an empty one refuses to pop. The hand-offs between the XML layer's threads
// (AsyncHandler's batches, CrossCheck's chunks) use it; each bounds its own
// producer so that a push finds room, and says why next to the queue.
//
//   BoundedQueue<std::unique_ptr<Batch>, 3> queue;
//   if (!queue.Push(std::move(batch))) ...   // full: `batch` is still ours
//   std::unique_ptr<Batch> next;
//   if (queue.Pop(&next)) ...                // the oldest value
//
// Not thread-safe by itself: callers hold their own mutex.

#ifndef MRMLGUARD_LIB_XML_BOUNDED_QUEUE_H_
#define MRMLGUARD_LIB_XML_BOUNDED_QUEUE_H_

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace mrmlguard::internal {

template <typename T, size_t N>
class BoundedQueue {
  static_assert(N > 0, "a BoundedQueue holds at least one value");
  static_assert(std::is_nothrow_default_constructible_v<T> && std::is_nothrow_move_assignable_v<T>,
                "BoundedQueue moves values in and out of its slots and must not throw");

 public:
  static constexpr size_t capacity() { return N; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == N; }

  // Appends `value` at the back. Returns false, and leaves `value` as it was,
  // when the queue is full.
  [[nodiscard]] bool Push(T&& value) noexcept {
    if (size_ >= N) return false;
    const size_t slot = Slot(size_);
    if (slot >= N) return false;  // unreachable while head_ < N and size_ < N
    slots_[slot] = std::move(value);
    ++size_;
    return true;
  }

  // Moves the oldest value into *out and removes it. Returns false, and
  // leaves *out as it was, when the queue is empty.
  [[nodiscard]] bool Pop(T* out) noexcept {
    if (size_ == 0 || head_ >= N) return false;
    *out = std::move(slots_[head_]);
    slots_[head_] = T{};  // the slot keeps nothing alive
    head_ = Slot(1);
    --size_;
    return true;
  }

 private:
  // The array index of the value `i` places behind the front, for i <= N:
  // head_ + i stays below 2N, so one subtraction wraps it. Returns N (out of
  // range, refused by the callers) if the invariant head_ < N were broken.
  size_t Slot(size_t i) const {
    if (head_ >= N || i > N) return N;
    const size_t at = head_ + i;
    return at < N ? at : at - N;
  }

  std::array<T, N> slots_{};
  size_t head_ = 0;  // index of the oldest value, always < N
  size_t size_ = 0;  // values held, <= N
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_XML_BOUNDED_QUEUE_H_
