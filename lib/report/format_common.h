// SPDX-License-Identifier: BSD-3-Clause
// File: format_common.h
//
// Pieces every report writer words the same way: names of kinds and levels,
// the position suffix and the node context of a finding, the finding counts.

#ifndef MRMLGUARD_LIB_REPORT_FORMAT_COMMON_H_
#define MRMLGUARD_LIB_REPORT_FORMAT_COMMON_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "mrmlguard/finding.h"
#include "mrmlguard/report.h"

namespace mrmlguard::internal {

class JsonWriter;

// The "location" object of a finding or change in the JSON reports: only the
// parts that are known are written (an absent key means "not known",
// docs/json-schema.md).
void WriteLocationJson(JsonWriter* w, const Location& loc);

// "bundle", "scene", "unknown".
std::string_view InputKindName(InputKind kind);

// ":line:col", ":line", "@offset" or "" (positions are numbers: no escaping).
std::string PositionSuffix(const Location& location);

// ` (node "id", attribute "name")`, either half alone, or "" when neither is
// known. The id and name come from the file and are escaped for a terminal.
std::string NodeContext(const Location& location);

// "3 errors, 1 warning, 2 notes", leaving out zero counts; "" for none.
// Findings at severity kOff (which a sink never records) are not counted.
std::string CountsPhrase(const Report& report);

// What the verdict line says after "path: " for a file that could not be
// judged: "cannot read: <message>", "internal error: ...", ...
std::string StatusPhrase(const Status& status);

// Formats `value` the way --limit accepts it back: "16G", "64M", "1K" for
// exact multiples of 1024 (only when `bytes`), plain decimal otherwise.
std::string LimitValueText(uint64_t value, bool bytes);

// True for limits that count bytes (their name ends in "_bytes").
bool IsByteLimit(std::string_view name);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_REPORT_FORMAT_COMMON_H_
