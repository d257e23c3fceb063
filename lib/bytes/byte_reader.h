// SPDX-License-Identifier: BSD-3-Clause
// File: byte_reader.h
//
// ByteReader: the only code that indexes untrusted bytes.
//
// A ByteReader borrows a span (it never owns, allocates or throws) and keeps
// the invariant pos_ <= size_. Every read checks n <= size_ - pos_ (subtract,
// never add past the end). On the first short read it latches ok() == false,
// moves to the end, and every later read returns zeros, so a fixed record can
// be read in a straight line and checked once:
//
//   ByteReader r(record);
//   uint32_t sig = r.U32le(); uint16_t version = r.U16le(); ...
//   if (!r.ok()) return Truncated(r.base_offset());
//
// Sub(n) hands out a child reader over the next n bytes and advances this one:
// a ZIP extra field or file name is parsed by a reader that cannot see past it.
// base_offset() is the absolute offset of the span's first byte in the file,
// so findings can report file offsets.

#ifndef MRMLGUARD_LIB_BYTES_BYTE_READER_H_
#define MRMLGUARD_LIB_BYTES_BYTE_READER_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace mrmlguard::internal {

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::span<const uint8_t> bytes, uint64_t base_offset = 0)
      : data_(bytes.data()), size_(bytes.size()), base_offset_(base_offset) {}

  // True until a read ran short.
  bool ok() const { return ok_; }
  size_t size() const { return size_; }
  size_t position() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  bool empty() const { return pos_ == size_; }
  // Absolute file offset of the first byte of the span.
  uint64_t base_offset() const { return base_offset_; }
  // Absolute file offset of the next byte to read.
  uint64_t offset() const { return base_offset_ + pos_; }

  uint8_t U8() {
    if (!Want(1)) return 0;
    return data_[pos_++];
  }
  uint16_t U16le() {
    if (!Want(2)) return 0;
    uint16_t v = static_cast<uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
  }
  uint32_t U32le() {
    if (!Want(4)) return 0;
    uint32_t v = static_cast<uint32_t>(data_[pos_]) | (static_cast<uint32_t>(data_[pos_ + 1]) << 8) |
                 (static_cast<uint32_t>(data_[pos_ + 2]) << 16) |
                 (static_cast<uint32_t>(data_[pos_ + 3]) << 24);
    pos_ += 4;
    return v;
  }
  uint64_t U64le() {
    if (!Want(8)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += 8;
    return v;
  }
  uint32_t U32be() {
    if (!Want(4)) return 0;
    uint32_t v = (static_cast<uint32_t>(data_[pos_]) << 24) | (static_cast<uint32_t>(data_[pos_ + 1]) << 16) |
                 (static_cast<uint32_t>(data_[pos_ + 2]) << 8) | static_cast<uint32_t>(data_[pos_ + 3]);
    pos_ += 4;
    return v;
  }
  uint64_t U64be() {
    uint64_t hi = U32be();
    uint64_t lo = U32be();
    return ok_ ? (hi << 32) | lo : 0;
  }

  // Returns the next n bytes (empty span on a short read) and advances.
  std::span<const uint8_t> Bytes(size_t n) {
    if (!Want(n)) return {};
    std::span<const uint8_t> out(data_ + pos_, n);
    pos_ += n;
    return out;
  }
  // Same as Bytes, viewed as characters.
  std::string_view Chars(size_t n) {
    std::span<const uint8_t> b = Bytes(n);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  // Advances n bytes.
  void Skip(size_t n) { (void)Bytes(n); }
  // Returns a reader over the next n bytes and advances past them. On a short
  // read the child is empty and not ok, and this reader is latched too.
  ByteReader Sub(size_t n) {
    uint64_t child_base = offset();
    std::span<const uint8_t> b = Bytes(n);
    ByteReader child(b, child_base);
    if (!ok_) child.ok_ = false;
    return child;
  }
  // Looks at the next n bytes without advancing; empty when fewer remain.
  // Does not latch: peeking is how a parser decides what comes next.
  std::span<const uint8_t> Peek(size_t n) const {
    if (!ok_ || n > size_ - pos_) return {};
    return {data_ + pos_, n};
  }
  // Everything not yet read.
  std::span<const uint8_t> Rest() const { return {data_ + pos_, size_ - pos_}; }

 private:
  bool Want(size_t n) {
    if (ok_ && n <= size_ - pos_) return true;
    ok_ = false;
    pos_ = size_;
    return false;
  }

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
  uint64_t base_offset_ = 0;
  bool ok_ = true;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_BYTES_BYTE_READER_H_
