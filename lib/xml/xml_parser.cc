// SPDX-License-Identifier: BSD-3-Clause
// ParseXml: reads the document once, in chunks, and hands every chunk to the
// byte scanner, to Expat (whose events reach the handler) and, on a second
// thread, to libxml2; the two canonical event streams are compared as they
// grow. See docs/notes/xml.md for the design.

#include "xml/xml_parser.h"

#include <algorithm>
#include <cstddef>
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

// Reports what the byte scanner refused: a limit names itself, as every
// other limit does.
void ReportScanProblem(const ScanProblem& problem, FindingSink& sink) {
  Location where{.offset = problem.offset, .line = problem.line, .column = problem.column};
  if (problem.limit != nullptr) {
    where.attribute = problem.attribute;
    sink.LimitReached(problem.rule, problem.limit, problem.limit_value, std::move(where), problem.message);
    return;
  }
  sink.Add(problem.rule, std::move(where), problem.message);
}

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
  ByteScanner scanner(decl.kind == DeclInfo::Kind::kAsciiOnly, limits);

  bool io_failed = false;
  uint64_t offset = 0;  // of the next chunk
  uint64_t fed = 0;     // bytes given to Expat
  // Bytes [fed, offset) the scanner has accepted but Expat has not had yet:
  // a character the next chunk finishes, or markup whose end has not been
  // scanned (ByteScanner::feed_end). At most one open tag or comment, which
  // Expat would otherwise hold in its own buffer.
  std::vector<uint8_t> pending;
  // Feeds Expat up to document offset `to` from `pending` and then from
  // `chunk` (which starts at `chunk_offset`), and, when `keep`, keeps what
  // is left of the chunk in `pending`.
  auto feed_to = [&](uint64_t to, std::span<const uint8_t> chunk, uint64_t chunk_offset, bool keep) {
    if (to > fed) {
      const size_t from_pending = static_cast<size_t>(std::min<uint64_t>(pending.size(), to - fed));
      if (from_pending > 0) {
        expat.Feed(std::span<const uint8_t>(pending.data(), from_pending), /*final=*/false);
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(from_pending));
      }
      if (to > chunk_offset) expat.Feed(chunk.first(static_cast<size_t>(to - chunk_offset)), /*final=*/false);
      fed = to;
    }
    const uint64_t chunk_end = chunk_offset + chunk.size();
    if (keep && fed < chunk_end) {
      const size_t keep_from = static_cast<size_t>(std::max(fed, chunk_offset) - chunk_offset);
      pending.insert(pending.end(), chunk.begin() + static_cast<std::ptrdiff_t>(keep_from), chunk.end());
    }
  };
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
    // After a problem Expat gets the bytes before the refused one (before
    // the refused element, for a limit), and nothing after.
    feed_to(scanner.feed_end(), chunk, offset, /*keep=*/!problem);
    if (expat.stopped()) {
      clean = false;
      break;
    }
    if (problem) {
      // The bytes before it were fed; a final parse of them delivers every
      // complete element before the byte (the same for every chunking), and
      // an error Expat finds there comes first and is the one reported.
      if (!expat.FinishAtRefusedByte()) ReportScanProblem(*problem, sink);
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
    const auto& problem = scanner.problem();
    // Without a problem, Expat gets what is still held back (the document
    // may end inside markup; Expat says why that is wrong).
    feed_to(problem ? scanner.feed_end() : offset, {}, offset, /*keep=*/false);
    if (expat.stopped()) {
      // Expat's error in the bytes before the problem comes first, as it
      // does inside the loop: which of the two is seen first must not depend
      // on how much Expat parsed before (chunking, Expat's reparse deferral).
      clean = false;
    } else if (problem) {
      if (!expat.FinishAtRefusedByte()) ReportScanProblem(*problem, sink);
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
