// ParseXml: reads the document once, in chunks, and hands every chunk to the
// byte scanner, to Expat (whose events reach the handler) and, on a second
// thread, to libxml2; the two canonical event streams are compared as they
// grow. See docs/notes/xml.md for the design.

#include "xml/xml_parser.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "xml/byte_scanner.h"
#include "xml/cross_check.h"
#include "xml/event_stream.h"
#include "xml/expat_driver.h"
#include "xml/xml_decl.h"

namespace mrmlguard::internal {
namespace {

// 1 MiB chunks: large enough that per-call overhead vanishes, small enough
// that a file source never holds more than a few of them.
constexpr size_t kDefaultChunkBytes = size_t{1} << 20;
// XML_Parse takes an int length.
constexpr size_t kMaxChunkBytes = size_t{1} << 30;

size_t ChunkBytes(const XmlOptions& options) {
  if (options.chunk_size == 0) return kDefaultChunkBytes;
  return std::min(options.chunk_size, kMaxChunkBytes);
}

}  // namespace

namespace {

// Calls EndDocument at most once, so the catch in ParseXml can still end the
// document when something threw before the end.
class EndOnce {
 public:
  explicit EndOnce(XmlHandler& handler) : handler_(handler) {}
  void operator()(bool well_formed) {
    if (ended_) return;
    ended_ = true;
    handler_.EndDocument(well_formed);
  }

 private:
  XmlHandler& handler_;
  bool ended_ = false;
};

bool ParseXmlImpl(InputSource& source, XmlHandler& handler, FindingSink& sink, const XmlOptions& options,
                  EndOnce& end_document) {
  const Limits& limits = sink.limits();
  const uint64_t size = source.size();
  // X1: bound the document before reading any of it.
  if (size > limits.max_scene_bytes) {
    sink.LimitReached(Rule::kXmlLimitExceeded, "max_scene_bytes", limits.max_scene_bytes, Location{.offset = 0},
                      "the document holds " + std::to_string(size) + " bytes");
    end_document(false);
    return false;
  }

  // X2: byte order mark and declared encoding, decided before any parsing.
  std::vector<uint8_t> scratch;
  const size_t prefix_bytes = static_cast<size_t>(std::min<uint64_t>(size, kDeclPrefixBytes));
  std::span<const uint8_t> prefix = source.View(0, prefix_bytes, &scratch);
  if (prefix.size() != prefix_bytes) {
    end_document(false);  // an I/O error: the caller reports source.io_error()
    return false;
  }
  const DeclInfo decl = PrescanDeclaration(prefix);
  if (decl.kind == DeclInfo::Kind::kRefused) {
    sink.Add(Rule::kXmlEncoding, Location{.offset = decl.offset, .line = 1, .column = 1}, decl.message);
    end_document(false);
    return false;
  }

  const size_t chunk_bytes = ChunkBytes(options);
  // The libxml2 side runs only when the whole Expat side is clean; its result
  // cannot change a verdict that is already a rejection.
  std::optional<CrossCheck> cross;
  EventStream expat_stream;
  if (options.cross_check) cross.emplace(source, sink.policy(), decl, size, chunk_bytes);
  ExpatDriver expat(&handler, &sink, limits, decl, cross ? &expat_stream : nullptr);
  ByteScanner scanner(decl.kind == DeclInfo::Kind::kAsciiOnly);

  bool io_failed = false;
  uint64_t offset = 0;  // of the next chunk
  uint64_t fed = 0;     // bytes given to Expat
  std::array<uint8_t, 4> carry{};  // bytes [fed, fed + carry_len): a character the next chunk finishes
  size_t carry_len = 0;
  bool clean = !expat.stopped();
  if (!clean) {
    sink.Add(Rule::kXmlLimitExceeded, Location{}, "out of memory creating the XML parser");
  }
  while (clean && offset < size) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(size - offset, chunk_bytes));
    std::span<const uint8_t> chunk = cross ? cross->NextChunk(offset, want) : source.View(offset, want, &scratch);
    if (chunk.size() != want) {
      io_failed = true;
      clean = false;
      break;
    }
    scanner.Scan(chunk);
    const std::optional<ScanProblem>& problem = scanner.problem();
    if (cross) cross->Publish(!problem);
    // Feed Expat [fed, safe): first the held-back start of a character from
    // the previous chunk, then this chunk's bytes.
    const uint64_t safe = scanner.safe_end();
    if (safe > fed) {
      const size_t from_carry = static_cast<size_t>(std::min<uint64_t>(carry_len, safe - fed));
      if (from_carry > 0) expat.Feed(std::span<const uint8_t>(carry.data(), from_carry), /*final=*/false);
      if (safe > offset) expat.Feed(chunk.first(static_cast<size_t>(safe - offset)), /*final=*/false);
    }
    if (!problem) {
      // Hold back a character this chunk ends inside of (at most 3 bytes,
      // possibly begun in the carry already).
      std::array<uint8_t, 4> next{};
      const uint64_t end = offset + chunk.size();
      size_t n = 0;
      for (uint64_t at = safe; at < end && n < next.size(); ++at) {
        next[n++] = at < offset ? carry[static_cast<size_t>(at - fed)] : chunk[static_cast<size_t>(at - offset)];
      }
      carry = next;
      carry_len = n;
    }
    fed = safe;
    if (expat.stopped()) {
      clean = false;
      break;
    }
    if (problem) {
      // The bytes before it were fed; a final parse of them delivers every
      // complete element before the byte (the same for every chunking), and
      // an error Expat finds there comes first and is the one reported.
      if (!expat.FinishAtRefusedByte()) {
        sink.Add(problem->rule, Location{.offset = problem->offset, .line = problem->line, .column = problem->column},
                 problem->message);
      }
      clean = false;
      break;
    }
    offset += chunk.size();
    // A difference found here is final, but Expat still reads to the end so
    // the handler's view of the document never depends on thread timing.
    if (cross && !cross->CompareSoFar(&expat_stream)) expat.DropStream();
  }
  if (clean) {
    scanner.Finish();
    if (const auto& problem = scanner.problem()) {
      if (!expat.FinishAtRefusedByte()) {
        sink.Add(problem->rule, Location{.offset = problem->offset, .line = problem->line, .column = problem->column},
                 problem->message);
      }
      clean = false;
    }
  }
  if (clean) {
    expat.Feed({}, /*final=*/true);
    clean = expat.finished() && !expat.stopped();
  }
  if (clean && decl.kind == DeclInfo::Kind::kAsciiOnly) {
    sink.Add(Rule::kXmlLatin1Declaration, Location{.offset = 0, .line = 1, .column = 1},
             "the document declares encoding " + decl.encoding +
                 " but holds only ASCII, so every parser reads it alike; Slicer writes UTF-8");
  }
  bool agree = true;
  if (cross) {
    // Expat's side is judged; libxml2's opinion matters only for a document
    // that would otherwise pass. Finish() joins the thread either way.
    agree = cross->Finish(clean, &expat_stream, sink);
  }
  end_document(clean && !io_failed);
  return clean && agree && !io_failed;
}

}  // namespace

bool ParseXml(InputSource& source, XmlHandler& handler, FindingSink& sink, const XmlOptions& options) {
  // Only allocation can throw in here (callbacks catch their own); nothing
  // crosses the API.
  EndOnce end_document(handler);
  try {
    return ParseXmlImpl(source, handler, sink, options, end_document);
  } catch (...) {
    try {
      sink.Add(Rule::kXmlLimitExceeded, Location{}, "out of memory while checking the XML document");
    } catch (...) {
      // Nothing more can be recorded; the false below still refuses.
    }
    end_document(false);
    return false;
  }
}

}  // namespace mrmlguard::internal
