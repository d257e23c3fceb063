// SPDX-License-Identifier: BSD-3-Clause
// File: input_source.h
//
// InputSource: random access to the input's bytes without holding them all.
// A file source reads with pread into caller-provided buffers, so peak memory
// does not grow with the input size; a memory source hands out views.
//
//   std::vector<uint8_t> scratch;
//   std::span<const uint8_t> lfh = src.View(offset, 30, &scratch);
//   if (lfh.size() != 30) -> truncated or I/O error (see src.io_error())

#ifndef MRMLGUARD_LIB_BYTES_INPUT_SOURCE_H_
#define MRMLGUARD_LIB_BYTES_INPUT_SOURCE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mrmlguard::internal {

class InputSource {
 public:
  virtual ~InputSource() = default;
  // Total bytes, fixed at construction (fstat on the open descriptor).
  virtual uint64_t size() const = 0;
  // Returns bytes [offset, offset + n), clamped to the end of the input:
  // fewer than n bytes means the range ran past the end (or an I/O error,
  // then io_error() is set). May point into `scratch`, which it resizes;
  // the view is valid until scratch changes or the source is destroyed.
  virtual std::span<const uint8_t> View(uint64_t offset, size_t n,
                                        std::vector<uint8_t>* scratch) = 0;
  // The whole input when it already lives in memory; empty for files.
  virtual std::span<const uint8_t> Memory() const { return {}; }
  // Non-empty after a read failed: the input could not be read (Status), as
  // opposed to being short (a finding).
  const std::string& io_error() const { return io_error_; }
  // Bytes handed out so far (for Stats::bytes_read).
  uint64_t bytes_read() const { return bytes_read_; }

 protected:
  std::string io_error_;
  uint64_t bytes_read_ = 0;
};

// A source over caller-owned memory.
class MemorySource final : public InputSource {
 public:
  explicit MemorySource(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  std::span<const uint8_t> View(uint64_t offset, size_t n, std::vector<uint8_t>* scratch) override;
  std::span<const uint8_t> Memory() const override { return bytes_; }

 private:
  std::span<const uint8_t> bytes_;
};

// A source over an open file descriptor; does not own it.
class FileSource final : public InputSource {
 public:
  FileSource(int fd, uint64_t size) : fd_(fd), size_(size) {}
  uint64_t size() const override { return size_; }
  std::span<const uint8_t> View(uint64_t offset, size_t n, std::vector<uint8_t>* scratch) override;

 private:
  int fd_;
  uint64_t size_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_BYTES_INPUT_SOURCE_H_
