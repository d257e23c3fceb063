// File: format.h
//
// Writers for reports: compiler-style text, JSON (schema in docs/json-schema.md)
// and SARIF 2.1.0. Writers never fail on any report content: untrusted text is
// escaped, and the output is always valid for its format.

#ifndef MRMLGUARD_FORMAT_H_
#define MRMLGUARD_FORMAT_H_

#include <span>
#include <string>

#include "mrmlguard/report.h"

namespace mrmlguard {

// One line per finding, "file[!entry]:line:col: error: message [rule-id]",
// then one verdict line for the file. With `quiet`, an accepted file prints
// nothing and a rejected one prints only its error findings and verdict.
std::string FormatText(const Report& report, bool quiet);

// One JSON document holding every report (see docs/json-schema.md).
std::string FormatJson(std::span<const Report> reports);

// One SARIF 2.1.0 log with one run holding every report's findings.
std::string FormatSarif(std::span<const Report> reports);

// Markdown table of every rule (docs/rules.md is this output).
std::string FormatRulesMarkdown();

}  // namespace mrmlguard

#endif  // MRMLGUARD_FORMAT_H_
