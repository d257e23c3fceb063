/* SPDX-License-Identifier: BSD-3-Clause */
// File: report.h
//
// A Report is the answer for one input: whether it could be read (Status),
// the verdict, the findings, and statistics.

#ifndef MRMLGUARD_REPORT_H_
#define MRMLGUARD_REPORT_H_

#include "mrmlguard/export.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mrmlguard/finding.h"

namespace mrmlguard {

// Why an input could not be judged at all. Distinct from findings: a file
// that was read and found wrong has Status kOk and error findings.
enum class StatusCode : uint8_t {
  kOk = 0,
  kIoError,        // missing, unreadable, a directory, a read failed
  kEmptyInput,     // zero bytes
  kInvalidArgument,// bad policy (unknown rule id in an override, ...)
  kInternal,       // a bug in mrmlguard; always reported, never hidden
};

// Returns "ok", "io-error", "empty-input", "invalid-argument", "internal".
MRMLGUARD_EXPORT std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

enum class Verdict : uint8_t {
  kRejected = 0,  // a default-constructed report rejects: fail closed
  kAccepted,
};

enum class InputKind : uint8_t { kUnknown = 0, kBundle, kScene };

struct Stats {
  uint64_t bytes_read = 0;          // bytes read from the input (compressed)
  // Uncompressed bytes of bundle entries: inflated, or, past what the checks
  // read of an entry, decoded and counted without being produced.
  uint64_t bytes_inflated = 0;
  uint64_t entries = 0;             // ZIP entries, nested bundles included
  uint64_t nodes = 0;               // MRML elements, nested scenes included
  uint64_t data_files = 0;          // data-file headers inspected
  uint64_t elapsed_microseconds = 0;  // wall time, measured by the caller-facing API only
};

struct MRMLGUARD_EXPORT Report {
  std::string path;       // as given by the caller (or the name hint)
  InputKind kind = InputKind::kUnknown;
  Status status;          // not ok: could not be judged (exit code 2 in the CLI)
  Verdict verdict = Verdict::kRejected;
  std::vector<Finding> findings;  // in discovery order
  Stats stats;
  std::string main_scene;  // for a bundle, the entry Slicer would load

  bool accepted() const { return status.ok() && verdict == Verdict::kAccepted; }
  // Counts findings of one severity.
  size_t Count(Severity severity) const;
};

}  // namespace mrmlguard

#endif  // MRMLGUARD_REPORT_H_
