// SPDX-License-Identifier: BSD-3-Clause
#include "xml/libxml2_driver.h"

#include <libxml/catalog.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <climits>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>

namespace mrmlguard::internal {
namespace {

xmlParserCtxtPtr C(void* ctxt) { return static_cast<xmlParserCtxtPtr>(ctxt); }

std::string_view View(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

uint32_t ToU32(int value) { return value < 0 ? 0u : static_cast<uint32_t>(value); }

// The process-wide loader (see the header): every external entity, DTD and
// XInclude load is refused, file:// included, which XML_PARSE_NONET alone
// does not do.
xmlParserInputPtr RefuseEveryLoad(const char* /*url*/, const char* /*id*/, xmlParserCtxtPtr /*ctxt*/) {
  return nullptr;
}

void InitLibxmlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(RefuseEveryLoad);
    xmlCatalogSetDefaults(XML_CATA_ALLOW_NONE);
  });
}

}  // namespace

// C callbacks. None of them can throw except through std::string growth;
// each catches and turns that into a problem that stops the parse.
struct LibxmlCallbacks {
  static LibxmlDriver* D(void* user) { return static_cast<LibxmlDriver*>(user); }

  template <typename F>
  static void Guard(void* user, F&& body) {
    LibxmlDriver* d = D(user);
    if (d->stopped_) return;
    if (d->stop_ != nullptr && d->stop_->load(std::memory_order_relaxed)) {
      d->StopNow();
      return;
    }
    try {
      body(d);
    } catch (...) {
      d->problems_++;
      d->StopNow();
    }
  }

  static void StartElementNs(void* user, const xmlChar* localname, const xmlChar* prefix, const xmlChar* /*uri*/,
                             int nb_namespaces, const xmlChar** namespaces, int nb_attributes, int /*nb_defaulted*/,
                             const xmlChar** attributes) {
    Guard(user, [&](LibxmlDriver* d) {
      // libxml2 is namespace-aware: put the qualified names back together.
      // Namespace declarations come separately; they are written first,
      // which only matters for documents Expat's side already refuses.
      std::string& name = d->name_;
      name.clear();
      if (prefix != nullptr) {
        name += View(prefix);
        name += ':';
      }
      name += View(localname);
      d->stream_->StartTag(name, d->Line());
      for (int i = 0; i < nb_namespaces; ++i) {
        const xmlChar* ns_prefix = namespaces[2 * i];
        std::string attr = ns_prefix == nullptr ? "xmlns" : "xmlns:" + std::string(View(ns_prefix));
        d->stream_->Attribute(attr, View(namespaces[2 * i + 1]));
      }
      for (int i = 0; i < nb_attributes; ++i) {
        const xmlChar** a = attributes + 5 * i;  // localname, prefix, URI, value, end
        name.clear();
        if (a[1] != nullptr) {
          name += View(a[1]);
          name += ':';
        }
        name += View(a[0]);
        std::string_view value(reinterpret_cast<const char*>(a[3]), static_cast<size_t>(a[4] - a[3]));
        d->stream_->AttributeAmpEscaped(name, value);
      }
      d->stream_->EndStartTag();
    });
  }
  static void EndElementNs(void* user, const xmlChar* localname, const xmlChar* prefix, const xmlChar* /*uri*/) {
    Guard(user, [&](LibxmlDriver* d) {
      std::string& name = d->name_;
      name.clear();
      if (prefix != nullptr) {
        name += View(prefix);
        name += ':';
      }
      name += View(localname);
      d->stream_->EndTag(name, d->Line());
    });
  }
  static void Comment(void* user, const xmlChar* value) {
    Guard(user, [&](LibxmlDriver* d) { d->stream_->Comment(View(value), d->Line()); });
  }
  static void ProcessingInstruction(void* user, const xmlChar* target, const xmlChar* /*data*/) {
    Guard(user, [&](LibxmlDriver* d) { d->stream_->ProcessingInstruction(View(target), d->Line()); });
  }
  // X3 on the libxml2 side: called at "<!DOCTYPE", before the internal subset.
  static void InternalSubset(void* user, const xmlChar*, const xmlChar*, const xmlChar*) {
    Guard(user, [&](LibxmlDriver* d) {
      d->Problem("DOCTYPE declaration refused", static_cast<int>(d->Line()), 0);
      d->StopNow();
    });
  }
  static void Declaration(void* user) {
    Guard(user, [&](LibxmlDriver* d) {
      d->Problem("DTD declaration refused", static_cast<int>(d->Line()), 0);
      d->StopNow();
    });
  }
  static void EntityDecl(void* user, const xmlChar*, int, const xmlChar*, const xmlChar*, xmlChar*) { Declaration(user); }
  static void NotationDecl(void* user, const xmlChar*, const xmlChar*, const xmlChar*) { Declaration(user); }
  static void AttributeDecl(void* user, const xmlChar*, const xmlChar*, int, int, const xmlChar*,
                            xmlEnumerationPtr tree) {
    xmlFreeEnumeration(tree);  // handed to the callback, which owns it
    Declaration(user);
  }
  static void ElementDecl(void* user, const xmlChar*, int, xmlElementContentPtr) { Declaration(user); }
  static void UnparsedEntityDecl(void* user, const xmlChar*, const xmlChar*, const xmlChar*, const xmlChar*) {
    Declaration(user);
  }
  static void ExternalSubset(void* user, const xmlChar*, const xmlChar*, const xmlChar*) { Declaration(user); }
  // Only the five predefined entities exist (libxml2 resolves those itself).
  static xmlEntityPtr GetEntity(void*, const xmlChar*) { return nullptr; }
  static xmlParserInputPtr ResolveEntity(void* user, const xmlChar*, const xmlChar*) {
    Declaration(user);
    return nullptr;
  }
  static void Reference(void* user, const xmlChar*) { Declaration(user); }
  // X6: every error and warning counts.
  static void StructuredError(void* user, xmlErrorPtr error) {
    LibxmlDriver* d = D(user);
    if (d == nullptr || error == nullptr) return;
    try {
      std::string message = error->message != nullptr ? error->message : "error";
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
      d->Problem((error->level == XML_ERR_WARNING ? "warning: " : "") + message, error->line, error->int2);
    } catch (...) {
      d->problems_++;
    }
  }
};

LibxmlDriver::LibxmlDriver(EventStream* stream, const std::atomic<bool>* stop) : stream_(stream), stop_(stop) {
  InitLibxmlOnce();
}

LibxmlDriver::~LibxmlDriver() {
  if (ctxt_ != nullptr) {
    xmlParserCtxtPtr ctxt = C(ctxt_);
    if (ctxt->myDoc != nullptr) xmlFreeDoc(ctxt->myDoc);  // none is built; defensive
    xmlFreeParserCtxt(ctxt);
  }
}

uint32_t LibxmlDriver::Line() const {
  xmlParserCtxtPtr ctxt = C(ctxt_);
  return ctxt != nullptr && ctxt->input != nullptr ? ToU32(ctxt->input->line) : 0;
}

void LibxmlDriver::Problem(std::string message, int line, int column) {
  if (problems_++ == 0) {
    first_problem_ = std::move(message);
    first_line_ = ToU32(line);
    first_column_ = ToU32(column);
  }
}

void LibxmlDriver::StopNow() {
  if (stopped_) return;
  stopped_ = true;
  if (ctxt_ != nullptr) xmlStopParser(C(ctxt_));
}

void LibxmlDriver::Feed(std::span<const uint8_t> bytes, bool final) {
  if (stopped_) return;
  if (ctxt_ == nullptr) {
    xmlSAXHandler sax;
    std::memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = LibxmlCallbacks::StartElementNs;
    sax.endElementNs = LibxmlCallbacks::EndElementNs;
    sax.comment = LibxmlCallbacks::Comment;
    sax.processingInstruction = LibxmlCallbacks::ProcessingInstruction;
    sax.internalSubset = LibxmlCallbacks::InternalSubset;
    sax.externalSubset = LibxmlCallbacks::ExternalSubset;
    sax.entityDecl = LibxmlCallbacks::EntityDecl;
    sax.notationDecl = LibxmlCallbacks::NotationDecl;
    sax.attributeDecl = LibxmlCallbacks::AttributeDecl;
    sax.elementDecl = LibxmlCallbacks::ElementDecl;
    sax.unparsedEntityDecl = LibxmlCallbacks::UnparsedEntityDecl;
    sax.getEntity = LibxmlCallbacks::GetEntity;
    sax.getParameterEntity = LibxmlCallbacks::GetEntity;
    sax.resolveEntity = LibxmlCallbacks::ResolveEntity;
    sax.reference = LibxmlCallbacks::Reference;
    sax.serror = LibxmlCallbacks::StructuredError;
    // Text, whitespace and CDATA are not compared (see event_stream.h).
    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, this, nullptr, 0, nullptr);
    if (ctxt == nullptr) {
      Problem("out of memory creating the libxml2 parser", 0, 0);
      stopped_ = true;
      return;
    }
    ctxt_ = ctxt;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
  }
  // xmlParseChunk takes an int; chunks are at most 1 GiB (xml_parser.cc).
  int size = bytes.size() > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(bytes.size());
  int rc = xmlParseChunk(C(ctxt_), reinterpret_cast<const char*>(bytes.data()), size, final ? 1 : 0);
  if (rc != 0 && problems_ == 0) Problem("xmlParseChunk failed with code " + std::to_string(rc), 0, 0);
  if (rc != 0) stopped_ = true;
}

}  // namespace mrmlguard::internal
