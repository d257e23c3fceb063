// SPDX-License-Identifier: BSD-3-Clause
// File: streams.h
//
// The pieces of the JSON and SARIF documents, shared by the whole-document
// writers (FormatJson, FormatSarif) and ReportStream, which writes the same
// documents one file at a time.

#ifndef MRMLGUARD_LIB_REPORT_STREAMS_H_
#define MRMLGUARD_LIB_REPORT_STREAMS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "mrmlguard/format.h"
#include "mrmlguard/report.h"
#include "report/json_writer.h"

namespace mrmlguard::internal {

// JSON report (docs/json-schema.md): the opening up to the "files" array, one
// file object, and the closing with the summary.
void BeginJsonDocument(JsonWriter* w);
void WriteJsonReport(JsonWriter* w, const Report& r);
void EndJsonDocument(JsonWriter* w, const BatchCounts& counts);

// One SARIF run written incrementally. Memory: one artifact URI per file and
// one notification per unreadable file; findings are written as they come.
// `max_results` caps the results of the run (0: no cap): results that are
// not errors stop at nine tenths of it, so the last tenth is kept for errors,
// and a notification says how many results were left out.
class SarifRun {
 public:
  explicit SarifRun(uint64_t max_results);
  ~SarifRun();
  SarifRun(const SarifRun&) = delete;
  SarifRun& operator=(const SarifRun&) = delete;

  std::string Begin();
  std::string Add(const Report& report);
  std::string End();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_REPORT_STREAMS_H_
