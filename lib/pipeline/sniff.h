// SPDX-License-Identifier: BSD-3-Clause
// File: sniff.h
//
// What kind of input the pipeline was given, decided by content; the file
// name is only cross-checked.
//
//   Sniffed kind = Sniff(source);
//   CheckExtension(kind, "scan.mrml", sink);  // input.extension-mismatch

#ifndef MRMLGUARD_LIB_PIPELINE_SNIFF_H_
#define MRMLGUARD_LIB_PIPELINE_SNIFF_H_

#include <string_view>

#include "bytes/input_source.h"
#include "findings/finding_sink.h"

namespace mrmlguard::internal {

enum class Sniffed { kZip, kXml, kUnknown };

// A ZIP bundle ("PK\3\4", "PK\5\6", or an end-of-central-directory record
// near the end), an XML scene (optional BOM and white space, then '<'; a
// UTF-16 byte order mark counts as XML so the XML layer says what is wrong),
// or neither. Reads at most the first 64 and the last 65,557 bytes.
Sniffed Sniff(InputSource& source);

// Reports input.extension-mismatch when `name` says scene but the content is
// a bundle, or the other way round.
void CheckExtension(Sniffed kind, std::string_view name, FindingSink& sink);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_PIPELINE_SNIFF_H_
