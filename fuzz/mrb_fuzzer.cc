// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes the whole pipeline on an in-memory bundle: ValidateBytes as ".mrb".
// The input is the file itself (seeds are real .mrb files); the policy comes
// from a hash of the input. Every report must keep the invariants of
// fuzz_common.h, and a second run must give the same findings.

#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_common.h"
#include "mrmlguard/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mrmlguard;
  uint32_t bits = fuzz::ConfigBits(data, size);
  Policy policy = fuzz::PolicyFromBits(static_cast<uint8_t>(bits));
  std::span<const uint8_t> bytes(data, size);
  Report report = ValidateBytes(bytes, (bits & 0x100) ? "fuzz.mrml" : "fuzz.mrb", policy);
  fuzz::CheckReport(report, size, policy);
  if (report.accepted()) {
    // One directory when nesting is off; otherwise each nested bundle adds its own.
    if (policy.limits.max_bundle_depth == 0 && report.kind == InputKind::kBundle) {
      MRMLGUARD_FUZZ_CHECK(report.stats.entries <= policy.limits.max_zip_entries, "accepted past max_zip_entries");
    }
    MRMLGUARD_FUZZ_CHECK(report.kind != InputKind::kBundle || !report.main_scene.empty(),
                         "bundle accepted without a main scene");
  }
  if (bits & 0x200) {
    Report again = ValidateBytes(bytes, (bits & 0x100) ? "fuzz.mrml" : "fuzz.mrb", policy);
    fuzz::CheckSameReport(report, again);
  }
  return 0;
}
