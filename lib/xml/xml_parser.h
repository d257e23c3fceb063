// SPDX-License-Identifier: BSD-3-Clause
// File: xml_parser.h
//
// The XML layer's interface: parse a scene document exactly as Slicer's
// parser (Expat through VTK) would, refuse what two parsers could read
// differently, and hand the element stream to a handler (the MRML layer).
//
// Expat is the primary parser: the handler sees its events, with positions.
// libxml2 (SAX2, no network, no entity substitution, an entity loader that
// refuses everything) parses the same bytes; any difference in the element and
// attribute stream, or in well-formedness, is xml.parser-differential.
// DOCTYPE, encodings other than UTF-8, control characters, namespaces, and the
// limits max_scene_bytes and max_nodes are enforced in our own handlers so
// both parsers behave alike; max_xml_depth, max_xml_name_bytes,
// max_attributes_per_element and max_attribute_value_bytes are enforced by the
// byte scanner before either parser sees the element (byte_scanner.h).

#ifndef MRMLGUARD_LIB_XML_XML_PARSER_H_
#define MRMLGUARD_LIB_XML_XML_PARSER_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"

namespace mrmlguard::internal {

struct XmlAttribute {
  std::string_view name;
  std::string_view value;  // after XML attribute-value normalisation, UTF-8
};

struct XmlPosition {
  uint32_t line = 0;      // 1-based
  uint32_t column = 0;    // 1-based
  uint64_t offset = 0;    // byte offset of the start tag in the document
  uint32_t depth = 0;     // root element = 1
};

// Receives the document's elements in order. Views are valid only during the
// call. Handlers must not throw; they report through the sink.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void StartElement(std::string_view name, std::span<const XmlAttribute> attributes,
                            const XmlPosition& position) = 0;
  virtual void EndElement(std::string_view name, const XmlPosition& position) = 0;
  // Called once after the last event; `well_formed` is false when parsing
  // stopped early (findings say why), in which case the tree is incomplete.
  virtual void EndDocument(bool well_formed) = 0;
};

struct XmlOptions {
  // Bytes fed to the parsers per call; 0 means the default, 1 MiB (memory
  // stays at a few chunks whatever the document size). Values above 1 GiB
  // are cut to 1 GiB (Expat takes an int length). Tests vary it to prove the
  // verdict does not depend on chunking.
  size_t chunk_size = 0;
  // Run the libxml2 cross-check (always on in production; fuzzers may turn it
  // off to reach deeper code faster).
  bool cross_check = true;
};

// Parses the document in `source`. Returns true when the document is
// well-formed and both parsers agree (findings may still hold warnings).
//
// What the handler sees:
//   - StartElement only for elements that passed every XML check (limits,
//     namespaces, root); EndElement for each of them, in document order;
//     attribute values are views into Expat's buffers, valid during the call.
//   - EndDocument exactly once, last, after all XML findings are in the sink;
//     well_formed is false when parsing stopped early (an error-severity XML
//     finding, a limit, Expat's error, an I/O error).
//   - When the byte scanner refuses a byte (control character, invalid UTF-8,
//     non-ASCII under an ISO-8859-1 declaration), every complete element
//     before it has been delivered, then EndDocument(false).
//   - Neither the events nor the findings depend on chunk size or on the
//     cross-check's thread timing.
//   - An XML rule set to warning or off by the policy does not stop parsing;
//     limits and DOCTYPE always stop.
// Memory: a few chunks (options.chunk_size, default 1 MiB) plus what the two
// parsers hold for the current token; the document is never held whole
// unless `source` is already in memory.
// Threads: with the cross-check on and a document larger than one chunk,
// libxml2 runs on a second thread for the duration of the call.
// Global state: the first call installs libxml2's external entity loader
// (refusing everything) and turns catalogs off, once per process.
bool ParseXml(InputSource& source, XmlHandler& handler, FindingSink& sink, const XmlOptions& options);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_XML_XML_PARSER_H_
