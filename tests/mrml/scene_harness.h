// SPDX-License-Identifier: BSD-3-Clause
// File: scene_harness.h
//
// Runs a scene document through SceneChecker for the tests: a minimal Expat
// driver (positions as Expat reports them) so the MRML rules are tested on
// their own, independent of the XML layer's hardening.

#ifndef MRMLGUARD_TESTS_MRML_SCENE_HARNESS_H_
#define MRMLGUARD_TESTS_MRML_SCENE_HARNESS_H_

#include <expat.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"
#include "mrml/scene_checker.h"
#include "xml/xml_parser.h"

namespace mrmlguard::internal::testing {

struct SceneRun {
  std::vector<Finding> findings;
  SceneSummary summary;
  bool well_formed = false;

  bool Has(std::string_view rule_id) const {
    for (const Finding& f : findings) {
      if (f.rule_id == rule_id) return true;
    }
    return false;
  }
  size_t Count(std::string_view rule_id) const {
    size_t n = 0;
    for (const Finding& f : findings) n += f.rule_id == rule_id;
    return n;
  }
  size_t Errors() const {
    size_t n = 0;
    for (const Finding& f : findings) n += f.severity == Severity::kError;
    return n;
  }
  std::string Describe() const {
    std::string out;
    for (const Finding& f : findings) {
      out += std::string(f.rule_id) + " [" + std::string(SeverityName(f.severity)) + "] " +
             std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + " id=" + f.location.node_id +
             " attr=" + f.location.attribute + ": " + f.message + "\n";
    }
    return out;
  }
};

class ExpatDriver {
 public:
  ExpatDriver(XmlHandler& handler) : handler_(handler), parser_(XML_ParserCreate(nullptr)) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &ExpatDriver::Start, &ExpatDriver::End);
  }
  ~ExpatDriver() { XML_ParserFree(parser_); }
  ExpatDriver(const ExpatDriver&) = delete;
  ExpatDriver& operator=(const ExpatDriver&) = delete;

  // Feeds the document in chunks, as the XML layer streams a file.
  bool Parse(std::string_view doc, size_t chunk = 64 * 1024) {
    bool ok = true;
    size_t pos = 0;
    do {
      size_t n = std::min(chunk, doc.size() - pos);
      bool last = pos + n == doc.size();
      ok = XML_Parse(parser_, doc.data() + pos, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) == XML_STATUS_OK;
      pos += n;
    } while (ok && pos < doc.size());
    handler_.EndDocument(ok);
    return ok;
  }

 private:
  XmlPosition Position() const {
    XmlPosition p;
    p.line = static_cast<uint32_t>(XML_GetCurrentLineNumber(parser_));
    p.column = static_cast<uint32_t>(XML_GetCurrentColumnNumber(parser_)) + 1;
    p.offset = static_cast<uint64_t>(XML_GetCurrentByteIndex(parser_));
    p.depth = depth_;
    return p;
  }
  static void Start(void* user, const XML_Char* name, const XML_Char** atts) {
    auto* self = static_cast<ExpatDriver*>(user);
    ++self->depth_;
    std::vector<XmlAttribute> attributes;
    for (size_t i = 0; atts[i] != nullptr; i += 2) attributes.push_back({atts[i], atts[i + 1]});
    self->handler_.StartElement(name, attributes, self->Position());
  }
  static void End(void* user, const XML_Char* name) {
    auto* self = static_cast<ExpatDriver*>(user);
    self->handler_.EndElement(name, self->Position());
    --self->depth_;
  }

  XmlHandler& handler_;
  XML_Parser parser_;
  uint32_t depth_ = 0;
};

inline SceneRun RunScene(std::string_view doc, const SceneOptions& options = {},
                         const Policy& policy = Policy::Default()) {
  FindingSink sink(policy);
  std::unique_ptr<SceneChecker> checker = SceneChecker::Create(sink, options);
  SceneRun run;
  {
    ExpatDriver driver(*checker);
    run.well_formed = driver.Parse(doc);
  }
  run.summary = checker->summary();
  run.findings = sink.TakeFindings();
  return run;
}

// The same through the XML layer's ParseXml (hardened Expat + libxml2 cross
// check), fed `chunk_size` bytes at a time. Its xml.* findings are kept too.
inline SceneRun RunSceneThroughParser(std::string_view doc, const SceneOptions& options = {}, size_t chunk_size = 0,
                                      const Policy& policy = Policy::Default()) {
  FindingSink sink(policy);
  std::unique_ptr<SceneChecker> checker = SceneChecker::Create(sink, options);
  MemorySource source(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(doc.data()), doc.size()));
  XmlOptions xml_options;
  xml_options.chunk_size = chunk_size;
  SceneRun run;
  run.well_formed = ParseXml(source, *checker, sink, xml_options);
  run.summary = checker->summary();
  run.findings = sink.TakeFindings();
  return run;
}

}  // namespace mrmlguard::internal::testing

#endif  // MRMLGUARD_TESTS_MRML_SCENE_HARNESS_H_
