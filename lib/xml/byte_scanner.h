// SPDX-License-Identifier: BSD-3-Clause
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
// It also follows the markup, just enough to bound each element before
// either parser sees it (X9): the depth of a start tag, the bytes of its
// element and attribute names, its attribute count and the bytes of each
// attribute value after XML normalisation (references decoded, CR LF as one
// byte). A start tag past max_xml_depth, max_xml_name_bytes,
// max_attributes_per_element or max_attribute_value_bytes is refused at its
// '<': the parsers get the bytes before it and never tokenise the element, so
// libxml2's duplicate-attribute check (quadratic in the attribute count) and
// anything else super-linear per element stays within the limits. The markup
// reading is not a parser: on malformed markup it only needs to stay bounded
// and deterministic, because Expat refuses the document anyway; after a
// "<!" that opens neither a comment nor a CDATA section (a DOCTYPE, always
// refused) it stops following the markup.
//
// Three document-wide budgets bound what the parsers do in total, because
// both parsers' cost is linear but not small in these (docs/bench/worst-case.md):
//   - max_document_attributes: a start tag whose attribute takes the document
//     past it is refused at its '<', like the per-element limits;
//   - max_markup_bytes: the bytes of every comment, processing instruction
//     and CDATA section, '<' to '>' (vtkMRMLScene::Commit writes none but
//     the XML declaration); the one that goes past it is refused at its '<',
//     and since markup is held back until its end, neither parser reads it;
//   - max_document_references: '&' references in attribute values (refused
//     at the start tag's '<') and in text (refused at the '&').
// And max_tag_bytes bounds one start or end tag ('<' to '>'), which is held
// back from the parsers, in memory, until its end has been scanned.
//
// Most bytes take a fast path: a run of printable ASCII bytes that the
// current state treats alike (text, a value, a name, spaces in a tag, a
// comment's body) is counted at once, up to 16 bytes at a time. A run stops
// before any byte that would pass a limit, so every refusal comes from the
// byte-at-a-time path, at the same byte whatever the chunk sizes
// (tests/xml/byte_scanner_test.cc).
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

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "findings/rule.h"
#include "mrmlguard/limits.h"

namespace mrmlguard::internal {

struct ScanProblem {
  Rule rule = Rule::kXmlControlChar;
  uint64_t offset = 0;  // of the first byte of the offending character
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based
  std::string message;
  // Set when a limit refused the element: its name (from the limits table)
  // and value; the message then holds only the detail.
  const char* limit = nullptr;
  uint64_t limit_value = 0;
  std::string attribute;  // the attribute concerned, when one is
};

class ByteScanner {
 public:
  ByteScanner(bool ascii_only, const Limits& limits) : ascii_only_(ascii_only), limits_(limits) {}

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
  // Document offset up to which the parsers may be fed now: safe_end(),
  // except that markup (a tag, comment, processing instruction or CDATA
  // section) is held back from its '<' until its end has been scanned. So
  // Expat and libxml2 only ever see whole markup: an element the scanner
  // refuses never reaches them, neither parser re-scans a long unfinished
  // token at every chunk (Expat 2.5 does), and no parser error inside a tag
  // can come before the scanner's refusal of the same tag for some chunk
  // sizes and not for others.
  uint64_t feed_end() const {
    if (problem_ || state_ == State::kContent || state_ == State::kOpaque) return safe_end();
    return tag_offset_;
  }
  // True when a byte >= 0x80 was seen (only meaningful without a problem).
  bool saw_non_ascii() const { return saw_non_ascii_; }

 private:
  void Fail(Rule rule, uint64_t offset, uint32_t line, uint32_t column, std::string message);
  // Handles one byte that the fast path did not; returns false on a problem.
  bool SlowByte(uint8_t byte, uint64_t offset);

  // Where the markup reader is. kValue and kRef are inside an attribute
  // value; kOpaque gives up following the markup (see above). kOpen to
  // kEndTag are the states inside a tag (InTag), kPi to kCdata those inside
  // other markup (InMarkup).
  enum class State : uint8_t {
    kContent, kOpen, kStartName, kInTag, kAttrName, kAfterAttrName, kAfterEq, kValue, kRef, kSlash,
    kEndTag, kPi, kPiQuestion, kBang, kComment, kCdata, kOpaque,
  };
  static constexpr size_t kStates = static_cast<size_t>(State::kOpaque) + 1;
  static_assert(kStates <= 32, "kRunStops holds one bit per state");
  // Follows the markup over one accepted byte; returns false on a problem.
  bool Markup(uint8_t byte, uint64_t offset);
  // What the fast path may skip in each state: a run of printable ASCII
  // bytes none of which is one of the (at most four) bytes the state reacts
  // to, or in the states between a tag's names and values, a run of spaces.
  static constexpr bool SpacesRun(State state) {
    return state == State::kInTag || state == State::kAfterAttrName || state == State::kAfterEq;
  }
  // How many of the next `avail` bytes at `bytes` (at most 16) the fast path
  // may skip in the current state; 0 when fewer than 8 bytes are left.
  size_t FastRun(const uint8_t* bytes, size_t avail) const;
  // Accounts for the first `n` bytes of such a run at document offset
  // `offset`, or fewer: never the byte that takes the tag or markup past a
  // limit, which the byte path then refuses exactly as it always does.
  // Returns the bytes taken (possibly 0).
  size_t TakeRun(const uint8_t* bytes, size_t n, uint64_t offset);
  // Bit s of kRunStops[byte] is set when no fast-path run starts with `byte`
  // in state s, so that markup dense in the bytes the states react to does
  // not pay for looking at 16 bytes each time. Only a shortcut: FastRun
  // decides what a run is.
  static constexpr std::array<uint32_t, 256> MakeRunStops();
  static const std::array<uint32_t, 256> kRunStops;
  // The printable bytes of kRunStops for each state, each repeated in 8
  // lanes (0 for none; 0 is below 0x20, so always a stop anyway).
  static constexpr std::array<std::array<uint64_t, 4>, kStates> MakeStopLanes();
  static const std::array<std::array<uint64_t, 4>, kStates> kStopLanes;
  void SetState(State state) { state_ = state; }
  // Refuses the current start tag at its '<'; `attribute` names the
  // attribute concerned (empty when none). Returns false.
  bool RefuseElement(const char* limit, uint64_t value, std::string detail, std::string_view attribute = {});
  bool CountValueBytes(uint64_t n) {
    value_bytes_ += n;
    return value_bytes_ <= limits_.max_attribute_value_bytes || RefuseValue();
  }
  bool RefuseValue();
  // Counts a reference ('&' at `offset`); in text when not in a start tag.
  bool CountReference(uint64_t offset);
  // Refuses the comment, PI or CDATA section open since tag_offset_ when the
  // document's markup bytes, `bytes` of it included, pass max_markup_bytes.
  bool CountMarkupBytes(uint64_t bytes) {
    return markup_bytes_ + bytes <= limits_.max_markup_bytes || RefuseMarkup();
  }
  bool RefuseMarkup();
  // Refuses the tag open since tag_offset_ once it holds more than
  // max_tag_bytes (`bytes` of it scanned). The comparison is inline, the
  // refusal (building its message) is not.
  bool CountTagBytes(uint64_t bytes) { return bytes <= limits_.max_tag_bytes || RefuseTag(); }
  bool RefuseTag();
  // Counts one more byte of the element or attribute name kept in `sample`.
  bool CountNameByte(std::string& sample, uint8_t byte);
  bool RefuseName(const std::string& sample);
  bool InTag() const { return state_ >= State::kOpen && state_ <= State::kEndTag; }
  bool InMarkup() const {
    return state_ == State::kPi || state_ == State::kPiQuestion || state_ == State::kBang ||
           state_ == State::kComment || state_ == State::kCdata;
  }
  bool EndElementName();

  bool ascii_only_;
  const Limits& limits_;
  bool saw_non_ascii_ = false;
  State state_ = State::kContent;
  uint8_t quote_ = 0;     // delimiter of the current attribute value
  uint8_t marks_ = 0;     // '-' or ']' seen in a row (comment, CDATA end)
  uint32_t depth_ = 0;    // open elements
  uint32_t attributes_ = 0;
  // Document totals (the budgets above).
  uint64_t document_attributes_ = 0;
  uint64_t references_ = 0;
  uint64_t markup_bytes_ = 0;  // of the comments, PIs and CDATA sections already closed
  uint64_t name_bytes_ = 0;
  uint64_t value_bytes_ = 0;
  bool value_cr_ = false;  // the previous value byte was CR (CR LF counts once)
  std::string reference_;  // a reference in a value, without '&' (bounded)
  // The current start tag: where its '<' is, and the start of its names
  // (for messages).
  uint64_t tag_offset_ = 0;
  uint32_t tag_line_ = 0;
  uint32_t tag_column_ = 0;
  std::string element_;
  std::string attribute_;
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
