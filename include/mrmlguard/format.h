/* SPDX-License-Identifier: BSD-3-Clause */
// File: format.h
//
// Writers for reports and for the rule and limit tables: compiler-style text,
// JSON (schema in docs/json-schema.md), SARIF 2.1.0 and Markdown. Writers
// never fail on any report content: text that came from a file is escaped, and
// the output is always valid for its format (valid UTF-8, valid JSON) whatever
// bytes the report holds. Nothing here reads files or keeps state.
//
//   std::vector<mrmlguard::Report> reports = ...;
//   std::string sarif = mrmlguard::FormatSarif(reports);

#ifndef MRMLGUARD_FORMAT_H_
#define MRMLGUARD_FORMAT_H_

#include "mrmlguard/export.h"
#include "mrmlguard/span.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "mrmlguard/report.h"

namespace mrmlguard {

// One line per finding, then one verdict line for the file:
//   case.mrb!Scene/Scene.mrml:12:3: error: message (node "vtkMRMLX1", attribute "uri") [mrml.storage.uri]
//   case.mrb!Scene/Data/a.nrrd@120: warning: message [data.header-malformed]
//   case.mrb: rejected (1 error, 1 warning)
// Position parts that are not known are left out; "@offset" appears when
// only a byte offset is known. A file that could not be read gets
//   path: error: cannot read: <reason>
// With `quiet`, an accepted file prints nothing and any other prints only its
// error findings and its verdict line. Control characters, bidi controls and
// bytes that are not UTF-8 are shown as \xNN / \u{NNNN}, so a report printed
// on a terminal cannot steer it.
MRMLGUARD_EXPORT std::string FormatText(const Report& report, bool quiet);

// One JSON document holding every report (schema: docs/json-schema.md).
#if MRMLGUARD_HAS_STD_SPAN
MRMLGUARD_EXPORT std::string FormatJson(std::span<const Report> reports);
#endif
MRMLGUARD_EXPORT std::string FormatJson(const Report* reports, size_t count);

// One SARIF 2.1.0 log with one run: tool.driver lists every rule, one result
// per finding, a failed-execution notification per file that could not be read.
// Findings inside a bundle entry point at the bundle file; the entry is a
// logical location, and the entry's own line:column go into the message.
#if MRMLGUARD_HAS_STD_SPAN
MRMLGUARD_EXPORT std::string FormatSarif(std::span<const Report> reports);
#endif
MRMLGUARD_EXPORT std::string FormatSarif(const Report* reports, size_t count);

// How many files of a batch were accepted, rejected, or not judged at all.
struct BatchCounts {
  uint64_t files = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;    // read and rejected
  uint64_t unreadable = 0;  // status not ok
  void Add(const Report& report) {
    ++files;
    if (!report.status.ok()) {
      ++unreadable;
    } else if (report.accepted()) {
      ++accepted;
    } else {
      ++rejected;
    }
  }
};

// The summary line of a text report:
//   "mrmlguard: 3 files: 1 accepted, 1 rejected, 1 unreadable\n"
MRMLGUARD_EXPORT std::string FormatSummaryLine(const BatchCounts& counts);

enum class ReportFormat : uint8_t {
  kText,       // FormatText per file, then (with `summary`) the summary line
  kJson,       // one document, as FormatJson
  kJsonLines,  // one line per file: the object FormatJson puts in "files"
  kSarif,      // one SARIF log, as FormatSarif, with the results capped
};

struct StreamOptions {
  ReportFormat format = ReportFormat::kText;
  bool quiet = false;    // text: as FormatText's `quiet`
  bool summary = false;  // text: end with FormatSummaryLine
  // SARIF: most results in the run (GitHub code scanning refuses a run with
  // more than 25,000); 0 means no cap. Results that are not errors stop at
  // nine tenths of the cap, so the last tenth is kept for errors; a
  // notification in the run says how many results were left out.
  uint64_t max_results = 25000;
};

// Writes a report for many files one file at a time, so a batch needs memory
// for one report, not for all of them: call Begin() once, Add() for each
// report in order, End() once, and write each returned piece as it comes.
// The pieces joined are one valid document of the chosen format.
//   ReportStream stream({.format = ReportFormat::kJson});
//   out << stream.Begin();
//   for (...) out << stream.Add(mrmlguard::Validate(path, policy));
//   out << stream.End();
class MRMLGUARD_EXPORT ReportStream {
 public:
  explicit ReportStream(StreamOptions options);
  ~ReportStream();
  ReportStream(const ReportStream&) = delete;
  ReportStream& operator=(const ReportStream&) = delete;

  std::string Begin();
  std::string Add(const Report& report);
  std::string End();
  const BatchCounts& counts() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The rule table: aligned text, Markdown (docs/rules.md is this output), JSON.
MRMLGUARD_EXPORT std::string FormatRulesText();
MRMLGUARD_EXPORT std::string FormatRulesMarkdown();
MRMLGUARD_EXPORT std::string FormatRulesJson();

// The limits table with default and strict values: aligned text, Markdown
// (docs/limits.md is this output), JSON.
MRMLGUARD_EXPORT std::string FormatLimitsText();
MRMLGUARD_EXPORT std::string FormatLimitsMarkdown();
MRMLGUARD_EXPORT std::string FormatLimitsJson();

}  // namespace mrmlguard

#endif  // MRMLGUARD_FORMAT_H_
