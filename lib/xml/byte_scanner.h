// File: byte_scanner.h
//
// ByteScanner looks at every byte of the document before the parsers do, so a
// forbidden byte is reported with its exact place (line, column, offset) and
// the parsers are never fed past it:
//   - C0 control characters other than TAB, LF and CR (NUL included): not XML
//     1.0 characters at all (X2/X9);
//   - U+FFFE and U+FFFF: not XML characters either;
//   - bytes that are not UTF-8 (overlong forms, surrogates, values past
//     U+10FFFF, sequences cut short) -> xml.encoding;
//   - in ASCII-only mode (the document declares ISO-8859-1 or US-ASCII), any
//     byte >= 0x80 -> xml.encoding, because Expat, libxml2 and every other
//     reader agree on such a document only while it is pure ASCII.
// C1 controls and DEL are legal XML 1.0 characters that both parsers accept;
// they are left to the scene layer (names, paths).
//
// Lines and columns follow Expat: CR, LF and CR LF each end a line; a column
// counts characters, not bytes; both are 1-based here.
//
//   ByteScanner scanner(/*ascii_only=*/false);
//   size_t ok = scanner.Scan(chunk);      // == chunk.size() unless a problem
//   if (scanner.problem()) { feed chunk[0, ok) and stop }
//   scanner.Finish();                     // a UTF-8 sequence cut by the end

#ifndef MRMLGUARD_LIB_XML_BYTE_SCANNER_H_
#define MRMLGUARD_LIB_XML_BYTE_SCANNER_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "findings/rule.h"

namespace mrmlguard::internal {

struct ScanProblem {
  Rule rule = Rule::kXmlControlChar;
  uint64_t offset = 0;  // of the first byte of the offending character
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based
  std::string message;
};

class ByteScanner {
 public:
  explicit ByteScanner(bool ascii_only) : ascii_only_(ascii_only) {}

  // Scans the next bytes of the document. Returns how many of them may be fed
  // to the parsers: all of them, or, once problem() is set, the bytes before
  // the offending character (possibly 0; the character may also have started
  // in an earlier chunk). After a problem, Scan returns 0.
  size_t Scan(std::span<const uint8_t> bytes);

  // Call once after the last byte: reports a UTF-8 sequence cut by the end.
  void Finish();

  const std::optional<ScanProblem>& problem() const { return problem_; }
  // Document offset up to which every character is complete and accepted:
  // the start of the offending character after a problem, the start of a
  // UTF-8 sequence that the next bytes must finish, or the end of the bytes
  // scanned. The parsers are fed exactly up to here, so neither ever holds
  // part of a character when parsing has to end at a refused byte.
  uint64_t safe_end() const {
    if (problem_) return problem_->offset;
    return need_ > 0 ? seq_offset_ : offset_;
  }
  // True when a byte >= 0x80 was seen (only meaningful without a problem).
  bool saw_non_ascii() const { return saw_non_ascii_; }

 private:
  void Fail(Rule rule, uint64_t offset, uint32_t line, uint32_t column, std::string message);
  // Handles one byte that the fast path did not; returns false on a problem.
  bool SlowByte(uint8_t byte, uint64_t offset);

  bool ascii_only_;
  bool saw_non_ascii_ = false;
  uint64_t offset_ = 0;   // document offset of the next byte
  uint32_t line_ = 1;     // line of the next character
  uint32_t column_ = 0;   // characters already on this line
  bool after_cr_ = false;  // the previous byte was CR (so LF does not end another line)
  // A multi-byte UTF-8 sequence in progress.
  uint32_t need_ = 0;        // continuation bytes still expected
  uint32_t code_point_ = 0;  // bits so far
  uint8_t low_ = 0x80;       // allowed range of the next continuation byte
  uint8_t high_ = 0xBF;
  uint64_t seq_offset_ = 0;  // where the sequence started
  std::optional<ScanProblem> problem_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_XML_BYTE_SCANNER_H_
