/* SPDX-License-Identifier: BSD-3-Clause */
// File: extract.h
//
// Safe extraction of a bundle: validate, and write only what was validated.
//
//   mrmlguard::ExtractResult r = mrmlguard::Extract("case.mrb", "/tmp/case", policy);
//   if (r.report.accepted()) open(r.main_scene_path);
//
// The destination must not exist or be an empty directory. Every file and
// directory is created with openat/mkdirat relative to the destination,
// following no symlink and overwriting nothing, with regular modes (0644 files,
// 0755 directories). The bundle is read once: the bytes written are the bytes
// that were checked. When the bundle is rejected, or anything fails, whatever
// was created is removed again and the destination is left as it was found.

#ifndef MRMLGUARD_EXTRACT_H_
#define MRMLGUARD_EXTRACT_H_

#include "mrmlguard/export.h"

#include <string>

#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"

namespace mrmlguard {

struct ExtractResult {
  Report report;
  // Path of the main scene below the destination; empty unless accepted.
  std::string main_scene_path;
};

// Validates `bundle_path` and extracts it into `destination`. Files are only
// left behind when result.report.accepted() is true.
MRMLGUARD_EXPORT ExtractResult Extract(const std::string& bundle_path, const std::string& destination,
                      const Policy& policy);

}  // namespace mrmlguard

#endif  // MRMLGUARD_EXTRACT_H_
