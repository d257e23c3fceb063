// SPDX-License-Identifier: BSD-3-Clause
// ReportStream: the report formats written one file at a time.

#include <string>

#include "mrmlguard/format.h"
#include "report/json_writer.h"
#include "report/streams.h"

namespace mrmlguard {

struct ReportStream::State {
  StreamOptions options;
  BatchCounts counts;
  internal::JsonWriter json;
  std::unique_ptr<internal::SarifRun> sarif;
};

ReportStream::ReportStream(StreamOptions options) : state_(std::make_unique<State>()) {
  state_->options = options;
  if (options.format == ReportFormat::kSarif) state_->sarif = std::make_unique<internal::SarifRun>(options.max_results);
}

ReportStream::~ReportStream() = default;

const BatchCounts& ReportStream::counts() const { return state_->counts; }

std::string ReportStream::Begin() {
  switch (state_->options.format) {
    case ReportFormat::kJson:
      internal::BeginJsonDocument(&state_->json);
      return state_->json.TakeOutput();
    case ReportFormat::kSarif:
      return state_->sarif->Begin();
    case ReportFormat::kText:
    case ReportFormat::kJsonLines:
      break;
  }
  return std::string();
}

std::string ReportStream::Add(const Report& report) {
  state_->counts.Add(report);
  switch (state_->options.format) {
    case ReportFormat::kText:
      return FormatText(report, state_->options.quiet);
    case ReportFormat::kJson:
      internal::WriteJsonReport(&state_->json, report);
      return state_->json.TakeOutput();
    case ReportFormat::kJsonLines: {
      internal::JsonWriter line(0);
      internal::WriteJsonReport(&line, report);
      return line.Finish();
    }
    case ReportFormat::kSarif:
      return state_->sarif->Add(report);
  }
  return std::string();
}

std::string ReportStream::End() {
  switch (state_->options.format) {
    case ReportFormat::kText:
      return state_->options.summary ? FormatSummaryLine(state_->counts) : std::string();
    case ReportFormat::kJson:
      internal::EndJsonDocument(&state_->json, state_->counts);
      return state_->json.Finish();
    case ReportFormat::kSarif:
      return state_->sarif->End();
    case ReportFormat::kJsonLines:
      break;
  }
  return std::string();
}

std::string FormatSummaryLine(const BatchCounts& counts) {
  return "mrmlguard: " + std::to_string(counts.files) + (counts.files == 1 ? " file: " : " files: ") +
         std::to_string(counts.accepted) + " accepted, " + std::to_string(counts.rejected) + " rejected, " +
         std::to_string(counts.unreadable) + " unreadable\n";
}

}  // namespace mrmlguard
