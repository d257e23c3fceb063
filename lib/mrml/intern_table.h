// SPDX-License-Identifier: BSD-3-Clause
// File: intern_table.h
//
// Interns the strings a scene repeats (ids, tags, attribute names): each
// distinct string is copied once into arena blocks and named by a dense index,
// so that node records, references and the id map hold 4-byte indices instead
// of strings. The lookup table is open addressing with linear probing over
// 8-byte slots that carry the hash, so a probe rarely touches the string
// itself; it stays at most half full, so a lookup is O(1) expected and the
// whole scene interns in time linear in its size.

#ifndef MRMLGUARD_LIB_MRML_INTERN_TABLE_H_
#define MRMLGUARD_LIB_MRML_INTERN_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <new>
#include <string_view>
#include <vector>

namespace mrmlguard::internal {

class InternTable {
 public:
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

  // The index of `s`, adding a copy of it when it is new. Indices are dense,
  // in order of first appearance. Throws std::bad_alloc when memory (or the
  // 32-bit index space, which the scene limits keep far away) runs out.
  uint32_t Intern(std::string_view s) {
    const uint32_t hash = Hash(s);
    if (slots_.empty() || (names_.size() + 1) * 2 > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.index == kNone) {
        if (names_.size() >= kNone - 1) throw std::bad_alloc();
        names_.push_back(Store(s));  // may throw; the slot is claimed only after
        slot.index = static_cast<uint32_t>(names_.size() - 1);
        slot.hash = hash;
        return slot.index;
      }
      if (slot.hash == hash && names_[slot.index] == s) return slot.index;
    }
  }

  // The string of an index Intern returned; valid as long as the table.
  std::string_view Name(uint32_t index) const { return names_[index]; }
  size_t size() const { return names_.size(); }

 private:
  struct Slot {
    uint32_t index = kNone;
    uint32_t hash = 0;
  };
  static constexpr size_t kArenaBlock = 256 * 1024;
  static constexpr size_t kFirstSlots = 1024;

  static uint32_t Hash(std::string_view s) {
    // std::hash<std::string_view> is deterministic in libstdc++ and libc++
    // (no per-process seed); fold it to 32 bits for the slot.
    const size_t h = std::hash<std::string_view>{}(s);
    return static_cast<uint32_t>(h ^ (static_cast<uint64_t>(h) >> 32));
  }

  void Grow() {
    const size_t capacity = slots_.empty() ? kFirstSlots : slots_.size() * 2;
    std::vector<Slot> bigger(capacity);
    const size_t mask = capacity - 1;
    for (const Slot& slot : slots_) {
      if (slot.index == kNone) continue;
      size_t i = slot.hash & mask;
      while (bigger[i].index != kNone) i = (i + 1) & mask;
      bigger[i] = slot;
    }
    slots_.swap(bigger);
  }

  std::string_view Store(std::string_view s) {
    if (s.empty()) return {};
    if (blocks_.empty() || s.size() > block_size_ - block_used_) {
      block_size_ = std::max(kArenaBlock, s.size());
      blocks_.emplace_back(new char[block_size_]);  // not zeroed: every byte used is written first
      block_used_ = 0;
    }
    char* dst = blocks_.back().get() + block_used_;
    std::copy(s.begin(), s.end(), dst);
    block_used_ += s.size();
    return {dst, s.size()};
  }

  std::vector<Slot> slots_;  // size 0 or a power of two, at most half used
  std::vector<std::string_view> names_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_size_ = 0;
  size_t block_used_ = 0;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_MRML_INTERN_TABLE_H_
