// SPDX-License-Identifier: BSD-3-Clause
// File: pipeline.h
//
// The pipeline runs the layers over one input (see docs/notes/architecture.md).
// Validate, ValidateBytes and Extract are thin wrappers around RunInput.

#ifndef MRMLGUARD_LIB_PIPELINE_PIPELINE_H_
#define MRMLGUARD_LIB_PIPELINE_PIPELINE_H_

#include <span>
#include <string>
#include <string_view>

#include "bytes/input_source.h"
#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"
#include "zip/zip_archive.h"

namespace mrmlguard::internal {

// Receives every entry of the outer bundle as it is verified (the extractor).
// Nested bundles are written as files, as Slicer's extractor does.
class BundleWriter {
 public:
  virtual ~BundleWriter() = default;
  // Starts an entry; false stops the run with an I/O error.
  virtual bool BeginEntry(const ZipEntry& entry) = 0;
  virtual bool Data(std::span<const uint8_t> chunk) = 0;
  virtual bool EndEntry() = 0;
  // The reason of the last false return.
  virtual const std::string& error() const = 0;
};

struct RunOptions {
  std::string display_path;  // for the report and the extension cross-check
  // Folder of the input on disk, for a plain scene's data files; empty when
  // the input does not come from disk (ValidateBytes).
  std::string disk_folder;
  BundleWriter* writer = nullptr;  // extraction, or null
  bool require_bundle = false;     // Extract: a scene is a usage error
};

// Judges `source` under `policy` and fills `report` (findings, verdict,
// stats, main scene). Never throws.
void RunInput(InputSource& source, const Policy& policy, const RunOptions& options, Report* report);

// Opens `path` once (fstat on the descriptor, size limit before any content
// is read) and runs the pipeline over it. Unreadable inputs give a Status.
Report ValidatePath(const std::string& path, const Policy& policy, BundleWriter* writer, bool require_bundle);

}  // namespace mrmlguard::internal

#endif  // MRMLGUARD_LIB_PIPELINE_PIPELINE_H_
