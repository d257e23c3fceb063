// SPDX-License-Identifier: BSD-3-Clause
// File: expat_driver.h
//
// ExpatDriver: Expat configured as Slicer's vtkXMLParser configures it
// (XML_ParserCreate(NULL): no namespace processing, the document's own
// encoding declaration), plus every handler mrmlguard needs to refuse what
// Slicer would silently accept (X3, X4, X7-X11). It hands start and end tags
// to the XmlHandler and writes the canonical event stream for the libxml2
// comparison.
//
// Callbacks never throw: each records what it saw and calls XML_StopParser.

#ifndef MRMLGUARD_LIB_XML_EXPAT_DRIVER_H_
#define MRMLGUARD_LIB_XML_EXPAT_DRIVER_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "findings/finding_sink.h"
#include "mrmlguard/limits.h"
#include "xml/event_stream.h"
#include "xml/xml_decl.h"
#include "xml/xml_parser.h"

namespace mrmlguard::internal {

class ExpatDriver {
 public:
  // `handler`, `sink` and `stream` may be null (locate mode: only the stream).
  ExpatDriver(XmlHandler* handler, FindingSink* sink, const Limits& limits, const DeclInfo& decl,
              EventStream* stream);
  ~ExpatDriver();
  ExpatDriver(const ExpatDriver&) = delete;
  ExpatDriver& operator=(const ExpatDriver&) = delete;

  // Feeds the next bytes (at most INT_MAX); `final` after the last ones.
  // Returns false once parsing has stopped, for whatever reason.
  bool Feed(std::span<const uint8_t> bytes, bool final);

  // Ends the parse at a byte the scanner refused, after the bytes before it
  // were fed: a final parse of what Expat holds, so every complete element
  // before the byte reaches the handler whatever the chunking, and an error
  // Expat finds in those bytes is reported. Errors that only say the input
  // ends early (the cut) are not. Returns true when an error finding was added.
  bool FinishAtRefusedByte();

  // Stops writing the canonical stream (the comparison is already decided).
  void DropStream() { stream_ = nullptr; }

  // True once parsing stopped before the end (our refusal, Expat's error, or
  // out of memory); the findings say why.
  bool stopped() const { return stopped_; }
  // True after a final Feed that ended cleanly.
  bool finished() const { return finished_; }

 private:
  // Reports a finding; stops the parser when the rule is an error in this
  // policy (or `always_stop`). Returns true when it stopped.
  bool Report(Rule rule, const Location& where, std::string message, bool always_stop = false);
  bool Limit(std::string_view name, uint64_t value, const Location& where, std::string detail);
  void Stop();
  void OutOfMemory();
  Location Here() const;
  uint32_t Line() const;

  void OnXmlDecl(const char* version, const char* encoding, int standalone);
  void OnStartElement(const char* name, const char** atts);
  void OnEndElement(const char* name);
  void OnCharacterData(const char* text, int length);
  // Judges the text run that ended; true when that stopped the parser.
  bool FlushText();
  void OnComment(const char* text);
  void OnProcessingInstruction(const char* target);
  void OnCdata();
  void OnDeclaration(std::string_view what, const char* name);

  friend struct ExpatCallbacks;

  void* parser_;  // XML_Parser; kept opaque so expat.h stays in the .cc
  XmlHandler* handler_;
  FindingSink* sink_;
  const Limits& limits_;
  const DeclInfo& decl_;
  EventStream* stream_;

  bool stopped_ = false;
  bool we_stopped_ = false;  // stopped by our own handler (Expat then says "aborted")
  bool finished_ = false;
  bool cut_ = false;  // FinishAtRefusedByte: truncation errors are expected
  uint32_t depth_ = 0;
  uint64_t elements_ = 0;
  bool reported_text_ = false;
  bool text_run_ = false;     // character data seen since the last markup
  Location text_where_;       // where the run started
  std::string text_sample_;   // its first non-whitespace bytes
  bool reported_comment_ = false;
  bool reported_pi_ = false;
  bool reported_cdata_ = false;
  bool reported_namespace_ = false;
  bool reported_root_ = false;
  std::vector<XmlAttribute> attributes_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_XML_EXPAT_DRIVER_H_
