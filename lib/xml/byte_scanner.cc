// SPDX-License-Identifier: BSD-3-Clause
#include "xml/byte_scanner.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <string>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "findings/quote.h"
#include "text/utf8.h"

namespace mrmlguard::internal {
namespace {

constexpr uint64_t kLanes = 0x0101010101010101ull;
constexpr uint64_t kHigh = 0x8080808080808080ull;

// The 8 bytes at `p`, the first in the low bits (so the lowest flagged lane
// below is the first byte in document order on every host).
inline uint64_t LoadLittle64(const uint8_t* p) {
  uint64_t word = 0;
  for (int k = 7; k >= 0; --k) word = (word << 8) | p[k];
  return word;
}

// The masks below set the top bit of a lane for the bytes they look for.
// Each may also flag lanes above a flagged one (a borrow runs upward), never
// below: their lowest flagged lane, and that of any OR of them, is exact.

// Bytes below 0x20 (they wrap when 0x20 is subtracted) or above 0x7F.
inline uint64_t SpecialBytes(uint64_t word) { return ((word - 0x2020202020202020ull) | word) & kHigh; }
// Bytes equal to the byte `lanes` repeats.
inline uint64_t EqualBytes(uint64_t word, uint64_t lanes) {
  const uint64_t v = word ^ lanes;
  return (v - kLanes) & ~v & kHigh;
}
// Bytes not equal to the byte `lanes` repeats (exact in every lane).
inline uint64_t OtherBytes(uint64_t word, uint64_t lanes) {
  const uint64_t v = word ^ lanes;
  return (((v & ~kHigh) + ~kHigh) | v) & kHigh;
}

bool IsSpace(uint8_t byte) { return byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r'; }

// Names and attribute names kept for messages: the first bytes only, never
// cutting a UTF-8 character.
constexpr size_t kNameSampleBytes = 64;
inline void KeepNameByte(std::string& sample, uint8_t byte) {
  bool continuation = (byte & 0xC0) == 0x80;
  if (sample.size() < kNameSampleBytes || (continuation && sample.size() < kNameSampleBytes + 3)) {
    sample += static_cast<char>(byte);
  }
}

// Room left under `limit` once `used` of it is taken.
inline uint64_t Room(uint64_t limit, uint64_t used) { return limit > used ? limit - used : 0; }

// Bytes the XML reference `name` (between '&' and ';') stands for in UTF-8;
// 0 when it is not one of the five predefined entities or a character
// reference (Expat refuses the document then).
uint64_t ReferenceBytes(std::string_view name) {
  if (name == "lt" || name == "gt" || name == "amp" || name == "apos" || name == "quot") return 1;
  if (name.size() < 2 || name[0] != '#') return 0;
  const bool hex = name[1] == 'x';
  std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty()) return 0;
  uint64_t code = 0;
  for (char c : digits) {
    int digit = c >= '0' && c <= '9' ? c - '0'
                : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                              : -1;
    if (digit < 0) return 0;
    code = code * (hex ? 16 : 10) + static_cast<uint64_t>(digit);
    if (code > 0x10FFFF) return 0;
  }
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
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
    return Markup(byte, offset);
  }
  if (byte < 0x80) {
    after_cr_ = after_cr_ && byte == '\n';
    if (byte == '\n') {
      if (!after_cr_) {
        ++line_;
        column_ = 0;
      }
      after_cr_ = false;
      return Markup(byte, offset);
    }
    if (byte == '\r') {
      ++line_;
      column_ = 0;
      after_cr_ = true;
      return Markup(byte, offset);
    }
    after_cr_ = false;
    if (byte < 0x20 && byte != '\t') {
      std::string what = byte == 0 ? "NUL byte" : "control character U+" + Hex(byte, 4);
      Fail(Rule::kXmlControlChar, offset, line_, column_ + 1,
           what + " " + Where(line_, column_ + 1, offset) + "; XML 1.0 forbids it");
      return false;
    }
    ++column_;
    return Markup(byte, offset);
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
  // The lead byte fixes the length and the range of the next byte (text/utf8.h:
  // no overlongs, no UTF-16 surrogates, nothing past U+10FFFF).
  const text::Utf8Lead lead = text::ReadUtf8Lead(byte);
  if (!lead.starts) {
    Fail(Rule::kXmlEncoding, offset, line_, column_ + 1,
         "byte 0x" + Hex(byte, 2) + " " + Where(line_, column_ + 1, offset) + " is not valid UTF-8");
    return false;
  }
  need_ = lead.continuation;
  code_point_ = lead.bits;
  low_ = lead.second_lo;
  high_ = lead.second_hi;
  return Markup(byte, offset);
}

constexpr std::array<uint32_t, 256> ByteScanner::MakeRunStops() {
  std::array<uint32_t, 256> table{};
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t s = 0; s < kStates; ++s) {
      bool stop = byte < 0x20 || byte > 0x7F;
      switch (static_cast<State>(s)) {
        case State::kContent: stop = stop || byte == '<' || byte == '&'; break;
        // Both quotes: Slicer writes neither inside a value (it writes
        // &quot; and &apos;), so one table serves both kinds of value.
        case State::kValue: stop = stop || byte == '"' || byte == '\'' || byte == '&'; break;
        case State::kEndTag: stop = stop || byte == '>'; break;
        case State::kPi: stop = stop || byte == '?'; break;
        case State::kComment: stop = stop || byte == '-' || byte == '>'; break;
        case State::kCdata: stop = stop || byte == ']' || byte == '>'; break;
        case State::kStartName: stop = stop || byte == ' ' || byte == '/' || byte == '>'; break;
        case State::kAttrName: stop = stop || byte == ' ' || byte == '=' || byte == '/' || byte == '>'; break;
        case State::kInTag:
        case State::kAfterAttrName:
        case State::kAfterEq: stop = byte != ' '; break;
        case State::kOpaque: break;
        default: stop = true; break;
      }
      if (stop) table[static_cast<size_t>(byte)] |= 1u << s;
    }
  }
  return table;
}

constinit const std::array<uint32_t, 256> ByteScanner::kRunStops = ByteScanner::MakeRunStops();

constexpr std::array<std::array<uint64_t, 4>, ByteScanner::kStates> ByteScanner::MakeStopLanes() {
  constexpr std::array<uint32_t, 256> stops = MakeRunStops();
  std::array<std::array<uint64_t, 4>, kStates> lanes{};
  for (size_t s = 0; s < lanes.size(); ++s) {
    if (SpacesRun(static_cast<State>(s))) {
      lanes[s][0] = kLanes * ' ';
      continue;
    }
    // States without a fast path stop at every byte; their lanes go unused
    // (kRunStops keeps FastRun away from them).
    size_t n = 0;
    for (uint64_t byte = 0x20; byte < 0x80; ++byte) {
      if (((stops[byte] >> s) & 1u) == 0) continue;
      if (n < 4) {
        lanes[s][n] = kLanes * byte;
      } else if (((stops['a'] >> s) & 1u) == 0) {
        // More than four: not a constant, so constinit below fails the build.
        throw "a state with a fast path stops at more than four printable bytes";
      }
      ++n;
    }
  }
  return lanes;
}

constinit const std::array<std::array<uint64_t, 4>, ByteScanner::kStates> ByteScanner::kStopLanes = ByteScanner::MakeStopLanes();

size_t ByteScanner::FastRun(const uint8_t* bytes, size_t avail) const {
  const std::array<uint64_t, 4>& stops = kStopLanes[static_cast<size_t>(state_)];
  const bool spaces = SpacesRun(state_);
#if defined(__SSE2__)
  if (avail >= 16) {
    // x86-64 baseline: 16 bytes, one flag bit per byte, all exact. A signed
    // compare with 0x20 flags the bytes below it and those above 0x7F.
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
    __m128i stop = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
    if (spaces) {
      stop = _mm_or_si128(stop, _mm_xor_si128(_mm_cmpeq_epi8(x, _mm_set1_epi64x(static_cast<int64_t>(stops[0]))),
                                              _mm_set1_epi8(-1)));
    } else {
      for (uint64_t lanes : stops) {
        stop = _mm_or_si128(stop, _mm_cmpeq_epi8(x, _mm_set1_epi64x(static_cast<int64_t>(lanes))));
      }
    }
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(stop));
    return mask == 0 ? 16 : static_cast<size_t>(std::countr_zero(mask));
  }
#endif
  if (avail < 8) return 0;
  const uint64_t word = LoadLittle64(bytes);
  uint64_t stop = SpecialBytes(word);
  if (spaces) {
    stop |= OtherBytes(word, stops[0]);
  } else {
    for (uint64_t lanes : stops) stop |= EqualBytes(word, lanes);
  }
  return stop == 0 ? 8 : static_cast<size_t>(std::countr_zero(stop)) / 8;
}

size_t ByteScanner::TakeRun(const uint8_t* bytes, size_t n, uint64_t offset) {
  // Byte k (from 1) of the run is byte offset - tag_offset_ + k of the tag
  // or markup; the run stops before the first one the byte path would refuse.
  auto clamp = [&n](uint64_t room) {
    if (room < n) n = static_cast<size_t>(room);
  };
  switch (state_) {
    case State::kContent:
    case State::kOpaque:
      return n;
    case State::kValue:
      clamp(Room(limits_.max_tag_bytes, offset - tag_offset_));
      clamp(Room(limits_.max_attribute_value_bytes, value_bytes_));
      if (n > 0) {
        value_bytes_ += n;
        value_cr_ = false;
      }
      return n;
    case State::kStartName:
    case State::kAttrName: {
      clamp(Room(limits_.max_tag_bytes, offset - tag_offset_));
      clamp(Room(limits_.max_xml_name_bytes, name_bytes_));
      name_bytes_ += n;
      // ASCII: KeepNameByte keeps each byte while the sample is short.
      std::string& sample = state_ == State::kStartName ? element_ : attribute_;
      if (sample.size() < kNameSampleBytes) {
        sample.append(reinterpret_cast<const char*>(bytes), std::min(n, kNameSampleBytes - sample.size()));
      }
      return n;
    }
    case State::kInTag:
    case State::kAfterAttrName:
    case State::kAfterEq:
    case State::kEndTag:
      clamp(Room(limits_.max_tag_bytes, offset - tag_offset_));
      return n;
    case State::kPi:
    case State::kComment:
    case State::kCdata:
      clamp(Room(limits_.max_markup_bytes, markup_bytes_ + (offset - tag_offset_)));
      if (n > 0) marks_ = 0;  // a comment or CDATA end needs its marks in a row
      return n;
    default:
      return 0;
  }
}

bool ByteScanner::RefuseElement(const char* limit, uint64_t value, std::string detail, std::string_view attribute) {
  Fail(Rule::kXmlLimitExceeded, tag_offset_, tag_line_, tag_column_, std::move(detail));
  problem_->limit = limit;
  problem_->limit_value = value;
  problem_->attribute = std::string(attribute);
  return false;
}

bool ByteScanner::RefuseValue() {
  return RefuseElement("max_attribute_value_bytes", limits_.max_attribute_value_bytes,
                       "attribute " + Quote(attribute_, 60) + " of <" + Quote(element_, 60) + "> at line " +
                           std::to_string(tag_line_) + " column " + std::to_string(tag_column_) + " holds more than " +
                           std::to_string(limits_.max_attribute_value_bytes) + " bytes",
                       attribute_);
}

bool ByteScanner::CountReference(uint64_t offset) {
  if (++references_ <= limits_.max_document_references) return true;
  const std::string what = "more than " + std::to_string(limits_.max_document_references) +
                           " character and entity references in the document";
  if (state_ == State::kContent) {
    // In text: refused at the '&' itself (ASCII, so column_ counts it).
    Fail(Rule::kXmlLimitExceeded, offset, line_, column_, what + ", the first one over " + Where(line_, column_, offset));
    problem_->limit = "max_document_references";
    problem_->limit_value = limits_.max_document_references;
    return false;
  }
  return RefuseElement("max_document_references", limits_.max_document_references,
                       what + ", the first one over in attribute " + Quote(attribute_, 60) + " of <" +
                           Quote(element_, 60) + "> at line " + std::to_string(tag_line_) + " column " +
                           std::to_string(tag_column_),
                       attribute_);
}

bool ByteScanner::RefuseTag() {
  const bool end_tag = state_ == State::kEndTag;
  return RefuseElement("max_tag_bytes", limits_.max_tag_bytes,
                       std::string(end_tag ? "the end tag" : "the start tag <" + Quote(element_, 60) + ">") +
                           " at line " + std::to_string(tag_line_) + " column " + std::to_string(tag_column_) +
                           " is longer than " + std::to_string(limits_.max_tag_bytes) + " bytes",
                       end_tag ? std::string_view() : std::string_view(attribute_));
}

bool ByteScanner::RefuseMarkup() {
  const char* what = state_ == State::kComment ? "comment"
                     : state_ == State::kCdata ? "CDATA section"
                     : state_ == State::kBang  ? "markup declaration"
                                               : "processing instruction";
  return RefuseElement("max_markup_bytes", limits_.max_markup_bytes,
                       std::string("the ") + what + " at line " + std::to_string(tag_line_) + " column " +
                           std::to_string(tag_column_) + " takes the document's comments, processing instructions "
                           "and CDATA sections past " + std::to_string(limits_.max_markup_bytes) +
                           " bytes; Slicer's scene writer (vtkMRMLScene::Commit) writes none but the XML "
                           "declaration");
}

bool ByteScanner::EndElementName() {
  if (depth_ + 1ull > limits_.max_xml_depth) {
    return RefuseElement("max_xml_depth", limits_.max_xml_depth,
                         "at element <" + Quote(element_, 60) + "> at line " + std::to_string(tag_line_) +
                             " column " + std::to_string(tag_column_) + " (depth " + std::to_string(depth_ + 1ull) +
                             ")");
  }
  ++depth_;
  return true;
}

bool ByteScanner::CountNameByte(std::string& sample, uint8_t byte) {
  KeepNameByte(sample, byte);
  return ++name_bytes_ <= limits_.max_xml_name_bytes || RefuseName(sample);
}

bool ByteScanner::RefuseName(const std::string& sample) {
  const bool element = &sample == &element_;
  return RefuseElement("max_xml_name_bytes", limits_.max_xml_name_bytes,
                       std::string(element ? "element name <" : "attribute name ") + Quote(sample, 60) +
                           (element ? ">" : " of <" + Quote(element_, 60) + ">") + " at line " +
                           std::to_string(tag_line_) + " column " + std::to_string(tag_column_) +
                           " is longer than " + std::to_string(limits_.max_xml_name_bytes) + " bytes");
}

bool ByteScanner::Markup(uint8_t byte, uint64_t offset) {
  if (InMarkup() && !CountMarkupBytes(offset - tag_offset_ + 1)) return false;
  if (InTag() && !CountTagBytes(offset - tag_offset_ + 1)) return false;
  switch (state_) {
    case State::kContent:
      if (byte == '&') return CountReference(offset);
      if (byte == '<') {
        // ASCII: column_ already counts it.
        tag_offset_ = offset;
        tag_line_ = line_;
        tag_column_ = column_;
        SetState(State::kOpen);
      }
      return true;
    case State::kOpen:
      if (byte == '/') {
        SetState(State::kEndTag);
      } else if (byte == '?') {
        SetState(State::kPi);
      } else if (byte == '!') {
        marks_ = 0;
        SetState(State::kBang);
      } else if (IsSpace(byte) || byte == '<' || byte == '>' || byte == '=') {
        SetState(State::kContent);  // malformed; Expat refuses it
        return Markup(byte, offset);
      } else {
        element_.clear();
        attribute_.clear();
        attributes_ = 0;
        name_bytes_ = 0;
        SetState(State::kStartName);
        return CountNameByte(element_, byte);
      }
      return true;
    case State::kStartName:
      if (IsSpace(byte) || byte == '/' || byte == '>') {
        if (!EndElementName()) return false;
        SetState(byte == '/' ? State::kSlash : byte == '>' ? State::kContent : State::kInTag);
        return true;
      }
      return CountNameByte(element_, byte);
    case State::kInTag:
      if (IsSpace(byte)) return true;
      if (byte == '/') {
        SetState(State::kSlash);
        return true;
      }
      if (byte == '>') {
        SetState(State::kContent);
        return true;
      }
      if (++document_attributes_ > limits_.max_document_attributes) {
        return RefuseElement("max_document_attributes", limits_.max_document_attributes,
                             "element <" + Quote(element_, 60) + "> at line " + std::to_string(tag_line_) +
                                 " column " + std::to_string(tag_column_) + " takes the document past " +
                                 std::to_string(limits_.max_document_attributes) + " attributes");
      }
      if (++attributes_ > limits_.max_attributes_per_element) {
        return RefuseElement("max_attributes_per_element", limits_.max_attributes_per_element,
                             "element <" + Quote(element_, 60) + "> at line " + std::to_string(tag_line_) +
                                 " column " + std::to_string(tag_column_) + " has more than " +
                                 std::to_string(limits_.max_attributes_per_element) + " attributes");
      }
      attribute_.clear();
      name_bytes_ = 0;
      SetState(State::kAttrName);
      return CountNameByte(attribute_, byte);
    case State::kAttrName:
      if (IsSpace(byte)) {
        SetState(State::kAfterAttrName);
      } else if (byte == '=') {
        SetState(State::kAfterEq);
      } else if (byte == '/' || byte == '>') {
        SetState(State::kInTag);  // malformed; Expat refuses it
        return Markup(byte, offset);
      } else {
        return CountNameByte(attribute_, byte);
      }
      return true;
    case State::kAfterAttrName:
      if (IsSpace(byte)) return true;
      if (byte == '=') {
        SetState(State::kAfterEq);
        return true;
      }
      SetState(State::kInTag);  // malformed
      return Markup(byte, offset);
    case State::kAfterEq:
      if (IsSpace(byte)) return true;
      if (byte == '"' || byte == '\'') {
        quote_ = byte;
        value_bytes_ = 0;
        value_cr_ = false;
        SetState(State::kValue);
        return true;
      }
      SetState(State::kInTag);  // malformed
      return Markup(byte, offset);
    case State::kValue:
      if (byte == quote_) {
        SetState(State::kInTag);
        return true;
      }
      if (byte == '&') {
        reference_.clear();
        value_cr_ = false;
        SetState(State::kRef);
        return CountReference(offset);
      }
      if (byte == '\n' && value_cr_) {  // CR LF is one line end, one space
        value_cr_ = false;
        return true;
      }
      value_cr_ = byte == '\r';
      return CountValueBytes(1);
    case State::kRef:
      if (byte == ';') {
        SetState(State::kValue);
        uint64_t decoded = ReferenceBytes(reference_);
        return CountValueBytes(decoded > 0 ? decoded : reference_.size() + 2);
      }
      if (byte == quote_ || reference_.size() >= 16) {
        // Not a reference Expat accepts; count what is there and go on.
        const uint64_t raw = reference_.size() + 1;
        SetState(State::kValue);
        return CountValueBytes(raw) && Markup(byte, offset);
      }
      reference_ += static_cast<char>(byte);
      return true;
    case State::kSlash:
      if (byte == '>') {
        if (depth_ > 0) --depth_;
        SetState(State::kContent);
        return true;
      }
      SetState(State::kInTag);  // malformed
      return Markup(byte, offset);
    case State::kEndTag:
      if (byte == '>') {
        if (depth_ > 0) --depth_;
        SetState(State::kContent);
      }
      return true;
    case State::kPi:
      if (byte == '?') SetState(State::kPiQuestion);
      return true;
    case State::kPiQuestion:
      if (byte == '>') {
        markup_bytes_ += offset - tag_offset_ + 1;
        SetState(State::kContent);
      } else if (byte != '?') {
        SetState(State::kPi);
      }
      return true;
    case State::kBang:
      if (byte == '-') {
        if (marks_ == 0) {
          marks_ = 1;
        } else {
          marks_ = 0;
          SetState(State::kComment);
        }
      } else if (byte == '[' && marks_ == 0) {
        SetState(State::kCdata);
      } else {
        // A DOCTYPE (refused by both parsers whatever follows) or malformed
        // markup: stop following.
        SetState(State::kOpaque);
      }
      return true;
    case State::kComment:
    case State::kCdata: {
      const uint8_t mark = state_ == State::kComment ? '-' : ']';
      if (byte == mark) {
        if (marks_ < 2) ++marks_;
      } else if (byte == '>' && marks_ >= 2) {
        marks_ = 0;
        markup_bytes_ += offset - tag_offset_ + 1;
        SetState(State::kContent);
      } else {
        marks_ = 0;
      }
      return true;
    }
    case State::kOpaque:
      return true;
  }
  return true;
}

size_t ByteScanner::Scan(std::span<const uint8_t> bytes) {
  if (problem_) return 0;
  const uint8_t* data = bytes.data();
  const size_t size = bytes.size();
  size_t i = 0;
  while (i < size) {
    // Fast path: a run of printable ASCII bytes that the current state
    // treats alike (most of a scene), up to 16 at a time.
    if (need_ == 0 && ((kRunStops[data[i]] >> static_cast<unsigned>(state_)) & 1u) == 0) {
      size_t n = FastRun(data + i, size - i);
      if (n > 0) n = TakeRun(data + i, n, offset_ + i);
      if (n > 0) {
        column_ += static_cast<uint32_t>(n);
        after_cr_ = false;
        i += n;
        continue;
      }
    }
    const uint8_t byte = data[i];
    bool accepted;
    if (need_ == 0 && byte >= 0x20 && byte < 0x80) {
      // Printable ASCII, what SlowByte does with it in short: the markup
      // (dense markup takes this path for most bytes).
      after_cr_ = false;
      ++column_;
      accepted = Markup(byte, offset_ + i);
    } else {
      accepted = SlowByte(byte, offset_ + i);
    }
    if (!accepted) {
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
