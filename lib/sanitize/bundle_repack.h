// SPDX-License-Identifier: BSD-3-Clause
// File: bundle_repack.h
//
// RepackBundle: the bundle side of sanitize. Re-packs an audited bundle into
// the canonical ZIP form (lib/zip/canonical_writer.h) from its validated
// bytes only: the main scene rewritten by PlanScene, entries whose findings
// ask for kDropEntry left out, every other entry copied through the one
// inflate path. Refuses structure attacks and anything it cannot place.

#ifndef MRMLGUARD_LIB_SANITIZE_BUNDLE_REPACK_H_
#define MRMLGUARD_LIB_SANITIZE_BUNDLE_REPACK_H_

#include <string>
#include <string_view>
#include <vector>

#include "mrmlguard/policy.h"
#include "mrmlguard/report.h"
#include "mrmlguard/sanitize.h"

namespace mrmlguard::internal::sanitize {

struct BundleRepack {
  std::string bytes;                  // the re-packed bundle, when refusal is empty
  std::vector<SanitizeChange> changes;
  std::string refusal;
  std::vector<Finding> blocking;
};

// Re-packs `bundle`, which `report` judged (under `policy`).
BundleRepack RepackBundle(std::string_view bundle, const Report& report, const Policy& policy);

}  // namespace mrmlguard::internal::sanitize

#endif  // MRMLGUARD_LIB_SANITIZE_BUNDLE_REPACK_H_
