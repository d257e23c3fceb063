// SPDX-License-Identifier: BSD-3-Clause
#include "xml/expat_driver.h"

// The billion-laughs setters are declared only under XML_DTD, which Debian's
// libexpat is built with (expat_config.h) but pkg-config does not pass on. If
// a libexpat without DTD support were linked, the link would fail loudly.
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>

#include <climits>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "findings/quote.h"

namespace mrmlguard::internal {
namespace {

// Expat's hash tables are salted; a fixed salt keeps runs reproducible. The
// salt only changes performance, never a verdict. Flooding a table with
// colliding names would need collisions in both Expat's first probe and its
// probe step (double hashing) for every name, and max_attributes_per_element
// and max_nodes bound how many names a document can hold.
constexpr unsigned long kHashSalt = 0x6d726d6cul;  // "mrml"

// Entities are refused with the DOCTYPE; these only matter if that check were
// ever bypassed (X4). Nothing legitimate in a scene expands at all.
constexpr float kMaxAmplification = 2.0f;
constexpr unsigned long long kAmplificationThreshold = 1ull << 20;

XML_Parser P(void* parser) { return static_cast<XML_Parser>(parser); }

uint32_t Clamp32(unsigned long long value) {
  return value > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(value);
}

// Enough of a text run to show in a message.
constexpr size_t kTextSampleBytes = 48;

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool HasNamespaceSyntax(std::string_view name) {
  return name == "xmlns" || name.find(':') != std::string_view::npos;
}

std::string At(const Location& where) {
  return "at line " + std::to_string(where.line) + " column " + std::to_string(where.column);
}

}  // namespace

// The C callbacks: each forwards to the driver inside a try block, so no
// exception ever unwinds through Expat's C frames.
struct ExpatCallbacks {
  static ExpatDriver* D(void* user) { return static_cast<ExpatDriver*>(user); }

  template <typename F>
  static void Guard(void* user, F&& body) {
    ExpatDriver* driver = D(user);
    if (driver->stopped_) return;  // Expat may still call after XML_StopParser
    try {
      body(driver);
    } catch (...) {
      // std::bad_alloc is the only exception our code can raise; a handler
      // that breaks its no-throw contract is treated the same way.
      driver->OutOfMemory();
    }
  }

  static void XMLCALL XmlDecl(void* user, const XML_Char* version, const XML_Char* encoding, int standalone) {
    Guard(user, [&](ExpatDriver* d) { d->OnXmlDecl(version, encoding, standalone); });
  }
  static void XMLCALL StartElement(void* user, const XML_Char* name, const XML_Char** atts) {
    Guard(user, [&](ExpatDriver* d) { d->OnStartElement(name, atts); });
  }
  static void XMLCALL EndElement(void* user, const XML_Char* name) {
    Guard(user, [&](ExpatDriver* d) { d->OnEndElement(name); });
  }
  static void XMLCALL CharacterData(void* user, const XML_Char* text, int length) {
    Guard(user, [&](ExpatDriver* d) { d->OnCharacterData(text, length); });
  }
  static void XMLCALL Comment(void* user, const XML_Char* text) {
    Guard(user, [&](ExpatDriver* d) { d->OnComment(text); });
  }
  static void XMLCALL ProcessingInstruction(void* user, const XML_Char* target, const XML_Char* /*data*/) {
    Guard(user, [&](ExpatDriver* d) { d->OnProcessingInstruction(target); });
  }
  static void XMLCALL StartCdata(void* user) {
    Guard(user, [&](ExpatDriver* d) { d->OnCdata(); });
  }
  // X3: called at "<!DOCTYPE", before any internal or external subset is read.
  static void XMLCALL StartDoctype(void* user, const XML_Char* name, const XML_Char*, const XML_Char*, int) {
    Guard(user, [&](ExpatDriver* d) { d->OnDeclaration("DOCTYPE declaration", name); });
  }
  // X4: the declarations a DOCTYPE may hold; unreachable while StartDoctype stops.
  static void XMLCALL EntityDecl(void* user, const XML_Char* name, int, const XML_Char*, int, const XML_Char*,
                                 const XML_Char*, const XML_Char*, const XML_Char*) {
    Guard(user, [&](ExpatDriver* d) { d->OnDeclaration("entity declaration", name); });
  }
  static void XMLCALL UnparsedEntityDecl(void* user, const XML_Char* name, const XML_Char*, const XML_Char*,
                                         const XML_Char*, const XML_Char*) {
    Guard(user, [&](ExpatDriver* d) { d->OnDeclaration("unparsed entity declaration", name); });
  }
  static void XMLCALL NotationDecl(void* user, const XML_Char* name, const XML_Char*, const XML_Char*,
                                   const XML_Char*) {
    Guard(user, [&](ExpatDriver* d) { d->OnDeclaration("notation declaration", name); });
  }
  static void XMLCALL ElementDecl(void* user, const XML_Char* name, XML_Content* model) {
    // Expat hands the content model over to the handler, which must free it.
    XML_FreeContentModel(P(D(user)->parser_), model);
    Guard(user, [&](ExpatDriver* d) { d->OnDeclaration("element declaration", name); });
  }
  static void XMLCALL AttlistDecl(void* user, const XML_Char* element, const XML_Char*, const XML_Char*,
                                  const XML_Char*, int) {
    Guard(user, [&](ExpatDriver* d) { d->OnDeclaration("attribute-list declaration", element); });
  }
  static void XMLCALL SkippedEntity(void* user, const XML_Char* name, int) {
    Guard(user, [&](ExpatDriver* d) { d->OnDeclaration("reference to an entity that was not expanded", name); });
  }
  // Never load anything: an external entity reference is an error.
  static int XMLCALL ExternalEntityRef(XML_Parser parser, const XML_Char*, const XML_Char*, const XML_Char* system_id,
                                       const XML_Char*) {
    Guard(XML_GetUserData(parser),
          [&](ExpatDriver* d) { d->OnDeclaration("external entity reference", system_id); });
    return XML_STATUS_ERROR;
  }
  static int XMLCALL NotStandalone(void*) { return XML_STATUS_ERROR; }
};

ExpatDriver::ExpatDriver(XmlHandler* handler, FindingSink* sink, const Limits& limits, const DeclInfo& decl,
                         EventStream* stream)
    : parser_(nullptr), handler_(handler), sink_(sink), limits_(limits), decl_(decl), stream_(stream) {
  // NULL encoding, like vtkXMLParser: Expat honours the BOM and declaration
  // (PrescanDeclaration has already refused every encoding but UTF-8 and
  // pure-ASCII single-byte ones). No namespace processing, like Slicer.
  XML_Parser p = XML_ParserCreate(nullptr);
  parser_ = p;
  if (p == nullptr) {
    stopped_ = true;
    return;
  }
  XML_SetUserData(p, this);
  XML_SetHashSalt(p, kHashSalt);
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
  XML_SetBillionLaughsAttackProtectionMaximumAmplification(p, kMaxAmplification);
  XML_SetBillionLaughsAttackProtectionActivationThreshold(p, kAmplificationThreshold);
  XML_SetXmlDeclHandler(p, ExpatCallbacks::XmlDecl);
  XML_SetElementHandler(p, ExpatCallbacks::StartElement, ExpatCallbacks::EndElement);
  XML_SetCharacterDataHandler(p, ExpatCallbacks::CharacterData);
  XML_SetCommentHandler(p, ExpatCallbacks::Comment);
  XML_SetProcessingInstructionHandler(p, ExpatCallbacks::ProcessingInstruction);
  XML_SetStartCdataSectionHandler(p, ExpatCallbacks::StartCdata);
  XML_SetStartDoctypeDeclHandler(p, ExpatCallbacks::StartDoctype);
  XML_SetEntityDeclHandler(p, ExpatCallbacks::EntityDecl);
  XML_SetUnparsedEntityDeclHandler(p, ExpatCallbacks::UnparsedEntityDecl);
  XML_SetNotationDeclHandler(p, ExpatCallbacks::NotationDecl);
  XML_SetElementDeclHandler(p, ExpatCallbacks::ElementDecl);
  XML_SetAttlistDeclHandler(p, ExpatCallbacks::AttlistDecl);
  XML_SetSkippedEntityHandler(p, ExpatCallbacks::SkippedEntity);
  XML_SetExternalEntityRefHandler(p, ExpatCallbacks::ExternalEntityRef);
  XML_SetNotStandaloneHandler(p, ExpatCallbacks::NotStandalone);
}

ExpatDriver::~ExpatDriver() {
  if (parser_ != nullptr) XML_ParserFree(P(parser_));
}

uint32_t ExpatDriver::Line() const { return Clamp32(XML_GetCurrentLineNumber(P(parser_))); }

Location ExpatDriver::Here() const {
  XML_Parser p = P(parser_);
  Location where;
  XML_Index index = XML_GetCurrentByteIndex(p);
  if (index >= 0) where.offset = static_cast<uint64_t>(index);
  where.line = Clamp32(XML_GetCurrentLineNumber(p));
  where.column = Clamp32(static_cast<unsigned long long>(XML_GetCurrentColumnNumber(p)) + 1);
  return where;
}

void ExpatDriver::Stop() {
  if (stopped_) return;
  stopped_ = true;
  we_stopped_ = true;
  XML_StopParser(P(parser_), XML_FALSE);
}

void ExpatDriver::OutOfMemory() {
  if (sink_ != nullptr) {
    try {
      sink_->Add(Rule::kXmlLimitExceeded, Here(), "out of memory while parsing the document");
    } catch (...) {
      // Nothing more can be said; stopping is what matters.
    }
  }
  Stop();
}

bool ExpatDriver::Report(Rule rule, const Location& where, std::string message, bool always_stop) {
  bool stop = always_stop;
  if (sink_ != nullptr) {
    stop = stop || sink_->SeverityOf(rule) == Severity::kError;
    sink_->Add(rule, where, std::move(message));
  }
  if (stop) Stop();
  return stop;
}

bool ExpatDriver::Limit(std::string_view name, uint64_t value, const Location& where, std::string detail) {
  // A limit always stops, whatever severity the policy gives the rule: it
  // bounds our own resources.
  if (sink_ != nullptr) sink_->LimitReached(Rule::kXmlLimitExceeded, name, value, where, detail);
  Stop();
  return true;
}

void ExpatDriver::OnXmlDecl(const char* version, const char* encoding, int standalone) {
  if (version == nullptr) return;  // a text declaration of an external entity; none are loaded
  Location where = Here();
  if (std::strcmp(version, "1.0") != 0) {
    // XML 1.1 changes which characters are allowed and how lines end; only
    // 1.0 is read alike everywhere (X2).
    if (Report(Rule::kXmlVersion, where, "XML version " + Quote(version, 20) + " " + At(where) + "; only 1.0 is accepted")) {
      return;
    }
  }
  if (standalone != -1) {
    // Slicer never writes one; without a DTD it means nothing, so it is only
    // a sign of a hand-made file. Refused to keep the accepted language small.
    if (Report(Rule::kXmlVersion, where,
               std::string("standalone declaration (standalone=\"") + (standalone == 1 ? "yes" : "no") + "\") " +
                   At(where) + "; Slicer never writes one")) {
      return;
    }
  }
  // The prescan already decided; this is the same judgement on Expat's own
  // reading of the declaration, in case the two ever disagree.
  bool ok = encoding == nullptr ? decl_.kind != DeclInfo::Kind::kAsciiOnly
                                : IsUtf8EncodingName(encoding) ||
                                      (IsSingleByteEncodingName(encoding) && decl_.kind == DeclInfo::Kind::kAsciiOnly);
  if (!ok) {
    Report(Rule::kXmlEncoding, where,
           "declared encoding " + Quote(encoding == nullptr ? "" : encoding, 40) + " " + At(where) +
               "; only UTF-8 is accepted",
           /*always_stop=*/true);
  }
}

void ExpatDriver::OnStartElement(const char* name_c, const char** atts) {
  if (FlushText()) return;
  std::string_view name(name_c);
  Location where = Here();
  uint32_t depth = depth_ + 1;
  // X9: limits, checked before the element reaches the scene layer.
  if (depth > limits_.max_xml_depth) {
    Limit("max_xml_depth", limits_.max_xml_depth, where, "at element <" + Quote(name, 60) + "> " + At(where));
    return;
  }
  if (elements_ + 1 > limits_.max_nodes) {
    Limit("max_nodes", limits_.max_nodes, where, "at element <" + Quote(name, 60) + "> " + At(where));
    return;
  }
  size_t count = 0;
  while (atts[2 * count] != nullptr) ++count;
  if (count > limits_.max_attributes_per_element) {
    Limit("max_attributes_per_element", limits_.max_attributes_per_element, where,
          "element <" + Quote(name, 60) + "> " + At(where) + " has " + std::to_string(count) + " attributes");
    return;
  }
  attributes_.clear();
  bool has_namespace = HasNamespaceSyntax(name);
  std::string_view namespaced;
  for (size_t i = 0; i < count; ++i) {
    std::string_view attribute_name(atts[2 * i]);
    std::string_view value(atts[2 * i + 1]);
    if (value.size() > limits_.max_attribute_value_bytes) {
      Location at = where;
      at.attribute = std::string(attribute_name.substr(0, 200));
      Limit("max_attribute_value_bytes", limits_.max_attribute_value_bytes, at,
            "attribute " + Quote(attribute_name, 60) + " of <" + Quote(name, 60) + "> " + At(where) + " holds " +
                std::to_string(value.size()) + " bytes");
      return;
    }
    if (!has_namespace && (attribute_name.starts_with("xmlns") || HasNamespaceSyntax(attribute_name))) {
      // "xmlnsfoo" is an ordinary name, but XML reserves every name starting
      // with "xml"; refusing the whole family costs nothing for MRML.
      has_namespace = true;
      namespaced = attribute_name;
    }
    attributes_.push_back(XmlAttribute{.name = attribute_name, .value = value});
  }
  ++elements_;
  depth_ = depth;
  // X8: Slicer's Expat has no namespace processing, libxml2 always has; a
  // document using namespaces is read differently by the two.
  if (has_namespace && !reported_namespace_) {
    reported_namespace_ = true;
    std::string what = namespaced.empty() ? "prefixed element name <" + Quote(name, 60) + ">"
                                          : "namespace attribute " + Quote(namespaced, 60) + " on <" + Quote(name, 60) + ">";
    if (Report(Rule::kXmlNamespace, where, what + " " + At(where) + "; MRML uses no namespaces")) return;
  }
  // X10: the document element is MRML, and MRML appears nowhere else (Slicer
  // treats an MRML element at any depth as scene metadata).
  if (!reported_root_ && (depth == 1) != (name == "MRML")) {
    reported_root_ = true;
    std::string message = depth == 1 ? "root element is <" + Quote(name, 60) + ">, not <MRML>, " + At(where)
                                     : "<MRML> nested at depth " + std::to_string(depth) + " " + At(where) +
                                           "; Slicer reads it as scene metadata at any depth";
    if (Report(Rule::kXmlRoot, where, message)) return;
  }
  if (stream_ != nullptr) stream_->StartTagWithAttributes(name, attributes_, where.line);
  if (handler_ != nullptr) {
    XmlPosition position{.line = where.line, .column = where.column, .offset = where.offset.value_or(0), .depth = depth};
    handler_->StartElement(name, attributes_, position);
  }
}

void ExpatDriver::OnEndElement(const char* name_c) {
  if (FlushText()) return;
  std::string_view name(name_c);
  Location where = Here();
  if (stream_ != nullptr) stream_->EndTag(name, where.line);
  if (handler_ != nullptr) {
    XmlPosition position{.line = where.line, .column = where.column, .offset = where.offset.value_or(0), .depth = depth_};
    handler_->EndElement(name, position);
  }
  if (depth_ > 0) --depth_;
}

void ExpatDriver::OnCharacterData(const char* text, int length) {
  if (reported_text_) return;
  // Expat splits a run of text wherever a chunk ends; the run is judged as a
  // whole when the next markup arrives (FlushText), so the finding is the
  // same for every chunking.
  std::string_view piece(text, static_cast<size_t>(length));
  if (!text_run_) {
    text_run_ = true;
    text_where_ = Here();
  }
  size_t i = 0;
  if (text_sample_.empty()) {
    while (i < piece.size() && IsXmlSpace(piece[i])) ++i;
  }
  if (i < piece.size() && text_sample_.size() < kTextSampleBytes) {
    text_sample_ += piece.substr(i, kTextSampleBytes - text_sample_.size());
  }
}

bool ExpatDriver::FlushText() {
  if (!text_run_) return false;
  text_run_ = false;
  if (text_sample_.empty() || reported_text_) return false;
  // X10: Slicer ignores text, so whatever it says is invisible to the user
  // and may mean something to another tool. Reported once per document.
  reported_text_ = true;
  std::string sample = std::move(text_sample_);
  text_sample_.clear();
  return Report(Rule::kXmlText, text_where_,
                "text content " + Quote(sample, 40) + " in the text starting " + At(text_where_) +
                    "; MRML elements hold attributes only");
}

void ExpatDriver::OnComment(const char* text) {
  if (FlushText()) return;
  Location where = Here();
  if (stream_ != nullptr) stream_->Comment(text, where.line);
  if (reported_comment_) return;
  reported_comment_ = true;  // X11: the first one is enough to judge the file
  Report(Rule::kXmlComment, where,
         "comment " + Quote(text, 40) + " " + At(where) + "; Slicer never writes comments (reported once per document)");
}

void ExpatDriver::OnProcessingInstruction(const char* target) {
  if (FlushText()) return;
  Location where = Here();
  if (stream_ != nullptr) stream_->ProcessingInstruction(target, where.line);
  if (reported_pi_) return;
  reported_pi_ = true;  // X7
  Report(Rule::kXmlProcessingInstruction, where,
         "processing instruction <?" + Quote(target, 40) + "?> " + At(where) + " (reported once per document)");
}

void ExpatDriver::OnCdata() {
  if (FlushText()) return;
  if (reported_cdata_) return;
  reported_cdata_ = true;  // X11
  Location where = Here();
  Report(Rule::kXmlCdata, where, "CDATA section " + At(where) + " (reported once per document)");
}

void ExpatDriver::OnDeclaration(std::string_view what, const char* name) {
  // X3/X4: a DOCTYPE brings entities (billion laughs, quadratic blowup,
  // external entities), and Slicer's Expat expands internal ones. Always
  // stops, whatever the policy says: nothing after it can be trusted.
  Location where = Here();
  Report(Rule::kXmlDoctype, where,
         std::string(what) + " " + Quote(name == nullptr ? "" : name, 60) + " " + At(where) +
             "; DTDs and entities are refused",
         /*always_stop=*/true);
}

bool ExpatDriver::FinishAtRefusedByte() {
  if (stopped_ || finished_) return false;
  size_t errors_before = sink_ != nullptr ? sink_->error_count() : 0;
  cut_ = true;
  Feed({}, /*final=*/true);
  if (!stopped_) stopped_ = true;  // parsed to the cut: still not a whole document
  // Only an error explains the stop. Warnings the final parse delivers (a
  // comment or CDATA section Expat reports only once it sees what follows)
  // must not hide the scanner's finding: with small chunks they arrive here,
  // with large ones earlier, and the verdict may not depend on chunking.
  return sink_ != nullptr && sink_->error_count() != errors_before;
}

bool ExpatDriver::Feed(std::span<const uint8_t> bytes, bool final) {
  if (stopped_ || finished_) return false;
  XML_Parser p = P(parser_);
  enum XML_Status status = XML_Parse(p, reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size()),
                                     final ? XML_TRUE : XML_FALSE);
  if (status == XML_STATUS_OK) {
    if (final) finished_ = true;
    return !stopped_;
  }
  if (we_stopped_) return false;  // our finding says why
  stopped_ = true;
  enum XML_Error code = XML_GetErrorCode(p);
  if (cut_ && (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN || code == XML_ERROR_PARTIAL_CHAR ||
               code == XML_ERROR_UNCLOSED_CDATA_SECTION)) {
    return false;  // the document goes on past the cut; the scanner's finding says why it stopped
  }
  Location where;
  XML_Index index = XML_GetCurrentByteIndex(p);
  if (index >= 0) where.offset = static_cast<uint64_t>(index);
  where.line = Clamp32(XML_GetErrorLineNumber(p));
  where.column = Clamp32(static_cast<unsigned long long>(XML_GetErrorColumnNumber(p)) + 1);
  const char* text = XML_ErrorString(code);
  std::string message = std::string("Expat: ") + (text != nullptr ? text : "error") + " " + At(where);
  Rule rule = Rule::kXmlMalformed;
  switch (code) {
    case XML_ERROR_UNKNOWN_ENCODING:
    case XML_ERROR_INCORRECT_ENCODING:
      rule = Rule::kXmlEncoding;
      break;
    case XML_ERROR_NO_MEMORY:
      rule = Rule::kXmlLimitExceeded;
      break;
    case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
    case XML_ERROR_EXTERNAL_ENTITY_HANDLING:
    case XML_ERROR_NOT_STANDALONE:
      rule = Rule::kXmlDoctype;
      break;
    default:
      break;
  }
  if (sink_ != nullptr) sink_->Add(rule, where, std::move(message));
  return false;
}

}  // namespace mrmlguard::internal
