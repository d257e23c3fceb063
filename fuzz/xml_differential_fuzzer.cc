// SPDX-License-Identifier: BSD-3-Clause
// Differential oracle for the XML layer. When ParseXml + SceneChecker accept
// the input as a scene, three element streams must be identical: the one our
// layer handed to the scene checker, plain Expat's (as VTK's vtkXMLParser
// uses it: no namespaces, default options) and plain libxml2 SAX1's (no
// network, entities refused). Both plain parsers must also find the document
// well-formed. A difference means a scene one parser would read differently
// from another passed our checks.

#include <expat.h>
#include <libxml/parser.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "findings/finding_sink.h"
#include "fuzz_common.h"
#include "mrml/scene_checker.h"
#include "xml/xml_parser.h"

namespace {

// One line per event: "<name a=\"v\" b=\"w\"" or ">name"; bytes kept as they are.
void Start(std::string* out, std::string_view name) {
  out->append("<").append(name);
}
void Attribute(std::string* out, std::string_view name, std::string_view value) {
  out->append(" ").append(name).append("=\"").append(value).append("\"");
}
void End(std::string* out, std::string_view name) { out->append("\n>").append(name).append("\n"); }

// Records what our layer hands the scene layer, then passes it on.
class Recorder final : public mrmlguard::internal::XmlHandler {
 public:
  explicit Recorder(mrmlguard::internal::XmlHandler* next) : next_(next) {}
  void StartElement(std::string_view name, std::span<const mrmlguard::internal::XmlAttribute> attributes,
                    const mrmlguard::internal::XmlPosition& position) override {
    Start(&stream_, name);
    for (const auto& a : attributes) Attribute(&stream_, a.name, a.value);
    stream_.append("\n");
    next_->StartElement(name, attributes, position);
  }
  void EndElement(std::string_view name, const mrmlguard::internal::XmlPosition& position) override {
    End(&stream_, name);
    next_->EndElement(name, position);
  }
  void EndDocument(bool well_formed) override { next_->EndDocument(well_formed); }
  std::string stream_;

 private:
  mrmlguard::internal::XmlHandler* next_;
};

std::string ExpatStream(std::span<const uint8_t> bytes, bool* ok) {
  std::string out;
  XML_Parser p = XML_ParserCreate(nullptr);
  XML_SetUserData(p, &out);
  XML_SetElementHandler(
      p,
      [](void* user, const XML_Char* name, const XML_Char** atts) {
        auto* s = static_cast<std::string*>(user);
        Start(s, name);
        for (size_t i = 0; atts[i] != nullptr; i += 2) Attribute(s, atts[i], atts[i + 1]);
        s->append("\n");
      },
      [](void* user, const XML_Char* name) { End(static_cast<std::string*>(user), name); });
  *ok = XML_Parse(p, reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size()), 1) ==
        XML_STATUS_OK;
  XML_ParserFree(p);
  return out;
}

xmlParserInputPtr RefuseEntity(const char*, const char*, xmlParserCtxtPtr) { return nullptr; }

std::string Libxml2Stream(std::span<const uint8_t> bytes, bool* ok) {
  std::string out;
  xmlSAXHandler sax{};
  sax.initialized = 1;  // SAX1: qualified names and attributes as written
  sax.startElement = [](void* user, const xmlChar* name, const xmlChar** atts) {
    auto* s = static_cast<std::string*>(user);
    Start(s, reinterpret_cast<const char*>(name));
    for (size_t i = 0; atts != nullptr && atts[i] != nullptr; i += 2) {
      Attribute(s, reinterpret_cast<const char*>(atts[i]),
                atts[i + 1] ? reinterpret_cast<const char*>(atts[i + 1]) : "");
    }
    s->append("\n");
  };
  sax.endElement = [](void* user, const xmlChar* name) {
    End(static_cast<std::string*>(user), reinterpret_cast<const char*>(name));
  };
  xmlSetExternalEntityLoader(RefuseEntity);
  xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, &out, nullptr, 0, nullptr);
  // NOENT: predefined entities and character references come out decoded, as
  // Expat gives them (there is no DTD in an accepted scene to substitute from).
  xmlCtxtUseOptions(ctxt, XML_PARSE_NOENT | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                              XML_PARSE_SAX1 | XML_PARSE_HUGE);
  int rc = xmlParseChunk(ctxt, reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size()), 1);
  *ok = rc == 0 && ctxt->wellFormed;
  xmlFreeParserCtxt(ctxt);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mrmlguard;
  if (size > 1 << 20) return 0;
  uint32_t bits = fuzz::ConfigBits(data, size);
  Policy policy = fuzz::PolicyFromBits(static_cast<uint8_t>(bits & ~6u));  // limits as shipped
  std::span<const uint8_t> bytes(data, size);
  internal::MemorySource source(bytes);
  internal::FindingSink sink(policy);
  std::unique_ptr<internal::SceneChecker> checker = internal::SceneChecker::Create(sink, {});
  Recorder recorder(checker.get());
  bool parsed = internal::ParseXml(source, recorder, sink, {.chunk_size = (bits & 0x100) ? 64u : 0u});
  if (!parsed || sink.has_errors()) return 0;
  bool expat_ok = false;
  bool libxml2_ok = false;
  std::string expat = ExpatStream(bytes, &expat_ok);
  std::string libxml2 = Libxml2Stream(bytes, &libxml2_ok);
  MRMLGUARD_FUZZ_CHECK(expat_ok, "accepted scene is not well-formed for Expat");
  MRMLGUARD_FUZZ_CHECK(libxml2_ok, "accepted scene is not well-formed for libxml2");
  MRMLGUARD_FUZZ_CHECK(recorder.stream_ == expat, "our element stream differs from Expat's");
  MRMLGUARD_FUZZ_CHECK(expat == libxml2, "Expat and libxml2 read the accepted scene differently");
  return 0;
}
