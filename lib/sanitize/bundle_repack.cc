// SPDX-License-Identifier: BSD-3-Clause
// RepackBundle (bundle_repack.h).

#include "sanitize/bundle_repack.h"

namespace mrmlguard::internal::sanitize {

BundleRepack RepackBundle(std::string_view, const Report& report, const Policy&) {
  BundleRepack out;
  out.refusal = "bundle sanitize not supported yet: the bundle has errors and only scenes are rewritten";
  for (const Finding& f : report.findings) {
    if (f.severity == Severity::kError) out.blocking.push_back(f);
  }
  return out;
}

}  // namespace mrmlguard::internal::sanitize
