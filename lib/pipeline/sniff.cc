// SPDX-License-Identifier: BSD-3-Clause
// Sniffing the input kind by content (see sniff.h).

#include "pipeline/sniff.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "text/ascii.h"

namespace mrmlguard::internal {

Sniffed Sniff(InputSource& source) {
  std::vector<uint8_t> scratch;
  std::span<const uint8_t> head = source.View(0, 64, &scratch);
  if (head.size() >= 4 && head[0] == 'P' && head[1] == 'K' &&
      ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) {
    return Sniffed::kZip;
  }
  size_t i = 0;
  if (head.size() >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf) i = 3;
  // UTF-16/32 byte order marks: an XML document the XML layer will refuse
  // with a precise finding (xml.encoding).
  if (head.size() >= 2 && ((head[0] == 0xff && head[1] == 0xfe) || (head[0] == 0xfe && head[1] == 0xff))) {
    return Sniffed::kXml;
  }
  while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  if (i < head.size() && head[i] == '<') return Sniffed::kXml;
  // Anything else holding an end-of-central-directory signature near its end
  // is a ZIP with data before it (a self-extractor or a polyglot): the ZIP
  // layer says exactly what is wrong (zip.prepended-data).
  uint64_t size = source.size();
  uint64_t tail_len = std::min<uint64_t>(size, 65535 + 22);
  std::span<const uint8_t> tail = source.View(size - tail_len, static_cast<size_t>(tail_len), &scratch);
  for (size_t k = 0; k + 4 <= tail.size(); ++k) {
    if (tail[k] == 'P' && tail[k + 1] == 'K' && tail[k + 2] == 5 && tail[k + 3] == 6) return Sniffed::kZip;
  }
  return Sniffed::kUnknown;
}

void CheckExtension(Sniffed kind, std::string_view name, FindingSink& sink) {
  bool named_bundle = text::EndsWithIgnoreCase(name, ".mrb") || text::EndsWithIgnoreCase(name, ".zip") || text::EndsWithIgnoreCase(name, ".xar");
  bool named_scene = text::EndsWithIgnoreCase(name, ".mrml") || text::EndsWithIgnoreCase(name, ".xml");
  if (kind == Sniffed::kZip && named_scene) {
    sink.Add(Rule::kInputExtensionMismatch, {}, "file is named like a scene (.mrml) but holds a ZIP bundle");
  } else if (kind == Sniffed::kXml && named_bundle) {
    sink.Add(Rule::kInputExtensionMismatch, {},
             "file is named like a bundle (.mrb/.zip/.xar) but holds XML; Slicer would hand it to its "
             "archive reader");
  }
}

}  // namespace mrmlguard::internal
