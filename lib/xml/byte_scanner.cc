#include "xml/byte_scanner.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

namespace mrmlguard::internal {
namespace {

// True when any of the 8 bytes of `word` is below 0x20 or above 0x7F. A byte
// below 0x20 wraps when 0x20 is subtracted and sets its top bit; a borrow can
// only flag bytes above one that is already flagged, so the test is exact
// about "all eight are printable ASCII".
inline bool HasSpecialByte(uint64_t word) {
  return (((word - 0x2020202020202020ull) | word) & 0x8080808080808080ull) != 0;
}

std::string Hex(uint32_t value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%0*X", digits, value);
  return buffer;
}

std::string Where(uint32_t line, uint32_t column, uint64_t offset) {
  return "at line " + std::to_string(line) + " column " + std::to_string(column) + " (offset " +
         std::to_string(offset) + ")";
}

}  // namespace

void ByteScanner::Fail(Rule rule, uint64_t offset, uint32_t line, uint32_t column, std::string message) {
  problem_ = ScanProblem{.rule = rule, .offset = offset, .line = line, .column = column, .message = std::move(message)};
}

bool ByteScanner::SlowByte(uint8_t byte, uint64_t offset) {
  if (need_ > 0) {
    // Inside a multi-byte sequence: the byte must be a continuation byte in
    // the range the lead byte allows (this excludes overlong forms,
    // surrogates and values past U+10FFFF, as RFC 3629 section 4 does).
    if (byte < low_ || byte > high_) {
      Fail(Rule::kXmlEncoding, seq_offset_, line_, column_ + 1,
           "invalid UTF-8 sequence (byte 0x" + Hex(byte, 2) + " at offset " + std::to_string(offset) +
               " cannot continue it) " + Where(line_, column_ + 1, seq_offset_));
      return false;
    }
    code_point_ = (code_point_ << 6) | (byte & 0x3Fu);
    low_ = 0x80;
    high_ = 0xBF;
    if (--need_ == 0) {
      if (code_point_ == 0xFFFE || code_point_ == 0xFFFF) {
        Fail(Rule::kXmlControlChar, seq_offset_, line_, column_ + 1,
             "non-character U+" + Hex(code_point_, 4) + " " + Where(line_, column_ + 1, seq_offset_));
        return false;
      }
      ++column_;
    }
    return true;
  }
  if (byte < 0x80) {
    after_cr_ = after_cr_ && byte == '\n';
    if (byte == '\n') {
      if (!after_cr_) {
        ++line_;
        column_ = 0;
      }
      after_cr_ = false;
      return true;
    }
    if (byte == '\r') {
      ++line_;
      column_ = 0;
      after_cr_ = true;
      return true;
    }
    after_cr_ = false;
    if (byte < 0x20 && byte != '\t') {
      std::string what = byte == 0 ? "NUL byte" : "control character U+" + Hex(byte, 4);
      Fail(Rule::kXmlControlChar, offset, line_, column_ + 1,
           what + " " + Where(line_, column_ + 1, offset) + "; XML 1.0 forbids it");
      return false;
    }
    ++column_;
    return true;
  }
  after_cr_ = false;
  saw_non_ascii_ = true;
  if (ascii_only_) {
    Fail(Rule::kXmlEncoding, offset, line_, column_ + 1,
         "byte 0x" + Hex(byte, 2) + " " + Where(line_, column_ + 1, offset) +
             " in a document that declares a single-byte encoding: parsers that honour the declaration and "
             "parsers that assume UTF-8 read it differently");
    return false;
  }
  seq_offset_ = offset;
  low_ = 0x80;
  high_ = 0xBF;
  if (byte >= 0xC2 && byte <= 0xDF) {
    need_ = 1;
    code_point_ = byte & 0x1Fu;
  } else if (byte >= 0xE0 && byte <= 0xEF) {
    need_ = 2;
    code_point_ = byte & 0x0Fu;
    if (byte == 0xE0) low_ = 0xA0;   // no overlong 3-byte forms
    if (byte == 0xED) high_ = 0x9F;  // no UTF-16 surrogates
  } else if (byte >= 0xF0 && byte <= 0xF4) {
    need_ = 3;
    code_point_ = byte & 0x07u;
    if (byte == 0xF0) low_ = 0x90;   // no overlong 4-byte forms
    if (byte == 0xF4) high_ = 0x8F;  // nothing past U+10FFFF
  } else {
    Fail(Rule::kXmlEncoding, offset, line_, column_ + 1,
         "byte 0x" + Hex(byte, 2) + " " + Where(line_, column_ + 1, offset) + " is not valid UTF-8");
    return false;
  }
  return true;
}

size_t ByteScanner::Scan(std::span<const uint8_t> bytes) {
  if (problem_) return 0;
  const uint8_t* data = bytes.data();
  const size_t size = bytes.size();
  size_t i = 0;
  while (i < size) {
    // Fast path: eight printable ASCII bytes in a row (most of a scene).
    if (need_ == 0 && size - i >= 8) {
      uint64_t word;
      std::memcpy(&word, data + i, 8);
      if (!HasSpecialByte(word)) {
        column_ += 8;
        after_cr_ = false;
        i += 8;
        continue;
      }
    }
    if (!SlowByte(data[i], offset_ + i)) {
      // Feed nothing of the offending character: it may have begun in an
      // earlier chunk, in which case everything before this chunk was fed.
      uint64_t bad = problem_->offset;
      size_t ok = bad >= offset_ ? static_cast<size_t>(bad - offset_) : 0;
      offset_ += i;
      return ok;
    }
    ++i;
  }
  offset_ += size;
  return size;
}

void ByteScanner::Finish() {
  if (problem_ || need_ == 0) return;
  Fail(Rule::kXmlEncoding, seq_offset_, line_, column_ + 1,
       "UTF-8 sequence cut short by the end of the document " + Where(line_, column_ + 1, seq_offset_));
}

}  // namespace mrmlguard::internal
