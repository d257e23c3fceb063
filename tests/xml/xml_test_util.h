// SPDX-License-Identifier: BSD-3-Clause
// Helpers for the XML layer's tests: run ParseXml over bytes and keep what
// the handler saw and what the sink recorded.

#ifndef MRMLGUARD_TESTS_XML_XML_TEST_UTIL_H_
#define MRMLGUARD_TESTS_XML_XML_TEST_UTIL_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "mrmlguard/policy.h"
#include "xml/xml_parser.h"

namespace mrmlguard::internal::testing {

// Writes every event as one line: "S Name a=v b=w @line:col+offset/depth",
// "E Name @line:col/depth", "END well_formed".
class RecordingHandler final : public XmlHandler {
 public:
  void StartElement(std::string_view name, std::span<const XmlAttribute> attributes,
                    const XmlPosition& position) override {
    std::string line = "S " + std::string(name);
    for (const XmlAttribute& a : attributes) line += " " + std::string(a.name) + "=" + std::string(a.value);
    line += " @" + std::to_string(position.line) + ":" + std::to_string(position.column) + "+" +
            std::to_string(position.offset) + "/" + std::to_string(position.depth);
    events.push_back(std::move(line));
  }
  void EndElement(std::string_view name, const XmlPosition& position) override {
    events.push_back("E " + std::string(name) + " @" + std::to_string(position.line) + ":" +
                     std::to_string(position.column) + "/" + std::to_string(position.depth));
  }
  void EndDocument(bool well_formed) override {
    events.push_back(well_formed ? "END well-formed" : "END stopped");
    ++end_calls;
  }
  std::vector<std::string> events;
  int end_calls = 0;
};

struct ParseResult {
  bool ok = false;
  std::vector<std::string> rules;     // rule ids in order
  std::vector<std::string> findings;  // "rule line:col message"
  std::vector<std::string> events;
  int end_calls = 0;
};

inline ParseResult Parse(std::string_view doc, size_t chunk_size, bool cross_check,
                         const Policy& policy = Policy::Default()) {
  MemorySource source(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(doc.data()), doc.size()));
  FindingSink sink(policy);
  RecordingHandler handler;
  XmlOptions options;
  options.chunk_size = chunk_size;
  options.cross_check = cross_check;
  ParseResult result;
  result.ok = ParseXml(source, handler, sink, options);
  for (const Finding& f : sink.findings()) {
    result.rules.emplace_back(f.rule_id);
    result.findings.push_back(std::string(f.rule_id) + " " + std::to_string(f.location.line) + ":" +
                              std::to_string(f.location.column) + " " + f.message);
  }
  result.events = std::move(handler.events);
  result.end_calls = handler.end_calls;
  return result;
}

}  // namespace mrmlguard::internal::testing

#endif  // MRMLGUARD_TESTS_XML_XML_TEST_UTIL_H_
