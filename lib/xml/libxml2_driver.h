// SPDX-License-Identifier: BSD-3-Clause
// File: libxml2_driver.h
//
// LibxmlDriver: libxml2's SAX2 push parser as the second opinion (X5, X6,
// X12). Options XML_PARSE_NONET only: never NOENT, DTDLOAD, DTDATTR,
// DTDVALID, XINCLUDE, HUGE or RECOVER. A DOCTYPE stops it (internalSubset),
// entity lookups find nothing, and every error or warning is counted through
// the context's own structured error handler.
//
// Process-wide state (the one global mrmlguard sets): libxml2 2.9.14 has no
// per-context entity loader, so the first LibxmlDriver installs, once and
// under std::call_once, an external entity loader that refuses everything,
// and turns catalogs off (xmlCatalogSetDefaults(XML_CATA_ALLOW_NONE)). A
// program that embeds mrmlguard and also uses libxml2 elsewhere loses
// external entity loading there too, which is what a hardened process wants.

#ifndef MRMLGUARD_LIB_XML_LIBXML2_DRIVER_H_
#define MRMLGUARD_LIB_XML_LIBXML2_DRIVER_H_

#include <atomic>
#include <cstdint>
#include <span>
#include <string>

#include "xml/event_stream.h"

namespace mrmlguard::internal {

class LibxmlDriver {
 public:
  // `stream` receives the canonical events; `stop` (may be null) is polled
  // from the callbacks so another thread can end the parse early.
  LibxmlDriver(EventStream* stream, const std::atomic<bool>* stop);
  ~LibxmlDriver();
  LibxmlDriver(const LibxmlDriver&) = delete;
  LibxmlDriver& operator=(const LibxmlDriver&) = delete;

  // Feeds the next bytes; `final` after the last ones (bytes may be empty).
  void Feed(std::span<const uint8_t> bytes, bool final);

  // Errors and warnings libxml2 reported (DOCTYPE refusals included).
  uint64_t problems() const { return problems_; }
  // The first of them: message, line and column as libxml2 gave them.
  const std::string& first_problem() const { return first_problem_; }
  uint32_t first_problem_line() const { return first_line_; }
  uint32_t first_problem_column() const { return first_column_; }
  // True once libxml2 stopped (error, refusal or request).
  bool stopped() const { return stopped_; }

 private:
  friend struct LibxmlCallbacks;
  void Problem(std::string message, int line, int column);
  void StopNow();
  uint32_t Line() const;

  void* ctxt_ = nullptr;  // xmlParserCtxtPtr
  EventStream* stream_;
  const std::atomic<bool>* stop_;
  bool stopped_ = false;
  uint64_t problems_ = 0;
  std::string first_problem_;
  uint32_t first_line_ = 0;
  uint32_t first_column_ = 0;
  std::string name_;  // scratch for prefixed names
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_XML_LIBXML2_DRIVER_H_
